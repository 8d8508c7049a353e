import * as assert from 'assert';
import * as crypto from 'crypto';
import { startSandbox, RunningSandbox, SandboxOptions, SANDBOX_WEB_CLIENT_ID, SANDBOX_WEB_CLIENT_SECRET, SAGE_AUDIENCE } from '../../../src/core/sandbox';

type OidcClient = typeof import('openid-client');
// openid-client is ESM-only; load it the way an ESM consumer would.
const loadClient = new Function('return import("openid-client")') as () => Promise<OidcClient>;

const REDIRECT = 'http://127.0.0.1:53682/callback';

function pkce(): { verifier: string; challenge: string } {
  const verifier = crypto.randomBytes(32).toString('base64url');
  return { verifier, challenge: crypto.createHash('sha256').update(verifier).digest('base64url') };
}

/** The PKCE pair of requests that do not test PKCE: public clients must send one. */
const DEFAULT_PKCE = pkce();

function authorizeUrl(sb: RunningSandbox, params: Record<string, string | undefined>): string {
  const u = new URL(`${sb.url}/authorize`);
  const defaults: Record<string, string> = {
    response_type: 'code', client_id: 'sage200-sandbox', redirect_uri: REDIRECT, scope: 'openid profile email offline_access', audience: SAGE_AUDIENCE, state: 'st-1',
    code_challenge: DEFAULT_PKCE.challenge, code_challenge_method: 'S256',
  };
  const given = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<string, string>;
  for (const [k, v] of Object.entries({ ...defaults, ...given })) u.searchParams.set(k, v);
  return u.toString();
}

async function authorize(sb: RunningSandbox, params: Record<string, string | undefined>): Promise<{ status: number; location?: URL; text: string }> {
  const r = await fetch(authorizeUrl(sb, params), { redirect: 'manual' });
  const loc = r.headers.get('location');
  return { status: r.status, location: loc ? new URL(loc) : undefined, text: await r.text() };
}

/** A token request; a code exchange without a code_verifier key sends the default pair's verifier. */
async function token(sb: RunningSandbox, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const full = form.grant_type === 'authorization_code' && !('code_verifier' in form) ? { ...form, code_verifier: DEFAULT_PKCE.verifier } : form;
  const r = await fetch(`${sb.url}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(full).toString() });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

async function codeFor(sb: RunningSandbox, p: { challenge?: string; clientId?: string; redirect?: string } = {}): Promise<string> {
  const a = await authorize(sb, { client_id: p.clientId, redirect_uri: p.redirect, code_challenge: p.challenge });
  assert.strictEqual(a.status, 302, a.text);
  const code = a.location?.searchParams.get('code');
  assert.ok(code, `a code in ${a.location?.toString()}`);
  assert.strictEqual(a.location?.searchParams.get('state'), 'st-1');
  return code;
}

/** A clock the test moves by hand: expiry is tested without sleeping, however busy the machine. */
function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = Date.now();
  return { now: () => t, advance: (ms) => { t += ms; } };
}

async function apiStatus(sb: RunningSandbox, accessToken: string): Promise<number> {
  return (await fetch(`${sb.standardBaseUrl}/sites`, { headers: { Authorization: `Bearer ${accessToken}` } })).status;
}

describe('sandbox Sage ID emulation', function () {
  this.timeout(30000);
  const running: RunningSandbox[] = [];
  const start = async (o: SandboxOptions = {}) => {
    const sb = await startSandbox({ scale: 0.01, autoApprove: true, ...o });
    running.push(sb);
    return sb;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
  });

  describe('with openid-client as a third-party client', () => {
    it('runs the authorization code + PKCE flow and refresh (public client)', async () => {
      const client = await loadClient();
      const sb = await start({ accessTokenTtlSeconds: 120 });
      const config = await client.discovery(new URL(sb.url), 'sage200-sandbox', undefined, client.None(), { execute: [client.allowInsecureRequests] });
      assert.strictEqual(config.serverMetadata().issuer, `${sb.url}/`);
      const verifier = client.randomPKCECodeVerifier();
      const challenge = await client.calculatePKCECodeChallenge(verifier);
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT, scope: 'openid profile email offline_access', audience: SAGE_AUDIENCE,
        code_challenge: challenge, code_challenge_method: 'S256', state, nonce,
      });
      const r = await fetch(url, { redirect: 'manual' });
      assert.strictEqual(r.status, 302);
      const callback = new URL(String(r.headers.get('location')));
      assert.strictEqual(`${callback.origin}${callback.pathname}`, REDIRECT);
      const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
      assert.strictEqual(tokens.token_type.toLowerCase(), 'bearer');
      assert.strictEqual(tokens.expires_in, 120);
      assert.ok(tokens.refresh_token);
      assert.strictEqual(tokens.claims()?.aud, 'sage200-sandbox');
      assert.strictEqual(await apiStatus(sb, tokens.access_token), 200);
      const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
      assert.notStrictEqual(refreshed.access_token, tokens.access_token);
      assert.ok(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token, 'refresh tokens rotate');
      assert.strictEqual(await apiStatus(sb, refreshed.access_token), 200);
      const info = await client.fetchUserInfo(config, refreshed.access_token, client.skipSubjectCheck);
      assert.ok(info.sub);
      // Sign-out: revoking the refresh token ends it and its access token.
      await client.tokenRevocation(config, String(refreshed.refresh_token));
      assert.strictEqual(await apiStatus(sb, refreshed.access_token), 401);
      await assert.rejects(client.refreshTokenGrant(config, String(refreshed.refresh_token)), (e: { error?: string }) => e.error === 'invalid_grant');
    });

    it('runs the flow for the confidential client with client_secret_basic, and refuses a wrong secret', async () => {
      const client = await loadClient();
      const sb = await start();
      const config = await client.discovery(new URL(sb.url), SANDBOX_WEB_CLIENT_ID, undefined, client.ClientSecretBasic(SANDBOX_WEB_CLIENT_SECRET), { execute: [client.allowInsecureRequests] });
      const verifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(config, { redirect_uri: 'http://localhost:8123/callback', scope: 'openid offline_access', audience: SAGE_AUDIENCE, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 's' });
      const r = await fetch(url, { redirect: 'manual' });
      const tokens = await client.authorizationCodeGrant(config, new URL(String(r.headers.get('location'))), { pkceCodeVerifier: verifier, expectedState: 's' });
      assert.strictEqual(await apiStatus(sb, tokens.access_token), 200);
      const wrong = await client.discovery(new URL(sb.url), SANDBOX_WEB_CLIENT_ID, undefined, client.ClientSecretPost('not-the-secret'), { execute: [client.allowInsecureRequests] });
      await assert.rejects(client.refreshTokenGrant(wrong, String(tokens.refresh_token)), (e: { error?: string }) => e.error === 'invalid_client');
    });

    it('is as strict as Auth0: a refresh token only with offline_access', async () => {
      const client = await loadClient();
      const sb = await start();
      const config = await client.discovery(new URL(sb.url), 'sage200-sandbox', undefined, client.None(), { execute: [client.allowInsecureRequests] });
      const verifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT, scope: 'openid profile email', audience: SAGE_AUDIENCE, state: 's',
        code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      const r = await fetch(url, { redirect: 'manual' });
      const tokens = await client.authorizationCodeGrant(config, new URL(String(r.headers.get('location'))), { pkceCodeVerifier: verifier, expectedState: 's' });
      assert.strictEqual(tokens.refresh_token, undefined);
      assert.strictEqual(await apiStatus(sb, tokens.access_token), 200);
    });

    it('requires PKCE of a public client, but not of a confidential one', async () => {
      const client = await loadClient();
      const sb = await start();
      const pub = await client.discovery(new URL(sb.url), 'sage200-sandbox', undefined, client.None(), { execute: [client.allowInsecureRequests] });
      const r = await fetch(client.buildAuthorizationUrl(pub, { redirect_uri: REDIRECT, scope: 'openid offline_access', audience: SAGE_AUDIENCE, state: 's' }), { redirect: 'manual' });
      const callback = new URL(String(r.headers.get('location')));
      assert.strictEqual(callback.searchParams.get('error'), 'invalid_request');
      assert.match(String(callback.searchParams.get('error_description')), /PKCE/);
      await assert.rejects(client.authorizationCodeGrant(pub, callback, { expectedState: 's' }), (e: { error?: string }) => e.error === 'invalid_request');
      const web = await client.discovery(new URL(sb.url), SANDBOX_WEB_CLIENT_ID, undefined, client.ClientSecretBasic(SANDBOX_WEB_CLIENT_SECRET), { execute: [client.allowInsecureRequests] });
      const w = await fetch(client.buildAuthorizationUrl(web, { redirect_uri: 'http://localhost:8123/callback', scope: 'openid', audience: SAGE_AUDIENCE, state: 's' }), { redirect: 'manual' });
      const tokens = await client.authorizationCodeGrant(web, new URL(String(w.headers.get('location'))), { expectedState: 's' });
      assert.strictEqual(await apiStatus(sb, tokens.access_token), 200);
    });

    it('fills in no audience: a token asked for without one is refused by the API with 401, naming the audience', async () => {
      const client = await loadClient();
      const sb = await start();
      const config = await client.discovery(new URL(sb.url), 'sage200-sandbox', undefined, client.None(), { execute: [client.allowInsecureRequests] });
      const verifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT, scope: 'openid offline_access', state: 's',
        code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      const tokens = await client.authorizationCodeGrant(config, new URL(String((await fetch(url, { redirect: 'manual' })).headers.get('location'))), { pkceCodeVerifier: verifier, expectedState: 's' });
      // Auth0 signs in fine and the token works for userinfo: only the Sage API refuses it.
      assert.ok((await client.fetchUserInfo(config, tokens.access_token, client.skipSubjectCheck)).sub);
      const api = await fetch(`${sb.standardBaseUrl}/sites`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
      assert.strictEqual(api.status, 401);
      assert.match(((await api.json()) as { message: string }).message, /audience/);
    });

    it('revokes the whole token family when a rotated refresh token comes back', async () => {
      const client = await loadClient();
      const sb = await start();
      const config = await client.discovery(new URL(sb.url), 'sage200-sandbox', undefined, client.None(), { execute: [client.allowInsecureRequests] });
      const first = sb.mintToken();
      const second = await client.refreshTokenGrant(config, first.refresh_token);
      const third = await client.refreshTokenGrant(config, String(second.refresh_token));
      assert.strictEqual(await apiStatus(sb, third.access_token), 200);
      // The token of the first refresh is replayed: the thief and the owner both lose everything.
      await assert.rejects(client.refreshTokenGrant(config, String(second.refresh_token)), (e: { error?: string; error_description?: string }) =>
        e.error === 'invalid_grant' && /already used/.test(String(e.error_description)));
      assert.strictEqual(await apiStatus(sb, third.access_token), 401);
      await assert.rejects(client.refreshTokenGrant(config, String(third.refresh_token)), (e: { error?: string }) => e.error === 'invalid_grant');
      // Another sign-in's family is untouched.
      const other = sb.mintToken();
      assert.strictEqual(await apiStatus(sb, other.access_token), 200);
      assert.ok((await client.refreshTokenGrant(config, other.refresh_token)).access_token);
    });

    it('lets tests run out the refresh lifetime: refreshExpired through setFaults and POST /__sandbox/faults', async () => {
      const client = await loadClient();
      const sb = await start();
      const config = await client.discovery(new URL(sb.url), 'sage200-sandbox', undefined, client.None(), { execute: [client.allowInsecureRequests] });
      const t = sb.mintToken();
      const set = await fetch(`${sb.url}/__sandbox/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshExpired: true }) });
      assert.strictEqual(set.status, 200);
      await assert.rejects(client.refreshTokenGrant(config, t.refresh_token), (e: { error?: string; error_description?: string }) =>
        e.error === 'invalid_grant' && /expired/.test(String(e.error_description)));
      sb.setFaults({});
      const next = await client.refreshTokenGrant(config, sb.mintToken().refresh_token);
      assert.ok(next.refresh_token);
      sb.setFaults({ refreshExpired: true });
      await assert.rejects(client.refreshTokenGrant(config, String(next.refresh_token)), (e: { error?: string; error_description?: string }) =>
        e.error === 'invalid_grant' && /expired/.test(String(e.error_description)));
    });
  });

  describe('consent page', () => {
    it('shows a one-button page that approves, or denies with access_denied', async () => {
      const sb = await start({ autoApprove: false });
      const r = await fetch(authorizeUrl(sb, { state: 'x<script>' }));
      assert.strictEqual(r.status, 200);
      const html = await r.text();
      assert.match(html, /id="approve"/);
      assert.match(String(r.headers.get('content-security-policy')), /default-src 'none'/);
      // Browsers check form-action against the redirect that answers the post, so the client's origin must be allowed.
      assert.match(String(r.headers.get('content-security-policy')), /form-action 'self' http:\/\/127\.0\.0\.1:53682;/);
      const tx = /name="transaction" value="([^"]+)"/.exec(html)?.[1];
      assert.ok(tx);
      const allow = await fetch(`${sb.url}/authorize`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `transaction=${tx}&decision=allow` });
      assert.strictEqual(allow.status, 302);
      const loc = new URL(String(allow.headers.get('location')));
      assert.ok(loc.searchParams.get('code'));
      assert.strictEqual(loc.searchParams.get('state'), 'x<script>');
      const again = await fetch(`${sb.url}/authorize`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `transaction=${tx}&decision=allow` });
      assert.strictEqual(again.status, 400, 'a consent answers once');
      const html2 = await (await fetch(authorizeUrl(sb, {}))).text();
      const tx2 = /name="transaction" value="([^"]+)"/.exec(html2)?.[1];
      const deny = await fetch(`${sb.url}/authorize`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `transaction=${tx2}&decision=deny` });
      assert.strictEqual(new URL(String(deny.headers.get('location'))).searchParams.get('error'), 'access_denied');
    });

    it('escapes what it echoes', async () => {
      const sb = await start({ autoApprove: false, clients: [{ clientId: '<img src=x onerror=alert(1)>', redirectUris: [], loopback: true }] });
      const html = await (await fetch(authorizeUrl(sb, { client_id: '<img src=x onerror=alert(1)>', scope: '"><script>alert(1)</script>' }))).text();
      assert.ok(!html.includes('<img src=x'));
      assert.ok(!html.includes('<script>alert'));
      assert.match(html, /&lt;img src=x/);
    });
  });

  describe('authorize errors', () => {
    it('never redirects for an unknown client or an unregistered redirect URI', async () => {
      const sb = await start({ clients: [{ clientId: 'exact-client', redirectUris: ['https://app.example/cb'] }] });
      for (const params of [
        { client_id: 'nobody' },
        { redirect_uri: 'https://evil.example/callback' },
        { redirect_uri: 'http://127.0.0.1.evil.example:80/cb' },
        { client_id: 'exact-client', redirect_uri: 'https://app.example/cb/' },
        { client_id: 'exact-client', redirect_uri: 'http://127.0.0.1:5000/cb' },
        { client_id: SANDBOX_WEB_CLIENT_ID, redirect_uri: 'http://127.0.0.1:5000/other' },
        { redirect_uri: '' },
      ]) {
        const a = await authorize(sb, params);
        assert.strictEqual(a.status, 400, JSON.stringify(params));
        assert.strictEqual(a.location, undefined);
        assert.match(a.text, /invalid_(client|request)/);
      }
      const ok = await authorize(sb, { client_id: 'exact-client', redirect_uri: 'https://app.example/cb' });
      assert.strictEqual(ok.status, 302);
    });

    it('redirects with the standard error for a bad response type, PKCE method or audience', async () => {
      const sb = await start();
      const cases: [Record<string, string>, string][] = [
        [{ response_type: 'token' }, 'unsupported_response_type'],
        [{ code_challenge: pkce().challenge, code_challenge_method: 'plain' }, 'invalid_request'],
        [{ code_challenge: 'short', code_challenge_method: 'S256' }, 'invalid_request'],
        [{ audience: 'someone/else' }, 'access_denied'],
      ];
      for (const [params, error] of cases) {
        const a = await authorize(sb, params);
        assert.strictEqual(a.status, 302);
        assert.strictEqual(a.location?.searchParams.get('error'), error, JSON.stringify(params));
        assert.strictEqual(a.location?.searchParams.get('state'), 'st-1');
      }
    });
  });

  describe('token errors', () => {
    it('answers invalid_client for an unknown client, a missing or wrong secret, and a secret on a public client', async () => {
      const sb = await start();
      const code = await codeFor(sb);
      const cases: [Record<string, string>, Record<string, string>][] = [
        [{ client_id: 'nobody' }, {}],
        [{ client_id: SANDBOX_WEB_CLIENT_ID }, {}],
        [{ client_id: SANDBOX_WEB_CLIENT_ID, client_secret: 'wrong' }, {}],
        [{}, { Authorization: `Basic ${Buffer.from(`${SANDBOX_WEB_CLIENT_ID}:wrong`).toString('base64')}` }],
        [{ client_id: 'sage200-sandbox', client_secret: 'anything' }, {}],
      ];
      for (const [form, headers] of cases) {
        const r = await token(sb, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...form }, headers);
        assert.strictEqual(r.status, 401, JSON.stringify(form));
        assert.strictEqual(r.body.error, 'invalid_client');
      }
    });

    it('answers invalid_grant for a PKCE mismatch or a missing verifier', async () => {
      const sb = await start();
      const p = pkce();
      let code = await codeFor(sb, { challenge: p.challenge });
      let r = await token(sb, { grant_type: 'authorization_code', client_id: 'sage200-sandbox', code, redirect_uri: REDIRECT, code_verifier: pkce().verifier });
      assert.strictEqual(r.status, 400);
      assert.strictEqual(r.body.error, 'invalid_grant');
      assert.match(String(r.body.error_description), /PKCE/);
      code = await codeFor(sb, { challenge: p.challenge });
      r = await token(sb, { grant_type: 'authorization_code', client_id: 'sage200-sandbox', code, redirect_uri: REDIRECT, code_verifier: '' });
      assert.strictEqual(r.body.error, 'invalid_grant');
      code = await codeFor(sb, { challenge: p.challenge });
      r = await token(sb, { grant_type: 'authorization_code', client_id: 'sage200-sandbox', code, redirect_uri: REDIRECT, code_verifier: p.verifier });
      assert.strictEqual(r.status, 200);
    });

    it('answers invalid_grant for a reused code and revokes what the code gave', async () => {
      const sb = await start();
      const code = await codeFor(sb);
      const form = { grant_type: 'authorization_code', client_id: 'sage200-sandbox', code, redirect_uri: REDIRECT };
      const first = await token(sb, form);
      assert.strictEqual(first.status, 200);
      assert.strictEqual(await apiStatus(sb, String(first.body.access_token)), 200);
      const second = await token(sb, form);
      assert.strictEqual(second.status, 400);
      assert.strictEqual(second.body.error, 'invalid_grant');
      assert.strictEqual(await apiStatus(sb, String(first.body.access_token)), 401);
      const refresh = await token(sb, { grant_type: 'refresh_token', client_id: 'sage200-sandbox', refresh_token: String(first.body.refresh_token) });
      assert.strictEqual(refresh.body.error, 'invalid_grant');
    });

    it('answers invalid_grant for an expired code', async () => {
      const clock = fakeClock();
      const sb = await start({ authorizationCodeTtlSeconds: 30, now: clock.now });
      const code = await codeFor(sb);
      clock.advance(30_001);
      const r = await token(sb, { grant_type: 'authorization_code', client_id: 'sage200-sandbox', code, redirect_uri: REDIRECT });
      assert.strictEqual(r.body.error, 'invalid_grant');
      assert.match(String(r.body.error_description), /expired/);
    });

    it('answers invalid_grant for a redirect_uri that differs from the authorize request, or a code of another client', async () => {
      const sb = await start();
      let code = await codeFor(sb);
      let r = await token(sb, { grant_type: 'authorization_code', client_id: 'sage200-sandbox', code, redirect_uri: 'http://127.0.0.1:53682/other' });
      assert.strictEqual(r.body.error, 'invalid_grant');
      code = await codeFor(sb);
      r = await token(sb, { grant_type: 'authorization_code', client_id: SANDBOX_WEB_CLIENT_ID, client_secret: SANDBOX_WEB_CLIENT_SECRET, code, redirect_uri: REDIRECT });
      assert.strictEqual(r.body.error, 'invalid_grant');
      r = await token(sb, { grant_type: 'authorization_code', client_id: 'sage200-sandbox', code: 'made-up', redirect_uri: REDIRECT });
      assert.strictEqual(r.body.error, 'invalid_grant');
    });

    it('answers the other standard errors', async () => {
      const sb = await start();
      let r = await token(sb, { client_id: 'sage200-sandbox' });
      assert.strictEqual(r.body.error, 'invalid_request');
      r = await token(sb, { client_id: 'sage200-sandbox', grant_type: 'password' });
      assert.strictEqual(r.body.error, 'unsupported_grant_type');
      r = await token(sb, { client_id: 'sage200-sandbox', grant_type: 'authorization_code' });
      assert.strictEqual(r.body.error, 'invalid_request');
      const text = await fetch(`${sb.url}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
      assert.strictEqual(text.status, 400);
      assert.strictEqual(((await text.json()) as { error: string }).error, 'invalid_request');
      const get = await fetch(`${sb.url}/oauth/token`);
      assert.strictEqual(get.status, 405);
    });

    it('honours expires_in: an expired access token gets 401 and refresh brings a working one', async () => {
      const clock = fakeClock();
      const sb = await start({ accessTokenTtlSeconds: 3, now: clock.now });
      const code = await codeFor(sb);
      const t = await token(sb, { grant_type: 'authorization_code', client_id: 'sage200-sandbox', code, redirect_uri: REDIRECT });
      assert.strictEqual(t.body.expires_in, 3);
      assert.strictEqual(await apiStatus(sb, String(t.body.access_token)), 200);
      clock.advance(3001);
      const expired = await fetch(`${sb.standardBaseUrl}/sites`, { headers: { Authorization: `Bearer ${String(t.body.access_token)}` } });
      assert.strictEqual(expired.status, 401);
      assert.match(String(expired.headers.get('www-authenticate')), /expired/);
      const r = await token(sb, { grant_type: 'refresh_token', client_id: 'sage200-sandbox', refresh_token: String(t.body.refresh_token) });
      assert.strictEqual(r.status, 200);
      assert.strictEqual(await apiStatus(sb, String(r.body.access_token)), 200);
    });

    it('ends refresh at the refresh token lifetime, counted from sign-in', async () => {
      const clock = fakeClock();
      const sb = await start({ refreshTokenTtlSeconds: 3, now: clock.now });
      const t = sb.mintToken();
      const r1 = await token(sb, { grant_type: 'refresh_token', client_id: 'sage200-sandbox', refresh_token: t.refresh_token });
      assert.strictEqual(r1.status, 200, JSON.stringify(r1.body));
      clock.advance(2000);
      const r2a = await token(sb, { grant_type: 'refresh_token', client_id: 'sage200-sandbox', refresh_token: String(r1.body.refresh_token) });
      assert.strictEqual(r2a.status, 200, 'still inside the lifetime');
      r1.body.refresh_token = r2a.body.refresh_token;
      clock.advance(1001);
      const r2 = await token(sb, { grant_type: 'refresh_token', client_id: 'sage200-sandbox', refresh_token: String(r1.body.refresh_token) });
      assert.strictEqual(r2.body.error, 'invalid_grant');
    });
  });
});
