/**
 * Reading the response viewer webview (src/viewer/webview): it is nested iframes, so the harness finds
 * the frame holding the viewer's header and reads what a person sees there.
 */
import type { Frame } from 'playwright-core';
import { sleep, waitFor } from './processes';
import type { Workbench } from './workbench';

export interface ViewerFacts {
  method: string;
  status: string;
  time: string;
  /** The phases beside the time, e.g. "Wait 12 ms · Download 3 ms". */
  breakdown: string;
  count?: string;
  url: string;
  banner?: string;
}

export class Viewer {
  private constructor(
    private frameRef: Frame,
    private readonly wb: Workbench,
  ) {}

  /** The viewer's frame; a panel that was re-created (new title, pinned) has a new one. */
  private async frame(): Promise<Frame> {
    // Always the frame on screen now: a re-sent request may have replaced the webview's frame
    // while the old one lingers, hidden but not detached.
    this.frameRef = await this.wb.webviewFrame('.facts .status', 20_000);
    return this.frameRef;
  }

  /** Waits for the viewer to show a response whose URL contains `urlPart` (if given). */
  static async wait(wb: Workbench, urlPart?: string, timeoutMs = 60_000): Promise<Viewer> {
    const deadline = Date.now() + timeoutMs;
    const frame = await wb.webviewFrame('.facts .status', timeoutMs);
    const viewer = new Viewer(frame, wb);
    if (urlPart) {
      await waitFor(
        `the viewer to show ${urlPart}`,
        async () => {
          // The webview may be re-created (a new frame) for a new panel: find it again if detached.
          const frame = await viewer.frame();
          const url = await frame.locator('.req-line .url').first().innerText().catch(() => '');
          return decodeURIComponent(url).includes(urlPart) ? true : undefined;
        },
        Math.max(1000, deadline - Date.now()),
        300,
      );
    }
    return viewer;
  }

  async facts(): Promise<ViewerFacts> {
    const f = await this.frame();
    const text = async (sel: string) => (await f.locator(sel).first().innerText().catch(() => '')).trim();
    const banner = (await f.locator('.error-banner').isVisible().catch(() => false)) ? await text('.error-banner') : undefined;
    const facts = await f.locator('.facts .fact').allInnerTexts();
    return {
      method: await text('.req-line .method'),
      status: await text('.facts .status'),
      time: facts.find((x) => x.startsWith('Time')) ?? '',
      breakdown: (await f.locator('.facts .fact.dim').allInnerTexts()).find((x) => / \d+(\.\d+)? m?s\b/.test(x)) ?? '',
      count: (await f.locator('.facts .count').count()) ? await text('.facts .count') : undefined,
      url: decodeURIComponent(await text('.req-line .url')),
      banner,
    };
  }

  /**
   * The table's first rows as cell texts (up to 20 rows and 12 columns), read the way assistive
   * technology reads the grid: its cells are painted on a canvas, and the focused cell is a real
   * gridcell. A click focuses the first cell; arrow keys (the grid's own key handling) move it.
   */
  async rows(): Promise<string[][]> {
    await this.selectTab(/^Table$/);
    const f = await this.frame();
    const grid = f.locator('.grid-scroll[aria-label="Records"]');
    await grid.waitFor({ state: 'visible', timeout: 20_000 });
    await waitFor('table rows', async () => (Number(await grid.getAttribute('aria-rowcount')) > 1 ? true : undefined), 20_000);
    const canvas = f.locator('.grid-canvas');
    this.painter = (await canvas.getAttribute('data-painter')) ?? '';
    await canvas.click({ position: { x: 12, y: 11 } });
    await waitFor('the first cell focused', async () => ((await f.locator('.grid-proxy-row[aria-rowindex="2"] .grid-proxy[aria-colindex="2"]:focus').count()) ? true : undefined), 10_000);
    // Plain JavaScript, not a compiled function: tsx would wrap the inner functions in a helper
    // (`__name`) that the webview's frame does not have.
    return (await f.evaluate(READ_ROWS)) as string[][];
  }

  /** Who painted the table's cells when `rows` last read it: 'worker' or 'page'. */
  painter = '';

  /** Every column's label, left to right: the header draws only the columns in view, so scroll across it. */
  async columns(): Promise<string[]> {
    await this.selectTab(/^Table$/);
    const f = await this.frame();
    const scroller = f.locator('.grid-scroll[aria-label="Records"]');
    await scroller.waitFor({ state: 'visible', timeout: 20_000 });
    const seen: string[] = [];
    const collect = async (): Promise<void> => {
      for (const label of (await f.locator('.grid-header .hlabel').allInnerTexts()).map((t) => t.trim())) if (!seen.includes(label)) seen.push(label);
    };
    const { width, scrollWidth } = await scroller.evaluate((el) => ({ width: el.clientWidth, scrollWidth: el.scrollWidth }));
    for (let left = 0; ; left += Math.max(50, width / 2)) {
      await scroller.evaluate((el, x) => { el.scrollLeft = x; }, left);
      await sleep(150);
      await collect();
      if (left + width >= scrollWidth) break;
    }
    await scroller.evaluate((el) => { el.scrollLeft = 0; });
    return seen;
  }

  async clickButton(label: RegExp | string): Promise<void> {
    await (await this.frame()).locator('button').filter({ hasText: label }).first().click();
  }

  async selectTab(label: RegExp | string): Promise<void> {
    await (await this.frame()).locator('[role="tab"]').filter({ hasText: label }).first().click();
  }
}

/** Reads the grid's first rows cell by cell, moving its focus with its own key handling (see `rows`). */
const READ_ROWS = `(() => {
  const g = document.querySelector('.grid-scroll[aria-label="Records"]');
  const rowCount = Math.min(20, Number(g.getAttribute('aria-rowcount')) - 1);
  const colCount = Math.min(12, Number(g.getAttribute('aria-colcount')) - 1);
  const key = (k) => document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  const out = [];
  for (let r = 0; r < rowCount; r++) {
    const cells = [];
    for (let c = 0; c < colCount; c++) {
      cells.push((document.activeElement.textContent || '').trim());
      key('ArrowRight');
    }
    out.push(cells);
    key('Home');
    key('ArrowDown');
  }
  return out;
})()`;
