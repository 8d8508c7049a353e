/**
 * Redaction shared by the log channel, history, the response viewer and error messages. Two layers:
 * structural (header names, JSON/form/query keys that always carry secrets) and by value (every
 * secret the process has handled is registered, so it is scrubbed wherever it turns up, even in a
 * field whose name we did not foresee).
 */

export const REDACTED = '***';

/** Header names whose value is always a secret (lower case). */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'ocp-apim-subscription-key', 'cookie', 'set-cookie', 'x-api-key']);

/** Keys that carry secrets in JSON bodies, form bodies and query strings (lower case). */
const SECRET_KEYS = ['access_token', 'refresh_token', 'id_token', 'client_secret', 'code', 'code_verifier', 'password', 'subscription_key', 'accesstoken', 'refreshtoken'];

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

/** Keeps the scheme ("Bearer") so a reader still sees what kind of credential went out. */
export function redactHeaderValue(name: string, value: string): string {
  if (!isSecretHeader(name)) return value;
  const m = /^(\w+)\s+\S/.exec(value);
  return m && name.toLowerCase().endsWith('authorization') ? `${m[1]} ${REDACTED}` : REDACTED;
}

export function redactHeaders(headers: Readonly<Record<string, string>>, extra?: SecretRegistry): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const value = redactHeaderValue(k, v);
    out[k] = extra ? extra.scrub(value) : value;
  }
  return out;
}

const keyAlternation = SECRET_KEYS.join('|');
// "access_token": "…"  (JSON, any spacing, case-insensitive key)
const JSON_PAIR = new RegExp(`("(?:${keyAlternation})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
// access_token=…  (form bodies and query strings)
const FORM_PAIR = new RegExp(`(^|[?&\\s])((?:${keyAlternation})=)[^&\\s#"]*`, 'gi');
const BEARER = /\b(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/g;

/** Redacts secrets in free text: JSON bodies, form bodies, URLs, log lines. */
export function redactText(text: string, extra?: SecretRegistry): string {
  let out = text.replace(JSON_PAIR, `$1"${REDACTED}"`).replace(FORM_PAIR, `$1$2${REDACTED}`).replace(BEARER, `$1${REDACTED}`);
  if (extra) out = extra.scrub(out);
  return out;
}

/** Redacts the secret query parameters of a URL, keeping it readable. */
export function redactUrl(url: string, extra?: SecretRegistry): string {
  return redactText(url, extra);
}

/**
 * Every secret value seen at run time (tokens, client secrets, subscription keys, codes). Values are
 * scrubbed by exact match; short values are ignored so that ordinary words are never mangled.
 */
export class SecretRegistry {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    if (value && value.length >= 8) this.values.add(value);
  }

  scrub(text: string): string {
    let out = text;
    for (const v of this.values) {
      if (out.includes(v)) out = out.split(v).join(REDACTED);
      // The same value URL-encoded (in a query or a form body).
      const enc = encodeURIComponent(v);
      if (enc !== v && out.includes(enc)) out = out.split(enc).join(REDACTED);
    }
    return out;
  }

  get size(): number {
    return this.values.size;
  }
}
