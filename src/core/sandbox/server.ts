import * as http from 'http';
import * as https from 'https';
import type { AddressInfo, Socket } from 'net';
import { loadCatalog } from '../catalog';
import type { Catalog } from '../catalog';
import { AuthServer, OAuthError } from './auth';
import { SageApi, message, gatewayError, ApiAnswer, ApiEdition } from './api';
import { CompanyStore, CompanyInfo } from './store';
import { GENERATORS, initialCount } from './demoData';
import { DATA_FORMAT, DataFile, Persistence, checkWritable, readDataFile } from './persist';
import { consentPage, errorPage } from './pages';
import type { FaultSettings, RunningSandbox, SandboxOptions } from './types';
import { COMPATIBILITY_DEFAULTS, SANDBOX_PUBLIC_CLIENT_ID } from './types';
import { hashSeed } from './random';

const STANDARD_PREFIX = '/uk/sage200/accounts/v1';
const PROFESSIONAL_PREFIX = '/uk/sage200extra/accounts/v1';
/** The gateway's words when an on-premise site does not answer (the sandbox's own; Sage's are unverified). */
const GATEWAY_TIMEOUT = 'Gateway Timeout: the Sage 200 site did not answer in time.';
/** Headers on every API answer, as seen on live Sage 200 answers. */
const API_HEADERS: Readonly<Record<string, string>> = { 'Cache-Control': 'no-cache,no-store', Pragma: 'no-cache' };
/**
 * Answers larger than this go out with `Transfer-Encoding: chunked` instead of a Content-Length, as
 * live Sage answers do; the threshold is the sandbox's own (small answers keep their length).
 */
export const CHUNKED_FROM_BYTES = 16 * 1024;
/** Request bodies above this get 413; Sage's own limit is unverified, 4 MB is ASP.NET's default. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

function guid(seed: number, ...parts: (string | number)[]): string {
  const h = (i: number) => hashSeed(seed, ...parts, i).toString(16).padStart(8, '0');
  const hex = `${h(1)}${h(2)}${h(3)}${h(4)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Two sites, the first with two companies, as the issue asks. Ids follow the seed. */
export function demoCompanies(seed: number): CompanyInfo[] {
  const tenantId = guid(seed, 'tenant');
  const siteA = guid(seed, 'site', 'A');
  const siteB = guid(seed, 'site', 'B');
  return [
    { siteId: siteA, siteName: 'Bramley Demo Site', siteShortName: 'BRAMLEY', companyId: 1, companyName: 'Bramley Office Supplies Ltd', tenantId },
    { siteId: siteA, siteName: 'Bramley Demo Site', siteShortName: 'BRAMLEY', companyId: 2, companyName: 'Bramley Office Supplies (Ireland) Ltd', tenantId },
    { siteId: siteB, siteName: 'Northwind Site', siteShortName: 'NORTHWIND', companyId: 1, companyName: 'Northwind Trading Ltd', tenantId },
  ];
}

interface FaultState {
  latencyMs: number;
  rateLimit?: { count: number; retryAfterSeconds: number };
  serverError?: { count: number; status: 500 | 503; retryAfterSeconds?: number };
  dropMidBody?: { count: number };
  hang?: { count: number };
  gatewayTimeout?: { count: number };
  tunnelDown: boolean;
  refreshExpired: boolean;
}

function faultState(f: FaultSettings | undefined): FaultState {
  return {
    latencyMs: Math.max(0, Number(f?.latencyMs) || 0),
    ...(f?.rateLimit ? { rateLimit: { ...f.rateLimit } } : {}),
    ...(f?.serverError ? { serverError: { ...f.serverError } } : {}),
    ...(f?.dropMidBody ? { dropMidBody: { ...f.dropMidBody } } : {}),
    ...(f?.hang ? { hang: { ...f.hang } } : {}),
    ...(f?.gatewayTimeout ? { gatewayTimeout: { ...f.gatewayTimeout } } : {}),
    tunnelDown: f?.tunnelDown === true,
    refreshExpired: f?.refreshExpired === true,
  };
}

/** Checks fault settings from JSON (the CLI flag and the control endpoint); returns an error message or the settings. */
export function parseFaults(value: unknown): FaultSettings | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'Fault settings must be a JSON object.';
  const v = value as Record<string, unknown>;
  const known = ['latencyMs', 'rateLimit', 'serverError', 'dropMidBody', 'hang', 'gatewayTimeout', 'tunnelDown', 'refreshExpired'];
  for (const k of Object.keys(v)) if (!known.includes(k)) return `Unknown fault setting "${k}" (known: ${known.join(', ')}).`;
  const count = (o: unknown, name: string): string | undefined => {
    if (!o || typeof o !== 'object') return `${name} must be an object with a count.`;
    const c = (o as Record<string, unknown>).count;
    return typeof c === 'number' && Number.isInteger(c) && c >= 0 ? undefined : `${name}.count must be a whole number >= 0.`;
  };
  if (v.latencyMs !== undefined && (typeof v.latencyMs !== 'number' || v.latencyMs < 0)) return 'latencyMs must be a number >= 0.';
  for (const k of ['rateLimit', 'serverError', 'dropMidBody', 'hang', 'gatewayTimeout']) {
    if (v[k] !== undefined) {
      const e = count(v[k], k);
      if (e) return e;
    }
  }
  for (const k of ['tunnelDown', 'refreshExpired']) {
    if (v[k] !== undefined && typeof v[k] !== 'boolean') return `${k} must be true or false.`;
  }
  const rl = v.rateLimit as Record<string, unknown> | undefined;
  if (rl && (typeof rl.retryAfterSeconds !== 'number' || rl.retryAfterSeconds < 0)) return 'rateLimit.retryAfterSeconds must be a number >= 0.';
  const se = v.serverError as Record<string, unknown> | undefined;
  if (se && se.status !== 500 && se.status !== 503) return 'serverError.status must be 500 or 503.';
  return v as FaultSettings;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const catalog: Catalog = loadCatalog();
  if (options.dataFile) checkWritable(options.dataFile);
  const saved: DataFile | undefined = options.dataFile ? readDataFile(options.dataFile) : undefined;
  // A data file was made from a seed and scale; they win over the options so the changes fit.
  const seed = saved?.seed ?? options.seed ?? 200;
  const scale = saved?.scale ?? options.scale ?? 1;
  const hostile = saved?.hostileData ?? options.hostileData ?? false;
  if (!Number.isFinite(seed)) throw new Error('The seed must be a number.');
  if (!Number.isFinite(scale) || scale < 0 || scale > 1000) throw new Error('The scale must be a number from 0 to 1000.');
  const persistence = new Persistence(options.dataFile, saved ?? { format: DATA_FORMAT, version: 1, seed, scale, hostileData: hostile, companies: {} });
  const companies = demoCompanies(seed).map((info) => {
    const c = new CompanyStore(catalog, info, seed, scale, hostile, GENERATORS, initialCount);
    c.afterLoad = (table, company) => persistence.apply(table, company);
    return c;
  });
  const compat = { ...COMPATIBILITY_DEFAULTS, ...options.compatibility };
  const api = new SageApi(catalog, companies, {
    upsert: (c, t, r) => persistence.recordUpsert(c, t, r),
    delete: (c, t, id) => persistence.recordDelete(c, t, id),
  }, compat);

  let faults = faultState(options.faults);
  // The issuer needs the port, so the authorization server is made once the server listens.
  const authRef: { current?: AuthServer } = {};
  const hanging = new Set<http.ServerResponse>();
  const sockets = new Set<Socket>();

  const host = options.host ?? '127.0.0.1';
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) throw new Error(`The sandbox listens on loopback addresses only (127.x.x.x), not "${host}".`);
  const listener: http.RequestListener = (req, res) => {
    handle(req, res).catch((e: unknown) => {
      // Bad input must never take the server down: answer 500 and keep serving.
      if (e instanceof HttpError) sendJson(res, e.status, { Message: e.message });
      else if (!res.headersSent) sendJson(res, 500, { Message: `The sandbox failed to answer: ${(e as Error)?.message ?? String(e)}` });
      else res.destroy();
    });
  };
  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, listener) : http.createServer(listener);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const pathname = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const search = q >= 0 ? rawUrl.slice(q + 1) : '';
    const a = authRef.current;
    if (!a) throw new Error('not started');

    let edition: ApiEdition | undefined;
    let rest = '';
    const lower = pathname.toLowerCase();
    if (lower === STANDARD_PREFIX || lower.startsWith(`${STANDARD_PREFIX}/`)) {
      edition = 'standard';
      rest = pathname.slice(STANDARD_PREFIX.length);
    } else if (lower === PROFESSIONAL_PREFIX || lower.startsWith(`${PROFESSIONAL_PREFIX}/`)) {
      edition = 'professional';
      rest = pathname.slice(PROFESSIONAL_PREFIX.length);
    }
    if (edition) return handleApi(req, res, method, rest || '/', search, edition, a);

    switch (pathname) {
      case '/':
        return sendJson(res, 200, {
          name: 'Sage 200 sandbox', authority: url, standardBaseUrl: `${url}${STANDARD_PREFIX}`, professionalBaseUrl: `${url}${PROFESSIONAL_PREFIX}`,
          authorize: `${url}/authorize`, token: `${url}/oauth/token`, sites: api.sites(),
        });
      case '/.well-known/openid-configuration':
        return sendJson(res, 200, a.discovery());
      case '/.well-known/jwks.json':
        return sendJson(res, 200, a.jwks());
      case '/authorize':
        return handleAuthorize(req, res, method, search, a);
      case '/oauth/token':
        return handleToken(req, res, method, a);
      case '/oauth/revoke':
        return handleToken(req, res, method, a, true);
      case '/userinfo': {
        const token = bearer(req);
        const info = token ? a.userInfo(token) : undefined;
        if (!info) return sendJson(res, 401, { error: 'invalid_token', error_description: 'A valid access token is required.' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
        return sendJson(res, 200, info);
      }
      case '/__sandbox/token': {
        // mintToken for other processes (benchmarks, the e2e harness): the sandbox only serves 127.0.0.1.
        if (method !== 'POST') return sendJson(res, 405, { Message: 'Use POST.' }, { Allow: 'POST' });
        const raw = (await readBody(req)).toString('utf8').trim();
        let clientId: string | undefined;
        if (raw) {
          try {
            clientId = (JSON.parse(raw) as { clientId?: string }).clientId;
          } catch {
            return sendJson(res, 400, { Message: 'The body must be JSON such as {"clientId":"sage200-sandbox"}, or empty.' });
          }
        }
        try {
          return sendJson(res, 200, a.mint(clientId), { 'Cache-Control': 'no-store' });
        } catch (e) {
          return sendJson(res, 400, { Message: (e as Error).message });
        }
      }
      case '/__sandbox/faults': {
        if (method === 'GET') return sendJson(res, 200, faults);
        if (method !== 'POST' && method !== 'PUT') return sendJson(res, 405, { Message: 'Use GET or POST.' }, { Allow: 'GET, POST' });
        const body = await readJsonBody(req);
        const parsed = parseFaults(body);
        if (typeof parsed === 'string') return sendJson(res, 400, { Message: parsed });
        faults = faultState(parsed);
        return sendJson(res, 200, faults);
      }
      default:
        return sendJson(res, 404, { Message: `No HTTP resource was found that matches the request URI '${pathname}'. The API lives under ${STANDARD_PREFIX} and ${PROFESSIONAL_PREFIX}.` });
    }
  }

  /** Picks the fault for this API request, if any is armed. */
  function takeFault(): 'rateLimit' | 'serverError' | 'dropMidBody' | 'hang' | 'gatewayTimeout' | undefined {
    for (const k of ['rateLimit', 'serverError', 'dropMidBody', 'hang', 'gatewayTimeout'] as const) {
      const f = faults[k];
      if (f && f.count > 0) {
        f.count--;
        return k;
      }
    }
    return undefined;
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, method: string, path: string, search: string, edition: ApiEdition, a: AuthServer): Promise<void> {
    if (faults.latencyMs > 0) await delay(faults.latencyMs);
    const fault = takeFault();
    if (fault === 'hang') {
      // Never answer; close() ends the connection.
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      req.resume();
      return;
    }
    if (fault === 'rateLimit' && faults.rateLimit) {
      const s = faults.rateLimit.retryAfterSeconds;
      req.resume();
      return sendAnswer(res, gatewayError(compat, 429, `Rate limit is exceeded. Try again in ${s} seconds.`, { 'Retry-After': String(s) }));
    }
    if (fault === 'serverError' && faults.serverError) {
      const se = faults.serverError;
      req.resume();
      return sendAnswer(res, gatewayError(compat, se.status, se.status === 503 ? 'The service is unavailable. Try again later.' : 'An error has occurred.',
        se.retryAfterSeconds !== undefined ? { 'Retry-After': String(se.retryAfterSeconds) } : undefined));
    }
    if (fault === 'gatewayTimeout' || faults.tunnelDown) {
      // The gateway checks the token before it tries the site: a bad token still answers 401.
      const token = bearer(req);
      if (token && !a.checkAccessToken(token)) {
        req.resume();
        if (faults.tunnelDown && method === 'GET' && path.replace(/\/+$/, '') === '/sites') return sendAnswer(res, { status: 200, json: '[]' });
        return sendAnswer(res, gatewayError(compat, 504, GATEWAY_TIMEOUT));
      }
    }
    const answer = await apiAnswer(req, method, path, search, edition, a);
    if (fault === 'dropMidBody') return sendDropped(res, answer);
    return sendAnswer(res, answer);
  }

  async function apiAnswer(req: http.IncomingMessage, method: string, path: string, search: string, edition: ApiEdition, a: AuthServer): Promise<ApiAnswer> {
    const token = bearer(req);
    if (!token) {
      req.resume();
      return gatewayError(compat, 401, 'Access denied due to missing access token. Make sure to include an access token in the Authorization header.', { 'WWW-Authenticate': 'Bearer' });
    }
    const why = a.checkAccessToken(token);
    if (why) {
      req.resume();
      return gatewayError(compat, 401, `Unauthorized. Access token is missing or invalid. ${why}`, { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${why.replace(/"/g, "'")}"` });
    }
    let body: unknown;
    if (method === 'POST' || method === 'PUT') {
      const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/json' && !type.endsWith('+json')) {
        req.resume();
        return message(415, `The request entity's media type '${type || '(none)'}' is not supported for this resource. Send Content-Type: application/json.`);
      }
      try {
        body = await readJsonBody(req);
      } catch (e) {
        if (e instanceof HttpError) return message(e.status, e.message, e.status === 413 ? { Connection: 'close' } : undefined);
        throw e;
      }
    } else {
      req.resume();
    }
    return api.handle({ method, path, query: search, edition, headers: req.headers, body });
  }

  async function handleAuthorize(req: http.IncomingMessage, res: http.ServerResponse, method: string, search: string, a: AuthServer): Promise<void> {
    if (method === 'POST') {
      // The consent form posts back the pending id and the person's choice.
      let form: URLSearchParams;
      try {
        form = new URLSearchParams((await readBody(req)).toString('utf8'));
      } catch (e) {
        return sendHtml(res, (e as HttpError).status ?? 400, errorPage('invalid_request', (e as Error).message));
      }
      const pending = a.takePending(form.get('transaction') ?? '');
      if (!pending) return sendHtml(res, 400, errorPage('invalid_request', 'This sign-in request has expired or was already answered. Start the sign-in again.'));
      return redirect(res, form.get('decision') === 'allow' ? a.approve(pending) : a.deny(pending));
    }
    if (method !== 'GET') return sendHtml(res, 405, errorPage('invalid_request', 'Use GET.'), { Allow: 'GET, POST' });
    req.resume();
    let checked;
    try {
      checked = a.checkAuthorize(new URLSearchParams(search));
    } catch (e) {
      if (e instanceof OAuthError) return sendHtml(res, e.status, errorPage(e.error, e.description));
      throw e;
    }
    if ('redirect' in checked) return redirect(res, checked.redirect);
    if (options.autoApprove) return redirect(res, a.approve(checked.pending));
    // CSP form-action also governs the redirect that answers the form's POST: allow the client's redirect origin.
    const csp = `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${new URL(checked.pending.redirectUri).origin}; frame-ancestors 'none'`;
    return sendHtml(res, 200, consentPage(checked.pending, a.holdPending(checked.pending)), { 'Content-Security-Policy': csp });
  }

  async function handleToken(req: http.IncomingMessage, res: http.ServerResponse, method: string, a: AuthServer, revoke = false): Promise<void> {
    const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
    if (method !== 'POST') {
      req.resume();
      return sendJson(res, 405, { error: 'invalid_request', error_description: 'The token endpoint takes POST.' }, { Allow: 'POST', ...noStore });
    }
    try {
      const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      const raw = (await readBody(req)).toString('utf8');
      let form: URLSearchParams;
      if (type === 'application/x-www-form-urlencoded') form = new URLSearchParams(raw);
      else if (type === 'application/json') {
        // Auth0 accepts JSON bodies too.
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          throw new OAuthError('invalid_request', 'The request body is not valid JSON.');
        }
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new OAuthError('invalid_request', 'The request body must be a JSON object.');
        form = new URLSearchParams();
        for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) if (typeof v === 'string') form.set(k, v);
      } else {
        throw new OAuthError('invalid_request', 'The token request must be application/x-www-form-urlencoded.');
      }
      const basic = basicAuth(req);
      if (revoke) {
        a.revoke(form, basic);
        res.writeHead(200, { 'Content-Length': '0', ...noStore });
        res.end();
        return;
      }
      const tokens = a.token(form, basic);
      return sendJson(res, 200, tokens, noStore);
    } catch (e) {
      if (e instanceof OAuthError) {
        const extra: Record<string, string> = { ...noStore };
        if (e.status === 401 && req.headers.authorization?.startsWith('Basic')) extra['WWW-Authenticate'] = 'Basic realm="sandbox"';
        return sendJson(res, e.status, { error: e.error, error_description: e.description }, extra);
      }
      if (e instanceof HttpError) return sendJson(res, e.status, { error: 'invalid_request', error_description: e.message }, noStore);
      throw e;
    }
  }

  function sendDropped(res: http.ServerResponse, answer: ApiAnswer): void {
    const text = answerText(answer);
    const bytes = Buffer.from(text.length > 1 ? text : '[{"padding":"so that half of the body can be sent"}]', 'utf8');
    res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(bytes.length) });
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => {
      // Let the half body reach the client, then cut the connection.
      setTimeout(() => res.socket?.destroy(), 10);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${options.tls ? 'https' : 'http'}://${host}:${port}`;
  const authServer = new AuthServer({
    issuer: `${url}/`,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 480 * 60,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 90 * 24 * 3600,
    codeTtlSeconds: options.authorizationCodeTtlSeconds ?? 60,
    clients: options.clients ?? [],
    now: options.now ?? (() => Date.now()),
    refreshExpired: () => faults.refreshExpired,
  });
  authRef.current = authServer;
  let closing: Promise<void> | undefined;

  return {
    url,
    port,
    standardBaseUrl: `${url}${STANDARD_PREFIX}`,
    professionalBaseUrl: `${url}${PROFESSIONAL_PREFIX}`,
    setFaults(f: FaultSettings) {
      const parsed = parseFaults(f);
      if (typeof parsed === 'string') throw new Error(parsed);
      faults = faultState(parsed);
    },
    mintToken(clientId = SANDBOX_PUBLIC_CLIENT_ID) {
      return authServer.mint(clientId);
    },
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const res of hanging) res.destroy();
        server.closeIdleConnections();
        // Give in-flight answers a moment, then end whatever is left (hung or slow clients).
        const t = setTimeout(() => { for (const s of sockets) s.destroy(); }, 200);
        await closed;
        clearTimeout(t);
        await persistence.flush();
      })();
      return closing;
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function bearer(req: http.IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : undefined;
}

function basicAuth(req: http.IncomingMessage): { id: string; secret: string } | undefined {
  const h = req.headers.authorization;
  if (!h || !/^Basic\s+/i.test(h)) return undefined;
  const decoded = Buffer.from(h.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) throw new OAuthError('invalid_client', 'Malformed Basic authorization header.', 401);
  // RFC 6749 §2.3.1: the id and secret are form-encoded before Basic encoding.
  const dec = (s: string) => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; } };
  return { id: dec(decoded.slice(0, i)), secret: dec(decoded.slice(i + 1)) };
}

function readBody(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new HttpError(413, `The request body is too large: ${declared} bytes, and the limit is ${limit}.`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(new HttpError(413, `The request body is too large: more than ${limit} bytes.`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => { if (!failed) resolve(Buffer.concat(chunks)); });
    req.on('error', (e) => { if (!failed) { failed = true; reject(e); } });
  });
}

async function readJsonBody(req: http.IncomingMessage): Promise<unknown> {
  const buf = await readBody(req);
  const text = buf.toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'The request body is empty: send a JSON object.');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `The request body is not valid JSON: ${(e as Error).message}`);
  }
}

function sendJson(res: http.ServerResponse, status: number, value: unknown, headers?: Record<string, string>): void {
  sendText(res, status, JSON.stringify(value), 'application/json; charset=utf-8', headers);
}

function sendHtml(res: http.ServerResponse, status: number, html: string, headers?: Record<string, string>): void {
  sendText(res, status, html, 'text/html; charset=utf-8', {
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    'X-Frame-Options': 'DENY',
    ...headers,
  });
}

function sendText(res: http.ServerResponse, status: number, text: string, type: string, headers?: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(body.length), ...headers });
  res.end(body);
}

/** `[a,b,…]` in one exactly-sized buffer: a 5,000-record page costs one copy, not a joined string and a copy. */
export function arrayBuffer(parts: readonly string[]): Buffer {
  let size = 2 + Math.max(0, parts.length - 1);
  const lengths = new Array<number>(parts.length);
  for (let i = 0; i < parts.length; i++) size += (lengths[i] = Buffer.byteLength(parts[i], 'utf8'));
  const buf = Buffer.allocUnsafe(size);
  let at = 0;
  buf[at++] = 0x5b; // [
  for (let i = 0; i < parts.length; i++) {
    if (i) buf[at++] = 0x2c; // ,
    at += buf.write(parts[i], at, lengths[i], 'utf8');
  }
  buf[at++] = 0x5d; // ]
  return buf;
}

function answerText(answer: ApiAnswer): string {
  if (answer.json !== undefined) return answer.json;
  if (answer.jsonArray !== undefined) return `[${answer.jsonArray.join(',')}]`;
  return answer.value === undefined ? '' : JSON.stringify(answer.value);
}

/** An API answer: Sage's caching headers, and a large body chunked rather than sized. */
function sendAnswer(res: http.ServerResponse, answer: ApiAnswer): void {
  if (res.headersSent || res.destroyed) return;
  if (answer.json === undefined && answer.value === undefined && answer.jsonArray === undefined) {
    res.writeHead(answer.status, { 'Content-Length': '0', ...API_HEADERS, ...answer.headers });
    res.end();
    return;
  }
  const body = answer.jsonArray !== undefined ? arrayBuffer(answer.jsonArray) : Buffer.from(answer.json ?? JSON.stringify(answer.value), 'utf8');
  const length: Record<string, string> = body.length < CHUNKED_FROM_BYTES ? { 'Content-Length': String(body.length) } : {};
  res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', ...length, ...API_HEADERS, ...answer.headers });
  res.end(body);
  if (answer.headers?.Connection === 'close') res.once('finish', () => res.socket?.end());
}

function redirect(res: http.ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Content-Length': '0', 'Cache-Control': 'no-store' });
  res.end();
}
