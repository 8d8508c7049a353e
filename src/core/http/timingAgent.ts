import * as http from 'http';
import * as https from 'https';
import type { LookupFunction, Socket } from 'net';
import { AsyncLocalStorage } from 'async_hooks';

/**
 * Phase timing without patching node-fetch: node-fetch calls `http.request` synchronously inside
 * `fetch()`, so an AsyncLocalStorage store set around that call is visible in the agent's
 * `addRequest`, where the ClientRequest and then its socket can be observed. Sockets stay pooled
 * (keep-alive); a reused socket has no DNS/connect/TLS phases, which is the truth for that request.
 */
export interface PhaseRecorder {
  start: number;
  lookupAt?: number;
  connectAt?: number;
  secureAt?: number;
  reused?: boolean;
  /** The status a proxy answered the CONNECT with (200 when the tunnel opened). */
  proxyConnectStatus?: number;
  /** Set when the server closed the connection before the body was complete. */
  bodyAborted?: boolean;
  /**
   * node-fetch 2 does not notice a connection closed mid-body when Content-Length is set (its body
   * stream just never ends), so the client installs this to fail the body read at once.
   */
  onBodyAborted?: () => void;
}

const current = new AsyncLocalStorage<PhaseRecorder>();

/** Runs `fn` (which must start the request synchronously) with `rec` receiving the socket phases. */
export function withPhaseRecorder<T>(rec: PhaseRecorder, fn: () => T): T {
  return current.run(rec, fn);
}

function observe(req: http.ClientRequest): void {
  const rec = current.getStore();
  if (!rec) return;
  // https-proxy-agent tells the request how the proxy answered its CONNECT.
  req.once('proxyConnect', (connect: { statusCode?: number }) => (rec.proxyConnectStatus = connect.statusCode));
  req.once('response', (msg: http.IncomingMessage) => {
    const aborted = (): void => {
      if (msg.complete) return;
      rec.bodyAborted = true;
      rec.onBodyAborted?.();
    };
    msg.once('aborted', aborted);
    msg.once('error', aborted);
    msg.once('close', aborted);
  });
  req.once('socket', (socket: Socket) => {
    if (!socket.connecting) {
      rec.reused = true;
      return;
    }
    socket.once('lookup', () => (rec.lookupAt = performance.now()));
    socket.once('connect', () => (rec.connectAt = performance.now()));
    socket.once('secureConnect', () => (rec.secureAt = performance.now()));
  });
}

type AddRequest = (req: http.ClientRequest, options: unknown) => void;

/**
 * Makes an agent report to the current PhaseRecorder. `addRequest` is public at run time but
 * missing from @types/node; only this agent is wrapped, never Node's shared ones.
 */
export function observed<A extends http.Agent>(agent: A): A {
  const target = agent as unknown as { addRequest: AddRequest };
  const base = target.addRequest;
  target.addRequest = function (this: http.Agent, req: http.ClientRequest, options: unknown): void {
    observe(req);
    base.call(this, req, options);
  };
  return agent;
}

export interface AgentPair {
  http: http.Agent;
  https: https.Agent;
  /** For node-fetch's `agent` option. */
  pick(url: URL): http.Agent;
  /** The proxy a request to `url` goes through, when there is one (for messages). */
  proxyFor?(url: URL): URL | undefined;
  destroy(): void;
}

export interface AgentOptions {
  /** How host names are resolved (default: the system's). Tests use it to give loopback many names. */
  readonly lookup?: LookupFunction;
  /** Authorities to trust instead of Node's default list (see proxy.ts, which adds to that list). */
  readonly ca?: readonly string[];
  /** Accept any server certificate. Only ever set from an explicit, warned-about user choice. */
  readonly insecure?: boolean;
}

/** The TLS and pool options every agent of the client shares. */
export function agentSettings(options: AgentOptions): https.AgentOptions {
  return {
    keepAlive: true,
    maxSockets: 16,
    ...(options.lookup ? { lookup: options.lookup } : {}),
    ...(options.ca ? { ca: [...options.ca] } : {}),
    ...(options.insecure ? { rejectUnauthorized: false } : {}),
  };
}

export function createTimingAgents(options: AgentOptions = {}): AgentPair {
  const h = observed(new http.Agent(agentSettings(options)));
  const s = observed(new https.Agent(agentSettings(options)));
  return {
    http: h,
    https: s,
    pick: (url) => (url.protocol === 'https:' ? s : h),
    destroy: () => {
      h.destroy();
      s.destroy();
    },
  };
}
