import type { StoredSession } from '../auth/tokenManager';
import { oauthSettingsOf } from './settings';
import { ConnectionConfig, baseUrlOf } from './types';

/**
 * Where secrets are kept. VS Code's SecretStorage has this shape; tests and tools use memory.
 * Keys are per connection id, but an id alone says nothing about where a secret may go: a
 * workspace's settings can give a known id another `baseUrl`. So every value is stored with the
 * origin it was created for (see `CredentialOrigin`) and is only handed out for that origin.
 */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** SecretStorage keys: one per connection and purpose, so that one connection's secrets never mix with another's. */
export const SESSION_KEY_PREFIX = 'sage200.session.';
export const sessionKey = (connectionId: string): string => SESSION_KEY_PREFIX + connectionId;
export const clientSecretKey = (connectionId: string): string => `sage200.clientSecret.${connectionId}`;
export const subscriptionKeyKey = (connectionId: string): string => `sage200.subscriptionKey.${connectionId}`;
export const allSecretKeys = (connectionId: string): string[] => [sessionKey(connectionId), clientSecretKey(connectionId), subscriptionKeyKey(connectionId)];

/**
 * The two places a connection's credentials are sent: the API (access token, subscription key)
 * and the authority (refresh token, client secret). A credential created for one pair is never
 * sent under another, whatever the connection is called.
 */
export interface CredentialOrigin {
  /** The origin of the API base URL, e.g. `https://api.columbus.sage.com`. */
  readonly api: string;
  /** The authority URL without a trailing slash: its path matters (token endpoint, tenant). */
  readonly authority: string;
}

export function credentialOriginOf(conn: ConnectionConfig): CredentialOrigin {
  const authority = new URL(oauthSettingsOf(conn).authority);
  return { api: new URL(baseUrlOf(conn)).origin, authority: `${authority.origin}${authority.pathname}`.replace(/\/+$/, '') };
}

/** "the API at … and the sign-in server …", for messages and prompts. */
export function describeOrigin(o: CredentialOrigin): string {
  return `the API at ${o.api} and the sign-in server ${o.authority}`;
}

export function sameOrigin(a: CredentialOrigin, b: CredentialOrigin): boolean {
  return a.api === b.api && a.authority === b.authority;
}

export type CredentialKind = 'session' | 'clientSecret' | 'subscriptionKey';

/** A credential that exists but was kept for another origin (or, from older versions, for none). */
export interface OriginChange {
  readonly kind: CredentialKind;
  readonly connectionName: string;
  /** Undefined for a credential saved before credentials were bound to an origin. */
  readonly stored: CredentialOrigin | undefined;
  readonly current: CredentialOrigin;
}

/** A read of one credential: absent, usable here, or kept for another origin (and so not usable). */
export type BoundRead<T> = { readonly state: 'none' } | { readonly state: 'ok'; readonly value: T } | { readonly state: 'moved'; readonly change: OriginChange };

const WHAT: Record<CredentialKind, string> = {
  session: 'Your sign-in to',
  clientSecret: 'The client secret of',
  subscriptionKey: 'The subscription key of',
};
const AGAIN: Record<CredentialKind, string> = {
  session: 'Sign in again',
  clientSecret: 'Enter the client secret again',
  subscriptionKey: 'Enter the subscription key again',
};

/**
 * Why a credential is not used, naming both origins, in words for the person who must decide
 * whether the new address is one they trust.
 */
export function describeOriginChange(c: OriginChange): string {
  const what = `${WHAT[c.kind]} "${c.connectionName}"`;
  if (!c.stored) {
    return `${what} was saved by an earlier version that did not record which servers it belongs to, so it is not used. ${AGAIN[c.kind]} for ${describeOrigin(c.current)}.`;
  }
  const was: string[] = [];
  const now: string[] = [];
  if (c.stored.api !== c.current.api) {
    was.push(`the API at ${c.stored.api}`);
    now.push(`the API at ${c.current.api}`);
  }
  if (c.stored.authority !== c.current.authority) {
    was.push(`the sign-in server ${c.stored.authority}`);
    now.push(`the sign-in server ${c.current.authority}`);
  }
  return `${what} was made for ${was.join(' and ')}, but the connection now points to ${now.join(' and ')} (its settings changed, perhaps by this workspace). It was not sent there. ${AGAIN[c.kind]} only if you trust ${now.length > 1 ? 'these addresses' : 'this address'}.`;
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function originIn(o: Record<string, unknown> | undefined): CredentialOrigin | undefined {
  const v = o?.origin as Record<string, unknown> | undefined;
  return v && typeof v.api === 'string' && typeof v.authority === 'string' ? { api: v.api, authority: v.authority } : undefined;
}

function isSession(o: Record<string, unknown> | undefined): o is Record<string, unknown> & StoredSession {
  const account = o?.account as Record<string, unknown> | undefined;
  return typeof o?.refreshToken === 'string' && typeof account?.id === 'string' && typeof account.label === 'string';
}

/**
 * The secrets of one connection as it is configured now, each checked against the origin it was
 * stored with. Built for one configuration: a connection whose settings change gets a new one.
 */
export class ConnectionCredentials {
  readonly origin: CredentialOrigin;

  constructor(
    private readonly store: SecretStore,
    readonly connection: ConnectionConfig,
  ) {
    this.origin = credentialOriginOf(connection);
  }

  private check<T>(kind: CredentialKind, stored: CredentialOrigin | undefined, value: T): BoundRead<T> {
    if (stored && sameOrigin(stored, this.origin)) return { state: 'ok', value };
    return { state: 'moved', change: { kind, connectionName: this.connection.name, stored, current: this.origin } };
  }

  async session(): Promise<BoundRead<StoredSession>> {
    const o = parseJson(await this.store.get(sessionKey(this.connection.id)));
    if (!isSession(o)) return { state: 'none' };
    const session: StoredSession = { refreshToken: o.refreshToken, account: { id: o.account.id, label: o.account.label }, scopes: Array.isArray(o.scopes) ? o.scopes : [], signedInAt: Number(o.signedInAt) || 0 };
    return this.check('session', originIn(o), session);
  }

  /** Stores a session for this connection's current origin. */
  async saveSession(session: StoredSession): Promise<void> {
    const { refreshToken, account, scopes, signedInAt } = session;
    await this.store.store(sessionKey(this.connection.id), JSON.stringify({ refreshToken, account, scopes, signedInAt, origin: this.origin }));
  }

  async clearSession(): Promise<void> {
    await this.store.delete(sessionKey(this.connection.id));
  }

  clientSecret(): Promise<BoundRead<string>> {
    return this.secret('clientSecret', clientSecretKey(this.connection.id));
  }

  subscriptionKey(): Promise<BoundRead<string>> {
    return this.secret('subscriptionKey', subscriptionKeyKey(this.connection.id));
  }

  /** Saves (for this origin) or, with an empty value, removes the client secret or subscription key. */
  async setSecret(kind: 'clientSecret' | 'subscriptionKey', value: string | undefined): Promise<void> {
    const key = kind === 'clientSecret' ? clientSecretKey(this.connection.id) : subscriptionKeyKey(this.connection.id);
    if (!value) await this.store.delete(key);
    else await this.store.store(key, JSON.stringify({ value, origin: this.origin }));
  }

  private async secret(kind: 'clientSecret' | 'subscriptionKey', key: string): Promise<BoundRead<string>> {
    const text = await this.store.get(key);
    if (!text) return { state: 'none' };
    const o = parseJson(text);
    // A bare string is a value from before secrets carried their origin: it exists, but is bound to nothing.
    if (typeof o?.value !== 'string') return this.check(kind, undefined, text);
    return this.check(kind, originIn(o), o.value);
  }
}
