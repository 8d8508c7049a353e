import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import type { ConnectionManager } from '../connections/connectionManager';
import type { SessionInfo, Sage200Sessions } from './sessions';

export const AUTH_PROVIDER_ID = 'sage200';
/** Scope that names the connection a session is for: `connection:<id>`. */
export const CONNECTION_SCOPE_PREFIX = 'connection:';

export function connectionScope(connectionId: string): string {
  return CONNECTION_SCOPE_PREFIX + connectionId;
}

function connectionIdFromScopes(scopes: readonly string[] | undefined): string | undefined {
  return scopes?.find((s) => s.startsWith(CONNECTION_SCOPE_PREFIX))?.slice(CONNECTION_SCOPE_PREFIX.length);
}

/**
 * The "Sage 200" entry of the Accounts menu: one session per connection and signed-in user. The
 * session's scopes are `connection:<id>` followed by the OAuth scopes granted, so other extensions
 * (and this one) ask for a connection's session with `getSession('sage200', ['connection:<id>'])`.
 */
export class Sage200AuthenticationProvider extends Disposable implements vscode.AuthenticationProvider {
  private readonly emitter = this._register(new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>());
  readonly onDidChangeSessions = this.emitter.event;

  constructor(
    private readonly sessions: Sage200Sessions,
    private readonly connections: ConnectionManager,
  ) {
    super();
    this._register(vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, vscode.l10n.t('Sage 200'), this, { supportsMultipleAccounts: true }));
    this._register(
      sessions.onDidChange(async (e) => {
        this.emitter.fire({
          added: await Promise.all(e.added.map((s) => this.toSession(s))),
          removed: await Promise.all(e.removed.map((s) => this.toSession(s, ''))),
          changed: await Promise.all(e.changed.map((s) => this.toSession(s))),
        });
      }),
    );
  }

  private async toSession(s: SessionInfo, token?: string): Promise<vscode.AuthenticationSession> {
    const conn = this.connections.get(s.connectionId);
    return {
      id: `${s.connectionId}/${s.account.id}`,
      accessToken: token ?? (await this.sessions.accessTokenFor(s.connectionId)),
      account: { id: s.account.id, label: `${s.account.label} — ${conn?.name ?? s.connectionId}` },
      scopes: [connectionScope(s.connectionId), ...s.scopes],
    };
  }

  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    const wanted = connectionIdFromScopes(scopes);
    const list = (await this.sessions.list()).filter((s) => !wanted || s.connectionId === wanted);
    return Promise.all(list.map((s) => this.toSession(s)));
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    let id = connectionIdFromScopes(scopes);
    if (!id) {
      const items = this.connections.list().map((c) => ({ label: c.name, description: c.edition, id: c.id }));
      if (items.length === 0) throw new Error(vscode.l10n.t('Add a Sage 200 connection first (command "Sage 200: Add Connection").'));
      const pick = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Sign in to which Sage 200 connection?') });
      if (!pick) throw new vscode.CancellationError();
      id = pick.id;
    }
    const s = await this.sessions.signIn(id);
    return this.toSession(s);
  }

  async removeSession(sessionId: string): Promise<void> {
    const connectionId = sessionId.split('/')[0];
    await this.sessions.signOut(connectionId);
  }
}
