/**
 * The Table tab: a grid virtualized in both directions with @tanstack/virtual-core (one virtualizer
 * for rows, one for columns, over the same scroll element), so that 50,000 records × 130 fields
 * cost only the cells on screen. Rows have a fixed height; columns have their own (resizable) widths.
 */
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect } from '@tanstack/virtual-core';
import { ColumnInfo, cellText, columnValue, compareValues, kindOf } from '../core/viewer/columns';
import { el, button, frameScheduler } from './dom';

const ROW_H = 22;
const HEADER_H = 26;
const ROWNUM_W = 64;
const MIN_W = 40;
/** Spare rows rendered beyond the visible ones (see `aheadRange`). */
const ROW_OVERSCAN = 5;
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

/** A rendered row and what it currently shows, so that recycling it writes only what changes. */
interface GridRow {
  el: HTMLElement;
  cells: HTMLElement[];
  /** Each cell's text node, or null while it holds a nested-value button. */
  texts: (Text | null)[];
  /** Each cell's class attribute. */
  classes: string[];
  /** The column each cell shows (an index into the visible columns). */
  colIdx: number[];
  odd: number;
}

export interface TableState {
  hiddenColumns: string[];
  columnWidths: Record<string, number>;
  sort?: { column: string; descending: boolean };
}

function defaultWidth(c: ColumnInfo): number {
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
  private columns: ColumnInfo[] = [];
  private visible: ColumnInfo[] = [];
  private hidden = new Set<string>();
  private widths: Record<string, number> = {};
  private sort?: { column: string; descending: boolean };
  private filter = '';
  /** Indices into `records` in view order, or undefined for "all, in order". */
  private order?: Uint32Array;
  private focus = { row: 0, col: 0 };
  private pendingFocus?: { row: number; col: number };
  private refocusing = false;
  private rowCache = new Map<number, GridRow>();
  /** The scroll direction the rows' range extractor was made for (see `render`). */
  private rowDir: 'forward' | 'backward' | null = null;
  private cacheKey = '';
  private range = '';
  private sized = { w: -1, h: -1 };
  /**
   * The width of one character of the cells' font when that font is monospaced for printable
   * ASCII (upright and italic), else 0. It lets `fits` tell, without layout, which cells' text
   * surely fits: only the others get a clip. A clip per cell costs the renderer a paint chunk
   * and a clip node per cell in every frame (it was most of a scroll frame's paint and layerize
   * time), while unclipped text that fits looks exactly the same.
   */
  private charW = 0;
  /**
   * The cells' widths, one rule per visible column (`.grid-cell.c<index>`), instead of an inline
   * width on every cell. Scrolling sideways gives hundreds of recycled cells another column: a
   * new inline style makes the style engine resolve each such cell from scratch (in Chromium,
   * about ten times the cost of a class change, most of a sideways frame's style time), while a
   * changed class finds the column's already computed style in its cache. A constructed sheet:
   * the webview's CSP allows no inline <style>, and the sheet is written only when the column
   * layout changes (the rows are rebuilt then anyway).
   */
  private readonly colSheet: CSSStyleSheet | undefined = typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype ? new CSSStyleSheet() : undefined;
  private colSheetText = '';
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
    this.body = el('div', { class: 'grid-body', role: 'rowgroup' });
    this.sizer = el('div', { class: 'grid-sizer' }, this.header, this.rownums, this.body);
    this.scrollEl = el('div', { class: 'grid-scroll', role: 'grid', attrs: { tabindex: '0', 'aria-label': 'Records' } }, this.sizer);
    this.root = el('div', { class: 'table-view' }, toolbar, this.chooser, this.scrollEl);

    const common = {
      getScrollElement: () => this.scrollEl,
      observeElementRect,
      observeElementOffset,
      scrollToFn: elementScroll,
      // Scroll events run just before the frame's animation callbacks, so a render scheduled with
      // requestAnimationFrame still lands in the same frame, and reads (scroll offsets) are never
      // interleaved with DOM writes, which would force extra layouts.
      onChange: () => this.schedule(),
      // Before the element is laid out, assume a typical panel so that the first paint has rows.
      initialRect: { width: 1200, height: 800 },
    };
    this.rowsV = new Virtualizer<HTMLDivElement, HTMLDivElement>({
      ...common,
      count: 0,
      estimateSize: () => ROW_H,
      paddingStart: HEADER_H,
      // Rows beyond the edges, so that fast scrolling rarely shows a blank band. Fewer rows are
      // cheaper when all of them change at once (scrolling sideways).
      overscan: ROW_OVERSCAN,
      // While scrolling, the spare rows go ahead of the scroll only (one stays behind): rows
      // behind it were never shown again before being recycled, yet every frame laid them out,
      // painted and layerized them with the rest.
      rangeExtractor: this.rowRange(null),
    });
    this.colsV = new Virtualizer<HTMLDivElement, HTMLDivElement>({
      ...common,
      horizontal: true,
      count: 0,
      estimateSize: (i) => this.widthOf(this.visible[i]),
      paddingStart: ROWNUM_W,
      // No column beyond the partly visible ones at the edges: every rendered column is laid out,
      // painted and rastered again for each row that scrolls into view. Measured: giving rows the
      // columns up to a viewport ahead of a sideways scroll cut a 700 px sideways step from 19-25
      // to 9-11 ms of main-thread CPU. But each row scrolling into view then built twice the
      // cells (downward steps 7-9 ms instead of 5-6), so the bench's p95 frame rose: 12.9 against
      // 8.5 ms of CPU, median of six runs alternating with the code without it.
      overscan: 0,
    });
    this.scrollEl.addEventListener('keydown', (e) => this.onKey(e));
    this.scrollEl.addEventListener('focus', () => {
      if (!this.refocusing && document.activeElement === this.scrollEl) this.focusCell(this.focus.row, this.focus.col);
    });
    this.body.addEventListener('click', (e) => this.onClick(e));
  }

  private rowRange(dir: 'forward' | 'backward' | null): (r: { startIndex: number; endIndex: number; overscan: number; count: number }) => number[] {
    return (r) => aheadRange(r, dir);
  }

  /** Attach after the root is in the document, so the virtualizers can measure it. */
  mount(): void {
    if (this.mounted) return;
    this.mounted = true;
    this.cleanups.push(this.rowsV._didMount(), this.colsV._didMount());
    const sheet = this.colSheet;
    if (sheet) {
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      this.cleanups.push(() => {
        document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
      });
    }
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
  }

  state(): TableState {
    return { hiddenColumns: [...this.hidden], columnWidths: { ...this.widths }, sort: this.sort };
  }

  /** Records share the array that grows while chunks arrive; call `grew()` after it does. */
  setData(records: unknown[], columns: ColumnInfo[]): void {
    this.records = records;
    this.columns = columns;
    this.clearRows();
    this.refreshColumns();
    this.reorder();
  }

  /** More records (or columns) arrived. Cheap when neither sort nor filter is active. */
  grew(columnsChanged: boolean): void {
    if (columnsChanged) this.refreshColumns();
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

  private widthOf(c: ColumnInfo | undefined): number {
    if (!c) return 100;
    return this.widths[c.key] ?? defaultWidth(c);
  }

  private refreshColumns(): void {
    this.visible = this.columns.filter((c) => !this.hidden.has(c.key));
    this.colsV.setOptions({ ...this.colsV.options, count: this.visible.length });
    this.colsV.measure();
    this.scrollEl.setAttribute('aria-colcount', String(this.visible.length + 1));
    // A new column layout: the next render rebuilds the rows.
    this.cacheKey = '';
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
    this.keepFocus(this.body);
    this.clearRows();
    this.updateCount();
  }

  private updateCount(): void {
    const count = this.rowCount();
    this.rowsV.setOptions({ ...this.rowsV.options, count });
    this.scrollEl.setAttribute('aria-rowcount', String(count + 1));
    const total = this.records.length;
    this.status.textContent = this.filter ? `${count.toLocaleString()} of ${total.toLocaleString()} rows match` : `${total.toLocaleString()} rows`;
    if (this.focus.row >= count) this.focus.row = Math.max(0, count - 1);
    this.schedule();
  }

  private recordAt(viewRow: number): unknown {
    return this.records[this.order ? this.order[viewRow] : viewRow];
  }

  private render(): void {
    if (!this.mounted) return;
    this.rowsV._willUpdate();
    this.colsV._willUpdate();
    // The virtualizer recomputes its rows only when the visible range or the extractor changes,
    // so a new extractor goes in when the direction changes (also when scrolling stops: the
    // spare rows go back to both sides).
    const dir = this.rowsV.scrollDirection;
    if (dir !== this.rowDir) {
      this.rowDir = dir;
      this.rowsV.setOptions({ ...this.rowsV.options, rangeExtractor: this.rowRange(dir) });
    }
    const rows = this.rowsV.getVirtualItems();
    const cols = this.colsV.getVirtualItems();
    const totalW = this.colsV.getTotalSize();
    const totalH = this.rowsV.getTotalSize();
    // Sizes are written only when they change: every write invalidates style, even with the same value.
    if (totalW !== this.sized.w || totalH !== this.sized.h) {
      this.sized = { w: totalW, h: totalH };
      this.sizer.style.width = `${totalW}px`;
      this.sizer.style.height = `${totalH}px`;
      this.header.style.width = `${totalW}px`;
      this.rownums.style.height = `${Math.max(0, totalH - HEADER_H)}px`;
    }

    // The cache key changes with the column layout (reset to '' when columns, widths or the sort
    // change): then rows are rebuilt. A new range of the same columns (scrolling sideways) keeps
    // the rows and swaps only the cells of the columns that left and came into view.
    // The font is measured once the grid is laid out (not while its tab is hidden); the rows
    // built before that clip every cell, so they are rebuilt.
    if (!this.fontMeasured && (this.colsV.scrollRect?.width ?? 0) > 0) {
      this.measureFont();
      if (this.fontMeasured) this.cacheKey = '';
    }
    const key = cols.length ? `${totalW}` : '';
    const range = cols.length ? `${cols[0].index}:${cols[cols.length - 1].index}` : '';
    if (key !== this.cacheKey) {
      this.cacheKey = key;
      this.range = range;
      this.keepFocus(this.body);
      this.clearRows();
      this.writeColumnWidths();
      this.renderHeader(cols);
    }
    const wanted = new Set(rows.map((r) => r.index));
    if (range !== this.range) {
      this.range = range;
      for (const [i, row] of this.rowCache) this.realignRow(row, i, cols, wanted.has(i));
      this.renderHeader(cols);
    }
    // Rows that scrolled out are recycled for the rows that scrolled in: their cells already have
    // the right columns, so only text and classes change.
    const free: GridRow[] = [];
    for (const [i, r] of this.rowCache) {
      if (wanted.has(i)) continue;
      this.keepFocus(r.el);
      free.push(r);
    }
    const next = new Map<number, GridRow>();
    for (const r of rows) {
      let row = this.rowCache.get(r.index);
      if (!row) {
        row = free.pop() ?? this.createRow(cols);
        this.fillRow(row, r.index, r.start, cols);
      }
      next.set(r.index, row);
    }
    for (const r of free) r.el.remove();
    this.rowCache = next;
    this.renderRowNumbers(rows);
    this.applyPendingFocus();
    if (!this.painted && rows.length > 0 && cols.length > 0) {
      this.painted = true;
      this.host.firstRowsPainted();
    }
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
        el('span', { class: 'hlabel', text: col.key }),
        sorted ? el('span', { class: 'sort-mark', text: this.sort?.descending ? ' ▼' : ' ▲' }) : null,
      );
      cell.style.left = `${c.start}px`;
      cell.style.width = `${c.size}px`;
      cell.addEventListener('click', (e) => {
        if ((e.target as HTMLElement).classList.contains('resizer')) return;
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

  /** The font may have changed: measure it again and rebuild the rows. */
  private fontChanged(): void {
    this.fontMeasured = false;
    this.charW = 0;
    this.cacheKey = '';
    this.schedule();
  }

  /**
   * Whether `text` surely fits in the content box of a cell `width` wide, in the cells' monospace
   * font: printable ASCII only (no tabs, line breaks, wide or combining characters), a little margin.
   */
  private fits(text: string, width: number): boolean {
    const n = text.length;
    if (!this.charW || n * this.charW > width - CELL_INSET_X - 1) return false;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c > 0x7e) return false;
    }
    return true;
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

  private clearRows(): void {
    this.rowCache.clear();
    this.body.replaceChildren();
    this.numGen++;
  }

  /**
   * A row element with one cell per rendered column, placed once; `fillRow` gives it content.
   * The row spans only the rendered columns (not the whole table width): a row wider than the
   * scroller's paint area would be repainted whenever that area moves, instead of only when its
   * own content changes.
   */
  private createRow(cols: VItem[]): GridRow {
    const rowEl = document.createElement('div');
    rowEl.className = 'grid-row';
    rowEl.setAttribute('role', 'row');
    const row: GridRow = { el: rowEl, cells: [], texts: [], classes: [], colIdx: [], odd: -1 };
    this.placeRow(row, cols);
    for (const c of cols) {
      const cell = this.createCell(c);
      rowEl.append(cell);
      row.cells.push(cell);
      row.texts.push(null);
      row.classes.push('');
      row.colIdx.push(c.index);
    }
    this.body.append(rowEl);
    return row;
  }

  private placeRow(row: GridRow, cols: VItem[]): void {
    const left = cols.length ? cols[0].start : 0;
    const right = cols.length ? cols[cols.length - 1].start + cols[cols.length - 1].size : 0;
    row.el.style.left = `${left}px`;
    row.el.style.width = `${right - left}px`;
  }

  private createCell(c: VItem): HTMLElement {
    const cell = document.createElement('div');
    cell.setAttribute('role', 'gridcell');
    cell.tabIndex = -1;
    this.placeCell(cell, c);
    return cell;
  }

  /**
   * Cells sit side by side in the row (a flex row from the first rendered column): no offsets.
   * Their width comes from their column's class (see `colSheet`), set with the others in `fillCell`.
   */
  private placeCell(cell: HTMLElement, c: VItem): void {
    cell.setAttribute('aria-colindex', String(c.index + 2));
    cell.setAttribute('data-c', String(c.index));
    if (!this.colSheet) cell.style.width = `${c.size}px`;
  }

  /** One width rule per visible column (see `colSheet`); rewritten only when a width changed. */
  private writeColumnWidths(): void {
    if (!this.colSheet) return;
    let text = '';
    for (let i = 0; i < this.visible.length; i++) text += `.grid-cell.c${i}{width:${this.widthOf(this.visible[i])}px}\n`;
    if (text === this.colSheetText) return;
    this.colSheetText = text;
    this.colSheet.replaceSync(text);
  }

  /**
   * Scrolling sideways: the row keeps the cells of columns still in range (untouched),
   * reuses the cells of columns that left for the columns that came in, and fills only those.
   * Cells stay in column order in the DOM (that is the order assistive technology reads).
   */
  private realignRow(row: GridRow, viewRow: number, cols: VItem[], fill: boolean): void {
    // Rendered columns are always one contiguous range (the virtualizer's), before and after.
    const a0 = row.colIdx.length ? row.colIdx[0] : 0;
    const a1 = a0 + row.colIdx.length - 1;
    const b0 = cols.length ? cols[0].index : 0;
    const b1 = b0 + cols.length - 1;
    const spare: number[] = [];
    for (let k = 0; k < row.colIdx.length; k++) {
      const ci = a0 + k;
      if (ci >= b0 && ci <= b1) continue;
      // Out of the DOM first, so that putting cells in order below never moves a kept cell.
      this.keepFocus(row.cells[k]);
      row.cells[k].remove();
      spare.push(k);
    }
    this.placeRow(row, cols);
    const cells: HTMLElement[] = [];
    const texts: (Text | null)[] = [];
    const classes: string[] = [];
    const fresh: number[] = [];
    for (const c of cols) {
      let k: number | undefined = c.index >= a0 && c.index <= a1 ? c.index - a0 : undefined;
      if (k === undefined) {
        k = spare.pop();
        fresh.push(cells.length);
      }
      if (k === undefined) {
        cells.push(this.createCell(c));
        texts.push(null);
        classes.push('');
      } else {
        if (fresh[fresh.length - 1] === cells.length) this.placeCell(row.cells[k], c);
        cells.push(row.cells[k]);
        texts.push(row.texts[k]);
        classes.push(row.classes[k]);
      }
    }
    // Put the cells in column order: only the detached (new or reused) ones are inserted.
    let prev: HTMLElement | null = null;
    for (const cell of cells) {
      const want: ChildNode | null = prev ? prev.nextSibling : row.el.firstChild;
      if (want !== cell) row.el.insertBefore(cell, want);
      prev = cell;
    }
    row.cells = cells;
    row.texts = texts;
    row.classes = classes;
    row.colIdx = cols.map((c) => c.index);
    if (!fill) return; // about to be recycled for another row, which fills every cell
    const record = this.recordAt(viewRow);
    for (const i of fresh) this.fillCell(row, i, cols[i], record, viewRow);
  }

  /**
   * Gives a (new or recycled) row the content of view row `viewRow`. Scrolling calls this for
   * every row that comes into view, so it only writes what differs: a text node's `data` in
   * place (no node replaced, so no layout object rebuilt), and classes or tab stops only when
   * they change.
   */
  private fillRow(row: GridRow, viewRow: number, top: number, cols: VItem[]): void {
    const record = this.recordAt(viewRow);
    const odd = viewRow % 2;
    if (row.odd !== odd) {
      row.odd = odd;
      row.el.className = odd ? 'grid-row odd' : 'grid-row';
    }
    row.el.setAttribute('aria-rowindex', String(viewRow + 2));
    row.el.setAttribute('data-r', String(viewRow));
    row.el.style.top = `${top}px`;
    for (let i = 0; i < cols.length; i++) this.fillCell(row, i, cols[i], record, viewRow);
  }

  private fillCell(row: GridRow, i: number, c: VItem, record: unknown, viewRow: number): void {
    const cell = row.cells[i];
    const col = this.visible[c.index];
    const v = columnValue(record, col.key);
    const kind = kindOf(v);
    const nested = kind === 'object' || kind === 'array';
    const text = nested ? '' : cellText(v, 300);
    const cls = nested || !this.fits(text, c.size) ? `grid-cell c${c.index} k-${kind} clip` : `grid-cell c${c.index} k-${kind}`;
    if (row.classes[i] !== cls) {
      row.classes[i] = cls;
      cell.className = cls;
    }
    // Read back from the element: focusing elsewhere also changes tab stops.
    const tab = this.focus.row === viewRow && this.focus.col === c.index ? 0 : -1;
    if (cell.tabIndex !== tab) cell.tabIndex = tab;
    if (nested) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'nested';
      b.tabIndex = -1;
      b.textContent = kind === 'array' ? `[…] ${(v as unknown[]).length}` : `{…} ${Object.keys(v as object).length}`;
      b.setAttribute('aria-label', `Expand ${col.key}`);
      cell.setAttribute('aria-expanded', 'false');
      cell.replaceChildren(b);
      row.texts[i] = null;
    } else {
      const t = row.texts[i];
      if (t) {
        if (t.data !== text) t.data = text;
      } else {
        if (cell.hasAttribute('aria-expanded')) cell.removeAttribute('aria-expanded');
        const fresh = document.createTextNode(text);
        cell.replaceChildren(fresh);
        row.texts[i] = fresh;
      }
    }
  }

  private onClick(e: MouseEvent): void {
    const cell = (e.target as HTMLElement).closest<HTMLElement>('.grid-cell');
    const row = cell?.closest<HTMLElement>('.grid-row');
    if (!cell || !row) return;
    const r = Number(row.getAttribute('data-r'));
    const c = Number(cell.getAttribute('data-c'));
    this.focusCell(r, c);
    if ((e.target as HTMLElement).classList.contains('nested')) this.expand(r, c);
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
    // Roving tabindex: only the focused cell is a tab stop.
    for (const old of this.body.querySelectorAll<HTMLElement>('.grid-cell[tabindex="0"]')) old.tabIndex = -1;
    this.rowsV.scrollToIndex(r, { align: 'auto' });
    this.colsV.scrollToIndex(c, { align: 'auto' });
    this.render();
  }

  /** Focuses the wanted cell once it is rendered (scrolling to it may take a frame). */
  private applyPendingFocus(): void {
    const p = this.pendingFocus;
    if (!p) return;
    const target = this.body.querySelector<HTMLElement>(`.grid-row[data-r="${p.row}"] .grid-cell[data-c="${p.col}"]`);
    if (!target) return;
    this.pendingFocus = undefined;
    target.tabIndex = 0;
    target.focus({ preventScroll: true });
  }

  /** Keeps keyboard focus in the grid when the focused cell scrolls out and is removed. */
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
    this.cacheKey = '';
    this.reorder();
    this.host.stateChanged();
  }

  private startResize(e: PointerEvent, col: ColumnInfo): void {
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
    this.cacheKey = '';
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
      return { key: c.key.toLowerCase(), label };
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

/**
 * The rows to render: the visible ones plus `overscan` spare rows on each side at rest, or, while
 * scrolling, `overscan` ahead of the scroll and one behind it.
 */
export function aheadRange(r: { startIndex: number; endIndex: number; overscan: number; count: number }, direction: 'forward' | 'backward' | null): number[] {
  const before = direction === 'forward' ? Math.min(1, r.overscan) : r.overscan;
  const after = direction === 'backward' ? Math.min(1, r.overscan) : r.overscan;
  const start = Math.max(0, r.startIndex - before);
  const end = Math.min(r.count - 1, r.endIndex + after);
  const out: number[] = [];
  for (let i = start; i <= end; i++) out.push(i);
  return out;
}
