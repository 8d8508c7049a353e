/**
 * The extension's client under VS Code's own proxy support. VS Code (and code-server) patch
 * http/https.request in the extension host with @vscode/proxy-agent; under the default
 * `http.proxySupport: override`, a request to any host but localhost/127.0.0.1 gets VS Code's agent
 * instead of the caller's. This applies that same patch (the version code-server 4.100.3 ships)
 * in-process and sends to the sandbox over TLS on 127.0.0.2 through a real tinyproxy.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import type * as http from 'http';
import type * as tls from 'tls';
import * as os from 'os';
import * as path from 'path';
import { createHttpPatch, createProxyResolver, createTlsPatch, type ProxyAgentParams } from '@vscode/proxy-agent';
import { rootCertificates } from 'tls';
import { AgentPair, createTimingAgents, NetworkError, Sage200Client } from '../../../src/core/http';
import { startSandbox, type RunningSandbox } from '../../../src/core/sandbox';
import { createTestAuthority } from '../../../src/core/sandbox/tls';
import { startTinyproxy, type Proxy } from './tinyproxy';

type Patchable = { request: typeof http.request; get: typeof http.get };
type TlsPatchable = { connect: typeof tls.connect; createSecureContext: typeof tls.createSecureContext };

/** Applies VS Code's patch to the real http and https modules, as the extension host does. */
function applyVscodePatch(proxyUrl: string, ca: string): () => void {
  const quiet = () => undefined;
  const params: ProxyAgentParams = {
    resolveProxy: async () => `PROXY ${new URL(proxyUrl).host}`,
    getProxyURL: () => proxyUrl,
    getProxySupport: () => 'override',
    isAdditionalFetchSupportEnabled: () => false,
    addCertificatesV1: () => false,
    addCertificatesV2: () => true,
    // What http.systemCertificates gives VS Code: here, the test authority.
    loadAdditionalCertificates: async () => [ca],
    log: { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet },
    getLogLevel: () => 0 as never,
    proxyResolveTelemetry: quiet,
    isUseHostProxyEnabled: () => true,
    env: {},
  };
  const { resolveProxyWithRequest: resolve } = createProxyResolver(params);
  // The resolver schedules its telemetry ten minutes ahead on its first call; harmless in the
  // extension host, here that timer would keep mocha alive, so timers made during a call are unref'd.
  const resolveProxyWithRequest: typeof resolve = (...args) => {
    const real = global.setTimeout;
    global.setTimeout = ((fn: () => void, ms?: number) => real(fn, ms).unref()) as typeof global.setTimeout;
    try {
      resolve(...args);
    } finally {
      global.setTimeout = real;
    }
  };
  const saved: [Patchable, Patchable][] = [];
  // The modules themselves (an `import * as` namespace is read-only), as the extension host patches them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const mod of [require('http'), require('https')] as Patchable[]) {
    const originals = { ...mod };
    const patched = createHttpPatch(params, mod as never, resolveProxyWithRequest);
    saved.push([mod, originals]);
    mod.request = patched.request as never;
    mod.get = patched.get as never;
  }
  // http.systemCertificates: VS Code adds the system's authorities to every TLS connection.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tlsModule = require('tls') as TlsPatchable;
  const tlsOriginals = { ...tlsModule };
  const tlsPatched = createTlsPatch(params, tlsModule as never);
  tlsModule.connect = tlsPatched.connect;
  tlsModule.createSecureContext = tlsPatched.createSecureContext;
  return () => {
    for (const [mod, originals] of saved) {
      mod.request = originals.request;
      mod.get = originals.get;
    }
    tlsModule.connect = tlsOriginals.connect;
    tlsModule.createSecureContext = tlsOriginals.createSecureContext;
  };
}

describe("the extension's client under VS Code's proxy patch (override), through tinyproxy", function () {
  this.timeout(60000);
  let dir: string;
  let sandbox: RunningSandbox;
  let proxy: Proxy;
  let unpatch: () => void;
  let client: Sage200Client;
  let agents: AgentPair;
  let site: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-vscode-proxy-'));
    fs.chmodSync(dir, 0o777);
    // VS Code's tunnel checks an IP address host as "localhost" (it gives TLS no name for IPs), so the
    // certificate names that too. Sage's API is reached by name, where this does not arise.
    const authority = createTestAuthority('127.0.0.2', ['localhost']);
    sandbox = await startSandbox({ port: 0, host: '127.0.0.2', tls: { cert: authority.cert, key: authority.key } });
    proxy = await startTinyproxy(dir, 'proxy', sandbox.port);
    const token = sandbox.mintToken().access_token;
    unpatch = applyVscodePatch(proxy.url, authority.caPem);
    // The test authority is trusted through the client's agent (VS Code keeps an agent's `ca`);
    // what is under test here is what survives VS Code replacing that agent.
    agents = createTimingAgents({ ca: [...rootCertificates, authority.caPem] });
    client = new Sage200Client({
      agents,
      baseUrl: sandbox.professionalBaseUrl,
      tokens: { getAccessToken: async () => token, refreshAfterUnauthorized: async () => undefined },
      timeoutMs: 20000,
    });
    const sites = await client.send({ method: 'GET', url: '/sites' });
    site = (sites.json as { site_id: string }[])[0].site_id;
  });
  after(async () => {
    client?.dispose();
    agents?.destroy();
    unpatch?.();
    await proxy?.stop();
    await sandbox?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends through the proxy VS Code chose, and reports timings', async () => {
    const res = await client.send({ method: 'GET', url: '/customers?$top=3' }, { site, company: 1 });
    assert.strictEqual(res.status, 200);
    assert.strictEqual((res.json as unknown[]).length, 3);
    assert.match(proxy.log(), new RegExp(`CONNECT 127\\.0\\.0\\.2:${sandbox.port}`), 'the request did not go through the proxy');
    assert.ok(res.timing.totalMs > 0 && res.timing.firstByteMs !== undefined);
    // The tunnel is VS Code's: the timing claims no connection phases it could not see, and counts
    // the tunnel and the TLS handshake through it as phases of their own, not as the server's wait.
    assert.deepStrictEqual([res.timing.dnsMs, res.timing.connectMs], [undefined, undefined]);
    const { tunnelMs, tlsMs, firstByteMs } = res.timing;
    assert.ok(tunnelMs !== undefined && tlsMs !== undefined && firstByteMs !== undefined, JSON.stringify(res.timing));
    assert.ok(tunnelMs > 0 && tunnelMs <= tlsMs && tlsMs <= firstByteMs, JSON.stringify(res.timing));
  });

  it('fails at once on a body cut off behind the proxy, instead of waiting for the time limit', async () => {
    sandbox.setFaults({ dropMidBody: { count: 1 } });
    try {
      const started = Date.now();
      await assert.rejects(client.send({ method: 'GET', url: '/customers?$top=50' }, { site, company: 1 }), (e: unknown) => {
        assert.ok(e instanceof NetworkError, String(e));
        assert.strictEqual(e.kind, 'reset', e.message);
        return true;
      });
      assert.ok(Date.now() - started < 10000, `took ${Date.now() - started} ms: the cut-off was not noticed`);
    } finally {
      sandbox.setFaults({});
    }
  });
});
