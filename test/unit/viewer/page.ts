/**
 * Opens the built webview bundle in Debian's Chromium (playwright-core) inside a test page that
 * stubs the VS Code host. Used by the viewer's Chromium tests and by bench/viewer.bench.ts.
 * No Chromium means a loud failure, never a skip.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { viewerHtml } from '../../../src/response/html';
import type { Browser, Page } from 'playwright-core';

import { CHROMIUM, CHROMIUM_ARGS } from '../../chromium';

export { CHROMIUM, CHROMIUM_ARGS };
const ROOT = path.resolve(__dirname, '../../..');

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: the response viewer's browser tests cannot run. ` +
        'Install it with `apt-get install -y chromium` (as root), or set SAGE200_CHROMIUM.',
    );
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

let built: { dir: string } | undefined;
let server: http.Server | undefined;
let serverUrl: string | undefined;

/**
 * Builds the webview bundle (as `npm run build` does) and the harness, and serves them on
 * 127.0.0.1 with the HTML and CSP that src/response produces. Returns the page URL.
 */
export async function testPageUrl(): Promise<string> {
  if (!built) {
    execFileSync(process.execPath, [path.join(ROOT, 'esbuild.js')], { cwd: ROOT, stdio: 'inherit' });
    const bundle = path.join(ROOT, 'media', 'dist', 'webview.js');
    if (!fs.existsSync(bundle)) throw new Error('esbuild did not produce media/dist/webview.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-viewer-'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    esbuild.buildSync({
      entryPoints: [path.join(__dirname, 'browser', 'harness.ts')],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      outfile: path.join(dir, 'harness.js'),
      logLevel: 'warning',
    });
    fs.copyFileSync(bundle, path.join(dir, 'webview.js'));
    fs.copyFileSync(path.join(ROOT, 'media', 'webview.css'), path.join(dir, 'webview.css'));
    built = { dir };
  }
  if (!serverUrl) {
    const dir = built.dir;
    const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css' };
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/') {
        const origin = `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(viewerHtml({ cspSource: origin, scriptUri: `${origin}/webview.js`, styleUri: `${origin}/webview.css`, preludeUris: [`${origin}/harness.js`] }));
        return;
      }
      const file = path.join(dir, path.basename(url.pathname));
      if (!fs.existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }
  return serverUrl;
}

/** Stops the page server (call in `after`). */
export async function stopTestServer(): Promise<void> {
  const s = server;
  server = undefined;
  serverUrl = undefined;
  if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
}

export async function openViewer(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  // tsx compiles functions passed to page.evaluate with esbuild's keepNames, which calls __name.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.goto(await testPageUrl());
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  return page;
}
