/** Human-readable sizes, durations, counts and dates for the viewer. */
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
  readonly tunnelMs?: number;
  readonly firstByteMs?: number;
  readonly totalMs: number;
}

export type TimingPhase = 'dns' | 'connect' | 'tunnel' | 'tls' | 'wait' | 'download';

const PHASE_NAMES: Readonly<Record<TimingPhase, string>> = { dns: 'DNS', connect: 'Connect', tunnel: 'Proxy tunnel', tls: 'TLS', wait: 'Wait', download: 'Download' };

/**
 * Phases as "name duration" pairs: each phase is measured from the start, so show the differences.
 * `names` are the phases' names in the user's language (the webview's are in ViewerStrings).
 */
export function timingBreakdown(t: TimingLike, names: Readonly<Record<TimingPhase, string>> = PHASE_NAMES): { label: string; ms: number }[] {
  const out: { label: string; ms: number }[] = [];
  let prev = 0;
  const add = (label: string, at: number | undefined) => {
    if (at === undefined || !Number.isFinite(at)) return;
    out.push({ label, ms: Math.max(0, at - prev) });
    prev = at;
  };
  add(names.dns, t.dnsMs);
  add(names.connect, t.connectMs);
  add(names.tunnel, t.tunnelMs);
  add(names.tls, t.tlsMs);
  add(names.wait, t.firstByteMs);
  add(names.download, t.totalMs);
  return out;
}

/** "1 record", "2,500 records": a count with its noun, singular for one. */
export function formatCount(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? noun : plural}`;
}

/** An ISO date-time as Sage writes it: `2025-10-25T00:00:00Z`, with optional seconds, fraction and zone. */
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A date-time short enough for a table cell: `2025-10-25` for midnight (Sage's dates are date-times
 * at midnight), else `2025-10-25 14:03` (with `:27` when there are seconds). The time is the one
 * written, not converted to local time; the cell's tooltip shows the value in full. Undefined for
 * text that is not such a date-time.
 */
export function compactDateTime(text: string): string | undefined {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, date, hh, mm, ss = '00', frac = ''] = m;
  const seconds = ss !== '00' || /[1-9]/.test(frac);
  if (hh === '00' && mm === '00' && !seconds) return date;
  return `${date} ${hh}:${mm}${seconds ? `:${ss}` : ''}`;
}
