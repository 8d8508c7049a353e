import fetch, { Headers as FetchHeaders, Response as FetchResponse } from 'node-fetch';
import { HttpRequest, HttpResponse, NetworkError, Timing } from './types';
import { SecretRegistry, isSecretHeader, redactRequest, redactText, redactUrl } from './redact';
import { headerDelete, headerGet, headerSet } from './headers';
import { sageMessageOf } from './sageMessage';
import { AgentPair, PhaseRecorder, createTimingAgents, withPhaseRecorder } from './timingAgent';
import { KIND_TEXT, mentions, networkKind, proxyFailure, proxyName } from './networkErrors';

/** Where the client gets its bearer token; implemented by the auth core's TokenManager. */
export interface TokenSource {
  /** A valid access token, refreshed ahead of expiry when needed. */
  getAccessToken(signal?: AbortSignal): Promise<string>;
  /**
   * The API answered 401 to `rejected`: refresh (single-flight) and return the new token, or
   * undefined when there is none to offer.
   */
  refreshAfterUnauthorized(rejected: string, signal?: AbortSignal): Promise<string | undefined>;
}

export interface HttpLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

export interface RetryPolicy {
  /** Attempts in all for 429/503 on idempotent verbs (default 4). */
  readonly maxAttempts?: number;
  /** First backoff delay; doubled each time, with jitter (default 500 ms). */
  readonly baseDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the 429/503 is returned (default 60 s). */
  readonly maxDelayMs?: number;
}

export interface ClientOptions {
  /** The connection's API base URL; its origin is the only one that ever gets credentials. */
  readonly baseUrl: string;
  readonly tokens?: TokenSource;
  /** The optional Ocp-Apim-Subscription-Key, read from secret storage at send time. */
  readonly subscriptionKey?: () => Promise<string | undefined>;
  readonly logger?: HttpLogger;
  /** Values registered here are scrubbed from everything the client logs or returns. */
  readonly secrets?: SecretRegistry;
  /** Per attempt (default 60 s). */
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  readonly agents?: AgentPair;
  readonly userAgent?: string;
  /** For tests: how to wait between retries. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface SendInput {
  readonly method: string;
  /** Absolute URL, or a path relative to the base URL. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface SendOptions {
  readonly site?: string;
  readonly company?: number | string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Told about requests sent without credentials (token guard), in words for the user. */
  readonly onWarning?: (message: string) => void;
}

/** A non-2xx answer where the caller needed success (fetchAll, getSites). */
export class HttpStatusError extends Error {
  constructor(readonly response: HttpResponse) {
    super(describeFailure(response));
    this.name = 'HttpStatusError';
  }
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

export function isAbsoluteUrl(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
}

export function resolveUrl(baseUrl: string, url: string): string {
  if (isAbsoluteUrl(url)) return url;
  const base = baseUrl.replace(/\/+$/, '');
  return base + (url.startsWith('/') ? url : '/' + url);
}

function describeFailure(res: HttpResponse): string {
  const msg = sageMessageOf(res);
  return `${res.request.method} ${res.request.url} answered ${res.status} ${res.statusText}${msg ? `: ${msg}` : ''}`;
}

/**
 * What each response's caller asked for, unredacted, so that Re-send sends exactly that. Kept beside
 * the response object rather than in it: nothing that serializes a response (history, the webview,
 * logs) can reach it, and it lives exactly as long as whoever holds the response.
 */
const originals = new WeakMap<HttpResponse, HttpRequest>();

/**
 * The request as its caller resolved it (absolute URL, the caller's own headers and body, none of
 * the credentials that the client added), for sending it again. Undefined for a response that did
 * not come from `Sage200Client.send` in this process, such as one rebuilt from history.
 */
export function originalRequestOf(res: HttpResponse): HttpRequest | undefined {
  return originals.get(res);
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const s = value.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('cancelled'));
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort(): void {
      clearTimeout(timer);
      reject(new Error('cancelled'));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The Sage 200 HTTP client. One per connection: it knows the connection's API origin, and that
 * origin is the only one that ever receives the bearer token or the subscription key.
 */
export class Sage200Client {
  readonly apiOrigin: string;
  private readonly agents: AgentPair;
  private readonly ownsAgents: boolean;

  constructor(private readonly opts: ClientOptions) {
    this.apiOrigin = new URL(opts.baseUrl).origin;
    this.agents = opts.agents ?? createTimingAgents();
    this.ownsAgents = !opts.agents;
  }

  get baseUrl(): string {
    return this.opts.baseUrl.replace(/\/+$/, '');
  }

  dispose(): void {
    if (this.ownsAgents) this.agents.destroy();
  }

  async send(input: SendInput, sendOptions: SendOptions = {}): Promise<HttpResponse> {
    const warnings: string[] = [];
    const options: SendOptions = {
      ...sendOptions,
      onWarning: (m) => {
        warnings.push(m);
        sendOptions.onWarning?.(m);
      },
    };
    const inner = await this.sendInner(input, options);
    const res = warnings.length ? { ...inner, warnings } : inner;
    originals.set(res, {
      method: input.method.toUpperCase(),
      url: resolveUrl(this.opts.baseUrl, input.url),
      headers: { ...input.headers },
      ...(input.body !== undefined ? { body: input.body } : {}),
    });
    return res;
  }

  private async sendInner(input: SendInput, options: SendOptions): Promise<HttpResponse> {
    const method = input.method.toUpperCase();
    const url = resolveUrl(this.opts.baseUrl, input.url);
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new NetworkError(`"${redactUrl(url, this.opts.secrets)}" is not a valid URL.`, 'other', this.redactRequest({ method, url, headers: {} }));
    }
    const onApi = target.origin === this.apiOrigin;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.opts.userAgent) headers['User-Agent'] = this.opts.userAgent;
    if (input.body !== undefined && input.body !== '') headers['Content-Type'] = 'application/json';
    if (onApi && options.site !== undefined && options.site !== '') headers['X-Site'] = String(options.site);
    if (onApi && options.company !== undefined && options.company !== '') headers['X-Company'] = String(options.company);
    // The request's own headers win over the defaults above.
    for (const [k, v] of Object.entries(input.headers ?? {})) headerSet(headers, k, v);

    let token: string | undefined;
    let subscriptionKey: string | undefined;
    if (onApi) {
      if (this.opts.tokens && headerGet(headers, 'Authorization') === undefined) {
        token = await this.opts.tokens.getAccessToken(options.signal);
        this.opts.secrets?.add(token);
        headerSet(headers, 'Authorization', `Bearer ${token}`);
      }
      subscriptionKey = await this.opts.subscriptionKey?.();
      this.opts.secrets?.add(subscriptionKey);
      if (subscriptionKey && headerGet(headers, 'Ocp-Apim-Subscription-Key') === undefined) headerSet(headers, 'Ocp-Apim-Subscription-Key', subscriptionKey);
    } else {
      const removed = await this.stripCredentials(headers);
      this.warn(
        options,
        `${method} ${redactUrl(target.origin, this.opts.secrets)} is not this connection's API (${this.apiOrigin}): sent without the Sage 200 credentials${removed ? ' (credential headers removed)' : ''}.`,
      );
    }

    const policy = this.opts.retry ?? {};
    const maxAttempts = Math.max(1, policy.maxAttempts ?? 4);
    const baseDelay = policy.baseDelayMs ?? 500;
    const maxDelay = policy.maxDelayMs ?? 60_000;
    const sleep = this.opts.sleep ?? abortableSleep;
    let attempts = 0;
    let refreshed = false;
    let backoffs = 0;
    for (;;) {
      attempts++;
      const res = await this.attempt(method, url, headers, input.body, options, attempts);
      if (res.status === 401 && token && !refreshed && this.opts.tokens) {
        refreshed = true;
        this.log('info', `401 from ${res.request.url}: refreshing the token and retrying once.`);
        const next = await this.opts.tokens.refreshAfterUnauthorized(token, options.signal);
        if (next) {
          token = next;
          this.opts.secrets?.add(token);
          headerSet(headers, 'Authorization', `Bearer ${token}`);
          continue;
        }
        return res;
      }
      if ((res.status === 429 || res.status === 503) && IDEMPOTENT.has(method) && backoffs < maxAttempts - 1) {
        const retryAfter = parseRetryAfter(res.headers['retry-after']);
        const backoff = baseDelay * 2 ** backoffs * (0.8 + Math.random() * 0.4);
        const delay = Math.max(retryAfter ?? 0, retryAfter === undefined ? backoff : 0);
        if (delay > maxDelay) {
          this.log('warn', `${res.status} with Retry-After ${Math.round(delay / 1000)} s, longer than the ${Math.round(maxDelay / 1000)} s limit: not retrying.`);
          return res;
        }
        backoffs++;
        this.log('info', `${res.status} from ${res.request.url}: retry ${backoffs} of ${maxAttempts - 1} in ${Math.round(delay)} ms.`);
        try {
          await sleep(delay, options.signal);
        } catch {
          throw new NetworkError('Request cancelled while waiting to retry.', 'cancelled', res.request);
        }
        continue;
      }
      return res;
    }
  }

  /** Removes any header carrying our token or subscription key, whatever its name. */
  private async stripCredentials(headers: Record<string, string>): Promise<boolean> {
    const secretValues: string[] = [];
    // Only a token that already exists is compared: fetching one just to compare would be pointless.
    const key = await this.opts.subscriptionKey?.();
    if (key) secretValues.push(key);
    let removed = false;
    for (const [k, v] of Object.entries(headers)) {
      const lk = k.toLowerCase();
      const hasKnownSecret = secretValues.some((s) => v.includes(s)) || !!this.opts.secrets?.holds(v);
      if (lk === 'ocp-apim-subscription-key' || hasKnownSecret) {
        delete headers[k];
        removed = true;
      }
    }
    return removed;
  }

  private warn(options: SendOptions, message: string): void {
    this.log('warn', message);
    options.onWarning?.(message);
  }

  private log(level: 'debug' | 'info' | 'warn', message: string): void {
    this.opts.logger?.[level](redactText(message, this.opts.secrets));
  }

  private redactRequest(req: HttpRequest): HttpRequest {
    return redactRequest(req, this.opts.secrets);
  }

  /** One attempt, following redirects by hand so that the token guard applies to every hop. */
  private async attempt(
    method: string,
    url: string,
    headersIn: Record<string, string>,
    body: string | undefined,
    options: SendOptions,
    attempts: number,
  ): Promise<HttpResponse> {
    let headers = { ...headersIn };
    let currentMethod = method;
    let currentBody = body;
    let currentUrl = url;
    const timeoutMs = options.timeoutMs ?? this.opts.timeoutMs ?? 60_000;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = (): void => controller.abort();
    if (options.signal?.aborted) controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const rec: PhaseRecorder = { start: performance.now() };
    let sent: HttpRequest = { method, url, headers, body };
    try {
      for (let hop = 0; ; hop++) {
        sent = { method: currentMethod, url: currentUrl, headers, ...(currentBody !== undefined ? { body: currentBody } : {}) };
        this.log('debug', `→ ${currentMethod} ${redactUrl(currentUrl, this.opts.secrets)}${attempts > 1 ? ` (attempt ${attempts})` : ''}`);
        rec.start = hop === 0 ? rec.start : performance.now();
        rec.lookupAt = rec.connectAt = rec.secureAt = rec.tunnelAt = undefined;
        rec.reused = rec.proxyConnectStatus = undefined;
        const parsed = new URL(currentUrl);
        const res: FetchResponse = await withPhaseRecorder(rec, () =>
          fetch(currentUrl, {
            method: currentMethod,
            headers: new FetchHeaders(headers),
            body: currentBody === undefined || currentMethod === 'GET' || currentMethod === 'HEAD' ? undefined : currentBody,
            redirect: 'manual',
            signal: controller.signal as unknown as import('node-fetch').RequestInit['signal'],
            agent: this.agents.pick(parsed),
            compress: true,
          }),
        );
        const firstByteAt = performance.now();
        const proxy = this.agents.proxyFor?.(parsed);
        const refusedBy = rec.proxyConnectStatus !== undefined && rec.proxyConnectStatus !== 200 ? rec.proxyConnectStatus : proxy && res.status === 407 ? 407 : undefined;
        if (proxy && refusedBy !== undefined) {
          res.body.resume();
          throw new NetworkError(`${currentMethod} ${redactUrl(parsed.origin, this.opts.secrets)}: ${proxyFailure(proxy, refusedBy, parsed)}`, 'proxy', this.redactRequest(sent));
        }
        const location = res.headers.get('location');
        const next = REDIRECTS.has(res.status) && location ? new URL(location, currentUrl) : undefined;
        const keepsBody = res.status === 307 || res.status === 308 || ((res.status === 301 || res.status === 302) && currentMethod !== 'POST');
        const leaving = next !== undefined && (next.origin !== this.apiOrigin || parsed.origin !== this.apiOrigin);
        if (next && leaving && keepsBody && currentBody !== undefined && this.opts.secrets?.holds(currentBody)) {
          // A 307/308 keeps the body, and this one holds a secret: it stops here rather than travel on.
          this.warn(options, `${res.status} to ${next.origin}, which is not this connection's API, not followed: the body holds a secret.`);
        } else if (next) {
          if (hop >= MAX_REDIRECTS) throw new NetworkError(`Too many redirects (more than ${MAX_REDIRECTS}).`, 'other', this.redactRequest(sent));
          res.body.resume();
          if (leaving) {
            // Leaving the API origin: credentials never follow, whatever header carried them.
            const before = Object.keys(headers).length;
            headers = Object.fromEntries(Object.entries(headers).filter(([k, v]) => !isSecretHeader(k) && !this.opts.secrets?.holds(v)));
            if (Object.keys(headers).length !== before || next.origin !== this.apiOrigin) {
              this.warn(options, `Redirected to ${next.origin}, which is not this connection's API: followed without the Sage 200 credentials.`);
            }
          }
          if (!keepsBody) {
            currentMethod = res.status === 303 && currentMethod === 'HEAD' ? 'HEAD' : 'GET';
            currentBody = undefined;
            headerDelete(headers, 'Content-Type');
          }
          currentUrl = next.toString();
          continue;
        }
        const dropped = (): void => {
          res.body.emit('error', Object.assign(new Error('the connection closed before the body was complete'), { code: 'ECONNRESET' }));
        };
        rec.onBodyAborted = dropped;
        if (rec.bodyAborted) dropped();
        const buf = await res.buffer();
        rec.onBodyAborted = undefined;
        const end = performance.now();
        const resHeaders: Record<string, string> = {};
        res.headers.forEach((v, k) => (resHeaders[k.toLowerCase()] = v));
        const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
        let json: unknown;
        const ct = resHeaders['content-type'] ?? '';
        if (/\bjson\b/i.test(ct) && buf.length > 0) {
          try {
            json = JSON.parse(buf.toString('utf8'));
          } catch {
            json = undefined;
          }
        }
        const timing = { ...this.timing(rec, firstByteAt, end), ...(proxy ? { proxy: proxyName(proxy) } : {}) };
        this.log('debug', `← ${res.status} ${redactUrl(currentUrl, this.opts.secrets)} ${buf.length} B in ${Math.round(timing.totalMs)} ms${timing.proxy ? ` (through ${timing.proxy})` : ''}`);
        return {
          status: res.status,
          statusText: res.statusText,
          headers: resHeaders,
          body: bytes,
          ...(json !== undefined ? { json } : {}),
          size: buf.length,
          timing,
          request: this.redactRequest(sent),
          attempts,
        };
      }
    } catch (e) {
      if (e instanceof NetworkError) throw e;
      const name = (e as Error).name;
      const redacted = this.redactRequest(sent);
      const where = redactUrl(new URL(sent.url).origin, this.opts.secrets);
      if (name === 'AbortError' || controller.signal.aborted) {
        const kind = timedOut ? 'timeout' : 'cancelled';
        throw new NetworkError(
          kind === 'timeout' ? `${sent.method} ${where}: no answer within ${Math.round(timeoutMs / 1000)} s.` : `${sent.method} ${where}: cancelled.`,
          kind,
          redacted,
        );
      }
      const kind = networkKind(e);
      const proxy = this.agents.proxyFor?.(new URL(sent.url));
      if (proxy && (kind === 'refused' || kind === 'dns') && mentions(e, proxy)) {
        throw new NetworkError(
          `${sent.method} ${where}: the proxy ${proxyName(proxy)} could not be reached (${kind === 'dns' ? 'unknown host' : 'connection refused'}). ` +
            'Check the proxy setting (http.proxy in VS Code, --proxy or HTTPS_PROXY for the CLI).',
          'proxy',
          redacted,
        );
      }
      throw new NetworkError(`${sent.method} ${where}: ${KIND_TEXT[kind]}.`, kind, redacted);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  private timing(rec: PhaseRecorder, firstByteAt: number, end: number): Timing {
    // Offsets from the start of the request (like curl's time_namelookup/time_connect/…).
    type Phases = Omit<Timing, 'proxy'>;
    const t: { -readonly [K in keyof Phases]: Phases[K] } = { totalMs: end - rec.start, firstByteMs: firstByteAt - rec.start };
    if (rec.lookupAt !== undefined) t.dnsMs = rec.lookupAt - rec.start;
    if (rec.connectAt !== undefined) t.connectMs = rec.connectAt - rec.start;
    if (rec.secureAt !== undefined) t.tlsMs = rec.secureAt - rec.start;
    if (rec.tunnelAt !== undefined) t.tunnelMs = rec.tunnelAt - rec.start;
    for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] = Math.round((t[k] as number) * 100) / 100;
    return t;
  }
}
