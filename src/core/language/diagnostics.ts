import { enumValuesOf, Field, isKnownEnumValue, Operation } from '../catalog';
import { JsonNode } from '../requestFile/jsonScan';
import { PlacedBlock, placedReading } from '../requestFile/placement';
import { FileVariable, RequestBlock, Span } from '../requestFile/types';
import { checkRef, expandPlain, VariableDefinition } from '../requestFile/variables';
import { analyzeRequest, BlockDiagnostics, FileAnalysis, FileDiagnostics, LanguageContext, RequestAnalysis } from './analysis';
import { odataDiagnostics } from './odataBridge';
import { assertionDiagnostics } from './assertions';
import { LangDiagnostic } from './types';

const KNOWN_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);

/**
 * Every diagnostic of a file: syntax issues, then file variables, then each request. They are made
 * per block and kept with its reading (see FileAnalysis). After an edit, the previous version's
 * lists serve the blocks before and after the change (moved), and only the blocks read again are
 * checked; references are checked again only when the file variables or request names changed.
 */
export function computeDiagnostics(fa: FileAnalysis, ctx: LanguageContext): LangDiagnostic[] {
  const d = fileDiagnostics(fa, ctx);
  const out: LangDiagnostic[] = [];
  const add = (lists: readonly (readonly LangDiagnostic[])[]): void => {
    // Item by item: `push(...list)` fails on a list longer than the call stack allows.
    for (const list of lists) for (const d of list) out.push(d);
  };
  add(d.issues);
  for (const d of duplicateNames(fa)) out.push(d);
  add(d.variables);
  add(d.requests);
  return out;
}

function fileDiagnostics(fa: FileAnalysis, ctx: LanguageContext): FileDiagnostics {
  if (fa.diagnostics?.ctx === ctx && fa.diagnostics.facts === fa.facts) return fa.diagnostics;
  const before = fa.edit?.before.diagnostics;
  const change = fa.edit?.change;
  fa.edit = undefined;
  const suggestions = new Map<string, string | undefined>();
  const made = { issues: [] as (readonly LangDiagnostic[])[], variables: [] as (readonly LangDiagnostic[])[], requests: [] as (readonly LangDiagnostic[])[] };
  const make = (b: PlacedBlock): void => {
    const delta = b.start - b.parsed.start;
    const issues = b.parsed.issues;
    made.issues.push(issues.length ? issues.map((i) => ({ span: moved(i.span, delta), severity: i.severity, message: i.message, code: i.code })) : NONE);
    if (!b.parsed.request && b.parsed.fileVariables.length === 0) {
      made.variables.push(NONE);
      made.requests.push(NONE);
      return;
    }
    const kept = keptDiagnostics(fa, b, ctx, suggestions);
    const { refs, local, at } = kept;
    made.variables.push(refs.variables.length ? refs.variables.map((x) => movedDiagnostic(x, b.start - refs.at)) : NONE);
    made.requests.push(refs.items.length + local.length === 0 ? NONE
      : [...refs.items.map((x) => movedDiagnostic(x, b.start - refs.at)), ...local.map((x) => movedDiagnostic(x, b.start - at))]);
  };
  if (before && change && before.ctx === ctx && before.facts === fa.facts) {
    // Blocks [first, first + added) are new; the rest were there before, those after the change moved.
    for (let k = change.first; k < change.first + change.added; k++) make(fa.blocks[k]);
    const splice = (lists: readonly (readonly LangDiagnostic[])[], fresh: (readonly LangDiagnostic[])[]): (readonly LangDiagnostic[])[] => [
      ...lists.slice(0, change.first), ...fresh,
      ...lists.slice(change.keep).map((l) => (l.length === 0 || change.delta === 0 ? l : l.map((x) => movedDiagnostic(x, change.delta)))),
    ];
    fa.diagnostics = {
      ctx, facts: fa.facts, issues: splice(before.issues, made.issues), variables: splice(before.variables, made.variables), requests: splice(before.requests, made.requests),
    };
  } else {
    for (const b of fa.blocks) make(b);
    fa.diagnostics = { ctx, facts: fa.facts, ...made };
  }
  return fa.diagnostics;
}

const NONE: readonly LangDiagnostic[] = [];

/** A name given to a second request: references to it would be ambiguous. */
function duplicateNames(fa: FileAnalysis): LangDiagnostic[] {
  const repeated = new Set(fa.facts.duplicates);
  if (repeated.size === 0) return [];
  const out: LangDiagnostic[] = [];
  let ordinal = 0;
  for (const b of fa.blocks) {
    const r = b.parsed.request;
    if (r?.name === undefined) continue;
    if (repeated.has(ordinal++)) {
      out.push({ span: moved(r.nameSpan!, b.start - b.parsed.start), severity: 'error', message: `Another request is already named "${r.name}".`, code: 'duplicate-name' });
    }
  }
  return out;
}

/** Problems with the file variables of a block: cycles, undefined references, values too large. */
function variableDiagnostics(fa: FileAnalysis, vars: readonly FileVariable[], ctx: LanguageContext, out: LangDiagnostic[]): void {
  const scope = fa.scope(ctx);
  for (const v of vars) {
    for (const ref of v.refs) {
      if (ref.kind === 'plain' && ref.name === v.name) {
        out.push({ span: ref.span, severity: 'error', message: `"${v.name}" refers to itself.`, code: 'variable-cycle' });
        continue;
      }
      const problem = checkRef(ref, NAMES_GIVEN, scope, fa.requestNames);
      if (problem) out.push({ span: ref.span, severity: problem.severity, message: problem.message, code: 'undefined-variable' });
    }
    // Too deep or too large is reported where it arises; variables that use this one share the reason.
    const e = expandPlain(v.name, scope);
    if (e?.kind === 'refused' && e.code !== 'variable-cycle' && e.origin === v.name && sameSpan(scope.get(v.name)?.span, v.nameSpan)) {
      out.push({ span: v.nameSpan, severity: 'error', message: `${e.message} Sending a request that uses it fails.`, code: e.code });
    }
  }
}

function sameSpan(a: Span | undefined, b: Span): boolean {
  return a !== undefined && a.start === b.start && a.end === b.end;
}

/** A block's kept diagnostics, made again where they no longer hold. */
function keptDiagnostics(fa: FileAnalysis, b: PlacedBlock, ctx: LanguageContext, suggestions: Map<string, string | undefined>): Required<BlockDiagnostics> {
  let kept = fa.blockDiagnostics.get(b.parsed);
  const localStale = !kept || kept.ctx !== ctx;
  if (!localStale && kept!.refs?.facts === fa.facts) return kept as Required<BlockDiagnostics>;
  // What is made again is made on the block's reading moved to where the block lies now.
  const { request, fileVariables } = placedReading(fa.text, b);
  if (!kept || localStale) {
    const local: LangDiagnostic[] = [];
    if (request) {
      localDiagnostics(fa.text, analyzeRequest(fa.text, request, ctx), ctx, local, suggestions);
      assertionDiagnostics(request, local);
    }
    kept = { ctx, at: b.start, local: local.length ? local : NONE, refs: undefined };
    fa.blockDiagnostics.set(b.parsed, kept);
  }
  const items: LangDiagnostic[] = [];
  const variables: LangDiagnostic[] = [];
  if (request) referenceDiagnostics(fa, request, ctx, items);
  variableDiagnostics(fa, fileVariables, ctx, variables);
  kept.refs = { facts: fa.facts, at: b.start, items: items.length ? items : NONE, variables: variables.length ? variables : NONE };
  return kept as Required<BlockDiagnostics>;
}

/** checkRef reads the requests only for their names, which FileAnalysis already has. */
const NAMES_GIVEN = { requests: [] };

function moved(span: Span, delta: number): Span {
  return delta === 0 ? span : { start: span.start + delta, end: span.end + delta };
}

function movedDiagnostic(d: LangDiagnostic, delta: number): LangDiagnostic {
  if (delta === 0) return d;
  const fixes = d.fixes?.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, span: moved(e.span, delta) })) }));
  return { ...d, span: moved(d.span, delta), ...(fixes ? { fixes } : {}) };
}

/**
 * Distinct unknown paths per pass that get a "did you mean" search. Each search reads the whole
 * catalog (about half a millisecond): a file of thousands of different unknown paths would
 * otherwise hold the editor for seconds on every keystroke. Past this, they are still reported.
 */
const SUGGESTED_PATHS_PER_PASS = 100;

/** Problems with a request's `{{…}}` references: they depend on the file variables and request names. */
function referenceDiagnostics(fa: FileAnalysis, request: RequestBlock, ctx: LanguageContext, out: LangDiagnostic[]): void {
  const scope = fa.scope(ctx);
  for (const ref of request.refs) {
    const problem = checkRef(ref, NAMES_GIVEN, scope, fa.requestNames);
    if (problem) out.push({ span: ref.span, severity: problem.severity, message: problem.message, code: 'undefined-variable' });
    else if (ref.kind === 'plain') refusedVariable(ref.name, ref.span, scope, out);
  }
}

/** Problems a request has on its own: its path and method, its query, its body. `suggestions`: see SUGGESTED_PATHS_PER_PASS. */
function localDiagnostics(text: string, a: RequestAnalysis, ctx: LanguageContext, out: LangDiagnostic[], suggestions: Map<string, string | undefined>): void {
  const { line } = a;
  if (!line) return;
  const method = line.method;
  if (a.apiPath && a.apiPath.text !== '/sites') pathDiagnostics(a, method, ctx, out, suggestions);
  if (a.apiPath?.text === '/sites' && method !== 'GET') {
    out.push({ span: line.methodSpan, severity: 'error', message: '/sites only supports GET.', code: 'method-not-allowed' });
  }

  if (a.odata && a.query) {
    const q = a.query;
    for (const d of odataDiagnostics(a, ctx)) {
      // Ranges from the OData layer are offsets into the joined query; map them onto the document.
      out.push({
        ...d,
        span: q.map.spanToDoc(d.span.start, d.span.end),
        ...(d.fixes ? { fixes: d.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, span: q.map.spanToDoc(e.span.start, e.span.end) })) })) } : {}),
      });
    }
  }
  bodyDiagnostics(a, method, ctx, out, text);
}

/** A reference to a variable that `send` would refuse (a cycle, too deep, too large): the request cannot be sent. */
function refusedVariable(name: string, span: Span, scope: ReadonlyMap<string, VariableDefinition>, out: LangDiagnostic[]): void {
  const e = expandPlain(name, scope);
  if (e?.kind === 'refused') out.push({ span, severity: 'error', message: e.message, code: e.code });
}

function pathDiagnostics(a: RequestAnalysis, method: string, ctx: LanguageContext, out: LangDiagnostic[], suggestions: Map<string, string | undefined>): void {
  const line = a.line!;
  const span = a.apiPath!.span;
  const catalog = ctx.catalog;
  if (!a.resolved) {
    const typed = a.apiPath!.text;
    let suggestion = suggestions.get(typed);
    if (!suggestions.has(typed) && suggestions.size < SUGGESTED_PATHS_PER_PASS) {
      suggestion = catalog.suggestPath(typed);
      suggestions.set(typed, suggestion);
    }
    out.push({
      span,
      severity: 'error',
      message: `Unknown path ${a.apiPath!.text}: no Sage 200 endpoint matches it.${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
      code: 'unknown-path',
    });
    return;
  }
  const op = a.resolved.operation;
  if (!(op.verbs as readonly string[]).includes(method) && KNOWN_METHODS.has(method)) {
    const collection = op.isItem ? findOperation(catalog.operations, op.path.replace(/\/\{[^}]+\}$/, '')) : undefined;
    const item = !op.isItem ? catalog.operations.find((o) => o.isItem && o.path.replace(/\/\{[^}]+\}$/, '') === op.path) : undefined;
    if ((method === 'PUT' || method === 'DELETE') && item && (item.verbs as readonly string[]).includes(method)) {
      out.push({ span, severity: 'error', message: `${method} needs the id of a record: ${method} ${item.path.replace(/\{[^}]+\}$/, '{id}')}.`, code: 'missing-id' });
    } else if (method === 'POST' && collection && (collection.verbs as readonly string[]).includes('POST')) {
      const idStart = span.start + a.apiPath!.text.lastIndexOf('/');
      out.push({
        span: { start: idStart, end: span.end },
        severity: 'error',
        message: `POST creates a record and takes no id: POST ${collection.path}.`,
        code: 'post-with-id',
        fixes: [{ title: 'Remove the id', edits: [{ span: { start: idStart, end: span.end }, newText: '' }], preferred: true }],
      });
    } else {
      out.push({
        // The method's span is made on demand by the parse tree: only here, where it is reported.
        span: line.implicitMethod ? span : line.methodSpan,
        severity: 'error',
        message: `${method} is not available on ${op.path}; it supports ${op.verbs.join(', ')}.`,
        code: 'method-not-allowed',
      });
    }
  }
  if (op.professionalOnly && ctx.edition === 'standard') {
    out.push({ span, severity: 'error', message: `${op.path} exists only in Sage 200 Professional; this connection is Standard.`, code: 'professional-only' });
  }
}

function findOperation(ops: readonly Operation[], path: string): Operation | undefined {
  return ops.find((o) => o.path === path);
}

const fieldMaps = new WeakMap<readonly Field[], Map<string, Field>>();
const requiredLists = new WeakMap<readonly Field[], readonly Field[]>();

/**
 * The fields a new record must be sent with (required, writable, no default), once per field list:
 * a file of many POST bodies would otherwise walk every field of the schema for each body.
 */
function requiredOf(fields: readonly Field[]): readonly Field[] {
  let r = requiredLists.get(fields);
  if (!r) requiredLists.set(fields, r = fields.filter((f) => f.required && !f.readOnly && f.default === undefined));
  return r;
}

/** Name -> field, built once per field list (the catalog returns the same array each time). */
function fieldMap(fields: readonly Field[]): Map<string, Field> {
  let m = fieldMaps.get(fields);
  if (!m) fieldMaps.set(fields, m = new Map(fields.map((f) => [f.name, f])));
  return m;
}

/** Fields of a schema: the catalog's, plus any the live API reported. */
export function fieldsOf(ctx: LanguageContext, schemaName: string): readonly Field[] {
  const base = ctx.catalog.fields(schemaName);
  const extra = ctx.extraFields?.(schemaName);
  if (!extra?.length) return base;
  const known = new Set(base.map((f) => f.name));
  return [...base, ...extra.filter((f) => !known.has(f.name))];
}

function bodyDiagnostics(a: RequestAnalysis, method: string, ctx: LanguageContext, out: LangDiagnostic[], text: string): void {
  const { request } = a;
  const body = request.body;
  if (!body) {
    if ((method === 'POST' || method === 'PUT') && a.resolved?.schema) {
      out.push({ span: a.line!.span, severity: 'warning', message: `${method} ${a.resolved.operation.path} needs a JSON body after a blank line.`, code: 'missing-body' });
    }
    return;
  }
  if (method === 'GET' || method === 'DELETE') {
    out.push({ span: body.span, severity: 'warning', message: `${method} requests carry no body; Sage 200 ignores it.`, code: 'unexpected-body' });
  }
  const json = a.json;
  if (!json) {
    if (method === 'POST' || method === 'PUT') {
      out.push({ span: firstLine(text, body.span), severity: 'error', message: 'The body is not JSON: Sage 200 expects a JSON object.', code: 'invalid-json' });
    }
    return;
  }
  for (const p of json.problems) out.push({ span: p.span, severity: 'error', message: p.message, code: 'invalid-json' });
  const schema = a.resolved?.schema;
  if (!schema || (method !== 'POST' && method !== 'PUT') || !json.root) return;
  if (json.root.kind !== 'object') {
    if (json.root.kind !== 'variable') out.push({ span: json.root.span, severity: 'error', message: `Expected a JSON object describing a ${schema.name}.`, code: 'body-not-object' });
    return;
  }
  checkObject(json.root, schema.name, method === 'POST', ctx, out, 0);
}

function checkObject(node: JsonNode & { kind: 'object' }, schemaName: string, creating: boolean, ctx: LanguageContext, out: LangDiagnostic[], depth: number): void {
  const fields = fieldsOf(ctx, schemaName);
  if (!fields.length) return;
  const byName = fieldMap(fields);
  for (const p of node.properties) {
    const f = byName.get(p.key);
    if (!f) {
      out.push({ span: p.keySpan, severity: 'warning', message: `${schemaName} has no field "${p.key}".`, code: 'unknown-field' });
      continue;
    }
    if (f.readOnly && !(depth > 0 && f.name === 'id')) {
      out.push({
        span: p.keySpan,
        severity: 'warning',
        message: `${f.name} is read-only: Sage 200 sets it, and ignores or rejects a value sent here.`,
        code: 'readonly-field',
        fixes: [{ title: `Remove "${f.name}"`, edits: [{ span: removalSpan(node, p.span), newText: '' }] }],
      });
    }
    if (f.professionalOnly && ctx.edition === 'standard') {
      out.push({ span: p.keySpan, severity: 'error', message: `${f.name} exists only in Sage 200 Professional; this connection is Standard.`, code: 'professional-only' });
    }
    if (p.value) checkValue(p.value, f, schemaName, creating, ctx, out, depth);
  }
  if (creating && node.closed) {
    // Required fields are few: look each one up among the properties (no set of keys per object).
    const missing = requiredOf(fields).filter((f) => !hasKey(node, f.name) && !(f.professionalOnly && ctx.edition === 'standard'));
    if (missing.length) {
      out.push({
        span: { start: node.span.start, end: node.span.start + 1 },
        severity: 'error',
        message: `Missing required field${missing.length > 1 ? 's' : ''} for a new ${schemaName}: ${missing.map((f) => f.name).join(', ')}.`,
        code: 'missing-required',
      });
    }
  }
}

/**
 * Sage's OpenAPI files give enum fields the length of the stored code (`account_type`: at most 20)
 * while the API reads and writes the member's name (`TradingAccountTypeOpenItem`, its own default):
 * a known name is not too long.
 */
function isEnumMember(schemaName: string, f: Field, value: string): boolean {
  const set = enumValuesOf(schemaName, f);
  return set !== undefined && isKnownEnumValue(set, value);
}

function hasKey(node: JsonNode & { kind: 'object' }, key: string): boolean {
  for (const p of node.properties) if (p.key === key) return true;
  return false;
}

function checkValue(v: JsonNode, f: Field, schemaName: string, creating: boolean, ctx: LanguageContext, out: LangDiagnostic[], depth: number): void {
  if (v.kind === 'variable' || v.kind === 'invalid' || v.kind === 'null') return;
  // No closure here: this runs for every property of large bodies.
  const mismatch = mismatchReporter;
  switch (f.type) {
    case 'string':
      if (v.kind !== 'string') mismatch(out, v, f, 'text');
      else if (f.maxLength !== undefined && v.value.length > f.maxLength && !v.value.includes('{{') && !isEnumMember(schemaName, f, v.value)) {
        out.push({ span: v.span, severity: 'warning', message: `${f.name} holds at most ${f.maxLength} characters; this value has ${v.value.length}.`, code: 'max-length' });
      }
      break;
    case 'datetime':
      if (v.kind !== 'string') mismatch(out, v, f, 'a date-time string');
      else if (!v.value.includes('{{') && !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(v.value)) {
        out.push({ span: v.span, severity: 'warning', message: `${f.name} expects a date such as "2024-01-31" or "2024-01-31T09:30:00Z".`, code: 'type-mismatch' });
      }
      break;
    case 'integer':
      if (v.kind !== 'number' || !Number.isInteger(v.value)) mismatch(out, v, f, 'a whole number');
      break;
    case 'number':
      if (v.kind !== 'number') mismatch(out, v, f, 'a number');
      break;
    case 'boolean':
      if (v.kind !== 'boolean') mismatch(out, v, f, 'true or false');
      break;
    case 'object':
      if (v.kind !== 'object') mismatch(out, v, f, 'an object');
      else if (f.ref && depth < 8) checkObject(v, f.ref, creating, ctx, out, depth + 1);
      break;
    case 'array':
      if (v.kind !== 'array') mismatch(out, v, f, 'an array');
      else if (f.ref && depth < 8) {
        for (const item of v.items) if (item.kind === 'object') checkObject(item, f.ref, creating, ctx, out, depth + 1);
      }
      break;
  }
}

function mismatchReporter(out: LangDiagnostic[], v: JsonNode, f: Field, what: string): void {
  out.push({ span: v.span, severity: 'warning', message: `${f.name} is ${what}; this value is ${describe(v)}.`, code: 'type-mismatch' });
}

function describe(v: JsonNode): string {
  switch (v.kind) {
    case 'string': return 'text';
    case 'number': return 'a number';
    case 'boolean': return 'a boolean';
    case 'object': return 'an object';
    case 'array': return 'an array';
    default: return v.kind;
  }
}

/** The span to delete with a property: the property and the comma that separates it. */
function removalSpan(node: JsonNode & { kind: 'object' }, span: Span): Span {
  const i = node.properties.findIndex((p) => p.span.start === span.start);
  const next = node.properties[i + 1];
  if (next) return { start: span.start, end: next.span.start };
  const prev = node.properties[i - 1];
  if (prev) return { start: prev.span.end, end: span.end };
  return span;
}

function firstLine(text: string, span: Span): Span {
  let end = span.start;
  while (end < span.end && text[end] !== '\n' && text[end] !== '\r') end++;
  return { start: span.start, end };
}
