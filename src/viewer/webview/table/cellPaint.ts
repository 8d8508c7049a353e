/**
 * Paints the Table tab's cells on a 2D canvas. The same function runs in the paint worker (on an
 * OffscreenCanvas) and, where workers or OffscreenCanvas are unavailable, on the page's own canvas.
 * It knows nothing of records or the DOM: the table sends it, per frame, what each visible cell
 * shows (text, kind, where), so drawing is the only work left off the main thread.
 */

/** What a cell's text is, for its colour and alignment (bits 0-3 of a cell's flags). */
export const KIND_STRING = 0;
export const KIND_NUMBER = 1;
export const KIND_BOOLEAN = 2;
export const KIND_NULL = 3;
export const KIND_NESTED = 4;
/** Cell flag: the text may not fit its cell, so it is measured and cut with an ellipsis. */
export const CELL_CLIP = 16;
/** Cell flag: the cell is in the selected range (painted with the selection background). */
export const CELL_SELECTED = 32;
/** Row flags. */
export const ROW_ODD = 1;
export const ROW_HOVER = 2;

/** One frame: the visible rows × the visible columns, all in CSS pixels relative to the canvas. */
export interface PaintFrame {
  readonly seq: number;
  /** CSS size of the canvas and the device pixel ratio (the backing store is size × dpr). */
  readonly width: number;
  readonly height: number;
  readonly dpr: number;
  readonly rowH: number;
  /** Per row: top y, flags. */
  readonly rows: Float64Array;
  /** Per column: left x, width. */
  readonly cols: Float64Array;
  /** Row-major, rows × columns. */
  readonly texts: readonly string[];
  readonly flags: Uint8Array;
}

export interface PaintTheme {
  readonly font: string;
  readonly italicFont: string;
  readonly bg: string;
  readonly fg: string;
  readonly odd: string;
  readonly hover: string;
  /** The background of selected cells. */
  readonly selected: string;
  readonly border: string;
  readonly number: string;
  readonly boolean: string;
  readonly nullFg: string;
  readonly nestedBg: string;
  readonly nestedFg: string;
}

/** Horizontal padding inside a cell (media/webview.css, `.grid-cell`). */
const PAD_X = 8;

/** Texts as shown at a width (whole or cut), so that a value costs its measuring once, not once a frame. */
const cuts = new Map<string, string>();

/** `text` cut to fit `max` CSS pixels, ending in an ellipsis; measured with the context's font. */
function cut(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, text: string, max: number): string {
  const key = `${max}\u0000${ctx.font}\u0000${text}`;
  const hit = cuts.get(key);
  if (hit !== undefined) return hit;
  if (cuts.size > 4000) cuts.clear();
  if (ctx.measureText(text).width <= max) {
    cuts.set(key, text);
    return text;
  }
  // The longest prefix that fits with the ellipsis, by bisection over UTF-16 units (a cut inside a
  // surrogate pair draws a replacement mark, which is what the DOM showed for such text too).
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(text.slice(0, mid) + '…').width <= max) lo = mid;
    else hi = mid - 1;
  }
  const out = text.slice(0, lo) + '…';
  cuts.set(key, out);
  return out;
}

/** Paints frame `f` on the context's canvas, sizing its backing store to the frame first. */
export function paintFrame(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, f: PaintFrame, t: PaintTheme): void {
  const { width, height, rowH, rows, cols, texts, flags } = f;
  const w = Math.max(1, Math.round(width * f.dpr));
  const h = Math.max(1, Math.round(height * f.dpr));
  // Only when it changes: setting either resets the canvas.
  if (ctx.canvas.width !== w) ctx.canvas.width = w;
  if (ctx.canvas.height !== h) ctx.canvas.height = h;
  ctx.setTransform(f.dpr, 0, 0, f.dpr, 0, 0);
  ctx.fillStyle = t.bg;
  ctx.fillRect(0, 0, width, height);
  const nRows = rows.length / 2;
  const nCols = cols.length / 2;
  for (let r = 0; r < nRows; r++) {
    const rf = rows[r * 2 + 1];
    if (rf & (ROW_HOVER | ROW_ODD)) {
      ctx.fillStyle = rf & ROW_HOVER ? t.hover : t.odd;
      ctx.fillRect(0, rows[r * 2], width, rowH);
    }
  }
  // Column borders: one line per column for all the rows.
  if (nRows > 0) {
    const top = Math.max(0, rows[0]);
    const bottom = Math.min(height, rows[(nRows - 1) * 2] + rowH);
    ctx.fillStyle = t.border;
    for (let c = 0; c < nCols; c++) ctx.fillRect(cols[c * 2] + cols[c * 2 + 1] - 1, top, 1, bottom - top);
  }
  ctx.textBaseline = 'middle';
  let font = '';
  let color = '';
  for (let r = 0; r < nRows; r++) {
    const y = rows[r * 2];
    const mid = y + rowH / 2;
    for (let c = 0; c < nCols; c++) {
      const k = r * nCols + c;
      const text = texts[k];
      const fl = flags[k];
      if (fl & CELL_SELECTED) {
        ctx.fillStyle = t.selected;
        ctx.fillRect(cols[c * 2], y, cols[c * 2 + 1] - 1, rowH);
        color = '';
      }
      if (!text) continue;
      const kind = fl & 15;
      const x = cols[c * 2];
      const w = cols[c * 2 + 1];
      const wantFont = kind === KIND_NULL ? t.italicFont : t.font;
      if (wantFont !== font) ctx.font = font = wantFont;
      const inner = w - 2 * PAD_X - 1;
      if (inner <= 0) continue;
      const shown = fl & CELL_CLIP ? cut(ctx, text, inner) : text;
      if (kind === KIND_NESTED) {
        const tw = Math.min(inner, ctx.measureText(shown).width + 8);
        ctx.fillStyle = t.nestedBg;
        ctx.fillRect(x + PAD_X - 4, y + 3, tw, rowH - 6);
        ctx.fillStyle = color = t.nestedFg;
        ctx.textAlign = 'left';
        ctx.fillText(shown, x + PAD_X, mid);
        continue;
      }
      const want = kind === KIND_NUMBER ? t.number : kind === KIND_BOOLEAN ? t.boolean : kind === KIND_NULL ? t.nullFg : t.fg;
      if (want !== color) ctx.fillStyle = color = want;
      if (kind === KIND_NUMBER) {
        ctx.textAlign = 'right';
        ctx.fillText(shown, x + w - 1 - PAD_X, mid);
      } else {
        ctx.textAlign = 'left';
        ctx.fillText(shown, x + PAD_X, mid);
      }
    }
  }
}
