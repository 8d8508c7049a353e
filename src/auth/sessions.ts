import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import { ConnectionConfig } from '../core/connections/types';
import { oauthSettingsOf } from '../core/connections/settings';
import { SecretRegistry } from '../core/http/redact';
import { AuthError, OAuthConfig, StoredSession, TokenManager, accountFrom, isAuthError, refreshTokens, signIn, tokenStateFrom } from '../core/auth';
import type { ConnectionManager } from '../connections/connectionManager';
import type { RedactingLog } from '../connections/log';
import { SESSION_KEY_PREFIX, clientSecretKey, sessionKey } from './secretKeys';

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

function parseStored(text: string | undefined): StoredSession | undefined {
  if (!text) return undefined;
  try {
    const s = JSON.parse(text) as StoredSession;
    return typeof s.refreshToken === 'string' && s.account && typeof s.account.id === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The sessions of every connection. SecretStorage holds one entry per connection (refresh token,
 * account, scopes, sign-in time); access tokens stay in memory. `secrets.onDidChange` re-reads an
 * entry and compares it with what this window knew, so several windows agree on who is signed in.
 */
export class Sage200Sessions extends Disposable {
  private readonly changedEmitter = this._register(new vscode.EventEmitter<SessionsChange>());
  readonly onDidChange = this.changedEmitter.event;
  private readonly known = new Map<string, StoredSession>();
  private readonly managers = new Map<string, TokenManager>();
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly connections: ConnectionManager,
    private readonly log: RedactingLog,
    private readonly registry: SecretRegistry,
  ) {
    super();
    this._register(
      secrets.onDidChange((e) => {
        if (e.key.startsWith(SESSION_KEY_PREFIX)) void this.reconcile(e.key.slice(SESSION_KEY_PREFIX.length));
      }),
    );
    // Connections come and go (settings, the sandbox starting and stopping): re-read, and forget the
    // sessions of connections that are gone so that they show as removed.
    this._register(
      connections.onDidChange(() => {
        for (const id of [...this.known.keys()]) if (!connections.get(id)) void this.reconcile(id);
        void this.loadAll();
      }),
    );
  }

  private loadAll(): Promise<void> {
    this.loaded = (async () => {
      for (const c of this.connections.list()) await this.reconcile(c.id);
    })();
    return this.loaded;
  }

  /** A stored session counts only for the authority that issued it (the sandbox gets a new one per start). */
  private async read(connectionId: string): Promise<StoredSession | undefined> {
    const s = parseStored(await this.secrets.get(sessionKey(connectionId)));
    const conn = this.connections.get(connectionId);
    if (!s || !conn) return undefined;
    return s.authority === undefined || s.authority === oauthSettingsOf(conn).authority ? s : undefined;
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
      this.managers.get(connectionId)?.reset();
      this.changedEmitter.fire({ added: [], removed: [info(before)], changed: [] });
    } else if (before && now && (before.account.id !== now.account.id || before.signedInAt !== now.signedInAt)) {
      // Signed in again elsewhere (maybe as someone else): drop our in-memory token.
      this.managers.get(connectionId)?.reset();
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

  async oauthConfig(conn: ConnectionConfig): Promise<OAuthConfig> {
    const o = oauthSettingsOf(conn);
    const clientSecret = await this.secrets.get(clientSecretKey(conn.id));
    this.registry.add(clientSecret);
    return { authority: o.authority, clientId: conn.clientId, clientSecret: clientSecret || undefined, audience: o.audience, scopes: o.scopes, usePkce: o.usePkce };
  }

  /** The token source for a connection's HTTP client (single-flight refresh, shared by every caller). */
  tokens(connectionId: string): TokenManager {
    let m = this.managers.get(connectionId);
    if (!m) {
      m = new TokenManager({
        store: {
          load: () => this.read(connectionId),
          save: async (s) => {
            this.registry.add(s.refreshToken);
            this.known.set(connectionId, s);
            await this.secrets.store(sessionKey(connectionId), JSON.stringify(s));
          },
          clear: async () => {
            await this.secrets.delete(sessionKey(connectionId));
          },
        },
        refresh: async (rt) => {
          const conn = this.connections.get(connectionId);
          if (!conn) throw new AuthError('session_expired', 'This connection no longer exists.');
          const res = await refreshTokens(await this.oauthConfig(conn), rt, { logger: this.log, secrets: this.registry });
          this.registry.add(res.access_token);
          this.registry.add(res.refresh_token);
          this.log.info(`Refreshed the access token of "${conn.name}".`);
          return res;
        },
        onSessionEnded: (e) => this.sessionEnded(connectionId, e),
        // The Accounts menu's session carries the access token: tell listeners it changed.
        onRefreshed: () => {
          const s = this.known.get(connectionId);
          if (s) this.changedEmitter.fire({ added: [], removed: [], changed: [{ ...s, connectionId }] });
        },
      });
      this.managers.set(connectionId, m);
    }
    return m;
  }

  private sessionEnded(connectionId: string, e: AuthError): void {
    const conn = this.connections.get(connectionId);
    this.log.warn(`Session of "${conn?.name ?? connectionId}" ended: ${e.message}`);
    const signInAgain = vscode.l10n.t('Sign In Again');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('Your Sage 200 session for "{0}" has ended. Sign in again to continue.', conn?.name ?? connectionId), signInAgain)
      .then((choice) => (choice === signInAgain ? vscode.commands.executeCommand('sage200.signIn', connectionId) : undefined));
  }

  /**
   * Runs the browser sign-in under a cancellable progress notification and stores the session.
   * Throws AuthError (message for the user) on failure or cancellation.
   */
  async signIn(connectionId: string): Promise<SessionInfo> {
    const conn = this.connections.get(connectionId);
    if (!conn) throw new Error(vscode.l10n.t('There is no Sage 200 connection with the id "{0}".', connectionId));
    const config = await this.oauthConfig(conn);
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
      authority: config.authority,
    };
    const manager = this.tokens(connectionId);
    manager.setTokens(tokenStateFrom(res, now));
    await this.secrets.store(sessionKey(connectionId), JSON.stringify(stored));
    await this.reconcile(connectionId);
    this.log.info(`Signed in to "${conn.name}" as ${stored.account.label}.`);
    return { ...stored, connectionId };
  }

  async signOut(connectionId: string): Promise<void> {
    this.managers.get(connectionId)?.reset();
    await this.secrets.delete(sessionKey(connectionId));
    await this.reconcile(connectionId);
    this.log.info(`Signed out of "${this.connections.get(connectionId)?.name ?? connectionId}".`);
  }

  /** A current access token for the Accounts menu's session object; '' when it cannot be had now. */
  async accessTokenFor(connectionId: string): Promise<string> {
    try {
      return await this.tokens(connectionId).getAccessToken();
    } catch (e) {
      if (!isAuthError(e)) this.log.warn(`Could not get a token for ${connectionId}: ${(e as Error).message}`);
      return '';
    }
  }
}
