import * as assert from 'assert';
import { challengeOf, createPkce } from '../../../src/core/auth';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { Browser } from 'playwright-core';
import { startSandbox, RunningSandbox } from '../../../src/core/sandbox';
import { CHROMIUM, CHROMIUM_ARGS } from '../../chromium';


/**
 * The consent page as a person meets it: real Chromium opens /authorize, the Allow button is
 * clicked, and the browser lands on the client's loopback redirect with a code (CSP included).
 */
describe('sandbox consent page in Chromium', function () {
  this.timeout(60000);
  let browser: Browser;
  let sb: RunningSandbox;
  let callback: http.Server;
  const hits: URL[] = [];

  before(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`Chromium is missing at ${CHROMIUM}: the consent page test cannot run. Install it with apt-get install -y chromium, or set SAGE200_CHROMIUM.`);
    }
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
    sb = await startSandbox({ scale: 0.01 });
    callback = http.createServer((req, res) => {
      hits.push(new URL(req.url ?? '/', 'http://127.0.0.1'));
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<title>Signed in</title><p id="done">You can close this window.</p>');
    });
    await new Promise<void>((r) => callback.listen(0, '127.0.0.1', () => r()));
  });
  after(async () => {
    await browser?.close();
    await sb?.close();
    await new Promise<void>((r) => (callback ? callback.close(() => r()) : r()));
  });

  for (const [button, expect] of [['Allow', 'code'], ['Deny', 'error']] as const) {
    it(`${button} returns to the loopback redirect with ${expect === 'code' ? 'a code' : 'access_denied'}`, async () => {
      const port = (callback.address() as AddressInfo).port;
      const redirect = `http://127.0.0.1:${port}/callback`;
      const page = await browser.newPage();
      const blocked: string[] = [];
      page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) blocked.push(m.text()); });
      try {
        const url = `${sb.url}/authorize?response_type=code&client_id=sage200-sandbox&redirect_uri=${encodeURIComponent(redirect)}&scope=openid%20offline_access&audience=s200ukipd%2Fsage200&state=s-${button}&code_challenge=${challengeOf(createPkce().verifier)}&code_challenge_method=S256`;
        await page.goto(url);
        await page.getByRole('button', { name: button }).click();
        await page.waitForURL(/\/callback\?/, { timeout: 15000 });
        const landed = new URL(page.url());
        assert.strictEqual(landed.searchParams.get('state'), `s-${button}`);
        if (expect === 'code') assert.ok(landed.searchParams.get('code'));
        else assert.strictEqual(landed.searchParams.get('error'), 'access_denied');
        assert.ok(hits.some((h) => h.searchParams.get('state') === `s-${button}`));
        assert.deepStrictEqual(blocked, []);
      } finally {
        await page.close();
      }
    });
  }
});
