/** Narrowing for JSON of unknown shape: the importers read files people made by hand, too. */
export type Json = Record<string, unknown>;

export function obj(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Strings as they are, numbers and booleans as text, anything else undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Postman's descriptions are a string or `{ content, type }`. */
export function description(v: unknown): string | undefined {
  const s = str(v) ?? str(obj(v)?.content);
  return s?.trim() ? s : undefined;
}

/** Postman's `[{ key, value }]` lists (v2.1 auth, variables) and v2.0's plain objects, as one map. */
export function keyValues(v: unknown): Map<string, unknown> {
  const map = new Map<string, unknown>();
  if (Array.isArray(v)) {
    for (const e of v) {
      const o = obj(e);
      const k = str(o?.key);
      if (o && k !== undefined) map.set(k, o.value);
    }
  } else {
    for (const [k, value] of Object.entries(obj(v) ?? {})) map.set(k, value);
  }
  return map;
}
