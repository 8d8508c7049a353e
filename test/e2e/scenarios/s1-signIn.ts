import { sleep, waitFor } from '../processes';
import { assert, Scenario, ScenarioContext } from '../types';
import { storedSessionKeys } from './s6-signOut';
import { COMPANY_A1, COMPANY_B1, SITE_A, SITE_B, state } from './state';

/**
 * Fresh window: the welcome offers the demo sandbox; signing in goes through the sandbox's consent
 * page in the browser (real loopback redirect); the Accounts menu shows the session; the tree lists
 * sites and companies; picking a company updates the status bar.
 */
export const signIn: Scenario = {
  id: 1,
  title: 'welcome, "Try the demo sandbox" sign-in via the consent page, Accounts menu, tree, status bar',
  async run(ctx) {
    const { wb, log } = ctx;
    await wb.openViewContainer('Sage 200');
    const tryDemo = wb.welcomeButton(/Try the demo sandbox/i);
    await tryDemo.waitFor({ state: 'visible', timeout: 30_000 });
    await wb.screenshot('s1-welcome');

    await approveInBrowser(ctx, () => tryDemo.click());

    // After sign-in the extension asks which site and company to work in (three companies).
    const picker = wb.quickInput();
    if (await picker.waitFor({ state: 'visible', timeout: 30_000 }).then(() => true, () => false)) {
      await wb.screenshot('s1-site-company-pick');
      await wb.pickQuickItem(COMPANY_A1);
    }

    // Accounts menu: the session is there.
    const entries = await waitFor(
      'the Sage 200 session in the Accounts menu',
      async () => {
        const items = await wb.openAccountsMenu();
        if (items.some((i) => /Sage 200/i.test(i))) return items;
        await wb.closeMenus();
        await sleep(1000);
        return undefined;
      },
      30_000,
    );
    log(`Accounts menu: ${entries.join(' | ')}`);
    log(`browser-side storage keys mentioning sage200: ${(await storedSessionKeys(wb.page)).join(', ') || 'none'}`);
    await wb.screenshot('s1-accounts-menu');
    await wb.closeMenus();

    // The tree: connection > sites > companies.
    await wb.openViewContainer('Sage 200');
    const connection = wb.treeRow(/Demo sandbox/i);
    await wb.expand(connection);
    const siteA = wb.treeRow(SITE_A);
    const siteB = wb.treeRow(SITE_B);
    await wb.expand(siteA);
    await wb.expand(siteB);
    await wb.treeRow(COMPANY_A1).waitFor({ state: 'visible', timeout: 20_000 });
    const company = wb.treeRow(COMPANY_B1);
    await company.waitFor({ state: 'visible', timeout: 20_000 });
    log(`tree: ${(await wb.treeRowTexts()).join(' | ')}`);
    await wb.screenshot('s1-tree-sites-companies');

    // Pick the other company: a click on it, or its context menu, makes it active.
    await company.click();
    const status = wb.statusBarItem(COMPANY_B1);
    if (!(await status.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false))) {
      await wb.contextMenu(company, /active|use this company|select/i);
    }
    await status.waitFor({ state: 'visible', timeout: 20_000 });
    state.site = SITE_B;
    state.company = COMPANY_B1;
    await wb.screenshot('s1-status-bar-company');
  },
};

/**
 * Runs `trigger` (which starts a sign-in), then does what a person does in the browser tab that
 * opens: checks it is the sandbox's consent page and clicks Allow; the loopback redirect completes
 * the sign-in. Remembers the sandbox's address for later scenarios. Screenshots are named after
 * `step` (another scenario signing in elsewhere keeps its own).
 */
export async function approveInBrowser(ctx: ScenarioContext, trigger: () => Promise<void>, step = 's1'): Promise<void> {
  const { wb, browser, log } = ctx;
  // The extension opens the consent page with env.openExternal: a new browser tab here.
  const popup = browser.waitForEvent('page', { timeout: 90_000 });
  await trigger();
  const consent = await Promise.race([
    popup,
    // VS Code may ask before opening an external site; a person would choose "Open".
    // Never rejects: when no dialog comes, the popup wins the race.
    wb.clickDialogButton(/^Open$/, 60_000).then(() => popup, () => popup),
  ]);
  await consent.waitForLoadState('load');
  await wb.screenshot(`${step}-browser-tab`, consent);
  log(`browser tab: ${consent.url()} — ${(await consent.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' ').slice(0, 200)}`);
  const authorize = new URL(consent.url());
  assert(authorize.pathname === '/authorize', `the browser should open the sandbox's /authorize page, opened ${authorize.href}`);
  assert(authorize.searchParams.get('code_challenge_method') === 'S256', 'the sign-in must use PKCE S256');
  const redirect = new URL(authorize.searchParams.get('redirect_uri') ?? 'about:blank');
  assert(redirect.hostname === '127.0.0.1' || redirect.hostname === 'localhost', `the redirect must be a loopback one, got ${redirect.href}`);
  state.sandboxUrl = authorize.origin;
  log(`sandbox started by the extension at ${state.sandboxUrl}; redirect ${redirect.origin}`);

  const approve = consent.locator('#approve');
  await approve.waitFor({ state: 'visible', timeout: 20_000 });
  await wb.screenshot(`${step}-consent-page`, consent);
  await approve.click();
  // The sandbox redirects to the loopback server, which answers with a page that says it went through.
  const visited: string[] = [];
  consent.on('framenavigated', (f) => {
    if (f === consent.mainFrame()) visited.push(f.url());
  });
  await waitFor(
    'the loopback redirect',
    () => (consent.isClosed() || [...visited, consent.url()].some((u) => new URL(u).origin === redirect.origin) ? true : undefined),
    30_000,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; the tab went to: ${visited.join(' -> ') || consent.url()}`);
  });
  if (!consent.isClosed()) {
    await consent.waitForLoadState('domcontentloaded');
    await wb.screenshot(`${step}-signed-in-page`, consent);
    const done = (await consent.locator('body').innerText().catch(() => '')).trim();
    log(`after Allow: ${visited.join(' -> ')}: ${done.replace(/\s+/g, ' ').slice(0, 120)}`);
    assert(!/error|denied|mismatch/i.test(done), `the loopback page reports a problem: ${done.slice(0, 200)}`);
  }
  if (!consent.isClosed()) await consent.close();
  await wb.page.bringToFront();
}
