/**
 * Postman collections (schema v2.0 and v2.1) to `.sage200` files: one file per top-level folder, or
 * one file with a `###` section per request. Nothing is evaluated: scripts become comments (or `??`
 * status assertions when that is all they check), and credentials never reach a file.
 */
import { redactText } from '../http/redact';
import { arr, description, Json, keyValues, obj, str } from './json';
import { commentLines } from './render';
import { scriptComments } from './postmanScripts';
import { keepHeader, mapSystemVariables, relativeUrl, SageContext } from './sage';
import { ImportedRequest, ImportedRequestFile, ImportError, ImportResult, ImportSummary, SuggestedConnection } from './types';

export interface PostmanImportOptions extends SageContext {
  /** One file per top-level folder (default), or one file with every request as a section. */
  readonly layout?: 'files' | 'sections';
  /** Values known from elsewhere (an environment), to recognise a `{{baseUrl}}` that is the Sage API. */
  readonly variables?: ReadonlyMap<string, string>;
}

const VARIABLE_NAME = /^[A-Za-z_][\w.-]*$/;

/** The schema version of a parsed collection, or an ImportError that says what to do instead. */
export function postmanVersion(json: Json): '2.0' | '2.1' {
  const schema = str(obj(json.info)?.schema) ?? '';
  if (/v2\.1\.\d/.test(schema)) return '2.1';
  if (/v2\.0\.\d/.test(schema)) return '2.0';
  if (Array.isArray(json.requests) || /v1\.\d/.test(schema)) {
    throw new ImportError('This is a Postman collection in the old v1 format. Open it in Postman and export it again as Collection v2.1, then import that file.');
  }
  throw new ImportError(`Unknown Postman collection schema "${schema || '(none)'}": export the collection from Postman as Collection v2.1.`);
}

interface Scope {
  /** Title prefix: the folders between the file and the request. */
  readonly path: readonly string[];
  readonly auth: unknown;
  readonly variables: Map<string, string>;
  /** How many folders hold the items: 0 for the collection's own. */
  readonly depth: number;
}

interface FileBuilder {
  readonly file: ImportedRequestFile;
  /** Variables that may be written: collection and folder variables, path variable examples. */
  readonly defined: Map<string, string>;
  /** Per path variable name, what `pathVariableName` has learnt of `name`, `name_2`, … so far. */
  readonly pathVarNames: Map<string, NameSeries>;
}

/**
 * The names `name`, `name_2`, `name_3`, … below `next` are all in `defined` (whose values never
 * change once the requests are read), and `byValue` holds the first of them with each value.
 */
interface NameSeries {
  next: number;
  readonly byValue: Map<string, string>;
}

export function importPostmanCollection(json: Json, options: PostmanImportOptions = {}): ImportResult {
  postmanVersion(json);
  const summary = new ImportSummary();
  const info = obj(json.info) ?? {};
  const collectionName = str(info.name)?.trim() || 'Postman collection';
  const state = { connection: undefined as SuggestedConnection | undefined, authNoted: new Set<string>() };

  const collectionVars = readVariables(json.variable, summary, 'collection');
  const known = new Map([...(options.variables ?? []), ...collectionVars]);
  const head = [`# Imported from the Postman collection "${collectionName.replace(/[\r\n]+/g, ' ')}".`];
  const desc = description(info.description);
  if (desc) for (const line of commentLines(desc)) head.push(line);
  for (const line of scriptComments(json.event, 'collection', summary)) head.push(line);
  noteAuth(json.auth, 'collection', summary, state, known);

  const files: FileBuilder[] = [];
  const usedNames = new Set<string>();
  // The first suffix not yet tried for a name: "same (2)", "same (3)", … were all taken when last
  // looked, and stay taken, so a thousand folders called "same" do not each try every number again.
  const nextSuffix = new Map<string, number>();
  const newFile = (title: string, extraComments: string[]): FileBuilder => {
    const plain = fileName(title);
    let base = plain;
    if (usedNames.has(base.toLowerCase())) {
      let n = nextSuffix.get(plain.toLowerCase()) ?? 2;
      while (usedNames.has(`${plain} (${n})`.toLowerCase())) n++;
      base = `${plain} (${n})`;
      nextSuffix.set(plain.toLowerCase(), n + 1);
    }
    usedNames.add(base.toLowerCase());
    const b: FileBuilder = {
      file: { name: `${base}.sage200`, comments: [...head, ...extraComments], variables: [], requests: [] },
      defined: new Map(collectionVars),
      pathVarNames: new Map(),
    };
    files.push(b);
    return b;
  };

  const items = arr(json.item);
  const rootScope: Scope = { path: [], auth: json.auth, variables: collectionVars, depth: 0 };
  if (options.layout === 'sections') {
    walk(items, newFile(collectionName, []), rootScope, { summary, options, known, state });
  } else {
    let rootFile: FileBuilder | undefined;
    for (const it of items) {
      const item = obj(it);
      if (!item) continue;
      if (Array.isArray(item.item)) {
        const name = str(item.name)?.trim() || 'Folder';
        const folderDesc = description(item.description);
        const f = newFile(name, [`# Folder "${name.replace(/[\r\n]+/g, ' ')}".`, ...(folderDesc ? commentLines(folderDesc) : [])]);
        const scope = folderScope(item, rootScope, [], summary, state, known);
        for (const [k, v] of scope.variables) f.defined.set(k, v);
        for (const line of scriptComments(item.event, `folder ${name}`, summary)) f.file.comments.push(line);
        walk(arr(item.item), f, scope, { summary, options, known, state });
      } else {
        rootFile ??= newFile(collectionName, []);
        walk([item], rootFile, rootScope, { summary, options, known, state });
      }
    }
  }

  for (const b of files) finishVariables(b, summary);
  return {
    kind: 'postman-collection',
    files: files.map((b) => b.file).filter((f) => f.requests.length > 0 || files.length === 1),
    ...(state.connection ? { connection: state.connection } : {}),
    summary,
  };
}

interface Walk {
  readonly summary: ImportSummary;
  readonly options: PostmanImportOptions;
  readonly known: Map<string, string>;
  readonly state: { connection: SuggestedConnection | undefined; authNoted: Set<string> };
}

/**
 * How deep folders may nest. Real collections nest a handful of folders; a hundred is far beyond
 * them. The limit keeps `walk` (one call per level) well inside the stack, where a crafted file of a
 * few kilobytes nesting thousands deep threw a RangeError, and keeps titles (every folder name on
 * the way, for each request) from growing with the square of the depth.
 */
export const MAX_FOLDER_DEPTH = 100;

function walk(items: unknown[], f: FileBuilder, scope: Scope, w: Walk): void {
  for (const it of items) {
    const item = obj(it);
    if (!item) continue;
    const name = str(item.name)?.trim() || 'Untitled';
    if (Array.isArray(item.item)) {
      const inner = folderScope(item, scope, [...scope.path, name], w.summary, w.state, w.known);
      for (const [k, v] of inner.variables) {
        if (f.defined.has(k) && f.defined.get(k) !== v) w.summary.add('warning', `folder ${name}: {{${k}}}`, 'a folder gives this variable another value; the file keeps the first one.');
        else f.defined.set(k, v);
      }
      const folderComments = [...commentLines(description(item.description) ?? '', `Folder "${name}": `), ...scriptComments(item.event, `folder ${name}`, w.summary)];
      const before = f.file.requests.length;
      walk(arr(item.item), f, inner, w);
      // The folder's notes go above its first request.
      if (folderComments.length && f.file.requests.length > before) f.file.requests[before].comments.unshift(...folderComments);
      continue;
    }
    const request = convertRequest(item, [...scope.path, name].join(' / '), scope, f, w);
    if (request) f.file.requests.push(request);
  }
}

function folderScope(item: Json, parent: Scope, path: string[], summary: ImportSummary, state: Walk['state'], known: Map<string, string>): Scope {
  const name = str(item.name) ?? 'folder';
  if (parent.depth >= MAX_FOLDER_DEPTH) {
    throw new ImportError(`The folders in this collection nest more than ${MAX_FOLDER_DEPTH} deep. Nothing was imported: move the requests into shallower folders in Postman and export the collection again.`);
  }
  const variables = readVariables(item.variable, summary, `folder ${name}`);
  for (const [k, v] of variables) if (!known.has(k)) known.set(k, v);
  if (item.auth !== undefined) noteAuth(item.auth, `folder ${name}`, summary, state, known);
  return { path, auth: item.auth ?? parent.auth, variables, depth: parent.depth + 1 };
}

function readVariables(list: unknown, summary: ImportSummary, where: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of arr(list)) {
    const o = obj(v);
    const key = str(o?.key) ?? str(o?.id);
    if (!o || !key) continue;
    if (o.disabled === true) {
      summary.add('dropped', `${where} variable ${key}`, 'disabled in Postman.');
      continue;
    }
    if (o.type === 'secret') {
      summary.add('dropped', `${where} variable ${key}`, 'a secret value is never written to a request file; define it in http-client.private.env.json.');
      continue;
    }
    if (!VARIABLE_NAME.test(key)) {
      summary.add('dropped', `${where} variable ${key}`, 'not a valid variable name here (letters, digits, _ . -).');
      continue;
    }
    out.set(key, str(o.value) ?? '');
  }
  return out;
}

/** Keeps only the variables the file's requests use (directly or through other variables). */
function finishVariables(b: FileBuilder, summary: ImportSummary): void {
  const text = b.file.requests.map((r) => [r.url, ...r.headers.map((h) => h.value), r.body ?? '', ...r.assertions].join('\n')).join('\n');
  const used = new Set<string>();
  // A work list, not recursion: a chain of variables (`a` = `{{b}}`, `b` = `{{c}}`, …) is as long as
  // the collection makes it. Each variable is read once.
  const pending = [text];
  for (let t = pending.pop(); t !== undefined; t = pending.pop()) {
    for (const m of t.matchAll(/\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g)) {
      if (used.has(m[1]) || !b.defined.has(m[1])) continue;
      used.add(m[1]);
      pending.push(b.defined.get(m[1])!);
    }
  }
  for (const [k, v] of b.defined) {
    if (used.has(k)) b.file.variables.push([k, mapSystemVariables(v, summary, `variable ${k}`)]);
  }
}

/** Credentials never become part of the file: the connection signs in. OAuth 2.0 settings suggest that connection. */
function noteAuth(auth: unknown, where: string, summary: ImportSummary, state: Walk['state'], known: Map<string, string>): void {
  const a = obj(auth);
  const type = str(a?.type);
  if (!a || !type || type === 'noauth' || type === 'inherit') return;
  if (type === 'oauth2') {
    const settings = keyValues(a.oauth2);
    const suggested = suggestConnection(settings, known, where);
    if (suggested && !state.connection) {
      state.connection = suggested;
      summary.add('converted', `${where} OAuth 2.0`, `suggested as connection "${suggested.name}" (client id ${suggested.clientId}); the client secret and tokens were not imported.`);
    } else {
      summary.add('dropped', `${where} OAuth 2.0`, suggested ? 'another OAuth 2.0 setting was already suggested as the connection.' : 'it has no client id to suggest a connection from.');
    }
    return;
  }
  const key = `${where}:${type}`;
  if (state.authNoted.has(key)) return;
  state.authNoted.add(key);
  summary.add('dropped', `${where} ${type} authorization`, type === 'bearer'
    ? 'the connection signs in with Sage ID and sends the token itself.'
    : `Sage 200 signs in with OAuth 2.0 (Sage ID), not ${type}; the connection does it and no credential was imported.`);
}

function suggestConnection(settings: Map<string, unknown>, known: Map<string, string>, where: string): SuggestedConnection | undefined {
  // Only literal values and variables whose value is known; a `{{var}}` left over means "unknown".
  const get = (k: string): string | undefined => {
    let v = str(settings.get(k))?.trim();
    if (!v) return undefined;
    v = v.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (all, name: string) => known.get(name) ?? all);
    return /\{\{/.test(v) ? undefined : v;
  };
  const clientId = get('clientId') ?? get('client_id');
  if (!clientId) return undefined;
  const authUrl = get('authUrl');
  let authority: string | undefined;
  try {
    if (authUrl) authority = new URL(authUrl).origin;
  } catch {
    authority = undefined;
  }
  const params = [...keyValues(settings.get('authRequestParams')), ...keyValues(settings.get('tokenRequestParams'))];
  const audience = get('audience') ?? str(params.find(([k]) => k === 'audience')?.[1]);
  const scopes = get('scope')?.split(/[\s,]+/).filter(Boolean);
  const redirectUri = get('redirect_uri') ?? get('redirectUri');
  const grant = get('grant_type');
  return {
    name: `Imported (${where})`,
    clientId,
    ...(authority ? { authority } : {}),
    ...(audience ? { audience } : {}),
    ...(scopes?.length ? { scopes } : {}),
    ...(redirectUri ? { redirectUri } : {}),
    ...(grant === 'authorization_code_with_pkce' ? { usePkce: true } : {}),
  };
}

function splitQuery(raw: string): { base: string; query?: string } {
  // The fragment: the first `#` after the last line break, as `raw.replace(/#.*$/, '')` cut it (that
  // pattern took quadratic time on a run of `#` before a line break: `.*$` was tried from each).
  const lastBreak = Math.max(raw.lastIndexOf('\n'), raw.lastIndexOf('\r'), raw.lastIndexOf('\u2028'), raw.lastIndexOf('\u2029'));
  const hash = raw.indexOf('#', lastBreak + 1);
  const noHash = hash === -1 ? raw : raw.slice(0, hash);
  const q = noHash.indexOf('?');
  return q === -1 ? { base: noHash } : { base: noHash.slice(0, q), query: noHash.slice(q + 1) };
}

interface Pair {
  key: string;
  value?: string;
  disabled: boolean;
}

function pairsOf(list: unknown): Pair[] {
  const out: Pair[] = [];
  for (const e of arr(list)) {
    const o = obj(e);
    if (!o) continue;
    const key = str(o.key) ?? '';
    const value = o.value === null || o.value === undefined ? undefined : str(o.value);
    out.push({ key, ...(value !== undefined ? { value } : {}), disabled: o.disabled === true });
  }
  return out;
}

function pairText(p: Pair): string {
  return p.value === undefined ? p.key : `${p.key}=${p.value}`;
}

/** URL (without query), query pairs and path variables of a Postman request URL, string or object. */
function readUrl(url: unknown): { base: string; query: Pair[]; pathVars: Map<string, string> } {
  const o = obj(url);
  const raw = str(url) ?? str(o?.raw);
  let base: string;
  let query: Pair[] = [];
  if (raw !== undefined) {
    const split = splitQuery(raw.trim());
    base = split.base;
    if (split.query) query = split.query.split('&').filter(Boolean).map((p) => {
      const eq = p.indexOf('=');
      return eq === -1 ? { key: p, disabled: false } : { key: p.slice(0, eq), value: p.slice(eq + 1), disabled: false };
    });
  } else {
    const host = Array.isArray(o?.host) ? o!.host.map((h) => str(h) ?? '').join('.') : str(o?.host) ?? '';
    const path = Array.isArray(o?.path) ? o!.path.map((p) => str(p) ?? str(obj(p)?.value) ?? '').join('/') : str(o?.path) ?? '';
    const protocol = str(o?.protocol);
    const port = str(o?.port);
    base = `${protocol ? `${protocol}://` : ''}${host}${port ? `:${port}` : ''}${path ? `/${path.replace(/^\//, '')}` : ''}`;
  }
  // The query list is what Postman shows and sends, with disabled parameters; the raw text is a copy.
  if (o && Array.isArray(o.query)) query = pairsOf(o.query);
  const pathVars = new Map<string, string>();
  for (const v of arr(o?.variable)) {
    const vo = obj(v);
    const key = str(vo?.key) ?? str(vo?.id);
    if (key) pathVars.set(key, str(vo?.value) ?? '');
  }
  return { base, query, pathVars };
}

/**
 * The file variable for path variable `:name` with this example: the first of `name`, `name_2`,
 * `name_3`, … that is free or already holds the example. Each name of the series is looked at once
 * per file (NameSeries), not once per request: a thousand `/c/:id` with different examples took
 * quadratic time.
 */
function pathVariableName(f: FileBuilder, name: string, example: string): string {
  const candidate = (n: number): string => (n === 1 ? name : `${name}_${n}`);
  let series = f.pathVarNames.get(name);
  if (!series) f.pathVarNames.set(name, (series = { next: 1, byValue: new Map() }));
  for (; f.defined.has(candidate(series.next)); series.next++) {
    const value = f.defined.get(candidate(series.next))!;
    if (!series.byValue.has(value)) series.byValue.set(value, candidate(series.next));
  }
  return series.byValue.get(example) ?? candidate(series.next);
}

function convertRequest(item: Json, title: string, scope: Scope, f: FileBuilder, w: Walk): ImportedRequest | undefined {
  const { summary } = w;
  const req = obj(item.request) ?? (typeof item.request === 'string' ? { url: item.request } : undefined);
  if (!req) {
    summary.add('dropped', title, 'the item has no request.');
    return undefined;
  }
  const comments: string[] = [];
  const desc = description(req.description) ?? description(item.description);
  if (desc) for (const line of commentLines(redactText(desc))) comments.push(line);
  const assertions: string[] = [];
  for (const line of scriptComments(item.event, title, summary, assertions)) comments.push(line);
  if (req.auth !== undefined) noteAuth(req.auth, title, summary, w.state, w.known);

  const method = (str(req.method) ?? 'GET').trim().toUpperCase() || 'GET';
  const { base, query, pathVars } = readUrl(req.url);
  // `:id` path segments become `{{id}}`, with the example as a file variable.
  const withVars = base.replace(/(^|\/):([A-Za-z_][\w-]*)(?=\/|$)/g, (_all, lead: string, name: string) => {
    const example = pathVars.get(name) ?? '';
    const varName = pathVariableName(f, name, example);
    f.defined.set(varName, example);
    summary.add('converted', `${title}: :${name}`, `path variable became {{${varName}}}${example ? ` (example ${example} as a file variable)` : ''}.`);
    return `${lead}{{${varName}}}`;
  });
  // The folder's own values over everything known, looked up in place: copying `known` for each
  // request took time proportional to requests times variables.
  const scopeValues = new Layered(scope.variables, w.known);
  let url = relativeUrl(withVars, scopeValues, summary, title);

  const enabled = query.filter((p) => !p.disabled).map((p) => inlineODataVariable(p, scopeValues, summary, title));
  if (enabled.length) url += `?${enabled.map(pairText).join('&')}`;
  for (const p of query.filter((q) => q.disabled)) {
    comments.push(`# Disabled in Postman: ?${pairText(p)}`);
    summary.add('comment', `${title}: ?${p.key}`, 'the query parameter was disabled in Postman.');
  }
  url = mapSystemVariables(url, summary, title);

  const headers: { name: string; value: string }[] = [];
  const headerList = typeof req.header === 'string'
    ? req.header.split(/\r?\n/).filter((l) => l.includes(':')).map((l) => ({ key: l.slice(0, l.indexOf(':')).trim(), value: l.slice(l.indexOf(':') + 1).trim() }))
    : req.header;
  for (const h of pairsOf(headerList)) {
    if (!h.key.trim()) continue;
    const value = mapSystemVariables(h.value ?? '', summary, title);
    if (!keepHeader(h.key, value, w.options, summary, title)) continue;
    if (h.disabled) {
      comments.push(`# Disabled in Postman: ${h.key}: ${value}`);
      summary.add('comment', `${title}: ${h.key}`, 'the header was disabled in Postman.');
      continue;
    }
    headers.push({ name: h.key.trim(), value });
  }

  const body = convertBody(obj(req.body), title, headers, comments, summary);
  if (arr(item.response).length) {
    summary.add('dropped', title, `${arr(item.response).length} saved example response(s) are not imported.`);
  }
  summary.add('converted', title, `${method} ${url}`);
  return {
    title, comments, metadata: [], method, url, headers, assertions,
    ...(body !== undefined ? { body: mapSystemVariables(body, summary, title) } : {}),
  };
}

/** `new Map([...below, ...over])`, read without copying: `over` wins. */
class Layered implements ReadonlyMap<string, string> {
  constructor(private readonly over: ReadonlyMap<string, string>, private readonly below: ReadonlyMap<string, string>) {}

  get(key: string): string | undefined {
    return this.over.has(key) ? this.over.get(key) : this.below.get(key);
  }

  has(key: string): boolean {
    return this.over.has(key) || this.below.has(key);
  }

  get size(): number {
    return new Map(this.entries()).size;
  }

  *entries(): MapIterator<[string, string]> {
    for (const [k, v] of this.below) yield [k, this.get(k) ?? v];
    for (const [k, v] of this.over) if (!this.below.has(k)) yield [k, v];
  }

  *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<string> {
    for (const [, v] of this.entries()) yield v;
  }

  forEach(fn: (value: string, key: string, map: ReadonlyMap<string, string>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }

  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }
}

/**
 * `$filter={{f}}`: the checker cannot read an expression hidden in a variable, so a plain value
 * known from the collection is written in place, where it is checked and completed.
 */
function inlineODataVariable(p: Pair, values: ReadonlyMap<string, string>, summary: ImportSummary, title: string): Pair {
  const m = /^\{\{\s*([\w.-]+)\s*\}\}$/.exec(p.value ?? '');
  const value = m ? values.get(m[1]) : undefined;
  if (!m || value === undefined || value.includes('{{') || !/^\$(filter|orderby|select|expand|search|apply)$/i.test(p.key)) return p;
  summary.add('converted', `${title}: ${p.key}`, `{{${m[1]}}} was written out as its value, so that the query can be checked.`);
  return { ...p, value };
}

function hasHeader(headers: { name: string }[], name: string): boolean {
  return headers.some((h) => h.name.toLowerCase() === name.toLowerCase());
}

/** Encodes a form value but leaves `{{variables}}` readable (they are substituted before sending). */
function formEncode(s: string): string {
  return s.split(/(\{\{[^{}]*\}\})/).map((part, i) => (i % 2 ? part : encodeURIComponent(part))).join('');
}

function convertBody(body: Json | undefined, title: string, headers: { name: string; value: string }[], comments: string[], summary: ImportSummary): string | undefined {
  if (!body) return undefined;
  const mode = str(body.mode);
  if (body.disabled === true) {
    summary.add('dropped', `${title}: body`, 'the body was disabled in Postman.');
    return undefined;
  }
  switch (mode) {
    case 'raw': {
      const raw = str(body.raw) ?? '';
      const language = str(obj(obj(body.options)?.raw)?.language);
      if (language === 'json' && raw.trim() && !hasHeader(headers, 'Content-Type') && !/^\s*[[{]/.test(raw)) {
        headers.push({ name: 'Content-Type', value: 'application/json' });
      }
      return raw || undefined;
    }
    case 'urlencoded': {
      const pairs = pairsOf(body.urlencoded);
      for (const p of pairs.filter((x) => x.disabled)) {
        comments.push(`# Disabled in Postman: form field ${p.key}`);
        summary.add('comment', `${title}: form field ${p.key}`, 'the form field was disabled in Postman.');
      }
      const enabled = pairs.filter((p) => !p.disabled);
      if (!enabled.length) return undefined;
      if (!hasHeader(headers, 'Content-Type')) headers.push({ name: 'Content-Type', value: 'application/x-www-form-urlencoded' });
      return enabled.map((p) => `${formEncode(p.key)}=${formEncode(p.value ?? '')}`).join('&');
    }
    case 'formdata': {
      comments.push('# Postman form-data body, not converted (the Sage 200 API takes JSON):');
      for (const p of pairsOf(body.formdata)) {
        const field = obj(arr(body.formdata).find((e) => str(obj(e)?.key) === p.key));
        const isFile = str(field?.type) === 'file';
        const src = field?.src;
        comments.push(`#   ${p.key}${isFile ? ` = file ${Array.isArray(src) ? src.join(', ') : str(src) ?? ''}` : ` = ${p.value ?? ''}`}${p.disabled ? ' (disabled)' : ''}`);
      }
      summary.add('comment', `${title}: body`, 'multipart form-data is not sent by request files; the fields are kept as comments.');
      return undefined;
    }
    case 'file': {
      const src = str(obj(body.file)?.src) ?? str(obj(body.file)?.content);
      comments.push(`# Postman file body, not converted: ${src ?? '(no file chosen)'}`);
      summary.add('comment', `${title}: body`, 'a body read from a file is not converted; paste its content as the body.');
      return undefined;
    }
    case 'graphql': {
      const g = obj(body.graphql) ?? {};
      let variables: unknown;
      try {
        variables = typeof g.variables === 'string' && g.variables.trim() ? JSON.parse(g.variables) : obj(g.variables);
      } catch {
        variables = undefined;
        summary.add('warning', `${title}: body`, 'the GraphQL variables are not valid JSON and were left out.');
      }
      summary.add('warning', `${title}: body`, 'the GraphQL query became a JSON body ({"query": …}); the Sage 200 API itself has no GraphQL endpoint.');
      if (!hasHeader(headers, 'Content-Type')) headers.push({ name: 'Content-Type', value: 'application/json' });
      return JSON.stringify({ query: str(g.query) ?? '', ...(variables !== undefined ? { variables } : {}) }, null, 2);
    }
    default:
      if (mode) summary.add('dropped', `${title}: body`, `unknown body mode "${mode}".`);
      return undefined;
  }
}

/** A file name from a folder or collection name: no path separators or characters Windows refuses. */
function fileName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what file names cannot hold
  const cleaned = trimDotsAndSpaces(name.replace(/[\\/:*?"<>|\x00-\x1f]+/g, '-')).slice(0, 80).trim();
  return cleaned || 'requests';
}

/**
 * Drops leading and trailing dots and white space, as `.replace(/^[\s.]+|[\s.]+$/g, '')` did; that
 * pattern took quadratic time on a name with a long run of spaces inside (`[\s.]+$` was tried from
 * every space of the run).
 */
function trimDotsAndSpaces(s: string): string {
  const DOT_OR_SPACE = /[\s.]/;
  let start = 0;
  while (start < s.length && DOT_OR_SPACE.test(s[start])) start++;
  let end = s.length;
  while (end > start && DOT_OR_SPACE.test(s[end - 1])) end--;
  return s.slice(start, end);
}
