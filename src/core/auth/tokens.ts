import type { TokenResponse } from './oauth';

/** The tokens of one signed-in session, in memory. */
export interface TokenState {
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Epoch ms. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly idToken?: string;
  readonly scope?: string;
}

/** Default lifetime when the server gives no `expires_in` (Sage's guide: 480 minutes). */
export const DEFAULT_LIFETIME_S = 480 * 60;
/** Refresh this long before expiry, to cover clock skew and the request's own time in flight. */
export const DEFAULT_SKEW_MS = 5 * 60 * 1000;

export function tokenStateFrom(res: TokenResponse, now: number, previous?: TokenState): TokenState {
  const lifetime = typeof res.expires_in === 'number' && res.expires_in > 0 ? res.expires_in : DEFAULT_LIFETIME_S;
  return {
    accessToken: res.access_token,
    // A rotated refresh token replaces the old one; a server that does not rotate returns none.
    refreshToken: res.refresh_token ?? previous?.refreshToken,
    issuedAt: now,
    expiresAt: now + lifetime * 1000,
    idToken: res.id_token ?? previous?.idToken,
    scope: res.scope ?? previous?.scope,
  };
}

/**
 * Whether to refresh now. The skew is capped at half the token's lifetime so that short-lived
 * tokens (tests, some tenants) are not refreshed on every call.
 */
export function needsRefresh(state: TokenState, now: number, skewMs = DEFAULT_SKEW_MS): boolean {
  const skew = Math.min(skewMs, (state.expiresAt - state.issuedAt) / 2);
  return now >= state.expiresAt - skew;
}

export function isExpired(state: TokenState, now: number): boolean {
  return now >= state.expiresAt;
}

export interface Account {
  /** Stable per user (the `sub` claim when there is one). */
  readonly id: string;
  readonly label: string;
}

/** Reads claims from a JWT payload for display only; nothing is trusted from it. */
export function decodeJwtClaims(jwt: string | undefined): Record<string, unknown> | undefined {
  if (!jwt) return undefined;
  const parts = jwt.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const json = Buffer.from(parts[1].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const claims = JSON.parse(json) as unknown;
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function accountFrom(res: Pick<TokenResponse, 'id_token' | 'access_token'>, fallbackLabel: string): Account {
  const claims = decodeJwtClaims(res.id_token) ?? decodeJwtClaims(res.access_token) ?? {};
  const str = (k: string): string | undefined => (typeof claims[k] === 'string' && claims[k] ? (claims[k] as string) : undefined);
  const id = str('sub') ?? fallbackLabel;
  return { id, label: str('email') ?? str('name') ?? str('preferred_username') ?? str('sub') ?? fallbackLabel };
}
