/**
 * The HTTP model shared by the client, Send, the response viewer, history and the CLI.
 * Contract between features: change it only with care, and keep it free of secrets (the `request`
 * recorded on a response is already redacted).
 */

export interface HttpRequest {
  readonly method: string;
  /** Absolute URL, query already URL-encoded. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Milliseconds from the start of the request; each phase is present only where measurable. */
export interface Timing {
  /** The proxy the request went through, when the client's own agents chose one (the CLI). */
  readonly proxy?: string;
  readonly dnsMs?: number;
  readonly connectMs?: number;
  readonly tlsMs?: number;
  /**
   * A proxy tunnel opened for this request (the CLI's or VS Code's proxy support): the proxy agent
   * reaches the proxy and asks for the tunnel out of sight, so this one phase stands for both and
   * dnsMs and connectMs are absent. tlsMs, when present, is the handshake through the tunnel.
   */
  readonly tunnelMs?: number;
  readonly firstByteMs?: number;
  readonly totalMs: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly statusText: string;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** The parsed body when the content type is JSON and it parses; undefined otherwise. */
  readonly json?: unknown;
  /** Body size in bytes. */
  readonly size: number;
  readonly timing: Timing;
  /** What was actually sent, with Authorization, subscription key and other secrets redacted. */
  readonly request: HttpRequest;
  /** Number of attempts made (retries on 401/429/503 add to it). */
  readonly attempts: number;
  /** Things the user should know about how it was sent, e.g. credentials withheld by the token guard. */
  readonly warnings?: readonly string[];
}

/**
 * A request to a connection's API that got an answer, whatever its status: what a feature needs to
 * know that something was sent (the explorer reads again the lists that a write changed).
 */
export interface AnsweredRequest {
  readonly method: string;
  /** As sent: a path relative to the connection's API, or an absolute URL. */
  readonly url: string;
  readonly status: number;
  readonly connectionId?: string;
  /** X-Site and X-Company as the request carried them. */
  readonly site?: string;
  readonly company?: string | number;
  /** The connection's API base URL, to read an absolute URL's path relative to it. */
  readonly baseUrl?: string;
}

/** A failure with no HTTP answer: DNS, refused connection, reset, timeout or cancellation. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly kind: 'dns' | 'refused' | 'reset' | 'timeout' | 'cancelled' | 'certificate' | 'proxy' | 'other',
    readonly request: HttpRequest,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}
