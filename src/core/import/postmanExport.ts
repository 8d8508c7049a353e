/**
 * A `.sage200` file to a Postman Collection v2.1, for teammates who stay on Postman: titles, full
 * URLs under `{{baseUrl}}`, the X-Site/X-Company headers the extension would add, bodies, every `??`
 * assertion as a `pm.test` that passes or fails as the extension's runner would (`postmanAssertions.ts`;
 * a line the grammar refuses stays a comment and is listed in the summary), and the connection as
 * collection OAuth 2.0 settings without secrets.
 */
import { endpointsOf } from '../auth/oauth';
import { baseUrlOf, ConnectionConfig } from '../connections/types';
import { oauthSettingsOf } from '../connections/settings';
import { queryPairs } from '../odata/query';
import { parseRequestFile, RequestBlock } from '../requestFile';
import { Json } from './json';
import { assertionScript, assertionsScript } from './postmanAssertions';
import { ImportSummary } from './types';

export interface PostmanExportOptions {
  /** The collection's name; default the file name. */
  readonly name: string;
  /** Its OAuth settings (never a secret) and base URL go into the collection. */
  readonly connection?: ConnectionConfig;
  /** Overrides the connection's base URL as the value of `{{baseUrl}}`. */
  readonly baseUrl?: string;
  readonly site?: string;
  readonly company?: string | number;
}

export const POSTMAN_SCHEMA_V21 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** Our `{{$…}}` variables in Postman's words; a value we compute from context becomes a collection variable. */
function toPostmanVariables(text: string, summary: ImportSummary, subject: string, captured: ReadonlySet<string> = new Set()): string {
  // Up to the first brace, then trimmed: blanks matched by a pattern on both sides of the group are
  // tried in every split, which grew with the cube of a run of blanks.
  return text.replace(/\{\{([^{}]*)\}\}/g, (all, raw: string) => {
    const expr = raw.trim();
    const [name, ...args] = expr.split(/\s+/);
    switch (name) {
      case '$guid': return '{{$guid}}';
      case '$timestamp': return '{{$timestamp}}';
      case '$datetime': case '$localDatetime': return '{{$isoTimestamp}}';
      case '$randomInt': return '{{$randomInt}}';
      case '$site': return '{{siteId}}';
      case '$company': return '{{companyId}}';
      case '$dotenv': case '$prompt':
        summary.add('warning', subject, `{{${expr}}} became the Postman variable {{${args[0] ?? 'value'}}}: set it in a Postman environment.`);
        return `{{${args[0] ?? 'value'}}}`;
      default:
        if (/\.(response|request)\./.test(name) && !captured.has(expr)) {
          summary.add('warning', subject, `{{${expr}}} reads another request's response; Postman needs a test script to set it (not generated).`);
        }
        return all;
    }
  });
}

function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

export function exportPostman(text: string, options: PostmanExportOptions): { collection: Json; summary: ImportSummary } {
  const summary = new ImportSummary();
  const file = parseRequestFile(text);
  // `{{created.response.body.$.id}}`: the named request's test script stores the value under that name.
  const captures = new Map<string, Set<string>>();
  for (const r of file.requests) {
    for (const ref of r.refs) {
      if (ref.kind !== 'response' || ref.source !== 'response' || !captureScript(ref.expression, ref.part, ref.path)) continue;
      if (!captures.has(ref.name)) captures.set(ref.name, new Set());
      captures.get(ref.name)!.add(ref.expression);
    }
  }
  // Every stored expression, built once for all requests.
  const captured = new Set([...captures.values()].flatMap((c) => [...c]));
  const items: Json[] = [];
  for (const r of file.requests) {
    const item = exportRequest(r, text, summary, captures, captured);
    if (item) items.push(item);
  }
  const baseUrl = options.baseUrl ?? (options.connection ? baseUrlOf(options.connection) : undefined) ?? '';
  const variable: Json[] = [
    { key: 'baseUrl', value: baseUrl, type: 'string' },
    { key: 'siteId', value: options.site ?? '', type: 'string' },
    { key: 'companyId', value: options.company !== undefined ? String(options.company) : '', type: 'string' },
  ];
  for (const v of file.fileVariables) variable.push({ key: v.name, value: toPostmanVariables(v.value, summary, `variable ${v.name}`), type: 'string' });
  const collection: Json = {
    info: { name: options.name, schema: POSTMAN_SCHEMA_V21, description: 'Exported from a Sage 200 request file.' },
    item: items,
    variable,
  };
  if (options.connection) {
    collection.auth = oauth2Of(options.connection);
    summary.add('converted', `connection ${options.connection.name}`, 'became the collection\'s OAuth 2.0 settings (no client secret; get a token in Postman).');
  }
  return { collection, summary };
}

function oauth2Of(c: ConnectionConfig): Json {
  const o = oauthSettingsOf(c);
  const endpoints = endpointsOf({ authority: o.authority, clientId: c.clientId, audience: o.audience, scopes: [...o.scopes], usePkce: o.usePkce });
  const redirect = c.redirectUri ?? `http://127.0.0.1:${c.redirectPort ?? 0}/callback`;
  const entries: [string, unknown][] = [
    ['grant_type', o.usePkce ? 'authorization_code_with_pkce' : 'authorization_code'],
    ['authUrl', endpoints.authorize],
    ['accessTokenUrl', endpoints.token],
    ['clientId', c.clientId],
    ['scope', o.scopes.join(' ')],
    ['redirect_uri', redirect],
    ['authRequestParams', [{ key: 'audience', value: o.audience, enabled: true, send_as: 'request_url' }]],
    ['client_authentication', 'body'],
    ['addTokenTo', 'header'],
    ['tokenName', c.name],
  ];
  return { type: 'oauth2', oauth2: entries.map(([key, value]) => ({ key, value, type: typeof value === 'string' ? 'string' : 'any' })) };
}

function exportRequest(
  r: RequestBlock, text: string, summary: ImportSummary, captures: ReadonlyMap<string, ReadonlySet<string>>, captured: ReadonlySet<string>,
): Json | undefined {
  const line = r.requestLine;
  if (!line) return undefined;
  const name = r.title ?? r.name ?? `${line.method} ${line.path}`;
  const vars = (s: string): string => toPostmanVariables(s, summary, name, captured);
  const path = vars(line.path.trim());
  const relative = !/^(https?:\/\/|\{\{)/i.test(path);
  const base = relative ? `{{baseUrl}}${path.startsWith('/') ? '' : '/'}${path}` : path;
  const query = r.query ? queryPairs(vars(r.query.text)).map((q) => ({ key: q.name, value: q.value })) : [];
  const raw = base + (query.length ? `?${query.map((q) => (q.value === null ? q.key : `${q.key}=${q.value}`)).join('&')}` : '');
  const url: Json = { raw };
  if (relative) {
    url.host = ['{{baseUrl}}'];
    url.path = path.split('/').filter(Boolean);
  }
  if (query.length) url.query = query;

  const header: Json[] = r.headers.filter((h) => h.name).map((h) => ({ key: h.name, value: vars(h.value) }));
  const has = (n: string): boolean => r.headers.some((h) => h.name.toLowerCase() === n.toLowerCase());
  if (relative) {
    // Send adds these from the active site and company; Postman needs them written out.
    if (!has('X-Site')) header.push({ key: 'X-Site', value: '{{siteId}}' });
    if (!has('X-Company')) header.push({ key: 'X-Company', value: '{{companyId}}' });
  }
  const request: Json = { method: line.method, header, url };

  // Assertion lines are not body text, whatever today's parser makes of them.
  const bodyText = r.body ? r.body.text.split(/\r?\n/).filter((l) => !l.trim().startsWith('??')).join('\n').trimEnd() : '';
  if (bodyText) {
    const contentType = r.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
    if (/x-www-form-urlencoded/i.test(contentType)) {
      request.body = {
        mode: 'urlencoded',
        urlencoded: bodyText.split('&').filter(Boolean).map((p) => {
          const eq = p.indexOf('=');
          return { key: formDecode(eq === -1 ? p : p.slice(0, eq)), value: vars(eq === -1 ? '' : formDecode(p.slice(eq + 1))), type: 'text' };
        }),
      };
    } else {
      const json = /^\s*[[{]/.test(bodyText) || /json/i.test(contentType);
      request.body = { mode: 'raw', raw: vars(bodyText), ...(json ? { options: { raw: { language: 'json' } } } : {}) };
      if (json && !has('Content-Type')) header.push({ key: 'Content-Type', value: 'application/json' });
    }
  }
  const description = r.comments.map((c) => text.slice(c.start, c.end).replace(/^\s*(#|\/\/)\s?/, ''))
    .filter((c) => !/^@/.test(c) && !c.startsWith('??')).join('\n').trim();
  if (description) request.description = description;

  const item: Json = { name, request };
  const tests: { exec: readonly string[]; helper: boolean }[] = [];
  for (const line of r.assertions) {
    const script = assertionScript(line, vars);
    if ('exec' in script) tests.push(script);
    else {
      tests.push({ helper: false, exec: [`// ?? ${line.text} (not converted: ${script.reason})`] });
      summary.add('comment', `${name}: ?? ${line.text}`, `not converted to pm.test: ${script.reason}`);
    }
  }
  const exec = assertionsScript(tests);
  for (const expression of (r.name && captures.get(r.name)) || []) {
    const ref = parseCapture(expression);
    const script = ref && captureScript(expression, ref.part, ref.path);
    if (script) exec.push(script);
  }
  if (exec.length) item.event = [{ listen: 'test', script: { type: 'text/javascript', exec } }];
  summary.add('converted', name, `${line.method} ${raw}`);
  return item;
}

function parseCapture(expression: string): { part: 'body' | 'headers'; path: string } | undefined {
  const m = /^[A-Za-z_][\w-]*\.response\.(body|headers)(.*)$/.exec(expression);
  return m ? { part: m[1] as 'body' | 'headers', path: m[2] } : undefined;
}

/** `$.a[0].b` as a JavaScript property chain, for the simple paths people chain requests with. */
function jsPath(path: string): string | undefined {
  let p = path.replace(/^\./, '');
  if (p === '' || p === '*') return '';
  if (!p.startsWith('$')) return undefined;
  p = p.slice(1);
  let out = '';
  while (p) {
    const m = /^(?:\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\['([^']*)'\])/.exec(p);
    if (!m) return undefined;
    out += m[1] !== undefined ? `[${JSON.stringify(m[1])}]` : m[2] !== undefined ? `[${m[2]}]` : `[${JSON.stringify(m[3])}]`;
    p = p.slice(m[0].length);
  }
  return out;
}

/** The test-script line that stores a response value as the Postman variable `expression`, or undefined when the path is not simple. */
function captureScript(expression: string, part: 'body' | 'headers' | undefined, path: string | undefined): string | undefined {
  if (part === 'headers') {
    const header = (path ?? '').replace(/^\./, '');
    return header ? `pm.collectionVariables.set(${JSON.stringify(expression)}, pm.response.headers.get(${JSON.stringify(header)}));` : undefined;
  }
  const chain = jsPath(path ?? '');
  if (chain === undefined) return undefined;
  if (chain === '') return `pm.collectionVariables.set(${JSON.stringify(expression)}, pm.response.text());`;
  return `pm.collectionVariables.set(${JSON.stringify(expression)}, (function (v) { return typeof v === 'string' ? v : JSON.stringify(v); })(pm.response.json()${chain}));`;
}
