import * as assert from 'assert';
import { RunningSandbox, SANDBOX_PUBLIC_CLIENT_ID, startSandbox, demoCompanies } from '../../../src/core/sandbox';
import { AuthError, OAuthConfig, SessionStore, StoredSession, TokenManager, needsRefresh, refreshTokens, tokenStateFrom } from '../../../src/core/auth';
import { DEFAULT_SCOPES } from '../../../src/core/connections/types';
import { createTestAuthority } from '../../../src/core/sandbox/tls';
import { Sage200Client } from '../../../src/core/http/client';

function memoryStore(initial?: StoredSession): SessionStore & { value?: StoredSession; cleared: number } {
  const s = {
    value: initial,
    cleared: 0,
    load: async () => s.value,
    save: async (v: StoredSession) => void (s.value = v),
    clear: async () => {
      s.value = undefined;
      s.cleared++;
    },
  };
  return s;
}

describe('token maths', () => {
  it('refreshes ahead of expiry by the skew, capped at half the lifetime', () => {
    const t = tokenStateFrom({ access_token: 'a', expires_in: 3600 }, 0);
    assert.strictEqual(t.expiresAt, 3_600_000);
    assert.ok(!needsRefresh(t, 3_600_000 - 5 * 60_000 - 1));
    assert.ok(needsRefresh(t, 3_600_000 - 5 * 60_000));
    const short = tokenStateFrom({ access_token: 'a', expires_in: 10 }, 0);
    assert.ok(!needsRefresh(short, 4_999));
    assert.ok(needsRefresh(short, 5_000));
    // A server that does not rotate returns no refresh token: the old one is kept.
    assert.strictEqual(tokenStateFrom({ access_token: 'b' }, 0, { ...t, refreshToken: 'keep' }).refreshToken, 'keep');
    assert.strictEqual(tokenStateFrom({ access_token: 'b', refresh_token: 'new' }, 0, { ...t, refreshToken: 'keep' }).refreshToken, 'new');
  });
});

describe('TokenManager against the sandbox', function () {
  this.timeout(30_000);
  let sandbox: RunningSandbox;
  const company = demoCompanies(200)[0];
  before(async () => {
    sandbox = await startSandbox({});
  });
  after(async () => sandbox?.close());

  const config = (): OAuthConfig => ({ authority: sandbox.url, clientId: SANDBOX_PUBLIC_CLIENT_ID, audience: 's200ukipd/sage200', scopes: DEFAULT_SCOPES, usePkce: true });

  function setup(accessToken: string, expiresAt: number) {
    const minted = sandbox.mintToken();
    const store = memoryStore({ refreshToken: minted.refresh_token, account: { id: 'u', label: 'u' }, scopes: [], signedInAt: Date.now() });
    let calls = 0;
    const manager = new TokenManager({
      store,
      refresh: async (rt) => {
        calls++;
        return refreshTokens(config(), rt);
      },
    });
    manager.setTokens({ accessToken, refreshToken: minted.refresh_token, issuedAt: Date.now() - 3_600_000, expiresAt });
    const client = new Sage200Client({ baseUrl: sandbox.professionalBaseUrl, tokens: manager });
    return { store, manager, client, minted, calls: () => calls };
  }

  const send20 = (client: Sage200Client) =>
    Promise.all(Array.from({ length: 20 }, () => client.send({ method: 'GET', url: '/customers?$top=1' }, { site: company.siteId, company: company.companyId })));

  it('20 requests that find an expired token cause exactly one refresh', async () => {
    const s = setup('expired-token-value', Date.now() - 1000);
    try {
      const results = await send20(s.client);
      assert.deepStrictEqual(results.map((r) => r.status), Array(20).fill(200));
      assert.strictEqual(s.calls(), 1);
      assert.ok(results.every((r) => r.attempts === 1), 'no request had to be retried');
      assert.notStrictEqual(s.store.value?.refreshToken, s.minted.refresh_token, 'the rotated refresh token is stored');
    } finally {
      s.client.dispose();
    }
  });

  it('20 requests whose token the server rejects (401) cause exactly one refresh, then each retries once', async () => {
    const s = setup('sbx_at_revoked-or-unknown', Date.now() + 3_600_000);
    try {
      const results = await send20(s.client);
      assert.deepStrictEqual(results.map((r) => r.status), Array(20).fill(200));
      assert.strictEqual(s.calls(), 1);
      assert.ok(results.every((r) => r.attempts === 2));
    } finally {
      s.client.dispose();
    }
  });

  it('a network failure keeps the session (and a still-valid token); invalid_grant ends it with a message', async () => {
    const store = memoryStore({ refreshToken: 'rt-abcdefgh', account: { id: 'u', label: 'u' }, scopes: [], signedInAt: 0 });
    const ended: AuthError[] = [];
    const deadServer = { ...config(), authority: 'http://127.0.0.1:9', tokenEndpoint: 'http://127.0.0.1:9/oauth/token' };
    const m = new TokenManager({ store, refresh: (rt) => refreshTokens(deadServer, rt), onSessionEnded: (e) => ended.push(e) });
    // Inside the skew window but not expired: the refresh fails on the network, the current token is used.
    m.setTokens({ accessToken: 'still-valid', refreshToken: 'rt-abcdefgh', issuedAt: Date.now() - 3_600_000, expiresAt: Date.now() + 60_000 });
    assert.strictEqual(await m.getAccessToken(), 'still-valid');
    // Expired: the network error reaches the caller, the session stays.
    m.setTokens({ accessToken: 'expired', refreshToken: 'rt-abcdefgh', issuedAt: 0, expiresAt: Date.now() - 1 });
    await assert.rejects(m.getAccessToken(), (e: unknown) => e instanceof AuthError && e.code === 'network' && /Could not reach the authorization server at http:\/\/127\.0\.0\.1:9/.test(e.message));
    assert.strictEqual(store.cleared, 0);
    assert.ok(store.value);
    assert.strictEqual(ended.length, 0);

    // The sandbox no longer knows the refresh token: invalid_grant ends the session.
    const m2 = new TokenManager({ store, refresh: (rt) => refreshTokens(config(), rt), onSessionEnded: (e) => ended.push(e) });
    await assert.rejects(m2.getAccessToken(), (e: unknown) => e instanceof AuthError && e.code === 'invalid_grant');
    assert.strictEqual(store.cleared, 1);
    assert.strictEqual(store.value, undefined);
    assert.strictEqual(ended.length, 1);
    assert.strictEqual(ended[0].message, 'Your Sage 200 session has ended (invalid_grant: Unknown or invalid refresh token). Sign in again.');
  });

  it('when another window rotated the refresh token first, the newer one from the store is used', async () => {
    const minted = sandbox.mintToken();
    const store = memoryStore({ refreshToken: minted.refresh_token, account: { id: 'u', label: 'u' }, scopes: [], signedInAt: 0 });
    // "Window B" refreshes and stores the rotated token.
    const b = new TokenManager({ store, refresh: (rt) => refreshTokens(config(), rt) });
    b.setTokens({ accessToken: 'x', issuedAt: 0, expiresAt: 0 });
    await b.getAccessToken();
    // "Window A" still holds the spent token in memory but reads the store first.
    const a = new TokenManager({ store, refresh: (rt) => refreshTokens(config(), rt) });
    a.setTokens({ accessToken: 'y', refreshToken: minted.refresh_token, issuedAt: 0, expiresAt: 0 });
    assert.match(await a.getAccessToken(), /^sbx_at_/);
  });
});

describe('the token endpoint behind TLS from an unknown authority', function () {
  this.timeout(30_000);
  let sandbox: RunningSandbox;
  before(async () => {
    // As behind a network that inspects TLS with its own authority, which this machine does not trust.
    const authority = createTestAuthority('127.0.0.1');
    sandbox = await startSandbox({ port: 0, tls: { cert: authority.cert, key: authority.key } });
  });
  after(async () => sandbox?.close());

  it('says the authority is not trusted and what to do, not just a code', async () => {
    const cfg: OAuthConfig = { authority: sandbox.url, clientId: SANDBOX_PUBLIC_CLIENT_ID, audience: 's200ukipd/sage200', scopes: DEFAULT_SCOPES, usePkce: true };
    await assert.rejects(refreshTokens(cfg, 'rt-abcdefgh'), (e: unknown) => {
      assert.ok(e instanceof AuthError && e.code === 'network', String(e));
      assert.match(e.message, /^Could not reach the authorization server at https:\/\/127\.0\.0\.1:\d+: /);
      assert.match(e.message, /authority this machine does not trust/);
      assert.match(e.message, /http\.systemCertificates/);
      assert.doesNotMatch(e.message, /rt-abcdefgh/);
      return true;
    });
  });
});
