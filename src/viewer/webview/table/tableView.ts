/**
 * The Table tab: a grid virtualized in both directions, so that 50,000 records × 130 fields cost
 * only the cells on screen. This file puts its parts together and runs the frame; each seam has
 * its own file:
 *   geometry.ts     virtualization: where rows and columns are, what is on screen
 *   focus.ts        the focused cell (a real gridcell over its painted twin) and the keyboard
 *   selection.ts    selecting a range or text, copying, the context menu
 *   theme.ts        colours and fonts from VS Code's theme, text measuring
 *   columns.ts      which columns show and how wide; columnChooser.ts, gridHeader.ts their UI
 *   painting.ts     what each cell shows, described per frame to the canvas; the row numbers
 *
 * The cells are painted on a canvas (canvasLayer.ts), by a worker where the webview allows one:
 * a scroll step then costs the page only the choice of what each visible cell shows. The header,
 * the row numbers and the focused cell stay DOM, and the canvas is hidden from assistive
 * technology. docs/response-viewer.md gives the measurements behind the canvas.
 */
import { ColumnInfo, TableColumn, columnValue, kindOf } from '../../../core/viewer/columns';
import { SortSpec, orderRows } from '../../../core/viewer/rowOrder';
import { fill, plural } from '../../../core/viewer/strings';
import { el, button, frameScheduler } from '../dom';
import { S } from '../strings';
import { KIND_NESTED } from './cellPaint';
import { ColumnChooser } from './columnChooser';
import { ColumnSet, ColumnState } from './columns';
import { FocusCell } from './focus';
import { CellAt, GridGeometry, HEADER_H, ROWNUM_W } from './geometry';
import { GridHeader } from './gridHeader';
import { CellPainter, RowNumbers, cellContent } from './painting';
import { CellSelection, CopyWhat } from './selection';
import { CELL_INSET_X, CellTheme } from './theme';

export interface TableHost {
  copy(text: string, what: CopyWhat): void;
  /** A nested value was opened: show it in full. */
  openValue(title: string, value: unknown): void;
  stateChanged(): void;
  rewriteSelect?(fields: string[]): void;
  /** Called once, after the first rows are on screen. */
  firstRowsPainted(): void;
}

export interface TableState extends ColumnState {
  sort?: SortSpec;
}

export class TableView {
  readonly root: HTMLElement;
  readonly schedule: () => void;
  private readonly scrollEl: HTMLDivElement;
  private readonly sizer: HTMLDivElement;
  private readonly status: HTMLElement;
  private readonly columns = new ColumnSet();
  private readonly geometry: GridGeometry;
  private readonly header: GridHeader;
  private readonly chooser: ColumnChooser;
  private readonly rowNumbers = new RowNumbers();
  private readonly theme: CellTheme;
  private readonly painter: CellPainter;
  private readonly focus: FocusCell;
  private readonly selection: CellSelection;
  private records: unknown[] = [];
  private sort?: SortSpec;
  private filter = '';
  /** Indices into `records` in view order, or undefined for "all, in order". */
  private order?: Uint32Array;
  /** The header's column range and layout; reset to '' when columns, widths or the sort change. */
  private headKey = '';
  /** Bumped when what a view row shows may have changed: the focused cell is rewritten. */
  private dataGen = 0;
  /** The painted cell under the pointer, for its tooltip. */
  private hoverKey = '';
  private sized = { w: -1, h: -1 };
  private mounted = false;
  private cleanups: (() => void)[] = [];

  constructor(private readonly host: TableHost) {
    this.schedule = frameScheduler(() => this.render());
    this.status = el('span', { class: 'table-status', attrs: { 'aria-live': 'polite' } });
    this.scrollEl = el('div', { class: 'grid-scroll', role: 'grid', attrs: { tabindex: '0', 'aria-label': S.recordsLabel } });
    const body = el('div', { class: 'grid-body', role: 'rowgroup' });
    this.geometry = new GridGeometry(this.scrollEl, {
      rowCount: () => this.rowCount(),
      columnCount: () => this.columns.visible.length,
      widthOf: (i) => this.columns.widthOf(this.columns.visible[i]),
    }, () => this.schedule());
    this.theme = new CellTheme(body, this.scrollEl, (theme) => this.painter.setTheme(theme), () => this.columns.forgetMeasured());
    const column = (i: number): TableColumn | undefined => this.columns.visible[i];
    const widthAt = (i: number) => this.columns.widthOf(this.columns.visible[i]);
    this.painter = new CellPainter(
      { recordAt: (r) => this.recordAt(r), column, widthOf: widthAt, isSelected: (r, c) => this.selection.isSelected(r, c) },
      this.theme,
      () => this.host.firstRowsPainted(),
    );
    this.focus = new FocusCell(this.scrollEl, {
      rowCount: () => this.rowCount(),
      columnCount: () => this.columns.visible.length,
      recordAt: (r) => this.recordAt(r),
      column,
      columnStart: (c) => this.geometry.columnStart(c),
      widthOf: widthAt,
      fits: (text, width) => this.theme.fits(text, width),
      titleFor: (r, c) => this.painter.titleFor(r, c),
      pageRows: () => this.geometry.pageRows(),
      reveal: (cell) => {
        this.geometry.scrollTo(cell);
        this.render();
      },
    });
    this.selection = new CellSelection(this.scrollEl, () => this.painter.canvas.el, this.focus, {
      cellAt: (x, y, clamp) => this.geometry.cellAt(x, y, clamp),
      recordAt: (r) => this.recordAt(r),
      column,
      columnKeys: () => this.columns.keys,
      changed: () => this.schedule(),
      copy: (text, what) => this.host.copy(text, what),
    });
    this.header = new GridHeader({
      sort: () => this.sort,
      toggleSort: (key) => this.toggleSort(key),
      widthOf: (c) => this.columns.widthOf(c),
      resize: (key, width, done) => {
        this.columns.resize(key, width);
        this.layoutChanged();
        if (done) this.host.stateChanged();
      },
      setFlatten: (key, flat) => this.setFlatten(key, flat),
    });
    this.chooser = new ColumnChooser(this.columns, {
      changed: () => {
        this.columnsChanged();
        this.host.stateChanged();
      },
      setFlatten: (key, flat) => this.setFlatten(key, flat),
      ...(host.rewriteSelect ? { rewriteSelect: (fields: string[]) => host.rewriteSelect?.(fields) } : {}),
    });
    body.append(this.focus.row);
    this.sizer = el('div', { class: 'grid-sizer' }, this.header.el, this.painter.canvas.el, this.rowNumbers.el, body);
    this.scrollEl.append(this.sizer);
    const toolbar = el(
      'div',
      { class: 'table-toolbar' },
      button(S.columns, () => this.chooser.toggle(), { attrs: { 'aria-haspopup': 'true' }, title: S.columnsTitle }),
      button(S.copy, () => this.selection.copy(), { title: S.copyTitle }),
      button(S.copyRow, () => this.selection.copyRow(), { title: S.copyRowTitle }),
      this.status,
    );
    this.root = el('div', { class: 'table-view' }, toolbar, this.chooser.el, this.scrollEl, this.selection.menu);
    this.scrollEl.addEventListener('keydown', (e) => {
      if (!this.selection.onKey(e) && this.focus.onKey(e, (cell) => this.expand(cell))) this.schedule();
    });
    this.scrollEl.addEventListener('click', (e) => this.onClick(e));
    this.scrollEl.addEventListener('mousemove', (e) => {
      const at = this.geometry.cellAt(e.clientX, e.clientY);
      if (this.painter.setHover(at?.row ?? -1)) this.schedule();
      this.showTitle(at);
    });
    this.scrollEl.addEventListener('mouseleave', () => {
      if (this.painter.setHover(-1)) this.schedule();
      this.showTitle(undefined);
    });
  }

  /** Attach after the root is in the document, so the virtualizers can measure it. */
  mount(): void {
    if (this.mounted) return;
    this.mounted = true;
    this.cleanups.push(this.geometry.mount(), () => this.painter.dispose());
    // VS Code passes the editor font and theme as CSS variables in <html>'s style attribute.
    const fonts = new MutationObserver(() => {
      this.theme.invalidate();
      this.dataGen++;
      this.schedule();
    });
    fonts.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    this.cleanups.push(() => fonts.disconnect());
    this.schedule();
  }

  applyState(s: Partial<TableState>): void {
    this.columns.applyState(s);
    if (s.sort) this.sort = { ...s.sort };
  }

  state(): TableState {
    return { ...this.columns.state(), sort: this.sort };
  }

  /**
   * Records share the array that grows while chunks arrive, and `columns` the list inferred from
   * them; call `grew()` after they do. `select` is the request's `$select` (its paths).
   */
  setData(records: unknown[], columns: ColumnInfo[], select: readonly string[] = []): void {
    this.records = records;
    this.columns.setSource(columns, select);
    this.columns.refresh();
    this.columnsChanged();
    this.reorder();
  }

  /** More records (or columns) arrived. Cheap when neither sort nor filter is active. */
  grew(columnsChanged: boolean): void {
    if (columnsChanged) {
      this.columns.refresh();
      this.columnsChanged();
    }
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
    return this.columns.keys;
  }

  rowCount(): number {
    return this.order ? this.order.length : this.records.length;
  }

  dispose(): void {
    for (const c of this.cleanups) c();
  }

  private recordAt(viewRow: number): unknown {
    return this.records[this.order ? this.order[viewRow] : viewRow];
  }

  /** The visible columns changed (hidden, shown, flattened, more inferred). */
  private columnsChanged(): void {
    this.geometry.columnsChanged();
    this.scrollEl.setAttribute('aria-colcount', String(this.columns.visible.length + 1));
    this.layoutChanged();
    this.chooser.render();
  }

  /** Widths or columns changed: the header and the focused cell are rebuilt. */
  private layoutChanged(): void {
    this.geometry.columnsChanged();
    this.headKey = '';
    this.dataGen++;
    this.schedule();
  }

  private setFlatten(key: string, flat: boolean): void {
    this.columns.setFlatten(key, flat);
    this.columnsChanged();
    this.host.stateChanged();
  }

  private toggleSort(column: string): void {
    if (this.sort?.column !== column) this.sort = { column, descending: false };
    else if (!this.sort.descending) this.sort = { column, descending: true };
    else this.sort = undefined;
    this.headKey = '';
    this.reorder();
    this.host.stateChanged();
  }

  private reorder(): void {
    this.order = orderRows(this.records, { filter: this.filter, ...(this.sort ? { sort: this.sort } : {}) });
    // What each view row shows changed: every row number block and the focused cell are rewritten.
    this.focus.rowsChanged();
    this.rowNumbers.invalidate();
    this.dataGen++;
    this.updateCount();
  }

  private updateCount(): void {
    const count = this.rowCount();
    this.geometry.rowsChanged();
    this.scrollEl.setAttribute('aria-rowcount', String(count + 1));
    const total = this.records.length;
    const rows = plural(total, S.rowCountOne, S.rowCount);
    this.status.textContent = this.filter ? fill(count === 1 ? S.rowsMatchOne : S.rowsMatch, count, rows) : rows;
    this.schedule();
  }

  private render(): void {
    if (!this.mounted) return;
    // Reads first (the viewport and scroll offsets), then writes: no layout forced in between.
    const el = this.scrollEl;
    const viewW = el.clientWidth;
    const viewH = el.clientHeight;
    const left = el.scrollLeft;
    const top = el.scrollTop;
    // The font and colours are read once the grid is laid out (not while its tab is hidden), and
    // columns take their widths from their content in that font, before the sizes are worked out.
    this.theme.refresh(viewW > 0);
    this.fitColumns();
    this.geometry.update();
    const totalW = this.geometry.totalWidth;
    const totalH = this.geometry.totalHeight;
    // The painted area: right of the row numbers and below the header, within the table.
    const width = Math.max(0, Math.min(viewW, totalW) - ROWNUM_W);
    const height = Math.max(0, Math.min(viewH, totalH) - HEADER_H);
    const rows = this.geometry.rowsIn(top, height);
    const cols = this.geometry.columnsIn(left, width);
    // Sizes are written only when they change: every write invalidates style, even with the same value.
    if (totalW !== this.sized.w || totalH !== this.sized.h) {
      this.sized = { w: totalW, h: totalH };
      this.sizer.style.width = `${totalW}px`;
      this.sizer.style.height = `${totalH}px`;
      this.header.el.style.width = `${totalW}px`;
      this.rowNumbers.el.style.height = `${Math.max(0, totalH - HEADER_H)}px`;
    }
    const headKey = cols.length ? `${totalW}:${cols[0].index}:${cols[cols.length - 1].index}` : '';
    if (headKey !== this.headKey) {
      this.headKey = headKey;
      this.header.render(cols, this.columns.visible);
    }
    this.rowNumbers.render(rows, this.rowCount(), (i) => (this.order ? this.order[i] : i));
    this.painter.paint(rows, cols, width, height, left, top);
    this.focus.place(`${this.dataGen}:${this.headKey}`);
  }

  /** Columns without a width take one from their content, once the fonts are known. */
  private fitColumns(): void {
    if (!this.theme.themeRead || !this.records.length) return;
    const changed = this.columns.fit(this.records, {
      header: (text) => this.theme.headerWidth(text),
      cell: (record, column) => {
        const { text, kind } = cellContent(record, column);
        return { width: this.theme.textWidth(text) + CELL_INSET_X, nested: kind === KIND_NESTED };
      },
    });
    if (changed) this.layoutChanged();
  }

  /**
   * A click on a nested value opens it. The press already focused the cell, so the click may end
   * on the focused cell's twin, which then lies over the painted one. A drag that selected cells,
   * or selected text, opens nothing.
   */
  private onClick(e: MouseEvent): void {
    const target = e.target as Node;
    if (this.header.el.contains(target) || this.rowNumbers.el.contains(target)) return;
    if (this.focus.hasRange || !getSelection()?.isCollapsed) return;
    const at = this.geometry.cellAt(e.clientX, e.clientY);
    const pos = this.focus.position;
    if (at && at.row === pos.row && at.col === pos.col) this.expand(at);
  }

  private expand(cell: CellAt): void {
    const col = this.columns.visible[cell.col];
    if (!col) return;
    const v = columnValue(this.recordAt(cell.row), col.key);
    const k = kindOf(v);
    if (k === 'object' || k === 'array') this.host.openValue(fill(S.nestedTitle, cell.row + 1, col.key), v);
  }

  /** The painted cell under the pointer shows its full value on hover, as the canvas's title. */
  private showTitle(at: CellAt | undefined): void {
    const key = at ? `${at.row}:${at.col}:${this.dataGen}:${this.headKey}` : '';
    if (key === this.hoverKey) return;
    this.hoverKey = key;
    const title = at ? this.painter.titleFor(at.row, at.col) : '';
    const canvas = this.painter.canvas.el;
    if (title) canvas.title = title;
    else canvas.removeAttribute('title');
  }
}
