import * as assert from 'assert';
import { SendInput, Sage200Client, TokenSource, parseRetryAfter } from '../../../src/core/http/client';
import { NetworkError } from '../../../src/core/http/types';
import { SecretRegistry } from '../../../src/core/http/redact';
import { TestServer, json, startServer } from './servers';

const TOKEN = 'at-SECRET-token-1234567890';
const SUBKEY = 'subkey-SECRET-abcdef123456';

function tokens(list: string[] = [TOKEN]): TokenSource & { refreshes: number } {
  let i = 0;
  const t = {
    refreshes: 0,
    getAccessToken: async () => list[i],
    refreshAfterUnauthorized: async () => {
      t.refreshes++;
      i = Math.min(i + 1, list.length - 1);
      return list[i];
    },
  };
  return t;
}

/** Every header value and body the server received, as one string, to look for secrets in. */
const everything = (s: TestServer): string => JSON.stringify(s.seen);

describe('http client', () => {
  const servers: TestServer[] = [];
  const clients: Sage200Client[] = [];
  const start = async (...a: Parameters<typeof startServer>): Promise<TestServer> => {
    const s = await startServer(...a);
    servers.push(s);
    return s;
  };
  const client = (opts: ConstructorParameters<typeof Sage200Client>[0]): Sage200Client => {
    const c = new Sage200Client(opts);
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.dispose());
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('builds the URL from the base, adds Authorization, X-Site, X-Company, Content-Type and the subscription key; request headers win', async () => {
    const api = await start((_req, res) => json(res, 200, { ok: true }));
    const c = client({ baseUrl: `${api.url}/uk/sage200/accounts/v1/`, tokens: tokens(), subscriptionKey: async () => SUBKEY });
    const res = await c.send({ method: 'post', url: 'customers?$top=1', body: '{"name":"x"}', headers: { 'x-company': '7' } }, { site: 'SITE-1', company: 3 });
    assert.strictEqual(res.status, 200);
    const seen = api.seen[0];
    assert.strictEqual(seen.url, '/uk/sage200/accounts/v1/customers?$top=1');
    assert.strictEqual(seen.method, 'POST');
    assert.strictEqual(seen.headers.authorization, `Bearer ${TOKEN}`);
    assert.strictEqual(seen.headers['x-site'], 'SITE-1');
    assert.strictEqual(seen.headers['x-company'], '7', 'the request header wins over the active company');
    assert.strictEqual(seen.headers['content-type'], 'application/json');
    assert.strictEqual(seen.headers['ocp-apim-subscription-key'], SUBKEY);
    assert.strictEqual(seen.body, '{"name":"x"}');
    // The response model.
    assert.deepStrictEqual(res.json, { ok: true });
    assert.strictEqual(res.size, Buffer.byteLength('{"ok":true}'));
    assert.strictEqual(Buffer.from(res.body).toString(), '{"ok":true}');
    assert.strictEqual(res.headers['content-type'], 'application/json; charset=utf-8');
    assert.strictEqual(res.attempts, 1);
    // What it records as sent is redacted.
    assert.strictEqual(res.request.headers.Authorization, 'Bearer ***');
    assert.strictEqual(res.request.headers['Ocp-Apim-Subscription-Key'], '***');
    assert.ok(!JSON.stringify(res.request).includes(TOKEN));
  });

  it('an Authorization header in the request wins, and then a 401 is not "ours" to refresh', async () => {
    const api = await start((_req, res) => json(res, 401, { message: 'no' }));
    const t = tokens();
    const c = client({ baseUrl: api.url, tokens: t });
    const res = await c.send({ method: 'GET', url: '/x', headers: { Authorization: 'Basic dXNlcjpwYXNz' } });
    assert.strictEqual(api.seen[0].headers.authorization, 'Basic dXNlcjpwYXNz');
    assert.strictEqual(res.status, 401);
    assert.strictEqual(t.refreshes, 0);
  });

  describe('token guard', () => {
    it('never sends the token or subscription key to another origin, whatever the request says', async () => {
      const api = await start((_req, res) => json(res, 200, {}));
      const other = await start((_req, res) => json(res, 200, { ok: 1 }));
      const registry = new SecretRegistry();
      const warnings: string[] = [];
      const c = client({ baseUrl: `${api.url}/uk/sage200/accounts/v1`, tokens: tokens(), subscriptionKey: async () => SUBKEY, secrets: registry });
      // Prime the registry with the token the way a real session does (the API was called once).
      await c.send({ method: 'GET', url: '/sites' });
      const attempts: SendInput[] = [
        { method: 'GET', url: `${other.url}/steal` },
        { method: 'GET', url: `${other.url}/steal`, headers: { Authorization: `Bearer ${TOKEN}` } },
        { method: 'GET', url: `${other.url}/steal`, headers: { 'Ocp-Apim-Subscription-Key': SUBKEY } },
        { method: 'POST', url: `${other.url}/steal`, headers: { 'X-Forward': `token=${TOKEN}` }, body: '{}' },
        // Same host, other port: a different origin.
        { method: 'GET', url: `http://localhost:${other.port}/steal` },
      ];
      for (const a of attempts) {
        const res = await c.send(a, { onWarning: (m) => warnings.push(m) });
        assert.strictEqual(res.status, 200);
        assert.ok(res.warnings && res.warnings.length > 0, 'the response carries the warning');
      }
      assert.strictEqual(other.seen.length, attempts.length);
      assert.ok(!everything(other).includes(TOKEN), 'token reached another host');
      assert.ok(!everything(other).includes(SUBKEY), 'subscription key reached another host');
      assert.strictEqual(warnings.length, attempts.length);
      assert.match(warnings[0], /not this connection's API .*sent without the Sage 200 credentials/);
    });

    it('a redirect from the API to another host drops the credentials; one that stays on the API keeps them', async () => {
      const other = await start((_req, res) => json(res, 200, { landed: true }));
      const api = await start((req, res) => {
        if (req.url === '/away') res.writeHead(302, { Location: `${other.url}/landing` }).end();
        else if (req.url === '/away307') res.writeHead(307, { Location: `${other.url}/landing307` }).end();
        else if (req.url === '/here') res.writeHead(301, { Location: '/there' }).end();
        else json(res, 200, { there: true });
      });
      const c = client({ baseUrl: api.url, tokens: tokens(), subscriptionKey: async () => SUBKEY });
      const warnings: string[] = [];
      const r1 = await c.send({ method: 'GET', url: '/away' }, { onWarning: (m) => warnings.push(m) });
      assert.deepStrictEqual(r1.json, { landed: true });
      const r2 = await c.send({ method: 'PUT', url: '/away307', body: '{"a":1}' }, { onWarning: (m) => warnings.push(m) });
      assert.deepStrictEqual(r2.json, { landed: true });
      assert.strictEqual(other.seen[1].method, 'PUT', '307 keeps the method');
      assert.ok(!everything(other).includes(TOKEN) && !everything(other).includes(SUBKEY));
      assert.strictEqual(other.seen[0].headers.authorization, undefined);
      assert.strictEqual(warnings.length, 2);
      assert.match(warnings[0], /Redirected to http:\/\/127\.0\.0\.1:\d+, which is not this connection's API/);
      const r3 = await c.send({ method: 'GET', url: '/here' });
      assert.deepStrictEqual(r3.json, { there: true });
      assert.strictEqual(api.seen.at(-1)?.headers.authorization, `Bearer ${TOKEN}`);
    });

    it('a redirect chain that leaves and comes back does not regain the credentials', async () => {
      let apiUrl = '';
      const other = await start((_req, res) => res.writeHead(302, { Location: `${apiUrl}/back` }).end());
      const api = await start((req, res) => {
        if (req.url === '/start') res.writeHead(302, { Location: `${other.url}/bounce` }).end();
        else json(res, 200, { back: true });
      });
      apiUrl = api.url;
      const c = client({ baseUrl: api.url, tokens: tokens() });
      const res = await c.send({ method: 'GET', url: '/start' });
      assert.deepStrictEqual(res.json, { back: true });
      assert.strictEqual(api.seen[1].headers.authorization, undefined);
      assert.ok(!everything(other).includes(TOKEN));
    });
  });

  it('on 401 refreshes once and retries once', async () => {
    const api = await start((req, res) => (req.headers.authorization === 'Bearer new-token-abcdef' ? json(res, 200, { ok: 1 }) : json(res, 401, { message: 'expired' })));
    const t = tokens(['old-token-abcdef', 'new-token-abcdef']);
    const c = client({ baseUrl: api.url, tokens: t });
    const res = await c.send({ method: 'GET', url: '/a' });
    assert.strictEqual(res.status, 200);
    assert.strictEqual(res.attempts, 2);
    assert.strictEqual(t.refreshes, 1);
    // A token that is still refused after the refresh: no second refresh, the 401 comes back.
    const api2 = await start((_req, res) => json(res, 401, { message: 'Authorization has been denied for this request.' }));
    const t2 = tokens(['a-token-abcdef', 'b-token-abcdef', 'c-token-abcdef']);
    const res2 = await client({ baseUrl: api2.url, tokens: t2 }).send({ method: 'GET', url: '/a' });
    assert.strictEqual(res2.status, 401);
    assert.strictEqual(res2.attempts, 2);
    assert.strictEqual(t2.refreshes, 1);
    assert.strictEqual(api2.seen.length, 2);
  });

  it('honours Retry-After on 429 and 503 for idempotent verbs, with bounded tries', async () => {
    let n = 0;
    const api = await start((_req, res) => {
      n++;
      if (n === 1) json(res, 429, { message: 'slow down' }, { 'Retry-After': '1' });
      else if (n === 2) json(res, 503, { message: 'busy' });
      else json(res, 200, [1]);
    });
    const waits: number[] = [];
    const c = client({ baseUrl: api.url, sleep: async (ms) => void waits.push(ms), retry: { baseDelayMs: 100 } });
    const res = await c.send({ method: 'GET', url: '/c' });
    assert.strictEqual(res.status, 200);
    assert.strictEqual(res.attempts, 3);
    assert.strictEqual(waits[0], 1000, 'Retry-After: 1 means one second');
    assert.ok(waits[1] >= 160 && waits[1] <= 240, `second wait is backoff 100*2 with jitter, got ${waits[1]}`);

    // Always 429: stops after maxAttempts and returns the last answer.
    const busy = await start((_req, res) => json(res, 429, { message: 'no' }, { 'Retry-After': '0' }));
    const r2 = await client({ baseUrl: busy.url, retry: { maxAttempts: 3 } }).send({ method: 'GET', url: '/' });
    assert.strictEqual(r2.status, 429);
    assert.strictEqual(busy.seen.length, 3);

    // POST is not idempotent: never retried.
    const r3 = await client({ baseUrl: busy.url }).send({ method: 'POST', url: '/', body: '{}' });
    assert.strictEqual(r3.status, 429);
    assert.strictEqual(busy.seen.length, 4);

    // A Retry-After beyond the limit is not waited for.
    const far = await start((_req, res) => json(res, 503, {}, { 'Retry-After': '3600' }));
    const r4 = await client({ baseUrl: far.url, retry: { maxDelayMs: 5000 } }).send({ method: 'GET', url: '/' });
    assert.strictEqual(r4.status, 503);
    assert.strictEqual(far.seen.length, 1);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    assert.strictEqual(parseRetryAfter('3'), 3000);
    assert.strictEqual(parseRetryAfter(new Date(10_000 + 5000).toUTCString(), 10_000), 5000);
    assert.strictEqual(parseRetryAfter('soon'), undefined);
  });

  it('times out with a clear error, and cancels through an AbortSignal', async () => {
    const api = await start(() => undefined); // never answers
    const c = client({ baseUrl: api.url, timeoutMs: 200 });
    await assert.rejects(c.send({ method: 'GET', url: '/slow' }), (e: unknown) => {
      assert.ok(e instanceof NetworkError);
      assert.strictEqual(e.kind, 'timeout');
      assert.match(e.message, /GET http:\/\/127\.0\.0\.1:\d+: no answer within 0 s|no answer within/);
      return true;
    });
    const ac = new AbortController();
    const p = client({ baseUrl: api.url, timeoutMs: 10_000 }).send({ method: 'GET', url: '/slow' }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(p, (e: unknown) => e instanceof NetworkError && e.kind === 'cancelled' && /cancelled/.test(e.message));
  });

  it('reports a refused connection and a connection dropped mid-body as network errors', async () => {
    const api = await start((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('[{"id":1},');
      setTimeout(() => res.destroy(), 20);
    });
    await assert.rejects(client({ baseUrl: api.url }).send({ method: 'GET', url: '/' }), (e: unknown) => e instanceof NetworkError && e.kind === 'reset');
    const port = api.port;
    await api.close();
    servers.splice(servers.indexOf(api), 1);
    await assert.rejects(client({ baseUrl: `http://127.0.0.1:${port}` }).send({ method: 'GET', url: '/' }), (e: unknown) => {
      assert.ok(e instanceof NetworkError && e.kind === 'refused', String(e));
      assert.match(e.message, /connection was refused/);
      return true;
    });
  });

  it('measures connect and first byte on a new connection, and none on a reused one', async () => {
    const api = await start((_req, res) => setTimeout(() => json(res, 200, { ok: 1 }), 30));
    const c = client({ baseUrl: api.url });
    const r1 = await c.send({ method: 'GET', url: '/' });
    assert.ok(r1.timing.connectMs !== undefined && r1.timing.connectMs >= 0);
    assert.ok(r1.timing.firstByteMs !== undefined && r1.timing.firstByteMs >= 25, `first byte after the 30 ms delay, got ${r1.timing.firstByteMs}`);
    assert.ok(r1.timing.totalMs >= r1.timing.firstByteMs);
    assert.strictEqual(r1.timing.tlsMs, undefined, 'plain http has no TLS phase');
    const r2 = await c.send({ method: 'GET', url: '/' });
    assert.strictEqual(r2.timing.connectMs, undefined, 'keep-alive reuses the socket');
    assert.strictEqual(r2.timing.tunnelMs, undefined, 'a reused socket is no tunnel');
    // DNS is measured when there is a name to resolve.
    const r3 = await client({ baseUrl: `http://localhost:${api.port}` }).send({ method: 'GET', url: '/' });
    assert.ok(r3.timing.dnsMs !== undefined && r3.timing.connectMs !== undefined && r3.timing.dnsMs <= r3.timing.connectMs, JSON.stringify(r3.timing));
  });

  it('keeps a non-JSON body as bytes without json', async () => {
    const api = await start((_req, res) => res.writeHead(500, { 'Content-Type': 'text/html' }).end('<h1>oops</h1>'));
    const res = await client({ baseUrl: api.url }).send({ method: 'GET', url: '/' });
    assert.strictEqual(res.status, 500);
    assert.strictEqual(res.json, undefined);
    assert.strictEqual(Buffer.from(res.body).toString(), '<h1>oops</h1>');
  });
});
