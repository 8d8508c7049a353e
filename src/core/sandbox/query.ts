import type { Catalog, Field, Schema } from '../catalog';
import { parseEncodedQueryString } from '../odata';
import type { FilterExpr, ODataSyntaxError, QueryOptions } from '../odata';
import { Rec, Table, scalarFields } from './store';
import { compileSandboxFilter } from './filterEval';

/**
 * OData query options for the sandbox: parsed by the project's one OData parser (src/core/odata),
 * checked against the catalog, and evaluated over a table's records.
 */

export { QueryErrorBase as QueryError } from './queryError';
import { QueryErrorBase as QueryError } from './queryError';

export const DEFAULT_TOP = 500;
export const MAX_TOP = 5000;

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

/** A syntax error with the column inside the option's value, as people read it. */
function syntaxMessage(q: QueryOptions, e: ODataSyntaxError): string {
  const opt = q.options.find((o) => e.start >= o.start && e.start <= o.end);
  if (!opt) return `Syntax error in the query string at position ${e.start + 1}: ${e.message}.`;
  const col = Math.max(1, e.start - opt.valueStart + 1);
  const where = e.start >= opt.valueStart ? `${opt.name} at column ${col}` : opt.name || 'the query string';
  return `Syntax error in ${where}: ${e.message}.`;
}

export function parseQuery(catalog: Catalog, schema: Schema, query: string, edition: 'standard' | 'professional', opts: { item?: boolean } = {}): ParsedQuery {
  const q = parseEncodedQueryString(query);
  if (q.errors.length) throw new QueryError(400, syntaxMessage(q, q.errors[0]));
  const field = (path: string, option: string): Field => {
    const f = catalog.field(schema.name, path);
    if (!f || (edition === 'standard' && pathIsProfessional(catalog, schema, path))) {
      throw new QueryError(400, `Could not find a property named '${path}' on type '${schema.name}' (in ${option}).`);
    }
    return f;
  };
  let top = DEFAULT_TOP;
  if (q.top) {
    const v = q.top.value;
    if (v === undefined) throw new QueryError(400, `$top must be a whole number, not '${q.top.option.value}'.`);
    if (v < 1) throw new QueryError(400, `$top must be at least 1 (it is ${v}).`);
    if (v > MAX_TOP) throw new QueryError(400, `$top cannot be more than ${MAX_TOP} (it is ${v}). Page with $skip and $orderby instead.`);
    top = v;
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
    const f = field(it.path, '$expand');
    if (f.type !== 'object' && f.type !== 'array') throw new QueryError(400, `The property '${it.path}' cannot be expanded: it is not a linked object or array.`);
    return it.path;
  });
  const select = q.select?.items.map((it) => {
    if (it.path === '*') return '*';
    field(it.path, '$select');
    return it.path;
  });
  const orderby = q.orderby?.items.map((it) => {
    const f = field(it.path, '$orderby');
    if (f.type === 'object' || f.type === 'array') throw new QueryError(400, `Cannot order by '${it.path}': it is an ${f.type}, not a value.`);
    return { path: it.path, desc: it.dir === 'desc' };
  });
  if (opts.item && (q.filter || q.orderby || q.top || q.skip)) {
    // Sage ignores these on a single record; so does the sandbox.
  }
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

/** Reads a dotted path, expanding linked objects on the way (`customer.name` on a sales order). */
export function readPath(catalog: Catalog, schema: Schema, rec: Record<string, unknown>, path: string, expander: Expander): unknown {
  if (!path.includes('.')) return rec[path];
  let current: unknown = rec;
  let currentSchema: Schema | undefined = schema;
  for (const step of path.split('.')) {
    if (current === null || current === undefined || typeof current !== 'object' || !currentSchema) return null;
    const f = catalog.field(currentSchema.name, step);
    if (!f) return null;
    const obj = current as Record<string, unknown>;
    current = f.type === 'object' || f.type === 'array' ? expander(f, obj, currentSchema) : obj[step];
    currentSchema = f.ref ? catalog.schema(f.ref) : undefined;
  }
  return current;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return (a ? 1 : 0) - (b ? 1 : 0);
  const sa = String(a);
  const sb = String(b);
  // Sage sorts text case-insensitively (SQL Server's default collation).
  const la = sa.toLowerCase();
  const lb = sb.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : sa < sb ? -1 : sa > sb ? 1 : 0;
}

const METADATA_TYPES: Record<string, string> = { string: 'String', datetime: 'DateTime', integer: 'Int64', number: 'Decimal', boolean: 'Boolean', object: 'Object', array: 'Array' };

function metadataOf(schema: Schema, edition: 'standard' | 'professional', includeLinked: boolean, q: ParsedQuery): unknown[] {
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
export function runQuery(catalog: Catalog, table: Table, records: readonly Rec[], query: string, edition: 'standard' | 'professional', expander: Expander): { status: number; json?: string; value?: unknown } {
  const schema = table.schema;
  const q = parseQuery(catalog, schema, query, edition);
  if (q.metadata !== undefined) return { status: 200, value: metadataOf(schema, edition, q.metadata, q) };
  let rows: readonly Rec[] = records;
  if (q.filter) {
    const predicate = compileSandboxFilter(q.filter, {
      catalog, schema, edition,
      read: (rec, path) => readPath(catalog, schema, rec, path, expander),
    });
    rows = rows.filter((r) => predicate(r));
  }
  if (q.count) return { status: 200, json: String(rows.length) };
  if (q.orderby) {
    const keys = q.orderby;
    const simple = keys.every((k) => !k.path.includes('.'));
    const read = simple ? (r: Rec, p: string) => r[p] : (r: Rec, p: string) => readPath(catalog, schema, r, p, expander);
    rows = [...rows].sort((a, b) => {
      for (const k of keys) {
        const c = compare(read(a, k.path), read(b, k.path));
        if (c !== 0) return k.desc ? -c : c;
      }
      return a.id - b.id;
    });
  }
  const page = rows.slice(q.skip, q.skip + q.top);
  if (!q.select && !q.expand) {
    const parts = new Array<string>(page.length);
    for (let i = 0; i < page.length; i++) parts[i] = table.toJson(page[i], edition);
    return { status: 200, json: `[${parts.join(',')}]` };
  }
  return { status: 200, value: page.map((r) => projectRecord(catalog, table, r, q, edition, expander)) };
}

/** Applies $expand and $select to one record (dotted $select paths expand what they pass through). */
export function projectRecord(catalog: Catalog, table: Table, rec: Rec, q: Pick<ParsedQuery, 'select' | 'expand'>, edition: 'standard' | 'professional', expander: Expander): Record<string, unknown> {
  const schema = table.schema;
  const base = table.toPlain(rec, edition);
  const expanded: Record<string, unknown> = { ...base };
  const expandPaths = new Set(q.expand ?? []);
  for (const s of q.select ?? []) {
    const dot = s.indexOf('.');
    if (dot > 0) expandPaths.add(s.slice(0, dot));
  }
  for (const path of expandPaths) {
    const f = catalog.field(schema.name, path.split('.')[0]);
    if (f && (f.type === 'object' || f.type === 'array')) expanded[f.name] = stripLinked(catalog, f, expander(f, rec, schema), edition);
  }
  if (!q.select || q.select.includes('*')) return expanded;
  const out: Record<string, unknown> = {};
  for (const path of q.select) {
    const dot = path.indexOf('.');
    if (dot < 0) {
      out[path] = path in expanded ? expanded[path] : rec[path];
      continue;
    }
    const head = path.slice(0, dot);
    const rest = path.slice(dot + 1);
    const value = expanded[head];
    if (Array.isArray(value)) {
      const prev = (out[head] as Record<string, unknown>[] | undefined) ?? value.map((): Record<string, unknown> => ({}));
      value.forEach((v: unknown, i: number) => { if (v && typeof v === 'object') prev[i][rest] = (v as Record<string, unknown>)[rest]; });
      out[head] = prev;
    } else if (value && typeof value === 'object') {
      const prev = (out[head] as Record<string, unknown> | undefined) ?? {};
      prev[rest] = (value as Record<string, unknown>)[rest];
      out[head] = prev;
    } else {
      out[head] = null;
    }
  }
  return out;
}

/** An expanded child shows its own scalar fields, not its further links. */
function stripLinked(catalog: Catalog, f: Field, value: unknown, edition: 'standard' | 'professional'): unknown {
  const child = f.ref ? catalog.schema(f.ref) : undefined;
  if (!child) return value;
  const names = scalarFields(child, edition).map((x) => x.name);
  const pick = (v: unknown): unknown => {
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const n of names) if (n in o) out[n] = o[n];
    return out;
  };
  return Array.isArray(value) ? value.map(pick) : pick(value);
}
