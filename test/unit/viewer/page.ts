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
import { viewerHtml } from '../../../src/viewer/html';
import { translateViewerStrings } from '../../../src/core/viewer/strings';
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

/**
 * A stand-in translation: every vowel accented, placeholders kept. Text that a test finds in plain
 * English on a page given these strings did not come from the strings the extension passed.
 */
export function pseudoLocalize(english: string): string {
  const accents: Record<string, string> = { a: 'á', e: 'é', i: 'í', o: 'ó', u: 'ú', A: 'Á', E: 'É', I: 'Í', O: 'Ó', U: 'Ú' };
  return english.replace(/[aeiouAEIOU]/g, (c) => accents[c]);
}

export const PSEUDO_STRINGS = translateViewerStrings(pseudoLocalize);

let built: { dir: string } | undefined;
let server: http.Server | undefined;
let serverUrl: string | undefined;

/**
 * Builds the webview bundle (as `npm run build` does) and the harness, and serves them on
 * 127.0.0.1 with the HTML and CSP that src/viewer produces. Returns the page URL.
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
        // `?pseudo`: the page gets the pseudo-translated strings, as a translated extension would pass them.
        const strings = url.searchParams.has('pseudo') ? PSEUDO_STRINGS : undefined;
        res.end(viewerHtml({ cspSource: origin, scriptUri: `${origin}/webview.js`, styleUri: `${origin}/webview.css`, preludeUris: [`${origin}/harness.js`], strings }));
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

/**
 * `initScript` runs in the page before anything else (e.g. to take away an API the viewer uses);
 * `pseudo` serves the page with PSEUDO_STRINGS instead of English.
 */
export async function openViewer(browser: Browser, viewport = { width: 1280, height: 800 }, initScript?: string, pseudo = false): Promise<Page> {
  const page = await browser.newPage({ viewport });
  // tsx compiles functions passed to page.evaluate with esbuild's keepNames, which calls __name.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  if (initScript) await page.addInitScript({ content: initScript });
  await page.goto(`${await testPageUrl()}${pseudo ? '?pseudo' : ''}`);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  return page;
}

export interface PaintedCell {
  /** Visible-column index (the header cell's `data-c`). */
  c: number;
  text: string;
  /** src/viewer/webview/table/cellPaint.ts: KIND_* in bits 0-3, CELL_CLIP, CELL_SELECTED. */
  flags: number;
  /** Left edge and width in CSS pixels, relative to the canvas. */
  x: number;
  w: number;
}
export interface PaintedRow {
  /** View row index (0 = the first record in view order). */
  r: number;
  /** Top in CSS pixels, relative to the canvas. */
  y: number;
  cells: PaintedCell[];
}

/**
 * What the grid's canvas shows: the last frame the page described to its paint worker, once the
 * worker reported it painted (harness.ts keeps both). Rows and columns are mapped back to view rows
 * and the header's columns by their places.
 */
export async function paintedGrid(page: Page): Promise<{ painter: string; rows: PaintedRow[]; canvasTop: number; canvasLeft: number }> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForFunction(() => {
    const w = window as unknown as { __frame?: { seq: number }; __paintedSeq: number };
    return !!w.__frame && w.__paintedSeq >= w.__frame.seq;
  });
  return page.evaluate(() => {
    const w = window as unknown as { __frame: { rows: Float64Array; cols: Float64Array; texts: string[]; flags: Uint8Array } };
    const f = w.__frame;
    const grid = document.querySelector('.grid-scroll') as HTMLElement;
    const canvas = document.querySelector('.grid-canvas') as HTMLElement;
    const starts = new Map<number, number>();
    for (const h of document.querySelectorAll<HTMLElement>('.grid-hcell')) starts.set(parseFloat(h.style.left), Number(h.dataset.c));
    const nc = f.cols.length / 2;
    const cols = Array.from({ length: nc }, (_, c) => ({ x: f.cols[c * 2], w: f.cols[c * 2 + 1], c: starts.get(f.cols[c * 2] + grid.scrollLeft + 64) ?? -1 }));
    const rows = Array.from({ length: f.rows.length / 2 }, (_, r) => ({
      r: Math.round((f.rows[r * 2] + grid.scrollTop) / 22),
      y: f.rows[r * 2],
      cells: cols.map((col, c) => ({ c: col.c, text: f.texts[r * nc + c], flags: f.flags[r * nc + c], x: col.x, w: col.w })),
    }));
    const rc = canvas.getBoundingClientRect();
    return { painter: canvas.dataset.painter ?? '', rows, canvasTop: rc.top, canvasLeft: rc.left };
  });
}
