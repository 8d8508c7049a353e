/**
 * Every way sign-in or refresh can fail, each with the sentence the user sees. Messages never
 * include tokens, codes or secrets: only the OAuth error code and the server's description.
 */
export type AuthErrorCode =
  | 'state_mismatch'
  | 'access_denied'
  | 'port_in_use'
  | 'timeout'
  | 'cancelled'
  | 'invalid_grant'
  | 'invalid_client'
  | 'pkce_mismatch'
  | 'oauth_error'
  | 'network'
  | 'bad_response'
  | 'bad_callback'
  | 'session_expired'
  /** A credential kept for another API or authority than the connection has now: not sent. */
  | 'origin_changed';

export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    /** The OAuth `error` value when the server gave one. */
    readonly oauthError?: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export const isAuthError = (e: unknown, code?: AuthErrorCode): e is AuthError => e instanceof AuthError && (code === undefined || e.code === code);

/** Turns an OAuth error answer (token endpoint or redirect) into the message for the user. */
export function authErrorFromOAuth(error: string, description: string | undefined, during: 'sign-in' | 'refresh' | 'authorize'): AuthError {
  // "(invalid_grant: the server's reason)" — the code for support, the reason for the person.
  const reason = description ? sanitizeDescription(description).replace(/[.\s]+$/, '') : '';
  const detail = (code: string): string => (reason ? `${code}: ${reason}` : code);
  switch (error) {
    case 'access_denied':
      return new AuthError('access_denied', `Sign-in was declined: access was denied at the consent screen (${detail(error)}).`, error);
    case 'invalid_client':
      return new AuthError('invalid_client', `The authorization server rejected the client id or client secret (${detail(error)}). Check the connection's client id and set the client secret again.`, error);
    case 'invalid_grant': {
      if (during === 'refresh') {
        return new AuthError('invalid_grant', `Your Sage 200 session has ended (${detail(error)}). Sign in again.`, error);
      }
      if (/verifier|pkce|challenge/i.test(description ?? '')) {
        return new AuthError('pkce_mismatch', `Sign-in failed: the PKCE code verifier did not match the challenge (${detail(error)}).`, error);
      }
      return new AuthError('invalid_grant', `Sign-in failed: the authorization server refused the authorization code (${detail(error)}). It may have expired, been used already, or not match this sign-in's PKCE verifier. Try signing in again.`, error);
    }
    default:
      return new AuthError('oauth_error', `The authorization server refused the sign-in (${detail(sanitizeDescription(error))}).`, error);
  }
}

/** A description comes from a server: keep it short and single-line, and strip anything token-like. */
function sanitizeDescription(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[A-Za-z0-9\-_.~+/]{40,}=*/g, '…').slice(0, 300);
}
