/**
 * Real networks: the CLI through a real proxy (Debian's tinyproxy, started here on a free loopback
 * port) to the sandbox served over TLS on 127.0.0.2 with a certificate from a test authority, as
 * behind a corporate proxy that inspects TLS. The proxy's own log proves the traffic went through it.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../src/cli';
import { bypassesProxy, proxyFromEnvironment } from '../../../src/core/http/proxy';
import { startSandbox } from '../../../src/core/sandbox';
import type { RunningSandbox } from '../../../src/core/sandbox';
import { createTestAuthority } from '../../../src/core/sandbox/tls';
import { parseArgs as parseSandboxArgs } from '../../../src/core/sandbox/cli';
import { freePort } from '../../e2e/processes';
import { startTinyproxy, type Proxy } from './tinyproxy';

async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  let stdout = '';
  let stderr = '';
  try {
    const code = await main(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } });
    return { code, stdout, stderr };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const NO_PROXY_ENV = { HTTPS_PROXY: undefined, https_proxy: undefined, HTTP_PROXY: undefined, http_proxy: undefined, ALL_PROXY: undefined, all_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined, NODE_EXTRA_CA_CERTS: undefined };

describe('the CLI behind a real proxy (tinyproxy) to the sandbox over TLS on 127.0.0.2', function () {
  this.timeout(120000);
  let dir: string;
  let sandbox: RunningSandbox;
  let caFile: string;
  let proxy: Proxy;
  let file: string;
  let token: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-proxy-'));
    fs.chmodSync(dir, 0o777); // tinyproxy may run as another user
    const authority = createTestAuthority('127.0.0.2');
    caFile = path.join(dir, 'ca.pem');
    fs.writeFileSync(caFile, authority.caPem);
    sandbox = await startSandbox({ port: 0, host: '127.0.0.2', tls: { cert: authority.cert, key: authority.key } });
    proxy = await startTinyproxy(dir, 'proxy', sandbox.port);
    token = sandbox.mintToken().access_token;
    file = path.join(dir, 'requests.sage200');
    fs.writeFileSync(file, '### Sites\n# @name sites\nGET /sites\n');
  });
  after(async () => {
    await proxy?.stop();
    await sandbox?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const send = (...extra: string[]) => ['send', file, '--name', 'sites', '--base-url', sandbox.professionalBaseUrl, '--token-env', 'S_TOKEN', ...extra];

  it('serves the sandbox over HTTPS on the address it was given', () => {
    assert.match(sandbox.professionalBaseUrl, /^https:\/\/127\.0\.0\.2:\d+\//);
  });

  it('sends through --proxy with --ca, and the proxy logs the CONNECT', async () => {
    const r = await cli(send('--proxy', proxy.url, '--ca', caFile), { ...NO_PROXY_ENV, S_TOKEN: token });
    assert.strictEqual(r.code, 0, r.stderr);
    assert.ok((JSON.parse(r.stdout) as unknown[]).length > 0);
    assert.match(proxy.log(), new RegExp(`CONNECT 127\\.0\\.0\\.2:${sandbox.port}`));
  });

  it('reads HTTPS_PROXY and NODE_EXTRA_CA_CERTS from the environment, and NO_PROXY sends directly', async () => {
    const before = (proxy.log().match(/CONNECT 127\.0\.0\.2/g) ?? []).length;
    const viaEnv = await cli(send(), { ...NO_PROXY_ENV, S_TOKEN: token, HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: caFile });
    assert.strictEqual(viaEnv.code, 0, viaEnv.stderr);
    const after = (proxy.log().match(/CONNECT 127\.0\.0\.2/g) ?? []).length;
    assert.strictEqual(after, before + 1, 'HTTPS_PROXY was not used');
    const direct = await cli(send('--ca', caFile), { ...NO_PROXY_ENV, S_TOKEN: token, HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.2' });
    assert.strictEqual(direct.code, 0, direct.stderr);
    assert.strictEqual((proxy.log().match(/CONNECT 127\.0\.0\.2/g) ?? []).length, after, 'NO_PROXY was not honoured');
  });

  it('says what to do when the authority is unknown, and --insecure works only with a loud warning', async () => {
    const unknown = await cli(send('--proxy', proxy.url), { ...NO_PROXY_ENV, S_TOKEN: token });
    assert.strictEqual(unknown.code, 3);
    assert.match(unknown.stderr, /certificate is from an authority this machine does not trust.*--ca FILE or NODE_EXTRA_CA_CERTS/);
    const insecure = await cli(send('--proxy', proxy.url, '--insecure'), { ...NO_PROXY_ENV, S_TOKEN: token });
    assert.strictEqual(insecure.code, 0, insecure.stderr);
    assert.match(insecure.stderr, /^WARNING: --insecure: server certificates are not checked/);
    assert.ok(!insecure.stderr.includes(token) && !unknown.stderr.includes(token));
  });

  it('explains a proxy that asks for authentication (407), and works with the user and password in the URL', async () => {
    const guarded = await startTinyproxy(dir, 'guarded', sandbox.port, { user: 'alice', password: 'proxy-pass-1234' });
    try {
      const refused = await cli(send('--proxy', guarded.url, '--ca', caFile), { ...NO_PROXY_ENV, S_TOKEN: token });
      assert.strictEqual(refused.code, 3, refused.stdout);
      assert.match(refused.stderr, /asks for authentication \(407\).*user and password in the proxy URL/);
      const withAuth = guarded.url.replace('http://', 'http://alice:proxy-pass-1234@');
      const ok = await cli(send('--proxy', withAuth, '--ca', caFile), { ...NO_PROXY_ENV, S_TOKEN: token });
      assert.strictEqual(ok.code, 0, ok.stderr);
      assert.ok(!ok.stderr.includes('proxy-pass-1234') && !refused.stderr.includes('proxy-pass-1234'), 'the proxy password is never printed');
    } finally {
      await guarded.stop();
    }
  });

  it('names the proxy when it cannot be reached, and the host when the proxy cannot reach it', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const down = await cli(send('--proxy', closed, '--ca', caFile), { ...NO_PROXY_ENV, S_TOKEN: token });
    assert.strictEqual(down.code, 3);
    assert.match(down.stderr, /the proxy http:\/\/127\.0\.0\.1:\d+ could not be reached \(connection refused\)/);
    const unknownHost = await cli(['send', file, '--name', 'sites', '--base-url', `https://no-such-host.invalid:${sandbox.port}/api`, '--proxy', proxy.url], { ...NO_PROXY_ENV });
    assert.strictEqual(unknownHost.code, 3);
    assert.match(unknownHost.stderr, /the proxy http:\/\/127\.0\.0\.1:\d+ could not open a connection to no-such-host\.invalid/);
  });

  describe('sage200 test', () => {
    let suite: string;
    before(() => {
      suite = path.join(dir, 'suite.sage200');
      fs.writeFileSync(suite, '### Sites\nGET /sites\n?? status == 200\n?? count >= 1\n');
    });
    const test = (...extra: string[]) => ['test', suite, '--base-url', sandbox.professionalBaseUrl, '--token-env', 'S_TOKEN', ...extra];
    const connects = () => (proxy.log().match(new RegExp(`CONNECT 127\\.0\\.0\\.2:${sandbox.port}`, 'g')) ?? []).length;

    it('passes through --proxy with --ca, and the proxy logs the CONNECT', async () => {
      const before = connects();
      const r = await cli(test('--proxy', proxy.url, '--ca', caFile), { ...NO_PROXY_ENV, S_TOKEN: token });
      assert.strictEqual(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /✓ Sites[\s\S]*1 passed, 0 failed/);
      assert.strictEqual(connects(), before + 1, 'the proxy did not see the CONNECT');
    });

    it('reads HTTPS_PROXY and NODE_EXTRA_CA_CERTS from the environment', async () => {
      const before = connects();
      const r = await cli(test(), { ...NO_PROXY_ENV, S_TOKEN: token, HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: caFile });
      assert.strictEqual(r.code, 0, r.stdout + r.stderr);
      assert.strictEqual(connects(), before + 1, 'HTTPS_PROXY was not used');
    });

    it('without --ca, reports the unknown authority and what to do, exit 3', async () => {
      const r = await cli(test('--proxy', proxy.url), { ...NO_PROXY_ENV, S_TOKEN: token });
      assert.strictEqual(r.code, 3, r.stdout + r.stderr);
      assert.match(r.stdout, /✗ Sites: .*certificate is from an authority this machine does not trust.*--ca FILE or NODE_EXTRA_CA_CERTS/);
      assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token));
    });

    it('explains a proxy that asks for authentication (407), and passes with the user and password in the URL', async () => {
      const guarded = await startTinyproxy(dir, 'guarded-test', sandbox.port, { user: 'bob', password: 'proxy-pass-5678' });
      try {
        const refused = await cli(test('--proxy', guarded.url, '--ca', caFile), { ...NO_PROXY_ENV, S_TOKEN: token });
        assert.strictEqual(refused.code, 3, refused.stdout + refused.stderr);
        assert.match(refused.stdout, /✗ Sites: .*asks for authentication \(407\).*user and password in the proxy URL/);
        const ok = await cli(test('--proxy', guarded.url.replace('http://', 'http://bob:proxy-pass-5678@'), '--ca', caFile), { ...NO_PROXY_ENV, S_TOKEN: token });
        assert.strictEqual(ok.code, 0, ok.stdout + ok.stderr);
        assert.match(guarded.log(), new RegExp(`CONNECT 127\\.0\\.0\\.2:${sandbox.port}`));
        for (const r of [refused, ok]) assert.ok(!(r.stdout + r.stderr).includes('proxy-pass-5678'), 'the proxy password is never printed');
      } finally {
        await guarded.stop();
      }
    });
  });

  it('fails at once on a body cut off behind the proxy, instead of waiting for the time limit', async () => {
    sandbox.setFaults({ dropMidBody: { count: 1 } });
    try {
      const started = Date.now();
      const r = await cli(send('--proxy', proxy.url, '--ca', caFile, '--timeout', '30'), { ...NO_PROXY_ENV, S_TOKEN: token });
      assert.strictEqual(r.code, 3, r.stdout);
      assert.match(r.stderr, /closed before the answer was complete/);
      assert.ok(Date.now() - started < 10000, `took ${Date.now() - started} ms`);
    } finally {
      sandbox.setFaults({});
    }
  });
});

describe('sandbox --tls options', () => {
  it('takes a loopback --host, and --ca-out only with --tls', () => {
    assert.deepStrictEqual(parseSandboxArgs(['--host', '127.0.0.2', '--tls', '--ca-out', 'ca.pem']), { host: '127.0.0.2', tlsWanted: true, caOut: 'ca.pem' });
    assert.throws(() => parseSandboxArgs(['--ca-out', 'ca.pem']), /--ca-out needs --tls/);
    assert.throws(() => parseSandboxArgs(['--host', '10.0.0.1']), /loopback address/);
  });

  it('refuses to listen beyond loopback', async () => {
    await assert.rejects(startSandbox({ port: 0, host: '0.0.0.0' }), /loopback addresses only/);
  });
});

describe('proxy settings from the environment', () => {
  it('picks the variable for the target scheme, and NO_PROXY matches hosts, suffixes and ports', () => {
    const env = { HTTPS_PROXY: 'http://p:1', http_proxy: 'http://q:2', NO_PROXY: 'localhost, .corp.example,api.example.com:8443' };
    assert.deepStrictEqual(proxyFromEnvironment(env, new URL('https://a.example')), { proxy: 'http://p:1', noProxy: env.NO_PROXY });
    assert.strictEqual(proxyFromEnvironment(env, new URL('http://a.example')).proxy, 'http://q:2');
    assert.ok(bypassesProxy(new URL('http://localhost:3000'), env.NO_PROXY));
    assert.ok(bypassesProxy(new URL('https://x.corp.example'), env.NO_PROXY));
    assert.ok(bypassesProxy(new URL('https://corp.example'), env.NO_PROXY));
    assert.ok(!bypassesProxy(new URL('https://notcorp.example'), env.NO_PROXY));
    assert.ok(bypassesProxy(new URL('https://api.example.com:8443'), env.NO_PROXY));
    assert.ok(!bypassesProxy(new URL('https://api.example.com'), env.NO_PROXY));
    assert.ok(bypassesProxy(new URL('https://anything'), '*'));
    assert.ok(!bypassesProxy(new URL('https://anything'), undefined));
  });
});
