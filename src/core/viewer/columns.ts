/**
 * Column inference for the table: the union of the records' keys in first-seen order, with the kind
 * of value seen, so that numbers align right and nested values become expandable cells. The fields
 * of nested objects (an `$expand`ed customer) are inferred the same way, so that the table can show
 * them as columns of their own (`customer.name`, see `layoutColumns`).
 */
import { compactDateTime } from './format';

export type ValueKind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export interface ColumnInfo {
  readonly key: string;
  kind: ValueKind;
  /** For a column that holds objects: their fields, with keys relative to the column. */
  children?: ColumnInfo[];
}

export function kindOf(v: unknown): ValueKind {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    default:
      return 'object';
  }
}

/** True when the value is a non-empty array of plain objects: the shape the table shows. */
export function isRecordArray(v: unknown): v is Record<string, unknown>[] {
  return Array.isArray(v) && v.length > 0 && v.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r));
}

/** How deep the fields of nested objects are followed (`lines.product.code` is three). */
const NEST_DEPTH = 3;

/**
 * Infers columns from records, adding keys as they first appear. `sample` bounds the work for big
 * bodies: Sage's records of one collection share their keys, so the first few hundred are enough,
 * and `extend` adds keys later records bring.
 */
export function inferColumns(records: readonly unknown[], sample = 500, into: ColumnInfo[] = []): ColumnInfo[] {
  // Each list's key → position, built once per call rather than searched per record.
  const indexes = new Map<ColumnInfo[], Map<string, number>>();
  const add = (r: object, list: ColumnInfo[], depth: number): void => {
    let index = indexes.get(list);
    if (!index) indexes.set(list, (index = new Map(list.map((c, i) => [c.key, i] as const))));
    for (const [k, v] of Object.entries(r)) {
      let at = index.get(k);
      const kind = kindOf(v);
      if (at === undefined) {
        at = list.length;
        index.set(k, at);
        list.push({ key: k, kind });
      } else if (list[at].kind === 'null' && kind !== 'null') {
        list[at].kind = kind;
      }
      if (kind === 'object' && depth < NEST_DEPTH) add(v as object, (list[at].children ??= []), depth + 1);
    }
  };
  const n = Math.min(records.length, sample);
  for (let i = 0; i < n; i++) {
    const r = records[i];
    if (r === null || typeof r !== 'object' || Array.isArray(r)) continue;
    add(r, into, 1);
  }
  return into;
}

/** A column as the table shows it: a field, or a field of a nested object (`customer.name`). */
export interface TableColumn {
  /** The path from the record: `name`, `customer.name`. */
  readonly key: string;
  readonly kind: ValueKind;
  /** For an object column that can be shown as columns: how many fields it has. */
  readonly fields?: number;
  /** For a column that a nested object was flattened into: that object's column. */
  readonly parent?: string;
}

export interface ColumnLayout {
  /** The paths the request's `$select` named: a dotted one (`customer.name`) flattens its object. */
  readonly select?: readonly string[];
  /** The user's choice per object column: true shows its fields as columns, false one column. */
  readonly flatten?: Readonly<Record<string, boolean>>;
}

/**
 * Objects with at most this many fields are shown as columns unless the user folds them: a few
 * columns cost less room than a chip the user must open to read, and an `$expand` with a `$select`
 * of a few of its fields lands here. A whole expanded record (a customer has about 90 fields)
 * stays one column until the user flattens it.
 */
export const AUTO_FLATTEN_FIELDS = 4;

/**
 * The paths a request URL's `$select` names (`id`, `customer.name`), none without one. Sage's
 * `$select` is a comma-separated list of paths, so the decoded value is split here: the OData
 * parser (src/core/odata) decodes with Node's Buffer and would add its filter grammar to the
 * webview's bundle for this one list.
 */
export function selectedPaths(url: string): string[] {
  let value: string | null;
  try {
    value = new URL(url, 'http://relative.invalid').searchParams.get('$select');
  } catch {
    return [];
  }
  return (value ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

/**
 * The table's columns: the inferred ones, with each nested object either one column (shown as a
 * chip) or flattened into a column per field, in place. Fields the `$select` names that no record
 * carries (every customer null) still get their column, so the table shows what was asked for.
 */
export function layoutColumns(inferred: readonly ColumnInfo[], layout: ColumnLayout = {}): TableColumn[] {
  const selected = (layout.select ?? []).filter((s) => s && !s.split('.').includes('*'));
  /** `cols` (the fields under `prefix`) with those the `$select` names there and no record carried. */
  const withSelected = (cols: readonly ColumnInfo[], prefix: string): ColumnInfo[] => {
    const out = [...cols];
    for (const s of selected) {
      if (!s.startsWith(prefix)) continue;
      const field = s.slice(prefix.length).split('.')[0];
      if (!out.some((c) => c.key === field)) out.push({ key: field, kind: 'null' });
    }
    return out;
  };
  const out: TableColumn[] = [];
  const walk = (cols: readonly ColumnInfo[], prefix: string, parent: string | undefined): void => {
    for (const c of withSelected(cols, prefix)) {
      const key = prefix + c.key;
      const children = withSelected(c.children ?? [], key + '.');
      // A field named with a dot (or not at all) would not be found again by its path.
      const canFlatten = children.length > 0 && (c.kind === 'object' || c.kind === 'null') && children.every((ch) => ch.key && !ch.key.includes('.'));
      const named = selected.some((s) => s.startsWith(key + '.'));
      const flatten = canFlatten && (layout.flatten?.[key] ?? (named || (c.kind === 'object' && children.length <= AUTO_FLATTEN_FIELDS)));
      if (flatten) walk(children, key + '.', key);
      else out.push({ key, kind: c.kind, ...(canFlatten ? { fields: children.length } : {}), ...(parent ? { parent } : {}) });
    }
  };
  walk(inferred, '', undefined);
  return out;
}

/** A record's value for a field name or a dotted path through nested objects (`customer.name`). */
export function columnValue(record: unknown, column: string): unknown {
  if (record === null || typeof record !== 'object') return undefined;
  const direct = (record as Record<string, unknown>)[column];
  if (direct !== undefined || !column.includes('.')) return direct;
  let cur: unknown = record;
  for (const part of column.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/**
 * Short text for a cell: nested values are summarised (the expand control shows them in full) and
 * date-times are compact (see `compactDateTime`).
 */
export function cellText(v: unknown, maxLength = 500): string {
  switch (kindOf(v)) {
    case 'null':
      return v === null ? 'null' : '';
    case 'array':
      return `[${(v as unknown[]).length}]`;
    case 'object':
      return `{${Object.keys(v as object).length}}`;
    case 'string': {
      const s = v as string;
      const date = s.length <= 35 ? compactDateTime(s) : undefined;
      if (date) return date;
      return s.length > maxLength ? s.slice(0, maxLength) + '…' : s;
    }
    default:
      return String(v);
  }
}

/** Sorting that puts nulls last and compares numbers as numbers and text with locale rules. */
export function compareValues(a: unknown, b: unknown): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const as = typeof a === 'object' ? JSON.stringify(a) : String(a);
  const bs = typeof b === 'object' ? JSON.stringify(b) : String(b);
  return as < bs ? -1 : as > bs ? 1 : 0;
}
