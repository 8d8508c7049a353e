/**
 * The response viewer's webview. Receives a response as `response` + text `chunk`s + `end`
 * (src/core/viewer/messages.ts), parses an array body incrementally and paints the first rows as
 * soon as the first chunk holds a screenful. All API data reaches the DOM through textContent.
 *
 * This file puts the page together; each part has its own file: the header and banner
 * (header.ts), the tabs (tabs.ts), the search box (search.ts), the Raw tab (rawView.ts), the
 * Table tab (table/), the JSON tab (jsonTree.ts) and the nested-value dialog (detail.ts).
 */
import type { FromWebview, ResponseMeta, ToWebview, ViewerState } from '../../core/viewer/messages';
import { ResponseBody } from '../../core/viewer/responseBody';
import { selectedPaths } from '../../core/viewer/columns';
import { fill, plural } from '../../core/viewer/strings';
import { redactHeaders, redactUrl } from '../../core/http/redact';
import { isFieldName } from '../../core/viewer/fieldName';
import { el, escapeBidi } from './dom';
import { TableView } from './table/tableView';
import { JsonTree } from './jsonTree';
import { Tabs } from './tabs';
import { SearchBox } from './search';
import { RawView } from './rawView';
import { ResponseHeader } from './header';
import { DetailDialog } from './detail';
import { S } from './strings';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): ViewerState | undefined;
  setState(state: ViewerState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** The response on screen and what has been built for it. Replaced whole when a new one arrives. */
interface Shown {
  readonly meta: ResponseMeta;
  readonly body: ResponseBody;
  tableReady: boolean;
  jsonReady: boolean;
}

class ViewerPage {
  private saved: ViewerState;
  private shown?: Shown;
  private readonly tabs: Tabs;
  private readonly header: ResponseHeader;
  private readonly search: SearchBox;
  private readonly raw: RawView;
  private readonly table: TableView;
  private readonly tree = new JsonTree();
  private readonly detail: DetailDialog;

  constructor(private readonly vscode: VsCodeApi) {
    this.saved = vscode.getState() ?? {};
    this.tabs = new Tabs(this.saved.tab ?? 'table', () => {
      this.renderPane();
      this.saveState();
    });
    this.header = new ResponseHeader({
      post: (m) => this.post(m),
      columnKeys: () => this.table.columnKeys,
      showRaw: () => this.tabs.select('raw', true),
    });
    this.search = new SearchBox(this.saved.search ?? '', {
      search: (q) => this.runSearch(q),
      findNext: (q) => this.findNext(q),
    });
    this.raw = new RawView(this.tabs.pane('raw'));
    this.detail = new DetailDialog(() => this.table.root.querySelector<HTMLElement>('.grid-scroll')?.focus());
    this.table = new TableView({
      copy: (text, what) => this.post({ type: 'copy', text, what }),
      openValue: (title, value) => this.detail.open(title, value),
      stateChanged: () => this.saveState(),
      rewriteSelect: (fields) => this.post({ type: 'rewriteSelect', fields: fields.filter(isFieldName) }),
      firstRowsPainted: () => {
        // Marked in the frame that paints the rows, for the benchmark and the tests.
        performance.mark('sage200.firstRows');
      },
    });
    const s = this.saved;
    this.table.applyState({ hiddenColumns: [...(s.hiddenColumns ?? [])], columnWidths: { ...(s.columnWidths ?? {}) }, sort: s.sort, flatten: { ...(s.flatten ?? {}) } });
    this.tabs.pane('table').append(this.table.root);
    this.tabs.pane('json').append(this.tree.root);
    const toolbar = el('div', { class: 'toolbar' }, this.tabs.bar, this.search.el);
    const panes = el('main', { class: 'panes' }, ...this.tabs.allPanes);
    const h = this.header;
    document.body.append(h.header, h.banner, h.busy, h.notice, toolbar, panes, this.detail.el);
  }

  start(): void {
    window.addEventListener('message', (event: MessageEvent<ToWebview>) => this.receive(event.data));
    this.tabs.select(this.tabs.current);
    this.post({ type: 'ready', state: this.saved });
  }

  private post(m: FromWebview): void {
    this.vscode.postMessage(m);
  }

  private saveState(): void {
    const t = this.table.state();
    this.saved = {
      ...this.saved,
      responseId: this.shown?.meta.id ?? this.saved.responseId,
      tab: this.tabs.current,
      search: this.search.query,
      hiddenColumns: t.hiddenColumns,
      columnWidths: t.columnWidths,
      sort: t.sort,
      flatten: t.flatten,
    };
    this.vscode.setState(this.saved);
  }

  // ---- panes ------------------------------------------------------------------------------------
  private renderPane(): void {
    const s = this.shown;
    if (!s) return;
    switch (this.tabs.current) {
      case 'table':
        this.renderTable(s);
        break;
      case 'json':
        this.renderJson(s);
        break;
      case 'raw':
        this.raw.render();
        break;
      case 'headers':
        this.renderHeaders(s);
        break;
      case 'request':
        this.renderRequest(s);
        break;
    }
  }

  private renderTable(s: Shown): void {
    const pane = this.tabs.pane('table');
    if (s.body.hasRows) {
      if (!s.tableReady) {
        s.tableReady = true;
        this.table.setData(s.body.records, s.body.columns, selectedPaths(s.meta.url));
        this.table.mount();
        // What the search box shows now, also when it was just cleared: the table keeps its filter otherwise.
        this.table.setFilter(this.search.query);
      }
      this.table.root.hidden = false;
      pane.querySelector('.placeholder')?.remove();
      return;
    }
    this.table.root.hidden = true;
    let ph = pane.querySelector<HTMLElement>('.placeholder');
    if (!ph) {
      ph = el('p', { class: 'placeholder' });
      pane.append(ph);
    }
    ph.textContent = s.body.complete ? S.notRecords : S.loading;
  }

  private renderJson(s: Shown): void {
    const pane = this.tabs.pane('json');
    const b = s.body;
    pane.querySelector('.placeholder')?.remove();
    if (!b.complete) {
      pane.append(el('p', { class: 'placeholder', text: S.loading }));
      this.tree.root.hidden = true;
      return;
    }
    if (!b.parsed) {
      this.tree.root.hidden = true;
      pane.append(el('p', { class: 'placeholder', text: b.parseError ? fill(S.notJson, b.parseError) : S.emptyOrNotJson }));
      return;
    }
    this.tree.root.hidden = false;
    if (!s.jsonReady) {
      s.jsonReady = true;
      this.tree.setValue(b.value);
      this.tree.mount();
    }
  }

  private renderHeaders(s: Shown): void {
    this.tabs.pane('headers').replaceChildren(
      el('h2', { text: fill(S.responseHeadersCount, Object.keys(s.meta.headers).length) }),
      kvTable(S.responseHeaders, redactHeaders(s.meta.headers)),
    );
  }

  private renderRequest(s: Shown): void {
    const r = s.meta.request;
    const parts: HTMLElement[] = [
      el('h2', { text: S.requestAsSent }),
      el('pre', { class: 'request-line', text: `${r.method} ${redactUrl(r.url)}` }),
      kvTable(S.requestHeaders, redactHeaders(r.headers)),
    ];
    if (r.body) parts.push(el('h2', { text: S.requestBody }), el('pre', { class: 'raw', text: r.body }));
    if (s.meta.attempts && s.meta.attempts > 1) parts.push(el('p', { text: fill(S.sentTimes, s.meta.attempts) }));
    this.tabs.pane('request').replaceChildren(...parts);
  }

  // ---- search -----------------------------------------------------------------------------------
  private runSearch(query: string): string {
    this.raw.restartSearch();
    const s = this.shown;
    if (!s) return '';
    const parts: string[] = [];
    if (s.tableReady) {
      const n = this.table.setFilter(query);
      if (query) parts.push(plural(n, S.recordsMatchOne, S.recordsMatch));
    }
    if (query) parts.push(plural(s.body.count(query), S.bodyMatchesOne, S.bodyMatches));
    this.saveState();
    return parts.join(' · ');
  }

  private findNext(query: string): string | undefined {
    if (!this.shown) return undefined;
    switch (this.tabs.current) {
      case 'json':
        return this.tree.findNext(query) ? undefined : S.noMatch;
      case 'raw':
        return this.raw.findNext(query) ? undefined : S.noFurtherMatch;
      default:
        return this.runSearch(query);
    }
  }

  // ---- messages ---------------------------------------------------------------------------------
  private receive(m: ToWebview): void {
    if (!m || typeof m !== 'object') return;
    const s = this.shown;
    switch (m.type) {
      case 'response':
        document.body.dataset.state = 'loading';
        this.startResponse(m.meta);
        break;
      case 'chunk':
        if (s && m.id === s.meta.id) this.onChunk(s, m.text);
        break;
      case 'end':
        if (s && m.id === s.meta.id) this.onEnd(s);
        break;
      case 'busy':
        this.header.showBusy(m.text, m.cancellable);
        break;
      case 'progress':
        this.header.showProgress(m.records, m.pages);
        break;
      case 'idle':
        this.header.hideBusy();
        break;
      case 'notice':
        this.header.showNotice(m.level, m.text);
        break;
      case 'empty':
        this.header.showEmpty(m.text);
        break;
    }
  }

  private startResponse(meta: ResponseMeta): void {
    const s: Shown = { meta, body: new ResponseBody(), tableReady: false, jsonReady: false };
    this.shown = s;
    this.raw.reset(s.body, !!meta.truncated);
    this.header.showNotice('', '');
    this.detail.hide();
    // The user's tab stays; onEnd moves away from Table when the body is not a list of records.
    this.header.render(meta, s.body);
    this.header.renderBanner(meta, s.body);
    this.tabs.select(this.tabs.current);
  }

  private onChunk(s: Shown, text: string): void {
    const columnsBefore = s.body.columns.length;
    if (!s.body.push(text).length) return;
    this.recordsAdded(s, columnsBefore);
  }

  private recordsAdded(s: Shown, columnsBefore: number): void {
    if (s.tableReady) this.table.grew(s.body.columns.length !== columnsBefore);
    else if (this.tabs.current === 'table') this.renderTable(s);
    this.header.updateCount(s.meta, s.body, () => this.shown === s);
  }

  private onEnd(s: Shown): void {
    const b = s.body;
    const columnsBefore = b.columns.length;
    if (b.finish(!!s.meta.truncated).length) this.recordsAdded(s, columnsBefore);
    if (s.meta.truncated && b.parseError && b.parsed) {
      // History cut the body at 1 MB: the records before the cut are whole, so those are shown.
      this.header.showNotice('warning', plural(b.records.length, S.historyCutRecordsOne, S.historyCutRecords));
    }
    if (!b.isRecordArray && this.tabs.current === 'table') this.tabs.prefer(b.parsed ? 'json' : 'raw');
    if (s.tableReady) this.table.grew(false);
    this.header.render(s.meta, b);
    this.header.renderBanner(s.meta, b);
    this.tabs.select(this.tabs.current);
    if (this.search.query) this.search.run();
    document.body.dataset.state = 'complete';
    performance.mark('sage200.complete');
  }
}

function kvTable(label: string, headers: Readonly<Record<string, string>>): HTMLElement {
  const rows = Object.entries(headers).map(([k, v]) => el('tr', {}, el('th', { text: escapeBidi(k), attrs: { scope: 'row' } }), el('td', { text: v })));
  return el('table', { class: 'kv', attrs: { 'aria-label': label } }, el('tbody', {}, ...rows));
}

new ViewerPage(acquireVsCodeApi()).start();
