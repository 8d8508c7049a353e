/** Human-readable sizes and durations for the viewer's header. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export interface TimingLike {
  readonly dnsMs?: number;
  readonly connectMs?: number;
  readonly tlsMs?: number;
  readonly firstByteMs?: number;
  readonly totalMs: number;
}

/** Phases as "name duration" pairs: each phase is measured from the start, so show the differences. */
export function timingBreakdown(t: TimingLike): { label: string; ms: number }[] {
  const out: { label: string; ms: number }[] = [];
  let prev = 0;
  const add = (label: string, at: number | undefined) => {
    if (at === undefined || !Number.isFinite(at)) return;
    out.push({ label, ms: Math.max(0, at - prev) });
    prev = at;
  };
  add('DNS', t.dnsMs);
  add('Connect', t.connectMs);
  add('TLS', t.tlsMs);
  add('Wait', t.firstByteMs);
  add('Download', t.totalMs);
  return out;
}
