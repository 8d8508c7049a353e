/** A benchmark produces named figures; `prefix` lets `npm run bench -- <prefix>` pick it. */
export interface Benchmark {
  /** The figure names it writes, e.g. ['catalog.loadMs']; used to filter by prefix. */
  readonly figures: readonly string[];
  run(): Promise<Record<string, number>>;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

export const round = (n: number, digits = 3): number => Number(n.toFixed(digits));
