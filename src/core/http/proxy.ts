/**
 * Requests through a proxy, for the CLI: the proxy from `--proxy` or the conventional environment
 * variables, NO_PROXY exceptions, and extra certificate authorities for a network that inspects TLS.
 * (In VS Code the editor's own proxy support does this; see docs/networks.md.)
 */
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as tls from 'tls';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { AgentOptions, AgentPair, agentSettings, createTimingAgents, recordProxyConnect } from './timingAgent';

export interface NetworkSettings {
  /** `http://[user:password@]host:port`; undefined sends directly. */
  readonly proxy?: string;
  /** NO_PROXY syntax: comma-separated hosts, `.domain` suffixes, `host:port`, or `*`. */
  readonly noProxy?: string;
  /** PEM files of authorities to trust beside the system's (an intercepting proxy's CA). */
  readonly caFiles?: readonly string[];
  readonly insecure?: boolean;
}

/** The proxy the environment names for a target, as curl and most tools read it. */
export function proxyFromEnvironment(env: NodeJS.ProcessEnv, target: URL): { proxy?: string; noProxy?: string } {
  const pick = (...names: string[]) => names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
  const proxy = target.protocol === 'https:' ? pick('HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy') : pick('HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy');
  const noProxy = pick('NO_PROXY', 'no_proxy');
  return { ...(proxy ? { proxy } : {}), ...(noProxy ? { noProxy } : {}) };
}

/** True when NO_PROXY says that `target` goes directly. */
export function bypassesProxy(target: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const m = /^(.*?)(?::(\d+))?$/.exec(entry)!;
    const name = m[1].replace(/^\*?\./, '.');
    if (m[2] && m[2] !== port) continue;
    if (name.startsWith('.') ? host.endsWith(name) || host === name.slice(1) : host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** Node's default authorities, NODE_EXTRA_CA_CERTS, and the given files: giving `ca` replaces the default list. */
export function trustedAuthorities(caFiles: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const files = [...(env.NODE_EXTRA_CA_CERTS ? [env.NODE_EXTRA_CA_CERTS] : []), ...caFiles];
  const extra = files.map((f) => {
    const text = fs.readFileSync(f, 'utf8');
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`${f} holds no PEM certificate.`);
    return text;
  });
  return [...tls.rootCertificates, ...extra];
}

/**
 * https-proxy-agent applies its options to the connection to the proxy; the TLS settings for the
 * server at the end of the tunnel come from the request, so they are added to each request here.
 */
class TunnelAgent extends HttpsProxyAgent<string> {
  private readonly serverTls: tls.ConnectionOptions;

  constructor(proxy: URL, settings: https.AgentOptions) {
    super(proxy, settings);
    this.serverTls = {
      ...(settings.ca ? { ca: settings.ca } : {}),
      ...(settings.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
    };
  }

  override connect(req: http.ClientRequest, opts: Parameters<HttpsProxyAgent<string>['connect']>[1]): ReturnType<HttpsProxyAgent<string>['connect']> {
    // The tunnel's TLS has no host to check an IP address against (only names become a
    // servername), so the server's identity is checked against the host the request was for.
    const target = opts.host;
    req.once('proxyConnect', (connect: { statusCode?: number }) => recordProxyConnect(connect.statusCode));
    const serverTls: tls.ConnectionOptions = {
      ...this.serverTls,
      checkServerIdentity: (host, cert) => tls.checkServerIdentity(target ?? host, cert),
    };
    return super.connect(req, { ...opts, ...serverTls } as typeof opts);
  }
}

/**
 * Agents that send through the proxy unless NO_PROXY exempts the target. HTTPS targets go through a
 * CONNECT tunnel; plain-HTTP targets as absolute-form requests, since proxies allow CONNECT only to
 * port 443 by default. The client's phase recorder sees their requests like any other (see
 * timingAgent.ts), so a body cut off behind the proxy still fails at once.
 */
export function createNetworkAgents(settings: NetworkSettings, options: AgentOptions = {}): AgentPair {
  const extra = settings.caFiles?.length || process.env.NODE_EXTRA_CA_CERTS;
  const ca = extra ? trustedAuthorities(settings.caFiles ?? []) : undefined;
  const shared: AgentOptions = { ...options, ...(ca ? { ca } : {}), ...(settings.insecure ? { insecure: true } : {}) };
  const direct = createTimingAgents(shared);
  if (!settings.proxy) return direct;
  let proxy: URL;
  try {
    proxy = new URL(settings.proxy);
  } catch {
    throw new Error(`The proxy "${settings.proxy}" is not a URL such as http://proxy.example.com:8080.`);
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') throw new Error(`The proxy must be an http:// or https:// URL, not ${proxy.protocol}.`);
  const tunnel = new TunnelAgent(proxy, agentSettings(shared));
  const forward = new HttpProxyAgent(proxy, agentSettings(shared));
  const viaProxy = (url: URL) => !bypassesProxy(url, settings.noProxy);
  return {
    http: forward as http.Agent,
    https: tunnel as unknown as https.Agent,
    pick: (url) => (!viaProxy(url) ? direct.pick(url) : url.protocol === 'https:' ? tunnel : forward),
    proxyFor: (url) => (viaProxy(url) ? proxy : undefined),
    destroy: () => {
      direct.destroy();
      tunnel.destroy();
      forward.destroy();
    },
  };
}
