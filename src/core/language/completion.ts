import { Catalog, Field, Operation } from '../catalog';
import { objectAt } from '../requestFile/jsonScan';
import { METHODS, requestAt } from '../requestFile/parser';
import { Span } from '../requestFile/types';
import { SYSTEM_VARIABLES } from '../requestFile/variables';
import { FileAnalysis, LanguageContext, RequestAnalysis } from './analysis';
import { fieldsOf } from './diagnostics';
import { fieldDetail } from './describe';
import { odataCompletions } from './odataBridge';
import { assertionCompletions } from './assertions';
import { LangCompletion } from './types';

export const HEADER_NAMES: readonly { name: string; detail: string; values: readonly string[] }[] = [
  { name: 'Content-Type', detail: 'Media type of the body', values: ['application/json'] },
  { name: 'Accept', detail: 'Media type of the answer', values: ['application/json'] },
  { name: 'X-Site', detail: 'Site GUID (defaults to the active site)', values: ['{{$site}}'] },
  { name: 'X-Company', detail: 'Company id (defaults to the active company)', values: ['{{$company}}'] },
  { name: 'Authorization', detail: 'Added from your sign-in; set it only to override', values: ['Bearer {{token}}'] },
  { name: 'Ocp-Apim-Subscription-Key', detail: 'Legacy subscription key (older tenants)', values: ['{{$dotenv SUBSCRIPTION_KEY}}'] },
  { name: 'Cache-Control', detail: 'Caching directives', values: ['no-cache'] },
];

const METADATA_KEYS: readonly { key: string; detail: string }[] = [
  { key: 'name', detail: 'Name the request so others can use {{name.response…}}' },
  { key: 'note', detail: 'A note shown before sending' },
  { key: 'connection', detail: 'Send with this connection id instead of the active one' },
  { key: 'teardown', detail: 'In a test run, send this request last, even after a failure (clean-up)' },
  { key: 'continueOnError', detail: 'In a test run, go on after a request that gets no answer' },
];

/** Completions at a document offset. Reads the cached parse; only the request at the cursor is analysed. */
export function complete(fa: FileAnalysis, offset: number, ctx: LanguageContext): LangCompletion[] {
  const file = fa.file;
  const text = file.text;
  const line = file.lines.lineOf(offset);
  const ls = file.lines.starts[line];
  const before = text.slice(ls, offset);

  const variable = variableContext(text, ls, offset);
  if (variable) return variableCompletions(fa, variable, ctx);
  const assertion = assertionCompletions(fa, offset, ctx);
  if (assertion) return assertion;

  if (/^\s*###/.test(before)) return [];
  const meta = /^\s*(?:#|\/\/)\s*@([\w-]*)$/.exec(before);
  if (meta) {
    const start = offset - meta[1].length;
    return METADATA_KEYS.map((m) => ({ label: m.key, kind: 'keyword' as const, detail: m.detail, insertText: `${m.key} `, replace: { start, end: offset } }));
  }
  if (/^\s*(#|\/\/)/.test(before)) return [];

  const request = requestAt(file, offset);
  const rl = request?.requestLine;
  if (!request || !rl || offset < rl.span.start || (line < file.lines.lineOf(rl.span.start))) {
    // Before any request line: this line may become one.
    const m = /^(\s*)([A-Za-z]*)$/.exec(before);
    if (m) return methodCompletions({ start: ls + m[1].length, end: wordEnd(text, offset) });
    const withMethod = /^\s*([A-Za-z]+)\s+(\S*)$/.exec(before);
    if (withMethod && METHODS.includes(withMethod[1].toUpperCase() as typeof METHODS[number])) {
      return pathCompletions(ctx, withMethod[1].toUpperCase(), { start: offset - withMethod[2].length, end: pathEnd(text, offset) });
    }
    return [];
  }

  const a = fa.request(request.index, ctx);
  if (offset <= rl.span.end && line === file.lines.lineOf(rl.span.start)) {
    if (!rl.implicitMethod && offset <= rl.methodSpan.end) return methodCompletions(rl.methodSpan);
    if (offset <= rl.pathSpan.end && offset >= rl.urlSpan.start) {
      return pathCompletions(ctx, rl.method, { start: rl.urlSpan.start, end: rl.pathSpan.end });
    }
  }
  // The analysis's query: `request.query` joins the pieces anew on every read.
  const query = a.query;
  if (query) {
    const pieces = query.pieces;
    const last = pieces[pieces.length - 1];
    if (pieces.some((p) => offset >= p.span.start && offset <= p.span.end)) return queryCompletions(a, query.map.toJoined(offset), ctx);
    // Trailing blanks after the last query piece (`$filter=on_hold |`) still belong to the query.
    if (offset > last.span.end && /^[ \t]*$/.test(text.slice(last.span.end, offset))) {
      return queryCompletions(a, query.text.length, ctx, text.slice(last.span.end, offset), last.span.end);
    }
  }
  // `GET /customers?` with nothing after it yet: the query is empty but the cursor is in it.
  if (!query && offset === rl.urlSpan.end && text[offset - 1] === '?') return [];

  const bodyStart = request.body?.span.start ?? Infinity;
  if (offset < bodyStart && inHeaderArea(fa, a, line)) return headerCompletions(text, ls, offset);
  if ((rl.method === 'POST' || rl.method === 'PUT') && offset >= Math.min(bodyStart, request.span.end)) {
    return bodyCompletions(fa, a, offset, ctx);
  }
  if ((rl.method === 'POST' || rl.method === 'PUT') && !request.body && /^\s*$/.test(before)) {
    return bodyCompletions(fa, a, offset, ctx);
  }
  return [];
}

function wordEnd(text: string, offset: number): number {
  let e = offset;
  while (e < text.length && /[A-Za-z]/.test(text[e])) e++;
  return e;
}

function pathEnd(text: string, offset: number): number {
  let e = offset;
  while (e < text.length && !/[\s?]/.test(text[e])) e++;
  return e;
}

function methodCompletions(replace: Span): LangCompletion[] {
  const detail: Record<string, string> = {
    GET: 'Read records', POST: 'Create a record', PUT: 'Update a record', DELETE: 'Delete a record',
  };
  return METHODS.slice(0, 4).map((m, i) => ({
    label: m, kind: 'method' as const, detail: detail[m], insertText: `${m} `, replace, sortText: String(i), retrigger: true,
  }));
}

const pathItemCache = new WeakMap<Catalog, Map<string, readonly Omit<LangCompletion, 'replace'>[]>>();

/** Catalog paths for a verb, built once per catalog and verb; `{Id}` parameters become tab stops. */
export function pathCompletions(ctx: LanguageContext, method: string, replace: Span): LangCompletion[] {
  let perVerb = pathItemCache.get(ctx.catalog);
  if (!perVerb) pathItemCache.set(ctx.catalog, perVerb = new Map());
  const key = `${method}|${ctx.edition ?? ''}`;
  let items = perVerb.get(key);
  if (!items) {
    const ops = ctx.catalog.operations.filter((o) => (o.verbs as readonly string[]).includes(method));
    const built = ops.map((op) => pathItem(op, method, ctx));
    if (method === 'GET') built.push({ label: '/sites', kind: 'path', detail: 'Sites and companies you can use', insertText: '/sites', sortText: '0/sites' });
    items = built;
    perVerb.set(key, items);
  }
  return items.map((i) => ({ ...i, replace }));
}

function pathItem(op: Operation, method: string, ctx: LanguageContext): Omit<LangCompletion, 'replace'> {
  let n = 0;
  const snippet = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => `\${${++n}:${name === 'Id' ? 'id' : name}}`);
  const standard = ctx.edition === 'standard';
  const pro = op.professionalOnly ? ' · Professional only' : '';
  const detail = `${op.schema ?? ''}${op.isItem ? ' (one record)' : ''} · ${op.module}${pro}`;
  const rank = (op.professionalOnly && standard ? 2 : 0) + (op.isItem || op.params.length ? 1 : 0);
  return {
    label: op.path,
    kind: 'path',
    detail,
    documentation: `${method} ${op.path}\n\nVerbs: ${op.verbs.join(', ')}${op.schema ? `\n\nSchema: \`${op.schema}\`` : ''}${pro ? '\n\nSage 200 Professional only.' : ''}`,
    insertText: snippet,
    snippet: n > 0,
    sortText: `${rank}${op.path}`,
    filterText: op.path,
  };
}

function queryCompletions(a: RequestAnalysis, joined: number, ctx: LanguageContext, tail = '', tailAt = 0): LangCompletion[] {
  const q = a.query!;
  const len = q.text.length;
  const toDoc = (j: number): number => (j > len ? tailAt + (j - len) : q.map.toDoc(j));
  const items = odataCompletions(a, joined + tail.length, ctx, tail);
  return items.map((c) => ({
    ...c,
    replace: c.replace.start >= len || c.replace.end > len
      ? { start: toDoc(c.replace.start), end: toDoc(c.replace.end) }
      : q.map.spanToDoc(c.replace.start, c.replace.end),
  }));
}

function inHeaderArea(fa: FileAnalysis, a: RequestAnalysis, line: number): boolean {
  const { request } = a;
  const lines = fa.file.lines;
  const lineEnd = a.line!.span.end;
  const bodyStart = request.body?.span.start;
  let last = lines.lineOf(lineEnd);
  for (const p of a.query?.pieces ?? []) last = Math.max(last, lines.lineOf(p.span.end));
  for (const h of request.headers) last = Math.max(last, lines.lineOf(h.span.end));
  for (const c of request.comments) if (c.start > lineEnd && (bodyStart === undefined || c.start < bodyStart)) last = Math.max(last, lines.lineOf(c.end));
  return line > lines.lineOf(lineEnd) && line <= last + 1;
}

function headerCompletions(text: string, ls: number, offset: number): LangCompletion[] {
  const before = text.slice(ls, offset);
  const colon = before.indexOf(':');
  if (colon === -1) {
    const m = /^(\s*)([\w-]*)$/.exec(before);
    if (!m) return [];
    const start = ls + m[1].length;
    let end = offset;
    while (end < text.length && /[\w-]/.test(text[end])) end++;
    return HEADER_NAMES.map((h, i) => ({
      label: h.name, kind: 'header' as const, detail: h.detail, insertText: `${h.name}: `, replace: { start, end }, sortText: String(i).padStart(2, '0'), retrigger: true,
    }));
  }
  const name = before.slice(0, colon).trim().toLowerCase();
  const h = HEADER_NAMES.find((x) => x.name.toLowerCase() === name);
  if (!h) return [];
  let start = ls + colon + 1;
  while (start < offset && /\s/.test(text[start])) start++;
  let end = offset;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return h.values.map((v) => ({ label: v, kind: 'headerValue' as const, insertText: v, replace: { start, end } }));
}

interface VariableSite {
  /** Start of the expression after `{{`. */
  readonly start: number;
  readonly end: number;
  readonly typed: string;
}

function variableContext(text: string, ls: number, offset: number): VariableSite | undefined {
  // Search only the current line: a file-wide search would make each keystroke O(file).
  const rel = text.slice(ls, offset).lastIndexOf('{{');
  if (rel === -1) return undefined;
  const open = ls + rel;
  if (text.slice(open + 2, offset).includes('}}')) return undefined;
  const typed = text.slice(open + 2, offset);
  if (typed.includes('\n')) return undefined;
  let end = offset;
  while (end < text.length && /[\w.$-]/.test(text[end])) end++;
  return { start: open + 2, end, typed };
}

function variableCompletions(fa: FileAnalysis, site: VariableSite, ctx: LanguageContext): LangCompletion[] {
  const out: LangCompletion[] = [];
  const replace = { start: site.start + (site.typed.length - site.typed.trimStart().length), end: site.end };
  const typed = site.typed.trim();
  const ref = /^([A-Za-z_][\w-]*)\./.exec(typed);
  if (ref) {
    const name = ref[1];
    if (fa.file.requests.some((r) => r.name === name)) {
      for (const [insert, detail] of [
        [`${name}.response.body.$`, 'The whole JSON body'],
        [`${name}.response.body.$[0].id`, 'The id of the first record'],
        [`${name}.response.body.$.id`, 'The id of the returned record'],
        [`${name}.response.headers.content-type`, 'A response header'],
      ] as const) {
        out.push({ label: insert, kind: 'variable', detail, insertText: insert, replace });
      }
      return out;
    }
  }
  for (const def of fa.scope(ctx).values()) {
    out.push({
      label: def.name, kind: 'variable', detail: `${def.source === 'file' ? 'file variable' : def.source === 'shared' ? '$shared environment' : `environment ${ctx.environment ?? ''}`} = ${def.value}`,
      insertText: def.name, replace, sortText: `0${def.name}`,
    });
  }
  for (const s of SYSTEM_VARIABLES) {
    out.push({ label: s.name, kind: 'variable', detail: s.detail, insertText: s.insert, replace, sortText: `1${s.name}` });
  }
  for (const r of fa.file.requests) {
    if (!r.name) continue;
    out.push({
      label: `${r.name}.response.body.$`, kind: 'variable', detail: `Body of the response to "${r.name}"`,
      insertText: `${r.name}.response.body.$`, replace, sortText: `2${r.name}`,
    });
    out.push({
      label: `${r.name}.response.headers`, kind: 'variable', detail: `A header of the response to "${r.name}"`,
      insertText: `${r.name}.response.headers.`, replace, sortText: `2${r.name}h`, retrigger: false,
    });
  }
  return out;
}

/** JSON body: property names at key positions (writable fields, required first), value hints after `:`. */
function bodyCompletions(fa: FileAnalysis, a: RequestAnalysis, offset: number, ctx: LanguageContext): LangCompletion[] {
  const schema = a.resolved?.schema;
  if (!schema) return [];
  const text = fa.file.text;
  const method = a.request.requestLine!.method;
  const body = a.request.body;
  if (!body || offset < body.span.start) {
    // Nothing typed yet: offer the whole object with the required fields.
    const req = fieldsOf(ctx, schema.name).filter((f) => f.required && !f.readOnly && f.default === undefined);
    let n = 0;
    const inner = req.map((f) => `  "${f.name}": ${valueSnippet(f, ++n)}`).join(',\n');
    return [{
      label: `{ … } new ${schema.name}`, kind: 'snippet', detail: method === 'POST' ? 'Required fields' : 'Fields to update',
      insertText: method === 'POST' ? `{\n${inner}${inner ? '\n' : ''}}` : '{\n  $0\n}', snippet: true, replace: { start: offset, end: offset },
    }];
  }
  const at = objectAt(a.json?.root, offset);
  if (!at) return [];
  // Walk the key path from the root schema through child objects and arrays.
  let schemaName: string | undefined = schema.name;
  for (const key of at.path) {
    const f: Field | undefined = schemaName ? fieldsOf(ctx, schemaName).find((x) => x.name === key) : undefined;
    schemaName = f?.ref;
  }
  if (!schemaName) return [];
  // Key or value position? Look back past the partial word for `{` / `,` (key) or `:` (value).
  let i = offset;
  while (i > at.node.span.start && /[\w"]/.test(text[i - 1])) i--;
  let j = i;
  while (j > at.node.span.start && /\s/.test(text[j - 1])) j--;
  const prev = text[j - 1];
  const fields = fieldsOf(ctx, schemaName);
  if (prev === ':') {
    let k = j - 1;
    while (k > 0 && /\s/.test(text[k - 1])) k--;
    const keyEnd = k;
    const keyStart = text.lastIndexOf('"', keyEnd - 2);
    const key = text.slice(keyStart + 1, keyEnd - 1);
    const f = fields.find((x) => x.name === key);
    return f ? valueCompletions(f, { start: i, end: offset }) : [];
  }
  if (prev !== '{' && prev !== ',') return [];
  const present = new Set(at.node.properties.filter((p) => offset < p.keySpan.start || offset > p.keySpan.end).map((p) => p.key));
  let end = offset;
  while (end < text.length && /[\w"]/.test(text[end])) end++;
  const replace = { start: i, end };
  const creating = method === 'POST';
  return fields
    .filter((f) => !f.readOnly && !present.has(f.name) && !(f.professionalOnly && ctx.edition === 'standard'))
    .map((f) => {
      const required = creating && f.required && f.default === undefined;
      return {
        label: required ? `${f.name} (required)` : f.name,
        kind: 'property' as const,
        detail: fieldDetail(f),
        insertText: `"${f.name}": ${valueSnippet(f, 1)}`,
        snippet: true,
        filterText: `"${f.name}`,
        replace,
        sortText: `${required ? 0 : 1}${f.name}`,
        preselect: required,
      };
    });
}

function valueSnippet(f: Field, n: number): string {
  switch (f.type) {
    case 'string': return `"\${${n}}"`;
    case 'datetime': return `"\${${n}:${new Date().toISOString().slice(0, 10)}}"`;
    case 'boolean': return `\${${n}|true,false|}`;
    case 'object': return `{\${${n}}}`;
    case 'array': return `[\${${n}}]`;
    default: return `\${${n}:${f.default ?? 0}}`;
  }
}

function valueCompletions(f: Field, replace: Span): LangCompletion[] {
  const v = (label: string, detail?: string): LangCompletion => ({ label, kind: 'value', insertText: label, replace, ...(detail ? { detail } : {}) });
  switch (f.type) {
    case 'boolean': return [v('true'), v('false')];
    case 'datetime': return [v(`"${new Date().toISOString().slice(0, 10)}"`, 'a date'), v(`"${new Date().toISOString()}"`, 'a date-time (UTC, with Z)')];
    case 'string': return f.default !== undefined ? [v(JSON.stringify(f.default), 'default')] : [v('""')];
    default: return f.default !== undefined ? [v(String(f.default), 'default')] : [];
  }
}
