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
let canvas: OffscreenCanvas | undefined;
let ctx: OffscreenCanvasRenderingContext2D | null = null;
let theme: PaintTheme | undefined;

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'canvas') {
    canvas = m.canvas;
    ctx = canvas.getContext('2d', { alpha: false });
    return;
  }
  if (m.type === 'theme') {
    theme = m.theme;
    return;
  }
  const f: PaintFrame = m.frame;
  if (canvas && ctx && theme) {
    const w = Math.max(1, Math.round(f.width * f.dpr));
    const h = Math.max(1, Math.round(f.height * f.dpr));
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    paintFrame(ctx, f, theme);
  }
  scope.postMessage({ type: 'painted', seq: f.seq });
};
