import * as path from 'path';
import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import { readDotenv } from '../core/dotenv';
import type { ApiSender } from '../connections/apiSender';
import { HttpRequest, HttpResponse } from '../core/http/types';
import { displayPath } from '../core/connections/types';
import { redactText, type SecretRegistry } from '../core/http/redact';
import { FileAnalysis } from '../core/language';
import {
  NamedExchange, ParsedBlock, RequestBlock, requestAt, resolveRequest, ResolveError, toCSharp, toCurl, toFetch, VariableContext, VariableError,
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
 * Where a response was answered. Ids repeat across companies and connections, so a response is
 * reused only where it came from: company 1's customer id must not go into company 2's order.
 */
interface Place {
  readonly connectionId: string | undefined;
  readonly site: string | undefined;
  readonly company: number | undefined;
}

function placeOf(ctx: SendContext): Place {
  return { connectionId: ctx.connectionId, site: ctx.site, company: ctx.company };
}

function samePlace(a: Place, b: Place): boolean {
  return a.connectionId === b.connectionId && a.site === b.site && a.company === b.company;
}

interface KeptExchange {
  readonly exchange: NamedExchange;
  readonly place: Place;
}

/**
 * One Send all. Requests are known by their reading (a block's parse, kept while its text is
 * unchanged), not by position, so an edit during the run neither repeats nor skips one. `sent`
 * holds each request sent so far and whether it succeeded, including those sent first because
 * another referred to them: a write must not go out twice.
 */
interface SendRun {
  readonly sent: Map<ParsedBlock, boolean>;
}

/**
 * Send, Send all, Cancel, Copy as curl and Copy as code. Requests resolve through the same core
 * parse the editor shows; named responses are kept per document for `{{name.response…}}`, with the
 * connection, site and company that answered them.
 */
export class SendController extends Disposable {
  private readonly exchanges = new Map<string, Map<string, KeptExchange>>();
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
    const plan = this.deps.analyses.get(doc).blocks.map((b) => b.parsed).filter((p) => p.request?.requestLine);
    const run: SendRun = { sent: new Map() };
    for (const [i, reading] of plan.entries()) {
      let ok = run.sent.get(reading);
      if (ok === undefined) {
        const request = this.requestOf(doc, reading);
        if (!request) {
          // Edited or deleted since Send all began: what to send instead is the user's call.
          void vscode.window.showWarningMessage(vscode.l10n.t('Send all stopped at request {0} of {1}: it was changed or removed while sending.', i + 1, plan.length));
          return;
        }
        ok = await this.sendOne(doc, request, new Set(), run);
      }
      // Stop at the first failure: later requests often depend on earlier ones.
      if (!ok) {
        if (i < plan.length - 1) void vscode.window.showWarningMessage(vscode.l10n.t('Send all stopped at request {0} of {1}.', i + 1, plan.length));
        return;
      }
    }
  }

  /** The request of `reading` in the document as it is now; undefined once its block was edited or deleted. */
  private requestOf(doc: vscode.TextDocument, reading: ParsedBlock): RequestBlock | undefined {
    const fa = this.deps.analyses.get(doc);
    const placed = fa.blocks.find((b) => b.parsed === reading);
    return placed && fa.file.requests[placed.index];
  }

  /** The reading of `request`, a request of the document as it is now. */
  private readingOf(doc: vscode.TextDocument, request: RequestBlock): ParsedBlock | undefined {
    return this.deps.analyses.get(doc).blocks.find((b) => b.parsed.request && b.index === request.index)?.parsed;
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

  private async resolve(doc: vscode.TextDocument, request: RequestBlock, ctx: SendContext, chain: Set<string>, relative: boolean, run?: SendRun): Promise<HttpRequest> {
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
        exchange: (name) => this.exchangeFor(doc, name, ctx, chain, run),
      },
    });
  }

  /**
   * The last exchange of a named request, if it was answered where `ctx` sends now; otherwise offers
   * to send the request first (here).
   */
  private async exchangeFor(doc: vscode.TextDocument, name: string, ctx: SendContext, chain: Set<string>, run?: SendRun): Promise<NamedExchange | undefined> {
    const here = placeOf(ctx);
    const known = this.exchanges.get(doc.uri.toString())?.get(name);
    if (known && samePlace(known.place, here)) return known.exchange;
    if (chain.has(name)) return undefined;
    if (!this.deps.analyses.get(doc).file.requests.some((r) => r.name === name)) return undefined;
    const send = vscode.l10n.t('Send "{0}" first', name);
    const question = known
      ? vscode.l10n.t('The request "{0}" was sent to another connection, site or company. Send it here first?', name)
      : vscode.l10n.t('The request "{0}" has not been sent yet. Send it first?', name);
    const answer = await vscode.window.showInformationMessage(question, send);
    if (answer !== send) return undefined;
    // Looked up after the question: the file may have been edited while it was open.
    const request = this.deps.analyses.get(doc).file.requests.find((r) => r.name === name);
    if (!request) return undefined;
    await this.sendOne(doc, request, new Set(chain).add(name), run);
    const kept = this.exchanges.get(doc.uri.toString())?.get(name);
    // The user may have switched company while it was sent.
    return kept && samePlace(kept.place, here) ? kept.exchange : undefined;
  }

  private async sendOne(doc: vscode.TextDocument, request: RequestBlock, chain: Set<string>, run?: SendRun): Promise<boolean> {
    const ctx = this.deps.context();
    const reading = run && this.readingOf(doc, request);
    let req: HttpRequest;
    try {
      req = await this.resolve(doc, request, ctx, request.name ? new Set(chain).add(request.name) : chain, true, run);
    } catch (e) {
      this.reportResolveError(doc, e);
      return false;
    }
    const rl = request.requestLine!;
    const title = request.title ?? request.name ?? `${rl.method} ${rl.path}`;
    const source = new vscode.CancellationTokenSource();
    this.running.add(source);
    // Marked before it goes out: a request that failed or was cancelled may still have reached the server.
    if (run && reading) run.sent.set(reading, false);
    try {
      const res = await vscode.window.withProgress({
        // The status bar, not a toast: the viewer already shows that it is busy, and Cancel Request
        // (Ctrl+Alt+K in the editor) stops it.
        location: vscode.ProgressLocation.Window,
        title: vscode.l10n.t('Sending {0} {1}', req.method, displayPath(req.url, this.deps.secrets)),
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
          exchange: {
            response: { status: res.status, headers: res.headers, body, ...(res.json !== undefined ? { json: res.json } : {}) },
            request: { headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}) },
          },
          place: placeOf(ctx),
        });
      }
      if (run && reading) run.sent.set(reading, res.status < 400);
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
      // The resolved URL holds its `$dotenv` values, and an error may quote it: both are masked.
      const secrets = this.deps.secrets;
      showError(vscode.l10n.t('{0} {1} failed: {2}', req.method, displayPath(req.url, secrets), redactText((e as Error).message, secrets)), 'showLog');
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
