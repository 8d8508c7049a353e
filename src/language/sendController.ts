import * as path from 'path';
import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import { readDotenv } from '../core/dotenv';
import type { ApiSender } from '../connections/apiSender';
import { HttpRequest, HttpResponse } from '../core/http/types';
import { displayPath } from '../core/connections/types';
import type { SecretRegistry } from '../core/http/redact';
import { FileAnalysis } from '../core/language';
import {
  NamedExchange, RequestBlock, requestAt, resolveRequest, ResolveError, toCSharp, toCurl, toFetch, VariableContext, VariableError,
} from '../core/requestFile';
import { sameRequest, SentFrom } from '../core/viewer/select';
import { DocumentAnalyses, LANGUAGE_ID, toRange } from './providers';
import { showError } from '../notify';


/** What Send knows about the active working context. */
export interface SendContext {
  readonly connectionId?: string;
  readonly site?: string;
  readonly company?: number;
  /** The connection's API base URL, for "Copy as …" (Send itself lets the client join paths). */
  readonly baseUrl?: string;
}

export interface ResponseInfo {
  readonly title: string;
  readonly document: vscode.Uri;
  /** Zero-based line of the request line, so the viewer can rewrite its `$select`. */
  readonly line: number;
  readonly requestIndex: number;
  readonly requestName?: string;
  readonly connectionId?: string;
}

/**
 * A request sent again from history: only the same request may go, to the same connection. The
 * file can change between the viewer's check and the send (the confirmation is modal), so Send
 * checks again.
 */
export interface ExpectedRequest extends Omit<SentFrom, 'requestIndex'> {
  /** The connection it went to; absent when history did not keep it. */
  readonly connectionId?: string;
}

export interface SendDeps {
  readonly analyses: DocumentAnalyses;
  readonly sender: ApiSender;
  context(): SendContext;
  variables(): Pick<VariableContext, 'environments' | 'environment'>;
  /** The response viewer. */
  showResponse(response: HttpResponse, info: ResponseInfo): unknown;
  /** The access token of a connection, only for "Copy as curl" when the user asks for secrets. */
  accessToken(connectionId?: string): Promise<string | undefined>;
  /** Where `$dotenv` and `$prompt` values are registered, so that logs and history never show them. */
  readonly secrets: SecretRegistry;
}

/**
 * Send, Send all, Cancel, Copy as curl and Copy as code. Requests resolve through the same core
 * parse the editor shows; named responses are kept per document for `{{name.response…}}`.
 */
export class SendController extends Disposable {
  private readonly exchanges = new Map<string, Map<string, NamedExchange>>();
  private readonly running = new Set<vscode.CancellationTokenSource>();

  constructor(private readonly deps: SendDeps) {
    super();
    this._register({ dispose: () => this.cancelAll() });
    this._register(vscode.workspace.onDidCloseTextDocument((d) => this.exchanges.delete(d.uri.toString())));
  }

  cancelAll(): boolean {
    const any = this.running.size > 0;
    for (const s of this.running) s.cancel();
    return any;
  }

  /** `sage200.sendRequest [uri, index, expected]`, or the request under the cursor. */
  async send(uri?: vscode.Uri, index?: number, expected?: ExpectedRequest): Promise<boolean> {
    const target = await this.target(uri, index);
    if (!target) return false;
    if (expected && !this.isExpected(target.doc, target.request, expected)) return false;
    return this.sendOne(target.doc, target.request, new Set());
  }

  private isExpected(doc: vscode.TextDocument, request: RequestBlock, expected: ExpectedRequest): boolean {
    const file = this.deps.analyses.get(doc).file;
    const same = sameRequest(file, { ...expected, requestIndex: request.index });
    const name = path.basename(doc.uri.fsPath);
    if (!same.found || same.request !== request) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Not sent: the request changed in {0} before it could be sent again. Send it from the file instead.', name));
      return false;
    }
    const active = this.deps.context().connectionId;
    if (expected.connectionId && expected.connectionId !== active) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Not sent: this request went to another Sage 200 connection than the active one. Make that connection active, or send it from the file instead.'));
      return false;
    }
    return true;
  }

  async sendAll(uri?: vscode.Uri): Promise<void> {
    const doc = await this.document(uri);
    if (!doc) return;
    const fa = this.deps.analyses.get(doc);
    const requests = fa.file.requests.filter((r) => r.requestLine);
    for (const [i, r] of requests.entries()) {
      // Stop at the first failure: later requests often depend on earlier ones.
      const current = this.deps.analyses.get(doc).file.requests[r.index] ?? r;
      if (!(await this.sendOne(doc, current, new Set()))) {
        if (i < requests.length - 1) void vscode.window.showWarningMessage(vscode.l10n.t('Send all stopped at request {0} of {1}.', i + 1, requests.length));
        return;
      }
    }
  }

  async copyAsCurl(uri?: vscode.Uri, index?: number, withSecrets = false): Promise<void> {
    const built = await this.buildForCopy(uri, index, withSecrets);
    if (!built) return;
    await vscode.env.clipboard.writeText(toCurl(built.req, { withAuthorization: true, ...(built.token ? { token: built.token } : {}) }));
    void vscode.window.showInformationMessage(built.token
      ? vscode.l10n.t('Copied as curl, with your access token. Treat it as a secret.')
      : vscode.l10n.t('Copied as curl. The token reads from $SAGE200_TOKEN.'));
  }

  async copyAsCode(uri?: vscode.Uri, index?: number): Promise<void> {
    const pick = await vscode.window.showQuickPick([
      { label: 'TypeScript (fetch)', id: 'ts' },
      { label: 'C# (HttpClient)', id: 'cs' },
      { label: 'curl', id: 'curl' },
    ], { placeHolder: vscode.l10n.t('Copy the request as…') });
    if (!pick) return;
    const built = await this.buildForCopy(uri, index, false);
    if (!built) return;
    const o = { withAuthorization: true };
    const code = pick.id === 'ts' ? toFetch(built.req, o) : pick.id === 'cs' ? toCSharp(built.req, o) : toCurl(built.req, o);
    await vscode.env.clipboard.writeText(code);
    void vscode.window.showInformationMessage(vscode.l10n.t('Copied as {0}. The token reads from the SAGE200_TOKEN environment variable.', pick.label));
  }

  private async buildForCopy(uri: vscode.Uri | undefined, index: number | undefined, withSecrets: boolean): Promise<{ req: HttpRequest; token?: string } | undefined> {
    const target = await this.target(uri, index);
    if (!target) return undefined;
    const ctx = this.deps.context();
    try {
      const req = await this.resolve(target.doc, target.request, ctx, new Set(), false);
      const token = withSecrets ? await this.deps.accessToken(ctx.connectionId) : undefined;
      return { req, ...(token ? { token } : {}) };
    } catch (e) {
      this.reportResolveError(target.doc, e);
      return undefined;
    }
  }

  private async document(uri?: vscode.Uri): Promise<vscode.TextDocument | undefined> {
    if (uri) return vscode.workspace.openTextDocument(uri);
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== LANGUAGE_ID) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a .sage200 request file first.'));
      return undefined;
    }
    return editor.document;
  }

  private async target(uri?: vscode.Uri, index?: number): Promise<{ doc: vscode.TextDocument; request: RequestBlock } | undefined> {
    const doc = await this.document(uri);
    if (!doc) return undefined;
    const fa = this.deps.analyses.get(doc);
    let request: RequestBlock | undefined;
    if (typeof index === 'number') request = fa.file.requests[index];
    else {
      const editor = vscode.window.activeTextEditor;
      const offset = editor && editor.document === doc ? doc.offsetAt(editor.selection.active) : 0;
      request = requestAt(fa.file, offset);
    }
    if (!request?.requestLine) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Put the cursor in a request (a block that starts with ###) to send it.'));
      return undefined;
    }
    return { doc, request };
  }

  private async resolve(doc: vscode.TextDocument, request: RequestBlock, ctx: SendContext, chain: Set<string>, relative: boolean): Promise<HttpRequest> {
    const fa: FileAnalysis = this.deps.analyses.get(doc);
    const dir = doc.uri.scheme === 'file' ? path.dirname(doc.uri.fsPath) : undefined;
    // Values from .env and from the user are secrets wherever they end up (logs, history, the viewer).
    const secret = (value: string | undefined): string | undefined => {
      this.deps.secrets.add(value);
      return value;
    };
    return resolveRequest(fa.file, request, {
      ...this.deps.variables(),
      ...(!relative && ctx.baseUrl ? { baseUrl: ctx.baseUrl } : {}),
      ...(ctx.site ? { site: ctx.site } : {}),
      ...(ctx.company !== undefined ? { company: ctx.company } : {}),
      host: {
        prompt: async (name, description) => secret(await vscode.window.showInputBox({
          title: vscode.l10n.t('Value for {0}', name),
          prompt: description,
          password: /password|secret|token|key/i.test(name),
          ignoreFocusOut: true,
        })),
        dotenv: (name) => secret(dir ? readDotenv(path.join(dir, '.env')).get(name) : undefined),
        exchange: (name) => this.exchangeFor(doc, name, chain),
      },
    });
  }

  /** The last exchange of a named request; offers to send it first when there is none. */
  private async exchangeFor(doc: vscode.TextDocument, name: string, chain: Set<string>): Promise<NamedExchange | undefined> {
    const known = this.exchanges.get(doc.uri.toString())?.get(name);
    if (known) return known;
    if (chain.has(name)) return undefined;
    const request = this.deps.analyses.get(doc).file.requests.find((r) => r.name === name);
    if (!request) return undefined;
    const send = vscode.l10n.t('Send "{0}" first', name);
    const answer = await vscode.window.showInformationMessage(vscode.l10n.t('The request "{0}" has not been sent yet. Send it first?', name), send);
    if (answer !== send) return undefined;
    const next = new Set(chain).add(name);
    await this.sendOne(doc, request, next);
    return this.exchanges.get(doc.uri.toString())?.get(name);
  }

  private async sendOne(doc: vscode.TextDocument, request: RequestBlock, chain: Set<string>): Promise<boolean> {
    const ctx = this.deps.context();
    let req: HttpRequest;
    try {
      req = await this.resolve(doc, request, ctx, request.name ? new Set(chain).add(request.name) : chain, true);
    } catch (e) {
      this.reportResolveError(doc, e);
      return false;
    }
    const rl = request.requestLine!;
    const title = request.title ?? request.name ?? `${rl.method} ${rl.path}`;
    const source = new vscode.CancellationTokenSource();
    this.running.add(source);
    try {
      const res = await vscode.window.withProgress({
        // The status bar, not a toast: the viewer already shows that it is busy, and Cancel Request
        // (Ctrl+Alt+K in the editor) stops it.
        location: vscode.ProgressLocation.Window,
        title: vscode.l10n.t('Sending {0} {1}', req.method, displayPath(req.url)),
      }, () => {
        return this.deps.sender.send({ method: req.method, url: req.url, headers: { ...req.headers }, ...(req.body !== undefined ? { body: req.body } : {}) }, {
          ...(ctx.connectionId ? { connectionId: ctx.connectionId } : {}),
          token: source.token,
        });
      });
      if (request.name) {
        let perDoc = this.exchanges.get(doc.uri.toString());
        if (!perDoc) this.exchanges.set(doc.uri.toString(), perDoc = new Map());
        const body = new TextDecoder().decode(res.body);
        perDoc.set(request.name, {
          response: { status: res.status, headers: res.headers, body, ...(res.json !== undefined ? { json: res.json } : {}) },
          request: { headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}) },
        });
      }
      // With none active, the sender asked the user for one; it is active now.
      const sentTo = ctx.connectionId ?? this.deps.context().connectionId;
      await this.deps.showResponse(res, {
        title, document: doc.uri, line: doc.positionAt(rl.span.start).line, requestIndex: request.index,
        ...(request.name ? { requestName: request.name } : {}), ...(sentTo ? { connectionId: sentTo } : {}),
      });
      return res.status < 400;
    } catch (e) {
      if (e instanceof vscode.CancellationError || source.token.isCancellationRequested) {
        void vscode.window.setStatusBarMessage(vscode.l10n.t('Sage 200: request cancelled'), 3000);
        return false;
      }
      showError(vscode.l10n.t('{0} {1} failed: {2}', req.method, displayPath(req.url), (e as Error).message), 'showLog');
      return false;
    } finally {
      this.running.delete(source);
      source.dispose();
    }
  }

  private reportResolveError(doc: vscode.TextDocument, e: unknown): void {
    if (e instanceof VariableError || e instanceof ResolveError) {
      const span = e.span;
      void vscode.window.showErrorMessage(vscode.l10n.t('Not sent: {0}', e.message));
      if (span) {
        const editor = vscode.window.visibleTextEditors.find((ed) => ed.document === doc);
        if (editor) editor.selection = new vscode.Selection(toRange(doc, span).start, toRange(doc, span).end);
      }
      return;
    }
    void vscode.window.showErrorMessage(vscode.l10n.t('Not sent: {0}', (e as Error).message));
  }
}
