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

export interface TableHost {
  copy(text: string, what: 'cell' | 'row'): void;
  /** A nested value was opened: show it in full. */
  openValue(title: string, value: unknown): void;
  stateChanged(): void;
  rewriteSelect?(fields: string[]): void;
  /** Called once, after the first rows are on screen. */
  firstRowsPainted(): void;
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
  private rowCache = new Map<number, HTMLElement>();
  /** Each row's number cell, in the sticky row-number column (one sticky element, not one per row). */
  private rownumOf = new Map<HTMLElement, HTMLElement>();
  private cacheKey = '';
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
      overscan: 8,
    });
    this.colsV = new Virtualizer<HTMLDivElement, HTMLDivElement>({
      ...common,
      horizontal: true,
      count: 0,
      estimateSize: (i) => this.widthOf(this.visible[i]),
      paddingStart: ROWNUM_W,
      overscan: 2,
    });
    this.scrollEl.addEventListener('keydown', (e) => this.onKey(e));
    this.scrollEl.addEventListener('focus', () => {
      if (!this.refocusing && document.activeElement === this.scrollEl) this.focusCell(this.focus.row, this.focus.col);
    });
    this.body.addEventListener('click', (e) => this.onClick(e));
  }

  /** Attach after the root is in the document, so the virtualizers can measure it. */
  mount(): void {
    if (this.mounted) return;
    this.mounted = true;
    this.cleanups.push(this.rowsV._didMount(), this.colsV._didMount());
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
    const rows = this.rowsV.getVirtualItems();
    const cols = this.colsV.getVirtualItems();
    const totalW = this.colsV.getTotalSize();
    const totalH = this.rowsV.getTotalSize();
    this.sizer.style.width = `${totalW}px`;
    this.sizer.style.height = `${totalH}px`;
    this.header.style.width = `${totalW}px`;

    this.rownums.style.height = `${Math.max(0, totalH - HEADER_H)}px`;

    const key = cols.length ? `${cols[0].index}:${cols[cols.length - 1].index}:${totalW}` : '';
    if (key !== this.cacheKey) {
      this.cacheKey = key;
      this.keepFocus(this.body);
      this.clearRows();
      this.renderHeader(cols);
    }
    // Rows that scrolled out are recycled for the rows that scrolled in: their cells already have
    // the right columns, so only text and classes change.
    const wanted = new Set(rows.map((r) => r.index));
    const free: HTMLElement[] = [];
    for (const [i, e] of this.rowCache) {
      if (wanted.has(i)) continue;
      this.keepFocus(e);
      free.push(e);
    }
    const next = new Map<number, HTMLElement>();
    for (const r of rows) {
      let rowEl = this.rowCache.get(r.index);
      if (!rowEl) {
        rowEl = free.pop() ?? this.createRow(cols, totalW);
        this.fillRow(rowEl, r.index, r.start, cols);
      }
      next.set(r.index, rowEl);
    }
    for (const e of free) {
      e.remove();
      this.rownumOf.get(e)?.remove();
      this.rownumOf.delete(e);
    }
    this.rowCache = next;
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

  private clearRows(): void {
    this.rowCache.clear();
    this.rownumOf.clear();
    this.body.replaceChildren();
    this.rownums.replaceChildren();
  }

  /** A row element with one cell per rendered column, placed once; `fillRow` gives it content. */
  private createRow(cols: { index: number; start: number; size: number }[], totalW: number): HTMLElement {
    const row = el('div', { class: 'grid-row', role: 'row' });
    row.style.width = `${totalW}px`;
    for (const c of cols) {
      const cell = document.createElement('div');
      cell.setAttribute('role', 'gridcell');
      cell.setAttribute('aria-colindex', String(c.index + 2));
      cell.setAttribute('data-c', String(c.index));
      cell.style.left = `${c.start}px`;
      cell.style.width = `${c.size}px`;
      row.append(cell);
    }
    const num = el('div', { class: 'grid-rownum' });
    this.rownumOf.set(row, num);
    this.body.append(row);
    this.rownums.append(num);
    return row;
  }

  private fillRow(row: HTMLElement, viewRow: number, top: number, cols: { index: number; start: number; size: number }[]): void {
    const record = this.recordAt(viewRow);
    row.className = viewRow % 2 ? 'grid-row odd' : 'grid-row';
    row.setAttribute('aria-rowindex', String(viewRow + 2));
    row.setAttribute('data-r', String(viewRow));
    row.style.top = `${top}px`;
    const num = this.rownumOf.get(row);
    if (num) {
      num.textContent = String((this.order ? this.order[viewRow] : viewRow) + 1);
      num.style.top = `${top - HEADER_H}px`;
    }
    const cells = row.children;
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i];
      const cell = cells[i] as HTMLElement;
      const col = this.visible[c.index];
      const v = columnValue(record, col.key);
      const kind = kindOf(v);
      cell.className = `grid-cell k-${kind}`;
      cell.tabIndex = this.focus.row === viewRow && this.focus.col === c.index ? 0 : -1;
      if (kind === 'object' || kind === 'array') {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'nested';
        b.tabIndex = -1;
        b.textContent = kind === 'array' ? `[…] ${(v as unknown[]).length}` : `{…} ${Object.keys(v as object).length}`;
        b.setAttribute('aria-label', `Expand ${col.key}`);
        cell.setAttribute('aria-expanded', 'false');
        cell.replaceChildren(b);
      } else {
        if (cell.hasAttribute('aria-expanded')) cell.removeAttribute('aria-expanded');
        cell.textContent = cellText(v, 300);
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
