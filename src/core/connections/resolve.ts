import { AuthError } from '../auth/errors';
import { OAuthConfig, refreshTokens } from '../auth/oauth';
import { TokenManager } from '../auth/tokenManager';
import type { ClientOptions, HttpLogger } from '../http/client';
import type { SecretRegistry } from '../http/redact';
import { ConnectionCredentials, CredentialOrigin, OriginChange, SecretStore, describeOriginChange } from './credentials';
import { oauthSettingsOf } from './settings';
import { ConnectionConfig, baseUrlOf } from './types';

export interface ResolveDeps {
  readonly secrets: SecretStore;
  /** Every secret read or minted here is registered for redaction. */
  readonly registry?: SecretRegistry;
  readonly logger?: HttpLogger;
  readonly now?: () => number;
  /** A refresh proved the session over (invalid_grant); the stored session is already gone. */
  readonly onSessionEnded?: (conn: ConnectionConfig, error: AuthError) => void;
  /** After each successful refresh (the access token changed). */
  readonly onRefreshed?: (conn: ConnectionConfig) => void;
}

/**
 * One connection resolved once, for one configuration: its settings, its secrets (each used only
 * for the origin it was stored with) and its token source. Send paths take what they need from
 * here and never go back to the settings, so a request cannot pick up a credential through a
 * second lookup by id. A changed configuration is a new ResolvedConnection with no tokens in memory.
 */
export class ResolvedConnection {
  readonly baseUrl: string;
  readonly credentials: ConnectionCredentials;
  /** Access tokens for this configuration only; refresh goes to this configuration's authority. */
  readonly tokens: TokenManager;

  constructor(
    readonly config: ConnectionConfig,
    private readonly deps: ResolveDeps,
  ) {
    this.baseUrl = baseUrlOf(config);
    this.credentials = new ConnectionCredentials(deps.secrets, config);
    this.tokens = new TokenManager({
      now: deps.now,
      store: {
        load: async () => {
          const s = await this.credentials.session();
          if (s.state === 'moved') throw new AuthError('origin_changed', describeOriginChange(s.change));
          if (s.state === 'none') return undefined;
          deps.registry?.add(s.value.refreshToken);
          return s.value;
        },
        save: async (s) => {
          deps.registry?.add(s.refreshToken);
          await this.credentials.saveSession(s);
        },
        clear: () => this.credentials.clearSession(),
      },
      refresh: async (refreshToken) => {
        const res = await refreshTokens(await this.oauthConfig(), refreshToken, { logger: deps.logger, secrets: deps.registry });
        deps.registry?.add(res.access_token);
        deps.registry?.add(res.refresh_token);
        return res;
      },
      onSessionEnded: (e) => deps.onSessionEnded?.(config, e),
      onRefreshed: () => deps.onRefreshed?.(config),
    });
  }

  get origin(): CredentialOrigin {
    return this.credentials.origin;
  }

  /** The OAuth settings with the client secret, if one is stored for this origin; refuses one kept for another. */
  async oauthConfig(): Promise<OAuthConfig> {
    const o = oauthSettingsOf(this.config);
    const secret = await this.credentials.clientSecret();
    if (secret.state === 'moved') throw new AuthError('origin_changed', describeOriginChange(secret.change));
    const clientSecret = secret.state === 'ok' ? secret.value : undefined;
    this.deps.registry?.add(clientSecret);
    return { authority: o.authority, clientId: this.config.clientId, clientSecret, audience: o.audience, scopes: o.scopes, usePkce: o.usePkce };
  }

  /** The subscription key stored for this origin; a key kept for another origin is never returned. */
  readonly subscriptionKey = async (): Promise<string | undefined> => {
    const k = await this.credentials.subscriptionKey();
    if (k.state !== 'ok') return undefined;
    this.deps.registry?.add(k.value);
    return k.value;
  };

  /** What the HTTP client's constructor needs from the connection. */
  clientOptions(): Pick<ClientOptions, 'baseUrl' | 'tokens' | 'subscriptionKey'> {
    return { baseUrl: this.baseUrl, tokens: this.tokens, subscriptionKey: this.subscriptionKey };
  }

  /** Credentials that exist but were kept for another origin: the caller asks the user before sending. */
  async originChanges(): Promise<OriginChange[]> {
    const reads = await Promise.all([this.credentials.session(), this.credentials.subscriptionKey()]);
    return reads.flatMap((r) => (r.state === 'moved' ? [r.change] : []));
  }
}

/**
 * Hands out one ResolvedConnection per connection and configuration, so that every caller shares
 * one token source (single-flight refresh) until the configuration changes.
 */
export class ConnectionResolver {
  private readonly resolved = new Map<string, { key: string; value: ResolvedConnection }>();

  constructor(private readonly deps: ResolveDeps) {}

  resolve(conn: ConnectionConfig): ResolvedConnection {
    const key = JSON.stringify(conn);
    const known = this.resolved.get(conn.id);
    if (known?.key === key) return known.value;
    const value = new ResolvedConnection(conn, this.deps);
    this.resolved.set(conn.id, { key, value });
    return value;
  }

  /** The last resolution of a connection, if any (to drop its tokens when its session changes elsewhere). */
  current(connectionId: string): ResolvedConnection | undefined {
    return this.resolved.get(connectionId)?.value;
  }
}
