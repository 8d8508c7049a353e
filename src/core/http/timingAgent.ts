import * as http from 'http';
import * as https from 'https';
import type { LookupFunction, Socket } from 'net';
import { TLSSocket } from 'tls';
import { AsyncLocalStorage } from 'async_hooks';
import * as diagnostics_channel from 'diagnostics_channel';

/**
 * Phase timing without patching node-fetch: node-fetch calls `http.request` synchronously inside
 * `fetch()`, so an AsyncLocalStorage store set around that call is visible when Node announces the
 * new ClientRequest, where the request and then its socket can be observed. Sockets stay pooled
 * (keep-alive); a reused socket has no DNS/connect/TLS phases, which is the truth for that request.
 */
export interface PhaseRecorder {
  start: number;
  lookupAt?: number;
  connectAt?: number;
  secureAt?: number;
  /**
   * When a connection that an agent opened for this request, out of our sight, was handed over: a
   * proxy tunnel (VS Code's or ours). Reaching the proxy and its CONNECT cannot be told apart, so
   * they are one phase; the TLS handshake through the tunnel usually follows, as secureAt.
   */
  tunnelAt?: number;
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

/**
 * Tells the current request's recorder how a proxy answered its CONNECT. Called from the tunnel
 * agent, which runs in the request's async context; Node does not announce a request whose CONNECT
 * was refused, so the recorder cannot learn it from the request.
 */
export function recordProxyConnect(status: number | undefined): void {
  const rec = current.getStore();
  if (rec) rec.proxyConnectStatus = status;
}

/** Runs `fn` (which must start the request synchronously) with `rec` receiving the socket phases. */
export function withPhaseRecorder<T>(rec: PhaseRecorder, fn: () => T): T {
  return current.run(rec, fn);
}

function observe(req: http.ClientRequest): void {
  const rec = current.getStore();
  if (!rec) return;
  // Node announces the request once it has a socket. A proxy tunnel's socket (ours or VS Code's)
  // arrives already connected: how long reaching the proxy took is unknown, but the tunnel is open
  // now; the TLS handshake inside it is usually still under way, and can be timed.
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
  const phases = (socket: Socket): void => {
    if (!socket.connecting) {
      if (req.reusedSocket) {
        rec.reused = true;
        return;
      }
      rec.tunnelAt = performance.now();
      // A TLS socket has sent no Finished message until its side of the handshake is done.
      if (socket instanceof TLSSocket && socket.getFinished() === undefined) socket.once('secureConnect', () => (rec.secureAt = performance.now()));
      return;
    }
    socket.once('lookup', () => (rec.lookupAt = performance.now()));
    socket.once('connect', () => (rec.connectAt = performance.now()));
    socket.once('secureConnect', () => (rec.secureAt = performance.now()));
  };
  // The request usually has its socket by the time Node announces it.
  if (req.socket) phases(req.socket);
  else req.once('socket', phases);
}

/*
 * Every request Node's http client starts is announced on this channel, whatever agent ends up
 * carrying it. Observing here instead of inside our agents matters in VS Code: its proxy support
 * (`http.proxySupport: override`) replaces the caller's agent for every host but localhost, and the
 * cut-off detection above must survive that. Requests outside withPhaseRecorder are ignored.
 */
diagnostics_channel.subscribe('http.client.request.start', (message) => observe((message as { request: http.ClientRequest }).request));

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
  const h = new http.Agent(agentSettings(options));
  const s = new https.Agent(agentSettings(options));
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
