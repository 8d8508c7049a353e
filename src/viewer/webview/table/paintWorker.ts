/**
 * The paint worker: draws the Table tab's cells on the OffscreenCanvas the page hands it, so that
 * scrolling costs the page's main thread only the choice of what each visible cell shows. Built
 * into the webview bundle as a string (esbuild.js) and started from a blob URL: a webview may not
 * start a worker from its resource origin.
 */
import { PaintFrame, PaintTheme, paintFrame } from './cellPaint';
import type { PaintReply, PaintRequest } from './canvasLayer';

interface WorkerScope {
  onmessage: ((e: MessageEvent<PaintRequest>) => void) | null;
  postMessage(m: PaintReply): void;
}

const scope = self as unknown as WorkerScope;
let ctx: OffscreenCanvasRenderingContext2D | null = null;
let theme: PaintTheme | undefined;

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'canvas') {
    ctx = m.canvas.getContext('2d', { alpha: false });
    return;
  }
  if (m.type === 'theme') {
    theme = m.theme;
    return;
  }
  const f: PaintFrame = m.frame;
  if (ctx && theme) paintFrame(ctx, f, theme);
  scope.postMessage({ type: 'painted', seq: f.seq });
};
