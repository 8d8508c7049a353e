import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import type { HttpResponse } from '../core/http/types';
import type { FromWebview, ResponseMeta, ToWebview, ViewerState } from '../core/viewer/messages';
import { isFromWebview, VIEW_TYPE } from '../core/viewer/messages';
import { textChunks } from '../core/viewer/arrayStream';
import { pagePosition } from '../core/odata/paging';
import { lastPathSegment } from '../core/viewer/response';
import { SecretRegistry, redactHeaders, redactRequest, scrubChunks } from '../core/http/redact';
import { translateViewerStrings } from '../core/viewer/strings';
import { viewerHtml } from './html';

/** A response on screen, with what paging, "Load all" and the column chooser need. */
export interface Display {
  readonly response: HttpResponse;
  /** Unique per display: the history entry id when there is one. */
  readonly id: string;
  readonly site?: string;
  readonly company?: string;
  readonly title?: string;
  readonly connectionId?: string;
  readonly source?: { readonly uri: string; readonly line?: number; readonly requestIndex?: number; readonly requestName?: string };
  readonly fromHistory?: boolean;
  /** From history: whether masking changed the stored request (see `isIntact`). */
  readonly masked?: boolean;
  readonly truncated?: boolean;
  /** Shown under the header, e.g. that `$orderby=id asc` was added. */
  readonly note?: string;
  /** The number of records when the body is an array (computed once). */
  readonly records?: number;
}

export interface PanelHost {
  onMessage(panel: ResponsePanel, message: FromWebview): void;
  onDispose(panel: ResponsePanel): void;
  /** Finds what to show after a window reload (the history entry the saved state names). */
  restore(state: ViewerState | undefined): Display | undefined;
  /** Values that are secrets wherever they appear (tokens, `$dotenv` and `$prompt` values). */
  readonly secrets?: SecretRegistry;
}

const t = vscode.l10n.t;

/**
 * One webview panel. The webview is rebuilt whenever it is hidden (retainContextWhenHidden is
 * off, to keep memory low with big bodies), so the panel keeps the current display and sends it
 * again when the new webview says `ready`.
 */
export class ResponsePanel extends Disposable {
  private current?: Display;
  private generation = 0;
  private isReady = false;
  pinned = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly mediaRoot: vscode.Uri,
    private readonly host: PanelHost,
  ) {
    super();
    panel.webview.options = { enableScripts: true, localResourceRoots: [mediaRoot] };
    panel.iconPath = vscode.Uri.joinPath(mediaRoot, 'sage200.svg');
    this._register(panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)));
    this._register(
      panel.onDidChangeViewState(() => {
        // Hidden: the webview is gone; it says `ready` again when it comes back.
        if (!panel.visible) this.isReady = false;
      }),
    );
    this._register(panel.onDidDispose(() => this.host.onDispose(this)));
    this.load();
  }

  get display(): Display | undefined {
    return this.current;
  }

  /** Loads the page with a fresh nonce. */
  private load(): void {
    const webview = this.panel.webview;
    this.isReady = false;
    webview.html = viewerHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'webview.css')).toString(),
      strings: translateViewerStrings(vscode.l10n.t),
      language: vscode.env.language,
    });
  }

  async show(display: Display): Promise<void> {
    this.current = display;
    this.panel.title = titleOf(display, this.pinned);
    if (!this.panel.visible) this.panel.reveal(undefined, true);
    if (this.isReady) await this.send(display);
  }

  post(message: ToWebview): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  setPinned(pinned: boolean): void {
    this.pinned = pinned;
    if (this.current) {
      this.panel.title = titleOf(this.current, pinned);
      if (this.isReady) void this.send(this.current);
    }
  }

  private receive(m: unknown): void {
    if (!isFromWebview(m)) return;
    if (m.type === 'ready') {
      this.isReady = true;
      if (!this.current) this.current = this.host.restore(m.state);
      if (this.current) {
        this.panel.title = titleOf(this.current, this.pinned);
        void this.send(this.current);
      } else {
        void this.post({ type: 'empty', text: t('This response is no longer available. Send the request again.') });
      }
      return;
    }
    this.host.onMessage(this, m);
  }

  /**
   * Sends the response: its metadata, then the body as text chunks, each awaited so that VS Code
   * never queues one giant message and the webview can paint between chunks. A newer `show`
   * stops an older transfer.
   */
  private async send(d: Display): Promise<void> {
    const gen = ++this.generation;
    const metaId = `${d.id}#${gen}`;
    const meta = metaOf(d, metaId, this.pinned, this.host.secrets);
    const raw = [...textChunks(d.response.body)];
    if (!(await this.post({ type: 'response', meta, chunks: raw.length }))) return;
    // The webview sees no registered secret value, as history does not (the README promises it);
    // scrubbed as they go, so that a big body's first rows do not wait for its last chunk.
    let seq = 0;
    for (const text of scrubChunks(raw, this.host.secrets)) {
      if (gen !== this.generation) return;
      if (!(await this.post({ type: 'chunk', id: metaId, seq: seq++, text }))) return;
    }
    if (gen === this.generation) await this.post({ type: 'end', id: metaId });
  }
}

function titleOf(d: Display, pinned: boolean): string {
  const r = d.response;
  const base = d.title ?? `${r.request.method} ${lastPathSegment(r.request.url) ?? r.request.url}`;
  return `${pinned ? '📌 ' : ''}${base} · ${r.status}`;
}

export function metaOf(d: Display, id: string, pinned: boolean, secrets?: SecretRegistry): ResponseMeta {
  const r = d.response;
  const req = redactRequest(r.request, secrets);
  const method = req.method.toUpperCase();
  let paging: ResponseMeta['paging'];
  const isArray = d.records !== undefined;
  if (method === 'GET' && isArray && !d.fromHistory) {
    const info = pagePosition(req.url);
    const received = d.records ?? 0;
    paging = {
      skip: info.skip,
      top: info.top,
      canPrevious: info.skip > 0,
      canNext: received >= info.top,
      canLoadAll: true,
      note:
        d.note ??
        (info.hasOrderby ? undefined : t('Next and Previous add $orderby=id asc: Sage 200 rejects $skip without $orderby.')),
    };
  }
  return {
    id,
    method,
    url: req.url,
    status: r.status,
    statusText: r.statusText,
    headers: redactHeaders(r.headers, secrets),
    size: r.size,
    timing: r.timing,
    attempts: r.attempts,
    request: req,
    ...(d.site ? { site: d.site } : {}),
    ...(d.company ? { company: d.company } : {}),
    ...(r.headers['content-type'] ? { contentType: r.headers['content-type'] } : {}),
    ...(d.truncated ? { truncated: true } : {}),
    ...(d.fromHistory ? { fromHistory: true } : {}),
    ...(paging ? { paging } : {}),
    pinned,
    canRewriteSelect: !!d.source && method === 'GET',
  };
}

export { VIEW_TYPE };
