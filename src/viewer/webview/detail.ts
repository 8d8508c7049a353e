/** The dialog that shows a nested value (an object or array in a cell) as a folding tree. */
import { button, el } from './dom';
import { JsonTree } from './jsonTree';
import { S } from './strings';

export class DetailDialog {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly tree = new JsonTree(S.nestedValue);

  /** `closed` runs when the user closes it, to put focus back where it came from. */
  constructor(private readonly closed: () => void) {
    this.title = el('span', { class: 'detail-title' });
    this.el = el(
      'div',
      { class: 'detail', role: 'dialog', attrs: { hidden: '', 'aria-label': S.nestedValue } },
      el('div', { class: 'detail-bar' }, this.title, button(S.close, () => this.close(), { title: S.closeTitle })),
      this.tree.root,
    );
    this.el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
    });
  }

  open(title: string, value: unknown): void {
    this.title.textContent = title;
    this.el.hidden = false;
    this.tree.mount();
    this.tree.setValue(value);
    this.el.querySelector<HTMLElement>('.tree-scroll')?.focus();
  }

  close(): void {
    this.el.hidden = true;
    this.closed();
  }

  /** Hides it without moving focus (a new response replaced what it showed). */
  hide(): void {
    this.el.hidden = true;
  }
}
