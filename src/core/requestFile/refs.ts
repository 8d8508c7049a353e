/**
 * `{{…}}` references: where they are, and what kind each one is (system variable, named-response
 * reference, or a plain file/environment variable), read from its text alone.
 */
import { VariableRef } from './types';
import { isBlank, REF_CLOSE, REF_OPEN } from './chars';

/** `name.response.body…` / `name.request.headers[…]`: a reference to a named request's exchange. */
const RESPONSE_REF = /^([A-Za-z_][\w-]*)\.(response|request)\.(body|headers)(?:\.(.*)|(\[.*))?$/s;

/** The reference `{{…}}` at [start, end) of `text`. */
export function classifyRef(text: string, start: number, end: number): VariableRef {
  let is = start + REF_OPEN.length;
  let ie = end - REF_CLOSE.length;
  while (is < ie && isBlank(text.charCodeAt(is))) is++;
  while (ie > is && isBlank(text.charCodeAt(ie - 1))) ie--;
  const expression = text.slice(is, ie);
  const span = { start, end };
  const expressionSpan = { start: is, end: ie };
  if (expression.startsWith('$')) {
    const words = expression.split(/\s+/);
    return { span, expression, expressionSpan, kind: 'system', name: words[0] || '$', args: words.slice(1).filter(Boolean) };
  }
  const m = RESPONSE_REF.exec(expression);
  if (m) {
    const [, name, source, part, dotted, bracketed] = m;
    return {
      span, expression, expressionSpan, kind: 'response', name,
      source: source as 'response' | 'request', part: part as 'body' | 'headers', path: dotted ?? bracketed ?? '',
    };
  }
  return { span, expression, expressionSpan, kind: 'plain', name: expression };
}

/** Finds `{{…}}` references in [from, to) (one line) and appends them to `out`. An unclosed `{{` is reported. */
export function scanRefs(text: string, from: number, to: number, out: VariableRef[], issue?: (c: string, m: string, s: number, e: number) => void): void {
  // Searched in the line alone: a search in the whole text for a `}}` that the line lacks would
  // read on to the end of the file, once per line.
  const line = text.slice(from, to);
  let open = line.indexOf(REF_OPEN);
  while (open !== -1) {
    const close = line.indexOf(REF_CLOSE, open + REF_OPEN.length);
    if (close === -1) {
      issue?.('unclosed-variable', 'Close the variable with "}}".', from + open, to);
      return;
    }
    // `{{{` : the first brace is literal JSON; the reference starts at the last `{{`.
    let start = open;
    while (line.charCodeAt(start + 2) === 123 /* { */ && start + 2 < close) start++;
    out.push(classifyRef(text, from + start, from + close + REF_CLOSE.length));
    open = line.indexOf(REF_OPEN, close + REF_CLOSE.length);
  }
}
