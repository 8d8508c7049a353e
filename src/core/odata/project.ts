/**
 * Ordering and shaping of records for the sandbox: `$orderby` as a comparator, `$select` and
 * `$expand` as a projector. Built once per query and applied to every record.
 */
import { OrderByItem, PathItem } from './ast';
import { accessor, genericCompare, Row } from './values';

export type Comparator = (a: Row, b: Row) => number;

/**
 * A comparator for `$orderby`: fields in order, each asc or desc. Nulls sort first in ascending
 * order (and so last in descending), as in SQL Server. Text compares case-insensitively.
 */
export function compileOrderBy(items: readonly Pick<OrderByItem, 'path' | 'dir'>[]): Comparator {
  const keys = items.map((it) => ({ get: accessor(it.path), sign: it.dir === 'desc' ? -1 : 1 }));
  return (a, b) => {
    for (const k of keys) {
      const x = k.get(a);
      const y = k.get(b);
      let c: number;
      if (x == null || y == null) c = x == null ? (y == null ? 0 : -1) : 1;
      else c = genericCompare(x, y);
      if (c !== 0 && !Number.isNaN(c)) return c * k.sign;
    }
    return 0;
  };
}

type PathLike = string | Pick<PathItem, 'path'>;

interface SelectTree {
  all: boolean;
  children: Map<string, SelectTree | true>;
}

function isChild(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !(v instanceof Date);
}

/**
 * Builds a projector for `$select` and `$expand`:
 * - child objects and lists appear only when expanded (`$expand=customer`, nested `lines.product`);
 * - without `$select` (or with `*`), every plain field is kept, plus the expanded children;
 * - a dotted path (`customer.name`) selects inside an expanded child; through a list it applies to
 *   each element. Dotted paths through a child that is not expanded are left out (the validator warns).
 */
export function compileSelect(select?: readonly PathLike[], expand?: readonly PathLike[]): (record: Row) => Row {
  const expanded = new Set<string>();
  for (const e of expand ?? []) {
    const steps = pathOf(e).split('.');
    for (let i = 1; i <= steps.length; i++) expanded.add(steps.slice(0, i).join('.'));
  }
  let tree: SelectTree | undefined;
  if (select && select.length) {
    tree = { all: false, children: new Map() };
    for (const s of select) {
      const p = pathOf(s);
      if (p === '*') {
        tree.all = true;
        continue;
      }
      let node = tree;
      const steps = p.split('.');
      for (let i = 0; i < steps.length; i++) {
        const existing = node.children.get(steps[i]);
        if (existing === true) break; // a whole child already selected
        if (i === steps.length - 1) {
          node.children.set(steps[i], true);
          break;
        }
        const next = existing ?? { all: false, children: new Map() };
        node.children.set(steps[i], next);
        node = next;
      }
    }
  }
  const project = (rec: Row, t: SelectTree | undefined, prefix: string): Row => {
    const out: Row = {};
    const all = !t || t.all;
    if (all) {
      for (const k of Object.keys(rec)) {
        const v = rec[k];
        if (!isChild(v)) out[k] = v;
        else if (expanded.has(prefix + k)) out[k] = projectChild(v, undefined, prefix + k + '.');
      }
    }
    if (t) {
      for (const [k, sub] of t.children) {
        if (!(k in rec)) continue;
        const v = rec[k];
        if (!isChild(v)) {
          if (sub === true) out[k] = v;
          continue;
        }
        if (!expanded.has(prefix + k)) continue;
        out[k] = projectChild(v, sub === true ? undefined : sub, prefix + k + '.');
      }
    }
    return out;
  };
  const projectChild = (v: unknown, t: SelectTree | undefined, prefix: string): unknown => {
    if (Array.isArray(v)) return v.map((el) => (isChild(el) && !Array.isArray(el) ? project(el as Row, t, prefix) : el));
    return project(v as Row, t, prefix);
  };
  return (record) => project(record, tree, '');
}

/** One-off projection; for many records, call `compileSelect` once and reuse the function. */
export function applySelect(record: Row, select?: readonly PathLike[], expand?: readonly PathLike[]): Row {
  return compileSelect(select, expand)(record);
}

function pathOf(p: PathLike): string {
  return typeof p === 'string' ? p : p.path;
}
