/**
 * The search box: typing filters (after a pause), Enter finds the next match in the tab shown.
 * What a search does to each tab is the owner's; this file owns the box, its pause and its status.
 */
import { el } from './dom';
import { S } from './strings';

/** The pause after typing before the table is filtered and the body counted. */
const TYPING_PAUSE_MS = 250;

export interface SearchHost {
  /** Apply `query` (possibly empty); returns the status line. */
  search(query: string): string;
  /** Enter: show the next match of `query` in the tab on screen; returns a status, or undefined to keep it. */
  findNext(query: string): string | undefined;
}

export class SearchBox {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly status: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(initial: string, private readonly host: SearchHost) {
    this.input = el('input', {
      class: 'search',
      attrs: { type: 'search', placeholder: S.searchPlaceholder, 'aria-label': S.searchLabel, spellcheck: 'false' },
    });
    this.input.value = initial;
    this.status = el('span', { class: 'search-status', attrs: { 'aria-live': 'polite' } });
    this.el = el('div', { class: 'search-box' }, this.input, this.status);
    this.input.addEventListener('input', () => {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.run(), TYPING_PAUSE_MS);
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      const q = this.query;
      if (!q) return;
      const status = this.host.findNext(q);
      if (status !== undefined) this.show(status);
    });
  }

  /**
   * The text in the box now, not when the pause last ended: a response that arrives while the
   * user is still typing (or has just cleared the box) is filtered by what the box shows.
   */
  get query(): string {
    return this.input.value;
  }

  /** Applies the box's text at once (a pending pause is dropped). */
  run(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.show(this.host.search(this.query));
  }

  private show(text: string): void {
    this.status.textContent = text;
    this.status.title = text;
  }
}
