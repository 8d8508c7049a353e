/**
 * The top of the viewer: the request line and facts (status, time, size, place, record count), the
 * actions (paging, Re-send, Copy, Save, Export, Pin), the error banner with Sage's own message, the
 * busy line of a running Load all, and notices.
 */
import type { FromWebview, ResponseMeta } from '../../core/viewer/messages';
import type { ResponseBody } from '../../core/viewer/responseBody';
import { explainStatus, statusClass } from '../../core/viewer/errors';
import { sageMessage } from '../../core/http/sageMessage';
import { formatBytes, formatMs, timingBreakdown } from '../../core/viewer/format';
import { fill, plural } from '../../core/viewer/strings';
import { redactUrl } from '../../core/http/redact';
import { button, el, present } from './dom';
import { S } from './strings';

export interface HeaderHost {
  post(m: FromWebview): void;
  /** The table's visible columns, for Export CSV. */
  columnKeys(): string[];
  /** The banner's "Show raw body". */
  showRaw(): void;
}

export class ResponseHeader {
  readonly header = el('header', { class: 'resp-header' });
  readonly banner = el('div', { class: 'error-banner', role: 'alert', attrs: { hidden: '' } });
  readonly busy = el('div', { class: 'busy', attrs: { hidden: '', 'aria-live': 'polite' } });
  readonly notice = el('div', { class: 'notice', attrs: { 'aria-live': 'polite' } });
  private countScheduled = false;

  constructor(private readonly host: HeaderHost) {}

  render(meta: ResponseMeta, body: ResponseBody): void {
    const m = meta;
    const post = (msg: FromWebview) => this.host.post(msg);
    const labels = { dns: S.timingDns, connect: S.timingConnect, tunnel: S.timingTunnel, tls: S.timingTls, wait: S.timingWait, download: S.timingDownload };
    const breakdown = timingBreakdown(m.timing, labels)
      .map((p) => `${p.label} ${formatMs(p.ms)}`)
      .join(' · ');
    const paging = m.paging;
    const place = `${m.site ?? ''}${m.site && m.company ? ' › ' : ''}${m.company ?? ''}`;
    const actions: HTMLElement[] = [];
    if (paging) {
      const prev = button(S.previousPage, () => post({ type: 'page', direction: 'previous' }), { title: `$skip=${Math.max(0, paging.skip - paging.top)}` });
      prev.disabled = !paging.canPrevious;
      const next = button(S.nextPage, () => post({ type: 'page', direction: 'next' }), { title: `$skip=${paging.skip + paging.top}` });
      next.disabled = !paging.canNext;
      actions.push(prev, next);
      if (paging.canLoadAll) actions.push(button(S.loadAll, () => post({ type: 'loadAll' }), { title: S.loadAllTitle }));
    }
    actions.push(
      button(S.resend, () => post({ type: 'resend' })),
      button(S.copyBody, () => post({ type: 'copyBody' })),
      button(S.saveBody, () => post({ type: 'saveBody' })),
    );
    if (body.isArray) actions.push(button(S.exportCsv, () => post({ type: 'exportCsv', columns: this.host.columnKeys() })));
    actions.push(button(m.pinned ? S.pinned : S.pin, () => post({ type: 'pin' }), { title: S.pinTitle }));

    this.header.replaceChildren(
      ...present(
        el(
          'div',
          { class: 'req-line' },
          el('span', { class: `method m-${m.method.toLowerCase().replace(/[^a-z]/g, '')}`, text: m.method }),
          el('span', { class: 'url', text: redactUrl(m.url), title: redactUrl(m.url).slice(0, 4000) }),
        ),
        el(
          'div',
          { class: 'facts' },
          el('span', { class: `status s-${statusClass(m.status)}`, text: `${m.status} ${m.statusText}`.trim(), attrs: { 'aria-label': fill(S.statusLabel, String(m.status)) } }),
          el('span', { class: 'fact', title: breakdown, text: fill(S.time, formatMs(m.timing.totalMs)) }),
          breakdown ? el('span', { class: 'fact dim', text: breakdown }) : null,
          el('span', { class: 'fact', text: formatBytes(m.size) }),
          m.site || m.company ? el('span', { class: 'fact', text: place, title: place }) : null,
          body.isArray ? el('span', { class: 'fact count', text: countText(body) }) : null,
          m.fromHistory ? el('span', { class: 'fact dim', text: S.fromHistory }) : null,
        ),
        el('div', { class: 'actions' }, ...actions),
        paging?.note ? el('div', { class: 'paging-note', text: paging.note }) : null,
      ),
    );
  }

  /** The record count while records arrive: at most once a frame, and only for the body still shown. */
  updateCount(meta: ResponseMeta, body: ResponseBody, isCurrent: () => boolean): void {
    if (this.countScheduled) return;
    this.countScheduled = true;
    requestAnimationFrame(() => {
      this.countScheduled = false;
      if (!isCurrent()) return;
      const countEl = this.header.querySelector('.count');
      if (countEl) countEl.textContent = countText(body);
      else this.render(meta, body);
    });
  }

  /** The error banner for a status of 400 or more: what it means, Sage's message, what to do. */
  renderBanner(meta: ResponseMeta, body: ResponseBody): void {
    const ex = explainStatus(meta.status);
    if (!ex) {
      this.banner.hidden = true;
      return;
    }
    const message = body.complete ? sageMessage(body.parsed ? body.value : body.text(64 * 1024)) : undefined;
    this.banner.replaceChildren(
      ...present(
        el('strong', { text: `${meta.status} ${ex.title}` }),
        message ? el('p', { class: 'sage-message', text: fill(S.sageSays, message) }) : null,
        el('p', { text: ex.detail }),
        el(
          'div',
          { class: 'actions' },
          button(S.showRawBody, () => this.host.showRaw()),
          ex.action === 'signIn' ? button(S.signInAgain, () => this.host.post({ type: 'signIn' })) : null,
          ex.action === 'retry' ? button(S.tryAgain, () => this.host.post({ type: 'resend' })) : null,
        ),
      ),
    );
    this.banner.hidden = false;
  }

  showBusy(text: string, cancellable: boolean): void {
    this.busy.replaceChildren(
      ...present(
        el('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
        el('span', { class: 'busy-text', text }),
        cancellable ? button(S.cancel, () => this.host.post({ type: 'cancel' })) : null,
      ),
    );
    this.busy.hidden = false;
  }

  showProgress(records: number, pages: number): void {
    const t = this.busy.querySelector('.busy-text');
    if (t) t.textContent = fill(S.loadingAll, plural(records, S.recordCountOne, S.recordCount), plural(pages, S.pageCountOne, S.pageCount));
  }

  hideBusy(): void {
    this.busy.hidden = true;
  }

  showNotice(level: 'info' | 'warning' | 'error' | '', text: string): void {
    this.notice.className = level ? `notice ${level}` : 'notice';
    this.notice.textContent = text;
  }

  /** Nothing to show (the response is gone after a reload). */
  showEmpty(text: string): void {
    this.header.replaceChildren(el('p', { class: 'placeholder', text }));
  }
}

function countText(body: ResponseBody): string {
  const count = Array.isArray(body.value) ? body.value.length : body.records.length;
  return `${plural(count, S.recordCountOne, S.recordCount)}${body.complete ? '' : '…'}`;
}
