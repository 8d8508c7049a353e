/**
 * Every text that the response webview shows of its own: labels, buttons, tooltips, ARIA names
 * and messages. The webview has no `vscode.l10n`; the extension translates this table with
 * `vscode.l10n.t` (src/viewer/panel.ts) and hands it to the page in its HTML, and the webview
 * shows only what it was given. `{0}`, `{1}` are filled by `fill`; a count has a form for one
 * (`…One`) and one for any other number, because languages differ in more than an "s".
 * scripts/l10nBundle.ts puts these English texts in l10n/bundle.l10n.json.
 */
export const ENGLISH_VIEWER_STRINGS = {
  // Tabs and search
  tabsLabel: 'Response views',
  tabTable: 'Table',
  tabJson: 'JSON',
  tabRaw: 'Raw',
  tabHeaders: 'Headers',
  tabRequest: 'Request',
  searchPlaceholder: 'Search the body (Enter: next)',
  searchLabel: 'Search the body',
  recordsMatchOne: '{0} record matches',
  recordsMatch: '{0} records match',
  bodyMatchesOne: '{0} match in the body',
  bodyMatches: '{0} matches in the body',
  noMatch: 'No match',
  noFurtherMatch: 'No further match',

  // Header, actions and banner
  previousPage: '◀ Previous page',
  nextPage: 'Next page ▶',
  loadAll: 'Load all',
  loadAllTitle: 'Fetch every page (fetchAll) with progress',
  resend: 'Re-send',
  copyBody: 'Copy body',
  saveBody: 'Save body…',
  exportCsv: 'Export CSV…',
  pin: 'Pin',
  pinned: 'Pinned',
  pinTitle: 'Keep this panel; the next response opens in a new one',
  statusLabel: 'Status {0}',
  time: 'Time {0}',
  timingDns: 'DNS',
  timingConnect: 'Connect',
  timingTunnel: 'Proxy tunnel',
  timingTls: 'TLS',
  timingWait: 'Wait',
  timingDownload: 'Download',
  fromHistory: 'from history',
  recordCountOne: '{0} record',
  recordCount: '{0} records',
  pageCountOne: '{0} page',
  pageCount: '{0} pages',
  loadingAll: 'Loading all: {0}, {1}…',
  cancel: 'Cancel',
  sageSays: 'Sage 200 says: {0}',
  showRawBody: 'Show raw body',
  signInAgain: 'Sign in again',
  tryAgain: 'Try again',
  historyCutRecordsOne: 'History keeps the first 1 MB of a body: showing the {0} complete record before the cut. Re-send for all of them.',
  historyCutRecords: 'History keeps the first 1 MB of a body: showing the {0} complete records before the cut. Re-send for all of them.',

  // Panes
  loading: 'Loading…',
  notRecords: 'The body is not an array of records: see the JSON or Raw tab.',
  notJson: 'Not valid JSON: {0}. See the Raw tab.',
  emptyOrNotJson: 'The body is empty or not JSON: see the Raw tab.',
  responseHeaders: 'Response headers',
  responseHeadersCount: 'Response headers ({0})',
  requestAsSent: 'Request as sent (secrets redacted)',
  requestHeaders: 'Request headers',
  requestBody: 'Body',
  sentTimes: 'Sent {0} times (retries after 401, 429 or 503).',
  rawLabel: 'Raw body',
  rawTruncated: 'History keeps the first 1 MB of a body: this one is cut. Re-send the request for all of it.',
  rawShowing: 'Showing {0} of {1} characters.',
  showMore: 'Show more',
  bodyEmpty: 'The body is empty.',

  // JSON tree and the nested-value dialog
  jsonLabel: 'JSON',
  itemCountOne: '{0} item',
  itemCount: '{0} items',
  keyCountOne: '{0} key',
  keyCount: '{0} keys',
  nestedValue: 'Nested value',
  close: 'Close',
  closeTitle: 'Close (Escape)',

  // Table
  recordsLabel: 'Records',
  columns: 'Columns…',
  columnsTitle: 'Choose columns',
  copy: 'Copy',
  copyTitle: 'Copy the selected cells, or the focused cell (Ctrl+C)',
  copyRow: 'Copy row',
  copyRowTitle: 'Copy the focused row as JSON (Ctrl+Shift+C)',
  rowCountOne: '{0} row',
  rowCount: '{0} rows',
  rowsMatchOne: '{0} of {1} matches',
  rowsMatch: '{0} of {1} match',
  nestedTitle: 'Row {0} › {1}',
  clickToOpen: 'Click to open.',
  expandValue: 'Expand {0}',
  sortTitle: '{0} ({1}) — click to sort',
  foldFields: 'Fold the fields of {0} into one column',
  showFields: 'Show the {0} of {1} as columns',
  fieldCountOne: '{0} field',
  fieldCount: '{0} fields',
  foldParent: '⊟ fold {0}',
  filterColumns: 'Filter columns',
  columnsLabel: 'Columns',
  showAll: 'Show all',
  hideAll: 'Hide all',
  setSelect: 'Set $select in the request file',
  setSelectTitle: 'Rewrite the $select of the request in its .sage200 file to the visible columns',
  copyMenu: 'Copy',
  copySelectedText: 'Copy selected text',
  copyCells: 'Copy {0} cells',
  copyCell: 'Copy cell',
  copyWithNames: 'Copy with column names',
  copyRowAsJson: 'Copy row as JSON',
};

export type ViewerStrings = { readonly [K in keyof typeof ENGLISH_VIEWER_STRINGS]: string };

/** The table in another language: `translate` is `vscode.l10n.t` on the extension side. */
export function translateViewerStrings(translate: (english: string) => string): ViewerStrings {
  const out: Record<string, string> = {};
  for (const [key, english] of Object.entries(ENGLISH_VIEWER_STRINGS)) out[key] = translate(english);
  return out as ViewerStrings;
}

/**
 * The table the page was given (JSON), checked: a key that is missing or not text falls back to
 * English, so a bad value can cost a translation but never a label.
 */
export function parseViewerStrings(json: string | undefined): ViewerStrings {
  let given: unknown;
  try {
    given = json ? JSON.parse(json) : undefined;
  } catch {
    given = undefined;
  }
  const out: Record<string, string> = { ...ENGLISH_VIEWER_STRINGS };
  if (given && typeof given === 'object') {
    for (const key of Object.keys(out)) {
      const v = (given as Record<string, unknown>)[key];
      if (typeof v === 'string') out[key] = v;
    }
  }
  return out as ViewerStrings;
}

/** `{0}`, `{1}`… replaced by the values; numbers in the user's digit grouping. */
export function fill(template: string, ...values: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => {
    const v = values[Number(i)];
    if (v === undefined) return whole;
    return typeof v === 'number' ? v.toLocaleString() : v;
  });
}

/** A count in its form for one or for any other number: `plural(3, s.rowCountOne, s.rowCount)`. */
export function plural(n: number, one: string, other: string): string {
  return fill(n === 1 ? one : other, n);
}
