/**
 * The column chooser: a checkbox per column to show or hide it, a filter, Show all / Hide all, the
 * flatten / fold control of each nested object (reachable from the keyboard here), and "Set
 * $select in the request file" with the visible columns.
 */
import { fill, plural } from '../../../core/viewer/strings';
import { button, el } from '../dom';
import { S } from '../strings';
import type { ColumnSet } from './columns';
import { nestButton } from './gridHeader';

export interface ChooserActions {
  /** The columns' visibility or layout changed. */
  changed(): void;
  setFlatten(key: string, flat: boolean): void;
  rewriteSelect?(fields: string[]): void;
}

export class ColumnChooser {
  readonly el = el('div', { class: 'column-chooser', attrs: { hidden: '' } });

  constructor(private readonly columns: ColumnSet, private readonly actions: ChooserActions) {}

  get open(): boolean {
    return !this.el.hasAttribute('hidden');
  }

  toggle(): void {
    if (!this.open) {
      this.el.removeAttribute('hidden');
      this.render();
      this.el.querySelector<HTMLElement>('input')?.focus();
    } else {
      this.el.setAttribute('hidden', '');
    }
  }

  /** Rewrites the list (only while open: it is built when opened). */
  render(): void {
    if (!this.open) return;
    const set = this.columns;
    const filter = el('input', { class: 'chooser-filter', attrs: { type: 'search', placeholder: S.filterColumns, 'aria-label': S.filterColumns } });
    const list = el('div', { class: 'chooser-list', role: 'group', attrs: { 'aria-label': S.columnsLabel } });
    const items = set.all.map((c) => {
      const box = el('input', { attrs: { type: 'checkbox' } });
      box.checked = !set.isHidden(c.key);
      box.addEventListener('change', () => {
        set.setHidden(c.key, !box.checked);
        this.actions.changed();
      });
      const label = el('label', { class: 'chooser-item' }, box, el('span', { text: c.key }));
      // The header's flatten / fold control, once per object.
      const first = c.parent !== undefined && set.all.find((x) => x.parent === c.parent) === c;
      const nest = c.fields !== undefined || first ? nestButton(c, (key, flat) => this.actions.setFlatten(key, flat)) : null;
      if (nest) {
        nest.removeAttribute('tabindex');
        nest.textContent = c.fields !== undefined ? `⊞ ${plural(c.fields, S.fieldCountOne, S.fieldCount)}` : fill(S.foldParent, c.parent ?? '');
      }
      return { key: c.key.toLowerCase(), label: el('div', { class: 'chooser-row' }, label, nest) };
    });
    list.append(...items.map((i) => i.label));
    filter.addEventListener('input', () => {
      const q = filter.value.toLowerCase();
      for (const i of items) i.label.hidden = !!q && !i.key.includes(q);
    });
    const rewrite = this.actions.rewriteSelect;
    const actions = el(
      'div',
      { class: 'chooser-actions' },
      button(S.showAll, () => {
        set.showAll();
        this.actions.changed();
      }),
      button(S.hideAll, () => {
        set.hideAll();
        this.actions.changed();
      }),
      rewrite
        ? button(S.setSelect, () => rewrite(set.keys), { title: S.setSelectTitle })
        : null,
      button(S.close, () => this.toggle()),
    );
    this.el.replaceChildren(filter, actions, list);
  }
}
