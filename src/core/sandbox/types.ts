/**
 * The sandbox's public API: the contract that tests, benchmarks, the extension's "Start Demo
 * Sandbox" command and `npm run sandbox` use.
 *
 * URLs of a running sandbox at `url` (http://127.0.0.1:<port>):
 *   `${url}/authorize`, `${url}/oauth/token`                Sage ID emulation (authority = url)
 *   `${url}/uk/sage200/accounts/v1/...`                     Standard API
 *   `${url}/uk/sage200extra/accounts/v1/...`                Professional API
 *   `${url}/__sandbox/faults` (POST JSON FaultSettings)     switch fault injection from another process
 */

export interface ClientRegistration {
  readonly clientId: string;
  /** Confidential clients have a secret; public clients have none. */
  readonly clientSecret?: string;
  /** Exact redirect URIs; `loopback: true` also accepts any http://127.0.0.1:<port>/… or http://localhost:<port>/… (RFC 8252). */
  readonly redirectUris: readonly string[];
  readonly loopback?: boolean;
}

export interface FaultSettings {
  /** Added to every API answer. */
  readonly latencyMs?: number;
  /** The next N API requests get 429 with this Retry-After (seconds). */
  readonly rateLimit?: { readonly count: number; readonly retryAfterSeconds: number };
  /** The next N API requests get this status. */
  readonly serverError?: { readonly count: number; readonly status: 500 | 503; readonly retryAfterSeconds?: number };
  /** The next N API requests get their connection destroyed mid-body. */
  readonly dropMidBody?: { readonly count: number };
  /** The next N API requests never get an answer. */
  readonly hang?: { readonly count: number };
  /** The next N API requests get 504 from the gateway: an on-premise site did not answer in time. */
  readonly gatewayTimeout?: { readonly count: number };
  /**
   * While true, the on-premise site's tunnel is down: `GET /sites` answers an empty list and every
   * other API request 504, as Sage's partners describe.
   */
  readonly tunnelDown?: boolean;
  /** While true, every refresh answers invalid_grant: the refresh lifetime (at most 90 days) has run out. */
  readonly refreshExpired?: boolean;
}

/**
 * Choices where public sources are silent or disagree about how Sage 200 answers
 * (docs/sage200-fidelity.md). The defaults are the sandbox's documented guesses, not Sage's word.
 */
export interface CompatibilityProfile {
  /**
   * The body of errors that Sage's API gateway raises (401, 429, 5xx): `gateway` (default)
   * `{"statusCode": 401, "message": "…"}`, or `application` `{"Message": "…"}`.
   */
  readonly gatewayErrors?: 'gateway' | 'application';
  /**
   * The body of a failed POST or PUT validation: `modelState` (default)
   * `{"Message": "The request is invalid.", "ModelState": {"field": ["…"]}}`, or `message` `{"Message": "…"}`.
   */
  readonly validationErrors?: 'modelState' | 'message';
  /** `$top` above 5000: `error` (default, 400) or `clamp` (answers at most 5000 records). */
  readonly topOverMax?: 'error' | 'clamp';
  /** A missing X-Site or X-Company header: `error` (default, 400), `empty` (200 with `[]`) or `forbidden` (403). */
  readonly missingSite?: 'error' | 'empty' | 'forbidden';
}

export const COMPATIBILITY_DEFAULTS: Required<CompatibilityProfile> = {
  gatewayErrors: 'gateway', validationErrors: 'modelState', topOverMax: 'error', missingSite: 'error',
};

export interface SandboxOptions {
  /** Answers where Sage's behaviour is unverified; see CompatibilityProfile. */
  readonly compatibility?: CompatibilityProfile;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** A loopback address to listen on (default 127.0.0.1); the sandbox never listens beyond loopback. */
  readonly host?: string;
  /** Serve HTTPS with this certificate and key (PEM), for example from createTestAuthority. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Demo data is deterministic for a seed. Default 200. */
  readonly seed?: number;
  /** Volume multiplier: K × 1,000 customers. Default 1. */
  readonly scale?: number;
  /** Load the data from this file if it exists, and save writes to it atomically. */
  readonly dataFile?: string;
  /** `/authorize` redirects at once instead of showing the consent page. */
  readonly autoApprove?: boolean;
  /** Default 480 minutes, as Sage's guide says. Set seconds to test refresh. */
  readonly accessTokenTtlSeconds?: number;
  readonly refreshTokenTtlSeconds?: number;
  /** The clock for token and code expiry (milliseconds since the epoch). Tests pass a fake one instead of sleeping. */
  readonly now?: () => number;
  /** How long an authorization code can be redeemed. Default 60 seconds; set 0–1 to test expired codes. */
  readonly authorizationCodeTtlSeconds?: number;
  /** Extra OAuth clients beside the built-in `sage200-sandbox` and `sage200-sandbox-web`. */
  readonly clients?: readonly ClientRegistration[];
  readonly faults?: FaultSettings;
  /** Seed hostile strings (XSS probes, RTL overrides, huge strings) into the data, for viewer tests. */
  readonly hostileData?: boolean;
}

export interface TokenSet {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly expires_in: number;
  readonly token_type: 'Bearer';
}

export interface RunningSandbox {
  /** http://127.0.0.1:<port> (https and the host when given) — also the OAuth authority. */
  readonly url: string;
  readonly port: number;
  /** `${url}/uk/sage200/accounts/v1` */
  readonly standardBaseUrl: string;
  /** `${url}/uk/sage200extra/accounts/v1` */
  readonly professionalBaseUrl: string;
  /** Replace the fault settings (an empty object turns them all off). */
  setFaults(faults: FaultSettings): void;
  /** Mint a token directly, without the browser flow: for tests and benchmarks only. */
  mintToken(clientId?: string): TokenSet;
  /** Stops listening, ends open connections, saves data when dataFile is set. */
  close(): Promise<void>;
}

/** The built-in public client: any loopback redirect URI is accepted. */
export const SANDBOX_PUBLIC_CLIENT_ID = 'sage200-sandbox';
export const SANDBOX_WEB_CLIENT_ID = 'sage200-sandbox-web';
export const SANDBOX_WEB_CLIENT_SECRET = 'sandbox-secret';
