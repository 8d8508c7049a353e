import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { Disposable } from '../lifecycle';
import { ConnectionConfig } from '../core/connections/types';
import { SecretRegistry } from '../core/http/redact';
import { AuthError, StoredSession, accountFrom, isAuthError, signIn, tokenStateFrom } from '../core/auth';
import { SESSION_KEY_PREFIX, describeOrigin, describeOriginChange, sessionKey } from '../core/connections/credentials';
import { ConnectionResolver, ResolvedConnection } from '../core/connections/resolve';
import type { ConnectionManager } from '../connections/connectionManager';
import type { RedactingLog } from '../connections/log';
import { promptSecret } from '../connections/secretPrompt';
import { assertTrusted } from '../connections/trust';

export interface SessionInfo extends StoredSession {
  readonly connectionId: string;
}

export interface SessionsChange {
  readonly added: SessionInfo[];
  readonly removed: SessionInfo[];
  readonly changed: SessionInfo[];
}

function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '0.0.0.0';
}

/**
 * The sessions of every connection. SecretStorage holds one entry per connection (refresh token,
 * account, scopes, sign-in time, and the API and authority it was made for); access tokens stay
 * in memory. A session counts only while the connection still has the origin it was made for.
 * `secrets.onDidChange` re-reads an entry and compares it with what this window knew, so several
 * windows agree on who is signed in.
 */
export class Sage200Sessions extends Disposable {
  private readonly changedEmitter = this._register(new vscode.EventEmitter<SessionsChange>());
  readonly onDidChange = this.changedEmitter.event;
  private readonly known = new Map<string, StoredSession>();
  private readonly resolver: ConnectionResolver;
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly connections: ConnectionManager,
    private readonly log: RedactingLog,
    private readonly registry: SecretRegistry,
  ) {
    super();
    this.resolver = new ConnectionResolver({
      secrets,
      registry,
      logger: log,
      onSessionEnded: (conn, e) => this.sessionEnded(conn, e),
      onRefreshed: (conn) => {
        log.info(`Refreshed the access token of "${conn.name}".`);
        // The Accounts menu's session carries the access token: tell listeners it changed.
        const s = this.known.get(conn.id);
        if (s) this.changedEmitter.fire({ added: [], removed: [], changed: [{ ...s, connectionId: conn.id }] });
      },
    });
    this._register(
      secrets.onDidChange((e) => {
        if (e.key.startsWith(SESSION_KEY_PREFIX)) void this.reconcile(e.key.slice(SESSION_KEY_PREFIX.length));
      }),
    );
    // Connections come and go (settings, the sandbox starting and stopping): re-read, and forget the
    // sessions of connections that are gone, or that now point elsewhere, so that they show as removed.
    this._register(
      connections.onDidChange(() => {
        for (const id of [...this.known.keys()]) if (!connections.get(id)) void this.reconcile(id);
        void this.loadAll();
      }),
    );
  }

  /**
   * The connection as configured now, with its origin-bound secrets and its token source: the one
   * value that send paths build their HTTP client from.
   */
  resolve(conn: ConnectionConfig): ResolvedConnection {
    return this.resolver.resolve(conn);
  }

  private loadAll(): Promise<void> {
    this.loaded = (async () => {
      for (const c of this.connections.list()) await this.reconcile(c.id);
    })();
    return this.loaded;
  }

  /** The stored session, when it was made for the connection's current API and authority. */
  private async read(connectionId: string): Promise<StoredSession | undefined> {
    const conn = this.connections.get(connectionId);
    if (!conn) return undefined;
    const s = await this.resolve(conn).credentials.session();
    return s.state === 'ok' ? s.value : undefined;
  }

  /** Re-reads one connection's entry and fires what changed compared with what this window knew. */
  private async reconcile(connectionId: string): Promise<void> {
    const now = await this.read(connectionId);
    const before = this.known.get(connectionId);
    if (now) {
      this.registry.add(now.refreshToken);
      this.known.set(connectionId, now);
    } else {
      this.known.delete(connectionId);
    }
    const info = (s: StoredSession): SessionInfo => ({ ...s, connectionId });
    if (!before && now) this.changedEmitter.fire({ added: [info(now)], removed: [], changed: [] });
    else if (before && !now) {
      this.resolver.current(connectionId)?.tokens.reset();
      this.changedEmitter.fire({ added: [], removed: [info(before)], changed: [] });
    } else if (before && now && (before.account.id !== now.account.id || before.signedInAt !== now.signedInAt)) {
      // Signed in again elsewhere (maybe as someone else): drop our in-memory token.
      this.resolver.current(connectionId)?.tokens.reset();
      this.changedEmitter.fire({ added: [], removed: [], changed: [info(now)] });
    }
  }

  async list(): Promise<SessionInfo[]> {
    await (this.loaded ?? this.loadAll());
    return [...this.known.entries()].filter(([id]) => this.connections.get(id)).map(([connectionId, s]) => ({ ...s, connectionId }));
  }

  async get(connectionId: string): Promise<SessionInfo | undefined> {
    await (this.loaded ?? this.loadAll());
    if (!this.known.has(connectionId)) await this.reconcile(connectionId);
    const s = this.known.get(connectionId);
    return s ? { ...s, connectionId } : undefined;
  }

  async isSignedIn(connectionId: string): Promise<boolean> {
    return (await this.get(connectionId)) !== undefined;
  }

  private sessionEnded(conn: ConnectionConfig, e: AuthError): void {
    this.log.warn(`Session of "${conn.name}" ended: ${e.message}`);
    const signInAgain = vscode.l10n.t('Sign In Again');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('Your Sage 200 session for "{0}" has ended. Sign in again to continue.', conn.name), signInAgain)
      .then((choice) => (choice === signInAgain ? vscode.commands.executeCommand(Commands.signIn, conn.id) : undefined));
  }

  /**
   * A client secret kept for another API or authority is not sent with the sign-in: the user enters
   * it again for the new one, or signs in without it (a public client needs none). Throws AuthError
   * 'cancelled' when the user backs out.
   */
  private async confirmClientSecret(resolved: ResolvedConnection): Promise<void> {
    const secret = await resolved.credentials.clientSecret();
    if (secret.state !== 'moved') return;
    const t = vscode.l10n.t;
    const enter = t('Enter Client Secret');
    const without = t('Sign In Without It');
    const choice = await vscode.window.showWarningMessage(describeOriginChange(secret.change), { modal: true }, enter, without);
    if (choice === enter) {
      const value = await promptSecret(resolved.config, 'clientSecret', describeOrigin(resolved.origin));
      if (value === undefined) throw new AuthError('cancelled', 'Sign-in was cancelled.');
      await resolved.credentials.setSecret('clientSecret', value);
    } else if (choice === without) {
      await resolved.credentials.setSecret('clientSecret', undefined);
    } else {
      throw new AuthError('cancelled', 'Sign-in was cancelled.');
    }
  }

  /**
   * Runs the browser sign-in under a cancellable progress notification and stores the session.
   * Throws AuthError (message for the user) on failure or cancellation.
   */
  async signIn(connectionId: string): Promise<SessionInfo> {
    assertTrusted(vscode.l10n.t('Signing in to Sage 200'));
    const conn = this.connections.get(connectionId);
    if (!conn) throw new Error(vscode.l10n.t('There is no Sage 200 connection with the id "{0}".', connectionId));
    const resolved = this.resolve(conn);
    await this.confirmClientSecret(resolved);
    const config = await resolved.oauthConfig();
    const res = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Signing in to {0} in your browser…', conn.name), cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          return await signIn({
            config,
            redirectPort: conn.redirectPort,
            redirectUri: conn.redirectUri,
            signal: abort.signal,
            logger: this.log,
            secrets: this.registry,
            openBrowser: async (url, redirectUri, startPageUrl) => {
              // An authority on this machine (the demo sandbox, a local Sage ID stand-in) is reached
              // through the loopback server's start page, which redirects to it: editors that
              // forward loopback ports (code-server) keep only host and port of a URL they open.
              const local = isLoopbackHost(new URL(url).hostname);
              // In a remote window this forwards the loopback port to the machine running the browser.
              await vscode.env.asExternalUri(vscode.Uri.parse(redirectUri));
              this.log.info(`Sign-in to "${conn.name}": opening ${new URL(url).origin} in the browser${local ? ` through ${startPageUrl}` : ''}; waiting on ${redirectUri}`);
              const opened = await vscode.env.openExternal(vscode.Uri.parse(local ? startPageUrl : url));
              if (!opened) throw new AuthError('cancelled', 'Sign-in was cancelled: the browser was not opened.');
            },
          });
        } finally {
          sub.dispose();
        }
      },
    );
    this.registry.add(res.access_token);
    this.registry.add(res.refresh_token);
    this.registry.add(res.id_token);
    if (!res.refresh_token) {
      this.log.warn(`"${conn.name}" returned no refresh token (is offline_access in the scopes?): the session lasts until the access token expires.`);
    }
    const now = Date.now();
    const stored: StoredSession = {
      // Without a refresh token the session still has to be persisted so other windows know it exists;
      // an empty one makes the first refresh end the session cleanly.
      refreshToken: res.refresh_token ?? '',
      account: accountFrom(res, conn.name),
      scopes: (res.scope ?? config.scopes.join(' ')).split(' ').filter(Boolean),
      signedInAt: now,
    };
    resolved.tokens.setTokens(tokenStateFrom(res, now));
    await resolved.credentials.saveSession(stored);
    await this.reconcile(connectionId);
    this.log.info(`Signed in to "${conn.name}" as ${stored.account.label}.`);
    return { ...stored, connectionId };
  }

  async signOut(connectionId: string): Promise<void> {
    this.resolver.current(connectionId)?.tokens.reset();
    await this.secrets.delete(sessionKey(connectionId));
    await this.reconcile(connectionId);
    this.log.info(`Signed out of "${this.connections.get(connectionId)?.name ?? connectionId}".`);
  }

  /** A current access token for the Accounts menu's session object; '' when it cannot be had now. */
  async accessTokenFor(connectionId: string): Promise<string> {
    const conn = this.connections.get(connectionId);
    if (!conn) return '';
    try {
      return await this.resolve(conn).tokens.getAccessToken();
    } catch (e) {
      if (!isAuthError(e)) this.log.warn(`Could not get a token for ${connectionId}: ${(e as Error).message}`);
      return '';
    }
  }
}
