import type { TokenSource } from '../http/client';
import { AuthError, isAuthError } from './errors';
import type { TokenResponse } from './oauth';
import { Account, DEFAULT_SKEW_MS, TokenState, isExpired, needsRefresh, tokenStateFrom } from './tokens';

/** What is persisted for a session: only what a refresh needs, plus who it belongs to. */
export interface StoredSession {
  readonly refreshToken: string;
  readonly account: Account;
  readonly scopes: readonly string[];
  /** Epoch ms of the sign-in: refresh tokens have a hard expiry counted from it. */
  readonly signedInAt: number;
}

/**
 * Where the session lives (SecretStorage in VS Code, memory in tests). `load` may throw an AuthError
 * (e.g. `origin_changed`) to refuse a session that exists but must not be used.
 */
export interface SessionStore {
  load(): Promise<StoredSession | undefined>;
  save(session: StoredSession): Promise<void>;
  clear(): Promise<void>;
}

export interface TokenManagerDeps {
  readonly store: SessionStore;
  readonly refresh: (refreshToken: string, signal?: AbortSignal) => Promise<TokenResponse>;
  readonly now?: () => number;
  readonly skewMs?: number;
  /** Told when a refresh proves the session is over (invalid_grant); the store is already cleared. */
  readonly onSessionEnded?: (error: AuthError) => void;
  /** Told after each successful refresh (e.g. to log it, or to fire a session change). */
  readonly onRefreshed?: () => void;
}

/**
 * Hands out access tokens for one session. Refresh is proactive (before expiry, with skew) and
 * single-flight: every caller that finds the token stale shares one in-flight refresh. A network
 * failure keeps the session (and the current token while it is still valid); `invalid_grant` ends it.
 */
export class TokenManager implements TokenSource {
  private state: TokenState | undefined;
  private inflight: Promise<TokenState> | undefined;
  private readonly now: () => number;
  /** How many refresh calls were made: tests read it to prove single-flight. */
  refreshCount = 0;

  constructor(private readonly deps: TokenManagerDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** After sign-in: the fresh tokens. */
  setTokens(state: TokenState): void {
    this.state = state;
  }

  /** Forget the in-memory tokens (sign-out, or another window signed out). */
  reset(): void {
    this.state = undefined;
  }

  get current(): TokenState | undefined {
    return this.state;
  }

  async getAccessToken(signal?: AbortSignal): Promise<string> {
    const s = this.state;
    if (s && !needsRefresh(s, this.now(), this.deps.skewMs ?? DEFAULT_SKEW_MS)) return s.accessToken;
    try {
      return (await this.refreshShared(signal)).accessToken;
    } catch (e) {
      // Proactive refresh failed on the network, but the token we hold has not expired yet: use it.
      if (isAuthError(e, 'network') && s && this.state === s && !isExpired(s, this.now())) return s.accessToken;
      throw e;
    }
  }

  async refreshAfterUnauthorized(rejected: string, signal?: AbortSignal): Promise<string | undefined> {
    // Another caller already replaced the rejected token: use the new one without a second refresh.
    if (this.state && this.state.accessToken !== rejected && !this.inflight) return this.state.accessToken;
    try {
      return (await this.refreshShared(signal)).accessToken;
    } catch (e) {
      if (isAuthError(e, 'network')) return undefined;
      throw e;
    }
  }

  private refreshShared(signal?: AbortSignal): Promise<TokenState> {
    if (!this.inflight) {
      // The refresh is shared, so one caller's cancellation must not cancel it for the others.
      void signal;
      this.inflight = this.doRefresh().finally(() => (this.inflight = undefined));
    }
    return this.inflight;
  }

  private async doRefresh(): Promise<TokenState> {
    const stored = await this.deps.store.load();
    // The store wins over memory: another window may have rotated the refresh token.
    const refreshToken = stored?.refreshToken ?? this.state?.refreshToken;
    if (!stored) {
      this.state = undefined;
      throw new AuthError('session_expired', 'You are not signed in to this Sage 200 connection. Sign in.');
    }
    if (!refreshToken) {
      // Signed in without a refresh token (no offline_access): once the access token is gone, so is the session.
      const err = new AuthError('session_expired', 'Your Sage 200 session has ended: the sign-in gave no refresh token (is offline_access in the scopes?). Sign in again.');
      await this.end(err);
      throw err;
    }
    let res: TokenResponse;
    try {
      this.refreshCount++;
      res = await this.deps.refresh(refreshToken);
    } catch (e) {
      if (!isAuthError(e, 'invalid_grant')) throw e;
      // A second window may have rotated the token while we were refreshing: try its newer one once.
      const again = await this.deps.store.load();
      if (again && again.refreshToken !== refreshToken) {
        this.refreshCount++;
        try {
          res = await this.deps.refresh(again.refreshToken);
        } catch (e2) {
          if (isAuthError(e2, 'invalid_grant')) await this.end(e2);
          throw e2;
        }
      } else {
        await this.end(e);
        throw e;
      }
    }
    const next = tokenStateFrom(res, this.now(), this.state ?? { accessToken: '', refreshToken, issuedAt: 0, expiresAt: 0 });
    this.state = next;
    const latest = (await this.deps.store.load()) ?? stored;
    if (next.refreshToken && next.refreshToken !== latest.refreshToken) {
      await this.deps.store.save({ ...latest, refreshToken: next.refreshToken });
    }
    this.deps.onRefreshed?.();
    return next;
  }

  private async end(e: AuthError): Promise<void> {
    this.state = undefined;
    await this.deps.store.clear();
    this.deps.onSessionEnded?.(e);
  }
}
