/**
 * Focus and keyboard: the grid's one tab stop is the focused cell, a real `gridcell` (in a `row`
 * with `aria-rowindex`) placed over its painted twin with the same text or nested-value button, so
 * keyboard focus, screen readers and text selection work on it. Arrow keys, Page Up/Down,
 * Home/End (with Ctrl: the first or last row) move it; with Shift they stretch the selected range
 * from its anchor. Enter opens a nested value.
 */
import { TableColumn, columnValue, kindOf } from '../../../core/viewer/columns';
import type { CellRange } from '../../../core/viewer/copy';
import { fill } from '../../../core/viewer/strings';
import { el } from '../dom';
import { S } from '../strings';
import { KIND_NESTED } from './cellPaint';
import { CellAt, HEADER_H, ROW_H } from './geometry';
import { cellContent } from './painting';

export interface FocusSource {
  rowCount(): number;
  columnCount(): number;
  recordAt(row: number): unknown;
  column(i: number): TableColumn | undefined;
  columnStart(col: number): number;
  widthOf(col: number): number;
  /** Whether the text surely fits the width (no clipping needed). */
  fits(text: string, width: number): boolean;
  titleFor(row: number, col: number): string;
  pageRows(): number;
  /** Scrolls the cell into view and schedules a frame. */
  reveal(cell: CellAt): void;
}

export class FocusCell {
  readonly row: HTMLDivElement;
  readonly cell: HTMLDivElement;
  /** The focused cell, and the other corner of the selected range (the same cell when none). */
  private at: CellAt = { row: 0, col: 0 };
  private anchor: CellAt = { row: 0, col: 0 };
  private pending?: CellAt;
  private refocusing = false;
  /** What the twin was last written for; a change of any part rewrites it. */
  private placedKey = '';

  constructor(private readonly grid: HTMLElement, private readonly source: FocusSource) {
    this.cell = el('div', { class: 'grid-cell grid-proxy', role: 'gridcell', attrs: { tabindex: '0' } });
    this.row = el('div', { class: 'grid-row grid-proxy-row', role: 'row', attrs: { hidden: '' } }, this.cell);
    grid.addEventListener('focus', () => {
      if (!this.refocusing && document.activeElement === grid) this.moveTo(this.at);
    });
  }

  get position(): CellAt {
    return this.at;
  }

  get range(): CellRange {
    return { anchor: this.anchor, focus: this.at };
  }

  /** Whether more than the focused cell is selected. */
  get hasRange(): boolean {
    return this.anchor.row !== this.at.row || this.anchor.col !== this.at.col;
  }

  /** Focuses a cell; `extend` keeps the anchor, so the range stretches to it. */
  moveTo(cell: CellAt, extend = false): void {
    this.at = { ...cell };
    if (!extend) this.anchor = { ...cell };
    this.pending = { ...cell };
    this.source.reveal(cell);
  }

  /** New data, sort or filter: the range goes (its rows now hold other records), focus stays in range. */
  rowsChanged(): void {
    this.keepFocus();
    const last = Math.max(0, this.source.rowCount() - 1);
    if (this.at.row > last) this.at = { ...this.at, row: last };
    this.anchor = { ...this.at };
  }

  onKey(e: KeyboardEvent, expand: (cell: CellAt) => void): boolean {
    const { row, col } = this.at;
    const rows = this.source.rowCount();
    const cols = this.source.columnCount();
    if (!rows || !cols) return false;
    const page = this.source.pageRows();
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
        if (e.ctrlKey || e.metaKey) r = 0;
        c = 0;
        break;
      case 'End':
        if (e.ctrlKey || e.metaKey) r = rows - 1;
        c = cols - 1;
        break;
      case 'Enter':
        e.preventDefault();
        expand(this.at);
        return true;
      default:
        return false;
    }
    e.preventDefault();
    this.moveTo({ row: Math.min(rows - 1, Math.max(0, r)), col: Math.min(cols - 1, Math.max(0, c)) }, e.shiftKey);
    return true;
  }

  /**
   * Puts the focused cell's DOM twin over the painted cell, with the same content, when the focus,
   * the columns or the data changed (`key` says which), then focuses it if a move asked for that.
   */
  place(key: string): void {
    const { row, col } = this.at;
    const c = this.source.column(col);
    const full = `${row}:${col}:${key}:${this.source.rowCount()}`;
    if (full !== this.placedKey) {
      this.placedKey = full;
      if (!c || row >= this.source.rowCount()) {
        this.keepFocus();
        this.row.hidden = true;
        return;
      }
      this.write(row, col, c);
    }
    this.applyPending();
  }

  private write(row: number, col: number, c: TableColumn): void {
    const width = this.source.widthOf(col);
    const r = this.row;
    r.hidden = false;
    r.setAttribute('aria-rowindex', String(row + 2));
    r.setAttribute('data-r', String(row));
    r.style.top = `${HEADER_H + row * ROW_H}px`;
    r.style.left = `${this.source.columnStart(col)}px`;
    r.style.width = `${width}px`;
    const cell = this.cell;
    cell.setAttribute('aria-colindex', String(col + 2));
    cell.setAttribute('data-c', String(col));
    cell.style.width = `${width}px`;
    const record = this.source.recordAt(row);
    const kind = kindOf(columnValue(record, c.key));
    const { text, kind: painted } = cellContent(record, c);
    const nested = painted === KIND_NESTED;
    cell.className = `grid-cell grid-proxy k-${kind}${nested || !this.source.fits(text, width) ? ' clip' : ''}`;
    const title = this.source.titleFor(row, col);
    if (title) cell.title = title;
    else cell.removeAttribute('title');
    if (nested) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'nested';
      b.tabIndex = -1;
      b.textContent = text;
      b.setAttribute('aria-label', fill(S.expandValue, c.key));
      cell.setAttribute('aria-expanded', 'false');
      cell.replaceChildren(b);
    } else {
      cell.removeAttribute('aria-expanded');
      cell.replaceChildren(document.createTextNode(text));
    }
  }

  /** Focuses the twin once it is in place, if a move asked for it. */
  private applyPending(): void {
    const p = this.pending;
    if (!p || this.row.hidden || p.row !== this.at.row || p.col !== this.at.col) return;
    this.pending = undefined;
    this.cell.focus({ preventScroll: true });
  }

  /** Keeps keyboard focus in the grid when the focused cell is about to go (no rows left). */
  private keepFocus(): void {
    if (this.row.contains(document.activeElement)) {
      this.refocusing = true;
      this.grid.focus({ preventScroll: true });
      this.refocusing = false;
    }
  }
}
