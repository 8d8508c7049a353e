/**
 * The Table tab: a grid virtualized in both directions with @tanstack/virtual-core (one virtualizer
 * for rows, one for columns, over the same scroll element), so that 50,000 records × 130 fields
 * cost only the cells on screen. Rows have a fixed height; columns have their own (resizable) widths.
 *
 * The cells are painted on a canvas (src/viewer/webview/canvasLayer.ts), by a worker where the webview
 * allows one: a scroll step then costs the page only the choice of what each visible cell shows.
 * Cells as DOM elements cost Chromium's layout, paint and layerization of every row that came into
 * view (15-25 ms for a sideways step on a 2-core machine). The header, the row numbers and the
 * focused cell stay DOM: the focused cell is a real `gridcell` placed over its painted twin, so
 * keyboard focus, screen readers and copying work on it, and the canvas itself is hidden from
 * assistive technology.
 */
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect } from '@tanstack/virtual-core';
import { ColumnInfo, TableColumn, cellText, columnValue, compareValues, kindOf, layoutColumns } from '../../core/viewer/columns';
import { formatCount } from '../../core/viewer/format';
import { CELL_CLIP, KIND_BOOLEAN, KIND_NESTED, KIND_NULL, KIND_NUMBER, KIND_STRING, PaintTheme, ROW_HOVER, ROW_ODD } from './cellPaint';
import { CanvasLayer } from './canvasLayer';
import { el, button, frameScheduler } from './dom';

const ROW_H = 22;
const HEADER_H = 26;
const ROWNUM_W = 64;
const MIN_W = 40;
/** Columns size to their content up to this width, so that one long value does not push the rest away. */
const AUTO_MAX_W = 320;
/** The records a column's width is measured on (the first ones: the rest seldom differ). */
const AUTO_SAMPLE = 200;
/** Room in a header beside its label: padding, border and the sort mark. */
const HEAD_EXTRA_X = 17 + 16;
/** Room for the flatten / fold button in a header. */
const HEAD_BUTTON_X = 22;
/** Lines in a block of row numbers (see `renderRowNumbers`). */
const NUM_BLOCK = 64;
/** A cell's horizontal padding plus its right border (media/webview.css, `.grid-cell`). */
const CELL_INSET_X = 17;
/** Printable ASCII: the characters whose width the monospace check below covers. */
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

export interface TableHost {
  copy(text: string, what: 'cell' | 'row'): void;
  /** A nested value was opened: show it in full. */
  openValue(title: string, value: unknown): void;
  stateChanged(): void;
  rewriteSelect?(fields: string[]): void;
  /** Called once, after the first rows are on screen. */
  firstRowsPainted(): void;
}

type VItem = { index: number; start: number; size: number };

/** The computed values `readTheme` reads from a probe element. */
type ProbedStyle = Pick<CSSStyleDeclaration, 'color' | 'backgroundColor' | 'borderRightColor' | 'fontStyle' | 'fontWeight' | 'fontSize' | 'fontFamily'>;

/** A block of row numbers: view rows [index × NUM_BLOCK, + lines), one a line. */
interface NumBlock {
  el: HTMLElement;
  text: Text;
  /** The `numGen` it was written for. */
  gen: number;
  lines: number;
  top: number;
}

/** How many of block `b`'s rows exist when the view has `count` rows. */
function blockLines(b: number, count: number): number {
  return Math.max(0, Math.min(NUM_BLOCK, count - b * NUM_BLOCK));
}


export interface TableState {
  hiddenColumns: string[];
  columnWidths: Record<string, number>;
  sort?: { column: string; descending: boolean };
  /** The user's choice per nested object column: shown as columns (true) or as one (false). */
  flatten: Record<string, boolean>;
}

/** A column's width until its content is measured (see `fitColumns`). */
function defaultWidth(c: TableColumn): number {
  if (c.key === 'id') return 80;
  switch (c.kind) {
    case 'number':
      return 110;
    case 'boolean':
      return 80;
    case 'object':
    case 'array':
      return 96;
    default:
      return Math.min(260, Math.max(120, c.key.length * 8 + 24));
  }
}

export class TableView {
  readonly root: HTMLElement;
  private readonly scrollEl: HTMLDivElement;
  private readonly sizer: HTMLDivElement;
  private readonly header: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly rownums: HTMLDivElement;
  /** Blocks of row numbers by block index (see `renderRowNumbers`). */
  private numBlocks = new Map<number, NumBlock>();
  /** Bumped whenever the rows are rebuilt (new data, sort, filter): every block is rewritten. */
  private numGen = 0;
  private readonly status: HTMLElement;
  private readonly chooser: HTMLElement;
  private readonly rowsV: Virtualizer<HTMLDivElement, HTMLDivElement>;
  private readonly colsV: Virtualizer<HTMLDivElement, HTMLDivElement>;
  private records: unknown[] = [];
  /** The inferred columns, nested objects' fields included, and the `$select` of the request. */
  private inferred: ColumnInfo[] = [];
  private select: readonly string[] = [];
  private columns: TableColumn[] = [];
  private visible: TableColumn[] = [];
  private hidden = new Set<string>();
  private flatten: Record<string, boolean> = {};
  /** Widths the user set (kept in the state), and widths measured from the content. */
  private widths: Record<string, number> = {};
  private autoWidths = new Map<string, number>();
  /** Measures text for `fitColumns`, in the fonts `readTheme` read. */
  private measureCtx: CanvasRenderingContext2D | null = null;
  private fonts = { cell: '', head: '' };
  /** The painted cell under the pointer, for its tooltip. */
  private hoverKey = '';
  private sort?: { column: string; descending: boolean };
  private filter = '';
  /** Indices into `records` in view order, or undefined for "all, in order". */
  private order?: Uint32Array;
  private focus = { row: 0, col: 0 };
  private pendingFocus?: { row: number; col: number };
  private refocusing = false;
  /** The header's column range and layout; reset to '' when columns, widths or the sort change. */
  private headKey = '';
  /** Bumped when what a view row shows may have changed (new data, sort, filter): the focused cell is rewritten. */
  private dataGen = 0;
  private proxyKey = '';
  private readonly canvas: CanvasLayer;
  /** The focused cell: a real gridcell over its painted twin (see the file comment). */
  private readonly proxyRow: HTMLDivElement;
  private readonly proxy: HTMLDivElement;
  private hoverRow = -1;
  private frameSeq = 0;
  /** The first frame with rows: when it is painted, the host hears `firstRowsPainted`. */
  private firstSeq = -1;
  private themeRead = false;
  private sized = { w: -1, h: -1 };
  /**
   * The width of one character of the cells' font when that font is monospaced for printable
   * ASCII (upright and italic), else 0. It lets `fits` tell, without measuring, which cells' text
   * surely fits: only the others are measured (once per text and width) and cut with an ellipsis.
   */
  private charW = 0;
  private fontMeasured = false;
  private painted = false;
  private mounted = false;
  private cleanups: (() => void)[] = [];
  readonly schedule: () => void;

  constructor(private readonly host: TableHost) {
    this.schedule = frameScheduler(() => this.render());
    this.status = el('span', { class: 'table-status', attrs: { 'aria-live': 'polite' } });
    this.chooser = el('div', { class: 'column-chooser', attrs: { hidden: '' } });
    const toolbar = el(
      'div',
      { class: 'table-toolbar' },
      button('Columns…', () => this.toggleChooser(), { attrs: { 'aria-haspopup': 'true' }, title: 'Choose columns' }),
      button('Copy cell', () => this.copyFocused('cell'), { title: 'Copy the focused cell (Ctrl+C)' }),
      button('Copy row', () => this.copyFocused('row'), { title: 'Copy the focused row as JSON (Ctrl+Shift+C)' }),
      this.status,
    );
    this.header = el('div', { class: 'grid-header', role: 'row', attrs: { 'aria-rowindex': '1' } });
    this.rownums = el('div', { class: 'grid-rownums', attrs: { 'aria-hidden': 'true' } });
    this.proxy = el('div', { class: 'grid-cell grid-proxy', role: 'gridcell', attrs: { tabindex: '0' } });
    this.proxyRow = el('div', { class: 'grid-row grid-proxy-row', role: 'row', attrs: { hidden: '' } }, this.proxy);
    this.body = el('div', { class: 'grid-body', role: 'rowgroup' }, this.proxyRow);
    this.canvas = new CanvasLayer((seq) => this.framePainted(seq));
    this.sizer = el('div', { class: 'grid-sizer' }, this.header, this.canvas.el, this.rownums, this.body);
    this.scrollEl = el('div', { class: 'grid-scroll', role: 'grid', attrs: { tabindex: '0', 'aria-label': 'Records' } }, this.sizer);
    this.root = el('div', { class: 'table-view' }, toolbar, this.chooser, this.scrollEl);

    // The virtualizers give the table's size, observe scrolling and resizing (each change schedules
    // a frame) and scroll a focused cell into view. Which rows and columns show is worked out in
    // `render` from the scroll offsets it reads (`rowsIn`, `columnsIn`), so no overscan is needed.
    const common = {
      getScrollElement: () => this.scrollEl,
      observeElementRect,
      observeElementOffset,
      scrollToFn: elementScroll,
      // Scroll events run just before the frame's animation callbacks, so a render scheduled with
      // requestAnimationFrame still lands in the same frame, and reads (scroll offsets) are never
      // interleaved with DOM writes, which would force extra layouts.
      onChange: () => this.schedule(),
      initialRect: { width: 1200, height: 800 },
    };
    this.rowsV = new Virtualizer<HTMLDivElement, HTMLDivElement>({
      ...common,
      count: 0,
      estimateSize: () => ROW_H,
      paddingStart: HEADER_H,
      overscan: 0,
    });
    this.colsV = new Virtualizer<HTMLDivElement, HTMLDivElement>({
      ...common,
      horizontal: true,
      count: 0,
      estimateSize: (i) => this.widthOf(this.visible[i]),
      paddingStart: ROWNUM_W,
      overscan: 0,
    });
    this.scrollEl.addEventListener('keydown', (e) => this.onKey(e));
    this.scrollEl.addEventListener('focus', () => {
      if (!this.refocusing && document.activeElement === this.scrollEl) this.focusCell(this.focus.row, this.focus.col);
    });
    // A press on the canvas must not focus the grid itself: that would first bring back the
    // previously focused cell (see the focus listener), scrolling away from the cell clicked.
    this.scrollEl.addEventListener('mousedown', (e) => {
      if (e.target === this.canvas.el) e.preventDefault();
    });
    this.scrollEl.addEventListener('click', (e) => this.onClick(e));
    this.scrollEl.addEventListener('mousemove', (e) => {
      const at = this.cellAt(e);
      this.setHover(at?.row ?? -1);
      this.showTitle(at);
    });
    this.scrollEl.addEventListener('mouseleave', () => {
      this.setHover(-1);
      this.showTitle(undefined);
    });
  }

  /** Attach after the root is in the document, so the virtualizers can measure it. */
  mount(): void {
    if (this.mounted) return;
    this.mounted = true;
    this.cleanups.push(this.rowsV._didMount(), this.colsV._didMount(), () => this.canvas.dispose());
    // VS Code passes the editor font and theme as CSS variables in <html>'s style attribute.
    const fonts = new MutationObserver(() => this.fontChanged());
    fonts.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    this.cleanups.push(() => fonts.disconnect());
    this.rowsV._willUpdate();
    this.colsV._willUpdate();
    this.schedule();
  }

  applyState(s: Partial<TableState>): void {
    if (s.hiddenColumns) this.hidden = new Set(s.hiddenColumns);
    if (s.columnWidths) this.widths = { ...s.columnWidths };
    if (s.sort) this.sort = { ...s.sort };
    if (s.flatten) this.flatten = { ...s.flatten };
  }

  state(): TableState {
    return { hiddenColumns: [...this.hidden], columnWidths: { ...this.widths }, sort: this.sort, flatten: { ...this.flatten } };
  }

  /**
   * Records share the array that grows while chunks arrive, and `columns` the list inferred from
   * them; call `grew()` after they do. `select` is the request's `$select` (its paths).
   */
  setData(records: unknown[], columns: ColumnInfo[], select: readonly string[] = []): void {
    this.records = records;
    this.inferred = columns;
    this.select = select;
    this.autoWidths.clear();
    this.dataChanged();
    this.refreshColumns();
    this.reorder();
  }

  /** More records (or columns) arrived. Cheap when neither sort nor filter is active. */
  grew(columnsChanged: boolean): void {
    if (columnsChanged) this.refreshColumns();
    this.dataGen++;
    if (this.sort || this.filter) this.reorder();
    else this.updateCount();
  }

  setFilter(text: string): number {
    this.filter = text.toLowerCase();
    this.reorder();
    return this.rowCount();
  }

  get columnKeys(): string[] {
    return this.visible.map((c) => c.key);
  }

  rowCount(): number {
    return this.order ? this.order.length : this.records.length;
  }

  private widthOf(c: TableColumn | undefined): number {
    if (!c) return 100;
    return this.widths[c.key] ?? this.autoWidths.get(c.key) ?? defaultWidth(c);
  }

  /**
   * Gives each visible column without a width one from its content: its header and the text of its
   * first AUTO_SAMPLE cells, at most AUTO_MAX_W (longer values are cut, in full on hover). Runs once
   * the fonts are known; a column measured once keeps its width while more records arrive.
   */
  private fitColumns(): void {
    if (!this.themeRead || !this.records.length) return;
    const ctx = (this.measureCtx ??= document.createElement('canvas').getContext('2d'));
    if (!ctx) return;
    const n = Math.min(AUTO_SAMPLE, this.records.length);
    let changed = false;
    for (const c of this.visible) {
      if (this.autoWidths.has(c.key) || this.widths[c.key] !== undefined) continue;
      ctx.font = this.fonts.head;
      let w = ctx.measureText(c.key).width + HEAD_EXTRA_X + (c.fields !== undefined || c.parent ? HEAD_BUTTON_X : 0);
      ctx.font = this.fonts.cell;
      for (let i = 0; i < n && w < AUTO_MAX_W; i++) {
        const { text, kind } = this.cellContent(this.records[i], c);
        w = Math.max(w, this.textWidth(ctx, text) + CELL_INSET_X + (kind === KIND_NESTED ? 8 : 0) + 1);
      }
      this.autoWidths.set(c.key, Math.min(AUTO_MAX_W, Math.max(MIN_W, Math.ceil(w))));
      changed = true;
    }
    if (changed) {
      this.colsV.measure();
      this.headKey = '';
      this.dataGen++;
    }
  }

  /** The width of a cell's text: counted for the ASCII of a monospace font, else measured. */
  private textWidth(ctx: CanvasRenderingContext2D, text: string): number {
    if (this.charW && isPrintableAscii(text)) return text.length * this.charW;
    return ctx.measureText(text).width;
  }

  private refreshColumns(): void {
    this.columns = layoutColumns(this.inferred, { select: this.select, flatten: this.flatten });
    this.visible = this.columns.filter((c) => !this.hidden.has(c.key));
    this.colsV.setOptions({ ...this.colsV.options, count: this.visible.length });
    this.colsV.measure();
    this.scrollEl.setAttribute('aria-colcount', String(this.visible.length + 1));
    this.headKey = '';
    this.dataGen++;
    this.renderChooser();
    this.schedule();
  }

  private reorder(): void {
    const n = this.records.length;
    let idx: number[] | undefined;
    if (this.filter) {
      const q = this.filter;
      idx = [];
      for (let i = 0; i < n; i++) if (matches(this.records[i], q)) idx.push(i);
    }
    if (this.sort) {
      const { column, descending } = this.sort;
      const base = idx ?? Array.from({ length: n }, (_, i) => i);
      const keys = base.map((i) => columnValue(this.records[i], column));
      const perm = base.map((_, j) => j);
      perm.sort((a, b) => {
        const c = compareValues(keys[a], keys[b]);
        return descending ? -c : c;
      });
      idx = perm.map((j) => base[j]);
    }
    this.order = idx ? Uint32Array.from(idx) : undefined;
    this.dataChanged();
    this.updateCount();
  }

  private updateCount(): void {
    const count = this.rowCount();
    this.rowsV.setOptions({ ...this.rowsV.options, count });
    this.scrollEl.setAttribute('aria-rowcount', String(count + 1));
    const total = this.records.length;
    this.status.textContent = this.filter ? `${count.toLocaleString()} of ${formatCount(total, 'row')} match${count === 1 ? 'es' : ''}` : formatCount(total, 'row');
    if (this.focus.row >= count) this.focus.row = Math.max(0, count - 1);
    this.schedule();
  }

  private recordAt(viewRow: number): unknown {
    return this.records[this.order ? this.order[viewRow] : viewRow];
  }

  private render(): void {
    if (!this.mounted) return;
    // Reads first (the viewport and scroll offsets), then writes: no layout forced in between.
    const viewW = this.scrollEl.clientWidth;
    const viewH = this.scrollEl.clientHeight;
    const left = this.scrollEl.scrollLeft;
    const top = this.scrollEl.scrollTop;
    // The font and colours are read once the grid is laid out (not while its tab is hidden), and
    // columns take their widths from their content in that font, before the sizes are worked out.
    if (!this.fontMeasured && viewW > 0) this.measureFont();
    if (!this.themeRead && viewW > 0) this.readTheme();
    this.fitColumns();
    this.rowsV._willUpdate();
    this.colsV._willUpdate();
    const totalW = this.colsV.getTotalSize();
    const totalH = this.rowsV.getTotalSize();
    // The painted area: right of the row numbers and below the header, within the table.
    const width = Math.max(0, Math.min(viewW, totalW) - ROWNUM_W);
    const height = Math.max(0, Math.min(viewH, totalH) - HEADER_H);
    // The rows and columns in it, from the scroll offsets read just now rather than from the
    // virtualizers' last observation (which lags a frame when the tab is shown again).
    const rows = this.rowsIn(top, height);
    const cols = this.columnsIn(left, width);
    // Sizes are written only when they change: every write invalidates style, even with the same value.
    if (totalW !== this.sized.w || totalH !== this.sized.h) {
      this.sized = { w: totalW, h: totalH };
      this.sizer.style.width = `${totalW}px`;
      this.sizer.style.height = `${totalH}px`;
      this.header.style.width = `${totalW}px`;
      this.rownums.style.height = `${Math.max(0, totalH - HEADER_H)}px`;
    }
    const headKey = cols.length ? `${totalW}:${cols[0].index}:${cols[cols.length - 1].index}` : '';
    if (headKey !== this.headKey) {
      this.headKey = headKey;
      this.renderHeader(cols);
    }
    this.renderRowNumbers(rows);
    this.paintCells(rows, cols, width, height, left, top);
    this.placeProxy();
  }

  /** View rows that show in a painted area `height` tall at scroll offset `top`. */
  private rowsIn(top: number, height: number): VItem[] {
    const out: VItem[] = [];
    if (height <= 0) return out;
    const last = Math.min(this.rowCount() - 1, Math.floor((top + height - 1) / ROW_H));
    for (let i = Math.max(0, Math.floor(top / ROW_H)); i <= last; i++) out.push({ index: i, start: HEADER_H + i * ROW_H, size: ROW_H });
    return out;
  }

  /** Visible columns that show in a painted area `width` wide at scroll offset `left`. */
  private columnsIn(left: number, width: number): VItem[] {
    const out: VItem[] = [];
    const from = left + ROWNUM_W;
    const to = from + width;
    let x = ROWNUM_W;
    for (let i = 0; i < this.visible.length && x < to; i++) {
      const w = this.widthOf(this.visible[i]);
      if (x + w > from) out.push({ index: i, start: x, size: w });
      x += w;
    }
    return out;
  }

  /**
   * Describes the visible cells to the canvas: per row its place and stripe, per column its place,
   * per cell its text and kind. Only text that may not fit is marked to be measured and cut.
   */
  private paintCells(rows: VItem[], cols: VItem[], width: number, height: number, left: number, top: number): void {
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
      const record = this.recordAt(row.index);
      for (let c = 0; c < nc; c++) {
        const k = r * nc + c;
        const cell = this.cellContent(record, this.visible[cols[c].index]);
        texts[k] = cell.text;
        flags[k] = cell.kind | (cell.kind === KIND_NESTED || !this.fits(cell.text, cols[c].size) ? CELL_CLIP : 0);
      }
    }
    const seq = ++this.frameSeq;
    if (this.firstSeq < 0 && nr > 0 && nc > 0) this.firstSeq = seq;
    this.canvas.paint({ seq, width, height, dpr: window.devicePixelRatio || 1, rowH: ROW_H, rows: rowData, cols: colData, texts, flags });
  }

  /** What a cell shows: its text (a nested value as a count) and its kind. */
  private cellContent(record: unknown, column: TableColumn): { text: string; kind: number } {
    const v = columnValue(record, column.key);
    const kind = kindOf(v);
    if (kind === 'array') return { text: `[…] ${(v as unknown[]).length}`, kind: KIND_NESTED };
    if (kind === 'object') return { text: `{…} ${Object.keys(v as object).length}`, kind: KIND_NESTED };
    return { text: cellText(v, 300), kind: kind === 'number' ? KIND_NUMBER : kind === 'boolean' ? KIND_BOOLEAN : kind === 'null' ? KIND_NULL : KIND_STRING };
  }

  private framePainted(seq: number): void {
    if (this.painted || this.firstSeq < 0 || seq < this.firstSeq) return;
    this.painted = true;
    this.host.firstRowsPainted();
  }

  /** The cell under a pointer event, in view rows and visible columns, or undefined off the cells. */
  private cellAt(e: MouseEvent): { row: number; col: number } | undefined {
    const rect = this.scrollEl.getBoundingClientRect();
    const vx = e.clientX - rect.left;
    const vy = e.clientY - rect.top;
    if (vx < ROWNUM_W || vy < HEADER_H || vx >= this.scrollEl.clientWidth || vy >= this.scrollEl.clientHeight) return undefined;
    const row = Math.floor((vy + this.scrollEl.scrollTop - HEADER_H) / ROW_H);
    const x = vx + this.scrollEl.scrollLeft;
    const col = this.columnsIn(x - ROWNUM_W, 1)[0];
    if (!col || row < 0 || row >= this.rowCount()) return undefined;
    return { row, col: col.index };
  }

  /** The painted cell under the pointer shows its full value on hover, as the canvas's title. */
  private showTitle(at: { row: number; col: number } | undefined): void {
    const key = at ? `${at.row}:${at.col}:${this.dataGen}:${this.headKey}` : '';
    if (key === this.hoverKey) return;
    this.hoverKey = key;
    const title = at ? this.titleFor(at.row, at.col) : '';
    if (title) this.canvas.el.title = title;
    else this.canvas.el.removeAttribute('title');
  }

  /**
   * A cell's full value, when the cell does not show all of it: cut to its width, a compact date,
   * or a nested value (as JSON, the start of it). Empty when the cell shows the value whole.
   */
  private titleFor(row: number, col: number): string {
    const c = this.visible[col];
    if (!c) return '';
    const record = this.recordAt(row);
    const v = columnValue(record, c.key);
    const kind = kindOf(v);
    const cap = (t: string, n: number) => (t.length > n ? t.slice(0, n) + '…' : t);
    if (kind === 'object' || kind === 'array') return `${cap(JSON.stringify(v), 500)}\nClick to open.`;
    if (kind === 'null') return '';
    const full = String(v);
    const { text } = this.cellContent(record, c);
    const ctx = this.measureCtx;
    if (ctx) ctx.font = this.fonts.cell;
    if (text === full && ctx && this.textWidth(ctx, text) <= this.widthOf(c) - CELL_INSET_X - 1) return '';
    return cap(full, 2000);
  }

  private setHover(row: number): void {
    if (row === this.hoverRow) return;
    this.hoverRow = row;
    this.schedule();
  }

  /** New data, sort or filter: every row number block and the focused cell are rewritten. */
  private dataChanged(): void {
    this.keepFocus(this.proxy);
    this.dataGen++;
    this.numGen++;
    this.schedule();
  }

  /**
   * The canvas paints with the colours and font the stylesheet gives cells (VS Code's theme
   * variables), read from probe elements: once laid out, and again when the theme changes.
   */
  private readTheme(): void {
    const probe = (cls: string, tag = 'div'): ProbedStyle => {
      const e = document.createElement(tag);
      e.className = cls;
      e.style.position = 'absolute';
      e.style.visibility = 'hidden';
      this.body.append(e);
      const cs = getComputedStyle(e);
      // A snapshot: the live declaration empties once the probe is removed.
      const copy: ProbedStyle = { color: cs.color, backgroundColor: cs.backgroundColor, borderRightColor: cs.borderRightColor, fontStyle: cs.fontStyle, fontWeight: cs.fontWeight, fontSize: cs.fontSize, fontFamily: cs.fontFamily };
      e.remove();
      return copy;
    };
    const cell = probe('grid-cell');
    if (!cell.fontSize) return; // not laid out yet: read again on the next render
    const head = probe('grid-hcell');
    const odd = probe('grid-row odd');
    const num = probe('grid-cell k-number');
    const bool = probe('grid-cell k-boolean');
    const nul = probe('grid-cell k-null');
    const nested = probe('nested', 'button');
    const rootStyle = getComputedStyle(this.scrollEl);
    const hover = getComputedStyle(document.documentElement).getPropertyValue('--hover').trim();
    const font = (s: ProbedStyle, italic: boolean) => `${italic ? 'italic' : 'normal'} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const theme: PaintTheme = {
      font: font(cell, false),
      italicFont: font(nul, nul.fontStyle === 'italic'),
      bg: rootStyle.backgroundColor,
      fg: cell.color,
      odd: odd.backgroundColor,
      hover: hover || odd.backgroundColor,
      border: cell.borderRightColor,
      number: num.color,
      boolean: bool.color,
      nullFg: nul.color,
      nestedBg: nested.backgroundColor,
      nestedFg: nested.color,
    };
    this.themeRead = true;
    this.canvas.setTheme(theme);
    const fonts = { cell: theme.font, head: font(head, false) };
    if (fonts.cell !== this.fonts.cell || fonts.head !== this.fonts.head) {
      // Widths measured in another font no longer fit their content.
      this.fonts = fonts;
      this.autoWidths.clear();
    }
  }

  /**
   * Puts the focused cell's DOM twin over the painted cell, with the same content, when the focus,
   * the columns or the data changed. It is the grid's one tab stop.
   */
  private placeProxy(): void {
    const { row, col } = this.focus;
    const c = this.visible[col];
    const key = `${row}:${col}:${this.dataGen}:${this.headKey}:${this.rowCount()}`;
    if (key === this.proxyKey) {
      this.applyPendingFocus();
      return;
    }
    this.proxyKey = key;
    if (!c || row >= this.rowCount()) {
      this.keepFocus(this.proxy);
      this.proxyRow.hidden = true;
      return;
    }
    let start = ROWNUM_W;
    for (let i = 0; i < col; i++) start += this.widthOf(this.visible[i]);
    const width = this.widthOf(c);
    const r = this.proxyRow;
    r.hidden = false;
    r.setAttribute('aria-rowindex', String(row + 2));
    r.setAttribute('data-r', String(row));
    r.style.top = `${HEADER_H + row * ROW_H}px`;
    r.style.left = `${start}px`;
    r.style.width = `${width}px`;
    const cell = this.proxy;
    cell.setAttribute('aria-colindex', String(col + 2));
    cell.setAttribute('data-c', String(col));
    cell.style.width = `${width}px`;
    const record = this.recordAt(row);
    const kind = kindOf(columnValue(record, c.key));
    const { text, kind: painted } = this.cellContent(record, c);
    const nested = painted === KIND_NESTED;
    cell.className = `grid-cell grid-proxy k-${kind}${nested || !this.fits(text, width) ? ' clip' : ''}`;
    const title = this.titleFor(row, col);
    if (title) cell.title = title;
    else cell.removeAttribute('title');
    if (nested) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'nested';
      b.tabIndex = -1;
      b.textContent = text;
      b.setAttribute('aria-label', `Expand ${c.key}`);
      cell.setAttribute('aria-expanded', 'false');
      cell.replaceChildren(b);
    } else {
      cell.removeAttribute('aria-expanded');
      cell.replaceChildren(document.createTextNode(text));
    }
    this.applyPendingFocus();
  }

  private renderHeader(cols: { index: number; start: number; size: number }[]): void {
    const corner = el('div', { class: 'grid-corner', role: 'columnheader', text: '#', attrs: { 'aria-colindex': '1' } });
    const cells: HTMLElement[] = [corner];
    for (const c of cols) {
      const col = this.visible[c.index];
      const sorted = this.sort?.column === col.key;
      const cell = el(
        'div',
        {
          class: `grid-hcell kind-${col.kind}`,
          role: 'columnheader',
          title: `${col.key} (${col.kind}) — click to sort`,
          attrs: {
            'aria-colindex': String(c.index + 2),
            'aria-sort': sorted ? (this.sort?.descending ? 'descending' : 'ascending') : 'none',
            tabindex: '-1',
            'data-c': String(c.index),
          },
        },
        this.nestButton(col),
        el('span', { class: 'hlabel', text: col.key }),
        sorted ? el('span', { class: 'sort-mark', text: this.sort?.descending ? ' ▼' : ' ▲' }) : null,
      );
      cell.style.left = `${c.start}px`;
      cell.style.width = `${c.size}px`;
      cell.addEventListener('click', (e) => {
        const target = e.target as HTMLElement;
        if (target.classList.contains('resizer') || target.closest('.nest-toggle')) return;
        this.toggleSort(col.key);
      });
      cell.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          this.toggleSort(col.key);
        } else if ((e.ctrlKey || e.altKey) && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
          e.preventDefault();
          e.stopPropagation();
          this.resize(col.key, this.widthOf(col) + (e.key === 'ArrowLeft' ? -16 : 16));
        }
      });
      const handle = el('div', { class: 'resizer', attrs: { 'aria-hidden': 'true' } });
      handle.addEventListener('pointerdown', (e) => this.startResize(e, col));
      cell.append(handle);
      cells.push(cell);
    }
    this.header.replaceChildren(...cells);
  }

  /**
   * The header's control for a nested object: an object column can show its fields as columns,
   * and a column flattened from one can fold them back into one column.
   */
  private nestButton(col: TableColumn): HTMLElement | null {
    const target = col.fields !== undefined ? col.key : col.parent;
    if (target === undefined) return null;
    const flat = col.fields === undefined;
    const label = flat
      ? `Fold the fields of ${target} into one column`
      : `Show the ${formatCount(col.fields ?? 0, 'field')} of ${target} as columns`;
    return button(flat ? '⊟' : '⊞', () => this.setFlatten(target, !flat), {
      class: 'nest-toggle',
      title: label,
      attrs: { 'aria-label': label, tabindex: '-1' },
    });
  }

  private setFlatten(key: string, flat: boolean): void {
    this.flatten[key] = flat;
    this.refreshColumns();
    this.host.stateChanged();
  }

  /** Sets `charW` (see there). Reads layout once, when the grid is first shown or the font changes. */
  private measureFont(): void {
    const probe = document.createElement('div');
    probe.className = 'grid-cell';
    probe.style.position = 'absolute';
    probe.style.visibility = 'hidden';
    const span = (text: string, italic: boolean) => {
      const e = document.createElement('span');
      e.textContent = text;
      if (italic) e.style.fontStyle = 'italic';
      probe.append(e);
      return e;
    };
    const m = span('M'.repeat(ASCII.length), false);
    const upright = span(ASCII, false);
    const italic = span(ASCII, true);
    this.body.append(probe);
    const [w, wu, wi] = [m, upright, italic].map((e) => e.getBoundingClientRect().width);
    probe.remove();
    if (w <= 0) return; // not laid out yet (hidden tab): measure again on the next rebuild
    this.fontMeasured = true;
    this.charW = Math.abs(wu - w) < 0.5 && Math.abs(wi - w) < 0.5 ? w / ASCII.length : 0;
  }

  /** The font or theme may have changed: measure and read them again, and repaint. */
  private fontChanged(): void {
    this.fontMeasured = false;
    this.themeRead = false;
    this.charW = 0;
    this.dataGen++;
    this.schedule();
  }

  /**
   * Whether `text` surely fits in the content box of a cell `width` wide, in the cells' monospace
   * font: printable ASCII only (no tabs, line breaks, wide or combining characters), a little margin.
   */
  private fits(text: string, width: number): boolean {
    return !!this.charW && text.length * this.charW <= width - CELL_INSET_X - 1 && isPrintableAscii(text);
  }

  /**
   * The row numbers, in the sticky column, as fixed blocks of NUM_BLOCK lines of one text node
   * each, placed at the block's own rows: the blocks that cover the rendered rows are shown, and
   * a block is written only when it comes into range (about every seventh frame of a fast scroll),
   * not on every scroll step. Rewriting and moving one block of the rendered rows' numbers on
   * every step cost that column a layout, a repaint and a raster of its tiles in every frame.
   * A positioned box per row would be a paint layer each; a few large blocks are a few layers.
   */
  private renderRowNumbers(rows: { index: number }[]): void {
    const count = this.rowCount();
    const b0 = rows.length ? Math.floor(rows[0].index / NUM_BLOCK) : 0;
    const b1 = rows.length ? Math.floor(rows[rows.length - 1].index / NUM_BLOCK) : -1;
    const free: NumBlock[] = [];
    for (const [b, block] of this.numBlocks) {
      if (b >= b0 && b <= b1 && block.gen === this.numGen && block.lines === blockLines(b, count)) continue;
      this.numBlocks.delete(b);
      free.push(block);
    }
    for (let b = b0; b <= b1; b++) {
      if (this.numBlocks.has(b)) continue;
      const block = free.pop() ?? this.createNumBlock();
      const first = b * NUM_BLOCK;
      const lines = blockLines(b, count);
      let text = '';
      for (let i = first; i < first + lines; i++) {
        const n = (this.order ? this.order[i] : i) + 1;
        text += i === first ? String(n) : '\n' + n;
      }
      block.text.data = text;
      block.gen = this.numGen;
      block.lines = lines;
      if (block.top !== first * ROW_H) {
        block.top = first * ROW_H;
        block.el.style.top = `${block.top}px`;
      }
      this.numBlocks.set(b, block);
    }
    for (const block of free) block.el.remove();
  }

  private createNumBlock(): NumBlock {
    const text = document.createTextNode('');
    const block: NumBlock = { el: el('div', { class: 'grid-rownum' }, text), text, gen: -1, lines: -1, top: -1 };
    this.rownums.append(block.el);
    return block;
  }

  /** A click on a painted cell focuses it; on a nested value (or its button, once focused) it also opens it. */
  private onClick(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    if (target !== this.canvas.el && !this.proxyRow.contains(target)) return; // header, row numbers
    const at = this.cellAt(e);
    if (!at) return;
    this.focusCell(at.row, at.col);
    const v = columnValue(this.recordAt(at.row), this.visible[at.col].key);
    const k = kindOf(v);
    if ((k === 'object' || k === 'array') && (target === this.canvas.el || target.classList.contains('nested'))) this.expand(at.row, at.col);
  }

  private expand(r: number, c: number): void {
    const col = this.visible[c];
    if (!col) return;
    const v = columnValue(this.recordAt(r), col.key);
    const k = kindOf(v);
    if (k === 'object' || k === 'array') this.host.openValue(`Row ${r + 1} › ${col.key}`, v);
  }

  private onKey(e: KeyboardEvent): void {
    const { row, col } = this.focus;
    const rows = this.rowCount();
    const cols = this.visible.length;
    if (!rows || !cols) return;
    const page = Math.max(1, Math.floor(this.scrollEl.clientHeight / ROW_H) - 1);
    let r = row;
    let c = col;
    switch (e.key) {
      case 'ArrowDown':
        r++;
        break;
      case 'ArrowUp':
        r--;
        break;
      case 'ArrowRight':
        c++;
        break;
      case 'ArrowLeft':
        c--;
        break;
      case 'PageDown':
        r += page;
        break;
      case 'PageUp':
        r -= page;
        break;
      case 'Home':
        if (e.ctrlKey) r = 0;
        c = 0;
        break;
      case 'End':
        if (e.ctrlKey) r = rows - 1;
        c = cols - 1;
        break;
      case 'Enter':
        e.preventDefault();
        this.expand(row, col);
        return;
      case 'c':
      case 'C':
        if (e.ctrlKey || e.metaKey) {
          e.preventDefault();
          this.copyFocused(e.shiftKey ? 'row' : 'cell');
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    this.focusCell(Math.min(rows - 1, Math.max(0, r)), Math.min(cols - 1, Math.max(0, c)));
  }

  private focusCell(r: number, c: number): void {
    this.focus = { row: r, col: c };
    this.pendingFocus = { row: r, col: c };
    this.rowsV.scrollToIndex(r, { align: 'auto' });
    this.colsV.scrollToIndex(c, { align: 'auto' });
    this.render();
  }

  /** Focuses the focused cell's DOM twin once it is in place. */
  private applyPendingFocus(): void {
    const p = this.pendingFocus;
    if (!p || this.proxyRow.hidden || p.row !== this.focus.row || p.col !== this.focus.col) return;
    this.pendingFocus = undefined;
    this.proxy.focus({ preventScroll: true });
  }

  /** Keeps keyboard focus in the grid when the focused cell is about to go (no rows left). */
  private keepFocus(leaving: HTMLElement): void {
    if (leaving.contains(document.activeElement)) {
      this.refocusing = true;
      this.scrollEl.focus({ preventScroll: true });
      this.refocusing = false;
    }
  }

  private copyFocused(what: 'cell' | 'row'): void {
    const record = this.recordAt(this.focus.row);
    if (record === undefined) return;
    if (what === 'row') {
      this.host.copy(JSON.stringify(record, null, 2), 'row');
      return;
    }
    const col = this.visible[this.focus.col];
    const v = col ? columnValue(record, col.key) : undefined;
    this.host.copy(typeof v === 'string' ? v : JSON.stringify(v ?? null, null, 2), 'cell');
  }

  private toggleSort(column: string): void {
    if (this.sort?.column !== column) this.sort = { column, descending: false };
    else if (!this.sort.descending) this.sort = { column, descending: true };
    else this.sort = undefined;
    this.headKey = '';
    this.reorder();
    this.host.stateChanged();
  }

  private startResize(e: PointerEvent, col: TableColumn): void {
    e.preventDefault();
    e.stopPropagation();
    // The header is re-rendered while dragging, so follow the pointer on the window, not the handle.
    const startX = e.clientX;
    const startW = this.widthOf(col);
    const move = (ev: PointerEvent) => this.resize(col.key, startW + ev.clientX - startX);
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      this.host.stateChanged();
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }

  private resize(key: string, width: number): void {
    this.widths[key] = Math.max(MIN_W, Math.round(width));
    this.colsV.measure();
    this.headKey = '';
    this.dataGen++;
    this.schedule();
  }

  private toggleChooser(): void {
    if (this.chooser.hasAttribute('hidden')) {
      this.chooser.removeAttribute('hidden');
      this.renderChooser();
      this.chooser.querySelector<HTMLElement>('input')?.focus();
    } else {
      this.chooser.setAttribute('hidden', '');
    }
  }

  private renderChooser(): void {
    if (this.chooser.hasAttribute('hidden')) return;
    const filter = el('input', { class: 'chooser-filter', attrs: { type: 'search', placeholder: 'Filter columns', 'aria-label': 'Filter columns' } });
    const list = el('div', { class: 'chooser-list', role: 'group', attrs: { 'aria-label': 'Columns' } });
    const items = this.columns.map((c) => {
      const box = el('input', { attrs: { type: 'checkbox' } });
      box.checked = !this.hidden.has(c.key);
      box.addEventListener('change', () => {
        if (box.checked) this.hidden.delete(c.key);
        else this.hidden.add(c.key);
        this.refreshColumns();
        this.host.stateChanged();
      });
      const label = el('label', { class: 'chooser-item' }, box, el('span', { text: c.key }));
      // The header's flatten / fold control, reachable from the keyboard here (once per object).
      const first = c.parent !== undefined && this.columns.find((x) => x.parent === c.parent) === c;
      const nest = c.fields !== undefined || first ? this.nestButton(c) : null;
      if (nest) {
        nest.removeAttribute('tabindex');
        nest.textContent = c.fields !== undefined ? `⊞ ${formatCount(c.fields, 'field')}` : `⊟ fold ${c.parent}`;
      }
      return { key: c.key.toLowerCase(), label: el('div', { class: 'chooser-row' }, label, nest) };
    });
    list.append(...items.map((i) => i.label));
    filter.addEventListener('input', () => {
      const q = filter.value.toLowerCase();
      for (const i of items) i.label.hidden = !!q && !i.key.includes(q);
    });
    const actions = el(
      'div',
      { class: 'chooser-actions' },
      button('Show all', () => {
        this.hidden.clear();
        this.refreshColumns();
        this.host.stateChanged();
      }),
      button('Hide all', () => {
        this.hidden = new Set(this.columns.map((c) => c.key));
        this.refreshColumns();
        this.host.stateChanged();
      }),
      this.host.rewriteSelect
        ? button('Set $select in the request file', () => this.host.rewriteSelect?.(this.columnKeys), {
            title: 'Rewrite the $select of the request in its .sage200 file to the visible columns',
          })
        : null,
      button('Close', () => this.toggleChooser()),
    );
    this.chooser.replaceChildren(filter, actions, list);
  }

  dispose(): void {
    for (const c of this.cleanups) c();
  }
}

function isPrintableAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** Case-insensitive search through a record's values, nested ones included. */
function matches(v: unknown, q: string): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string') return v.toLowerCase().includes(q);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v).includes(q);
  if (Array.isArray(v)) return v.some((x) => matches(x, q));
  if (typeof v === 'object') {
    for (const x of Object.values(v as object)) if (matches(x, q)) return true;
  }
  return false;
}
