/**
 * The response viewer, extension side: one reused webview panel (or one per response once pinned),
 * paging, "Load all", copy/save/export, the `$select` rewrite, and the request history.
 *
 * Callers (Send, the explorer) use `ResponseViewer.show({ response, site, company, source })`.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import { Commands } from '../commandIds';
import type { HttpRequest, HttpResponse } from '../core/http/types';
import { originalRequestOf } from '../core/http/client';
import type { SecretRegistry } from '../core/http/redact';
import { History, HistoryEntry, HistorySource, isIntact, storedResponse, withoutClientCredentials } from '../core/history';
import { isWrite, recordsOf, requestScope, resendableRequest } from '../core/viewer/response';
import { pageTarget, withoutPaging } from '../core/odata/paging';
import { parseRequestFile } from '../core/requestFile/parser';
import { sameRequest } from '../core/viewer/select';
import { displayPath } from '../core/connections/types';
import type { FromWebview, ViewerState } from '../core/viewer/messages';
import { VIEW_TYPE } from '../core/viewer/messages';
import type { ApiSender } from '../connections/apiSender';
import { Display, PanelHost, ResponsePanel } from './panel';
import { exportCsv, rewriteSelect, saveBody } from './files';
import { HISTORY_VIEW_ID, HistoryTreeProvider } from './historyView';

export type { Display } from './panel';

/** What `show` takes. Only `response` is required. */
export interface ShowArgs {
  readonly response: HttpResponse;
  /** Site and company names (or ids) the request went to, for the header. */
  readonly site?: string;
  readonly company?: string;
  /** Panel title; default "<METHOD> <last path segment>". */
  readonly title?: string;
  /** The connection the request used, so paging and re-send go to the same one. */
  readonly connectionId?: string;
  /** The request in a `.sage200` file, so that the column chooser can rewrite its `$select`. */
  readonly source?: { readonly uri: string | vscode.Uri; readonly line?: number; readonly requestIndex?: number; readonly requestName?: string };
  /** Open in a new panel that the next response does not replace. */
  readonly pinned?: boolean;
}

/** "Load all" (Sage200Api.fetchAll fits it). */
export interface AllPagesFetcher {
  fetchAll(
    path: string,
    options: {
      connectionId?: string;
      site?: string;
      company?: number | string;
      token?: vscode.CancellationToken;
      onPage(records: unknown[], info: { page: number; records: number }): Promise<void> | void;
    },
  ): Promise<{ pages: number; records: number; addedOrderBy: boolean }>;
}

export interface ResponseViewerDeps {
  readonly extensionUri: vscode.Uri;
  readonly workspaceState: vscode.Memento;
  readonly api?: ApiSender & Partial<AllPagesFetcher>;
  /** Values that are secrets wherever they appear: history and the webview never show them. */
  readonly secrets?: SecretRegistry;
  /** Runs sign-in for the 401 banner's "Sign in again". */
  readonly signInCommand?: string;
  readonly log?: { info(m: string): void; warn(m: string): void };
}

const t = vscode.l10n.t;

const ResponseCommands = {
  openHistoryEntry: Commands.historyOpen,
  resendHistoryEntry: Commands.historyResend,
  clearHistory: Commands.historyClear,
  removeHistoryEntry: Commands.historyRemove,
} as const;

export class ResponseViewer extends Disposable implements PanelHost {
  private readonly history: History;
  private readonly tree: HistoryTreeProvider;
  private main?: ResponsePanel;
  private readonly panels = new Set<ResponsePanel>();
  private readonly busy = new Map<ResponsePanel, vscode.CancellationTokenSource>();
  private readonly mediaRoot: vscode.Uri;
  readonly commands: Record<string, (arg: unknown) => unknown>;
  readonly secrets?: SecretRegistry;

  constructor(private readonly deps: ResponseViewerDeps) {
    super();
    this.mediaRoot = vscode.Uri.joinPath(deps.extensionUri, 'media');
    this.secrets = deps.secrets;
    this.history = new History(deps.workspaceState, { ...(deps.secrets ? { secrets: deps.secrets } : {}) });
    this.tree = this._register(new HistoryTreeProvider(this.history, ResponseCommands.openHistoryEntry));
    this._register(vscode.window.registerTreeDataProvider(HISTORY_VIEW_ID, this.tree));
    this._register(
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
          // The webview's saved state reaches restore() with its `ready` message.
          this.adopt(panel, false);
        },
      }),
    );
    this._register({ dispose: () => [...this.panels].forEach((p) => p.panel.dispose()) });
    this.commands = {
      [ResponseCommands.openHistoryEntry]: (arg) => this.openHistory(arg),
      [ResponseCommands.resendHistoryEntry]: (arg) => this.resendHistory(arg),
      [ResponseCommands.clearHistory]: () => this.clearHistory(),
      [ResponseCommands.removeHistoryEntry]: async (arg) => {
        const e = this.entryOf(arg);
        if (e) await this.history.remove(e.id);
        this.tree.refresh();
      },
    };
  }

  /** Shows a response: in the reused panel, or in a new one when pinned. Also records it in history. */
  async show(args: ShowArgs): Promise<void> {
    const entry = await this.record(args);
    const display: Display = {
      response: args.response,
      id: entry?.id ?? `r${Date.now().toString(36)}`,
      ...(args.site ? { site: args.site } : {}),
      ...(args.company ? { company: args.company } : {}),
      ...(args.title ? { title: args.title } : {}),
      ...(args.connectionId ? { connectionId: args.connectionId } : {}),
      ...(args.source ? { source: { ...args.source, uri: args.source.uri.toString() } } : {}),
      ...recordsOf(args.response),
    };
    await this.present(display, args.pinned);
  }

  /** Adapter for Send (src/language): `showResponse(response, { title, document, … })`. */
  readonly showResponse = (
    response: HttpResponse,
    info: { title?: string; document?: vscode.Uri; line?: number; requestIndex?: number; requestName?: string; connectionId?: string },
  ): Promise<void> =>
    this.show({
      response,
      ...(info.title ? { title: info.title } : {}),
      ...(info.connectionId ? { connectionId: info.connectionId } : {}),
      ...(info.document
        ? {
          source: {
            uri: info.document,
            ...(info.line !== undefined ? { line: info.line } : {}),
            ...(info.requestIndex !== undefined ? { requestIndex: info.requestIndex } : {}),
            ...(info.requestName !== undefined ? { requestName: info.requestName } : {}),
          },
        }
        : {}),
    });

  private async present(display: Display, pinned?: boolean): Promise<void> {
    let panel = pinned ? undefined : this.main;
    if (!panel) {
      const wv = vscode.window.createWebviewPanel(VIEW_TYPE, t('Sage 200 response'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        localResourceRoots: [this.mediaRoot],
        // Off: a hidden panel must not hold a 50 MB body in a second process; state comes back via getState.
        retainContextWhenHidden: false,
        enableFindWidget: true,
      });
      panel = this.adopt(wv, !!pinned);
    }
    await panel.show(display);
  }

  private adopt(wv: vscode.WebviewPanel, pinned: boolean): ResponsePanel {
    const panel = new ResponsePanel(wv, this.mediaRoot, this);
    panel.pinned = pinned;
    this.panels.add(panel);
    if (!pinned && !this.main) this.main = panel;
    return panel;
  }

  /** A test run's exchange goes to history marked passed or failed, without opening a panel. */
  readonly recordTest = async (
    response: HttpResponse, source: { uri: vscode.Uri; requestIndex: number; requestName?: string }, test: 'passed' | 'failed', connectionId?: string,
  ): Promise<void> => {
    await this.record({ response, source, ...(connectionId ? { connectionId } : {}) }, test);
  };

  private async record(args: ShowArgs, test?: 'passed' | 'failed'): Promise<HistoryEntry | undefined> {
    try {
      const original = originalRequestOf(args.response);
      const e = await this.history.add({
        request: args.response.request,
        ...(original ? { original } : {}),
        response: args.response,
        ...(args.site ? { site: args.site } : {}),
        ...(args.company ? { company: args.company } : {}),
        ...(args.connectionId ? { connectionId: args.connectionId } : {}),
        ...(args.source ? { source: sourceOf(args.source) } : {}),
        ...(test ? { test } : {}),
      });
      this.tree.refresh();
      return e;
    } catch (e) {
      this.deps.log?.warn(`History: could not save the entry: ${(e as Error).message}`);
      return undefined;
    }
  }

  // ---- PanelHost ----------------------------------------------------------------------------
  restore(state: ViewerState | undefined): Display | undefined {
    const id = state?.responseId?.split('#')[0];
    const entry = id ? this.history.get(id) : undefined;
    return entry ? displayOfEntry(entry) : undefined;
  }

  onDispose(panel: ResponsePanel): void {
    this.busy.get(panel)?.cancel();
    this.panels.delete(panel);
    if (this.main === panel) this.main = undefined;
    panel.dispose();
  }

  onMessage(panel: ResponsePanel, m: FromWebview): void {
    void this.handle(panel, m).catch((e: unknown) => {
      void panel.post({ type: 'notice', level: 'error', text: (e as Error).message });
    });
  }

  private async handle(panel: ResponsePanel, m: FromWebview): Promise<void> {
    const d = panel.display;
    switch (m.type) {
      case 'page':
        if (d) await this.page(panel, d, m.direction);
        return;
      case 'resend':
        if (d) await this.resendDisplay(panel, d);
        return;
      case 'loadAll':
        if (d) await this.loadAll(panel, d);
        return;
      case 'cancel':
        this.busy.get(panel)?.cancel();
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        void vscode.window.setStatusBarMessage(m.what === 'row' ? t('Sage 200: row copied') : t('Sage 200: copied'), 2000);
        return;
      case 'copyBody':
        if (d) {
          await vscode.env.clipboard.writeText(new TextDecoder().decode(d.response.body));
          void vscode.window.setStatusBarMessage(t('Sage 200: body copied'), 2000);
        }
        return;
      case 'saveBody':
        if (d) await saveBody(d);
        return;
      case 'exportCsv':
        if (d) await exportCsv(d, m.columns);
        return;
      case 'rewriteSelect':
        if (d) await rewriteSelect(d, m.fields);
        return;
      case 'pin':
        panel.setPinned(!panel.pinned);
        if (panel.pinned && this.main === panel) this.main = undefined;
        else if (!panel.pinned && !this.main) this.main = panel;
        return;
      case 'signIn':
        if (this.deps.signInCommand) await vscode.commands.executeCommand(this.deps.signInCommand, d?.connectionId);
        return;
      case 'state':
      case 'ready':
        return;
    }
  }

  // ---- paging and re-sending ------------------------------------------------------------------
  private async page(panel: ResponsePanel, d: Display, direction: 'next' | 'previous'): Promise<void> {
    const req = this.sendable(d);
    if (!req) {
      void panel.post({ type: 'notice', level: 'info', text: t('This response was stored with its secrets masked, so its pages cannot be fetched from here. Send the request again from its file.') });
      return;
    }
    const target = pageTarget(req.url, direction);
    if (!target) {
      void panel.post({ type: 'notice', level: 'info', text: direction === 'previous' ? t('This is the first page.') : t('There is no next page.') });
      return;
    }
    const note = target.orderbyAdded ? t('Added $orderby=id asc: Sage 200 rejects $skip without $orderby.') : undefined;
    await this.resend(panel, d, { ...req, url: target.url }, note);
  }

  private sendable(d: Display): HttpRequest | undefined {
    return resendableRequest(d.response, d.masked);
  }

  /** Re-send: the same request again, or resolved again from its file; a write is confirmed first. */
  private async resendDisplay(panel: ResponsePanel, d: Display): Promise<void> {
    const req = this.sendable(d);
    if (req) {
      assertConnectionKnown(req.method, d);
      if (await confirmWrite(req.method, req.url, this.secrets)) await this.resend(panel, d, req);
      return;
    }
    await this.resendFromFile(d.response.request, d.source, d);
  }

  /**
   * For a request whose stored copy is masked: the same request in its file, resolved afresh, to the
   * same connection. Whatever now sits where it was is not it: that could be a DELETE.
   */
  private async resendFromFile(stored: HttpRequest, source: HistorySource | undefined, from: SentTo): Promise<void> {
    if (!source || (source.requestIndex === undefined && source.requestName === undefined)) {
      throw new Error(t('This request was stored with its secrets masked and did not come from a request file, so it cannot be sent again exactly. Send it again from where it came from.'));
    }
    const uri = vscode.Uri.parse(source.uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const name = path.basename(uri.fsPath);
    const same = sameRequest(parseRequestFile(doc.getText()), { ...source, method: stored.method, url: stored.url });
    if (!same.found) {
      if (same.reason === 'changed') {
        throw new Error(t('Not sent: the request in {0} is now {1} {2}, not the {3} {4} that was sent. Send it from the file instead.', name, same.now.method, same.now.path, stored.method.toUpperCase(), shortPath(stored.url, this.secrets)));
      }
      throw new Error(source.requestName !== undefined
        ? t('Not sent: {0} has no request named "{1}" any more. Send it from the file instead.', name, source.requestName)
        : t('Not sent: {0} has no request {1} any more. Send it from the file instead.', name, (source.requestIndex ?? 0) + 1));
    }
    const method = same.request.requestLine!.method;
    assertConnectionKnown(method, from);
    if (!(await confirmWrite(method, stored.url, this.secrets, true))) return;
    await vscode.commands.executeCommand(Commands.sendRequest, uri, same.request.index, {
      method: stored.method,
      url: stored.url,
      ...(source.requestName !== undefined ? { requestName: source.requestName } : {}),
      ...(from.connectionId ? { connectionId: from.connectionId } : {}),
    });
  }

  private async resend(panel: ResponsePanel, d: Display, req: HttpRequest, note?: string): Promise<void> {
    const api = this.deps.api;
    if (!api) throw new Error(t('Sending needs a Sage 200 connection; none is available yet.'));
    assertConnectionKnown(req.method, d);
    const cts = this.startBusy(panel, t('Sending {0} {1}…', req.method, shortPath(req.url, this.secrets)));
    try {
      const response = await api.send(
        { method: req.method, url: req.url, headers: { ...req.headers }, ...(req.body !== undefined ? { body: req.body } : {}) },
        { ...(d.connectionId ? { connectionId: d.connectionId } : {}), token: cts.token },
      );
      const entry = await this.record({
        response,
        ...(d.site ? { site: d.site } : {}),
        ...(d.company ? { company: d.company } : {}),
        ...(d.connectionId ? { connectionId: d.connectionId } : {}),
        ...(d.source ? { source: d.source } : {}),
      });
      await panel.show({
        ...d,
        response,
        id: entry?.id ?? `r${Date.now().toString(36)}`,
        fromHistory: false,
        truncated: false,
        masked: undefined,
        ...(note ? { note } : { note: undefined }),
        ...recordsOf(response),
      });
    } catch (e) {
      if (!cts.token.isCancellationRequested) throw e;
      void panel.post({ type: 'notice', level: 'info', text: t('Cancelled.') });
    } finally {
      this.endBusy(panel, cts);
    }
  }

  private async loadAll(panel: ResponsePanel, d: Display): Promise<void> {
    const api = this.deps.api;
    if (!api?.fetchAll) throw new Error(t('"Load all" needs a Sage 200 connection; none is available yet.'));
    const fetchAll = api.fetchAll.bind(api);
    const sendable = this.sendable(d);
    if (!sendable) throw new Error(t('This response was stored with its secrets masked, so "Load all" cannot repeat it. Send the request again from its file.'));
    const url = withoutPaging(sendable.url);
    const cts = this.startBusy(panel, t('Loading all pages…'));
    const records: unknown[] = [];
    const started = Date.now();
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: t('Sage 200: loading all of {0}', shortPath(url, this.secrets)), cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => cts.cancel());
          return fetchAll(url, {
            ...(d.connectionId ? { connectionId: d.connectionId } : {}),
            // The pair this response came from, not whatever is active now.
            ...requestScope(d.response.request.headers),
            token: cts.token,
            onPage: (page, info) => {
              for (const r of page) records.push(r);
              progress.report({ message: t('{0} records, {1} pages', info.records, info.page) });
              void panel.post({ type: 'progress', records: info.records, pages: info.page });
            },
          });
        },
      );
      const body = new TextEncoder().encode(JSON.stringify(records));
      const response: HttpResponse = {
        status: 200,
        statusText: 'OK',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
        json: records,
        size: body.length,
        timing: { totalMs: Date.now() - started },
        request: { ...d.response.request, url },
        attempts: result.pages,
      };
      const note = t('Loaded all {0} records in {1} pages.', result.records, result.pages) + (result.addedOrderBy ? ' ' + t('Added $orderby=id asc: Sage 200 rejects $skip without $orderby.') : '');
      const entry = await this.record({
        response,
        ...(d.site ? { site: d.site } : {}),
        ...(d.company ? { company: d.company } : {}),
        ...(d.connectionId ? { connectionId: d.connectionId } : {}),
      });
      await panel.show({ ...d, response, id: entry?.id ?? `all${started}`, note, records: records.length, fromHistory: false, truncated: false });
      void panel.post({ type: 'notice', level: 'info', text: note });
    } catch (e) {
      if (!cts.token.isCancellationRequested) throw e;
      void panel.post({ type: 'notice', level: 'info', text: t('"Load all" cancelled after {0} records; the page on screen is unchanged.', records.length) });
    } finally {
      this.endBusy(panel, cts);
    }
  }

  private startBusy(panel: ResponsePanel, text: string): vscode.CancellationTokenSource {
    this.busy.get(panel)?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.busy.set(panel, cts);
    void panel.post({ type: 'busy', text, cancellable: true });
    return cts;
  }

  private endBusy(panel: ResponsePanel, cts: vscode.CancellationTokenSource): void {
    if (this.busy.get(panel) === cts) {
      this.busy.delete(panel);
      void panel.post({ type: 'idle' });
    }
    cts.dispose();
  }

  // ---- history --------------------------------------------------------------------------------
  private entryOf(arg: unknown): HistoryEntry | undefined {
    if (arg && typeof arg === 'object' && 'id' in arg) return this.history.get(String((arg as { id: unknown }).id));
    return undefined;
  }

  private async openHistory(arg: unknown): Promise<void> {
    const e = this.entryOf(arg);
    if (e) await this.present(displayOfEntry(e));
  }

  /**
   * History keeps requests masked, so an entry is sent again as stored only when masking changed
   * nothing; otherwise the request is resolved again from its file, or refused with the reason.
   */
  private async resendHistory(arg: unknown): Promise<void> {
    const e = this.entryOf(arg);
    if (!e) return;
    const d = displayOfEntry(e);
    if (!isIntact(e)) {
      await this.resendFromFile(e.request, e.source, d);
      return;
    }
    const req = withoutClientCredentials(e.request);
    assertConnectionKnown(req.method, d);
    if (!(await confirmWrite(req.method, req.url, this.secrets))) return;
    let panel = this.main;
    if (!panel) {
      await this.present(d);
      panel = this.main;
    }
    if (panel) await this.resend(panel, d, req);
  }

  private async clearHistory(): Promise<void> {
    await this.history.clear();
    this.tree.refresh();
  }
}

function displayOfEntry(e: HistoryEntry): Display {
  const response = storedResponse(e);
  return {
    response,
    id: e.id,
    fromHistory: true,
    truncated: e.response.truncated,
    ...(e.site ? { site: e.site } : {}),
    ...(e.company ? { company: e.company } : {}),
    ...(e.connectionId ? { connectionId: e.connectionId } : {}),
    ...(e.source ? { source: e.source } : {}),
    ...(e.masked !== undefined ? { masked: e.masked } : {}),
    ...(e.response.truncated ? {} : recordsOf(response)),
  };
}

/** Where a response on screen went: a fresh one without a connection id went to the active one. */
type SentTo = Pick<Display, 'connectionId' | 'fromHistory'>;

/**
 * History from before it kept the connection does not say where a request went. A read may go to
 * the active connection (it changes nothing, and the panel shows what came back); a write may not,
 * since its URL, site and company may belong to another tenant than the active one.
 */
function assertConnectionKnown(method: string, from: SentTo): void {
  if (from.connectionId || !from.fromHistory || !isWrite(method)) return;
  throw new Error(t('Not sent: it is not known which Sage 200 connection this {0} went to (history kept no connection then), so it is not sent to the active one. Send it from the file instead.', method.toUpperCase()));
}

/**
 * A write sent again is a second write (a second order, a second payment): the user says so first.
 * `fromFile` says that the request is resolved again from its file, which may have changed.
 */
async function confirmWrite(method: string, url: string, secrets: SecretRegistry | undefined, fromFile = false): Promise<boolean> {
  if (!isWrite(method)) return true;
  const again = t('Send {0} again', method.toUpperCase());
  const detail = fromFile
    ? t('The stored copy has its secrets masked, so the request is resolved again from its file as it is now.')
    : t('It changes data in Sage 200 a second time.');
  const answer = await vscode.window.showWarningMessage(t('Send {0} {1} again?', method.toUpperCase(), shortPath(url, secrets)), { modal: true, detail }, again);
  return answer === again;
}

function sourceOf(s: NonNullable<ShowArgs['source']>): HistorySource {
  return {
    uri: s.uri.toString(),
    ...(s.requestIndex !== undefined ? { requestIndex: s.requestIndex } : {}),
    ...(s.requestName !== undefined ? { requestName: s.requestName } : {}),
  };
}

/** A live response's URL holds its `$dotenv` values and tokens: the dialog shows it masked. */
function shortPath(url: string, secrets: SecretRegistry | undefined): string {
  return displayPath(url, secrets).slice(0, 120);
}
