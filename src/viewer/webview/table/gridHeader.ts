/**
 * The grid's header row: a cell per visible column on screen, with its label, sort mark, the
 * flatten / fold control of a nested object, and a handle to resize it (drag, or Ctrl+←/→).
 */
import { TableColumn } from '../../../core/viewer/columns';
import type { SortSpec } from '../../../core/viewer/rowOrder';
import { fill, plural } from '../../../core/viewer/strings';
import { button, el } from '../dom';
import { S } from '../strings';
import type { Span } from './geometry';

export interface HeaderActions {
  sort(): SortSpec | undefined;
  toggleSort(key: string): void;
  widthOf(col: TableColumn): number;
  /** While dragging: the new width; `done` once the drag ends. */
  resize(key: string, width: number, done: boolean): void;
  setFlatten(key: string, flat: boolean): void;
}

export class GridHeader {
  readonly el = el('div', { class: 'grid-header', role: 'row', attrs: { 'aria-rowindex': '1' } });

  constructor(private readonly actions: HeaderActions) {}

  render(cols: Span[], visible: readonly TableColumn[]): void {
    const corner = el('div', { class: 'grid-corner', role: 'columnheader', text: '#', attrs: { 'aria-colindex': '1' } });
    const cells: HTMLElement[] = [corner];
    const sort = this.actions.sort();
    for (const c of cols) {
      const col = visible[c.index];
      const sorted = sort?.column === col.key;
      const cell = el(
        'div',
        {
          class: `grid-hcell kind-${col.kind}`,
          role: 'columnheader',
          title: fill(S.sortTitle, col.key, col.kind),
          attrs: {
            'aria-colindex': String(c.index + 2),
            'aria-sort': sorted ? (sort?.descending ? 'descending' : 'ascending') : 'none',
            tabindex: '-1',
            'data-c': String(c.index),
          },
        },
        nestButton(col, (key, flat) => this.actions.setFlatten(key, flat)),
        el('span', { class: 'hlabel', text: col.key }),
        sorted ? el('span', { class: 'sort-mark', text: sort?.descending ? ' ▼' : ' ▲' }) : null,
      );
      cell.style.left = `${c.start}px`;
      cell.style.width = `${c.size}px`;
      cell.addEventListener('click', (e) => {
        const target = e.target as HTMLElement;
        if (target.classList.contains('resizer') || target.closest('.nest-toggle')) return;
        this.actions.toggleSort(col.key);
      });
      cell.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          this.actions.toggleSort(col.key);
        } else if ((e.ctrlKey || e.altKey) && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
          e.preventDefault();
          e.stopPropagation();
          this.actions.resize(col.key, this.actions.widthOf(col) + (e.key === 'ArrowLeft' ? -16 : 16), true);
        }
      });
      const handle = el('div', { class: 'resizer', attrs: { 'aria-hidden': 'true' } });
      handle.addEventListener('pointerdown', (e) => this.startResize(e, col));
      cell.append(handle);
      cells.push(cell);
    }
    this.el.replaceChildren(...cells);
  }

  private startResize(e: PointerEvent, col: TableColumn): void {
    e.preventDefault();
    e.stopPropagation();
    // The header is re-rendered while dragging, so follow the pointer on the window, not the handle.
    const startX = e.clientX;
    const startW = this.actions.widthOf(col);
    const move = (ev: PointerEvent) => this.actions.resize(col.key, startW + ev.clientX - startX, false);
    const up = (ev: PointerEvent) => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      this.actions.resize(col.key, startW + ev.clientX - startX, true);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }
}

/**
 * The control for a nested object: an object column can show its fields as columns, and a column
 * flattened from one can fold them back into one column. Shared by the header and the chooser.
 */
export function nestButton(col: TableColumn, setFlatten: (key: string, flat: boolean) => void): HTMLElement | null {
  const target = col.fields !== undefined ? col.key : col.parent;
  if (target === undefined) return null;
  const flat = col.fields === undefined;
  const label = flat ? fill(S.foldFields, target) : fill(S.showFields, plural(col.fields ?? 0, S.fieldCountOne, S.fieldCount), target);
  return button(flat ? '⊟' : '⊞', () => setFlatten(target, !flat), {
    class: 'nest-toggle',
    title: label,
    attrs: { 'aria-label': label, tabindex: '-1' },
  });
}
