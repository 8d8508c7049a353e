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
  // Whitespace before a comment within its line only: `^\s*` ran from every line start across all the
  // blank lines after it, quadratic in a script of blank lines.
  let rest = source.replace(/^[^\S\n]*\/\/.*$/gm, '').trim();
  const statuses: number[] = [];
  while (rest) {
    const m = STATUS_TEST.exec(rest);
    if (!m) return undefined;
    statuses.push(Number(m[2] ?? m[3]));
    rest = rest.slice(m[0].length).trim();
  }
  return statuses.length ? statuses : undefined;
}

/**
 * A literal after a credential's name: optional quote, the name, the same quote, a separator, then the
 * quoted value. The name is a whole word holding one of the keywords. It starts only where a word
 * starts and is taken whole, as an atomic group would (a lookahead capture, then `\3`): written as
 * `[\w-]*keyword[\w-]*`, it was retried from every position with every split of the word around each
 * keyword, and a 5 KB script of repeated `token` took 30 s to import.
 */
const CREDENTIAL_LITERAL =
  /(["'`]?)(?<![\w-])(?=[\w-]*(?:token|secret|key|auth|password|cookie))((?=([\w-]+))\3)\1(\s*[,:=]\s*)(["'`])(?:(?!\5)[^\\]|\\.)*\5/gi;

/** `set('apiToken', '…')`, `{ password: "…" }`: a literal after a credential's name is masked, as are bearer tokens and JSON or form pairs. */
function maskScript(source: string): string {
  return redactText(source).replace(
    CREDENTIAL_LITERAL,
    (_all, q: string, name: string, _word: string, sep: string, quote: string) => `${q}${name}${q}${sep}${quote}${REDACTED}${quote}`,
  );
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
      for (const line of statuses.map((s) => `?? status == ${s}`)) assertions!.push(line);
      summary.add('converted', `${where} test script`, `became ${statuses.map((s) => `?? status == ${s}`).join(', ')}.`);
      continue;
    }
    out.push(`# Postman ${listen} script${event.disabled === true ? ' (disabled)' : ''}, not run:`);
    for (const line of maskScript(source).replace(/\r\n?/g, '\n').split('\n').map((l) => `#   ${l}`.trimEnd())) out.push(line);
    summary.add('comment', `${where} ${listen} script`, 'scripts are not run; it is kept as a comment.');
  }
  return out;
}
