import * as http from 'http';
import { AddressInfo } from 'net';
import { AuthError, authErrorFromOAuth } from './errors';

export const SIGN_IN_TIMEOUT_MS = 5 * 60 * 1000;

export interface LoopbackOptions {
  /** The `state` sent to /authorize; the callback must carry the same value. */
  readonly state: string;
  /** 0 or undefined picks a free port. */
  readonly port?: number;
  /** A full redirect URI registered with the authority (its port and path are used; we still listen on 127.0.0.1 only). */
  readonly redirectUri?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface CallbackResult {
  readonly code: string;
}

function duration(ms: number): string {
  const [n, unit] = ms >= 60_000 ? [Math.round(ms / 60_000), 'minute'] : [Math.max(1, Math.round(ms / 1000)), 'second'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, text: string): string {
  // Static markup; the only variable text is escaped, and no script runs.
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>${escapeHtml(title)}</title>` +
    `<style>body{font-family:system-ui,sans-serif;margin:4rem auto;max-width:36rem;line-height:1.5}</style></head>` +
    `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;
}

/**
 * The redirect target of the authorization-code flow (RFC 8252 loopback): listens on 127.0.0.1,
 * accepts exactly one callback whose `state` matches, then closes. Times out after 5 minutes and
 * can be cancelled.
 */
export class LoopbackServer {
  readonly result: Promise<CallbackResult>;
  private settle!: { resolve(r: CallbackResult): void; reject(e: Error): void };
  private done = false;
  private startUrl: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly onAbort = (): void => this.fail(new AuthError('cancelled', 'Sign-in was cancelled.'));

  private constructor(
    private readonly server: http.Server,
    readonly redirectUri: string,
    private readonly path: string,
    private readonly opts: LoopbackOptions,
  ) {
    this.result = new Promise<CallbackResult>((resolve, reject) => (this.settle = { resolve, reject }));
    this.result.catch(() => undefined); // callers await it; this only prevents an unhandled rejection when they do not
    server.on('request', (req, res) => this.handle(req, res));
    this.timer = setTimeout(
      () => this.fail(new AuthError('timeout', `Sign-in timed out: no answer from the browser within ${duration(opts.timeoutMs ?? SIGN_IN_TIMEOUT_MS)}. Start the sign-in again.`)),
      opts.timeoutMs ?? SIGN_IN_TIMEOUT_MS,
    );
    if (opts.signal?.aborted) this.onAbort();
    else opts.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  static async start(opts: LoopbackOptions): Promise<LoopbackServer> {
    let port = opts.port ?? 0;
    let path = '/callback';
    let host = '127.0.0.1';
    if (opts.redirectUri) {
      const u = new URL(opts.redirectUri);
      if (u.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
        throw new AuthError('bad_callback', `The redirect URI ${u.origin} is not a loopback address (http://127.0.0.1:<port>/… or http://localhost:<port>/…).`);
      }
      port = u.port ? Number(u.port) : 80;
      path = u.pathname || '/';
      host = u.hostname;
    }
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EADDRINUSE') {
          reject(new AuthError('port_in_use', `Cannot receive the sign-in: port ${port} on 127.0.0.1 is already in use. Close the program using it, or change the connection's redirect port.`));
        } else if (e.code === 'EACCES') {
          reject(new AuthError('port_in_use', `Cannot receive the sign-in: port ${port} on 127.0.0.1 is not allowed for this user. Change the connection's redirect port.`));
        } else {
          reject(new AuthError('bad_callback', `Cannot start the sign-in redirect server: ${e.message}`));
        }
      });
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const actual = (server.address() as AddressInfo).port;
    const redirectUri = opts.redirectUri ?? `http://${host}:${actual}${path}`;
    return new LoopbackServer(server, redirectUri, path, opts);
  }

  get port(): number {
    return (this.server.address() as AddressInfo | null)?.port ?? 0;
  }

  /**
   * A page on this server that redirects to the authorize URL. Opening it instead of the authorize
   * URL itself helps where the editor rewrites loopback URLs for port forwarding and keeps only the
   * host and port (code-server maps http://127.0.0.1:<port>/… to its proxy root): the root of this
   * server still leads to the right place.
   */
  get startPageUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  setStartUrl(authorizeUrl: string): void {
    this.startUrl = authorizeUrl;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/' && this.startUrl && !this.done && !url.search) {
      res.writeHead(302, { Location: this.startUrl, 'Cache-Control': 'no-store' }).end();
      return;
    }
    if (req.method !== 'GET' || url.pathname !== this.path || this.done) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    const q = url.searchParams;
    if (req.method === 'GET' && !this.done && this.startUrl && !q.has('state') && !q.has('code') && !q.has('error')) {
      res.writeHead(302, { Location: this.startUrl, 'Cache-Control': 'no-store' }).end();
      return;
    }
    const send = (status: number, title: string, text: string): void => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'close' }).end(page(title, text));
    };
    if (q.get('state') !== this.opts.state) {
      const err = new AuthError('state_mismatch', 'Sign-in was rejected: the answer from the browser did not match this sign-in (state mismatch). Start the sign-in again.');
      send(400, 'Sign-in failed', err.message);
      this.fail(err);
      return;
    }
    const error = q.get('error');
    if (error) {
      const err = authErrorFromOAuth(error, q.get('error_description') ?? undefined, 'authorize');
      send(400, 'Sign-in failed', err.message);
      this.fail(err);
      return;
    }
    const code = q.get('code');
    if (!code) {
      const err = new AuthError('bad_callback', 'Sign-in failed: the redirect carried no authorization code.');
      send(400, 'Sign-in failed', err.message);
      this.fail(err);
      return;
    }
    send(200, 'Signed in to Sage 200', 'You can close this tab and return to VS Code.');
    this.finish(() => this.settle.resolve({ code }));
  }

  private fail(err: AuthError): void {
    this.finish(() => this.settle.reject(err));
  }

  private finish(action: () => void): void {
    if (this.done) return;
    this.done = true;
    action();
    void this.close();
  }

  /** Stops listening and drops idle browser connections; safe to call more than once. */
  close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    if (!this.done) {
      this.done = true;
      this.settle.reject(new AuthError('cancelled', 'Sign-in was cancelled.'));
    }
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      this.server.closeIdleConnections?.();
    });
  }
}
