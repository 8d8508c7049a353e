import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import { ConnectionConfig, SiteCompany } from '../core/connections/types';
import { AnsweredRequest, HttpResponse, NetworkError } from '../core/http/types';
import { FetchAllResult, PageInfo, fetchAll as coreFetchAll } from '../core/http/paging';
import { HttpStatusError, Sage200Client, isAbsoluteUrl, resolveUrl } from '../core/http/client';
import { SecretRegistry } from '../core/http/redact';
import { headerGet } from '../core/http/headers';
import { EMPTY_SITES_ADVICE } from '../core/http/sageMessage';
import { writeConfirmation } from '../core/connections/production';
import { isAuthError } from '../core/auth/errors';
import { describeOriginChange } from '../core/connections/credentials';
import type { ResolvedConnection } from '../core/connections/resolve';
import type { Sage200Sessions, SessionsChange } from '../auth/sessions';
import type { ActiveContext } from './activeContext';
import { SANDBOX_CONNECTION_ID, type ConnectionManager } from './connectionManager';
import type { RedactingLog } from './log';
import type { SecretKind } from './secretPrompt';
import { assertTrusted } from './trust';

export interface ApiRequest {
  readonly method: string;
  /** Absolute, or a path relative to the connection's base URL. */
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface ApiOptions {
  /** Default: the active connection. */
  readonly connectionId?: string;
  readonly token?: vscode.CancellationToken;
  /** The caller already asked about its writes on production (a test run asks once for all). */
  readonly writesConfirmed?: boolean;
}

export interface ApiFetchAllOptions extends ApiOptions {
  onPage(records: unknown[], info: PageInfo): Promise<void> | void;
  /** Default 5000 (Sage's maximum). */
  readonly pageSize?: number;
  /**
   * The site and company to page through. Default: the connection's active (or remembered) pair.
   * "Load all" passes the pair its response was fetched with, which may not be the active one.
   */
  readonly site?: string;
  readonly company?: number | string;
}

/** Thrown when the user declines a step (sign-in, production confirmation): callers show nothing more. */
export class UserCancelledError extends vscode.CancellationError {
  constructor(readonly reason: string) {
    super();
    this.message = reason;
  }
}

/**
 * The one entry point for calling the Sage 200 API from VS Code features (Send, the explorer, the
 * response viewer). It picks the connection, site and company from the active context (headers in
 * the request win), makes sure the user is signed in, asks before writes to production, and sends
 * through the core client, which applies the token guard, refresh-on-401 and retries.
 */
export class Sage200Api extends Disposable {
  private readonly clients = new Map<string, { key: string; resolved: ResolvedConnection; client: Sage200Client }>();
  readonly onDidChangeSessions: vscode.Event<SessionsChange>;
  private readonly answered = this._register(new vscode.EventEmitter<AnsweredRequest>());
  /**
   * Every request `send` got an answer to, whoever sent it (Send, the viewer's Re-send, a test run,
   * the tree): the explorer reads again the lists that a write changed.
   */
  readonly onDidAnswer = this.answered.event;

  constructor(
    private readonly connections: ConnectionManager,
    private readonly context: ActiveContext,
    private readonly sessions: Sage200Sessions,
    private readonly log: RedactingLog,
    private readonly registry: SecretRegistry,
  ) {
    super();
    this.onDidChangeSessions = sessions.onDidChange;
    this._register({ dispose: () => this.clients.forEach((c) => c.client.dispose()) });
  }

  /**
   * The connection a call goes to: the one named, else the active one. With none active, the user
   * is asked at once, in a modal, and chooses; nothing is ever sent to a connection on its own.
   */
  private async connection(connectionId?: string): Promise<ConnectionConfig> {
    const t = vscode.l10n.t;
    const id = connectionId ?? this.context.selection?.connectionId;
    if (id) {
      const conn = this.connections.get(id);
      if (!conn) throw new Error(t('There is no Sage 200 connection with the id "{0}".', id));
      return conn;
    }
    const all = this.connections.list();
    const lost = this.context.lostReason;
    const choose = t('Choose Connection…');
    const message = lost
      ? all.length
        ? t('{0}. Nothing was sent: choose the Sage 200 connection to send to.', lost)
        : t('{0}. Nothing was sent: start it again or add a connection, then sign in.', lost)
      : all.length
        ? t('No Sage 200 connection is active. Nothing was sent: choose the connection to send to.')
        : t('Nothing was sent: there is no Sage 200 connection. Add a connection or start the demo sandbox, then sign in.');
    const answer = await vscode.window.showWarningMessage(message, { modal: true }, ...(all.length ? [choose] : []));
    if (answer === choose) {
      const pick = await vscode.window.showQuickPick(
        all.map((c) => ({ label: c.name, description: c.edition, id: c.id })),
        { placeHolder: t('Send to which Sage 200 connection?') },
      );
      const conn = pick && this.connections.get(pick.id);
      if (conn) {
        await this.context.select(conn.id);
        return conn;
      }
    }
    throw new UserCancelledError(t('Not sent: no Sage 200 connection is active.'));
  }

  /**
   * The core client of a resolved connection (settings, origin-bound secrets, token source): a
   * connection whose settings change is resolved anew and gets a new client.
   */
  private clientOf(resolved: ResolvedConnection): Sage200Client {
    const timeoutMs = Math.max(1, vscode.workspace.getConfiguration('sage200').get<number>('requestTimeoutSeconds', 60)) * 1000;
    const key = String(timeoutMs);
    const id = resolved.config.id;
    const cached = this.clients.get(id);
    if (cached && cached.resolved === resolved && cached.key === key) return cached.client;
    cached?.client.dispose();
    const client = new Sage200Client({ ...resolved.clientOptions(), logger: this.log, secrets: this.registry, timeoutMs, userAgent: 'sage200-explorer' });
    this.clients.set(id, { key, resolved, client });
    return client;
  }

  /** A client ready to call the connection's API: trusted workspace, signed in for its current origin. */
  async client(conn: ConnectionConfig): Promise<Sage200Client> {
    const resolved = this.sessions.resolve(conn);
    await this.ensureReady(resolved);
    return this.clientOf(resolved);
  }

  /** Saves (for the connection's current API and authority) or, when empty, removes a client secret or subscription key. */
  async setSecret(conn: ConnectionConfig, kind: SecretKind, value: string | undefined): Promise<void> {
    await this.sessions.resolve(conn).credentials.setSecret(kind, value);
  }

  async isSignedIn(connectionId: string): Promise<boolean> {
    return this.sessions.isSignedIn(connectionId);
  }

  /** Signs in, then asks for the site and company when the connection has any. Returns false when cancelled. */
  async signIn(connectionId: string): Promise<boolean> {
    try {
      await this.sessions.signIn(connectionId);
    } catch (e) {
      if (isAuthError(e, 'cancelled')) return false;
      throw e;
    }
    await this.pickSiteCompany(connectionId);
    return true;
  }

  async signOut(connectionId: string): Promise<void> {
    await this.sessions.signOut(connectionId);
  }

  /**
   * Makes sure the connection's credentials may be used: a trusted workspace, a session made for
   * the connection's current API and authority (else the user is asked to sign in, and told why),
   * and no subscription key kept for another API. Throws UserCancelledError when the user says no.
   */
  private async ensureReady(resolved: ResolvedConnection): Promise<void> {
    assertTrusted(vscode.l10n.t('Sending requests to Sage 200'));
    const t = vscode.l10n.t;
    const conn = resolved.config;
    const session = await resolved.credentials.session();
    if (session.state !== 'ok') {
      // A session made for another API or authority is never used: say where it was for, and where
      // the connection now points. (The sandbox moves to a new port on each start: nothing to explain.)
      const moved = session.state === 'moved' && conn.id !== SANDBOX_CONNECTION_ID ? session.change : undefined;
      const signIn = t('Sign In');
      const choice = moved
        ? await vscode.window.showWarningMessage(describeOriginChange(moved), { modal: true }, signIn)
        : await vscode.window.showInformationMessage(t('You are not signed in to the Sage 200 connection "{0}". Sign in now?', conn.name), signIn);
      if (choice !== signIn || !(await this.signIn(conn.id))) {
        throw new UserCancelledError(t('Not sent: not signed in to "{0}".', conn.name));
      }
    }
    const key = await resolved.credentials.subscriptionKey();
    if (key.state === 'moved') {
      // Sage ignores the key since 6 August 2025: never ask for it, drop the one kept for another address.
      await resolved.credentials.setSecret('subscriptionKey', '');
      void vscode.window.showWarningMessage(`${describeOriginChange(key.change)} ${t('It was removed, and requests go without it: Sage 200 ignores this optional, legacy key since 6 August 2025. Set it again only if your tenant still asks for one.')}`);
    }
  }

  /**
   * For a run of many requests: asks once, naming every write, when the connection is production and
   * the guard is on. False when the user declines; then nothing of the run should be sent.
   */
  async confirmWrites(writes: readonly { method: string; path: string }[], connectionId?: string): Promise<boolean> {
    const conn = await this.connection(connectionId);
    const on = vscode.workspace.getConfiguration('sage200').get<boolean>('confirmWritesOnProduction', true);
    const named = writes.flatMap((w) => writeConfirmation(conn, w.method, w.path, '', {}, {}, on, this.registry) ?? []);
    if (!named.length) return true;
    const ok = vscode.l10n.t('Run with {0} writes', named.length);
    const list = named.slice(0, 10).map((w) => `${w.method} ${w.path}`).join('\n') + (named.length > 10 ? '\n…' : '');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('This test run writes to the production connection "{0}":', conn.name), { modal: true, detail: list }, ok,
    );
    return answer === ok;
  }

  async send(req: ApiRequest, options: ApiOptions = {}): Promise<HttpResponse> {
    const conn = await this.connection(options.connectionId);
    const resolved = this.sessions.resolve(conn);
    const client = this.clientOf(resolved);
    const method = req.method.toUpperCase();
    const target = resolveUrl(client.baseUrl, req.url);
    const toApi = !isAbsoluteUrl(req.url) || safeOrigin(target) === client.apiOrigin;
    if (toApi) await this.ensureReady(resolved);
    else assertTrusted(vscode.l10n.t('Sending requests to Sage 200'));
    const sel = this.context.selection?.connectionId === conn.id ? this.context.selection : this.context.remembered(conn.id);
    const site = headerGet(req.headers, 'X-Site') ?? sel.siteId;
    const company = headerGet(req.headers, 'X-Company') ?? (sel.companyId !== undefined ? String(sel.companyId) : undefined);
    const confirm = writeConfirmation(conn, method, target, client.baseUrl, sel, { site, company }, vscode.workspace.getConfiguration('sage200').get<boolean>('confirmWritesOnProduction', true), this.registry);
    if (confirm && !options.writesConfirmed) {
      const ok = vscode.l10n.t('Send {0}', confirm.method);
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} {1} on the production connection "{2}", site {3}, company {4}. Send it?', confirm.method, confirm.path, conn.name, confirm.site, confirm.company),
        { modal: true },
        ok,
      );
      if (answer !== ok) throw new UserCancelledError(vscode.l10n.t('Not sent: {0} {1} was not confirmed.', confirm.method, confirm.path));
    }
    const abort = new AbortController();
    const sub = options.token?.onCancellationRequested(() => abort.abort());
    if (options.token?.isCancellationRequested) abort.abort();
    try {
      const res = await client.send(req, { site, company, signal: abort.signal, onWarning: (m) => void vscode.window.showWarningMessage(m) });
      this.log.info(`${method} ${res.request.url} → ${res.status} (${res.size} B, ${Math.round(res.timing.totalMs)} ms${res.attempts > 1 ? `, ${res.attempts} attempts` : ''})`);
      this.answered.fire({
        method, url: req.url, status: res.status, connectionId: conn.id, baseUrl: client.baseUrl, ...(site ? { site } : {}), ...(company ? { company } : {}),
      });
      return res;
    } catch (e) {
      if (e instanceof NetworkError) this.log.warn(e.message);
      else this.log.error(e as Error);
      throw e;
    } finally {
      sub?.dispose();
    }
  }

  /** Streams every page of a collection (with `$orderby`, `$top`/`$skip` up to 5000 a page) to `onPage`. */
  async fetchAll(path: string, options: ApiFetchAllOptions): Promise<FetchAllResult> {
    const conn = await this.connection(options.connectionId);
    const client = await this.client(conn);
    const sel = this.context.selection?.connectionId === conn.id ? this.context.selection : this.context.remembered(conn.id);
    const abort = new AbortController();
    const sub = options.token?.onCancellationRequested(() => abort.abort());
    try {
      return await coreFetchAll(client, path, {
        site: options.site ?? sel.siteId,
        company: options.company ?? sel.companyId,
        signal: abort.signal,
        pageSize: options.pageSize,
        onPage: options.onPage,
        onWarning: (m) => this.log.info(m),
      });
    } finally {
      sub?.dispose();
    }
  }

  /** GET /sites for a connection (no X-Site/X-Company). */
  async getSites(connectionId: string, token?: vscode.CancellationToken): Promise<SiteCompany[]> {
    const conn = await this.connection(connectionId);
    const client = await this.client(conn);
    const abort = new AbortController();
    const sub = token?.onCancellationRequested(() => abort.abort());
    try {
      const res = await client.send({ method: 'GET', url: '/sites' }, { signal: abort.signal });
      if (res.status < 200 || res.status >= 300) throw new HttpStatusError(res);
      if (!Array.isArray(res.json)) throw new Error(vscode.l10n.t('GET /sites did not answer with a list of sites.'));
      return res.json as SiteCompany[];
    } finally {
      sub?.dispose();
    }
  }

  /** The site and company quick pick; makes the connection active with the choice. Returns false when dismissed. */
  async pickSiteCompany(connectionId: string): Promise<boolean> {
    const sites = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading Sage 200 sites…') }, () => this.getSites(connectionId));
    if (sites.length === 0) {
      void vscode.window.showWarningMessage(EMPTY_SITES_ADVICE);
      await this.context.select(connectionId);
      return false;
    }
    const current = this.context.remembered(connectionId);
    type Item = vscode.QuickPickItem & { sc?: SiteCompany };
    const items: Item[] = [];
    let lastSite: string | undefined;
    for (const sc of sites) {
      if (sc.site_id !== lastSite) {
        items.push({ label: sc.site_name, kind: vscode.QuickPickItemKind.Separator });
        lastSite = sc.site_id;
      }
      const active = sc.site_id === current.siteId && sc.company_id === current.companyId;
      // Every row names its site: the separator above a site's first company hides once the user types.
      items.push({ label: `${active ? '$(check) ' : ''}${sc.company_name}`, description: vscode.l10n.t('{0} · company {1}', sc.site_name, sc.company_id), sc });
    }
    const pick = sites.length === 1 ? items.find((i) => i.sc) : await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Choose the Sage 200 site and company to work in') });
    if (!pick?.sc) return false;
    await this.context.select(connectionId, pick.sc, pick.sc);
    return true;
  }
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
