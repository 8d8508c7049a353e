import * as assert from 'assert';
import { RunningSandbox, SANDBOX_WEB_CLIENT_ID, SANDBOX_WEB_CLIENT_SECRET, startSandbox, demoCompanies } from '../../../src/core/sandbox';
import { OAuthConfig, StoredSession, TokenManager, TokenResponse, refreshTokens, signIn, tokenStateFrom } from '../../../src/core/auth';
import { DEFAULT_SCOPES } from '../../../src/core/connections/types';
import { Sage200Client } from '../../../src/core/http/client';
import { fetchAll } from '../../../src/core/http/paging';
import { SecretRegistry } from '../../../src/core/http/redact';
import { RedactingLog } from '../../../src/connections/log';
import { BrowserResult, runBrowser } from './browser';
import { startServer } from '../http/servers';

/** A LogOutputChannel stand-in that keeps every line at every level. */
function captureChannel(lines: string[]) {
  const put = (level: string) => (m: string | Error) => void lines.push(`[${level}] ${typeof m === 'string' ? m : m.message}`);
  return { trace: put('trace'), debug: put('debug'), info: put('info'), warn: put('warn'), error: put('error') } as unknown as ConstructorParameters<typeof RedactingLog>[0];
}

describe('no secret in the log of a full session', function () {
  this.timeout(60_000);
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox({ accessTokenTtlSeconds: 2 });
  });
  after(async () => sandbox?.close());

  it('sign-in, API calls, refresh, 401, token guard, errors: the captured log holds none of the secrets', async () => {
    const lines: string[] = [];
    const registry = new SecretRegistry();
    const log = new RedactingLog(captureChannel(lines), registry);
    const SUBSCRIPTION_KEY = 'subscription-key-7f3a9c1e55d2';
    const secrets = new Set<string>([SANDBOX_WEB_CLIENT_SECRET, SUBSCRIPTION_KEY]);
    const keep = (t: TokenResponse): TokenResponse => {
      for (const v of [t.access_token, t.refresh_token, t.id_token]) if (v) secrets.add(v);
      return t;
    };
    const config: OAuthConfig = { authority: sandbox.url, clientId: SANDBOX_WEB_CLIENT_ID, clientSecret: SANDBOX_WEB_CLIENT_SECRET, audience: 's200ukipd/sage200', scopes: DEFAULT_SCOPES, usePkce: true };

    // 1. Sign in (confidential client: the client secret goes over the wire in the form body).
    let browser: Promise<BrowserResult> | undefined;
    const tokens = keep(
      await signIn({ config, logger: log, secrets: registry, openBrowser: async (url) => void (browser = runBrowser(url)) }),
    );
    const code = new URL((await browser!).callbackUrl).searchParams.get('code')!;
    secrets.add(code);

    // 2. A session with refresh, and a client that logs at debug level.
    let stored: StoredSession = { refreshToken: tokens.refresh_token!, account: { id: 'u', label: 'u' }, scopes: [], signedInAt: Date.now() };
    const manager = new TokenManager({
      store: { load: async () => stored, save: async (s) => void (stored = s), clear: async () => undefined },
      refresh: async (rt) => keep(await refreshTokens(config, rt, { logger: log, secrets: registry })),
      onRefreshed: () => log.info('refreshed'),
    });
    manager.setTokens(tokenStateFrom(tokens, Date.now()));
    const client = new Sage200Client({ baseUrl: sandbox.professionalBaseUrl, tokens: manager, subscriptionKey: async () => SUBSCRIPTION_KEY, logger: log, secrets: registry });
    const other = await startServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"echo":true}'));
    try {
      const c = demoCompanies(200)[0];
      const ctx = { site: c.siteId, company: c.companyId };
      const logResponse = (r: { request: unknown; status: number; body: Uint8Array }) => {
        // What Send / the viewer / history would record.
        log.debug(`request ${JSON.stringify(r.request)}`);
        log.debug(`response ${r.status} ${Buffer.from(r.body).toString('utf8').slice(0, 500)}`);
      };
      logResponse(await client.send({ method: 'GET', url: '/sites' }));
      logResponse(await client.send({ method: 'GET', url: '/customers?$top=2' }, ctx));
      logResponse(await client.send({ method: 'POST', url: '/customers', body: JSON.stringify({ reference: 'LOGSCAN1', name: 'Log scan' }) }, ctx));
      // Token guard: another origin, with the token pasted into a header by the request file.
      logResponse(await client.send({ method: 'GET', url: `${other.url}/x`, headers: { 'X-Token': manager.current!.accessToken } }, { onWarning: (m) => log.warn(m) }));
      // Expiry: the 2-second token goes stale, so the next call refreshes.
      await new Promise((r) => setTimeout(r, 2100));
      logResponse(await client.send({ method: 'GET', url: '/customers?$top=1' }, ctx));
      // 401: a token the server does not know, forcing refresh-and-retry.
      manager.setTokens({ ...manager.current!, accessToken: 'sbx_at_unknown-token-for-401-test' });
      secrets.add('sbx_at_unknown-token-for-401-test');
      registry.add('sbx_at_unknown-token-for-401-test');
      logResponse(await client.send({ method: 'GET', url: '/customers?$top=1' }, ctx));
      await fetchAll(client, '/customers?$top=30', { ...ctx, pageSize: 10, onPage: (recs, info) => log.info(`page ${info.page}: ${recs.length}`) });
      // Careless code that logs a token or secret outright is still scrubbed.
      log.info(`careless: token=${manager.current!.accessToken} secret=${SANDBOX_WEB_CLIENT_SECRET} key ${SUBSCRIPTION_KEY}`);
      log.error(new Error(`failed with Authorization: Bearer ${tokens.access_token}`));
    } finally {
      client.dispose();
      await other.close();
    }

    const text = lines.join('\n');
    assert.ok(lines.length >= 20, `the session was logged (${lines.length} lines)`);
    assert.ok(secrets.size >= 8, `secrets collected: ${secrets.size}`);
    // The token calls were logged, with their secret fields redacted.
    assert.match(text, /grant_type=authorization_code&code=\*\*\*/);
    assert.match(text, /code_verifier=\*\*\*/);
    assert.match(text, /client_secret=\*\*\*/);
    assert.match(text, /"refresh_token":"\*\*\*"/);
    assert.match(text, /Authorization":"Bearer \*\*\*"/);
    assert.match(text, /refreshed/);
    for (const s of secrets) assert.ok(!text.includes(s), `a secret leaked into the log: ${s.slice(0, 6)}…`);
    assert.doesNotMatch(text, /code_verifier=(?!\*\*\*)/);
  });
});
