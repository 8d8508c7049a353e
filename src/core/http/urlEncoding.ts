/**
 * How this project writes values into URLs and forms. One owner: the request-file resolver encodes
 * with these functions, and the secret registry (redact.ts) asks `encodedForms` for every spelling a
 * secret can take on the wire, so a new encoding rule here is masked too without a second copy.
 */

const HEX = /^[0-9A-Fa-f]{2}$/;

function encodeChar(ch: string): string {
  return encodeURIComponent(ch).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Encodes a path: keeps `/` and existing `%XX` escapes, encodes spaces and everything unsafe. */
export function encodePath(path: string): string {
  let out = '';
  const schemeEnd = /^https?:\/\/[^/]*/i.exec(path)?.[0].length ?? 0;
  out = path.slice(0, schemeEnd);
  for (let i = schemeEnd; i < path.length; i++) {
    const ch = path[i];
    if (/[A-Za-z0-9\-._~!$&'()*+,;=:@/]/.test(ch)) out += ch;
    else if (ch === '%' && HEX.test(path.slice(i + 1, i + 3))) out += ch;
    else out += encodeChar(codePointAt(path, i));
    if (path.codePointAt(i)! > 0xffff) i++;
  }
  return out;
}

/**
 * Encodes a query for the wire. Spaces become `%20`; `&`, `#`, `+` and `=` inside quoted OData
 * strings are escaped so that `name eq 'A&B'` stays one value; existing `%XX` escapes are kept.
 */
export function encodeQuery(query: string): string {
  return encodeQueryFrom(query, false);
}

/** `quoted`: whether the text starts inside an OData string, which changes how `&` and `=` come out. */
function encodeQueryFrom(query: string, quoted: boolean): string {
  let out = '';
  for (let i = 0; i < query.length; i++) {
    const ch = query[i];
    if (ch === "'") {
      quoted = !quoted;
      out += ch;
    } else if (ch === '&' && !quoted) {
      out += ch;
    } else if (/[A-Za-z0-9\-._~!$'()*,;:@/?]/.test(ch)) {
      out += ch;
    } else if (ch === '=' && !quoted) {
      out += ch;
    } else if (ch === '%' && HEX.test(query.slice(i + 1, i + 3))) {
      out += ch;
    } else {
      out += encodeChar(codePointAt(query, i));
      if (query.codePointAt(i)! > 0xffff) i++;
    }
  }
  return out;
}

function codePointAt(s: string, i: number): string {
  const cp = s.codePointAt(i)!;
  // A lone surrogate cannot be UTF-8 encoded; send the replacement character instead of throwing.
  if (cp >= 0xd800 && cp <= 0xdfff) return '\ufffd';
  return String.fromCodePoint(cp);
}

/**
 * Every spelling of `value` that this project can put on the wire or in a log: as it is; through
 * `encodeURIComponent` (Explorer paths, paging, imports); in a request file's path; in its query,
 * outside and inside an OData string; and form-encoded (`+` for a space), as the OAuth token call
 * sends it through URLSearchParams. Distinct, longest first, so that a longer spelling is replaced
 * before a shorter one inside it could cut it.
 */
export function encodedForms(value: string): string[] {
  const forms = new Set([
    value,
    encodeURIComponent(value),
    encodePath(value),
    encodeQueryFrom(value, false),
    encodeQueryFrom(value, true),
    new URLSearchParams([['', value]]).toString().slice(1),
  ]);
  return [...forms].sort((a, b) => b.length - a.length);
}
