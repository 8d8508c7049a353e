/**
 * The response viewer in headless Chromium (Debian's, via playwright-core), on the built webview
 * bundle, fed exactly as the extension feeds it (a `response` message, then text chunks, each
 * posted after the previous one was delivered).
 *
 * Data: sandbox customers (GET /customers?$top=5000 from a sandbox at scale 5: the real customer
 * schema, ~100 fields a record); the 50,000-record body is ten copies with fresh ids.
 *
 * Figures:
 *   viewer.5k.firstRowsMs, viewer.50k.firstRowsMs  from the first message to the frame with rows
 *   viewer.50k.firstRowsRatio                      first rows ÷ JSON.parse of the same body, same page
 *   viewer.scroll.p95FrameMs                       p95 of the time per frame while scrolling the 50k
 *                                                  grid, on whichever thread is slower: the renderer
 *                                                  main thread (trace: scroll, render, style, layout,
 *                                                  paint, commit) or the worker that paints the cells
 *                                                  (each frame's message task); both are also given
 *   viewer.50k.heapMb                              peak JS heap the viewer adds while loading 50k
 *                                                  (page heap minus the harness's copy of the body)
 */
import * as os from 'os';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { Benchmark, median, percentile, round } from './harness';
import { launchChromium, openViewer, stopTestServer } from '../test/unit/viewer/page';
import { startSandbox } from '../src/core/sandbox';
import type { ResponseMeta } from '../src/core/viewer/messages';

interface BenchWindow {
  __body: string;
  __records: unknown[];
  __show(meta: ResponseMeta, body: string): Promise<number>;
  gc?: () => void;
}

async function sandboxCustomers(): Promise<string> {
  const sandbox = await startSandbox({ scale: 5, seed: 200 });
  try {
    const token = sandbox.mintToken().access_token;
    const auth = { Authorization: `Bearer ${token}` };
    const sites = (await (await fetch(`${sandbox.standardBaseUrl}/sites`, { headers: auth })).json()) as { site_id: string; company_id: number }[];
    const res = await fetch(`${sandbox.standardBaseUrl}/customers?$top=5000&$orderby=id%20asc`, {
      headers: { ...auth, 'X-Site': sites[0].site_id, 'X-Company': String(sites[0].company_id) },
    });
    if (res.status !== 200) throw new Error(`sandbox answered ${res.status}`);
    return await res.text();
  } finally {
    await sandbox.close();
  }
}

function meta(id: string, size: number, top: number): ResponseMeta {
  const url = `http://127.0.0.1/uk/sage200/accounts/v1/customers?$top=${top}`;
  return {
    id,
    method: 'GET',
    url,
    status: 200,
    statusText: 'OK',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    size,
    timing: { firstByteMs: 120, totalMs: 900 },
    request: { method: 'GET', url, headers: { Authorization: 'Bearer [redacted]' } },
    paging: { skip: 0, top, canPrevious: false, canNext: true, canLoadAll: true },
  };
}

/** Puts the 5k body into the page and, for 50k, builds ten copies with fresh ids (setup, not measured). */
async function prepareBody(page: Page, body5k: string, copies: number): Promise<{ chars: number; parseMs: number }> {
  await page.evaluate(
    ([text, copies]) => {
      const w = window as unknown as BenchWindow;
      if (copies === 1) {
        w.__body = text;
        return;
      }
      const base = JSON.parse(text) as Record<string, unknown>[];
      const parts: string[] = [];
      for (let c = 0; c < copies; c++) {
        for (const r of base) parts.push(JSON.stringify({ ...r, id: (r.id as number) + c * 1_000_000, reference: `${String(r.reference)}-${c}` }));
      }
      w.__body = '[' + parts.join(',') + ']';
    },
    [body5k, copies] as const,
  );
  // JSON.parse alone of the same body, in the same page: the best of three, so the figure is fair to it.
  const parseMs = await page.evaluate(() => {
    const w = window as unknown as BenchWindow;
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      w.gc?.();
      const t0 = performance.now();
      const v = JSON.parse(w.__body) as unknown[];
      times.push(performance.now() - t0);
      if (!Array.isArray(v)) throw new Error('not an array');
    }
    w.gc?.();
    return Math.min(...times);
  });
  const chars = await page.evaluate(() => (window as unknown as BenchWindow).__body.length);
  return { chars, parseMs };
}

async function heapUsed(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
}

/** Shows the page's body and waits for the first rows; returns ms from the first message to them. */
async function firstRows(page: Page, id: string, top: number, cdp?: CDPSession): Promise<{ ms: number; peakHeap: number }> {
  let peak = 0;
  let sampling = !!cdp;
  const sampler = (async () => {
    while (sampling && cdp) {
      peak = Math.max(peak, await heapUsed(cdp));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  await page.evaluate(
    ([m]) => {
      const w = window as unknown as BenchWindow;
      void w.__show(m, w.__body);
    },
    [meta(id, 0, top)] as const,
  );
  await page.waitForFunction(() => performance.getEntriesByName('sage200.firstRows').length > 0, undefined, { timeout: 120_000 });
  const ms = await page.evaluate(() => performance.getEntriesByName('sage200.firstRows')[0].startTime - performance.getEntriesByName('sage200.show')[0].startTime);
  await page.waitForFunction(() => document.body.dataset.state === 'complete', undefined, { timeout: 300_000, polling: 200 });
  sampling = false;
  await sampler;
  if (cdp) peak = Math.max(peak, await heapUsed(cdp));
  return { ms, peakHeap: peak };
}

/** Scrolls the grid one step per animation frame: mostly down (9 rows), sometimes sideways. */
async function scroll(page: Page, frames: number): Promise<void> {
  await page.evaluate(async (frames) => {
    const grid = document.querySelector('.grid-scroll') as HTMLElement;
    if (!grid) throw new Error('no grid');
    for (let i = 0; i < frames; i++) {
      await new Promise<void>((r) =>
        requestAnimationFrame(() => {
          if (i % 25 === 24) grid.scrollLeft += 700;
          else grid.scrollTop += 22 * 9;
          r();
        }),
      );
    }
    await new Promise((r) => requestAnimationFrame(r));
  }, frames);
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time: excludes time the thread waited for a core. */
  tdur?: number;
  tid: number;
  pid: number;
  args?: { name?: string };
}

/**
 * The main-thread time of each frame while scrolling, from a Chromium trace: every renderer
 * main-thread task that ran animation-frame callbacks, layout or paint (scroll handling, the
 * viewer's render, style, layout, paint and commit). Raster runs on other threads.
 */
async function frameTimes(browser: Browser, page: Page, frames: number): Promise<{ wall: number[]; cpu: number[]; paint: number[]; paintCpu: number[] }> {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'] });
  await scroll(page, frames);
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
  const events = trace.traceEvents;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) throw new Error('no renderer main thread in the trace');
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined);
  const frameWork = onMain.filter((e) => e.name === 'FireAnimationFrame' || e.name === 'Paint' || e.name === 'Layout');
  const tasks = onMain.filter((e) => e.name === 'RunTask');
  const out: number[] = [];
  const cpu: number[] = [];
  for (const task of tasks) {
    const end = task.ts + (task.dur ?? 0);
    if (frameWork.some((w) => w.ts >= task.ts && w.ts < end)) {
      out.push((task.dur ?? 0) / 1000);
      cpu.push((task.tdur ?? task.dur ?? 0) / 1000);
    }
  }
  if (process.env.VIEWER_BENCH_DEBUG) {
    const agg = new Map<string, number>();
    for (const e of onMain) if (e.name !== 'RunTask') agg.set(e.name, (agg.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
    process.stdout.write(`\n  main-thread time by event: ${[...agg].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}; frames ${out.length}\n`);
  }
  if (out.length < frames / 2) throw new Error(`only ${out.length} frames found in the trace for ${frames} scroll steps`);
  // The paint worker's frames: its tasks that handled a message from the page (one per frame).
  const paint: number[] = [];
  const paintCpu: number[] = [];
  for (const w of events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === main.pid && e.args?.name === 'DedicatedWorker thread')) {
    const onWorker = events.filter((e) => e.pid === w.pid && e.tid === w.tid && e.ph === 'X' && e.dur !== undefined);
    const messages = onWorker.filter((e) => e.name === 'HandlePostMessage');
    for (const task of onWorker.filter((e) => e.name === 'RunTask')) {
      const end = task.ts + (task.dur ?? 0);
      if (messages.some((m) => m.ts >= task.ts && m.ts < end)) {
        paint.push((task.dur ?? 0) / 1000);
        paintCpu.push((task.tdur ?? task.dur ?? 0) / 1000);
      }
    }
  }
  return { wall: out, cpu, paint, paintCpu };
}

export const viewer: Benchmark = {
  figures: ['viewer.5k.firstRowsMs', 'viewer.50k.firstRowsMs', 'viewer.50k.firstRowsRatio', 'viewer.scroll.p95FrameMs', 'viewer.50k.heapMb'],
  async run() {
    const body5k = await sandboxCustomers();
    let browser: Browser | undefined;
    try {
      browser = await launchChromium(['--js-flags=--expose-gc']);
      // 5,000 records: median of three fresh pages.
      const runs5k: number[] = [];
      let chars5k = 0;
      for (let i = 0; i < 3; i++) {
        const page = await openViewer(browser);
        chars5k = (await prepareBody(page, body5k, 1)).chars;
        runs5k.push((await firstRows(page, `b5k-${i}`, 5000)).ms);
        await page.close();
      }
      // 50,000 records: one page, with heap sampling, then scrolling.
      const page = await openViewer(browser);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const { chars: chars50k, parseMs } = await prepareBody(page, body5k, 10);
      await page.evaluate(() => (window as unknown as BenchWindow).gc?.());
      const before = await heapUsed(cdp);
      const r50 = await firstRows(page, 'b50k', 50000, cdp);
      const count = await page.locator('.resp-header .count').innerText();
      if (!/^50,000 records$/.test(count)) throw new Error(`the viewer shows "${count}", not 50,000 records`);
      await scroll(page, 30); // warm-up
      const painter = await page.evaluate(() => (document.querySelector('.grid-canvas') as HTMLElement | null)?.dataset.painter ?? 'none');
      const { wall: frames, cpu, paint, paintCpu } = await frameTimes(browser, page, 300);
      if (painter === 'worker' && paint.length < 100) throw new Error(`the cells are painted by a worker, but only ${paint.length} of its frames were found in the trace`);
      const mainP95 = percentile(frames, 95);
      const paintP95 = paint.length ? percentile(paint, 95) : 0;
      const load = os.loadavg()[0];
      await page.close();
      process.stdout.write(
        `\n  bodies: 5k ${(chars5k / 1e6).toFixed(1)} MB, 50k ${(chars50k / 1e6).toFixed(1)} MB; JSON.parse(50k) ${parseMs.toFixed(0)} ms; ` +
          `frames measured ${frames.length}, max ${Math.max(...frames).toFixed(1)} ms; cells painted by: ${painter} (${paint.length} paint frames); ` +
          `load average ${load.toFixed(1)} on ${os.cpus().length} cores\n`,
      );
      return {
        'viewer.5k.firstRowsMs': round(median(runs5k), 1),
        'viewer.50k.firstRowsMs': round(r50.ms, 1),
        'viewer.50k.firstRowsRatio': round(r50.ms / parseMs, 3),
        'viewer.50k.parseMs': round(parseMs, 1),
        'viewer.scroll.p95FrameMs': round(Math.max(mainP95, paintP95), 2),
        'viewer.scroll.p95MainFrameMs': round(mainP95, 2),
        'viewer.scroll.p95FrameCpuMs': round(percentile(cpu, 95), 2),
        'viewer.scroll.p95PaintFrameMs': round(paintP95, 2),
        'viewer.scroll.p95PaintFrameCpuMs': round(paintCpu.length ? percentile(paintCpu, 95) : 0, 2),
        'viewer.scroll.p50FrameMs': round(percentile(frames, 50), 2),
        'viewer.50k.heapMb': round((r50.peakHeap - before) / 1024 / 1024, 1),
      };
    } finally {
      await browser?.close();
      await stopTestServer();
    }
  },
};
