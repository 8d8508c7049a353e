/**
 * Messages between the extension (src/viewer) and the response webview (src/viewer/webview).
 * Both sides import these types, so a renamed field fails the type check on both.
 *
 * Handshake: the webview posts `ready` once its script runs (with the state it restored, if any);
 * only then does the extension post `response` + `chunk`… + `end`. A body travels as text chunks
 * (about 1 MB each, the first one smaller) so that no single postMessage carries a giant string and
 * the webview can paint the first rows before the last chunk arrives.
 */
import { isFieldName } from './fieldName';

export interface TimingInfo {
  readonly dnsMs?: number;
  readonly connectMs?: number;
  readonly tlsMs?: number;
  readonly tunnelMs?: number;
  readonly firstByteMs?: number;
  readonly totalMs: number;
}

/** What the header and the Headers/Request tabs show. Everything here is already redacted. */
export interface ResponseMeta {
  /** Changes with every response shown, so that late chunks of an older body are dropped. */
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly size: number;
  readonly timing: TimingInfo;
  readonly attempts?: number;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
  };
  readonly site?: string;
  readonly company?: string;
  readonly contentType?: string;
  /** The body was cut (history keeps at most 1 MB). */
  readonly truncated?: boolean;
  /** Present when the response came from history rather than a live request. */
  readonly fromHistory?: boolean;
  readonly paging?: PagingMeta;
  readonly pinned?: boolean;
  /** True when the request came from a file, so the column chooser can rewrite its `$select`. */
  readonly canRewriteSelect?: boolean;
}

export interface PagingMeta {
  readonly skip: number;
  readonly top: number;
  readonly canPrevious: boolean;
  readonly canNext: boolean;
  /** A note for the user, e.g. that `$orderby=id asc` was added. */
  readonly note?: string;
  /** "Load all" is possible (a GET collection). */
  readonly canLoadAll: boolean;
}

/** State the webview keeps with vscode.setState; it survives hide/show and a window reload. */
export interface ViewerState {
  readonly responseId?: string;
  readonly historyId?: string;
  readonly tab?: TabId;
  readonly search?: string;
  readonly hiddenColumns?: readonly string[];
  readonly columnWidths?: Readonly<Record<string, number>>;
  readonly sort?: { readonly column: string; readonly descending: boolean };
  /** Per nested object column: shown as a column per field (true) or as one column (false). */
  readonly flatten?: Readonly<Record<string, boolean>>;
  readonly scrollTop?: number;
}

export type TabId = 'table' | 'json' | 'raw' | 'headers' | 'request';

export type ToWebview =
  | { readonly type: 'response'; readonly meta: ResponseMeta; readonly chunks: number }
  | { readonly type: 'chunk'; readonly id: string; readonly seq: number; readonly text: string }
  | { readonly type: 'end'; readonly id: string }
  | { readonly type: 'busy'; readonly text: string; readonly cancellable: boolean }
  | { readonly type: 'progress'; readonly records: number; readonly pages: number }
  | { readonly type: 'idle' }
  | { readonly type: 'notice'; readonly level: 'info' | 'warning' | 'error'; readonly text: string }
  | { readonly type: 'empty'; readonly text: string };

export type FromWebview =
  | { readonly type: 'ready'; readonly state?: ViewerState }
  | { readonly type: 'state'; readonly state: ViewerState }
  | { readonly type: 'page'; readonly direction: 'next' | 'previous' }
  | { readonly type: 'loadAll' }
  | { readonly type: 'cancel' }
  | { readonly type: 'resend' }
  | { readonly type: 'copy'; readonly text: string; readonly what: 'cell' | 'row' | 'value' | 'cells' | 'text' }
  | { readonly type: 'copyBody' }
  | { readonly type: 'saveBody' }
  | { readonly type: 'exportCsv'; readonly columns: readonly string[] }
  | { readonly type: 'rewriteSelect'; readonly fields: readonly string[] }
  | { readonly type: 'pin' }
  | { readonly type: 'signIn' };

export const VIEW_TYPE = 'sage200.response';

/** Narrowing guard for messages from the webview: it is untrusted input to the extension. */
export function isFromWebview(m: unknown): m is FromWebview {
  if (m === null || typeof m !== 'object') return false;
  const t = (m as { type?: unknown }).type;
  switch (t) {
    case 'ready':
    case 'state':
    case 'page':
    case 'loadAll':
    case 'cancel':
    case 'resend':
    case 'copyBody':
    case 'saveBody':
    case 'pin':
    case 'signIn':
      return true;
    case 'copy':
      return typeof (m as { text?: unknown }).text === 'string';
    case 'exportCsv':
      return Array.isArray((m as { columns?: unknown }).columns);
    case 'rewriteSelect':
      return Array.isArray((m as { fields?: unknown }).fields) && ((m as { fields: unknown[] }).fields).every(isFieldName);
    default:
      return false;
  }
}
