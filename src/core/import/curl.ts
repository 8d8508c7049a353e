/**
 * A curl command (from Sage's documentation or a browser's "Copy as cURL") to a request. Only the
 * request is taken: options about output, TLS or retries have nothing to convert to.
 */
import { keepHeader, mapSystemVariables, relativeUrl, SageContext } from './sage';
import { ImportedRequest, ImportError, ImportSummary } from './types';

/** POSIX shell words: quotes, `$'…'` (Chrome's escapes), backslash-newline continuations; cmd's `^` too. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const s = text.replace(/\^\r?\n/g, ' ').replace(/\\\r?\n/g, ' ');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end === -1) throw new ImportError('The curl command has a quote (\') that is never closed.');
      word = (word ?? '') + s.slice(i + 1, end);
      i = end;
    } else if (c === '$' && s[i + 1] === "'") {
      let out = '';
      let j = i + 2;
      for (; j < s.length && s[j] !== "'"; j++) {
        if (s[j] === '\\' && j + 1 < s.length) {
          const e = s[++j];
          const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"' };
          if (e === 'u' || e === 'x') {
            const hex = /^[0-9a-fA-F]+/.exec(s.slice(j + 1, j + (e === 'u' ? 5 : 3)))?.[0] ?? '';
            out += String.fromCharCode(parseInt(hex || '0', 16));
            j += hex.length;
          } else out += map[e] ?? e;
        } else out += s[j];
      }
      if (j >= s.length) throw new ImportError('The curl command has a quote ($\') that is never closed.');
      word = (word ?? '') + out;
      i = j;
    } else if (c === '"') {
      let out = '';
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === '\\' && /["\\$`]/.test(s[j + 1] ?? '')) out += s[++j];
        else out += s[j];
      }
      if (j >= s.length) throw new ImportError('The curl command has a quote (") that is never closed.');
      word = (word ?? '') + out;
      i = j;
    } else if (c === '\\' && i + 1 < s.length) {
      word = (word ?? '') + s[++i];
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

const IGNORED = new Set(['--compressed', '-s', '--silent', '-S', '--show-error', '-k', '--insecure', '-L', '--location', '-i', '--include', '-v', '--verbose', '-f', '--fail', '-g', '--globoff', '-N', '--no-buffer']);
const IGNORED_WITH_VALUE = new Set(['-o', '--output', '-m', '--max-time', '--connect-timeout', '--retry', '-w', '--write-out', '--cacert', '--cert', '--key', '-x', '--proxy', '--resolve']);

export function looksLikeCurl(text: string): boolean {
  return /^\s*(?:\$\s+)?curl(?:\.exe)?\s/.test(text);
}

/** One request from a curl command. */
export function curlToRequest(text: string, ctx: SageContext, summary: ImportSummary, known: ReadonlyMap<string, string> = new Map()): ImportedRequest {
  const words = shellWords(text.trim().replace(/^\$\s+/, ''));
  if (!/^curl(?:\.exe)?$/.test(words[0] ?? '')) throw new ImportError('This is not a curl command: it should start with "curl".');
  let method: string | undefined;
  let url: string | undefined;
  const headers: { name: string; value: string }[] = [];
  const data: string[] = [];
  let getWithData = false;
  let json = false;
  const comments: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    const next = (): string => {
      const v = words[++i];
      if (v === undefined) throw new ImportError(`The curl option ${w} needs a value.`);
      return v;
    };
    const long = /^(--[\w-]+)=(.*)$/s.exec(w);
    const opt = long ? long[1] : w;
    const value = long ? (): string => long[2] : next;
    if (opt === '-X' || opt === '--request') method = value().toUpperCase();
    else if (/^-X[A-Z]+$/.test(opt)) method = opt.slice(2);
    else if (opt === '-H' || opt === '--header') {
      const h = value();
      const colon = h.indexOf(':');
      if (colon > 0) headers.push({ name: h.slice(0, colon).trim(), value: h.slice(colon + 1).trim() });
    } else if (['-d', '--data', '--data-raw', '--data-binary', '--data-ascii'].includes(opt)) {
      const d = value();
      if (d.startsWith('@') && opt !== '--data-raw') {
        comments.push(`# curl read the body from the file ${d.slice(1)}; paste its content as the body.`);
        summary.add('comment', 'body', `read from the file ${d.slice(1)} by curl; not converted.`);
      } else data.push(d);
    } else if (opt === '--data-urlencode') {
      const d = value();
      const eq = d.indexOf('=');
      data.push(eq === -1 ? encodeURIComponent(d) : `${d.slice(0, eq)}=${encodeURIComponent(d.slice(eq + 1))}`);
    } else if (opt === '--json') {
      data.push(value());
      json = true;
    } else if (opt === '-G' || opt === '--get') getWithData = true;
    else if (opt === '-I' || opt === '--head') method = 'HEAD';
    else if (opt === '--url') url = value();
    else if (opt === '-A' || opt === '--user-agent') headers.push({ name: 'User-Agent', value: value() });
    else if (opt === '-e' || opt === '--referer') headers.push({ name: 'Referer', value: value() });
    else if (opt === '-u' || opt === '--user' || opt === '--oauth2-bearer') {
      value();
      summary.add('dropped', opt, 'credentials are not imported: the connection signs in.');
    } else if (opt === '-b' || opt === '--cookie') {
      value();
      summary.add('dropped', opt, 'cookies are not imported.');
    } else if (opt === '-F' || opt === '--form') {
      comments.push(`# curl form field, not converted: ${value().replace(/=.*$/, '= …')}`);
      summary.add('comment', opt, 'multipart form fields are not sent by request files.');
    } else if (IGNORED.has(opt)) continue;
    else if (IGNORED_WITH_VALUE.has(opt)) value();
    else if (!opt.startsWith('-') && url === undefined) url = w;
    else summary.add('dropped', opt, 'a curl option with no equivalent in a request file.');
  }
  if (!url) throw new ImportError('The curl command has no URL.');
  let body: string | undefined = data.length ? data.join('&') : undefined;
  if (getWithData && body !== undefined) {
    url += (url.includes('?') ? '&' : '?') + body;
    body = undefined;
  }
  if (json && !headers.some((h) => /^content-type$/i.test(h.name))) headers.push({ name: 'Content-Type', value: 'application/json' });
  if (body !== undefined && !/^\s*[[{]/.test(body) && !headers.some((h) => /^content-type$/i.test(h.name))) {
    // curl's -d sends a form unless told otherwise.
    headers.push({ name: 'Content-Type', value: 'application/x-www-form-urlencoded' });
  }
  const finalMethod = method ?? (body !== undefined ? 'POST' : 'GET');
  const title = `${finalMethod} ${url.replace(/\?.*$/, '')}`;
  const relative = mapSystemVariables(relativeUrl(url, known, summary, title), summary, title);
  let query = '';
  let pathPart = relative;
  const q = relative.indexOf('?');
  if (q !== -1) {
    pathPart = relative.slice(0, q);
    // The file shows queries decoded; Send encodes them again.
    query = '?' + relative.slice(q + 1).split('&').map((p) => safeDecode(p)).join('&');
  }
  const kept = headers.filter((h) => keepHeader(h.name, h.value, ctx, summary, title))
    .filter((h) => {
      // Headers a browser adds to everything say nothing about the request.
      const browser = /^(sec-|accept-encoding$|accept-language$|user-agent$|referer$|origin$|connection$|pragma$|cache-control$|priority$|dnt$)/i.test(h.name);
      if (browser) summary.add('dropped', `${title}: ${h.name}`, 'a header the browser or curl adds by itself.');
      return !browser;
    });
  summary.add('converted', title, 'from curl.');
  return {
    title: `${finalMethod} ${safeDecode(pathPart)}`,
    comments, metadata: [], method: finalMethod, url: pathPart + query, headers: kept, assertions: [],
    ...(body !== undefined ? { body: mapSystemVariables(body, summary, title) } : {}),
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, '%20'));
  } catch {
    return s;
  }
}
