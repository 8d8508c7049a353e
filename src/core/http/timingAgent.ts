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

class TimingHttpAgent extends http.Agent {}
class TimingHttpsAgent extends https.Agent {}

// `addRequest` is public at run time but missing from @types/node: wrap it on our subclasses only.
for (const Cls of [TimingHttpAgent, TimingHttpsAgent]) {
  const proto = Cls.prototype as unknown as { addRequest: AddRequest };
  const base = proto.addRequest;
  proto.addRequest = function (this: http.Agent, req: http.ClientRequest, options: unknown): void {
    observe(req);
    base.call(this, req, options);
  };
}

export interface AgentPair {
  http: http.Agent;
  https: https.Agent;
  /** For node-fetch's `agent` option. */
  pick(url: URL): http.Agent;
  destroy(): void;
}

export interface AgentOptions {
  /** How host names are resolved (default: the system's). Tests use it to give loopback many names. */
  readonly lookup?: LookupFunction;
}

export function createTimingAgents(options: AgentOptions = {}): AgentPair {
  const common = { keepAlive: true, maxSockets: 16, ...(options.lookup ? { lookup: options.lookup } : {}) };
  const h = new TimingHttpAgent(common);
  const s = new TimingHttpsAgent(common);
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
