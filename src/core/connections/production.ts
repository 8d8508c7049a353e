import { redactUrl, type SecretRegistry } from '../http/redact';
import type { ActiveSelection, ConnectionConfig } from './types';

const WRITES = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

/** Whether a method changes data: what the production guard and `sage200 test --allow-writes` are about. */
export function isWrite(method: string): boolean {
  return WRITES.has(method.toUpperCase());
}

export interface WriteConfirmation {
  readonly method: string;
  /** The path as the user would recognise it: relative to the base URL when it is under it, decoded. */
  readonly path: string;
  readonly site: string;
  readonly company: string;
}

function readablePath(url: string, baseUrl: string, secrets?: SecretRegistry): string {
  // Masked before decoding (the query rules see the keys as sent) and after it (decoding can bring
  // back the raw spelling of a value): the URL was resolved for sending and holds its secrets.
  let shown = redactUrl(url, secrets);
  const base = baseUrl.replace(/\/+$/, '');
  if (shown.startsWith(base)) shown = shown.slice(base.length) || '/';
  try {
    shown = decodeURIComponent(shown);
  } catch {
    /* keep it encoded */
  }
  if (secrets) shown = secrets.scrub(shown);
  return shown.length > 160 ? `${shown.slice(0, 157)}…` : shown;
}

/**
 * Whether a request needs the production confirmation, and what it must name. Undefined when it
 * does not: not a write, not a production connection, or the setting is off.
 */
export function writeConfirmation(
  conn: ConnectionConfig,
  method: string,
  url: string,
  baseUrl: string,
  selection: Partial<ActiveSelection>,
  headers: { site?: string; company?: string },
  settingOn: boolean,
  secrets?: SecretRegistry,
): WriteConfirmation | undefined {
  const m = method.toUpperCase();
  if (!settingOn || !conn.production || !WRITES.has(m)) return undefined;
  const siteId = headers.site ?? selection.siteId;
  const companyId = headers.company ?? (selection.companyId !== undefined ? String(selection.companyId) : undefined);
  // Names only when they belong to the ids actually sent (a request may override X-Site/X-Company).
  const site = siteId === selection.siteId && selection.siteName ? `${selection.siteName} (${siteId})` : siteId ?? '—';
  const company = companyId === String(selection.companyId) && selection.companyName ? `${selection.companyName} (${companyId})` : companyId ?? '—';
  return { method: m, path: readablePath(url, baseUrl, secrets), site, company };
}
