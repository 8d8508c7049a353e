import fetch from 'node-fetch';
import { AuthError, authErrorFromOAuth } from './errors';
import type { HttpLogger } from '../http/client';
import { describeNetworkFailure } from '../http/networkErrors';
import { SecretRegistry, redactText } from '../http/redact';

/** What the OAuth flow needs to know about an authorization server and a client. */
export interface OAuthConfig {
  /** e.g. https://id.sage.com; endpoints default to `${authority}/authorize` and `${authority}/oauth/token` (Sage ID's). */
  readonly authority: string;
  readonly authorizationEndpoint?: string;
  readonly tokenEndpoint?: string;
  readonly clientId: string;
  /** Confidential clients only; sent as client_secret_post. */
  readonly clientSecret?: string;
  /** Sage ID requires `audience=s200ukipd/sage200` on /authorize. */
  readonly audience?: string;
  readonly scopes: readonly string[];
  readonly usePkce: boolean;
}

export interface TokenResponse {
  readonly access_token: string;
  readonly token_type?: string;
  readonly expires_in?: number;
  readonly refresh_token?: string;
  readonly id_token?: string;
  readonly scope?: string;
}

export interface TokenCallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Token calls are logged at debug level, always redacted (codes, verifiers, secrets, tokens). */
  readonly logger?: HttpLogger;
  /** Secrets handled here (client secret, returned tokens) are registered for redaction everywhere. */
  readonly secrets?: SecretRegistry;
}

export function endpointsOf(cfg: OAuthConfig): { authorize: string; token: string } {
  const base = cfg.authority.replace(/\/+$/, '');
  return { authorize: cfg.authorizationEndpoint ?? `${base}/authorize`, token: cfg.tokenEndpoint ?? `${base}/oauth/token` };
}

export function buildAuthorizeUrl(cfg: OAuthConfig, p: { state: string; redirectUri: string; codeChallenge?: string; nonce?: string }): string {
  const u = new URL(endpointsOf(cfg).authorize);
  const q = u.searchParams;
  q.set('response_type', 'code');
  q.set('client_id', cfg.clientId);
  q.set('redirect_uri', p.redirectUri);
  q.set('scope', cfg.scopes.join(' '));
  q.set('state', p.state);
  if (cfg.audience) q.set('audience', cfg.audience);
  if (p.nonce) q.set('nonce', p.nonce);
  if (cfg.usePkce && p.codeChallenge) {
    q.set('code_challenge', p.codeChallenge);
    q.set('code_challenge_method', 'S256');
  }
  return u.toString();
}

export function exchangeCode(cfg: OAuthConfig, p: { code: string; redirectUri: string; codeVerifier?: string }, opts: TokenCallOptions = {}): Promise<TokenResponse> {
  const form: Record<string, string> = { grant_type: 'authorization_code', code: p.code, redirect_uri: p.redirectUri };
  if (cfg.usePkce && p.codeVerifier) form.code_verifier = p.codeVerifier;
  return tokenCall(cfg, form, 'sign-in', opts);
}

export function refreshTokens(cfg: OAuthConfig, refreshToken: string, opts: TokenCallOptions = {}): Promise<TokenResponse> {
  return tokenCall(cfg, { grant_type: 'refresh_token', refresh_token: refreshToken }, 'refresh', opts);
}

async function tokenCall(cfg: OAuthConfig, form: Record<string, string>, during: 'sign-in' | 'refresh', opts: TokenCallOptions): Promise<TokenResponse> {
  const body = new URLSearchParams({ ...form, client_id: cfg.clientId });
  if (cfg.clientSecret) body.set('client_secret', cfg.clientSecret);
  // Auth0-style servers take the audience on the token request too; servers that do not know it ignore it.
  if (cfg.audience) body.set('audience', cfg.audience);
  const endpoint = endpointsOf(cfg).token;
  opts.secrets?.add(cfg.clientSecret);
  opts.secrets?.add(form.code);
  opts.secrets?.add(form.code_verifier);
  opts.secrets?.add(form.refresh_token);
  const log = (m: string): void => opts.logger?.debug(redactText(m, opts.secrets));
  log(`→ POST ${endpoint} ${body.toString()}`);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs ?? 30_000);
  const onAbort = (): void => controller.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let status: number;
  let text: string;
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: body.toString(),
      signal: controller.signal as unknown as import('node-fetch').RequestInit['signal'],
    });
    status = res.status;
    text = await res.text();
  } catch (e) {
    if (opts.signal?.aborted) throw new AuthError('cancelled', 'Sign-in was cancelled.');
    // A certificate from an unknown authority (a network that inspects TLS) must say what to do.
    const reason = controller.signal.aborted ? 'no answer in time' : describeNetworkFailure(e);
    throw new AuthError('network', `Could not reach the authorization server at ${new URL(endpoint).origin}: ${reason}.`);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  for (const k of ['access_token', 'refresh_token', 'id_token']) if (typeof json?.[k] === 'string') opts.secrets?.add(json[k] as string);
  log(`← ${status} ${text.slice(0, 2000)}`);
  if (status >= 200 && status < 300 && json && typeof json.access_token === 'string') {
    return json as unknown as TokenResponse;
  }
  if (json && typeof json.error === 'string') {
    throw authErrorFromOAuth(json.error, typeof json.error_description === 'string' ? json.error_description : undefined, during);
  }
  if (status >= 500 || status === 429) {
    // Temporary: treated like a network failure so a refresh keeps the session.
    throw new AuthError('network', `The authorization server at ${new URL(endpoint).origin} is unavailable (HTTP ${status}).`);
  }
  throw new AuthError('bad_response', `The authorization server answered HTTP ${status} without a usable token.`);
}
