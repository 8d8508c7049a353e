/**
 * Parsed JSON of any shape, read within bounds. `JSON.parse` builds arrays nested thousands deep
 * without complaint, but `JSON.stringify` recurses and throws a RangeError on them: code that
 * writes such a value out asks here first, or writes only a bounded prefix.
 */

/** Deeper nesting than this is refused: in request bodies (jsonScan) and where a value would be written out whole. */
export const MAX_JSON_DEPTH = 512;

/** Whether arrays and objects nest more than `limit` deep in a parsed JSON value. Iterative: any depth is fine. */
export function nestedDeeperThan(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  if (!value || typeof value !== 'object') return false;
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  while (stack.length) {
    const v = stack.pop();
    const depth = depths.pop()!;
    if (depth > limit) return true;
    // Loops, not spreads: a value can have more members than the call stack allows arguments.
    const members = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const m of members) {
      if (m && typeof m === 'object') {
        stack.push(m);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/**
 * Compact JSON as `JSON.stringify` writes it, cut at `max` characters with `…`. It stops writing
 * once past `max`, so a huge value costs little, and every level writes a bracket first, so it
 * recurses at most `max` deep whatever the value's depth.
 */
export function clippedJson(value: unknown, max: number): string {
  let out = '';
  const write = (v: unknown): void => {
    if (out.length > max) return;
    if (Array.isArray(v)) {
      out += '[';
      for (let i = 0; i < v.length && out.length <= max; i++) {
        if (i) out += ',';
        const x: unknown = v[i];
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') out += 'null';
        else write(x);
      }
      out += ']';
    } else if (v && typeof v === 'object') {
      out += '{';
      let first = true;
      for (const k of Object.keys(v)) {
        if (out.length > max) break;
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
        if (!first) out += ',';
        first = false;
        out += `${JSON.stringify(k)}:`;
        write(x);
      }
      out += '}';
    } else {
      out += JSON.stringify(v) ?? 'null';
    }
  };
  write(value);
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}
