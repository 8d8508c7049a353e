/**
 * The token guard on redirects, for the extension's client and for `sage200 send`, which now sends
 * through that client. Loopback gets several host names from a DNS stand-in, so that "another host
 * name" and "a parent domain" are real origins served by real HTTP servers on 127.0.0.1.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import type { LookupFunction } from 'net';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { AgentPair, Sage200Client, SecretRegistry, createTimingAgents } from '../../../src/core/http';
import { main } from '../../../src/cli';
import { startServer, json, TestServer } from './servers';

const TOKEN = 'tok-0123456789abcdef-SECRET';
const SUB_KEY = 'subkey-9f8e7d6c5b4a';
const DOTENV_SECRET = 'dotenv-pw-4242';
const SECRETS = [TOKEN, SUB_KEY, DOTENV_SECRET];

/** Every *.test name and localhost is 127.0.0.1. */
const lookup = ((hostname: string, options: { all?: boolean } | undefined, callback: (...a: unknown[]) => void) => {
  const cb = typeof options === 'function' ? (options as (...a: unknown[]) => void) : callback;
  if (!/(^|\.)test$|^localhost$/.test(hostname)) return cb(Object.assign(new Error(`no such host ${hostname}`), { code: 'ENOTFOUND' }));
  if (typeof options === 'object' && options?.all) return cb(null, [{ address: '127.0.0.1', family: 4 }]);
  return cb(null, '127.0.0.1', 4);
}) as unknown as LookupFunction;

interface Hop {
  readonly status: number;
  /** Index into `origins`. */
  readonly to: number;
}

describe('redirects never carry credentials away from the API origin', function () {
  this.timeout(120_000);
  let a: TestServer;
  let b: TestServer;
  let agents: AgentPair;
  let origins: string[];
  let api: string;
  const chains = new Map<string, readonly Hop[]>();

  before(async () => {
    // Paths: /v1/c/<chain id>/<hop>. Both servers follow the same chains.
    const handler = (req: { url?: string }, res: import('http').ServerResponse) => {
      const m = /^\/v1\/c\/([\w-]+)\/(\d+)/.exec(req.url ?? '');
      const chain = m ? chains.get(m[1]) : undefined;
      const hop = m ? Number(m[2]) : 0;
      const next = chain?.[hop];
      if (m && next) {
        res.writeHead(next.status, { Location: `${origins[next.to]}/v1/c/${m[1]}/${hop + 1}` }).end();
        return;
      }
      json(res, 200, { ok: true });
    };
    a = await startServer(handler);
    b = await startServer(handler);
    api = `http://api.sage.test:${a.port}`;
    origins = [
      api, // the connection's API
      `http://api.sage.test:${b.port}`, // another port
      `http://127.0.0.1:${a.port}`, // another host name for the same server
      `http://localhost:${a.port}`, // and another
      `http://sage.test:${a.port}`, // a parent domain
      `http://other.sage.test:${b.port}`, // a sibling
    ];
    agents = createTimingAgents({ lookup });
  });
  after(async () => {
    agents.destroy();
    await a.close();
    await b.close();
  });

  /** Requests of a chain that arrived anywhere but the API origin, with any secret they carried. */
  function leaks(chainId: string): string[] {
    const out: string[] = [];
    for (const s of [...a.seen, ...b.seen]) {
      if (!s.url.startsWith(`/v1/c/${chainId}/`)) continue;
      const origin = `http://${String(s.headers.host)}`;
      if (origin === api) continue;
      const text = JSON.stringify(s.headers) + s.url + s.body;
      for (const secret of SECRETS) if (text.includes(secret)) out.push(`${origin}${s.url} got ${secret === TOKEN ? 'the token' : secret === SUB_KEY ? 'the subscription key' : 'a $dotenv secret'}`);
    }
    return out;
  }

  function arrivedAt(chainId: string, hop: number): string | undefined {
    const s = [...a.seen, ...b.seen].find((x) => x.url === `/v1/c/${chainId}/${hop}`);
    return s ? `http://${String(s.headers.host)}` : undefined;
  }

  function client(): { client: Sage200Client; secrets: SecretRegistry } {
    const secrets = new SecretRegistry();
    secrets.add(DOTENV_SECRET);
    return {
      secrets,
      client: new Sage200Client({
        baseUrl: `${api}/v1`,
        tokens: { getAccessToken: async () => TOKEN, refreshAfterUnauthorized: async () => undefined },
        subscriptionKey: async () => SUB_KEY,
        secrets,
        agents,
        retry: { maxAttempts: 1 },
      }),
    };
  }

  const STATUSES = [301, 302, 303, 307, 308];
  const TARGETS: [string, number][] = [['another port', 1], ['another host name (127.0.0.1)', 2], ['another host name (localhost)', 3], ['a parent domain', 4]];

  it('the client: 301/302/303/307/308 to another port, host name or parent domain send no credential', async () => {
    const { client: c } = client();
    for (const status of STATUSES) {
      for (const [what, to] of TARGETS) {
        const id = `client-${status}-${to}`;
        chains.set(id, [{ status, to }]);
        const res = await c.send({ method: 'PUT', url: `/c/${id}/0`, headers: { 'X-Auth-Token': DOTENV_SECRET }, body: '{"code":"A"}' });
        assert.strictEqual(res.status, 200, `${status} to ${what}`);
        assert.strictEqual(arrivedAt(id, 1), origins[to], `${status} to ${what} was followed`);
        assert.deepStrictEqual(leaks(id), [], `${status} to ${what}`);
        const landed = [...a.seen, ...b.seen].find((x) => x.url === `/v1/c/${id}/1`);
        assert.deepStrictEqual([landed?.headers.authorization, landed?.headers['ocp-apim-subscription-key'], landed?.headers['x-auth-token']], [undefined, undefined, undefined]);
        const first = a.seen.find((s) => s.url === `/v1/c/${id}/0`);
        assert.strictEqual(first?.headers.authorization, `Bearer ${TOKEN}`, 'the API itself gets the token');
      }
    }
  });

  it('sage200 send: the same redirects send neither the token nor a subscription key from the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-redirect-'));
    process.env.SAGE200_REDIRECT_TEST_TOKEN = TOKEN;
    try {
      fs.writeFileSync(path.join(dir, '.env'), `SUB_KEY=${SUB_KEY}\n`);
      const requests: string[] = [];
      for (const status of STATUSES) {
        for (const [, to] of TARGETS) {
          const id = `cli-${status}-${to}`;
          chains.set(id, [{ status, to }]);
          requests.push(`### ${id}`, `# @name ${id}`, `PUT /c/${id}/0`, 'Ocp-Apim-Subscription-Key: {{$dotenv SUB_KEY}}', 'Content-Type: application/json', '', '{ "code": "A" }', '');
        }
      }
      const file = path.join(dir, 'redirects.sage200');
      fs.writeFileSync(file, requests.join('\n'));
      for (const status of STATUSES) {
        for (const [what, to] of TARGETS) {
          const id = `cli-${status}-${to}`;
          let stdout = '';
          let stderr = '';
          const code = await main(['send', file, '--name', id, '--base-url', `${api}/v1`, '--token-env', 'SAGE200_REDIRECT_TEST_TOKEN'], {
            stdout: (s) => (stdout += s),
            stderr: (s) => (stderr += s),
          }, { agents });
          assert.strictEqual(code, 0, `${status} to ${what}: ${stderr}`);
          assert.strictEqual(arrivedAt(id, 1), origins[to], `${status} to ${what} was followed`);
          assert.deepStrictEqual(leaks(id), [], `${status} to ${what}`);
          assert.match(stderr, /followed without the Sage 200 credentials/);
          for (const secret of SECRETS) assert.ok(!stdout.includes(secret) && !stderr.includes(secret));
        }
      }
    } finally {
      delete process.env.SAGE200_REDIRECT_TEST_TOKEN;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sage200 send with plain DNS: a 302 from 127.0.0.1 to another port gets no token', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-redirect-'));
    process.env.SAGE200_REDIRECT_TEST_TOKEN = TOKEN;
    const saved = origins[1];
    try {
      origins[1] = `http://127.0.0.1:${b.port}`;
      chains.set('cli-port', [{ status: 302, to: 1 }]);
      const file = path.join(dir, 'port.sage200');
      fs.writeFileSync(file, '### port\n# @name port\nGET /c/cli-port/0\nX-Api-Key: {{$dotenv KEY}}\nX-Partner: {{$dotenv PARTNER}}\n');
      fs.writeFileSync(path.join(dir, '.env'), `KEY=${SUB_KEY}\nPARTNER=${DOTENV_SECRET}\n`);
      const code = await main(['send', file, '--name', 'port', '--base-url', `http://127.0.0.1:${a.port}/v1`, '--token-env', 'SAGE200_REDIRECT_TEST_TOKEN'], { stdout: () => undefined, stderr: () => undefined });
      assert.strictEqual(code, 0);
      const landed = b.seen.find((s) => s.url === '/v1/c/cli-port/1');
      assert.ok(landed, 'the redirect was followed');
      assert.strictEqual(landed.headers.authorization, undefined, 'no token on another port');
      assert.strictEqual(landed.headers['x-api-key'], undefined, 'no key from the file either');
      assert.strictEqual(landed.headers['x-partner'], undefined, 'a $dotenv value is a secret, whatever the header is called');
      const first = a.seen.find((s) => s.url === '/v1/c/cli-port/0');
      assert.strictEqual(first?.headers['x-partner'], DOTENV_SECRET, 'the API itself gets it');
    } finally {
      origins[1] = saved;
      delete process.env.SAGE200_REDIRECT_TEST_TOKEN;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('property: for random requests and redirect chains, no secret reaches an origin other than the API', async () => {
    const { client: c } = client();
    let run = 0;
    const header = fc.record({
      name: fc.constantFrom('X-Auth-Token', 'X-Api-Key', 'X-Note', 'Authorization', 'x-partner-secret', 'X-Custom'),
      value: fc.constantFrom('plain', DOTENV_SECRET, `Bearer ${DOTENV_SECRET}`, `x ${DOTENV_SECRET} y`),
    });
    const scenario = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
      start: fc.nat({ max: 5 }),
      chain: fc.array(fc.record({ status: fc.constantFrom(...STATUSES), to: fc.nat({ max: 5 }) }), { maxLength: 5 }),
      headers: fc.array(header, { maxLength: 3 }),
      body: fc.option(fc.constantFrom('{"code":"A"}', `{"password":"${DOTENV_SECRET}"}`, `{"note":"${DOTENV_SECRET}"}`), { nil: undefined }),
      secretInQuery: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const id = `prop-${run++}`;
        chains.set(id, s.chain);
        const toApi = s.start === 0;
        // What the user writes for a URL of their own choosing is theirs to send there: secrets in
        // the body or the query only go to the API in these scenarios; headers may hold them anywhere.
        const body = s.method === 'GET' || (!toApi && s.body?.includes(DOTENV_SECRET)) ? undefined : s.body;
        const query = toApi && s.secretInQuery ? `?pin=${DOTENV_SECRET}` : '';
        const url = toApi ? `/c/${id}/0${query}` : `${origins[s.start]}/v1/c/${id}/0`;
        const headers = Object.fromEntries(s.headers.map((h) => [h.name, h.value]));
        const res = await c.send({ method: s.method, url, headers, ...(body !== undefined ? { body } : {}) });
        assert.ok(res.status === 200 || (res.status >= 300 && res.status < 400), `status ${res.status}`);
        assert.deepStrictEqual(leaks(id), [], JSON.stringify(s));
      }),
      { numRuns: 150 },
    );
  });
});
