/**
 * The small JSONPath subset that named-response references use: `$` (the root, optional),
 * `.field`, `['field']`, `[n]` (negative counts from the end) and `[*]` / `.*` (every element).
 * Returns the matches; a path that does not parse throws a `JsonPathError` with the position.
 */
export class JsonPathError extends Error {
  constructor(message: string, readonly at: number) {
    super(message);
    this.name = 'JsonPathError';
  }
}

type Step = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'all' };

/** A field name of a `.name` step. */
const KEY = /[^.[\]\s]+/y;

export function parseJsonPath(path: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  const p = path.trim();
  if (p.startsWith('$')) i = 1;
  while (i < p.length) {
    const c = p[i];
    if (c === '.') {
      i++;
      if (p[i] === '*') {
        steps.push({ kind: 'all' });
        i++;
        continue;
      }
      // A sticky match where the name starts: no copy of the rest of the path, no match list.
      KEY.lastIndex = i;
      if (!KEY.test(p)) throw new JsonPathError('Expected a field name after "."', i);
      steps.push({ kind: 'key', key: p.slice(i, KEY.lastIndex) });
      i = KEY.lastIndex;
    } else if (c === '[') {
      const close = p.indexOf(']', i);
      if (close === -1) throw new JsonPathError('Expected "]"', i);
      const inner = p.slice(i + 1, close).trim();
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/s.test(inner)) steps.push({ kind: 'key', key: inner.slice(1, -1) });
      else throw new JsonPathError(`"[${inner}]" is not supported: use [n], [*] or ['name']`, i);
      i = close + 1;
    } else if (i === 0) {
      // A bare first name (`body.id` written without `$.`) reads as a field.
      const m = /^[^.[\]\s]+/.exec(p);
      if (!m) throw new JsonPathError(`Unexpected "${c}"`, i);
      steps.push({ kind: 'key', key: m[0] });
      i += m[0].length;
    } else {
      throw new JsonPathError(`Unexpected "${c}"`, i);
    }
  }
  return steps;
}

/** All values that the path selects. `[*]` fans out, so the result is a list. */
export function queryJsonPath(value: unknown, path: string): unknown[] {
  let current: unknown[] = [value];
  for (const step of parseJsonPath(path)) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.kind === 'all') {
        // Loops, not `push(...list)`: a response's array can be longer than the call stack allows.
        if (Array.isArray(v)) for (const item of v) next.push(item);
        else if (v && typeof v === 'object') for (const item of Object.values(v)) next.push(item);
      } else if (step.kind === 'index') {
        if (Array.isArray(v)) {
          const idx = step.index < 0 ? v.length + step.index : step.index;
          if (idx >= 0 && idx < v.length) next.push(v[idx]);
        }
      } else if (v && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, step.key)) {
        next.push((v as Record<string, unknown>)[step.key]);
      }
    }
    current = next;
  }
  return current;
}

/** Does the path contain a fan-out step? Then the result is always a list. */
export function isMultiPath(path: string): boolean {
  try {
    return parseJsonPath(path).some((s) => s.kind === 'all');
  } catch {
    return false;
  }
}
