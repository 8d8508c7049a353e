import { AuthError } from './errors';
import type { HttpLogger } from '../http/client';
import { SecretRegistry, redactText } from '../http/redact';
import { LoopbackServer } from './loopback';
import { OAuthConfig, TokenResponse, buildAuthorizeUrl, exchangeCode } from './oauth';
import { createPkce, randomToken } from './pkce';

export interface SignInOptions {
  readonly config: OAuthConfig;
  /** Loopback port (0 = any free one) or a full registered loopback redirect URI. */
  readonly redirectPort?: number;
  readonly redirectUri?: string;
  /**
   * Opens the sign-in in the user's browser (env.openExternal in VS Code): the authorize URL, or
   * the loopback server's start page, which redirects to it (see LoopbackServer.startPageUrl).
   */
  readonly openBrowser: (authorizeUrl: string, redirectUri: string, startPageUrl: string) => Promise<void>;
  readonly signal?: AbortSignal;
  /** Default 5 minutes. */
  readonly timeoutMs?: number;
  readonly logger?: HttpLogger;
  readonly secrets?: SecretRegistry;
}

/**
 * Authorization code + PKCE S256 through a loopback redirect. Resolves with the token response;
 * every failure is an AuthError whose message is meant for the user.
 */
export async function signIn(opts: SignInOptions): Promise<TokenResponse> {
  if (opts.signal?.aborted) throw new AuthError('cancelled', 'Sign-in was cancelled.');
  const pkce = opts.config.usePkce ? createPkce() : undefined;
  const state = randomToken();
  opts.secrets?.add(pkce?.verifier);
  const log = (m: string): void => opts.logger?.debug(redactText(m, opts.secrets));
  const server = await LoopbackServer.start({
    state,
    port: opts.redirectPort,
    redirectUri: opts.redirectUri,
    timeoutMs: opts.timeoutMs,
    signal: opts.signal,
  });
  try {
    const url = buildAuthorizeUrl(opts.config, { state, redirectUri: server.redirectUri, codeChallenge: pkce?.challenge, nonce: randomToken(16) });
    log(`Opening the browser at ${url}; waiting for the redirect to ${server.redirectUri}`);
    server.setStartUrl(url);
    await opts.openBrowser(url, server.redirectUri, server.startPageUrl);
    const { code } = await server.result;
    opts.secrets?.add(code);
    log(`Callback received with code=${code}`);
    return await exchangeCode(opts.config, { code, redirectUri: server.redirectUri, codeVerifier: pkce?.verifier }, { signal: opts.signal, logger: opts.logger, secrets: opts.secrets });
  } finally {
    await server.close();
  }
}
