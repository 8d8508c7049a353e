import * as crypto from 'crypto';
import type { ClientRegistration, TokenSet } from './types';
import { SANDBOX_PUBLIC_CLIENT_ID, SANDBOX_WEB_CLIENT_ID, SANDBOX_WEB_CLIENT_SECRET } from './types';

/**
 * The Sage ID side of the sandbox: an authorization server with the authorization code grant,
 * PKCE S256, refresh tokens and the standard OAuth error answers. Sage ID is Auth0-based, so the
 * endpoints are at the root (`/authorize`, `/oauth/token`), the issuer ends in a slash, and it is as
 * strict as Auth0: a refresh token only with `offline_access`, no default audience (a token without
 * one is refused by the API), PKCE required of public clients, and a reused refresh token revokes
 * its whole family (RFC 9700 4.14.2).
 */

export const SAGE_AUDIENCE = 's200ukipd/sage200';

export interface AuthOptions {
  readonly issuer: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly codeTtlSeconds: number;
  readonly clients: readonly ClientRegistration[];
  readonly now: () => number;
  /** While true, every refresh answers invalid_grant as if the refresh lifetime had run out. */
  readonly refreshExpired?: () => boolean;
}

interface CodeGrant {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly audience: string;
  readonly codeChallenge?: string;
  readonly nonce?: string;
  readonly expiresAt: number;
  readonly authTime: number;
  used: boolean;
  /** Tokens issued from this code: revoked if the code is replayed (RFC 6749 §4.1.2). */
  readonly issued: string[];
}

/** `family` is the sign-in that a token descends from through refreshes: revoked together on reuse. */
interface AccessGrant { readonly clientId: string; readonly expiresAt: number; readonly scope: string; readonly sub: string; readonly audience: string; readonly family: string }
interface RefreshGrant { readonly clientId: string; readonly expiresAt: number; readonly scope: string; readonly sub: string; readonly audience: string; readonly authTime: number; readonly accessToken: string; readonly family: string }

export class OAuthError extends Error {
  constructor(readonly error: string, readonly description: string, readonly status = 400) {
    super(description);
  }
}

/** A pending consent: the authorize request waiting for the person to press the button. */
export interface PendingAuthorization {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state?: string;
  readonly scope: string;
  readonly audience: string;
  readonly codeChallenge?: string;
  readonly nonce?: string;
}

const DEMO_USER = { sub: 'auth0|sage200-sandbox-demo-user', email: 'demo.user@sandbox.example', name: 'Demo User' };

export class AuthServer {
  private readonly clients = new Map<string, ClientRegistration>();
  private readonly codes = new Map<string, CodeGrant>();
  private readonly accessTokens = new Map<string, AccessGrant>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  /** Rotated-out refresh tokens -> their family, to catch a replay. */
  private readonly spentRefreshTokens = new Map<string, string>();
  private readonly pending = new Map<string, PendingAuthorization & { expiresAt: number }>();
  private signingKey?: { privateKey: crypto.KeyObject; jwk: crypto.JsonWebKey; kid: string };

  constructor(private readonly options: AuthOptions) {
    this.clients.set(SANDBOX_PUBLIC_CLIENT_ID, { clientId: SANDBOX_PUBLIC_CLIENT_ID, redirectUris: [], loopback: true });
    this.clients.set(SANDBOX_WEB_CLIENT_ID, {
      clientId: SANDBOX_WEB_CLIENT_ID,
      clientSecret: SANDBOX_WEB_CLIENT_SECRET,
      redirectUris: ['http://127.0.0.1/callback', 'http://localhost/callback'],
      loopback: true,
    });
    for (const c of options.clients) this.clients.set(c.clientId, c);
  }

  // ---------------------------------------------------------------- authorize

  /**
   * Checks an authorize request. Errors about the client or the redirect URI are thrown as
   * OAuthError with `redirectable = false` semantics (status 400): never redirect to an unverified URI.
   * Other errors come back as a redirect URL carrying `error`.
   */
  checkAuthorize(q: URLSearchParams): { pending: PendingAuthorization } | { redirect: string } {
    const clientId = q.get('client_id') ?? '';
    const client = this.clients.get(clientId);
    if (!client) throw new OAuthError('invalid_client', `Unknown client_id "${clientId}".`, 400);
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!redirectUri) throw new OAuthError('invalid_request', 'The redirect_uri parameter is missing.');
    if (!this.redirectAllowed(client, redirectUri)) {
      throw new OAuthError('invalid_request', `The redirect_uri "${redirectUri}" is not registered for client "${clientId}". Callback URLs must match exactly.`);
    }
    const state = q.get('state') ?? undefined;
    const fail = (error: string, description: string): { redirect: string } => ({ redirect: withParams(redirectUri, { error, error_description: description, state }) });
    if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported.');
    const challenge = q.get('code_challenge') ?? undefined;
    const method = q.get('code_challenge_method') ?? (challenge ? 'plain' : undefined);
    if (challenge !== undefined && method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256.');
    if (method !== undefined && challenge === undefined) return fail('invalid_request', 'code_challenge is missing.');
    if (challenge !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return fail('invalid_request', 'code_challenge must be a base64url SHA-256 (43 characters).');
    if (challenge === undefined && client.clientSecret === undefined) {
      return fail('invalid_request', 'Public clients must use PKCE: send code_challenge with code_challenge_method=S256.');
    }
    // No default: without an audience Auth0 issues a token for its own API, which Sage 200 refuses.
    const audience = q.get('audience') ?? '';
    if (audience !== '' && audience !== SAGE_AUDIENCE) return fail('access_denied', `Service not found: ${audience}`);
    const scope = q.get('scope') ?? 'openid';
    const nonce = q.get('nonce') ?? undefined;
    return { pending: { clientId, redirectUri, state, scope, audience, codeChallenge: challenge, nonce } };
  }

  /** Keeps a pending authorization for the consent page's form; the form posts back only this id. */
  holdPending(p: PendingAuthorization): string {
    const id = randomToken(18);
    this.pending.set(id, { ...p, expiresAt: this.options.now() + 10 * 60_000 });
    return id;
  }

  takePending(id: string): PendingAuthorization | undefined {
    const p = this.pending.get(id);
    this.pending.delete(id);
    return p && p.expiresAt > this.options.now() ? p : undefined;
  }

  /** The redirect after approval: a fresh single-use code. */
  approve(p: PendingAuthorization): string {
    const code = randomToken(24);
    const now = this.options.now();
    this.codes.set(code, {
      clientId: p.clientId, redirectUri: p.redirectUri, scope: p.scope, audience: p.audience,
      codeChallenge: p.codeChallenge, nonce: p.nonce, expiresAt: now + this.options.codeTtlSeconds * 1000,
      authTime: now, used: false, issued: [],
    });
    return withParams(p.redirectUri, { code, state: p.state });
  }

  deny(p: PendingAuthorization): string {
    return withParams(p.redirectUri, { error: 'access_denied', error_description: 'The user denied access.', state: p.state });
  }

  private redirectAllowed(client: ClientRegistration, uri: string): boolean {
    if (client.redirectUris.includes(uri)) return true;
    if (!client.loopback) return false;
    // RFC 8252 §7.3: loopback redirects match with any port; the rest of the URI must match if registered.
    let u: URL;
    try {
      u = new URL(uri);
    } catch {
      return false;
    }
    if (u.protocol !== 'http:' || (u.hostname !== '127.0.0.1' && u.hostname !== 'localhost') || u.username || u.password || u.hash) return false;
    if (client.clientId === SANDBOX_PUBLIC_CLIENT_ID || client.redirectUris.length === 0) return true;
    return client.redirectUris.some((r) => {
      try {
        const reg = new URL(r);
        return reg.hostname === u.hostname && reg.pathname === u.pathname && reg.search === u.search;
      } catch {
        return false;
      }
    });
  }

  // ---------------------------------------------------------------- token

  /** The token endpoint. `basic` is the decoded Authorization: Basic header, if any. */
  token(form: URLSearchParams, basic?: { id: string; secret: string }): Record<string, unknown> {
    const clientId = basic?.id ?? form.get('client_id') ?? '';
    const secret = basic?.secret ?? form.get('client_secret') ?? undefined;
    if (basic && form.get('client_id') && form.get('client_id') !== basic.id) {
      throw new OAuthError('invalid_request', 'client_id in the body does not match the Authorization header.');
    }
    const client = this.clients.get(clientId);
    if (!client) throw new OAuthError('invalid_client', clientId ? `Unknown client "${clientId}".` : 'Client authentication failed: no client_id.', 401);
    if (client.clientSecret !== undefined) {
      if (secret === undefined) throw new OAuthError('invalid_client', 'Client authentication failed: this client needs its client_secret.', 401);
      if (!safeEqual(secret, client.clientSecret)) throw new OAuthError('invalid_client', 'Client authentication failed: wrong client_secret.', 401);
    } else if (secret !== undefined && secret !== '') {
      throw new OAuthError('invalid_client', 'Client authentication failed: this is a public client and has no secret.', 401);
    }
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') return this.codeGrant(client, form);
    if (grantType === 'refresh_token') return this.refreshGrant(client, form);
    if (!grantType) throw new OAuthError('invalid_request', 'The grant_type parameter is missing.');
    throw new OAuthError('unsupported_grant_type', `Unsupported grant_type "${grantType}".`);
  }

  private codeGrant(client: ClientRegistration, form: URLSearchParams): Record<string, unknown> {
    const code = form.get('code');
    if (!code) throw new OAuthError('invalid_request', 'The code parameter is missing.');
    const grant = this.codes.get(code);
    if (!grant) throw new OAuthError('invalid_grant', 'Invalid authorization code.');
    if (grant.used) {
      // A replayed code revokes everything it produced.
      for (const t of grant.issued) {
        this.accessTokens.delete(t);
        this.refreshTokens.delete(t);
      }
      throw new OAuthError('invalid_grant', 'Invalid authorization code: it has already been used.');
    }
    grant.used = true;
    if (grant.clientId !== client.clientId) throw new OAuthError('invalid_grant', 'The authorization code was issued to another client.');
    if (grant.expiresAt <= this.options.now()) throw new OAuthError('invalid_grant', 'The authorization code has expired.');
    const redirectUri = form.get('redirect_uri');
    if (redirectUri !== grant.redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri does not match the one used in the authorization request.');
    const verifier = form.get('code_verifier');
    if (grant.codeChallenge !== undefined) {
      if (!verifier) throw new OAuthError('invalid_grant', 'PKCE verification failed: code_verifier is missing.');
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) throw new OAuthError('invalid_grant', 'PKCE verification failed: code_verifier is malformed.');
      const hashed = crypto.createHash('sha256').update(verifier).digest('base64url');
      if (hashed !== grant.codeChallenge) throw new OAuthError('invalid_grant', 'PKCE verification failed: code_verifier does not match code_challenge.');
    } else if (verifier) {
      throw new OAuthError('invalid_grant', 'PKCE verification failed: no code_challenge was sent with the authorization request.');
    }
    const tokens = this.issue(client.clientId, grant.scope, grant.audience, grant.authTime, randomToken(12), grant.nonce);
    grant.issued.push(String(tokens.access_token));
    if (typeof tokens.refresh_token === 'string') grant.issued.push(tokens.refresh_token);
    return tokens;
  }

  private refreshGrant(client: ClientRegistration, form: URLSearchParams): Record<string, unknown> {
    const token = form.get('refresh_token');
    if (!token) throw new OAuthError('invalid_request', 'The refresh_token parameter is missing.');
    const grant = this.refreshTokens.get(token);
    if (!grant) {
      const family = this.spentRefreshTokens.get(token);
      if (family !== undefined) {
        // A rotated token came back: someone holds a copy, so the whole family ends.
        this.revokeFamily(family);
        throw new OAuthError('invalid_grant', 'Unknown or invalid refresh token: it was already used, so every token of this sign-in is revoked');
      }
      throw new OAuthError('invalid_grant', 'Unknown or invalid refresh token.');
    }
    if (grant.clientId !== client.clientId) throw new OAuthError('invalid_grant', 'The refresh token was issued to another client.');
    if (grant.expiresAt <= this.options.now() || this.options.refreshExpired?.()) {
      this.refreshTokens.delete(token);
      throw new OAuthError('invalid_grant', 'The refresh token has expired: its lifetime, counted from sign-in, has run out');
    }
    // Rotation: the old refresh token is spent; clients must keep the newest one.
    this.refreshTokens.delete(token);
    this.spentRefreshTokens.set(token, grant.family);
    return this.issue(client.clientId, grant.scope, grant.audience, grant.authTime, grant.family, undefined, grant.expiresAt);
  }

  private issue(clientId: string, scope: string, audience: string, authTime: number, family: string, nonce?: string, refreshExpiresAt?: number): Record<string, unknown> {
    const now = this.options.now();
    const access = `sbx_at_${randomToken(32)}`;
    const ttl = this.options.accessTokenTtlSeconds;
    this.accessTokens.set(access, { clientId, expiresAt: now + ttl * 1000, scope, sub: DEMO_USER.sub, audience, family });
    const body: Record<string, unknown> = { access_token: access, expires_in: ttl, token_type: 'Bearer', scope };
    if (scope.split(' ').includes('offline_access')) {
      const refresh = `sbx_rt_${randomToken(32)}`;
      // The refresh lifetime counts from sign-in, as Sage's credentials form describes (a hard expiry).
      const refreshExpiry = refreshExpiresAt ?? authTime + this.options.refreshTokenTtlSeconds * 1000;
      this.refreshTokens.set(refresh, { clientId, expiresAt: refreshExpiry, scope, sub: DEMO_USER.sub, audience, authTime, accessToken: access, family });
      body.refresh_token = refresh;
    }
    if (scope.split(' ').includes('openid')) body.id_token = this.idToken(clientId, authTime, nonce);
    this.sweep(now);
    return body;
  }

  /**
   * RFC 7009 revocation (Auth0's `/oauth/revoke`; Sage ID's is unverified). Revoking a refresh
   * token also ends the access token issued with it. Unknown tokens answer 200, as the RFC says.
   */
  revoke(form: URLSearchParams, basic?: { id: string; secret: string }): void {
    const clientId = basic?.id ?? form.get('client_id') ?? '';
    const client = this.clients.get(clientId);
    if (!client) throw new OAuthError('invalid_client', clientId ? `Unknown client "${clientId}".` : 'Client authentication failed: no client_id.', 401);
    const secret = basic?.secret ?? form.get('client_secret') ?? undefined;
    if (client.clientSecret !== undefined && (secret === undefined || !safeEqual(secret, client.clientSecret))) {
      throw new OAuthError('invalid_client', 'Client authentication failed.', 401);
    }
    const token = form.get('token');
    if (!token) throw new OAuthError('invalid_request', 'The token parameter is missing.');
    const refresh = this.refreshTokens.get(token);
    if (refresh && refresh.clientId === client.clientId) {
      this.refreshTokens.delete(token);
      this.accessTokens.delete(refresh.accessToken);
    }
    const access = this.accessTokens.get(token);
    if (access && access.clientId === client.clientId) this.accessTokens.delete(token);
  }

  /** Mints a token set without the browser flow (tests and benchmarks). */
  mint(clientId = SANDBOX_PUBLIC_CLIENT_ID): TokenSet {
    if (!this.clients.has(clientId)) throw new Error(`Unknown sandbox client "${clientId}".`);
    const t = this.issue(clientId, 'openid profile email offline_access', SAGE_AUDIENCE, this.options.now(), randomToken(12));
    return { access_token: String(t.access_token), refresh_token: String(t.refresh_token), expires_in: Number(t.expires_in), token_type: 'Bearer' };
  }

  /** Checks a bearer token: the reason it fails, or undefined when it is good. */
  checkAccessToken(token: string): string | undefined {
    const grant = this.accessTokens.get(token);
    if (!grant) return 'The access token is not one the sandbox issued, or it was revoked.';
    if (grant.expiresAt <= this.options.now()) return 'The access token has expired.';
    if (grant.audience !== SAGE_AUDIENCE) {
      return `The access token was not issued for the Sage 200 API: it has ${grant.audience ? `the audience ${grant.audience}` : 'no audience'}, and the sign-in must ask for audience=${SAGE_AUDIENCE}.`;
    }
    return undefined;
  }

  /** Ends every token descended from one sign-in. */
  private revokeFamily(family: string): void {
    for (const [k, v] of this.refreshTokens) if (v.family === family) this.refreshTokens.delete(k);
    for (const [k, v] of this.accessTokens) if (v.family === family) this.accessTokens.delete(k);
  }

  /** Userinfo takes any live token of the sandbox's, whatever its audience (Auth0's own API). */
  userInfo(token: string): Record<string, unknown> | undefined {
    const grant = this.accessTokens.get(token);
    return grant && grant.expiresAt > this.options.now() ? { ...DEMO_USER, email_verified: true } : undefined;
  }

  /** Drops expired codes and tokens now and then, so a long-running sandbox doesn't grow. */
  private sweep(now: number): void {
    if (this.accessTokens.size < 5000) return;
    for (const [k, v] of this.accessTokens) if (v.expiresAt <= now) this.accessTokens.delete(k);
    for (const [k, v] of this.refreshTokens) if (v.expiresAt <= now) this.refreshTokens.delete(k);
    for (const [k, v] of this.codes) if (v.expiresAt <= now - 600_000) this.codes.delete(k);
    if (this.spentRefreshTokens.size > 50_000) this.spentRefreshTokens.clear();
  }

  // ---------------------------------------------------------------- discovery and ID tokens

  discovery(): Record<string, unknown> {
    const base = this.options.issuer.replace(/\/$/, '');
    return {
      issuer: this.options.issuer,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/oauth/token`,
      userinfo_endpoint: `${base}/userinfo`,
      revocation_endpoint: `${base}/oauth/revoke`,
      jwks_uri: `${base}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'email', 'email_verified', 'name'],
    };
  }

  jwks(): Record<string, unknown> {
    const key = this.key();
    return { keys: [{ ...key.jwk, kid: key.kid, use: 'sig', alg: 'RS256' }] };
  }

  private key(): NonNullable<AuthServer['signingKey']> {
    if (!this.signingKey) {
      const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      const jwk = publicKey.export({ format: 'jwk' });
      this.signingKey = { privateKey, jwk, kid: crypto.createHash('sha256').update(String(jwk.n)).digest('base64url').slice(0, 16) };
    }
    return this.signingKey;
  }

  private idToken(clientId: string, authTime: number, nonce?: string): string {
    const key = this.key();
    const now = Math.floor(this.options.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: key.kid };
    const payload: Record<string, unknown> = {
      iss: this.options.issuer, sub: DEMO_USER.sub, aud: clientId, iat: now, exp: now + this.options.accessTokenTtlSeconds,
      auth_time: Math.floor(authTime / 1000), email: DEMO_USER.email, email_verified: true, name: DEMO_USER.name,
    };
    if (nonce) payload.nonce = nonce;
    const input = `${b64json(header)}.${b64json(payload)}`;
    const sig = crypto.sign('sha256', Buffer.from(input), key.privateKey).toString('base64url');
    return `${input}.${sig}`;
  }
}

function b64json(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

function randomToken(bytes: number): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

function withParams(uri: string, params: Record<string, string | undefined>): string {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}
