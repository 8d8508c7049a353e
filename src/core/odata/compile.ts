/**
 * Turns parsed `$filter` trees into plain predicates for the sandbox (ordering and `$select` are in
 * project.ts). The tree is compiled once into nested closures, so evaluating 100,000 records does
 * no tree walking, no type dispatch on the literal and no repeated parsing of literal dates: each
 * record costs a few property reads and comparisons.
 *
 * Semantics follow what a Sage 200 site (SQL Server, default case-insensitive collation) returns:
 * text comparisons ignore case, a null field value is `ne` to any literal and never gt/lt it
 * (OData's null rules), and nulls sort first.
 */

import type { Catalog, Field } from '../catalog';
import { CompareOp, FilterExpr, LiteralNode } from './ast';
import { accessor, genericCompare, Getter, isoToMs, Row } from './values';

export type { Row } from './values';
/**
 * A compiled `$filter`. `index` is the record's position in the table that `CompileContext.columns`
 * describes; it is only read when the filter was compiled with columns.
 */
export type Predicate = (record: Row, index?: number) => boolean;

/**
 * Field values laid out by row, for filtering a whole table: one array read per record and field
 * instead of a property load on a wide record (a cache miss each, and a second one for a boxed
 * number), and datetime text already turned into epoch milliseconds. The sandbox keeps such
 * columns per table and rebuilds them when the table changes (src/core/sandbox/store.ts).
 */
export interface ColumnSource {
  /** Every row's value of a top-level field, by row index; undefined when there is no such column. */
  values(field: string): readonly unknown[] | undefined;
  /** The same values as `toText` gives them: lower-cased text, null for null. */
  texts(field: string): readonly (string | null)[] | undefined;
  /**
   * The same values as numbers, as filters on that kind of field compare them (`toNumber`,
   * `toTime` or `toFlag`), unboxed: a polymorphic read of a double from a plain array allocates.
   */
  numbers(field: string, kind: NumericKind): NumericColumn | undefined;
}

export type NumericKind = 'number' | 'datetime' | 'boolean';

/** Numbers by row; NaN for null and for values that are not of the kind, told apart by `nulls`. */
export interface NumericColumn {
  readonly values: Float64Array;
  /** 1 where the value is null or missing. */
  readonly nulls: Uint8Array;
}

/** A numeric column of `records`, converting each value with `convert` (see NumericColumn). */
export function numericColumn(records: readonly Row[], field: string, kind: NumericKind): NumericColumn {
  const convert = kind === 'datetime' ? toTime : kind === 'boolean' ? toFlag : toNumber;
  const values = new Float64Array(records.length);
  const nulls = new Uint8Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const x = convert(records[i][field]);
    if (x === null) {
      values[i] = NaN;
      nulls[i] = 1;
    } else {
      values[i] = x;
    }
  }
  return { values, nulls };
}

export interface CompileContext {
  readonly catalog?: Catalog;
  readonly schema?: string;
  /**
   * Enum tables per field path: index -> name. Sage stores enum fields as names
   * (`EnumDocumentStatusComplete`); with a table, `'2'` matches the name at index 2, and a record
   * holding the number 2 matches the name.
   */
  readonly enumValues?: Readonly<Record<string, readonly string[]>>;
  /** Read fields from these columns (by the predicate's `index` argument) where they have one. */
  readonly columns?: ColumnSource;
}

const ALWAYS_FALSE: Predicate = () => false;

/**
 * Compiles a `$filter` tree into a predicate. Constructs that cannot match (error nodes, unknown
 * functions, unsubstituted variables) compile to `false`: validate first to report them.
 */
export function compileFilter(expr: FilterExpr | undefined, ctx: CompileContext = {}): Predicate {
  if (!expr) return () => true;
  return compileBool(expr, ctx);
}

function compileBool(e: FilterExpr, ctx: CompileContext): Predicate {
  switch (e.kind) {
    case 'paren':
      return compileBool(e.expr, ctx);
    case 'not': {
      const inner = compileBool(e.operand, ctx);
      return (r, i) => !inner(r, i);
    }
    case 'logical': {
      const parts = e.operands.map((o) => compileBool(o, ctx));
      if (e.op === 'and') {
        if (parts.length === 2) {
          const [a, b] = parts;
          return (r, i) => a(r, i) && b(r, i);
        }
        return (r, i) => {
          for (const p of parts) if (!p(r, i)) return false;
          return true;
        };
      }
      if (parts.length === 2) {
        const [a, b] = parts;
        return (r, i) => a(r, i) || b(r, i);
      }
      return (r, i) => {
        for (const p of parts) if (p(r, i)) return true;
        return false;
      };
    }
    case 'compare':
      return compileCompare(e.op, e.left, e.right, ctx);
    case 'call':
      return compileCall(e.name, e.args, ctx);
    case 'field': {
      const get = reader(e.path, ctx);
      return (r, i) => get(r, i) === true;
    }
    case 'literal':
      return e.value === true ? () => true : ALWAYS_FALSE;
    default:
      return ALWAYS_FALSE;
  }
}

/** How a compiled filter reads a field: from a column when the context has one, else from the record. */
function reader(path: string, ctx: CompileContext): Getter {
  const column = ctx.columns?.values(path);
  return column ? (_r, i) => column[i as number] : accessor(path);
}

/**
 * A datetime field's value in epoch ms: null for null, NaN when it is not a date. Records repeat a
 * few thousand distinct dates across 100,000 rows, so each text is parsed once per compiled filter
 * (bounded, so a hostile data set cannot grow it without limit).
 */
function timeReader(path: string): (r: Row) => number | null {
  const get = accessor(path);
  const parsed = new Map<string, number>();
  return (r) => {
    const v = get(r);
    if (typeof v !== 'string') return toTime(v);
    let x = parsed.get(v);
    if (x === undefined) {
      x = isoToMs(v);
      if (parsed.size >= 50_000) parsed.clear();
      parsed.set(v, x);
    }
    return x;
  };
}

/**
 * A field's text as filters compare it: lower-cased (Sage's SQL Server collation ignores case), an
 * enum number turned into its name first, null for null. From the lower-cased column when the
 * context has one: lower-casing every customer's name once per table change, not once per query.
 */
function textReader(path: string, ctx: CompileContext): (r: Row, i?: number) => string | null {
  const table = ctx.enumValues?.[path];
  const column = table ? undefined : ctx.columns?.texts(path);
  if (column) return (_r, i) => column[i as number];
  const get = accessor(path);
  return (r) => {
    const v = get(r);
    return typeof v === 'number' && table && Number.isInteger(v) && v >= 0 && v < table.length ? table[v].toLowerCase() : toText(v);
  };
}

/** A value as text filters see it: lower-cased, null for null (enum tables aside). */
export function toText(v: unknown): string | null {
  if (v == null) return null;
  return (typeof v === 'string' ? v : String(v)).toLowerCase();
}

/** A number field's value as a filter compares it: numeric text counts; null stays null, anything else is NaN. */
function toNumber(v: unknown): number | null {
  if (v == null) return null;
  return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
}

/** A boolean field's value as a filter compares it: 1 or 0; null stays null, anything else is NaN. */
function toFlag(v: unknown): number | null {
  if (v == null) return null;
  return typeof v === 'boolean' ? (v ? 1 : 0) : NaN;
}

/**
 * `column op n` with one closure per operator, so that each reads the Float64Array unboxed and
 * compares inline. NaN fails every comparison, as a non-null value of the wrong kind does in
 * `compileFieldLiteral`; only `ne` looks at `nulls`, since null is `ne` everything.
 */
function numericPredicate(op: CompareOp, column: NumericColumn, n: number): Predicate {
  const { values, nulls } = column;
  switch (op) {
    case 'eq': return (_r, i) => values[i as number] === n;
    case 'ne': return (_r, i) => {
      const x = values[i as number];
      return x === x ? x !== n : nulls[i as number] === 1;
    };
    case 'gt': return (_r, i) => values[i as number] > n;
    case 'ge': return (_r, i) => values[i as number] >= n;
    case 'lt': return (_r, i) => values[i as number] < n;
    case 'le': return (_r, i) => values[i as number] <= n;
  }
}

/** A datetime value as a filter compares it: ISO text, a Date or epoch ms; null stays null, anything else is NaN. */
function toTime(v: unknown): number | null {
  if (v == null) return null;
  if (typeof v === 'string') return isoToMs(v);
  if (v instanceof Date) return v.getTime();
  return typeof v === 'number' ? v : NaN;
}

function fieldOf(path: string, ctx: CompileContext): Field | undefined {
  return ctx.catalog && ctx.schema ? ctx.catalog.field(ctx.schema, path) : undefined;
}

function compileCompare(op: CompareOp, left: FilterExpr, right: FilterExpr, ctx: CompileContext): Predicate {
  // Normalise `literal op field` to `field op' literal`.
  if (left.kind === 'literal' && right.kind === 'field') return compileCompare(FLIP[op], right, left, ctx);
  if (left.kind === 'field' && right.kind === 'literal') return compileFieldLiteral(op, left.path, right, ctx);
  // `startswith(name,'A') eq true`: a condition compared with a boolean.
  if (right.kind === 'literal' && typeof right.value === 'boolean' && (op === 'eq' || op === 'ne') &&
      (left.kind === 'call' || left.kind === 'paren' || left.kind === 'not' || left.kind === 'compare' || left.kind === 'logical')) {
    const inner = compileBool(left, ctx);
    const want = (op === 'eq') === right.value;
    return want ? inner : (r, i) => !inner(r, i);
  }
  if (left.kind === 'field' && right.kind === 'field') {
    const a = reader(left.path, ctx);
    const b = reader(right.path, ctx);
    const test = TEST[op];
    return (r, i) => {
      const x = a(r, i);
      const y = b(r, i);
      if (x == null || y == null) return op === 'eq' ? x == null && y == null : op === 'ne' ? (x == null) !== (y == null) : false;
      return test(genericCompare(x, y));
    };
  }
  if (left.kind === 'literal' && right.kind === 'literal') {
    const c = left.value === null || right.value === null ? (left.value === right.value ? 0 : NaN) : genericCompare(left.value, right.value);
    const v = TEST[op](c);
    return () => v;
  }
  return ALWAYS_FALSE;
}

const FLIP: Record<CompareOp, CompareOp> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };
const TEST: Record<CompareOp, (c: number) => boolean> = {
  eq: (c) => c === 0, ne: (c) => c !== 0, gt: (c) => c > 0, ge: (c) => c >= 0, lt: (c) => c < 0, le: (c) => c <= 0,
};

function compileFieldLiteral(op: CompareOp, path: string, lit: LiteralNode, ctx: CompileContext): Predicate {
  const get = reader(path, ctx);
  if (lit.type === 'null') {
    if (op === 'eq') return (r, i) => get(r, i) == null;
    if (op === 'ne') return (r, i) => get(r, i) != null;
    return ALWAYS_FALSE;
  }
  const field = fieldOf(path, ctx);
  const kind = field?.type ?? (lit.type === 'date' || lit.type === 'datetime' ? 'datetime' : lit.type === 'number' ? 'number' : lit.type);
  const test = TEST[op];
  // OData (and C#) null semantics: a null value is "not equal" to any non-null literal, and
  // neither greater nor less than it.
  const onNull = op === 'ne';
  if (kind === 'datetime') {
    const ms = lit.type === 'string' || lit.type === 'date' || lit.type === 'datetime' ? isoToMs(String(lit.value)) : NaN;
    if (Number.isNaN(ms)) return ALWAYS_FALSE;
    const column = ctx.columns?.numbers(path, 'datetime');
    if (column) return numericPredicate(op, column, ms);
    const time = timeReader(path);
    return (r) => {
      const x = time(r);
      if (x === null) return onNull;
      if (Number.isNaN(x)) return false;
      return test(x - ms);
    };
  }
  if (kind === 'integer' || kind === 'number') {
    const n = typeof lit.value === 'number' ? lit.value : typeof lit.value === 'string' && lit.value.trim() !== '' ? Number(lit.value) : NaN;
    if (Number.isNaN(n)) return ALWAYS_FALSE;
    const column = ctx.columns?.numbers(path, 'number');
    if (column) return numericPredicate(op, column, n);
    return (r, i) => {
      const v = get(r, i);
      if (v == null) return onNull;
      const x = toNumber(v) as number;
      if (Number.isNaN(x)) return false;
      return test(x === n ? 0 : x < n ? -1 : 1);
    };
  }
  if (kind === 'boolean') {
    const b = lit.value === true || lit.value === 'true' ? true : lit.value === false || lit.value === 'false' ? false : undefined;
    if (b === undefined) return ALWAYS_FALSE;
    const bn = b ? 1 : 0;
    const column = ctx.columns?.numbers(path, 'boolean');
    if (column) return numericPredicate(op, column, bn);
    return (r, i) => {
      const v = get(r, i);
      if (v == null) return onNull;
      if (typeof v !== 'boolean') return false;
      return test((v ? 1 : 0) - bn);
    };
  }
  if (kind === 'string') {
    const table = ctx.enumValues?.[path];
    let literal = String(lit.value);
    if (table && /^\d+$/.test(literal) && Number(literal) < table.length) literal = table[Number(literal)];
    const needle = literal.toLowerCase();
    const text = textReader(path, ctx);
    return (r, i) => {
      const s = text(r, i);
      if (s === null) return onNull;
      return test(s === needle ? 0 : s < needle ? -1 : 1);
    };
  }
  return ALWAYS_FALSE;
}

function compileCall(name: string, args: readonly FilterExpr[], ctx: CompileContext): Predicate {
  const [target, value] = args;
  if (args.length !== 2 || target.kind !== 'field' || value.kind !== 'literal' || value.value === null) return ALWAYS_FALSE;
  const text = textReader(target.path, ctx);
  const needle = String(value.value).toLowerCase();
  switch (name) {
    case 'contains':
      return (r, i) => {
        const s = text(r, i);
        return s !== null && s.includes(needle);
      };
    case 'startswith':
      return (r, i) => {
        const s = text(r, i);
        return s !== null && s.startsWith(needle);
      };
    case 'endswith':
      return (r, i) => {
        const s = text(r, i);
        return s !== null && s.endsWith(needle);
      };
    default:
      return ALWAYS_FALSE;
  }
}
