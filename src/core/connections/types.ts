import { redactUrl, SecretRegistry } from '../http/redact';

/**
 * A connection to a Sage 200 API, as kept in the `sage200.connections` setting. Secrets (client
 * secret, subscription key) are never here: they live in SecretStorage under the connection's id.
 */
export type ConnectionEdition = 'standard' | 'professional' | 'custom';

export interface ConnectionConfig {
  /** Stable id, used as the key for secrets, sessions and the active site/company. */
  readonly id: string;
  readonly name: string;
  readonly edition: ConnectionEdition;
  /** Required for `custom`; otherwise derived from the edition. */
  readonly baseUrl?: string;
  readonly clientId: string;
  /** Default https://id.sage.com */
  readonly authority?: string;
  /** Default s200ukipd/sage200 */
  readonly audience?: string;
  /** Default ['openid', 'profile', 'email', 'offline_access'] */
  readonly scopes?: readonly string[];
  /** Loopback port for the redirect (http://127.0.0.1:<port>/callback), or a full redirect URI. */
  readonly redirectPort?: number;
  readonly redirectUri?: string;
  /** Default true. */
  readonly usePkce?: boolean;
  /** POST/PUT/DELETE ask for confirmation when true. */
  readonly production?: boolean;
  /** For `custom` connections that emulate one edition, e.g. the demo sandbox. */
  readonly apiEdition?: 'standard' | 'professional';
}

/** One element of `GET /sites`. */
export interface SiteCompany {
  readonly site_id: string;
  readonly site_name: string;
  readonly site_short_name?: string;
  readonly company_id: number;
  readonly company_name: string;
  readonly tenant_id?: string;
}

/** The active working context: which connection, site and company requests go to. */
export interface ActiveSelection {
  readonly connectionId: string;
  readonly siteId?: string;
  readonly siteName?: string;
  readonly companyId?: number;
  readonly companyName?: string;
}

export const STANDARD_BASE_URL = 'https://api.columbus.sage.com/uk/sage200/accounts/v1';
export const PROFESSIONAL_BASE_URL = 'https://api.columbus.sage.com/uk/sage200extra/accounts/v1';

/**
 * A request URL as a person reads it in a title or a list: the path below Sage's API prefix and the
 * query, decoded (`/customers?$top=5`). Text that is not a URL comes back as it is.
 *
 * Its secrets are masked: a URL resolved for sending (not read from history) carries `$dotenv`
 * values and tokens, and a title, a progress text or a dialog must not show them.
 */
export function displayPath(url: string, secrets?: SecretRegistry): string {
  // Masked on the wire form (the query rules see the keys as sent), and once more after decoding,
  // which can turn a spelling nobody registered back into the raw value.
  const shown = decodedPath(redactUrl(url, secrets));
  return secrets ? secrets.scrub(shown) : shown;
}

function decodedPath(url: string): string {
  try {
    const u = new URL(url, 'http://relative.invalid');
    const path = u.pathname.replace(/^\/uk\/sage200(extra)?\/accounts\/v1/, '') + u.search;
    try {
      return decodeURIComponent(path);
    } catch {
      return path;
    }
  } catch {
    return url;
  }
}
export const DEFAULT_AUTHORITY = 'https://id.sage.com';
export const DEFAULT_AUDIENCE = 's200ukipd/sage200';
export const DEFAULT_SCOPES: readonly string[] = ['openid', 'profile', 'email', 'offline_access'];

export function baseUrlOf(c: ConnectionConfig): string {
  if (c.edition === 'standard') return STANDARD_BASE_URL;
  if (c.edition === 'professional') return PROFESSIONAL_BASE_URL;
  if (!c.baseUrl) throw new Error(`Connection "${c.name}" is custom but has no base URL.`);
  return c.baseUrl.replace(/\/+$/, '');
}
