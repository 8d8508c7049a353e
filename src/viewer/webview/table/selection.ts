/**
 * Selecting and copying, as in a spreadsheet: press on a cell and drag to select a range of cells
 * (Shift+click or Shift+arrows stretch it); in the focused cell, which is real text, drag or
 * double-click to select part of its text. Ctrl+C (Cmd+C) copies the selected text, else the range
 * as tab-separated rows, else the focused cell; Ctrl+Shift+C copies the focused row as JSON. A
 * right-click opens the same choices as a menu.
 */
import { TableColumn, columnValue } from '../../../core/viewer/columns';
import { cellCopyText, rangeBounds, rangeText } from '../../../core/viewer/copy';
import { fill } from '../../../core/viewer/strings';
import { button, el } from '../dom';
import { S } from '../strings';
import type { CellAt } from './geometry';
import type { FocusCell } from './focus';

export type CopyWhat = 'cell' | 'row' | 'cells' | 'text';

export interface SelectionSource {
  cellAt(clientX: number, clientY: number, clamp?: boolean): CellAt | undefined;
  recordAt(row: number): unknown;
  column(i: number): TableColumn | undefined;
  columnKeys(): string[];
  /** The range changed: repaint. */
  changed(): void;
  copy(text: string, what: CopyWhat): void;
}

export class CellSelection {
  readonly menu: HTMLElement;
  constructor(
    grid: HTMLElement,
    private readonly canvas: () => HTMLElement,
    private readonly focus: FocusCell,
    private readonly source: SelectionSource,
  ) {
    this.menu = el('div', { class: 'grid-menu', role: 'menu', attrs: { hidden: '', 'aria-label': S.copyMenu } });
    grid.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    // A press on the canvas must not focus the grid itself (that would first bring back the
    // previously focused cell, scrolling away from the one pressed) nor start a text selection.
    grid.addEventListener('mousedown', (e) => {
      if (e.target === this.canvas()) e.preventDefault();
    });
    grid.addEventListener('contextmenu', (e) => this.openMenu(e));
    this.menu.addEventListener('keydown', (e) => this.onMenuKey(e));
    document.addEventListener('pointerdown', (e) => {
      if (!this.menu.hidden && !this.menu.contains(e.target as Node)) this.closeMenu(false);
    });
  }

  /** Whether a cell is in the selected range (a range of one cell is just the focus). */
  isSelected(row: number, col: number): boolean {
    if (!this.focus.hasRange) return false;
    const b = rangeBounds(this.focus.range);
    return row >= b.top && row <= b.bottom && col >= b.left && col <= b.right;
  }

  /** Ctrl+C and Ctrl+Shift+C; true when the key was one of them. */
  onKey(e: KeyboardEvent): boolean {
    if ((e.key !== 'c' && e.key !== 'C') || !(e.ctrlKey || e.metaKey)) return false;
    e.preventDefault();
    if (e.shiftKey) this.copyRow();
    else this.copy();
    return true;
  }

  /** Copies what the user selected: text in the focused cell, else the range, else the focused cell. */
  copy(withHeader = false): void {
    const text = this.selectedText();
    if (text) {
      this.source.copy(text, 'text');
      return;
    }
    if (this.focus.hasRange) {
      this.source.copy(rangeText(this.focus.range, (r) => this.source.recordAt(r), this.source.columnKeys(), withHeader), 'cells');
      return;
    }
    this.copyCell();
  }

  copyCell(): void {
    const { row, col } = this.focus.position;
    const record = this.source.recordAt(row);
    if (record === undefined) return;
    const c = this.source.column(col);
    this.source.copy(cellCopyText(c ? columnValue(record, c.key) : undefined), 'cell');
  }

  copyRow(): void {
    const record = this.source.recordAt(this.focus.position.row);
    if (record !== undefined) this.source.copy(JSON.stringify(record, null, 2), 'row');
  }

  /** Text the user selected inside the focused cell (the only cell that is text on the page). */
  private selectedText(): string {
    const sel = getSelection();
    if (!sel || sel.isCollapsed || !sel.anchorNode || !this.focus.cell.contains(sel.anchorNode)) return '';
    return sel.toString();
  }

  private onPointerDown(e: PointerEvent): void {
    // In the focused cell the press selects text natively (its text is real text); elsewhere
    // (header, row numbers) it is not about cells.
    if (e.button !== 0 || e.target !== this.canvas()) return;
    const at = this.source.cellAt(e.clientX, e.clientY);
    if (!at) return;
    getSelection()?.removeAllRanges();
    this.closeMenu(false);
    this.focus.moveTo(at, e.shiftKey);
    this.source.changed();
    // Followed on the window, so that a drag past the grid's edge keeps stretching the range (and
    // without pointer capture, which would make the click that ends a plain press miss the canvas).
    const id = e.pointerId;
    const move = (ev: PointerEvent) => {
      if (ev.pointerId !== id) return;
      const to = this.source.cellAt(ev.clientX, ev.clientY, true);
      const cur = this.focus.position;
      if (!to || (to.row === cur.row && to.col === cur.col)) return;
      this.focus.moveTo(to, true);
      this.source.changed();
    };
    const up = (ev: PointerEvent) => {
      if (ev.pointerId !== id) return;
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', up);
  }

  // ---- context menu ---------------------------------------------------------------------------
  private openMenu(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    if (target !== this.canvas() && !this.focus.row.contains(target)) return; // header, row numbers: the default menu
    e.preventDefault();
    const at = this.source.cellAt(e.clientX, e.clientY);
    // A right-click outside the selection selects the cell under it, as spreadsheets do.
    if (at && !this.isSelected(at.row, at.col) && !(at.row === this.focus.position.row && at.col === this.focus.position.col)) {
      this.focus.moveTo(at);
      this.source.changed();
    }
    const text = this.selectedText();
    const range = this.focus.hasRange ? rangeBounds(this.focus.range) : undefined;
    const cells = range ? (range.bottom - range.top + 1) * (range.right - range.left + 1) : 1;
    const item = (label: string, run: () => void) => {
      const b = button(label, () => {
        this.closeMenu(true);
        run();
      }, { class: 'grid-menu-item', role: 'menuitem', attrs: { tabindex: '-1' } });
      return b;
    };
    const items = [
      item(text ? S.copySelectedText : range ? fill(S.copyCells, cells) : S.copyCell, () => this.copy()),
      range && !text ? item(S.copyWithNames, () => this.copy(true)) : null,
      item(S.copyRowAsJson, () => this.copyRow()),
    ].filter((b): b is HTMLButtonElement => !!b);
    this.menu.replaceChildren(...items);
    this.menu.hidden = false;
    // Placed at the pointer, kept inside the view.
    const box = this.menu.parentElement?.getBoundingClientRect() ?? new DOMRect();
    const w = this.menu.offsetWidth;
    const h = this.menu.offsetHeight;
    this.menu.style.left = `${Math.max(0, Math.min(e.clientX - box.left, box.width - w))}px`;
    this.menu.style.top = `${Math.max(0, Math.min(e.clientY - box.top, box.height - h))}px`;
    items[0]?.focus();
  }

  private onMenuKey(e: KeyboardEvent): void {
    const items = [...this.menu.querySelectorAll<HTMLElement>('.grid-menu-item')];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') this.closeMenu(true);
    else if (e.key === 'ArrowDown') items[(i + 1) % items.length]?.focus();
    else if (e.key === 'ArrowUp') items[(i - 1 + items.length) % items.length]?.focus();
    else return;
    e.preventDefault();
    e.stopPropagation();
  }

  /** `refocus` puts keyboard focus back on the focused cell. */
  private closeMenu(refocus: boolean): void {
    if (this.menu.hidden) return;
    this.menu.hidden = true;
    if (refocus) this.focus.cell.focus({ preventScroll: true });
  }
}
