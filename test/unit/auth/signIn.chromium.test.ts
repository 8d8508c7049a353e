/**
 * The sign-in in a real browser: Chromium (Debian's, driven by playwright-core) opens the loopback
 * start page, follows it to the sandbox's consent page, and a click on "Allow" or "Deny" goes back
 * through the loopback server. A missing Chromium fails these tests; it never skips them.
 */
import * as assert from 'assert';
import type { Browser } from 'playwright-core';
import { RunningSandbox, startSandbox } from '../../../src/core/sandbox';
import { AuthError, signIn } from '../../../src/core/auth';
import { DEFAULT_SCOPES } from '../../../src/core/connections/types';
import { launchChromium } from '../viewer/page';

describe('sign-in in Chromium against the sandbox consent page', function () {
  this.timeout(60_000);
  let sandbox: RunningSandbox;
  let browser: Browser;
  before(async () => {
    sandbox = await startSandbox({});
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  async function run(decision: '#approve' | '#deny') {
    const page = await browser.newPage();
    let clicked: Promise<void> | undefined;
    try {
      const outcome = await signIn({
        config: { authority: sandbox.url, clientId: 'sage200-sandbox', audience: 's200ukipd/sage200', scopes: DEFAULT_SCOPES, usePkce: true },
        timeoutMs: 30_000,
        openBrowser: async (_url, _redirect, startPageUrl) => {
          clicked = (async () => {
            await page.goto(startPageUrl);
            assert.strictEqual(new URL(page.url()).pathname, '/authorize', 'the start page leads to the consent page');
            await Promise.all([page.waitForURL((u) => u.pathname === '/callback'), page.click(decision)]);
          })();
          clicked.catch(() => undefined);
        },
      }).then(
        (tokens) => ({ tokens, error: undefined }),
        (error: unknown) => ({ tokens: undefined, error: error as AuthError }),
      );
      await clicked;
      return { ...outcome, text: await page.locator('body').innerText() };
    } finally {
      await page.close();
    }
  }

  it('Allow: tokens, and the tab says the sign-in went through', async () => {
    const r = await run('#approve');
    assert.strictEqual(r.error, undefined, r.error?.message);
    assert.ok(r.tokens?.access_token && r.tokens.refresh_token);
    assert.match(r.text, /Signed in to Sage 200/);
  });

  it('Deny: access_denied, and the tab says so', async () => {
    const r = await run('#deny');
    assert.ok(r.error instanceof AuthError && r.error.code === 'access_denied');
    assert.match(r.text, /Sign-in was declined/);
  });
});
