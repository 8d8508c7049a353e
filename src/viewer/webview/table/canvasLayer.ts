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
  /** The frame the worker is painting, if any, and the newest one waiting behind it. */
  private inFlight: PaintFrame | undefined;
  private waiting: PaintFrame | undefined;
  private size = { w: -1, h: -1 };

  /** `painted` runs after each frame is on the canvas (for the first-rows mark). */
  constructor(private readonly painted: (seq: number) => void) {
    this.el = this.newCanvas();
    this.startWorker();
    // Who paints, for the bench and the tests.
    this.el.dataset.painter = this.worker ? 'worker' : 'page';
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
    // The frame the worker never painted, or a newer one, goes on the page's canvas.
    const f = this.waiting ?? this.inFlight;
    this.inFlight = undefined;
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
      // The canvas takes no room in the grid's flow (it is sticky, over the rows' places).
      this.el.style.marginBottom = `${-frame.height}px`;
    }
    if (this.worker) {
      if (this.inFlight) {
        this.waiting = frame;
        return;
      }
      this.inFlight = frame;
      this.worker.postMessage({ type: 'frame', frame } satisfies PaintRequest);
      return;
    }
    this.ctx ??= this.el.getContext('2d', { alpha: false });
    if (this.ctx && this.theme) paintFrame(this.ctx, frame, this.theme);
    this.painted(frame.seq);
  }

  private done(seq: number): void {
    this.inFlight = undefined;
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
