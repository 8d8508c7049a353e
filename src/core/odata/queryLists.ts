/**
 * The comma-separated values of `$select`, `$expand` and `$orderby`: field paths (`customer.name`),
 * with a nested `(…)` after an `$expand` item and `asc`/`desc` after an `$orderby` item.
 */
import { ODataSyntaxError, OrderByItem, PathItem, PathSegment, QueryOption } from './ast';

const PATH_RE = /^[A-Za-z_][A-Za-z0-9_]*(?:[./][A-Za-z_][A-Za-z0-9_]*)*$/;
const ORDER_ITEM = /^(\S+)(?:\s+(\S+))?(\s+.*)?$/s;
/** How a request-file variable (`{{fields}}`) starts in query text. */
export const VARIABLE_OPEN = '{{';

/** Whether text holds a request-file variable: then it is known only when sent, and not judged here. */
export function holdsVariable(text: string): boolean {
  return text.includes(VARIABLE_OPEN);
}

/** One item between top-level commas: [start, end) trimmed, and whether a comma follows it. */
interface Item {
  readonly start: number;
  readonly end: number;
  readonly comma: boolean;
}

export function isWsCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

export function clipValue(s: string): string {
  return s.length > 30 ? `${s.slice(0, 27)}...` : s;
}

/**
 * The items of a value, split at commas outside parentheses. A `)` without its `(` does not go
 * below depth 0; a `(` left open keeps the rest of the value in one item.
 */
function splitItems(value: string): Item[] {
  const items: Item[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 40 /* ( */) depth++;
    else if (c === 41 /* ) */) depth = Math.max(0, depth - 1);
    else if (i === value.length || (c === 44 /* , */ && depth === 0)) {
      let s = start;
      let e = i;
      while (s < e && isWsCode(value.charCodeAt(s))) s++;
      while (e > s && isWsCode(value.charCodeAt(e - 1))) e--;
      items.push({ start: s, end: e, comma: i < value.length });
      start = i + 1;
    }
  }
  return items;
}

/** The `.`- or `/`-separated names of a path, with absolute ranges from `absStart`. */
function segmentsOf(text: string, absStart: number): PathSegment[] {
  const segs: PathSegment[] = [];
  let s = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === '.' || text[i] === '/') {
      segs.push({ name: text.slice(s, i), start: absStart + s, end: absStart + i });
      s = i + 1;
    }
  }
  return segs;
}

/** A path as the tree keeps it: `/` (OData's navigation syntax) normalised to `.`. */
function dotted(path: string): string {
  return path.includes('/') ? path.replace(/\//g, '.') : path;
}

function emptyItem(option: QueryOption, item: Item, errors: ODataSyntaxError[], what: string): void {
  // An empty item is only possible next to a comma, or when the whole value is blank.
  const abs = option.valueStart + item.start;
  errors.push({ code: 'syntax', message: `Empty item in ${what}: expected a field name`, start: abs, end: abs + (item.comma ? 1 : 0) });
}

export function parsePathList(option: QueryOption, allowNested: boolean, errors: ODataSyntaxError[]): PathItem[] {
  if (!option.hasEquals) return [];
  const out: PathItem[] = [];
  for (const item of splitItems(option.value)) {
    const abs = option.valueStart + item.start;
    if (item.start === item.end) {
      emptyItem(option, item, errors, option.name);
      continue;
    }
    let text = option.value.slice(item.start, item.end);
    let nested: PathItem['nested'];
    const paren = text.indexOf('(');
    if (paren >= 0 && allowNested) {
      const close = text.lastIndexOf(')');
      const nestedEnd = close > paren ? close + 1 : text.length;
      nested = { start: abs + paren, end: abs + nestedEnd, text: text.slice(paren, nestedEnd) };
      if (close < paren) errors.push({ code: 'syntax', message: "Missing ')' in $expand", start: abs + paren, end: abs + paren + 1 });
      text = text.slice(0, paren).replace(/\s+$/, '');
    }
    if (holdsVariable(text)) continue;
    if (text === '*') {
      out.push({ path: '*', segments: [{ name: '*', start: abs, end: abs + 1 }], start: abs, end: abs + 1, nested });
      continue;
    }
    if (!PATH_RE.test(text)) {
      errors.push({ code: 'syntax', message: `'${clipValue(text)}' is not a field name or dotted path in ${option.name}`, start: abs, end: abs + text.length });
    }
    out.push({ path: dotted(text), segments: segmentsOf(text, abs), start: abs, end: abs + text.length, nested });
  }
  return out;
}

export function parseOrderBy(option: QueryOption, errors: ODataSyntaxError[]): OrderByItem[] {
  if (!option.hasEquals) return [];
  const out: OrderByItem[] = [];
  for (const item of splitItems(option.value)) {
    if (item.start === item.end) {
      emptyItem(option, item, errors, '$orderby');
      continue;
    }
    const text = option.value.slice(item.start, item.end);
    if (holdsVariable(text)) continue;
    const parsed = orderByItem(text, option.valueStart + item.start, errors);
    if (parsed) out.push(parsed);
  }
  return out;
}

/** `path`, or `path asc|desc`, with its errors. */
function orderByItem(text: string, abs: number, errors: ODataSyntaxError[]): OrderByItem | undefined {
  const m = ORDER_ITEM.exec(text);
  if (!m) return undefined;
  const [, pathText, dirText, extra] = m;
  if (!PATH_RE.test(pathText)) {
    errors.push({ code: 'syntax', message: `'${clipValue(pathText)}' is not a field name in $orderby`, start: abs, end: abs + pathText.length });
  }
  let dir: 'asc' | 'desc' = 'asc';
  let dirRange: OrderByItem['dirRange'];
  if (dirText !== undefined) {
    const dStart = abs + text.indexOf(dirText, pathText.length);
    dirRange = { start: dStart, end: dStart + dirText.length };
    const lower = dirText.toLowerCase();
    if (lower === 'asc' || lower === 'desc') {
      dir = lower;
      if (lower !== dirText) errors.push({ code: 'syntax', message: `Write '${lower}' in lowercase`, ...dirRange });
    } else {
      errors.push({ code: 'syntax', message: `Expected asc or desc after '${pathText}', not '${clipValue(dirText)}'`, ...dirRange });
    }
  }
  if (extra !== undefined) {
    const extraStart = abs + text.length - extra.trimStart().length;
    errors.push({ code: 'syntax', message: "Unexpected text in $orderby: separate fields with ','", start: extraStart, end: abs + text.length });
  }
  return { path: dotted(pathText), segments: segmentsOf(pathText, abs), dir, dirRange, start: abs, end: abs + text.length };
}
