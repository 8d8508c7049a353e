import * as assert from 'assert';
import * as net from 'net';
import { RunningSandbox, SANDBOX_PUBLIC_CLIENT_ID, SANDBOX_WEB_CLIENT_ID, startSandbox, demoCompanies } from '../../../src/core/sandbox';
import { AuthError, OAuthConfig, challengeOf, createPkce, exchangeCode, refreshTokens, signIn } from '../../../src/core/auth';
import { DEFAULT_SCOPES } from '../../../src/core/connections/types';
import { Sage200Client } from '../../../src/core/http/client';
import { describeResponse } from '../../../src/core/explorer/errors';
import { BrowserResult, BrowserScript, runBrowser } from './browser';

/** True when nothing listens on the port any more (the loopback server closed after the callback). */
function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

describe('sign-in against the sandbox (Sage ID emulation)', function () {
  this.timeout(30_000);
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox({ authorizationCodeTtlSeconds: 2 });
  });
  after(async () => {
    await sandbox?.close();
  });

  const config = (over: Partial<OAuthConfig> = {}): OAuthConfig => ({
    authority: sandbox.url,
    clientId: SANDBOX_PUBLIC_CLIENT_ID,
    audience: 's200ukipd/sage200',
    scopes: DEFAULT_SCOPES,
    usePkce: true,
    ...over,
  });

  /** Runs signIn with the scripted browser; returns the outcome, the browser's result and the URLs. */
  async function run(script: BrowserScript, over: Partial<Parameters<typeof signIn>[0]> = {}) {
    let browser: Promise<BrowserResult> | undefined;
    let authorizeUrl = '';
    let redirectUri = '';
    const outcome = await signIn({
      config: config(),
      openBrowser: async (url, redirect) => {
        authorizeUrl = url;
        redirectUri = redirect;
        browser = runBrowser(url, script);
        browser.catch(() => undefined);
      },
      ...over,
    }).then(
      (tokens) => ({ tokens, error: undefined }),
      (error: unknown) => ({ tokens: undefined, error: error as AuthError }),
    );
    return { ...outcome, browser: await browser?.catch((e: Error) => e), authorizeUrl, redirectUri };
  }

  it('runs end to end: code + PKCE S256 + state through the loopback, which closes afterwards; the token calls the API; refresh rotates', async () => {
    const r = await run({});
    assert.strictEqual(r.error, undefined, r.error?.message);
    const q = new URL(r.authorizeUrl).searchParams;
    assert.strictEqual(q.get('response_type'), 'code');
    assert.strictEqual(q.get('code_challenge_method'), 'S256');
    assert.match(q.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.strictEqual(q.get('audience'), 's200ukipd/sage200');
    assert.strictEqual(q.get('scope'), 'openid profile email offline_access');
    assert.match(q.get('state') ?? '', /^[A-Za-z0-9_-]{32}$/);
    assert.match(r.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const b = r.browser as BrowserResult;
    assert.strictEqual(b.callbackStatus, 200);
    assert.match(b.callbackBody, /Signed in to Sage 200/);
    assert.ok(await portClosed(Number(new URL(r.redirectUri).port)), 'the loopback server closed');
    const tokens = r.tokens!;
    assert.ok(tokens.access_token && tokens.refresh_token && tokens.id_token);

    const company = demoCompanies(200)[0];
    const client = new Sage200Client({ baseUrl: sandbox.professionalBaseUrl, tokens: { getAccessToken: async () => tokens.access_token, refreshAfterUnauthorized: async () => undefined } });
    try {
      const sites = await client.send({ method: 'GET', url: '/sites' });
      assert.strictEqual(sites.status, 200);
      assert.ok((sites.json as { site_id: string }[]).some((s) => s.site_id === company.siteId));
    } finally {
      client.dispose();
    }

    const refreshed = await refreshTokens(config(), tokens.refresh_token!);
    assert.notStrictEqual(refreshed.refresh_token, tokens.refresh_token, 'the sandbox rotates refresh tokens');
    await assert.rejects(refreshTokens(config(), tokens.refresh_token!), (e: unknown) => {
      assert.ok(e instanceof AuthError && e.code === 'invalid_grant');
      assert.strictEqual(e.message, 'Your Sage 200 session has ended (invalid_grant: Unknown or invalid refresh token: it was already used, so every token of this sign-in is revoked). Sign in again.');
      return true;
    });
    // Sage ID revokes the whole family on reuse: the token from the good refresh is gone too.
    await assert.rejects(refreshTokens(config(), refreshed.refresh_token!), (e: unknown) => e instanceof AuthError && e.code === 'invalid_grant');
  });

  it('relies on no leniency: without PKCE a public client is refused, without offline_access there is no refresh token', async () => {
    const noPkce = await run({}, { config: config({ usePkce: false }) });
    assert.ok(noPkce.error instanceof AuthError, String(noPkce.error));
    assert.match(noPkce.error.message, /PKCE/);
    const noOffline = await run({}, { config: config({ scopes: ['openid', 'profile', 'email'] }) });
    assert.strictEqual(noOffline.error, undefined, noOffline.error?.message);
    assert.strictEqual(noOffline.tokens?.refresh_token, undefined);
  });

  it('a token without the audience is refused by the API, and the message names the likely cause', async () => {
    const r = await run({}, { config: config({ audience: undefined }) });
    assert.strictEqual(r.error, undefined, r.error?.message);
    const client = new Sage200Client({ baseUrl: sandbox.standardBaseUrl, tokens: { getAccessToken: async () => r.tokens!.access_token, refreshAfterUnauthorized: async () => undefined } });
    try {
      const res = await client.send({ method: 'GET', url: '/sites' });
      assert.strictEqual(res.status, 401);
      const failure = describeResponse(res)!;
      assert.strictEqual(failure.kind, 'unauthorized');
      assert.match(failure.message, /audience to s200ukipd\/sage200/);
    } finally {
      client.dispose();
    }
  });

  it('a refresh past the refresh lifetime ends the session with a message that says so', async () => {
    const t = sandbox.mintToken();
    sandbox.setFaults({ refreshExpired: true });
    try {
      await assert.rejects(refreshTokens(config(), t.refresh_token), (e: unknown) => {
        assert.ok(e instanceof AuthError && e.code === 'invalid_grant');
        assert.match(e.message, /session has ended.*expired.*Sign in again/);
        return true;
      });
    } finally {
      sandbox.setFaults({});
    }
  });

  it('the loopback start page (all that survives a port-forwarding rewrite) leads to the authorize page', async () => {
    let browser: Promise<BrowserResult> | undefined;
    let start = '';
    const tokens = await signIn({
      config: config(),
      openBrowser: async (url, _redirect, startPageUrl) => {
        start = startPageUrl;
        // Like code-server: only scheme, host and port of the opened URL are kept.
        browser = runBrowser(url, { startAt: new URL(startPageUrl).origin + '/' });
      },
    });
    assert.match(start, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.strictEqual((await browser!).callbackStatus, 200);
    assert.ok(tokens.access_token);
    assert.ok(await portClosed(Number(new URL(start).port)));
  });

  it('state mismatch: rejected, with the message the user sees', async () => {
    const r = await run({ tamperCallback: (u) => u.searchParams.set('state', 'forged-state-value') });
    assert.ok(r.error instanceof AuthError && r.error.code === 'state_mismatch');
    assert.strictEqual(r.error.message, 'Sign-in was rejected: the answer from the browser did not match this sign-in (state mismatch). Start the sign-in again.');
    assert.strictEqual((r.browser as BrowserResult).callbackStatus, 400);
    assert.ok(await portClosed(Number(new URL(r.redirectUri).port)));
  });

  it('PKCE mismatch: the code was bound to another challenge', async () => {
    const r = await run({ tamperAuthorize: (u) => u.searchParams.set('code_challenge', challengeOf(createPkce().verifier)) });
    assert.ok(r.error instanceof AuthError && r.error.code === 'pkce_mismatch', String(r.error));
    assert.strictEqual(r.error.message, 'Sign-in failed: the PKCE code verifier did not match the challenge (invalid_grant: PKCE verification failed: code_verifier does not match code_challenge).');
  });

  it('denied consent (error=access_denied on the redirect)', async () => {
    const r = await run({ deny: true });
    assert.ok(r.error instanceof AuthError && r.error.code === 'access_denied');
    assert.strictEqual(r.error.message, 'Sign-in was declined: access was denied at the consent screen (access_denied: The user denied access).');
    assert.match((r.browser as BrowserResult).callbackBody, /Sign-in was declined/);
  });

  it('a code already used (replayed by someone else first) is refused', async () => {
    const r = await run({
      beforeCallback: async (u) => {
        // An attacker who intercepted the code spends it first (without the verifier it fails, but the code is burnt).
        await exchangeCode(config(), { code: u.searchParams.get('code')!, redirectUri: `${u.origin}${u.pathname}`, codeVerifier: createPkce().verifier }).catch(() => undefined);
      },
    });
    assert.ok(r.error instanceof AuthError && r.error.code === 'invalid_grant', String(r.error));
    assert.strictEqual(r.error.message, "Sign-in failed: the authorization server refused the authorization code (invalid_grant: Invalid authorization code: it has already been used). It may have expired, been used already, or not match this sign-in's PKCE verifier. Try signing in again.");
  });

  it('an expired code is refused', async () => {
    const r = await run({ beforeCallback: () => new Promise((res) => setTimeout(res, 2100)) });
    assert.ok(r.error instanceof AuthError && r.error.code === 'invalid_grant', String(r.error));
    assert.strictEqual(r.error.message, "Sign-in failed: the authorization server refused the authorization code (invalid_grant: The authorization code has expired). It may have expired, been used already, or not match this sign-in's PKCE verifier. Try signing in again.");
  });

  it('invalid_client: a confidential client with the wrong secret', async () => {
    const r = await run({}, { config: config({ clientId: SANDBOX_WEB_CLIENT_ID, clientSecret: 'not-the-secret' }) });
    assert.ok(r.error instanceof AuthError && r.error.code === 'invalid_client', String(r.error));
    assert.strictEqual(
      r.error.message,
      "The authorization server rejected the client id or client secret (invalid_client: Client authentication failed: wrong client_secret). Check the connection's client id and set the client secret again.",
    );
    assert.ok(!r.error.message.includes('not-the-secret'));
  });

  it('redirect port already in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', () => res()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      let opened = false;
      const r = await run({}, { redirectPort: port, openBrowser: async () => void (opened = true) });
      assert.ok(r.error instanceof AuthError && r.error.code === 'port_in_use');
      assert.strictEqual(r.error.message, `Cannot receive the sign-in: port ${port} on 127.0.0.1 is already in use. Close the program using it, or change the connection's redirect port.`);
      assert.ok(!opened, 'the browser is not opened when the redirect cannot be received');
    } finally {
      await new Promise((res) => blocker.close(res));
    }
  });

  it('times out when the browser never comes back, and closes the port', async () => {
    const r = await run({}, { timeoutMs: 300, openBrowser: async () => undefined });
    assert.ok(r.error instanceof AuthError && r.error.code === 'timeout');
    assert.strictEqual(r.error.message, 'Sign-in timed out: no answer from the browser within 1 second. Start the sign-in again.');
  });

  it('the user cancelling (progress notification cancel) stops the sign-in and closes the port', async () => {
    const abort = new AbortController();
    let redirect = '';
    const p = signIn({
      config: config(),
      signal: abort.signal,
      openBrowser: async (_url, r) => {
        redirect = r;
        setTimeout(() => abort.abort(), 50);
      },
    });
    await assert.rejects(p, (e: unknown) => e instanceof AuthError && e.code === 'cancelled' && e.message === 'Sign-in was cancelled.');
    assert.ok(await portClosed(Number(new URL(redirect).port)));
  });
});
