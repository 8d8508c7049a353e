/**
 * The tab strip and its panes (Table, JSON, Raw, Headers, Request): ARIA tabs that move with the
 * arrow keys, Home and End. The owner renders a pane when it is selected.
 */
import type { TabId } from '../../core/viewer/messages';
import { el } from './dom';
import { S } from './strings';

export const TABS: readonly { readonly id: TabId; readonly label: string }[] = [
  { id: 'table', label: S.tabTable },
  { id: 'json', label: S.tabJson },
  { id: 'raw', label: S.tabRaw },
  { id: 'headers', label: S.tabHeaders },
  { id: 'request', label: S.tabRequest },
];

export class Tabs {
  readonly bar: HTMLElement;
  private readonly panes = new Map<TabId, HTMLElement>();
  private readonly buttons = new Map<TabId, HTMLButtonElement>();
  private selected: TabId;

  /** `selected` runs after every selection, to render the pane and save the state. */
  constructor(initial: TabId, private readonly onSelect: (id: TabId) => void) {
    this.selected = initial;
    this.bar = el('div', { class: 'tabs', role: 'tablist', attrs: { 'aria-label': S.tabsLabel } });
    for (const t of TABS) {
      const b = el('button', { class: 'tab', text: t.label, role: 'tab', attrs: { id: `tab-${t.id}`, 'aria-controls': `pane-${t.id}`, 'aria-selected': 'false', tabindex: '-1', type: 'button' } });
      b.addEventListener('click', () => this.select(t.id, true));
      this.buttons.set(t.id, b);
      this.bar.append(b);
      this.panes.set(t.id, el('section', { class: `pane pane-${t.id}`, role: 'tabpanel', attrs: { id: `pane-${t.id}`, 'aria-labelledby': `tab-${t.id}`, hidden: '' } }));
    }
    this.bar.addEventListener('keydown', (e) => this.onKey(e));
  }

  get current(): TabId {
    return this.selected;
  }

  /** Every pane, in tab order, for the page to hold. */
  get allPanes(): HTMLElement[] {
    return [...this.panes.values()];
  }

  pane(id: TabId): HTMLElement {
    const p = this.panes.get(id);
    if (!p) throw new Error(`no pane ${id}`);
    return p;
  }

  /** Shows a tab's pane; `focus` moves keyboard focus to its tab (a user's choice, not a restore). */
  select(id: TabId, focus = false): void {
    this.selected = id;
    for (const [t, b] of this.buttons) {
      const on = t === id;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      this.pane(t).hidden = !on;
    }
    if (focus) this.buttons.get(id)?.focus();
    this.onSelect(id);
  }

  /** Changes the selected tab without rendering it (the caller selects again once it can render). */
  prefer(id: TabId): void {
    this.selected = id;
  }

  private onKey(e: KeyboardEvent): void {
    const i = TABS.findIndex((t) => t.id === this.selected);
    let j: number;
    if (e.key === 'ArrowRight') j = (i + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + TABS.length) % TABS.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = TABS.length - 1;
    else return;
    e.preventDefault();
    this.select(TABS[j].id, true);
  }
}
