/**
 * The response viewer's webview. Receives a response as `response` + text `chunk`s + `end`
 * (src/core/viewer/messages.ts), parses an array body incrementally and paints the first rows as soon
 * as the first chunk holds a screenful. All API data reaches the DOM through textContent.
 */
import type { FromWebview, ResponseMeta, TabId, ToWebview, ViewerState } from '../../core/viewer/messages';
import { ColumnInfo, inferColumns, selectedPaths } from '../../core/viewer/columns';
import { JsonArrayStream } from '../../core/viewer/arrayStream';
import { explainStatus, statusClass } from '../../core/viewer/errors';
import { sageMessage } from '../../core/http/sageMessage';
import { formatBytes, formatCount, formatMs, timingBreakdown } from '../../core/viewer/format';
import { redactHeaders, redactUrl } from '../../core/http/redact';
import { isFieldName } from '../../core/viewer/fieldName';
import { el, button, escapeBidi, present } from './dom';
import { TableView } from './table';
import { JsonTree } from './jsonTree';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): ViewerState | undefined;
  setState(state: ViewerState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const RAW_PAGE = 2 * 1024 * 1024;
const TABS: { id: TabId; label: string }[] = [
  { id: 'table', label: 'Table' },
  { id: 'json', label: 'JSON' },
  { id: 'raw', label: 'Raw' },
  { id: 'headers', label: 'Headers' },
  { id: 'request', label: 'Request' },
];

/** Everything about the response on screen. Replaced whole when a new one arrives. */
interface Current {
  meta: ResponseMeta;
  chunks: string[];
  chars: number;
  stream: JsonArrayStream;
  /** Elements of an array body, growing while chunks arrive. */
  records: unknown[];
  columns: ColumnInfo[];
  /** The parsed body when it is not an array (or once an array is complete). */
  value?: unknown;
  parsed: boolean;
  parseError?: string;
  complete: boolean;
  tableReady: boolean;
  jsonReady: boolean;
  rawShown: number;
}

let saved: ViewerState = vscode.getState() ?? {};
let cur: Current | undefined;
let tab: TabId = saved.tab ?? 'table';
let searchText = saved.search ?? '';
let searchTimer: ReturnType<typeof setTimeout> | undefined;
let rawCursor = -1;

// ---- layout ---------------------------------------------------------------------------------
const headerEl = el('header', { class: 'resp-header' });
const bannerEl = el('div', { class: 'error-banner', role: 'alert', attrs: { hidden: '' } });
const busyEl = el('div', { class: 'busy', attrs: { hidden: '', 'aria-live': 'polite' } });
const noticeEl = el('div', { class: 'notice', attrs: { 'aria-live': 'polite' } });
const tablist = el('div', { class: 'tabs', role: 'tablist', attrs: { 'aria-label': 'Response views' } });
const searchInput = el('input', {
  class: 'search',
  attrs: { type: 'search', placeholder: 'Search the body (Enter: next)', 'aria-label': 'Search the body', spellcheck: 'false' },
});
const searchStatus = el('span', { class: 'search-status', attrs: { 'aria-live': 'polite' } });
const toolbar = el('div', { class: 'toolbar' }, tablist, el('div', { class: 'search-box' }, searchInput, searchStatus));
const panes = new Map<TabId, HTMLElement>();
const tabButtons = new Map<TabId, HTMLButtonElement>();
for (const t of TABS) {
  const b = el('button', { class: 'tab', text: t.label, role: 'tab', attrs: { id: `tab-${t.id}`, 'aria-controls': `pane-${t.id}`, 'aria-selected': 'false', tabindex: '-1', type: 'button' } });
  b.addEventListener('click', () => selectTab(t.id, true));
  tabButtons.set(t.id, b);
  tablist.append(b);
  const pane = el('section', { class: `pane pane-${t.id}`, role: 'tabpanel', attrs: { id: `pane-${t.id}`, 'aria-labelledby': `tab-${t.id}`, hidden: '' } });
  panes.set(t.id, pane);
}
tablist.addEventListener('keydown', (e) => {
  const i = TABS.findIndex((t) => t.id === tab);
  let j = i;
  if (e.key === 'ArrowRight') j = (i + 1) % TABS.length;
  else if (e.key === 'ArrowLeft') j = (i - 1 + TABS.length) % TABS.length;
  else if (e.key === 'Home') j = 0;
  else if (e.key === 'End') j = TABS.length - 1;
  else return;
  e.preventDefault();
  selectTab(TABS[j].id, true);
});
const detailTitle = el('span', { class: 'detail-title' });
const detailTree = new JsonTree('Nested value');
const detailEl = el(
  'div',
  { class: 'detail', role: 'dialog', attrs: { hidden: '', 'aria-label': 'Nested value' } },
  el('div', { class: 'detail-bar' }, detailTitle, button('Close', () => closeDetail(), { title: 'Close (Escape)' })),
  detailTree.root,
);
detailEl.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') closeDetail();
});
const main = el('main', { class: 'panes' }, ...panes.values());
document.body.append(headerEl, bannerEl, busyEl, noticeEl, toolbar, main, detailEl);

const table = new TableView({
  copy: (text, what) => post({ type: 'copy', text, what }),
  openValue: (title, value) => openDetail(title, value),
  stateChanged: () => saveState(),
  rewriteSelect: (fields) => post({ type: 'rewriteSelect', fields: fields.filter(isFieldName) }),
  firstRowsPainted: () => {
    // Marked in the frame that paints the rows, for the benchmark and the tests.
    performance.mark('sage200.firstRows');
  },
});
table.applyState({ hiddenColumns: [...(saved.hiddenColumns ?? [])], columnWidths: { ...(saved.columnWidths ?? {}) }, sort: saved.sort, flatten: { ...(saved.flatten ?? {}) } });
panes.get('table')?.append(table.root);
const tree = new JsonTree();
panes.get('json')?.append(tree.root);

searchInput.value = searchText;
searchInput.addEventListener('input', () => {
  if (searchTimer) clearTimeout(searchTimer);
  searchTimer = setTimeout(() => runSearch(), 250);
});
searchInput.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    findNext();
  }
});

function post(m: FromWebview): void {
  vscode.postMessage(m);
}

function saveState(): void {
  const t = table.state();
  saved = {
    ...saved,
    responseId: cur?.meta.id ?? saved.responseId,
    tab,
    search: searchText,
    hiddenColumns: t.hiddenColumns,
    columnWidths: t.columnWidths,
    sort: t.sort,
    flatten: t.flatten,
  };
  vscode.setState(saved);
}

// ---- tabs -----------------------------------------------------------------------------------
function selectTab(id: TabId, focus = false): void {
  tab = id;
  for (const [t, b] of tabButtons) {
    const on = t === id;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
    const pane = panes.get(t);
    if (pane) pane.hidden = !on;
  }
  if (focus) tabButtons.get(id)?.focus();
  renderPane();
  saveState();
}

function renderPane(): void {
  if (!cur) return;
  switch (tab) {
    case 'table':
      ensureTable();
      break;
    case 'json':
      ensureJson();
      break;
    case 'raw':
      renderRaw();
      break;
    case 'headers':
      renderHeaders();
      break;
    case 'request':
      renderRequest();
      break;
  }
}

function ensureTable(): void {
  const c = cur;
  const pane = panes.get('table');
  if (!c || !pane) return;
  if (c.records.length > 0 && c.records.every((r, i) => i > 50 || (r !== null && typeof r === 'object' && !Array.isArray(r)))) {
    if (!c.tableReady) {
      c.tableReady = true;
      table.setData(c.records, c.columns, selectedPaths(c.meta.url));
      table.mount();
      if (searchText) table.setFilter(searchText);
    }
    table.root.hidden = false;
    pane.querySelector('.placeholder')?.remove();
  } else {
    table.root.hidden = true;
    let ph = pane.querySelector<HTMLElement>('.placeholder');
    if (!ph) {
      ph = el('p', { class: 'placeholder' });
      pane.append(ph);
    }
    ph.textContent = c.complete ? 'The body is not an array of records: see the JSON or Raw tab.' : 'Loading…';
  }
}

function ensureJson(): void {
  const c = cur;
  const pane = panes.get('json');
  if (!c || !pane) return;
  pane.querySelector('.placeholder')?.remove();
  if (!c.complete) {
    pane.append(el('p', { class: 'placeholder', text: 'Loading…' }));
    tree.root.hidden = true;
    return;
  }
  if (!c.parsed) {
    tree.root.hidden = true;
    pane.append(el('p', { class: 'placeholder', text: c.parseError ? `Not valid JSON: ${c.parseError}. See the Raw tab.` : 'The body is empty or not JSON: see the Raw tab.' }));
    return;
  }
  tree.root.hidden = false;
  if (!c.jsonReady) {
    c.jsonReady = true;
    tree.setValue(c.value);
    tree.mount();
  }
}

function rawText(limit: number): string {
  const c = cur;
  if (!c) return '';
  let out = '';
  for (const ch of c.chunks) {
    if (out.length >= limit) break;
    out += ch;
  }
  return out.length > limit ? out.slice(0, limit) : out;
}

function renderRaw(): void {
  const c = cur;
  const pane = panes.get('raw');
  if (!c || !pane) return;
  const text = rawText(c.rawShown);
  const pre = el('pre', { class: 'raw', attrs: { tabindex: '0', 'aria-label': 'Raw body' } });
  pre.textContent = text;
  const parts: HTMLElement[] = [];
  if (c.meta.truncated) parts.push(el('p', { class: 'notice-inline', text: 'History keeps the first 1 MB of a body: this one is cut. Re-send the request for all of it.' }));
  parts.push(pre);
  if (c.chars > text.length) {
    parts.push(
      el(
        'div',
        { class: 'raw-more' },
        el('span', { text: `Showing ${formatBytes(text.length)} of ${formatBytes(c.chars)} characters. ` }),
        button('Show more', () => {
          c.rawShown += RAW_PAGE;
          renderRaw();
        }),
      ),
    );
  }
  if (!c.chars) parts.push(el('p', { class: 'placeholder', text: c.complete ? 'The body is empty.' : 'Loading…' }));
  pane.replaceChildren(...parts);
}

function kvTable(label: string, headers: Readonly<Record<string, string>>): HTMLElement {
  const rows = Object.entries(headers).map(([k, v]) => el('tr', {}, el('th', { text: escapeBidi(k), attrs: { scope: 'row' } }), el('td', { text: v })));
  return el('table', { class: 'kv', attrs: { 'aria-label': label } }, el('tbody', {}, ...rows));
}

function renderHeaders(): void {
  const c = cur;
  const pane = panes.get('headers');
  if (!c || !pane) return;
  pane.replaceChildren(
    el('h2', { text: `Response headers (${Object.keys(c.meta.headers).length})` }),
    kvTable('Response headers', redactHeaders(c.meta.headers)),
  );
}

function renderRequest(): void {
  const c = cur;
  const pane = panes.get('request');
  if (!c || !pane) return;
  const r = c.meta.request;
  const parts: HTMLElement[] = [
    el('h2', { text: 'Request as sent (secrets redacted)' }),
    el('pre', { class: 'request-line', text: `${r.method} ${redactUrl(r.url)}` }),
    kvTable('Request headers', redactHeaders(r.headers)),
  ];
  if (r.body) parts.push(el('h2', { text: 'Body' }), el('pre', { class: 'raw', text: r.body }));
  if (c.meta.attempts && c.meta.attempts > 1) parts.push(el('p', { text: `Sent ${c.meta.attempts} times (retries after 401, 429 or 503).` }));
  pane.replaceChildren(...parts);
}

// ---- header ---------------------------------------------------------------------------------
function renderHeader(): void {
  const c = cur;
  if (!c) return;
  const m = c.meta;
  const breakdown = timingBreakdown(m.timing)
    .map((p) => `${p.label} ${formatMs(p.ms)}`)
    .join(' · ');
  const count = Array.isArray(c.value) ? c.value.length : c.records.length;
  const isArrayBody = c.stream.kind === 'array' || Array.isArray(c.value);
  const paging = m.paging;
  const place = `${m.site ?? ''}${m.site && m.company ? ' › ' : ''}${m.company ?? ''}`;
  const actions: HTMLElement[] = [];
  if (paging) {
    const prev = button('◀ Previous page', () => post({ type: 'page', direction: 'previous' }), { title: `$skip=${Math.max(0, paging.skip - paging.top)}` });
    prev.disabled = !paging.canPrevious;
    const next = button('Next page ▶', () => post({ type: 'page', direction: 'next' }), { title: `$skip=${paging.skip + paging.top}` });
    next.disabled = !paging.canNext;
    actions.push(prev, next);
    if (paging.canLoadAll) actions.push(button('Load all', () => post({ type: 'loadAll' }), { title: 'Fetch every page (fetchAll) with progress' }));
  }
  actions.push(
    button('Re-send', () => post({ type: 'resend' })),
    button('Copy body', () => post({ type: 'copyBody' })),
    button('Save body…', () => post({ type: 'saveBody' })),
  );
  if (isArrayBody) actions.push(button('Export CSV…', () => post({ type: 'exportCsv', columns: table.columnKeys })));
  actions.push(button(m.pinned ? 'Pinned' : 'Pin', () => post({ type: 'pin' }), { title: 'Keep this panel; the next response opens in a new one' }));

  headerEl.replaceChildren(
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
      el('span', { class: `status s-${statusClass(m.status)}`, text: `${m.status} ${m.statusText}`.trim(), attrs: { 'aria-label': `Status ${m.status}` } }),
      el('span', { class: 'fact', title: breakdown, text: `Time ${formatMs(m.timing.totalMs)}` }),
      breakdown ? el('span', { class: 'fact dim', text: breakdown }) : null,
      el('span', { class: 'fact', text: formatBytes(m.size) }),
      m.site || m.company ? el('span', { class: 'fact', text: place, title: place }) : null,
      isArrayBody ? el('span', { class: 'fact count', text: `${formatCount(count, 'record')}${c.complete ? '' : '…'}` }) : null,
      m.fromHistory ? el('span', { class: 'fact dim', text: 'from history' }) : null,
    ),
    el('div', { class: 'actions' }, ...actions),
    paging?.note ? el('div', { class: 'paging-note', text: paging.note }) : null,
    ),
  );
}

function renderBanner(): void {
  const c = cur;
  if (!c) return;
  const ex = explainStatus(c.meta.status);
  if (!ex) {
    bannerEl.hidden = true;
    return;
  }
  let message: string | undefined;
  if (c.complete) message = sageMessage(c.parsed ? c.value : rawText(64 * 1024));
  bannerEl.replaceChildren(
    ...present(
    el('strong', { text: `${c.meta.status} ${ex.title}` }),
    message ? el('p', { class: 'sage-message', text: `Sage 200 says: ${message}` }) : null,
    el('p', { text: ex.detail }),
    el(
      'div',
      { class: 'actions' },
      button('Show raw body', () => selectTab('raw', true)),
      ex.action === 'signIn' ? button('Sign in again', () => post({ type: 'signIn' })) : null,
      ex.action === 'retry' ? button('Try again', () => post({ type: 'resend' })) : null,
    ),
    ),
  );
  bannerEl.hidden = false;
}

// ---- search ---------------------------------------------------------------------------------
function runSearch(): void {
  searchText = searchInput.value;
  rawCursor = -1;
  const c = cur;
  if (!c) return;
  const parts: string[] = [];
  if (c.tableReady) {
    const n = table.setFilter(searchText);
    if (searchText) parts.push(`${formatCount(n, 'record')} match${n === 1 ? 'es' : ''}`);
  }
  if (searchText) parts.push(`${formatCount(countInBody(searchText), 'match', 'matches')} in the body`);
  searchStatus.textContent = parts.join(' · ');
  searchStatus.title = searchStatus.textContent;
  saveState();
}

function countInBody(q: string): number {
  const c = cur;
  if (!c || !q) return 0;
  const needle = q.toLowerCase();
  let n = 0;
  let carry = '';
  for (const ch of c.chunks) {
    const text = (carry + ch).toLowerCase();
    let i = text.indexOf(needle);
    while (i >= 0) {
      if (i >= carry.length || i + needle.length > carry.length) n++;
      i = text.indexOf(needle, i + needle.length);
    }
    carry = ch.slice(-Math.max(0, needle.length - 1));
    if (needle.length === 1) carry = '';
  }
  return n;
}

function findNext(): void {
  const q = searchInput.value;
  if (!q || !cur) return;
  if (tab === 'json') {
    if (!tree.findNext(q)) searchStatus.textContent = 'No match';
  } else if (tab === 'raw') {
    findInRaw(q);
  } else {
    runSearch();
  }
}

function findInRaw(q: string): void {
  const c = cur;
  if (!c) return;
  const all = rawText(Infinity);
  const i = all.toLowerCase().indexOf(q.toLowerCase(), rawCursor + 1);
  if (i < 0) {
    rawCursor = -1;
    searchStatus.textContent = 'No further match';
    return;
  }
  rawCursor = i;
  if (i + q.length > c.rawShown) {
    c.rawShown = i + q.length + RAW_PAGE;
    renderRaw();
  }
  const pre = panes.get('raw')?.querySelector('pre.raw');
  const node = pre?.firstChild;
  if (node && node.nodeType === Node.TEXT_NODE) {
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + q.length);
    const sel = getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
    const rect = range.getBoundingClientRect();
    const pane = panes.get('raw');
    if (pane) pane.scrollTop += rect.top - pane.getBoundingClientRect().top - pane.clientHeight / 2;
  }
}

// ---- nested values ----------------------------------------------------------------------------
function openDetail(title: string, value: unknown): void {
  detailTitle.textContent = title;
  detailEl.hidden = false;
  detailTree.mount();
  detailTree.setValue(value);
  detailEl.querySelector<HTMLElement>('.tree-scroll')?.focus();
}

function closeDetail(): void {
  detailEl.hidden = true;
  table.root.querySelector<HTMLElement>('.grid-scroll')?.focus();
}

// ---- messages -------------------------------------------------------------------------------
function startResponse(meta: ResponseMeta): void {
  if (cur) cur.records = [];
  cur = {
    meta,
    chunks: [],
    chars: 0,
    stream: new JsonArrayStream(),
    records: [],
    columns: [],
    parsed: false,
    complete: false,
    tableReady: false,
    jsonReady: false,
    rawShown: RAW_PAGE,
  };
  noticeEl.textContent = '';
  closeDetailQuietly();
  // The user's tab stays; onEnd moves away from Table when the body is not a list of records.
  renderHeader();
  renderBanner();
  selectTab(tab);
}

function closeDetailQuietly(): void {
  detailEl.hidden = true;
}

function onChunk(text: string): void {
  const c = cur;
  if (!c) return;
  c.chunks.push(text);
  c.chars += text.length;
  if (c.parseError) return;
  let elements: unknown[];
  try {
    elements = c.stream.push(text);
  } catch (e) {
    c.parseError = (e as Error).message;
    return;
  }
  if (!elements.length) return;
  addRecords(c, elements);
}

function addRecords(c: Current, elements: unknown[]): void {
  const before = c.columns.length;
  // The first records decide the columns; later chunks are sampled for keys they add.
  inferColumns(elements, c.records.length === 0 ? 500 : 20, c.columns);
  for (let i = 0; i < elements.length; i++) c.records.push(elements[i]);
  if (c.tableReady) table.grew(c.columns.length !== before);
  else if (tab === 'table') ensureTable();
  updateCount(c);
}

let countScheduled = false;
function updateCount(c: Current): void {
  if (countScheduled) return;
  countScheduled = true;
  requestAnimationFrame(() => {
    countScheduled = false;
    if (cur !== c) return;
    const countEl = headerEl.querySelector('.count');
    if (countEl) countEl.textContent = `${formatCount(c.records.length, 'record')}${c.complete ? '' : '…'}`;
    else renderHeader();
  });
}

function onEnd(): void {
  const c = cur;
  if (!c) return;
  if (!c.parseError && c.chars > 0) {
    try {
      const rest = c.stream.finish();
      if ('elements' in rest) {
        if (rest.elements.length) addRecords(c, rest.elements);
        c.value = c.records;
      } else {
        c.value = rest.value;
      }
      c.parsed = true;
    } catch (e) {
      c.parseError = (e as Error).message;
    }
  }
  if (!c.parsed && c.meta.truncated && c.records.length > 0) {
    // History cut the body at 1 MB: the records before the cut are whole, so show those.
    c.value = c.records;
    c.parsed = true;
    noticeEl.className = 'notice warning';
    noticeEl.textContent = `History keeps the first 1 MB of a body: showing the ${formatCount(c.records.length, 'complete record')} before the cut. Re-send for all of them.`;
  }
  c.complete = true;
  const isTable = c.parsed && Array.isArray(c.value) && c.records.length > 0 && c.records.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r));
  if (!isTable && tab === 'table') tab = c.parsed ? 'json' : 'raw';
  if (c.tableReady) table.grew(false);
  renderHeader();
  renderBanner();
  selectTab(tab);
  if (searchText) runSearch();
  document.body.dataset.state = 'complete';
  performance.mark('sage200.complete');
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const m = event.data;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'response':
      document.body.dataset.state = 'loading';
      startResponse(m.meta);
      break;
    case 'chunk':
      if (cur && m.id === cur.meta.id) onChunk(m.text);
      break;
    case 'end':
      if (cur && m.id === cur.meta.id) onEnd();
      break;
    case 'busy':
      busyEl.replaceChildren(
        ...present(
          el('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
          el('span', { class: 'busy-text', text: m.text }),
          m.cancellable ? button('Cancel', () => post({ type: 'cancel' })) : null,
        ),
      );
      busyEl.hidden = false;
      break;
    case 'progress': {
      const t = busyEl.querySelector('.busy-text');
      if (t) t.textContent = `Loading all: ${formatCount(m.records, 'record')}, ${formatCount(m.pages, 'page')}…`;
      break;
    }
    case 'idle':
      busyEl.hidden = true;
      break;
    case 'notice':
      noticeEl.className = `notice ${m.level}`;
      noticeEl.textContent = m.text;
      break;
    case 'empty':
      headerEl.replaceChildren(el('p', { class: 'placeholder', text: m.text }));
      break;
  }
});

selectTab(tab);
post({ type: 'ready', state: saved });
