import { ConnectionConfig, ConnectionEdition, DEFAULT_AUDIENCE, DEFAULT_AUTHORITY, DEFAULT_SCOPES, baseUrlOf } from './types';

export interface ParsedConnections {
  readonly connections: ConnectionConfig[];
  /** One sentence per problem, naming the connection; the bad entry is skipped, the others kept. */
  readonly errors: string[];
}

const EDITIONS: readonly ConnectionEdition[] = ['standard', 'professional', 'custom'];
/** Keys that must never be in settings: secrets go to SecretStorage. */
const SECRET_KEYS = ['clientSecret', 'client_secret', 'subscriptionKey', 'accessToken', 'refreshToken', 'password'];

/** A stable id from a name: lower case, dashes, never empty. */
export function slugify(name: string): string {
  const s = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents go, their letters stay
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return s || 'connection';
}

function isLoopbackOrHttps(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === 'https:' || (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname));
  } catch {
    return false;
  }
}

/** Checks one entry; returns the problems (empty when valid). */
export function validateConnection(raw: unknown, label: string): string[] {
  const errs: string[] = [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [`${label}: must be an object.`];
  const c = raw as Record<string, unknown>;
  const name = typeof c.name === 'string' ? c.name.trim() : '';
  const who = name ? `Connection "${name}"` : label;
  if (!name) errs.push(`${label}: "name" is required.`);
  if (c.id !== undefined && (typeof c.id !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(c.id))) errs.push(`${who}: "id" may only hold letters, digits, ".", "_" and "-".`);
  if (!EDITIONS.includes(c.edition as ConnectionEdition)) errs.push(`${who}: "edition" must be one of ${EDITIONS.join(', ')}.`);
  if (typeof c.clientId !== 'string' || !c.clientId.trim()) errs.push(`${who}: "clientId" is required.`);
  if (c.edition === 'custom') {
    if (typeof c.baseUrl !== 'string' || !c.baseUrl) errs.push(`${who}: a custom connection needs "baseUrl".`);
  }
  if (c.baseUrl !== undefined) {
    try {
      const u = new URL(String(c.baseUrl));
      if (u.protocol !== 'https:' && u.protocol !== 'http:') errs.push(`${who}: "baseUrl" must be an http(s) URL.`);
    } catch {
      errs.push(`${who}: "baseUrl" is not a valid URL.`);
    }
  }
  if (c.authority !== undefined) {
    try {
      new URL(String(c.authority));
    } catch {
      errs.push(`${who}: "authority" is not a valid URL.`);
    }
  }
  if (c.audience !== undefined && typeof c.audience !== 'string') errs.push(`${who}: "audience" must be a string.`);
  if (c.scopes !== undefined && (!Array.isArray(c.scopes) || c.scopes.some((s) => typeof s !== 'string' || /\s/.test(s)))) {
    errs.push(`${who}: "scopes" must be a list of scope names without spaces.`);
  }
  if (c.redirectPort !== undefined && (!Number.isInteger(c.redirectPort) || (c.redirectPort as number) < 0 || (c.redirectPort as number) > 65535)) {
    errs.push(`${who}: "redirectPort" must be a port number from 0 to 65535.`);
  }
  if (c.redirectUri !== undefined && (typeof c.redirectUri !== 'string' || !isLoopbackOrHttps(c.redirectUri))) {
    errs.push(`${who}: "redirectUri" must be an https URL or a loopback http URL.`);
  }
  for (const k of ['usePkce', 'production'] as const) if (c[k] !== undefined && typeof c[k] !== 'boolean') errs.push(`${who}: "${k}" must be true or false.`);
  for (const k of SECRET_KEYS) {
    if (c[k] !== undefined) errs.push(`${who}: "${k}" must not be in settings. Use the command "Sage 200: Set Client Secret" or "Set Subscription Key", which keep it in the secret store.`);
  }
  return errs;
}

/** Parses the `sage200.connections` setting. Invalid entries are reported and left out, never half-used. */
export function parseConnections(raw: unknown): ParsedConnections {
  const connections: ConnectionConfig[] = [];
  const errors: string[] = [];
  if (raw === undefined || raw === null) return { connections, errors };
  if (!Array.isArray(raw)) return { connections, errors: ['"sage200.connections" must be a list of connections.'] };
  const ids = new Set<string>();
  raw.forEach((entry, i) => {
    const errs = validateConnection(entry, `Connection #${i + 1}`);
    if (errs.length) {
      errors.push(...errs);
      return;
    }
    const c = entry as Record<string, unknown>;
    const name = (c.name as string).trim();
    let id = typeof c.id === 'string' ? c.id : slugify(name);
    if (ids.has(id)) {
      if (typeof c.id === 'string') {
        errors.push(`Connection "${name}": the id "${id}" is used twice.`);
        return;
      }
      let n = 2;
      while (ids.has(`${id}-${n}`)) n++;
      id = `${id}-${n}`;
    }
    ids.add(id);
    const conn: ConnectionConfig = {
      id,
      name,
      edition: c.edition as ConnectionEdition,
      ...(typeof c.baseUrl === 'string' ? { baseUrl: c.baseUrl.replace(/\/+$/, '') } : {}),
      clientId: (c.clientId as string).trim(),
      authority: typeof c.authority === 'string' ? c.authority.replace(/\/+$/, '') : DEFAULT_AUTHORITY,
      audience: typeof c.audience === 'string' ? c.audience : DEFAULT_AUDIENCE,
      scopes: Array.isArray(c.scopes) ? (c.scopes as string[]) : DEFAULT_SCOPES,
      ...(typeof c.redirectPort === 'number' ? { redirectPort: c.redirectPort } : {}),
      ...(typeof c.redirectUri === 'string' ? { redirectUri: c.redirectUri } : {}),
      usePkce: c.usePkce !== false,
      production: c.production === true,
      ...(c.apiEdition === 'standard' || c.apiEdition === 'professional' ? { apiEdition: c.apiEdition } : {}),
    };
    try {
      baseUrlOf(conn);
    } catch (e) {
      errors.push((e as Error).message);
      return;
    }
    connections.push(conn);
  });
  return { connections, errors };
}

/** The settings entry for a connection (what the "Add connection" command writes): defaults left out. */
export function toSettingsEntry(c: ConnectionConfig): Record<string, unknown> {
  const e: Record<string, unknown> = { id: c.id, name: c.name, edition: c.edition };
  if (c.baseUrl) e.baseUrl = c.baseUrl;
  e.clientId = c.clientId;
  if (c.authority && c.authority !== DEFAULT_AUTHORITY) e.authority = c.authority;
  if (c.audience && c.audience !== DEFAULT_AUDIENCE) e.audience = c.audience;
  if (c.scopes && c.scopes.join(' ') !== DEFAULT_SCOPES.join(' ')) e.scopes = [...c.scopes];
  if (c.redirectPort !== undefined) e.redirectPort = c.redirectPort;
  if (c.redirectUri) e.redirectUri = c.redirectUri;
  if (c.usePkce === false) e.usePkce = false;
  if (c.production) e.production = true;
  return e;
}

/** The OAuth settings of a connection with defaults filled in. */
export function oauthSettingsOf(c: ConnectionConfig): { authority: string; audience: string; scopes: readonly string[]; usePkce: boolean } {
  return {
    authority: (c.authority ?? DEFAULT_AUTHORITY).replace(/\/+$/, ''),
    audience: c.audience ?? DEFAULT_AUDIENCE,
    scopes: c.scopes ?? DEFAULT_SCOPES,
    usePkce: c.usePkce !== false,
  };
}
