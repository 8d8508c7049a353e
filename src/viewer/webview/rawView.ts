/**
 * The Raw tab: the body as text, 2 MB at a time (*Show more*), and Enter in the search box selecting
 * the next match in it. The text goes in through `textContent`, so a body is never markup.
 */
import type { ResponseBody } from '../../core/viewer/responseBody';
import { formatBytes } from '../../core/viewer/format';
import { fill } from '../../core/viewer/strings';
import { button, el } from './dom';
import { S } from './strings';

const RAW_PAGE = 2 * 1024 * 1024;

export class RawView {
  /** Characters shown of the current body. */
  private shown = RAW_PAGE;
  /** Where the last match found by `findNext` starts, or -1. */
  private cursor = -1;
  private body?: ResponseBody;
  private truncated = false;

  constructor(private readonly pane: HTMLElement) {}

  /** A new body: shows its first page again and starts the search from the top. */
  reset(body: ResponseBody, truncated: boolean): void {
    this.body = body;
    this.truncated = truncated;
    this.shown = RAW_PAGE;
    this.cursor = -1;
  }

  /** The search text changed: the next match is looked for from the top. */
  restartSearch(): void {
    this.cursor = -1;
  }

  render(): void {
    const b = this.body;
    if (!b) return;
    const text = b.text(this.shown);
    const pre = el('pre', { class: 'raw', attrs: { tabindex: '0', 'aria-label': S.rawLabel } });
    pre.textContent = text;
    const parts: HTMLElement[] = [];
    if (this.truncated) parts.push(el('p', { class: 'notice-inline', text: S.rawTruncated }));
    parts.push(pre);
    if (b.chars > text.length) {
      parts.push(
        el(
          'div',
          { class: 'raw-more' },
          el('span', { text: `${fill(S.rawShowing, formatBytes(text.length), formatBytes(b.chars))} ` }),
          button(S.showMore, () => {
            this.shown += RAW_PAGE;
            this.render();
          }),
        ),
      );
    }
    if (!b.chars) parts.push(el('p', { class: 'placeholder', text: b.complete ? S.bodyEmpty : S.loading }));
    this.pane.replaceChildren(...parts);
  }

  /** Selects the next match of `q` and scrolls it to the middle; false when there is no further one. */
  findNext(q: string): boolean {
    const b = this.body;
    if (!b) return false;
    const i = b.text().toLowerCase().indexOf(q.toLowerCase(), this.cursor + 1);
    if (i < 0) {
      this.cursor = -1;
      return false;
    }
    this.cursor = i;
    if (i + q.length > this.shown) {
      this.shown = i + q.length + RAW_PAGE;
      this.render();
    }
    const node = this.pane.querySelector('pre.raw')?.firstChild;
    if (node && node.nodeType === Node.TEXT_NODE) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + q.length);
      const sel = getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
      const rect = range.getBoundingClientRect();
      this.pane.scrollTop += rect.top - this.pane.getBoundingClientRect().top - this.pane.clientHeight / 2;
    }
    return true;
  }
}
