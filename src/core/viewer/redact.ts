/**
 * Redaction for what the viewer shows and what history stores. The HTTP client already redacts the
 * request it records; this is a second, independent guard so that a secret that slips through one
 * layer (a header a request file set by hand, a token in a body) still never reaches the webview or
 * workspace state.
 */

export const REDACTED = '[redacted]';

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'ocp-apim-subscription-key',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
]);

/** Query parameters that carry secrets: OAuth codes and tokens, subscription keys. */
const SECRET_KEY = /^(access_token|refresh_token|id_token|client_secret|password|code_verifier|subscription_key|code|token)$/i;
/** JSON keys that carry secrets. Not `code`: Sage records use it for tax codes and the like. */
const SECRET_JSON_KEY = /^(access_token|refresh_token|id_token|client_secret|password|code_verifier|subscription_key)$/i;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

export function redactHeaders(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (!isSecretHeader(k)) {
      out[k] = v;
    } else if (k.toLowerCase() === 'authorization' || k.toLowerCase() === 'proxy-authorization') {
      // Keep the scheme: "Bearer" helps a reader, the credential does not.
      const scheme = /^\s*(\w+)\s+/.exec(v)?.[1];
      out[k] = scheme ? `${scheme} ${REDACTED}` : REDACTED;
    } else {
      out[k] = REDACTED;
    }
  }
  return out;
}

/** Query parameters that carry secrets (OAuth codes and tokens, subscription keys) are masked. */
export function redactUrl(url: string): string {
  return url.replace(/([?&])([^=&#]+)=([^&#]*)/g, (all, sep: string, key: string) => {
    let k = key;
    try {
      k = decodeURIComponent(key);
    } catch {
      // keep the raw key
    }
    return SECRET_KEY.test(k) || /subscription-key/i.test(k) ? `${sep}${key}=${REDACTED}` : all;
  });
}

/** Masks secret-named string values in a JSON text (any depth); non-JSON text is returned as is. */
export function redactBodyText(body: string | undefined): string | undefined {
  if (body === undefined || body === '') return body;
  if (!/(token|secret|password|code_verifier|subscription|code=)/i.test(body)) return body;
  try {
    return JSON.stringify(redactJson(JSON.parse(body)));
  } catch {
    // Form bodies (token requests) carry secrets as key=value pairs.
    if (/^[\w.%+-]+=[^&]*(&[\w.%+-]+=[^&]*)*$/.test(body.trim())) return redactUrl('?' + body.trim()).slice(1);
    // Cut or malformed JSON: mask "secret_key": "value" pairs textually.
    return body.replace(
      /("(?:access_token|refresh_token|id_token|client_secret|password|code_verifier|subscription_key)"\s*:\s*)"(?:[^"\\]|\\.)*"?/gi,
      (_m, k: string) => `${k}"${REDACTED}"`,
    );
  }
}

export function redactJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactJson);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = SECRET_JSON_KEY.test(k) && typeof x === 'string' ? REDACTED : redactJson(x);
    return out;
  }
  return v;
}

export interface RequestLike {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export function redactRequest<T extends RequestLike>(req: T): { method: string; url: string; headers: Record<string, string>; body?: string } {
  const out: { method: string; url: string; headers: Record<string, string>; body?: string } = {
    method: req.method,
    url: redactUrl(req.url),
    headers: redactHeaders(req.headers),
  };
  if (req.body !== undefined) out.body = redactBodyText(req.body);
  return out;
}
