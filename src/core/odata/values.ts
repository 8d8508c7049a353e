/**
 * How compiled queries read and compare the values of records: field access by path, ISO dates as
 * epoch milliseconds, and the ordering of two values of any type. Shared by filters (compile.ts)
 * and by ordering (project.ts).
 */

export type Row = Record<string, unknown>;

/** Reads a field, from a column (`i` is the row) or from the record. */
export type Getter = (r: Row, i?: number) => unknown;

/** A property reader for a dotted path; a missing step yields undefined. */
export function accessor(path: string): Getter {
  const steps = path.split('.');
  if (steps.length === 1) return fieldGetter(steps[0]);
  if (steps.length === 2) {
    const [a, b] = steps;
    return (r) => {
      const v = r[a];
      return v !== null && typeof v === 'object' ? (v as Row)[b] : undefined;
    };
  }
  return (r) => {
    let v: unknown = r;
    for (const s of steps) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Row)[s];
    }
    return v;
  };
}

const getters = new Map<string, Getter>();

/**
 * A getter of its own per field name. Closures made from one function literal share V8's inline
 * cache, so a generic `(r) => r[k]` used for balance, name, on_hold… went megamorphic and was the
 * largest cost of a filter over 100,000 records. A compiled `r["name"]` is a monomorphic named load.
 * The name is embedded as a JSON string literal, so no field name can become code.
 */
function fieldGetter(name: string): Getter {
  let get = getters.get(name);
  if (!get) {
    get = new Function('r', `return r[${JSON.stringify(name)}];`) as Getter;
    if (getters.size < 10_000) getters.set(name, get);
  }
  return get;
}

/**
 * Milliseconds since the epoch for an ISO date or date-time. A value without a zone is read as UTC
 * (Sage's own convention), never as local time as `Date.parse` would. NaN when not a date.
 */
export function isoToMs(s: string): number {
  // Fast path for the shapes the API and sandbox produce: YYYY-MM-DD[THH:mm[:ss[.fff]]][Z|±hh:mm].
  const n = s.length;
  if (n < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31) return NaN;
  if (n === 10) return Date.UTC(y, mo - 1, d);
  const sep = s[10];
  if ((sep !== 'T' && sep !== ' ') || n < 16 || s.charCodeAt(13) !== 58) return NaN;
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  let i = 16;
  let sec = 0;
  let ms = 0;
  if (i < n && s[i] === ':') {
    sec = digits(s, 17, 2);
    i = 19;
    if (i < n && s[i] === '.') {
      let j = i + 1;
      let frac = 0;
      let scale = 100;
      while (j < n && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) {
        frac += (s.charCodeAt(j) - 48) * scale;
        scale /= 10;
        j++;
      }
      ms = Math.floor(frac + 1e-9);
      i = j;
    }
  }
  if (h < 0 || mi < 0 || sec < 0) return NaN;
  let offsetMin = 0;
  if (i < n) {
    const z = s[i];
    if (z === 'Z' && i === n - 1) offsetMin = 0;
    else if ((z === '+' || z === '-') && n - i === 6 && s[i + 3] === ':') {
      const oh = digits(s, i + 1, 2);
      const om = digits(s, i + 4, 2);
      if (oh < 0 || om < 0) return NaN;
      offsetMin = (z === '+' ? 1 : -1) * (oh * 60 + om);
    } else return NaN;
  }
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offsetMin * 60000;
}

function digits(s: string, at: number, len: number): number {
  let v = 0;
  for (let k = at; k < at + len; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9 || Number.isNaN(c)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Ordering of two non-null values of possibly different JS types (text case-insensitively). */
export function genericCompare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Date || b instanceof Date) {
    const x = a instanceof Date ? a.getTime() : isoToMs(String(a));
    const y = b instanceof Date ? b.getTime() : isoToMs(String(b));
    return x === y ? 0 : x < y ? -1 : x > y ? 1 : NaN;
  }
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x === y ? 0 : x < y ? -1 : 1;
}
