import type { Catalog, Field, Schema } from '../catalog';
import type { FilterExpr, LiteralNode } from '../odata';
import { QueryErrorBase } from './queryError';

/**
 * Turns a parsed `$filter` tree (from the project's OData parser) into a predicate over records.
 * Compiled to closures once per request, so 100,000 records are filtered without re-walking the tree.
 * Semantics follow Sage 200 on SQL Server: text compares case-insensitively, dates compare as
 * instants, enum fields accept the name or the number.
 */

export interface FilterContext {
  readonly catalog: Catalog;
  readonly schema: Schema;
  readonly edition: 'standard' | 'professional';
  /** Reads a dotted path (expanding links); plain names are read directly. */
  readonly read: (rec: Record<string, unknown>, path: string) => unknown;
}

export type Predicate = (rec: Record<string, unknown>) => boolean;
type Getter = (rec: Record<string, unknown>) => unknown;

/** Enum names by number, for the fields whose values the sandbox writes as `Enum…` names. */
export const ENUM_VALUES: Readonly<Record<string, readonly string[]>> = {
  document_status: ['EnumDocumentStatusLive', 'EnumDocumentStatusOnHold', 'EnumDocumentStatusComplete', 'EnumDocumentStatusDisputed', 'EnumDocumentStatusCancelled'],
  account_status_type: ['EnumAccountStatusActive', 'EnumAccountStatusOnHold', 'EnumAccountStatusInactive'],
  product_status_type: ['EnumStockItemStatusTypeActive', 'EnumStockItemStatusTypeInactive'],
  line_type: ['EnumLineTypeStandard', 'EnumLineTypeFreeText', 'EnumLineTypeCharge', 'EnumLineTypeComment'],
};

export function compileSandboxFilter(expr: FilterExpr, ctx: FilterContext): Predicate {
  return compileBool(expr, ctx);
}

function fail(message: string): never {
  throw new QueryErrorBase(400, message);
}

function compileBool(e: FilterExpr, ctx: FilterContext): Predicate {
  switch (e.kind) {
    case 'paren': return compileBool(e.expr, ctx);
    case 'not': {
      const inner = compileBool(e.operand, ctx);
      return (r) => !inner(r);
    }
    case 'logical': {
      const parts = e.operands.map((o) => compileBool(o, ctx));
      if (e.op === 'and') {
        if (parts.length === 2) { const [a, b] = parts; return (r) => a(r) && b(r); }
        return (r) => parts.every((p) => p(r));
      }
      if (parts.length === 2) { const [a, b] = parts; return (r) => a(r) || b(r); }
      return (r) => parts.some((p) => p(r));
    }
    case 'call': return compileCall(e, ctx);
    case 'compare': return compileCompare(e, ctx);
    case 'field': {
      const f = fieldOf(e.path, ctx);
      if (f.type !== 'boolean') fail(`$filter: '${e.path}' is not a true/false field, so it cannot stand alone as a condition.`);
      const get = getter(e.path, ctx);
      return (r) => get(r) === true;
    }
    case 'literal':
      if (e.type === 'boolean') { const v = e.value === true; return () => v; }
      return fail(`$filter: the value ${e.raw} is not a condition.`);
    case 'variable': return fail(`$filter: the variable {{${e.name}}} was not replaced before sending.`);
    case 'error': return fail('$filter: a condition is missing.');
  }
}

function fieldOf(path: string, ctx: FilterContext): Field {
  const f = ctx.catalog.field(ctx.schema.name, path);
  if (!f || (ctx.edition === 'standard' && f.professionalOnly)) fail(`Could not find a property named '${path}' on type '${ctx.schema.name}' (in $filter).`);
  return f;
}

function getter(path: string, ctx: FilterContext): Getter {
  if (!path.includes('.')) return (r) => r[path];
  return (r) => ctx.read(r, path);
}

function compileCall(e: Extract<FilterExpr, { kind: 'call' }>, ctx: FilterContext): Predicate {
  const name = e.name.toLowerCase();
  if (name !== 'contains' && name !== 'startswith' && name !== 'endswith') fail(`$filter: unknown function '${e.name}'. Sage supports contains, startswith and endswith.`);
  if (e.args.length !== 2) fail(`$filter: ${name} takes two arguments, a field and a text in quotes.`);
  const [a, b] = e.args;
  if (a.kind !== 'field') fail(`$filter: the first argument of ${name} must be a field name.`);
  const f = fieldOf(a.path, ctx);
  if (f.type !== 'string') fail(`$filter: ${name} needs a text field, and '${a.path}' is ${f.type}.`);
  if (b.kind !== 'literal' || b.type !== 'string') fail(`$filter: the second argument of ${name} must be a text in single quotes.`);
  const needle = String(b.value).toLowerCase();
  const get = getter(a.path, ctx);
  const text = (r: Record<string, unknown>): string => {
    const v = get(r);
    return typeof v === 'string' ? v.toLowerCase() : '';
  };
  if (name === 'contains') return (r) => text(r).includes(needle);
  if (name === 'startswith') return (r) => text(r).startsWith(needle);
  return (r) => text(r).endsWith(needle);
}

type Op = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

function test(op: Op, c: number): boolean {
  switch (op) {
    case 'eq': return c === 0;
    case 'ne': return c !== 0;
    case 'gt': return c > 0;
    case 'ge': return c >= 0;
    case 'lt': return c < 0;
    case 'le': return c <= 0;
  }
}

const FLIP: Record<Op, Op> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };

function dateValue(text: string): number {
  // A bare date or a date-time without a zone is UTC, like the records' own values.
  const t = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : /[zZ]|[+-]\d{2}:\d{2}$/.test(text) ? text : `${text}Z`;
  return Date.parse(t);
}

function compileCompare(e: Extract<FilterExpr, { kind: 'compare' }>, ctx: FilterContext): Predicate {
  let op = e.op as Op;
  let left = e.left;
  let right = e.right;
  if (left.kind !== 'field' && right.kind === 'field') {
    [left, right] = [right, left];
    op = FLIP[op];
  }
  if (left.kind !== 'field') fail(`$filter: a comparison needs a field name on one side (near ${e.op}).`);
  const f = fieldOf(left.path, ctx);
  const get = getter(left.path, ctx);
  let lit: LiteralNode;
  if (right.kind === 'field') {
    // An unquoted word on the right is an enum name written without quotes (Sage accepts both).
    if (ctx.catalog.field(ctx.schema.name, right.path)) fail(`$filter: comparing two fields ('${left.path}' and '${right.path}') is not supported by Sage.`);
    lit = { kind: 'literal', type: 'string', value: right.path, raw: right.path, start: right.start, end: right.end };
  } else if (right.kind === 'literal') {
    lit = right;
  } else {
    return fail(`$filter: '${left.path} ${e.op}' must be followed by a value.`);
  }
  if (lit.type === 'null') {
    if (op !== 'eq' && op !== 'ne') fail(`$filter: null can only be compared with eq or ne.`);
    const want = op === 'eq';
    return (r) => { const v = get(r); return (v === null || v === undefined) === want; };
  }
  switch (f.type) {
    case 'boolean': {
      if (lit.type !== 'boolean') fail(`$filter: '${left.path}' is true/false, so compare it with true or false, not ${lit.raw}.`);
      if (op !== 'eq' && op !== 'ne') fail(`$filter: '${left.path}' is true/false: use eq or ne.`);
      const want = lit.value === true;
      return op === 'eq' ? (r) => get(r) === want : (r) => get(r) !== want;
    }
    case 'integer':
    case 'number': {
      let n: number;
      if (lit.type === 'number') n = Number(lit.value);
      else if (lit.type === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(String(lit.value))) n = Number(lit.value);
      else return fail(`$filter: '${left.path}' is a number, so ${lit.raw} cannot be compared with it.`);
      return (r) => { const v = get(r); return typeof v === 'number' && test(op, v - n); };
    }
    case 'datetime': {
      let t: number;
      if (lit.type === 'date' || lit.type === 'datetime' || lit.type === 'string') t = dateValue(String(lit.value));
      else return fail(`$filter: '${left.path}' is a date, so compare it with a date such as 2024-01-31 or 2024-01-31T09:00:00Z, not ${lit.raw}.`);
      if (Number.isNaN(t)) fail(`$filter: ${lit.raw} is not a valid date.`);
      const cache = new Map<string, number>();
      return (r) => {
        const v = get(r);
        if (typeof v !== 'string') return false;
        let ms = cache.get(v);
        if (ms === undefined) { ms = dateValue(v); if (cache.size < 100000) cache.set(v, ms); }
        return test(op, ms - t);
      };
    }
    case 'string': {
      if (lit.type !== 'string') {
        if (lit.type === 'number' || lit.type === 'boolean' || lit.type === 'date' || lit.type === 'datetime') {
          fail(`$filter: '${left.path}' is text, so put the value in single quotes: '${lit.raw}'.`);
        }
      }
      let want = String(lit.value);
      const names = ENUM_VALUES[f.name];
      if (names) {
        // Enums: the number, the full name, or the name without the `Enum` prefix.
        if (/^\d+$/.test(want) && Number(want) < names.length) want = names[Number(want)];
        else if (!want.startsWith('Enum')) want = names.find((n) => n.toLowerCase() === `enum${want.toLowerCase()}`) ?? want;
      }
      const w = want.toLowerCase();
      if (op === 'eq' || op === 'ne') {
        const eq = op === 'eq';
        return (r) => { const v = get(r); return (typeof v === 'string' && v.length === w.length && v.toLowerCase() === w) === eq; };
      }
      return (r) => {
        const v = get(r);
        if (typeof v !== 'string') return false;
        const lv = v.toLowerCase();
        return test(op, lv < w ? -1 : lv > w ? 1 : 0);
      };
    }
    default:
      return fail(`$filter: '${left.path}' is an ${f.type}; filter on one of its fields instead (for example ${left.path}.id).`);
  }
}
