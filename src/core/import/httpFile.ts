/**
 * `.http` / `.rest` files of REST Client, httpYac and the JetBrains HTTP client. Their request syntax
 * is ours; what differs is metadata, system variables, scripts and file references, which become our
 * equivalents or comments marked as not run.
 */
import { METHODS } from '../requestFile';
import { isSageBaseUrl, keepHeader, mapSystemVariables, relativeUrl, SageContext, UrlExpansion } from './sage';
import { ImportedRequest, ImportedRequestFile, ImportResult, ImportSummary } from './types';

/** Where a request line's target starts: after its method, if any, at `http(s)://`, `/` or `{{`. */
const REQUEST_START = new RegExp(`^(?:(${[...new Set([...METHODS, 'CONNECT', 'TRACE'])].join('|')})\\s+)?(?=https?://|/|\\{\\{)`, 'i');

interface RequestLine {
  readonly method?: string;
  readonly target: string;
}

/**
 * `METHOD target HTTP/1.1`, the method and version optional, or undefined. Scanned from both ends
 * rather than by a lazy pattern, which retried the version and blanks after every character.
 */
function requestLineOf(line: string): RequestLine | undefined {
  const start = REQUEST_START.exec(line);
  if (!start) return undefined;
  const t = line.trimEnd();
  let end = t.length;
  let k = end;
  while (k > start[0].length && /[\d.]/.test(t[k - 1])) k--;
  if (k < end && k - 5 >= start[0].length && t.slice(k - 5, k).toUpperCase() === 'HTTP/') {
    let w = k - 5;
    while (w > start[0].length && /\s/.test(t[w - 1])) w--;
    if (w < k - 5) end = w;
  }
  const target = t.slice(start[0].length, end);
  // As before: a line or paragraph separator inside the target makes it no request line.
  if (/[\u2028\u2029]/.test(target)) return undefined;
  return { method: start[1], target };
}
const FILE_VARIABLE = /^@([A-Za-z_][\w.-]*)\s*=\s*(.*)$/;
const COMMENT = /^\s*(?:#|\/\/)\s?(.*)$/;
const METADATA = /^@([\w-]+)\s*(.*)$/;

/** The file's variables, and their expansions for `relativeUrl` while none of them changes. */
class Variables extends Map<string, string> {
  readonly expansions = new Map<string, UrlExpansion>();

  override set(name: string, value: string): this {
    this.expansions?.clear();
    return super.set(name, value);
  }
}

interface Block {
  title?: string;
  lines: string[];
  startLine: number;
}

export function importHttpFile(text: string, fileName: string, ctx: SageContext = {}): ImportResult {
  const summary = new ImportSummary();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const blocks: Block[] = [];
  const head: string[] = [];
  let current: Block | undefined;
  lines.forEach((line, i) => {
    const sep = /^###(.*)$/.exec(line);
    if (sep) {
      current = { title: sep[1].trim() || undefined, lines: [], startLine: i };
      blocks.push(current);
    } else if (current) current.lines.push(line);
    else head.push(line);
  });
  // Without a leading `###`, the first request lives in the head.
  const firstRequest = head.findIndex((l) => requestLineOf(l.trim()) !== undefined && !COMMENT.test(l) && !FILE_VARIABLE.test(l.trim()));
  if (firstRequest !== -1) {
    let start = firstRequest;
    while (start > 0 && COMMENT.test(head[start - 1])) start--;
    blocks.unshift({ lines: head.splice(start), startLine: start });
  }

  const variables = new Variables();
  const comments: string[] = [];
  for (const l of head) {
    const v = FILE_VARIABLE.exec(l.trim());
    const c = COMMENT.exec(l);
    if (v) variables.set(v[1], mapSystemVariables(v[2].trim(), summary, `variable ${v[1]}`));
    else if (c) comments.push(`# ${c[1]}`.trimEnd());
  }
  const requests: ImportedRequest[] = [];
  for (const b of blocks) {
    const r = convertBlock(b, variables, ctx, summary);
    if (r) requests.push(r);
  }
  // A base URL variable that every request now leaves to the connection is noise.
  const used = new Set<string>();
  const texts = [...requests.flatMap((r) => [r.url, ...r.headers.map((h) => h.value), r.body ?? '']), ...variables.values()];
  for (const t of texts) for (const m of t.matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)) used.add(m[1]);
  for (const [name, value] of variables) {
    if (isSageBaseUrl(value) && !used.has(name)) {
      variables.delete(name);
      summary.add('dropped', `variable ${name}`, 'the Sage 200 base URL: requests are now relative to the connection.');
    }
  }
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.(http|rest)$/i, '') || 'requests';
  const file: ImportedRequestFile = {
    name: `${base}.sage200`,
    comments: [`# Imported from ${fileName.replace(/^.*[\\/]/, '')}.`, ...comments],
    variables: [...variables],
    requests,
  };
  return { kind: 'http-file', files: [file], summary };
}

function convertBlock(b: Block, variables: Variables, ctx: SageContext, summary: ImportSummary): ImportedRequest | undefined {
  const metadata: [string, string][] = [];
  const comments: string[] = [];
  const prompts = new Set<string>();
  let i = 0;
  let requestLine: RequestLine | undefined;
  const subject = (): string => b.title ?? `request on line ${b.startLine + 1}`;
  for (; i < b.lines.length; i++) {
    const line = b.lines[i].trim();
    if (!line) continue;
    const v = FILE_VARIABLE.exec(line);
    if (v) {
      variables.set(v[1], mapSystemVariables(v[2].trim(), summary, `variable ${v[1]}`));
      continue;
    }
    const c = COMMENT.exec(line);
    if (c) {
      const meta = METADATA.exec(c[1].trim());
      if (!meta) comments.push(`# ${c[1]}`.trimEnd());
      else if (meta[1] === 'name') metadata.push(['name', meta[2].trim()]);
      else if (meta[1] === 'prompt') {
        // REST Client asks for `{{name}}` before sending; here that is {{$prompt name}}.
        const name = meta[2].trim().split(/\s+/)[0];
        if (name) prompts.add(name);
        summary.add('converted', `${subject()}: @prompt ${name}`, `{{${name}}} became {{$prompt ${name}}}.`);
      } else {
        comments.push(`# @${meta[1]} ${meta[2]} (not supported here, not applied)`.replace(/\s+\(/, ' ('));
        summary.add('comment', `${subject()}: @${meta[1]}`, 'this metadata has no equivalent here; kept as a comment.');
      }
      continue;
    }
    const m = requestLineOf(line);
    if (m) {
      requestLine = m;
      i++;
      break;
    }
    comments.push(`# ${line} (not understood, not run)`);
    summary.add('comment', subject(), `the line "${line.slice(0, 40)}" was not understood; kept as a comment.`);
  }
  if (!requestLine) {
    if (b.title || comments.length) summary.add('dropped', subject(), 'the block has no request line.');
    return undefined;
  }
  const title = b.title ?? `${(requestLine.method ?? 'GET').toUpperCase()} ${requestLine.target.replace(/\?.*$/, '')}`;
  const usePrompts = (s: string): string =>
    prompts.size ? s.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (all, n: string) => (prompts.has(n) ? `{{$prompt ${n}}}` : all)) : s;
  const map = (s: string): string => usePrompts(mapSystemVariables(s, summary, title));

  let url = requestLine.target;
  for (; i < b.lines.length && /^\s+[?&]/.test(b.lines[i]); i++) url += b.lines[i].trim();
  url = map(relativeUrl(url, variables, summary, title, variables.expansions));

  const headers: { name: string; value: string }[] = [];
  const assertions: string[] = [];
  for (; i < b.lines.length && b.lines[i].trim(); i++) {
    const line = b.lines[i].trim();
    if (line.startsWith('??')) {
      assertions.push(line);
      continue;
    }
    const c = COMMENT.exec(line);
    if (c) {
      comments.push(`# ${c[1]}`.trimEnd());
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      comments.push(`# ${line} (not a header, not sent)`);
      summary.add('comment', title, `"${line.slice(0, 40)}" is not a header; kept as a comment.`);
      continue;
    }
    const name = line.slice(0, colon).trim();
    const raw = line.slice(colon + 1).trim();
    if (keepHeader(name, raw, ctx, summary, title)) headers.push({ name, value: map(raw) });
  }

  const body = bodyOf(b.lines.slice(i), title, comments, assertions, summary);
  summary.add('converted', title, `${(requestLine.method ?? 'GET').toUpperCase()} ${url}`);
  return {
    title, comments, metadata, method: (requestLine.method ?? 'GET').toUpperCase(), url, headers, assertions,
    ...(body !== undefined ? { body: map(body) } : {}),
  };
}

/** The body lines, with response handlers, scripts and file references taken out as comments. */
function bodyOf(lines: string[], title: string, comments: string[], assertions: string[], summary: ImportSummary): string | undefined {
  const body: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const t = line.trim();
    if (t.startsWith('??')) {
      assertions.push(t);
    } else if (/^[<>]\s*\{%/.test(t) || /^\{\{\s*$/.test(t) || /^\{\{\s*[@a-z]/.test(t) && !/\}\}\s*$/.test(t)) {
      // A JetBrains handler (`> {% … %}`) or an httpYac script block (`{{ … }}`): JavaScript, never run here.
      const jetbrains = t.includes('{%');
      const end = jetbrains ? '%}' : '}}';
      const script = [line];
      while (!script[script.length - 1].trimEnd().endsWith(end) && i + 1 < lines.length) script.push(lines[++i]);
      comments.push(`# ${jetbrains ? (t.startsWith('<') ? 'Pre-request' : 'Response handler') : 'Script'}, not run:`, ...script.map((l) => `#   ${l}`.trimEnd()));
      summary.add('comment', `${title}: script`, 'scripts are not run; it is kept as a comment.');
    } else if (/^>\s*\S/.test(t)) {
      comments.push(`# Response handler file, not run: ${t.slice(1).trim()}`);
      summary.add('comment', `${title}: ${t}`, 'response handler scripts are not run.');
    } else if (/^>>!?\s/.test(t) || /^<>\s/.test(t)) {
      summary.add('dropped', `${title}: ${t}`, 'saving or comparing responses to files is not supported.');
    } else if (/^<@?\s+\S/.test(t)) {
      comments.push(`# Body read from the file ${t.replace(/^<@?\s+/, '')}, not converted: paste its content as the body.`);
      summary.add('comment', `${title}: body`, 'a body read from a file is not converted.');
    } else {
      body.push(line);
    }
  }
  while (body.length && !body[body.length - 1].trim()) body.pop();
  while (body.length && !body[0].trim()) body.shift();
  return body.length ? body.join('\n') : undefined;
}
