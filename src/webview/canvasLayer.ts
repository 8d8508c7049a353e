/**
 * The canvas the Table tab's cells are painted on, and who paints it: a worker with an
 * OffscreenCanvas where the webview allows one (the page's main thread then only describes each
 * frame), else the page itself, with the same `paintFrame`. One frame is in flight at a time; while
 * the worker paints, only the newest frame waits, so a slow frame never queues a backlog.
 */
import workerSource from 'paint-worker-source';
import { PaintFrame, PaintTheme, paintFrame } from './cellPaint';

export type PaintRequest =
  | { type: 'canvas'; canvas: OffscreenCanvas }
  | { type: 'theme'; theme: PaintTheme }
  | { type: 'frame'; frame: PaintFrame };

export type PaintReply = { type: 'painted'; seq: number };

export class CanvasLayer {
  el: HTMLCanvasElement;
  private worker: Worker | undefined;
  private ctx: CanvasRenderingContext2D | null = null;
  private theme: PaintTheme | undefined;
  private inFlight = false;
  private waiting: PaintFrame | undefined;
  private size = { w: -1, h: -1 };

  /** `painted` runs after each frame is on the canvas (for the first-rows mark). */
  constructor(private readonly painted: (seq: number) => void) {
    this.el = this.newCanvas();
    this.startWorker();
    this.el.dataset.painter = this.mode;
  }

  /** Who paints: for the README's claims and the tests. */
  get mode(): 'worker' | 'page' {
    return this.worker ? 'worker' : 'page';
  }

  private newCanvas(): HTMLCanvasElement {
    const c = document.createElement('canvas');
    c.className = 'grid-canvas';
    c.setAttribute('aria-hidden', 'true');
    return c;
  }

  private startWorker(): void {
    if (typeof Worker !== 'function' || typeof this.el.transferControlToOffscreen !== 'function' || !workerSource) return;
    let worker: Worker;
    let url = '';
    try {
      url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
      worker = new Worker(url);
    } catch {
      // A policy without `worker-src blob:` (or no blob URLs): paint on the page.
      if (url) URL.revokeObjectURL(url);
      return;
    }
    const offscreen = this.el.transferControlToOffscreen();
    worker.postMessage({ type: 'canvas', canvas: offscreen } satisfies PaintRequest, [offscreen]);
    worker.onmessage = (e: MessageEvent<PaintReply>) => this.done(e.data.seq);
    // A worker that fails to start reports here, not at `new Worker`: from then on the page paints,
    // on a fresh canvas (the old one's control went to the worker).
    worker.onerror = () => this.fallBack();
    this.worker = worker;
    URL.revokeObjectURL(url);
  }

  private fallBack(): void {
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = undefined;
    const fresh = this.newCanvas();
    fresh.style.cssText = this.el.style.cssText;
    this.el.replaceWith(fresh);
    this.el = fresh;
    this.el.dataset.painter = 'page';
    this.size = { w: -1, h: -1 };
    this.inFlight = false;
    const f = this.waiting;
    this.waiting = undefined;
    if (f) this.paint(f);
  }

  setTheme(theme: PaintTheme): void {
    this.theme = theme;
    this.worker?.postMessage({ type: 'theme', theme } satisfies PaintRequest);
  }

  paint(frame: PaintFrame): void {
    if (this.size.w !== frame.width || this.size.h !== frame.height) {
      this.size = { w: frame.width, h: frame.height };
      this.el.style.width = `${frame.width}px`;
      this.el.style.height = `${frame.height}px`;
      // The canvas takes no room in the grid's flow: the rows' places come from the virtualizer.
      this.el.style.marginBottom = `${-frame.height}px`;
    }
    if (this.worker) {
      if (this.inFlight) {
        this.waiting = frame;
        return;
      }
      this.inFlight = true;
      this.worker.postMessage({ type: 'frame', frame } satisfies PaintRequest);
      return;
    }
    const w = Math.max(1, Math.round(frame.width * frame.dpr));
    const h = Math.max(1, Math.round(frame.height * frame.dpr));
    if (this.el.width !== w) this.el.width = w;
    if (this.el.height !== h) this.el.height = h;
    this.ctx ??= this.el.getContext('2d', { alpha: false });
    if (this.ctx && this.theme) paintFrame(this.ctx, frame, this.theme);
    this.painted(frame.seq);
  }

  private done(seq: number): void {
    this.inFlight = false;
    this.painted(seq);
    const next = this.waiting;
    this.waiting = undefined;
    if (next) this.paint(next);
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }
}
