import { waitFor } from '../processes';
import { assert, Scenario } from '../types';
import { Viewer } from '../viewer';
import { sampleFile } from './s2-language';
import { approveInBrowser } from './s1-signIn';
import { setSandboxFaults, state } from './state';

/** 429 with Retry-After then success: Send succeeds; sandbox stopped: a clear error, editor usable. */
export const reliability: Scenario = {
  id: 7,
  title: 'reliability: 429 + Retry-After is retried; a dropped body is told; Send asks when the sandbox stops',
  async run(ctx) {
    const { wb, workspace, log } = ctx;
    const file = state.requestFile ?? sampleFile(workspace);
    await wb.openFile(file);

    // Signed out by scenario 6: the "sign in" prompt leads through the consent page again.
    const prompt = wb.page.locator('.notifications-toasts .notification-toast').filter({ hasText: /sign in/i }).first();
    if (await prompt.isVisible().catch(() => false)) {
      await approveInBrowser(ctx, () => wb.clickNotificationButton(prompt, /Sign In/i));
      if (await wb.quickInput().waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false)) {
        await wb.pickQuickItem(state.company ?? /Ltd/);
      }
    }

    await setSandboxFaults({ rateLimit: { count: 1, retryAfterSeconds: 1 } });
    await wb.revealRequest('Second page');
    await wb.clickCodeLensAbove('$top=5&$skip=5&$orderby');
    const viewer = await Viewer.wait(wb, '$skip=');
    await waitFor('status 200 after the retry', async () => ((await viewer.facts()).status.startsWith('200') ? true : undefined), 60_000);
    const faults = (await (await fetch(`${state.sandboxUrl}/__sandbox/faults`)).json()) as { rateLimit?: { count: number } };
    assert(!faults.rateLimit || faults.rateLimit.count === 0, 'the 429 was never served: the retry was not exercised');
    log(`after 429 + Retry-After: ${JSON.stringify(await viewer.facts())}`);
    await wb.screenshot('s7-retry-succeeded');

    // A connection that drops in the middle of the answer, every time: a network error, clearly told.
    await wb.clearNotifications();
    await setSandboxFaults({ dropMidBody: { count: 10 } });
    await wb.openFile(file);
    await wb.revealRequest('Second page');
    await wb.clickCodeLensAbove('$top=5&$skip=5&$orderby');
    const dropped = await waitFor(
      'a network error on screen',
      async () => {
        const texts = await wb.notificationTexts();
        const toast = texts.find((t) => /connection|socket|network|closed|reset|aborted|terminated/i.test(t));
        if (toast) return toast;
        const f = await viewer.facts().catch(() => undefined);
        return f?.banner && /connection|socket|network|closed|reset|aborted|terminated/i.test(f.banner) ? f.banner : undefined;
      },
      60_000,
    );
    log(`with the connection dropped mid-body: ${dropped.replace(/\s+/g, ' ')}`);
    await wb.screenshot('s7-network-error');
    await setSandboxFaults({});

    // The active sandbox stops: the status bar says so, and Send asks at once in a dialog instead
    // of failing later or going elsewhere. (That no other connection is used in its place is
    // tested with two connections in test/unit/connections/activeContext.test.ts.)
    await wb.runCommand('Sage 200: Stop Demo Sandbox');
    await waitFor(
      'the sandbox to stop',
      async () => fetch(`${state.sandboxUrl}/sites`).then(() => undefined, () => true),
      20_000,
    );
    await waitFor('the status bar to say the sandbox stopped', async () => ((await wb.statusBarTexts()).some((t) => /Demo sandbox stopped: choose a connection/.test(t)) ? true : undefined), 20_000);
    await wb.screenshot('s7-sandbox-stopped');
    await wb.clearNotifications();
    await wb.openFile(file);
    await wb.revealRequest('Second page');
    await wb.clickCodeLensAbove('$top=5&$skip=5&$orderby');
    const asked = await waitFor('a question about the connection, at once', async () => {
      const text = await wb.dialog().innerText().catch(() => '');
      return /Demo sandbox stopped\. Nothing was sent/.test(text) ? text : undefined;
    }, 10_000);
    log(`with the sandbox stopped, Send asks: ${asked.replace(/\s+/g, ' ')}`);
    await wb.screenshot('s7-send-asks-for-connection');
    await wb.clickDialogButton(/OK|Cancel/);
    await wb.dialog().waitFor({ state: 'hidden', timeout: 10_000 });

    // The editor stays usable: typing still lands in the file.
    await wb.openFile(file);
    await wb.typeAtEnd('\n# still typing after the error\n');
    await waitFor('the typed comment', async () => ((await wb.editorText()).includes('still typing after the error') ? true : undefined), 10_000);
    await wb.screenshot('s7-editor-usable');
  },
};
