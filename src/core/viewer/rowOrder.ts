/**
 * The table's row order: which records a search leaves, and in what order a sort puts them. Pure,
 * so the webview's table and the tests share one definition of "matches" and "sorted".
 */
import { columnValue, compareValues } from './columns';

export interface SortSpec {
  /** A column key: a field or a dotted path (`customer.name`). */
  readonly column: string;
  readonly descending: boolean;
}

export interface RowOrderSpec {
  /** Records that contain this text (case-insensitive) in any value, nested ones included. */
  readonly filter?: string;
  readonly sort?: SortSpec;
}

/**
 * Indices into `records` in view order, or undefined when the view is every record in its own
 * order (no filter, no sort), so that the common case costs nothing. Sorting is stable (records
 * with equal keys keep their order) and by `compareValues`, reversed for descending.
 */
export function orderRows(records: readonly unknown[], spec: RowOrderSpec): Uint32Array | undefined {
  const q = spec.filter?.toLowerCase() ?? '';
  const sort = spec.sort;
  if (!q && !sort) return undefined;
  let rows: number[] = [];
  if (q) {
    for (let i = 0; i < records.length; i++) if (recordMatches(records[i], q)) rows.push(i);
  } else {
    rows = Array.from({ length: records.length }, (_, i) => i);
  }
  if (sort) {
    // Each key is read once, not once per comparison (dotted paths walk the record).
    const keys = rows.map((i) => columnValue(records[i], sort.column));
    const sign = sort.descending ? -1 : 1;
    const perm = rows.map((_, j) => j);
    perm.sort((a, b) => sign * compareValues(keys[a], keys[b]));
    rows = perm.map((j) => rows[j]);
  }
  return Uint32Array.from(rows);
}

/** Whether any value of `v`, nested ones included, contains `q` (already lower-case). */
export function recordMatches(v: unknown, q: string): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string') return v.toLowerCase().includes(q);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v).toLowerCase().includes(q);
  if (Array.isArray(v)) return v.some((x) => recordMatches(x, q));
  if (typeof v === 'object') {
    for (const x of Object.values(v as object)) if (recordMatches(x, q)) return true;
  }
  return false;
}
