import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { waitFor } from '../processes';
import { assert, Scenario } from '../types';
import { Viewer } from '../viewer';
import { sampleFile } from './s2-language';
import { approveInBrowser } from './s1-signIn';
import { setSandboxFaults, state } from './state';

/** A loopback server that answers 500 to everything and keeps the request lines it got. */
async function startRecorder(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Adds a connection to the user's settings file, as a person editing settings.json would. */
function addUserConnection(userDataDir: string, connection: Record<string, string>): void {
  const file = path.join(userDataDir, 'User', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const list = Array.isArray(settings['sage200.connections']) ? settings['sage200.connections'] as unknown[] : [];
  settings['sage200.connections'] = [...list, connection];
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
}

/** 429 with Retry-After then success: Send succeeds; sandbox stopped: a clear error, editor usable. */
export const reliability: Scenario = {
  id: 7,
  title: 'reliability: 429 + Retry-After is retried; a dropped body is told; Send asks when the sandbox stops',
  async run(ctx) {
    const { wb, workspace, log, userDataDir } = ctx;
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

    // A second connection that records what reaches it: when the active sandbox stops, Send must
    // ask at once and never fall back to this one on its own.
    const recorder = await startRecorder();
    try {
      addUserConnection(userDataDir, {
        id: 'e2e-recorder', name: 'Recorder', edition: 'custom', apiEdition: 'standard',
        baseUrl: `${recorder.url}/uk/sage200/accounts/v1`, authority: recorder.url, clientId: 'e2e-recorder',
      });
      await waitFor('the recorder connection in the tree', async () => ((await wb.sidebar().innerText().catch(() => '')).includes('Recorder') ? true : undefined), 30_000)
        .catch(() => log('the Recorder connection did not show in the side bar (the tree may be collapsed)'));

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
      await wb.clickDialogButton(/Cancel/);
      await wb.dialog().waitFor({ state: 'hidden', timeout: 10_000 });
      assert(recorder.requests.length === 0, `nothing may reach the other connection, it got: ${recorder.requests.join(', ')}`);
    } finally {
      await recorder.close();
    }

    // The editor stays usable: typing still lands in the file.
    await wb.openFile(file);
    await wb.typeAtEnd('\n# still typing after the error\n');
    await waitFor('the typed comment', async () => ((await wb.editorText()).includes('still typing after the error') ? true : undefined), 10_000);
    await wb.screenshot('s7-editor-usable');
  },
};
