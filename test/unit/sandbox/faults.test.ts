import * as assert from 'assert';
import * as http from 'http';
import { open, Ctx, msg } from './helpers';
import { parseArgs } from '../../../src/core/sandbox/cli';
import { describeResponse } from '../../../src/core/explorer/errors';
import { Sage200Client } from '../../../src/core/http/client';
import { EMPTY_SITES_ADVICE } from '../../../src/core/http/sageMessage';

/** A raw GET that reports whether the body arrived whole (fetch hides some truncations in its errors). */
function rawGet(c: Ctx, path: string, timeoutMs = 5000): Promise<{ status?: number; complete: boolean; error?: string; bytes: number; declared?: number }> {
  return new Promise((resolve) => {
    const req = http.get(`${c.sb.standardBaseUrl}${path}`, { headers: { Authorization: `Bearer ${c.token}`, 'X-Site': c.site, 'X-Company': String(c.company) }, timeout: timeoutMs }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => { bytes += d.length; });
      res.on('end', () => resolve({ status: res.statusCode, complete: res.complete, bytes, declared: Number(res.headers['content-length']) }));
      res.on('error', (e) => resolve({ status: res.statusCode, complete: false, error: e.message, bytes, declared: Number(res.headers['content-length']) }));
      res.on('aborted', () => resolve({ status: res.statusCode, complete: false, error: 'aborted', bytes, declared: Number(res.headers['content-length']) }));
    });
    req.on('timeout', () => { req.destroy(); resolve({ complete: false, error: 'timeout', bytes: 0 }); });
    req.on('error', (e) => resolve({ complete: false, error: e.message, bytes: 0 }));
  });
}

describe('sandbox fault injection', function () {
  this.timeout(30000);
  let c: Ctx;
  beforeEach(async () => { c = await open({ scale: 0.05 }); });
  afterEach(async () => { await c.sb.close(); });

  it('adds latency to API answers', async () => {
    c.sb.setFaults({ latencyMs: 1000 });
    const t0 = Date.now();
    assert.strictEqual((await c.get('/customers?$top=1')).status, 200);
    assert.ok(Date.now() - t0 >= 990, `took ${Date.now() - t0} ms`);
    c.sb.setFaults({});
    const t1 = Date.now();
    await c.get('/customers?$top=1');
    assert.ok(Date.now() - t1 < 990, 'latency is off again');
  });

  it('answers 429 with Retry-After for the next N requests, then serves', async () => {
    c.sb.setFaults({ rateLimit: { count: 2, retryAfterSeconds: 3 } });
    for (let i = 0; i < 2; i++) {
      const r = await c.get('/customers?$top=1');
      assert.strictEqual(r.status, 429);
      assert.strictEqual(r.headers.get('retry-after'), '3');
      // The gateway's shape, not the application's (CompatibilityProfile.gatewayErrors).
      assert.deepStrictEqual(Object.keys(r.body as object), ['statusCode', 'message']);
      assert.match(msg(r.body), /Rate limit/);
    }
    assert.strictEqual((await c.get('/customers?$top=1')).status, 200);
  });

  it('gatewayTimeout: the next N API requests get 504 from the gateway, and the extension says what to do', async () => {
    c.sb.setFaults({ gatewayTimeout: { count: 1 } });
    const client = new Sage200Client({ baseUrl: c.sb.standardBaseUrl, tokens: { getAccessToken: async () => c.token, refreshAfterUnauthorized: async () => undefined } });
    try {
      const res = await client.send({ method: 'GET', url: '/customers?$top=1', headers: { 'X-Site': c.site, 'X-Company': String(c.company) } });
      assert.strictEqual(res.status, 504);
      assert.deepStrictEqual(Object.keys(res.json as object), ['statusCode', 'message']);
      const failure = describeResponse(res)!;
      assert.strictEqual(failure.kind, 'server');
      assert.match(failure.message, /did not answer in time \(504\).*tunnel.*try again/);
    } finally {
      client.dispose();
    }
    assert.strictEqual((await c.get('/customers?$top=1')).status, 200);
  });

  it('tunnelDown (from POST /__sandbox/faults): GET /sites is empty and the rest 504, until it is switched off', async () => {
    const set = await fetch(`${c.sb.url}/__sandbox/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tunnelDown: true }) });
    assert.strictEqual(set.status, 200);
    const sites = await c.get('/sites', { noCompany: true });
    assert.strictEqual(sites.status, 200);
    assert.deepStrictEqual(sites.body, []);
    for (let i = 0; i < 2; i++) assert.strictEqual((await c.get('/customers?$top=1')).status, 504);
    // The gateway still checks the token first.
    assert.strictEqual((await c.get('/customers?$top=1', { headers: { Authorization: 'Bearer nope' } })).status, 401);
    assert.match(EMPTY_SITES_ADVICE, /tunnel/);
    await fetch(`${c.sb.url}/__sandbox/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.strictEqual(((await c.get('/sites', { noCompany: true })).body as unknown[]).length, 3);
  });

  it('reads the new faults from --faults and refuses bad values', () => {
    assert.deepStrictEqual(parseArgs(['--faults', '{"gatewayTimeout":{"count":2},"tunnelDown":true,"refreshExpired":true}']).faults,
      { gatewayTimeout: { count: 2 }, tunnelDown: true, refreshExpired: true });
    assert.throws(() => parseArgs(['--faults', '{"tunnelDown":"yes"}']), /tunnelDown must be true or false/);
    assert.throws(() => c.sb.setFaults({ gatewayTimeout: { count: -1 } }), /gatewayTimeout.count/);
  });

  it('answers 500 and 503 (with Retry-After when set)', async () => {
    c.sb.setFaults({ serverError: { count: 1, status: 503, retryAfterSeconds: 2 } });
    let r = await c.get('/customers?$top=1');
    assert.strictEqual(r.status, 503);
    assert.strictEqual(r.headers.get('retry-after'), '2');
    c.sb.setFaults({ serverError: { count: 1, status: 500 } });
    r = await c.get('/sites');
    assert.strictEqual(r.status, 500);
    assert.strictEqual(r.headers.get('retry-after'), null);
    assert.strictEqual((await c.get('/sites')).status, 200);
  });

  it('drops the connection mid-body', async () => {
    c.sb.setFaults({ dropMidBody: { count: 1 } });
    const r = await rawGet(c, '/customers?$top=20');
    assert.strictEqual(r.status, 200);
    assert.strictEqual(r.complete, false, 'the body must be cut short');
    assert.ok(r.bytes > 0 && r.declared !== undefined && r.bytes < r.declared, `${r.bytes} of ${r.declared} bytes`);
    await assert.rejects(async () => {
      c.sb.setFaults({ dropMidBody: { count: 1 } });
      const res = await fetch(`${c.sb.standardBaseUrl}/customers?$top=20`, { headers: { Authorization: `Bearer ${c.token}`, 'X-Site': c.site, 'X-Company': String(c.company) } });
      await res.text();
    });
    assert.strictEqual((await c.get('/customers?$top=1')).status, 200);
  });

  it('never answers a hung request, keeps serving others, and still closes', async () => {
    c.sb.setFaults({ hang: { count: 1 } });
    const hung = rawGet(c, '/customers?$top=1', 600);
    await new Promise((r) => setTimeout(r, 100));
    assert.strictEqual((await c.get('/customers?$top=1')).status, 200, 'other requests are served meanwhile');
    const r = await hung;
    assert.strictEqual(r.error, 'timeout');
    c.sb.setFaults({ hang: { count: 1 } });
    const pending = rawGet(c, '/customers?$top=1', 20000);
    await new Promise((res) => setTimeout(res, 100));
    const t0 = Date.now();
    await c.sb.close();
    assert.ok(Date.now() - t0 < 3000, 'close() ends hung connections');
    assert.strictEqual((await pending).complete, false);
    c = await open({ scale: 0.05 }); // for afterEach
  });

  it('can be switched from another process through /__sandbox/faults, which checks its input', async () => {
    const post = (body: string) => fetch(`${c.sb.url}/__sandbox/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    assert.strictEqual((await post('{"rateLimit":{"count":1,"retryAfterSeconds":1}}')).status, 200);
    assert.strictEqual((await c.get('/customers?$top=1')).status, 429);
    for (const bad of ['not json', '[]', '{"rateLimit":{"count":-1,"retryAfterSeconds":1}}', '{"serverError":{"count":1,"status":404}}', '{"explode":true}']) {
      const r = await post(bad);
      assert.strictEqual(r.status, 400, bad);
    }
    assert.throws(() => c.sb.setFaults({ serverError: { count: 1, status: 404 as 500 } }));
    assert.strictEqual((await c.get('/customers?$top=1')).status, 200);
    const state = await (await fetch(`${c.sb.url}/__sandbox/faults`)).json() as { latencyMs: number };
    assert.strictEqual(state.latencyMs, 0);
  });

  it('leaves sign-in alone: faults apply to the API only', async () => {
    c.sb.setFaults({ serverError: { count: 5, status: 500 } });
    const r = await fetch(`${c.sb.url}/.well-known/openid-configuration`);
    assert.strictEqual(r.status, 200);
  });
});
