/**
 * "Time about proportional to the input", as a test can check it on a shared machine: the work runs
 * at n and 16n and the times are compared, never an absolute time.
 */
import * as assert from 'assert';

/** Milliseconds of CPU that `work` takes, the best of 3: CPU time, as others share the machine. */
export function cpuMs(work: () => unknown): number {
  let min = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = process.cpuUsage();
    work();
    const t = process.cpuUsage(t0);
    min = Math.min(min, (t.user + t.system) / 1000);
  }
  return min;
}

/**
 * Runs `run` on `make(n)` and `make(16n)`. Linear gives about 16x (allocation and the collector push
 * it up to about 40); quadratic gives 256x. Under 5 ms a collector pause is most of the time, so the
 * small time has that floor; a busy neighbour can spoil one measurement but a quadratic cost spoils
 * them all, so the best of three attempts counts.
 */
export function assertLinear<T>(label: string, make: (n: number) => T, run: (input: T) => unknown, n: number): void {
  const small = make(n);
  const large = make(16 * n);
  run(small); // warm up
  let ratio = Infinity;
  let detail = '';
  for (let attempt = 0; attempt < 3 && ratio >= 64; attempt++) {
    const a = cpuMs(() => run(small));
    const b = cpuMs(() => run(large));
    const r = b / Math.max(a, 5);
    if (r < ratio) {
      ratio = r;
      detail = `${a.toFixed(1)} -> ${b.toFixed(1)} ms`;
    }
  }
  assert.ok(ratio < 64, `${label}: 16x the input took ${ratio.toFixed(1)}x the time (${detail})`);
}
