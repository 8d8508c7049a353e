/**
 * The one owner of secret redaction: the log channel, error messages, history, the response viewer
 * (extension and webview) all use it, so they agree on one marker and one set of rules.
 *
 * Two layers: structural (header names, JSON keys and form/query keys that carry credentials) and by
 * value (every secret the process has handled is registered, so it is scrubbed wherever it turns up,
 * even under a name nobody foresaw).
 *
 * Display and logs share the rules; what differs is the shape of the input, hence one function per
 * shape: a header map, a request, and free text (bodies, URLs and log lines alike).
 *
 * Redaction is for what people read and what is stored. A redacted request is never sent again:
 * see `originalRequestOf` in client.ts.
 */

import { encodedForms } from './urlEncoding';

export const REDACTED = '***';

/** Header names that always carry a credential, whatever the spelling of the rest of the name. */
const SECRET_HEADER = /token|secret|key|auth|password|cookie/i;

/**
 * JSON keys that carry credentials. Not `code`: Sage records use it for ordinary data (product
 * codes, tax codes), and redacting it is what once made Re-send write `***` into live records.
 */
const SECRET_JSON_KEY = /^(?:client_secret|password|code_verifier|subscription_key|\w*token)$/i;

/** Form and query keys: the JSON ones, plus OAuth's authorization `code` and subscription-key. */
const SECRET_FORM_KEY = /^(?:code|client_secret|password|code_verifier|subscription[_-]key|[\w-]*token)$/i;

// "key": "value" anywhere in a text, cut JSON included (the value's closing quote may be missing).
const JSON_PAIR = /("((?:[^"\\\n]|\\.){1,100})"\s*:\s*)"(?:[^"\\]|\\.)*"?/g;
// key=value in form bodies, query strings and log lines.
const FORM_PAIR = /(^|[?&\s])([\w.%-]{1,100})=([^&\s#"]*)/g;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

export function isSecretJsonKey(key: string): boolean {
  return SECRET_JSON_KEY.test(key);
}

function decodedKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/** Redacts secrets in free text: JSON bodies (whole or cut), form bodies, URLs, log lines. */
export function redactText(text: string, extra?: SecretRegistry): string {
  let out = text
    .replace(JSON_PAIR, (all, head: string, key: string) => (isSecretJsonKey(key) ? `${head}"${REDACTED}"` : all))
    .replace(FORM_PAIR, (all, sep: string, key: string) => (SECRET_FORM_KEY.test(decodedKey(key)) ? `${sep}${key}=${REDACTED}` : all))
    .replace(BEARER, `$1${REDACTED}`);
  if (extra) out = extra.scrub(out);
  return out;
}

/** A URL is free text to the rules: its secret query parameters are masked, the rest stays readable. */
export const redactUrl = redactText;

/** Keeps the scheme ("Bearer") so that a reader still sees what kind of credential went out. */
export function redactHeaderValue(name: string, value: string): string {
  if (!isSecretHeader(name)) return value;
  const scheme = /^\s*(\w+)\s+\S/.exec(value)?.[1];
  return scheme && /authorization$/i.test(name) ? `${scheme} ${REDACTED}` : REDACTED;
}

export function redactHeaders(headers: Readonly<Record<string, string>> | undefined, extra?: SecretRegistry): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const value = redactHeaderValue(k, v);
    out[k] = extra ? extra.scrub(value) : value;
  }
  return out;
}

export interface RequestLike {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface RedactedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export function redactRequest(req: RequestLike, extra?: SecretRegistry): RedactedRequest {
  return {
    method: req.method,
    url: redactText(req.url, extra),
    headers: redactHeaders(req.headers, extra),
    ...(req.body !== undefined ? { body: redactText(req.body, extra) } : {}),
  };
}

/** Values shorter than this are not scrubbed by value: ordinary words and numbers would be mangled. */
export const MIN_SECRET_LENGTH = 6;

/**
 * Every secret value seen at run time (tokens, client secrets, subscription keys, `$dotenv` and
 * `$prompt` values). Values are scrubbed by exact match in every spelling the project itself gives
 * them (`encodedForms`: raw, URL- and form-encoded), computed once when a value is added so that
 * scrub, which runs on every log line and every history write, stays a few substring searches.
 */
export class SecretRegistry {
  private readonly values = new Set<string>();
  /** Every form of every value, longest first (a longer form is replaced before a shorter one inside it). */
  private forms: string[] = [];

  add(value: string | undefined): void {
    if (!value || value.length < MIN_SECRET_LENGTH || this.values.has(value)) return;
    this.values.add(value);
    const known = new Set(this.forms);
    this.forms = [...this.forms, ...encodedForms(value).filter((f) => !known.has(f))].sort((a, b) => b.length - a.length);
  }

  /** True when `text` holds a registered value. */
  holds(text: string): boolean {
    return this.scrub(text) !== text;
  }

  scrub(text: string): string {
    let out = text;
    for (const f of this.forms) if (out.includes(f)) out = out.split(f).join(REDACTED);
    return out;
  }

  /** The length of the longest form: a match can span at most this many characters. */
  get longest(): number {
    return this.forms.length ? this.forms[0].length : 0;
  }

  get size(): number {
    return this.values.size;
  }
}

/**
 * Scrubs registered values from a text cut into chunks (the viewer's body), one chunk at a time so
 * that the first one goes out before the rest is scrubbed; as many chunks come out as went in. A
 * value cut by a chunk boundary is still found: the last `longest - 1` characters of each scrubbed
 * chunk move on to the next one. Only the value layer: the structural rules cost about 0.2 s per MB,
 * far too much for the 100 MB bodies whose first rows must show at once, and the response's own
 * fields are the user's data. No secret registered, no work: the chunks come out as they are.
 */
export function* scrubChunks(chunks: readonly string[], secrets: SecretRegistry | undefined): Generator<string> {
  if (!secrets || secrets.size === 0) {
    yield* chunks;
    return;
  }
  let carry = '';
  for (let i = 0; i < chunks.length; i++) {
    const text = secrets.scrub(carry + chunks[i]);
    if (i === chunks.length - 1) {
      yield text;
      return;
    }
    let cut = Math.max(0, text.length - (secrets.longest - 1));
    // Never split a surrogate pair between two messages.
    const c = text.charCodeAt(cut - 1);
    if (cut > 0 && c >= 0xd800 && c <= 0xdbff) cut--;
    yield text.slice(0, cut);
    carry = text.slice(cut);
  }
}
