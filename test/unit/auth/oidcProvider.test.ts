import * as assert from 'assert';
import * as http from 'http';
import { AddressInfo } from 'net';
import { AuthError, OAuthConfig, TokenManager, StoredSession, challengeOf, createPkce, refreshTokens, signIn, tokenStateFrom } from '../../../src/core/auth';
import { DEFAULT_SCOPES } from '../../../src/core/connections/types';
import { BrowserResult, BrowserScript, runBrowser } from './browser';
import { SANDBOX_PUBLIC_CLIENT_ID, startSandbox } from '../../../src/core/sandbox';

const AUDIENCE = 's200ukipd/sage200';
const WEB_SECRET = 'oidc-web-client-secret-0123456789';

/**
 * An independent authorization server (panva's oidc-provider, certified OpenID), configured like
 * Sage ID as far as the flow goes:
 * - authorization code only, PKCE S256 required for every client;
 * - refresh tokens only when `offline_access` was asked for (oidc-provider's own rule, and
 *   Auth0's), rotated on use. Auth0 (Sage ID) honours offline_access without `prompt=consent`,
 *   where OpenID Connect lets a provider drop it; the server below adds `prompt=consent` to such
 *   authorize requests, so oidc-provider keeps the scope and decides by its own rule;
 * - `audience` is a required authorization parameter: an `extraParams` validator rejects requests
 *   without `audience=s200ukipd/sage200` (oidc-provider has no audience parameter of its own;
 *   resource indicators need absolute URIs, which Sage's audience is not);
 * - a public (native, any loopback port per RFC 8252) client and a confidential one (client_secret_post);
 * - the built-in development login and consent pages stand in for the Sage ID pages.
 */
async function startOidc(): Promise<{ url: string; close(): Promise<void> }> {
  // oidc-provider ships no type declarations; the small shape used here is declared inline.
  const moduleName = 'oidc-provider';
  const { default: Provider, errors } = (await import(moduleName)) as unknown as {
    default: new (issuer: string, config: Record<string, unknown>) => { callback(): http.RequestListener; on(e: string, f: (...a: unknown[]) => void): void };
    errors: { InvalidRequest: new (m: string) => Error };
  };
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(url, {
    clients: [
      {
        client_id: 'explorer-public',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      {
        client_id: 'explorer-web',
        client_secret: WEB_SECRET,
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    extraParams: {
      audience(_ctx: unknown, value: string | undefined) {
        if (value !== AUDIENCE) throw new errors.InvalidRequest(`audience must be ${AUDIENCE}`);
      },
    },
    rotateRefreshToken: true,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['test-only-cookie-key-abcdefghijklmnop'] },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub, email: 'oidc.user@example.test' }) }),
    claims: { openid: ['sub'], email: ['email'] },
  });
  provider.on('server_error', (_ctx, err) => console.error('oidc-provider server_error', err));
  const callback = provider.callback();
  server.on('request', (req, res) => {
    const u = new URL(req.url ?? '/', url);
    if (u.pathname === '/auth' && u.searchParams.get('scope')?.split(' ').includes('offline_access') && !u.searchParams.has('prompt')) {
      u.searchParams.set('prompt', 'consent');
      req.url = u.pathname + u.search;
    }
    callback(req, res);
  });
  return {
    url,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('sign-in against oidc-provider (an independent authorization server)', function () {
  this.timeout(30_000);
  let op: { url: string; close(): Promise<void> };
  before(async () => {
    op = await startOidc();
  });
  after(async () => op?.close());

  const config = (over: Partial<OAuthConfig> = {}): OAuthConfig => ({
    authority: op.url,
    authorizationEndpoint: `${op.url}/auth`,
    tokenEndpoint: `${op.url}/token`,
    clientId: 'explorer-public',
    audience: AUDIENCE,
    scopes: DEFAULT_SCOPES,
    usePkce: true,
    ...over,
  });

  async function run(script: BrowserScript, cfg = config()) {
    let browser: Promise<BrowserResult> | undefined;
    const outcome = await signIn({
      config: cfg,
      openBrowser: async (url) => {
        browser = runBrowser(url, script);
        browser.catch(() => undefined);
      },
      timeoutMs: 10_000,
    }).then(
      (tokens) => ({ tokens, error: undefined }),
      (error: unknown) => ({ tokens: undefined, error: error as AuthError }),
    );
    return { ...outcome, browser: await browser?.catch((e: Error) => e) };
  }

  it('signs in end to end (login + consent pages), gets a refresh token, refreshes with rotation', async () => {
    const r = await run({});
    assert.strictEqual(r.error, undefined, r.error?.message);
    assert.strictEqual((r.browser as BrowserResult).callbackStatus, 200);
    const t = r.tokens!;
    assert.ok(t.access_token && t.refresh_token && t.id_token, JSON.stringify(Object.keys(t)));
    const next = await refreshTokens(config(), t.refresh_token!);
    assert.ok(next.access_token && next.refresh_token && next.refresh_token !== t.refresh_token);

    // The TokenManager keeps the rotated refresh token in its store.
    let stored: StoredSession = { refreshToken: next.refresh_token!, account: { id: 'x', label: 'x' }, scopes: [], signedInAt: Date.now() };
    const m = new TokenManager({
      store: { load: async () => stored, save: async (s) => void (stored = s), clear: async () => undefined },
      refresh: (rt) => refreshTokens(config(), rt),
    });
    m.setTokens({ ...tokenStateFrom(next, Date.now()), expiresAt: Date.now() - 1 });
    const fresh = await m.getAccessToken();
    assert.notStrictEqual(fresh, next.access_token);
    assert.notStrictEqual(stored.refreshToken, next.refresh_token, 'the rotated refresh token was stored');
    // The spent one is refused: a reused refresh token ends the session.
    await assert.rejects(refreshTokens(config(), next.refresh_token!), (e: unknown) => e instanceof AuthError && e.code === 'invalid_grant');
  });

  it('a confidential client signs in with its secret; a wrong secret is invalid_client', async () => {
    const ok = await run({}, config({ clientId: 'explorer-web', clientSecret: WEB_SECRET }));
    assert.strictEqual(ok.error, undefined, ok.error?.message);
    const bad = await run({}, config({ clientId: 'explorer-web', clientSecret: 'wrong-secret-value' }));
    assert.ok(bad.error instanceof AuthError && bad.error.code === 'invalid_client', String(bad.error));
    assert.match(bad.error.message, /^The authorization server rejected the client id or client secret \(invalid_client: client authentication failed\)\. Check the connection's client id and set the client secret again\.$/);
  });

  it('the audience parameter is required', async () => {
    const r = await run({}, config({ audience: undefined }));
    assert.ok(r.error instanceof AuthError && r.error.code === 'oauth_error', String(r.error));
    assert.strictEqual(r.error.message, 'The authorization server refused the sign-in (invalid_request: audience must be s200ukipd/sage200).');
  });

  it('PKCE mismatch, denied consent and state mismatch fail with their messages', async () => {
    const pkce = await run({ tamperAuthorize: (u) => u.searchParams.set('code_challenge', challengeOf(createPkce().verifier)) });
    // oidc-provider does not say why a grant is invalid, so the message names the possible causes.
    assert.ok(pkce.error instanceof AuthError && pkce.error.code === 'invalid_grant', String(pkce.error));
    assert.strictEqual(
      pkce.error.message,
      "Sign-in failed: the authorization server refused the authorization code (invalid_grant: grant request is invalid). It may have expired, been used already, or not match this sign-in's PKCE verifier. Try signing in again.",
    );

    const denied = await run({ deny: true });
    assert.ok(denied.error instanceof AuthError && denied.error.code === 'access_denied', String(denied.error));
    assert.strictEqual(denied.error.message, 'Sign-in was declined: access was denied at the consent screen (access_denied: End-User aborted interaction).');

    const state = await run({ tamperCallback: (u) => u.searchParams.set('state', 'x') });
    assert.ok(state.error instanceof AuthError && state.error.code === 'state_mismatch');
  });
});

/**
 * Sage ID is stricter than the OAuth specs require. oidc-provider, configured like Sage ID above,
 * is the reference: the sandbox must reach the same verdict for the same sign-in, so that what a
 * user learns on the sandbox holds on Sage ID.
 */
describe('the sandbox is as strict as oidc-provider configured like Sage ID', function () {
  this.timeout(30_000);
  const servers: { name: string; config(over?: Partial<OAuthConfig>): OAuthConfig; close(): Promise<void> }[] = [];
  before(async () => {
    const op = await startOidc();
    servers.push({
      name: 'oidc-provider',
      config: (over = {}) => ({ authority: op.url, authorizationEndpoint: `${op.url}/auth`, tokenEndpoint: `${op.url}/token`, clientId: 'explorer-public', audience: AUDIENCE, scopes: DEFAULT_SCOPES, usePkce: true, ...over }),
      close: () => op.close(),
    });
    const sandbox = await startSandbox({});
    servers.push({
      name: 'sandbox',
      config: (over = {}) => ({ authority: sandbox.url, clientId: SANDBOX_PUBLIC_CLIENT_ID, audience: AUDIENCE, scopes: DEFAULT_SCOPES, usePkce: true, ...over }),
      close: () => sandbox.close(),
    });
  });
  after(async () => {
    for (const s of servers) await s.close();
  });

  async function signInWith(config: OAuthConfig) {
    return signIn({ config, openBrowser: async (url) => void runBrowser(url).catch(() => undefined), timeoutMs: 10_000 }).then(
      (tokens) => ({ tokens, error: undefined }),
      (error: unknown) => ({ tokens: undefined, error: error as AuthError }),
    );
  }

  it('without offline_access neither gives a refresh token, and the session ends with the access token', async () => {
    const scopes = DEFAULT_SCOPES.filter((s) => s !== 'offline_access');
    assert.notDeepStrictEqual(scopes, DEFAULT_SCOPES, 'the default scopes ask for offline_access');
    for (const server of servers) {
      const r = await signInWith(server.config({ scopes }));
      assert.strictEqual(r.error, undefined, `${server.name}: ${r.error?.message}`);
      assert.ok(r.tokens!.access_token, server.name);
      assert.strictEqual(r.tokens!.refresh_token, undefined, `${server.name} gave a refresh token without offline_access`);
      // What the extension stores after such a sign-in (src/auth/sessions.ts): an empty refresh token.
      const stored: StoredSession = { refreshToken: r.tokens!.refresh_token ?? '', account: { id: 'x', label: 'x' }, scopes, signedInAt: Date.now() };
      const m = new TokenManager({ store: { load: async () => stored, save: async () => undefined, clear: async () => undefined }, refresh: () => Promise.reject(new Error('no refresh without a refresh token')) });
      m.setTokens({ ...tokenStateFrom(r.tokens!, Date.now()), expiresAt: Date.now() - 1 });
      await assert.rejects(m.getAccessToken(), (e: unknown) => e instanceof AuthError && e.code === 'session_expired' && /offline_access/.test(e.message));
    }
  });

  it('a public client that sends no PKCE challenge is refused by both, before any code is issued', async () => {
    const verdicts: string[] = [];
    for (const server of servers) {
      const r = await signInWith(server.config({ usePkce: false }));
      assert.ok(r.error instanceof AuthError, `${server.name} signed in without PKCE`);
      assert.strictEqual(r.error.code, 'oauth_error', `${server.name}: ${r.error.code} ${r.error.message}`);
      assert.match(r.error.message, /\(invalid_request: .*PKCE|code_challenge/i, server.name);
      verdicts.push(r.error.code);
    }
    assert.deepStrictEqual(verdicts, ['oauth_error', 'oauth_error']);
  });
});
