/**
 * Column inference for the table: the union of the records' keys in first-seen order, with the kind
 * of value seen, so that numbers align right and nested values become expandable cells.
 */

export type ValueKind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export interface ColumnInfo {
  readonly key: string;
  kind: ValueKind;
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

/**
 * Infers columns from records, adding keys as they first appear. `sample` bounds the work for big
 * bodies: Sage's records of one collection share their keys, so the first few hundred are enough,
 * and `extend` adds keys later records bring.
 */
export function inferColumns(records: readonly unknown[], sample = 500, into: ColumnInfo[] = []): ColumnInfo[] {
  const index = new Map(into.map((c, i) => [c.key, i] as const));
  const n = Math.min(records.length, sample);
  for (let i = 0; i < n; i++) {
    const r = records[i];
    if (r === null || typeof r !== 'object' || Array.isArray(r)) continue;
    for (const [k, v] of Object.entries(r)) {
      const at = index.get(k);
      const kind = kindOf(v);
      if (at === undefined) {
        index.set(k, into.length);
        into.push({ key: k, kind });
      } else if (into[at].kind === 'null' && kind !== 'null') {
        into[at].kind = kind;
      }
    }
  }
  return into;
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

/** Short text for a cell: nested values are summarised; the expand control shows them in full. */
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
