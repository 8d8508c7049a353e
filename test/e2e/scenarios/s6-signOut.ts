import { sleep, waitFor } from '../processes';
import { assert, Scenario } from '../types';
import { sampleFile } from './s2-language';
import { state } from './state';

/** Keys of the browser-side secret store that look like the extension's sessions. */
export async function storedSessionKeys(page: import('playwright-core').Page): Promise<string[]> {
  return page.evaluate(async () => {
    const keys: string[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i) ?? '';
      if (/sage200/i.test(k)) keys.push(k);
    }
    return keys;
  });
}

/** Sign out from the Accounts menu: the session goes, and sending asks to sign in again. */
export const signOut: Scenario = {
  id: 6,
  title: 'sign out: session leaves the Accounts menu and storage; Send asks to sign in',
  async run({ wb, workspace, log }) {
    const items = await wb.openAccountsMenu();
    const account = items.find((i) => /Sage 200/i.test(i));
    assert(account, `no Sage 200 account in the Accounts menu: ${items.join(' | ')}`);
    await wb.page.locator('.context-view .monaco-menu .action-item').filter({ hasText: account }).first().hover();
    const signOutItem = wb.page.locator('.context-view .monaco-menu .action-item').filter({ hasText: /^Sign Out$/ }).first();
    await signOutItem.waitFor({ state: 'visible', timeout: 10_000 });
    await wb.screenshot('s6-accounts-sign-out');
    await signOutItem.click();
    // VS Code confirms which extensions used the account.
    await wb.clickDialogButton(/Sign Out/i, 10_000).catch(() => undefined);

    await waitFor(
      'the session to leave the Accounts menu',
      async () => {
        const now = await wb.openAccountsMenu();
        await wb.closeMenus();
        if (!now.some((i) => /Sage 200/i.test(i))) return true;
        await sleep(500);
        return undefined;
      },
      30_000,
    );
    await wb.screenshot('s6-accounts-after');
    const keys = await storedSessionKeys(wb.page);
    log(`browser-side storage keys mentioning sage200 after sign-out: ${keys.join(', ') || 'none'}`);

    const file = state.requestFile ?? sampleFile(workspace);
    await wb.openFile(file);
    await wb.revealRequest('Second page');
    await wb.clickCodeLensAbove('$top=5&$skip=5');
    const ask = await wb.notification(/sign in/i, 30_000);
    log(`after sign-out, Send says: ${(await ask.innerText()).replace(/\s+/g, ' ')}`);
    await wb.screenshot('s6-send-asks-sign-in');
  },
};
