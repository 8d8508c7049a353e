/**
 * Postman's pre-request and test scripts on import. Nothing is run: a test script that only checks
 * the status becomes `??` assertions, and every other script is kept as a comment with anything
 * that looks like a credential masked, because request files are committed.
 */
import { REDACTED, redactText } from '../http/redact';
import { arr, Json, obj, str } from './json';
import { ImportSummary } from './types';

const STATUS_CHECK = String.raw`(?:pm\.response\.to\.have\.status\(\s*(\d{3})\s*\)|pm\.expect\(\s*pm\.response\.(?:code|status)\s*\)\.to\.(?:eql|equal|be\.equal|equals)\(\s*(\d{3})\s*\))\s*;?`;
const STATUS_TEST = new RegExp(String.raw`^pm\.test\(\s*(['"\x60])(?:(?!\1).)*\1\s*,\s*(?:function\s*\(\s*\)|\(\s*\)\s*=>)\s*\{\s*${STATUS_CHECK}\s*\}\s*\)\s*;?\s*`, 's');

/** The statuses a test script checks when it checks nothing else, or undefined. */
export function statusOnlyScript(source: string): number[] | undefined {
  let rest = stripLineComments(source).trim();
  const statuses: number[] = [];
  while (rest) {
    const m = STATUS_TEST.exec(rest);
    if (!m) return undefined;
    statuses.push(Number(m[2] ?? m[3]));
    rest = rest.slice(m[0].length).trim();
  }
  return statuses.length ? statuses : undefined;
}

/** The line terminators of `^`, `$` and `.` in a JavaScript regular expression. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;
const SPACE = /\s/;

/**
 * Removes `//` comment lines, as `source.replace(/^\s*\/\/.*$/gm, '')` did: from the first line start
 * in the white space before a `//` (blank lines included) to the end of that line. That pattern took
 * quadratic time on many blank lines (`\s*` ran from every line start to the end of the run); this is
 * one forward scan.
 */
function stripLineComments(source: string): string {
  let out = '';
  let kept = 0;
  /** The first line start in the white space just read, or -1. */
  let lineStart = -1;
  for (let i = 0; i < source.length;) {
    if (lineStart === -1 && (i === 0 || LINE_BREAK.test(source[i - 1]))) lineStart = i;
    if (lineStart !== -1 && source.startsWith('//', i)) {
      let end = i + 2;
      while (end < source.length && !LINE_BREAK.test(source[end])) end++;
      out += source.slice(kept, lineStart);
      kept = i = end;
      lineStart = -1;
      continue;
    }
    if (!SPACE.test(source[i])) lineStart = -1;
    i++;
  }
  return out + source.slice(kept);
}

const CREDENTIAL_NAME = /token|secret|key|auth|password|cookie/i;
const SEPARATOR = /\s*[,:=]\s*/y;
const QUOTE = /["'`]/;

/**
 * `set('apiToken', '…')`, `{ password: "…" }`: a literal after a credential's name is masked, as are
 * bearer tokens and JSON or form pairs.
 *
 * The literal is found as this pattern would find it, leftmost first:
 * `(["'\x60]?)([\w-]*(?:token|secret|key|auth|password|cookie)[\w-]*)\1(\s*[,:=]\s*)(["'\x60])(?:(?!\4)[^\\]|\\.)*\4`
 * (case-insensitive). As a regular expression it took cubic time on a long word (`[\w-]*` on both
 * sides of the keyword, tried from every position), so it is a scan: each word is read once, and a
 * name can only be a whole word, since what follows it (a quote, white space or a separator) is not
 * part of one.
 */
function maskScript(source: string): string {
  const text = redactText(source);
  let out = '';
  /** The text before `from` is in `out`; a match may start at `next` (after the last closing quote). */
  let from = 0;
  let next = 0;
  const word = /[\w-]+/g;
  for (let m = word.exec(text); m; m = word.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (!CREDENTIAL_NAME.test(m[0])) continue;
    // A quoted name ('apiToken': …) first, as the pattern tries the earlier position first.
    const quoted = start - 1 >= next && QUOTE.test(text[start - 1]) && text[end] === text[start - 1];
    const literal = literalAfter(text, quoted ? end + 1 : end);
    if (!literal) continue;
    out += `${text.slice(from, literal.start)}${REDACTED}`;
    from = literal.end;
    next = word.lastIndex = literal.end + 1;
  }
  return out + text.slice(from);
}

/** The body of a quoted literal after a separator at `at` (`: "…"`), from after its opening quote to its closing quote. */
function literalAfter(text: string, at: number): { start: number; end: number } | undefined {
  SEPARATOR.lastIndex = at;
  if (!SEPARATOR.test(text)) return undefined;
  const open = SEPARATOR.lastIndex;
  const quote = text[open];
  if (quote === undefined || !QUOTE.test(quote)) return undefined;
  for (let i = open + 1; i < text.length;) {
    const c = text[i];
    if (c === quote) return { start: open + 1, end: i };
    if (c !== '\\') i++;
    else if (i + 1 < text.length && !LINE_BREAK.test(text[i + 1])) i += 2;
    else return undefined;
  }
  return undefined;
}

function scriptSource(event: Json): string {
  const script = obj(event.script);
  const exec = script?.exec;
  return Array.isArray(exec) ? exec.map((l) => str(l) ?? '').join('\n') : str(exec) ?? '';
}

/** Scripts kept as comments. Values that look like credentials are masked: comments are committed too. */
export function scriptComments(events: unknown, where: string, summary: ImportSummary, assertions?: string[]): string[] {
  const out: string[] = [];
  for (const e of arr(events)) {
    const event = obj(e);
    if (!event) continue;
    const source = scriptSource(event);
    if (!source.trim()) continue;
    const listen = str(event.listen) === 'prerequest' ? 'pre-request' : 'test';
    const statuses = assertions && listen === 'test' && event.disabled !== true ? statusOnlyScript(source) : undefined;
    if (statuses) {
      assertions!.push(...statuses.map((s) => `?? status == ${s}`));
      summary.add('converted', `${where} test script`, `became ${statuses.map((s) => `?? status == ${s}`).join(', ')}.`);
      continue;
    }
    out.push(`# Postman ${listen} script${event.disabled === true ? ' (disabled)' : ''}, not run:`);
    out.push(...maskScript(source).replace(/\r\n?/g, '\n').split('\n').map((l) => `#   ${l}`.trimEnd()));
    summary.add('comment', `${where} ${listen} script`, 'scripts are not run; it is kept as a comment.');
  }
  return out;
}
