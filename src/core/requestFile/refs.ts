/**
 * `{{…}}` references: what kind each one is (system variable, named-response reference, or a plain
 * file/environment variable), read from its text alone.
 */
import { VariableRef, Span } from './types';
import { isBlank, isWordChar } from './chars';

/** The reference `{{…}}` at [start, end) of `text`. */
export function classifyRef(text: string, start: number, end: number): VariableRef {
  let is = start + 2;
  let ie = end - 2;
  while (is < ie && isBlank(text.charCodeAt(is))) is++;
  while (ie > is && isBlank(text.charCodeAt(ie - 1))) ie--;
  const expression = text.slice(is, ie);
  if (expression.charCodeAt(0) === 36 /* $ */) {
    const words = expression.split(/\s+/);
    return new Ref(start, end, is, ie, expression, 'system', words[0] || '$', words.slice(1).filter(Boolean), undefined, undefined, undefined);
  }
  const dot = expression.indexOf('.');
  if (dot > 0) {
    const r = responseRef(expression, dot);
    if (r) return new Ref(start, end, is, ie, expression, 'response', r.name, undefined, r.part, r.source, r.path);
  }
  return new Ref(start, end, is, ie, expression, 'plain', expression, undefined, undefined, undefined, undefined);
}

/** A `{{…}}` reference with its spans made on demand (see tree.ts). */
class Ref implements VariableRef {
  constructor(
    private readonly start: number,
    private readonly end: number,
    private readonly innerStart: number,
    private readonly innerEnd: number,
    readonly expression: string,
    readonly kind: VariableRef['kind'],
    readonly name: string,
    readonly args: readonly string[] | undefined,
    readonly part: VariableRef['part'],
    readonly source: VariableRef['source'],
    readonly path: string | undefined,
  ) {}

  get span(): Span {
    return { start: this.start, end: this.end };
  }

  get expressionSpan(): Span {
    return { start: this.innerStart, end: this.innerEnd };
  }
}

/**
 * `name.response.body…` / `name.request.headers…` (`name` of [A-Za-z_][\w-]*), read by char codes:
 * request files repeat such references thousands of times, and a regex match allocates its groups.
 */
function responseRef(e: string, dot: number): { name: string; source: 'response' | 'request'; part: 'body' | 'headers'; path: string } | undefined {
  if (!isNameStartCode(e.charCodeAt(0))) return undefined;
  for (let i = 1; i < dot; i++) {
    const c = e.charCodeAt(i);
    if (!isWordChar(c)) return undefined;
  }
  let i = dot + 1;
  let source: 'response' | 'request';
  if (e.startsWith('response.', i)) {
    source = 'response';
    i += 9;
  } else if (e.startsWith('request.', i)) {
    source = 'request';
    i += 8;
  } else {
    return undefined;
  }
  let part: 'body' | 'headers';
  if (e.startsWith('body', i)) {
    part = 'body';
    i += 4;
  } else if (e.startsWith('headers', i)) {
    part = 'headers';
    i += 7;
  } else {
    return undefined;
  }
  let path = '';
  if (i < e.length) {
    const c = e.charCodeAt(i);
    if (c === 91 /* [ */) path = e.slice(i);
    else if (c === 46 /* . */) path = e.slice(i + 1);
    else return undefined;
  }
  return { name: e.slice(0, dot), source, part, path };
}

function isNameStartCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

