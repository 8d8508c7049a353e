/**
 * "Did you mean": the nearest name by edit distance. The one place that measures how close a typed
 * word is to a known one (paths, fields, query options, functions), with its work bounded: every
 * unknown word of a file may ask, so a long or hostile word must cost little.
 */

/** Words longer than this get no suggestion: nothing in the catalog is near a page of text. */
export const MAX_SUGGEST_LENGTH = 128;

/**
 * The candidate nearest to `word` within `maxDistance` edits (the first of equals), or undefined.
 * `fold` maps a candidate to the form compared (for example lower case); the candidate itself is returned.
 */
export function nearest(
  word: string, candidates: readonly string[], maxDistance: number, fold?: (candidate: string) => string,
): string | undefined {
  if (word.length > MAX_SUGGEST_LENGTH) return undefined;
  let best: string | undefined;
  let bound = maxDistance;
  for (const c of candidates) {
    const target = fold ? fold(c) : c;
    if (Math.abs(target.length - word.length) > bound) continue;
    const d = editDistance(word, target, bound);
    if (d <= bound && (best === undefined || d < bound)) {
      best = c;
      bound = d;
    }
  }
  return best;
}

/**
 * Levenshtein distance when it is at most `max`, else `max + 1`. Only the band of cells within `max`
 * of the diagonal can hold such a distance, so the work is length × (2·max + 1), and it stops at
 * the first row whose every cell exceeds `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  const over = max + 1;
  if (Math.abs(a.length - b.length) > max) return over;
  const n = b.length;
  let prev = new Int32Array(n + 2);
  let cur = new Int32Array(n + 2);
  for (let j = 0; j <= n + 1; j++) prev[j] = j <= max ? j : over;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(n, i + max);
    // The cell left of the band: the first column (i deletions) or, past it, out of reach.
    cur[lo - 1] = lo === 1 && i <= max ? i : over;
    let rowMin = cur[lo - 1];
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1));
      cur[j] = v > over ? over : v;
      if (v < rowMin) rowMin = v;
    }
    // The cell right of the band, read by the next row as out of reach.
    cur[hi + 1] = over;
    if (rowMin > max) return over;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[n], over);
}
