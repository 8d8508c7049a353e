/**
 * Painting: what each visible cell shows (text and kind), described per frame to the canvas
 * (canvasLayer.ts, painted by a worker where the webview allows one), the row numbers beside the
 * rows, and the full value of a cell that does not show all of it.
 */
import { TableColumn, cellText, columnValue, kindOf } from '../../../core/viewer/columns';
import { el } from '../dom';
import { S } from '../strings';
import { CanvasLayer } from './canvasLayer';
import { CELL_CLIP, CELL_SELECTED, KIND_BOOLEAN, KIND_NESTED, KIND_NULL, KIND_NUMBER, KIND_STRING, PaintTheme, ROW_HOVER, ROW_ODD } from './cellPaint';
import { HEADER_H, ROWNUM_W, ROW_H, Span } from './geometry';
import { CELL_INSET_X, CellTheme } from './theme';

/** Lines in a block of row numbers (see `RowNumbers`). */
const NUM_BLOCK = 64;

/** What a cell shows: its text (a nested value as a count) and its kind, as the painter codes it. */
export function cellContent(record: unknown, column: TableColumn): { text: string; kind: number } {
  const v = columnValue(record, column.key);
  const kind = kindOf(v);
  if (kind === 'array') return { text: `[…] ${(v as unknown[]).length}`, kind: KIND_NESTED };
  if (kind === 'object') return { text: `{…} ${Object.keys(v as object).length}`, kind: KIND_NESTED };
  return { text: cellText(v, 300), kind: kind === 'number' ? KIND_NUMBER : kind === 'boolean' ? KIND_BOOLEAN : kind === 'null' ? KIND_NULL : KIND_STRING };
}

/** What the painter reads of the table. */
export interface PaintSource {
  recordAt(row: number): unknown;
  column(i: number): TableColumn | undefined;
  widthOf(i: number): number;
  /** Whether a cell is in the selected range. */
  isSelected(row: number, col: number): boolean;
}

export class CellPainter {
  readonly canvas: CanvasLayer;
  private hoverRow = -1;
  private frameSeq = 0;
  /** The first frame with rows: when it is painted, `firstRows` runs once. */
  private firstSeq = -1;
  private firstDone = false;

  constructor(
    private readonly source: PaintSource,
    private readonly theme: CellTheme,
    private readonly firstRows: () => void,
  ) {
    this.canvas = new CanvasLayer((seq) => this.framePainted(seq));
  }

  setTheme(theme: PaintTheme): void {
    this.canvas.setTheme(theme);
  }

  /** Sets the row under the pointer; true when it changed (a frame is due). */
  setHover(row: number): boolean {
    if (row === this.hoverRow) return false;
    this.hoverRow = row;
    return true;
  }

  /**
   * Describes the visible cells to the canvas: per row its place and stripe, per column its place,
   * per cell its text, kind and selection. Only text that may not fit is marked to be measured and cut.
   */
  paint(rows: Span[], cols: Span[], width: number, height: number, left: number, top: number): void {
    const nr = cols.length ? rows.length : 0;
    const nc = cols.length;
    const rowData = new Float64Array(nr * 2);
    const colData = new Float64Array(nc * 2);
    const texts: string[] = new Array<string>(nr * nc);
    const flags = new Uint8Array(nr * nc);
    for (let c = 0; c < nc; c++) {
      colData[c * 2] = cols[c].start - left - ROWNUM_W;
      colData[c * 2 + 1] = cols[c].size;
    }
    for (let r = 0; r < nr; r++) {
      const row = rows[r];
      rowData[r * 2] = row.start - top - HEADER_H;
      rowData[r * 2 + 1] = (row.index % 2 ? ROW_ODD : 0) | (row.index === this.hoverRow ? ROW_HOVER : 0);
      const record = this.source.recordAt(row.index);
      for (let c = 0; c < nc; c++) {
        const k = r * nc + c;
        const column = this.source.column(cols[c].index);
        if (!column) continue;
        const cell = cellContent(record, column);
        texts[k] = cell.text;
        flags[k] =
          cell.kind |
          (cell.kind === KIND_NESTED || !this.theme.fits(cell.text, cols[c].size) ? CELL_CLIP : 0) |
          (this.source.isSelected(row.index, cols[c].index) ? CELL_SELECTED : 0);
      }
    }
    const seq = ++this.frameSeq;
    if (this.firstSeq < 0 && nr > 0 && nc > 0) this.firstSeq = seq;
    this.canvas.paint({ seq, width, height, dpr: window.devicePixelRatio || 1, rowH: ROW_H, rows: rowData, cols: colData, texts, flags });
  }

  /**
   * A cell's full value, when the cell does not show all of it: cut to its width, a compact date,
   * or a nested value (as JSON, the start of it). Empty when the cell shows the value whole.
   */
  titleFor(row: number, col: number): string {
    const c = this.source.column(col);
    if (!c) return '';
    const record = this.source.recordAt(row);
    const v = columnValue(record, c.key);
    const kind = kindOf(v);
    const cap = (t: string, n: number) => (t.length > n ? t.slice(0, n) + '…' : t);
    if (kind === 'object' || kind === 'array') return `${cap(JSON.stringify(v), 500)}\n${S.clickToOpen}`;
    if (kind === 'null') return '';
    const full = String(v);
    const { text } = cellContent(record, c);
    if (text === full && this.theme.textWidth(text) <= this.source.widthOf(col) - CELL_INSET_X - 1) return '';
    return cap(full, 2000);
  }

  dispose(): void {
    this.canvas.dispose();
  }

  private framePainted(seq: number): void {
    if (this.firstDone || this.firstSeq < 0 || seq < this.firstSeq) return;
    this.firstDone = true;
    this.firstRows();
  }
}

/** A block of row numbers: view rows [index × NUM_BLOCK, + lines), one a line. */
interface NumBlock {
  el: HTMLElement;
  text: Text;
  /** The generation it was written for. */
  gen: number;
  lines: number;
  top: number;
}

/** How many of block `b`'s rows exist when the view has `count` rows. */
function blockLines(b: number, count: number): number {
  return Math.max(0, Math.min(NUM_BLOCK, count - b * NUM_BLOCK));
}

/**
 * The row numbers, in the sticky column, as fixed blocks of NUM_BLOCK lines of one text node
 * each, placed at the block's own rows: the blocks that cover the rendered rows are shown, and
 * a block is written only when it comes into range (about every seventh frame of a fast scroll),
 * not on every scroll step. Rewriting and moving one block of the rendered rows' numbers on
 * every step cost that column a layout, a repaint and a raster of its tiles in every frame.
 * A positioned box per row would be a paint layer each; a few large blocks are a few layers.
 */
export class RowNumbers {
  readonly el = el('div', { class: 'grid-rownums', attrs: { 'aria-hidden': 'true' } });
  private blocks = new Map<number, NumBlock>();
  /** Bumped whenever the rows are rebuilt (new data, sort, filter): every block is rewritten. */
  private gen = 0;

  invalidate(): void {
    this.gen++;
  }

  /** `recordIndex(i)` is the record that view row i shows (its number is that + 1). */
  render(rows: Span[], count: number, recordIndex: (viewRow: number) => number): void {
    const b0 = rows.length ? Math.floor(rows[0].index / NUM_BLOCK) : 0;
    const b1 = rows.length ? Math.floor(rows[rows.length - 1].index / NUM_BLOCK) : -1;
    const free: NumBlock[] = [];
    for (const [b, block] of this.blocks) {
      if (b >= b0 && b <= b1 && block.gen === this.gen && block.lines === blockLines(b, count)) continue;
      this.blocks.delete(b);
      free.push(block);
    }
    for (let b = b0; b <= b1; b++) {
      if (this.blocks.has(b)) continue;
      const block = free.pop() ?? this.createBlock();
      const first = b * NUM_BLOCK;
      const lines = blockLines(b, count);
      let text = '';
      for (let i = first; i < first + lines; i++) {
        const n = recordIndex(i) + 1;
        text += i === first ? String(n) : '\n' + n;
      }
      block.text.data = text;
      block.gen = this.gen;
      block.lines = lines;
      if (block.top !== first * ROW_H) {
        block.top = first * ROW_H;
        block.el.style.top = `${block.top}px`;
      }
      this.blocks.set(b, block);
    }
    for (const block of free) block.el.remove();
  }

  private createBlock(): NumBlock {
    const text = document.createTextNode('');
    const block: NumBlock = { el: el('div', { class: 'grid-rownum' }, text), text, gen: -1, lines: -1, top: -1 };
    this.el.append(block.el);
    return block;
  }
}
