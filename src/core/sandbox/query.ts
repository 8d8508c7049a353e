import type { Catalog, Field, Schema } from '../catalog';
import { compileFilter, compileOrderBy, compileSelect, parseEncodedQueryString, validateQuery } from '../odata';
import type { EncodedQueryOptions, FilterExpr, ODataDiagnostic } from '../odata';
import { Rec, Table, scalarFields } from './store';
import { enumTables } from './enums';
import { SAGE_DEFAULT_TOP, SAGE_MAX_TOP } from '../odata/paging';

/**
 * OData query options for the sandbox, through the project's one OData implementation
 * (src/core/odata): parsed by the same parser, checked by the same validator and evaluated by the
 * same compiler that the editor uses. This file adds what only a server does: paging defaults,
 * following links for $expand, and turning validation errors into 400 answers.
 */

export { QueryErrorBase as QueryError } from './queryError';
import { QueryErrorBase as QueryError } from './queryError';

export type Expander = (field: Field, rec: Record<string, unknown>, schema: Schema) => unknown;

export interface ParsedQuery {
  readonly top: number;
  readonly skip: number;
  readonly count: boolean;
  readonly metadata?: boolean;
  readonly select?: readonly string[];
  readonly expand?: readonly string[];
  readonly orderby?: readonly { readonly path: string; readonly desc: boolean }[];
  readonly filter?: FilterExpr;
}

/** The validator's error as a message, with the option and the column inside its value. */
function diagnosticMessage(q: EncodedQueryOptions, d: ODataDiagnostic): string {
  const opt = q.options.find((o) => d.start >= o.start && d.start <= o.end);
  const text = d.message.replace(/[.]?$/, '.');
  if (!opt) return `Bad query at position ${d.start + 1}: ${text}`;
  const inValue = d.start >= opt.valueStart;
  const col = d.start - opt.valueStart + 1;
  const where = inValue ? `${opt.name || 'the query'} at column ${col}` : opt.name || 'the query string';
  return d.code === 'syntax' ? `Syntax error in ${where}: ${text}` : `Bad query (${where}): ${text}`;
}

export interface QueryOptions {
  /** The request addresses one record. */
  readonly item?: boolean;
  /** `$top` above Sage's maximum answers the maximum instead of 400 (a compatibility choice). */
  readonly clampTop?: boolean;
}

export function parseQuery(catalog: Catalog, schema: Schema, query: string, edition: 'standard' | 'professional', opts: QueryOptions = {}): ParsedQuery {
  const q = parseEncodedQueryString(query);
  const errors = validateQuery(q, { catalog, schema: schema.name, edition, method: 'GET', isItem: opts.item === true })
    .filter((d) => d.severity === 'error' && !(opts.clampTop && d.code === 'top-range' && (q.top?.value ?? 0) > SAGE_MAX_TOP));
  if (errors.length) throw new QueryError(400, diagnosticMessage(q, errors[0]));
  // What follows re-checks the few rules the server must never get wrong, whatever the validator says.
  const field = (path: string, option: string): Field => {
    const f = catalog.field(schema.name, path);
    if (!f || (edition === 'standard' && pathIsProfessional(catalog, schema, path))) {
      throw new QueryError(400, `Could not find a property named '${path}' on type '${schema.name}' (in ${option}).`);
    }
    return f;
  };
  let top = SAGE_DEFAULT_TOP;
  if (q.top) {
    const v = q.top.value;
    if (v === undefined) throw new QueryError(400, `$top must be a whole number, not '${q.top.option.value}'.`);
    if (v < 1) throw new QueryError(400, `$top must be at least 1 (it is ${v}).`);
    if (v > SAGE_MAX_TOP && !opts.clampTop) throw new QueryError(400, `$top cannot be more than ${SAGE_MAX_TOP} (it is ${v}). Page with $skip and $orderby instead.`);
    top = Math.min(v, SAGE_MAX_TOP);
  }
  let skip = 0;
  if (q.skip) {
    const v = q.skip.value;
    if (v === undefined) throw new QueryError(400, `$skip must be a whole number, not '${q.skip.option.value}'.`);
    if (v < 0) throw new QueryError(400, `$skip cannot be negative (it is ${v}).`);
    if (!q.orderby) throw new QueryError(400, 'The query option $skip can only be used together with $orderby.');
    skip = v;
  }
  const expand = q.expand?.items.map((it) => {
    if (it.path === '*') throw new QueryError(400, '$expand=* is not supported: name the fields to expand.');
    field(it.path, '$expand');
    return it.path;
  });
  const select = q.select?.items.map((it) => {
    if (it.path !== '*') field(it.path, '$select');
    return it.path;
  });
  const orderby = q.orderby?.items.map((it) => {
    field(it.path, '$orderby');
    return { path: it.path, desc: it.dir === 'desc' };
  });
  return {
    top, skip,
    count: q.count?.value === true,
    ...(q.metadata?.value !== undefined ? { metadata: q.metadata.value } : {}),
    ...(select ? { select } : {}),
    ...(expand ? { expand } : {}),
    ...(orderby ? { orderby } : {}),
    ...(q.filter?.expr ? { filter: q.filter.expr } : {}),
  };
}

function pathIsProfessional(catalog: Catalog, schema: Schema, path: string): boolean {
  const steps = path.split('.');
  let current = schema.name;
  for (const step of steps) {
    const f = catalog.field(current, step);
    if (!f) return false;
    if (f.professionalOnly) return true;
    if (!f.ref) break;
    current = f.ref;
  }
  return false;
}

/** Every field path a `$filter` tree reads. */
function filterPaths(e: FilterExpr, out: string[] = []): string[] {
  switch (e.kind) {
    case 'field': out.push(e.path); break;
    case 'paren': filterPaths(e.expr, out); break;
    case 'not': filterPaths(e.operand, out); break;
    case 'logical': for (const o of e.operands) filterPaths(o, out); break;
    case 'compare': filterPaths(e.left, out); filterPaths(e.right, out); break;
    case 'call': for (const x of e.args) filterPaths(x, out); break;
    default: break;
  }
  return out;
}

/** The linked fields (objects or arrays) that dotted paths start with: `customer` for `customer.name`. */
function linkHeads(catalog: Catalog, schema: Schema, paths: readonly string[]): Field[] {
  const heads = new Map<string, Field>();
  for (const p of paths) {
    const dot = p.indexOf('.');
    if (dot < 0) continue;
    const f = catalog.field(schema.name, p.slice(0, dot));
    if (f && (f.type === 'object' || f.type === 'array')) heads.set(f.name, f);
  }
  return [...heads.values()];
}

/**
 * A view of a record with its links followed, for filters and sorts on dotted paths: the record
 * is the prototype, so plain fields read through and only the links are materialized.
 */
function withLinks(rec: Rec, heads: readonly Field[], schema: Schema, expander: Expander): Record<string, unknown> {
  const view = Object.create(rec) as Record<string, unknown>;
  for (const f of heads) view[f.name] = expander(f, rec, schema);
  return view;
}

const METADATA_TYPES: Record<string, string> = { string: 'String', datetime: 'DateTime', integer: 'Int64', number: 'Decimal', boolean: 'Boolean', object: 'Object', array: 'Array' };

/** The answer to `$metadata=true|false`: the fields' names, types and sort (`false` leaves out links). */
export function metadataOf(schema: Schema, edition: 'standard' | 'professional', includeLinked: boolean, q: Pick<ParsedQuery, 'orderby'>): unknown[] {
  return schema.fields
    .filter((f) => (includeLinked || (f.type !== 'object' && f.type !== 'array')) && (edition === 'professional' || !f.professionalOnly))
    .map((f) => {
      const sortIndex = q.orderby?.findIndex((o) => o.path === f.name) ?? -1;
      let type = METADATA_TYPES[f.type];
      if (f.type === 'integer' && f.format) type = f.format.replace(/^int/, 'Int');
      return {
        name: f.name,
        type,
        sort_order: sortIndex >= 0 ? sortIndex + 1 : null,
        sort_direction: sortIndex >= 0 ? (q.orderby?.[sortIndex].desc ? 'Descending' : 'Ascending') : null,
        ...(f.ref ? { expandable: true } : {}),
      };
    });
}

/** Evaluates a collection request. Fast path: no $select/$expand serializes records straight from the table. */
export function runQuery(catalog: Catalog, table: Table, records: readonly Rec[], query: string, edition: 'standard' | 'professional', expander: Expander, opts: QueryOptions = {}): { status: number; json?: string; jsonArray?: readonly string[]; value?: unknown } {
  const schema = table.schema;
  const q = parseQuery(catalog, schema, query, edition, opts);
  if (q.metadata !== undefined) return { status: 200, value: metadataOf(schema, edition, q.metadata, q) };
  let rows: readonly Rec[] = records;
  if (q.filter) {
    // The whole table is filtered through its columns; a subset (a parent's lines) reads its records.
    const columns = records === table.records ? table.columns : undefined;
    const predicate = compileFilter(q.filter, { catalog, schema: schema.name, enumValues: enumTables(catalog, schema.name), columns });
    const heads = linkHeads(catalog, schema, filterPaths(q.filter));
    if (heads.length === 0 && q.count) {
      // Counting needs no list of 60,000 matches.
      let n = 0;
      for (let i = 0; i < records.length; i++) if (predicate(records[i], i)) n++;
      return { status: 200, json: String(n) };
    }
    rows = heads.length === 0 ? rows.filter((r, i) => predicate(r, i)) : rows.filter((r, i) => predicate(withLinks(r, heads, schema, expander), i));
  }
  if (q.count) return { status: 200, json: String(rows.length) };
  if (q.orderby && q.orderby.length === 1 && q.orderby[0].path === 'id') {
    // Tables keep records in id order, so the usual paging order needs no sort.
    if (q.orderby[0].desc) rows = [...rows].reverse();
  } else if (q.orderby) {
    const compare = compileOrderBy(q.orderby.map((o) => ({ path: o.path, dir: o.desc ? 'desc' as const : 'asc' as const })));
    const heads = linkHeads(catalog, schema, q.orderby.map((o) => o.path));
    if (heads.length === 0) {
      rows = [...rows].sort((a, b) => compare(a, b) || a.id - b.id);
    } else {
      const views = rows.map((r) => ({ r, v: withLinks(r, heads, schema, expander) }));
      views.sort((a, b) => compare(a.v, b.v) || a.r.id - b.r.id);
      rows = views.map((x) => x.r);
    }
  }
  const page = rows.slice(q.skip, q.skip + q.top);
  if (!q.select && !q.expand) {
    const parts = new Array<string>(page.length);
    for (let i = 0; i < page.length; i++) parts[i] = table.toJson(page[i], edition);
    return { status: 200, jsonArray: parts };
  }
  return { status: 200, value: page.map((r) => projectRecord(catalog, table, r, q, edition, expander)) };
}

/**
 * Applies $expand and $select to one record: links are followed (nested `lines.product` too) into
 * a plain object, then the shared `compileSelect` projects it. A dotted $select path expands its
 * parent even without $expand (the editor warns about it; the server is lenient).
 */
export function projectRecord(catalog: Catalog, table: Table, rec: Rec, q: Pick<ParsedQuery, 'select' | 'expand'>, edition: 'standard' | 'professional', expander: Expander): Record<string, unknown> {
  const expandPaths = new Set(q.expand ?? []);
  for (const s of q.select ?? []) {
    const steps = s.split('.');
    for (let i = 1; i < steps.length; i++) expandPaths.add(steps.slice(0, i).join('.'));
  }
  const tree = new Map<string, Set<string>>();
  for (const p of expandPaths) {
    const [head, ...rest] = p.split('.');
    const sub = tree.get(head) ?? new Set<string>();
    if (rest.length) sub.add(rest.join('.'));
    tree.set(head, sub);
  }
  const full = expandInto(catalog, table.schema, table.toPlain(rec, edition), rec, tree, edition, expander);
  return compileSelect(q.select, [...expandPaths])(full);
}

function expandInto(catalog: Catalog, schema: Schema, plain: Record<string, unknown>, source: Record<string, unknown>, tree: Map<string, Set<string>>, edition: 'standard' | 'professional', expander: Expander): Record<string, unknown> {
  for (const [head, rest] of tree) {
    const f = catalog.field(schema.name, head);
    if (!f || (f.type !== 'object' && f.type !== 'array')) continue;
    const child = f.ref ? catalog.schema(f.ref) : undefined;
    const value = expander(f, source, schema);
    const sub = new Map<string, Set<string>>();
    for (const p of rest) {
      const [h, ...r] = p.split('.');
      const set = sub.get(h) ?? new Set<string>();
      if (r.length) set.add(r.join('.'));
      sub.set(h, set);
    }
    const one = (v: unknown): unknown => {
      if (!v || typeof v !== 'object' || !child) return v ?? null;
      const names = scalarFields(child, edition).map((x) => x.name);
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const n of names) if (n in o) out[n] = o[n];
      return sub.size ? expandInto(catalog, child, out, o, sub, edition, expander) : out;
    };
    plain[head] = Array.isArray(value) ? value.map(one) : one(value);
  }
  return plain;
}
