import { spawn } from 'child_process';
import * as path from 'path';

/** A figure that could not be measured here, and why (a missing tool, say): never a made-up number. */
export interface Skipped {
  readonly skipped: string;
}

/** A benchmark produces named figures; `prefix` lets `npm run bench -- <prefix>` pick it. */
export interface Benchmark {
  /** The figure names it writes, e.g. ['catalog.loadMs']; used to filter by prefix. */
  readonly figures: readonly string[];
  run(): Promise<Record<string, number | Skipped>>;
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

/**
 * Runs bench/<script> under tsx in a child process (so that its peak memory is its own) and
 * returns the last line it prints. The token goes by environment, not argv, so that it never
 * shows in process listings.
 */
export function runBenchChild(script: string, args: readonly string[], token: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, script), ...args], {
      cwd: path.join(__dirname, '..'),
      env: { ...process.env, ...env, SAGE200_BENCH_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out.trim().split('\n').pop() ?? '') : reject(new Error(`${script} exited ${code}: ${err}`))));
  });
}
