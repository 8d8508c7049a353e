/**
 * Completion for the query part of a request, as a pure function the editor calls per keystroke.
 * Cost: one pass over the query text (not the file) plus the fields of the one schema at hand,
 * whose completion items are cached per catalog and schema.
 */

import type { Catalog, Edition, Field } from '../catalog';
import { COMPARE_OPS, FILTER_FUNCTIONS, KNOWN_OPTIONS, KnownOption, QueryOption } from './ast';
import { segmentsOf, Token, tokenize } from './lexer';
import { parseQueryString } from './query';
import { describe } from './validate';

export type CompletionKind = 'option' | 'field' | 'operator' | 'function' | 'value' | 'keyword';

export interface ODataCompletion {
  readonly label: string;
  readonly kind: CompletionKind;
  /** Type and marks: `text, max 60`, `read-only`, `Professional only`. */
  readonly detail: string;
  readonly insertText?: string;
  readonly sortText?: string;
}

export interface CompletionContext {
  readonly catalog: Catalog;
  readonly schema: string;
  readonly edition?: Edition;
  /**
   * Known enum names per field path (index = Sage's number), e.g. from a live `$metadata` answer or
   * the sandbox: offered as quoted values after an operator, in place of the catalog's value sets.
   */
  readonly enumValues?: Readonly<Record<string, readonly string[]>>;
}

export interface CompletionResult {
  readonly items: ODataCompletion[];
  /** Range (indexes into `text`) that the chosen item replaces: the word at the cursor. */
  readonly replaceStart: number;
  readonly replaceEnd: number;
}

const OPTION_DETAIL: Record<KnownOption, string> = {
  $filter: 'filter records: field eq value and …',
  $select: 'fields to return, comma-separated',
  $expand: 'child entities to include',
  $orderby: 'sort: field asc|desc, …',
  $top: 'page size (1–5000, default 500)',
  $skip: 'records to skip (needs $orderby)',
  $count: 'true: return the number of records',
  $metadata: 'true|false: describe the fields',
};

const OPERATOR_DETAIL: Record<string, string> = {
  eq: 'equals', ne: 'not equal', gt: 'greater than', ge: 'greater than or equal', lt: 'less than', le: 'less than or equal',
};

const EMPTY_WORD = /[A-Za-z0-9_$]/;

/** Field detail line: type, format, maxLength and marks. */
export function fieldDetail(f: Field): string {
  const parts: string[] = [describe(f)];
  if (f.format && f.format !== 'date-time') parts[0] += ` (${f.format})`;
  if (f.maxLength) parts.push(`max ${f.maxLength}`);
  if (f.ref) parts.push(f.type === 'array' ? `list of ${f.ref}` : `child ${f.ref}`);
  if (f.readOnly) parts.push('read-only');
  if (f.professionalOnly) parts.push('Professional only');
  return parts.join(', ');
}

/**
 * Completions at `cursor` (an index into `text`, the query string without `?`). The returned items
 * are not filtered by the typed prefix: the editor does that against `replaceStart..replaceEnd`.
 */
export function completeQueryAt(text: string, cursor: number, ctx: CompletionContext): CompletionResult {
  const c = Math.max(0, Math.min(cursor, text.length));
  const q = parseQueryString(text);
  // The option whose piece holds the cursor: its range plus any trailing spaces before the next '&'.
  let option: QueryOption | undefined;
  for (const o of q.options) {
    if (o.start > c) break;
    option = o;
  }
  if (option && c > option.end && text.slice(option.end, c).includes('&')) option = undefined;
  if (!option || !option.hasEquals || c <= option.nameEnd) {
    const start = option ? option.nameStart : wordStart(text, c, /[A-Za-z0-9_$]/);
    const end = option ? Math.max(option.nameEnd, c) : wordEnd(text, c, /[A-Za-z0-9_$]/);
    const present = new Set(q.options.filter((o) => o !== option && o.known).map((o) => o.known));
    const items = KNOWN_OPTIONS.filter((o) => !present.has(o)).map((o, i): ODataCompletion => ({
      label: o, kind: 'option', detail: OPTION_DETAIL[o], insertText: option?.hasEquals ? o : `${o}=`, sortText: String(i).padStart(2, '0'),
    }));
    return { items, replaceStart: start, replaceEnd: end };
  }
  switch (option.known) {
    case '$select':
    case '$expand':
      return completePathList(text, c, option, ctx, option.known, q.expand?.items.map((i) => i.path) ?? []);
    case '$orderby':
      return completeOrderBy(text, c, option, ctx);
    case '$filter':
      return completeFilter(text, c, option, ctx);
    case '$top':
      return valueList(c, option, [['10', 'a small page'], ['100', ''], ['500', 'Sage\'s default page size'], ['5000', 'the maximum']]);
    case '$skip':
      return valueList(c, option, [['0', ''], ['500', 'the second default page']]);
    case '$count':
    case '$metadata':
      return valueList(c, option, [['true', ''], ['false', '']]);
    default:
      return { items: [], replaceStart: c, replaceEnd: c };
  }
}

function wordStart(text: string, c: number, re: RegExp): number {
  let s = c;
  while (s > 0 && re.test(text[s - 1])) s--;
  return s;
}

function wordEnd(text: string, c: number, re: RegExp): number {
  let e = c;
  while (e < text.length && re.test(text[e])) e++;
  return e;
}

function valueList(c: number, option: QueryOption, values: [string, string][]): CompletionResult {
  return {
    items: values.map(([v, d], i) => ({ label: v, kind: 'value', detail: d, sortText: String(i).padStart(2, '0') })),
    replaceStart: option.valueStart, replaceEnd: Math.max(option.valueEnd, c),
  };
}

// Field items per (catalog, schema, prefix): built once, reused on every keystroke.
const cache = new WeakMap<Catalog, Map<string, ODataCompletion[]>>();

function fieldItems(ctx: CompletionContext, prefix: string, filter: (f: Field) => boolean, key: string): ODataCompletion[] {
  let perCatalog = cache.get(ctx.catalog);
  if (!perCatalog) {
    perCatalog = new Map();
    cache.set(ctx.catalog, perCatalog);
  }
  const cacheKey = `${ctx.schema}|${prefix}|${key}|${ctx.edition ?? ''}`;
  let items = perCatalog.get(cacheKey);
  if (!items) {
    const fields = ctx.catalog.fields(ctx.schema, prefix || undefined).filter(filter);
    items = fields.map((f, i): ODataCompletion => ({
      label: f.name, kind: 'field', detail: fieldDetail(f),
      // Professional-only fields sort last on a Standard connection, where they would fail.
      sortText: `${f.professionalOnly && ctx.edition === 'standard' ? '9' : '1'}${String(i).padStart(4, '0')}`,
    }));
    perCatalog.set(cacheKey, items);
  }
  return items;
}

const scalar = (f: Field) => f.type !== 'object' && f.type !== 'array';
const any = () => true;
const expandable = (f: Field) => f.ref !== undefined;

/** The dotted path being typed that ends at the cursor: parent prefix and the range of the last step. */
function dottedAt(text: string, c: number, lo: number): { parent: string; start: number; end: number } {
  let s = c;
  while (s > lo && /[A-Za-z0-9_./]/.test(text[s - 1])) s--;
  const typed = text.slice(s, c);
  const lastDot = Math.max(typed.lastIndexOf('.'), typed.lastIndexOf('/'));
  const parent = lastDot >= 0 ? typed.slice(0, lastDot).replace(/\//g, '.') : '';
  return { parent, start: lastDot >= 0 ? s + lastDot + 1 : s, end: wordEnd(text, c, /[A-Za-z0-9_]/) };
}

function completePathList(text: string, c: number, option: QueryOption, ctx: CompletionContext, which: '$select' | '$expand', expanded: string[]): CompletionResult {
  const { parent, start, end } = dottedAt(text, c, option.valueStart);
  const items: ODataCompletion[] = [];
  if (which === '$expand') {
    items.push(...fieldItems(ctx, parent, expandable, 'exp'));
  } else {
    items.push(...fieldItems(ctx, parent, any, 'all'));
    if (!parent) {
      // Offer a way into each expanded child (`customer.`), the dotted $select Sage documents.
      for (const e of expanded) {
        const f = ctx.catalog.field(ctx.schema, e);
        if (f?.ref) {
          items.push({ label: `${e}.`, kind: 'field', detail: `fields of the expanded ${f.ref}`, insertText: `${e}.`, sortText: `0${e}` });
        }
      }
      items.push({ label: '*', kind: 'keyword', detail: 'all fields', sortText: '2' });
    }
  }
  return { items, replaceStart: start, replaceEnd: end };
}

function completeOrderBy(text: string, c: number, option: QueryOption, ctx: CompletionContext): CompletionResult {
  // Text of the current item up to the cursor.
  let s = c;
  while (s > option.valueStart && text[s - 1] !== ',') s--;
  const before = text.slice(s, c);
  if (/^\s*[A-Za-z_][\w./]*\s+[A-Za-z]*$/.test(before)) {
    const ws = wordStart(text, c, /[A-Za-z]/);
    return {
      items: [
        { label: 'asc', kind: 'keyword', detail: 'ascending (default)', sortText: '0' },
        { label: 'desc', kind: 'keyword', detail: 'descending', sortText: '1' },
      ],
      replaceStart: ws, replaceEnd: wordEnd(text, c, /[A-Za-z]/),
    };
  }
  const { parent, start, end } = dottedAt(text, c, option.valueStart);
  const items = [...fieldItems(ctx, parent, scalar, 'scalar')];
  if (!parent) items.push(...childItems(ctx));
  return { items, replaceStart: start, replaceEnd: end };
}

/** Any list derived from a schema's fields, built once per (catalog, schema, edition, key). */
function cached(ctx: CompletionContext, key: string, build: () => ODataCompletion[]): ODataCompletion[] {
  let perCatalog = cache.get(ctx.catalog);
  if (!perCatalog) {
    perCatalog = new Map();
    cache.set(ctx.catalog, perCatalog);
  }
  const cacheKey = `${ctx.schema}|${key}|${ctx.edition ?? ''}`;
  let items = perCatalog.get(cacheKey);
  if (!items) {
    items = build();
    perCatalog.set(cacheKey, items);
  }
  return items;
}

/** `customer.`-style entries that lead into child objects (not lists: OData cannot compare through a list). */
function childItems(ctx: CompletionContext): ODataCompletion[] {
  return cached(ctx, '#children', () => fieldItems(ctx, '', (f) => f.type === 'object' && f.ref !== undefined, 'child').map((it) => ({
    ...it, label: `${it.label}.`, insertText: `${it.label}.`, sortText: `5${it.sortText ?? ''}`,
  })));
}

const FUNCTION_ITEMS: ODataCompletion[] = FILTER_FUNCTIONS.map((fn, i) => ({
  label: fn, kind: 'function', detail: `${fn}(field,'text'): case-insensitive`, insertText: `${fn}(`, sortText: `3${i}`,
}));

const LOGICAL_ITEMS: ODataCompletion[] = [
  { label: 'and', kind: 'keyword', detail: 'both conditions', sortText: '0' },
  { label: 'or', kind: 'keyword', detail: 'either condition', sortText: '1' },
];

const NOT_ITEM: ODataCompletion = { label: 'not', kind: 'keyword', detail: 'negate a condition', sortText: '4' };

function operatorItems(f: Field | undefined): ODataCompletion[] {
  if (f && (f.type === 'object' || f.type === 'array')) return [];
  const ops = f?.type === 'boolean' ? ['eq', 'ne'] : COMPARE_OPS;
  return ops.map((op, i) => ({ label: op, kind: 'operator', detail: OPERATOR_DETAIL[op], sortText: String(i) }));
}

/**
 * The names to offer for the enum field a token names: the context's numbered list (the sandbox or
 * a live site) first, else what public sources show (the catalog's value sets, without numbers).
 */
function enumNames(ctx: CompletionContext, t: Token | undefined): { values: readonly string[]; detail: (i: number) => string } | undefined {
  if (!t || t.kind !== 'ident') return undefined;
  const path = segmentsOf(t).map((s) => s.name).join('.');
  if (ctx.catalog.field(ctx.schema, path)?.type !== 'string') return undefined;
  const numbered = ctx.enumValues?.[path];
  if (numbered) return { values: numbered, detail: (i) => `enum value ${i} (or '${i}')` };
  const set = ctx.catalog.enumValues(ctx.schema, path);
  if (!set) return undefined;
  return { values: set.values, detail: () => (set.complete ? 'enum value' : 'enum value (the list may be incomplete)') };
}

function valueItems(f: Field | undefined, today: string, offerDefault = true): ODataCompletion[] {
  const items: ODataCompletion[] = [];
  const nullItem: ODataCompletion = { label: 'null', kind: 'value', detail: 'no value', sortText: '9' };
  switch (f?.type) {
    case 'boolean':
      items.push({ label: 'true', kind: 'value', detail: 'boolean', sortText: '0' }, { label: 'false', kind: 'value', detail: 'boolean', sortText: '1' });
      break;
    case 'datetime':
      items.push(
        { label: today, kind: 'value', detail: 'date (YYYY-MM-DD), written bare', sortText: '0' },
        { label: `${today}T00:00:00Z`, kind: 'value', detail: 'date-time in UTC: must end in Z', sortText: '1' },
      );
      break;
    case 'string':
      if (offerDefault && typeof f.default === 'string' && f.default) {
        items.push({ label: `'${f.default}'`, kind: 'value', detail: 'the default value', sortText: '1' });
      }
      items.push({ label: "''", kind: 'value', detail: 'text or enum value, in single quotes', sortText: '0' });
      break;
    case 'integer':
    case 'number':
      items.push({ label: '0', kind: 'value', detail: f.type === 'integer' ? 'whole number' : 'number', sortText: '0' });
      break;
    default:
      items.push({ label: "''", kind: 'value', detail: 'text in single quotes', sortText: '0' });
  }
  if (f && !f.required) items.push(nullItem);
  return items;
}

function isKeyword(t: Token | undefined, ...words: string[]): boolean {
  return t !== undefined && t.kind === 'ident' && words.includes(t.text);
}

function isValueToken(t: Token): boolean {
  return t.kind === 'string' || t.kind === 'number' || t.kind === 'date' || t.kind === 'datetime' || t.kind === 'variable' ||
    isKeyword(t, 'true', 'false', 'null');
}

function completeFilter(text: string, c: number, option: QueryOption, ctx: CompletionContext): CompletionResult {
  const tokens = tokenize(text.slice(option.valueStart, c), option.valueStart);
  tokens.pop(); // eof
  let last = tokens[tokens.length - 1];
  // Inside an unfinished string: the names of an enum field, if it is one, else nothing sensible.
  if (last && last.kind === 'string' && !last.terminated) {
    const op = tokens[tokens.length - 2];
    const target = tokens[tokens.length - 3];
    const names = op && isKeyword(op, ...COMPARE_OPS) ? enumNames(ctx, target) : undefined;
    const items = (names?.values ?? []).map((name, i): ODataCompletion => ({ label: name, kind: 'value', detail: names!.detail(i), sortText: String(i).padStart(3, '0') }));
    return { items, replaceStart: last.start + 1, replaceEnd: wordEnd(text, c, /[A-Za-z0-9_]/) };
  }
  let replaceStart = c;
  const replaceEnd = wordEnd(text, c, /[A-Za-z0-9_]/);
  let typing: Token | undefined;
  if (last && last.end === c && (last.kind === 'ident' || (last.kind === 'number' && EMPTY_WORD.test(text[c - 1])))) {
    typing = last;
    tokens.pop();
    last = tokens[tokens.length - 1];
    replaceStart = typing.start;
  }
  const prev = last;
  const prev2 = tokens[tokens.length - 2];
  // Dotted field being typed: complete the child's fields.
  if (typing?.kind === 'ident' && typing.segments && typing.segments.length > 1) {
    const segs = typing.segments;
    const parent = segs.slice(0, -1).map((s) => s.name).join('.');
    const lastSeg = segs[segs.length - 1];
    return { items: fieldItems(ctx, parent, scalar, 'scalar').slice(), replaceStart: lastSeg.start, replaceEnd };
  }
  const fieldAt = (t: Token | undefined): Field | undefined =>
    t && t.kind === 'ident' ? ctx.catalog.field(ctx.schema, segmentsOf(t).map((s) => s.name).join('.')) : undefined;

  // Where a condition or operand starts.
  const operandStart = (): CompletionResult => ({
    // Callers get a fresh array (they may sort or filter it); the items themselves are shared.
    items: cached(ctx, '#operand', () => [...fieldItems(ctx, '', scalar, 'scalar'), ...childItems(ctx), ...FUNCTION_ITEMS, NOT_ITEM]).slice(),
    replaceStart, replaceEnd,
  });
  if (!prev || isKeyword(prev, 'and', 'or', 'not')) return operandStart();
  if (prev.kind === 'lparen') {
    const fn = tokens[tokens.length - 2];
    if (fn && fn.kind === 'ident' && (FILTER_FUNCTIONS as readonly string[]).includes(fn.text)) {
      return { items: fieldItems(ctx, '', (f) => f.type === 'string', 'text').slice(), replaceStart, replaceEnd };
    }
    return operandStart();
  }
  if (prev.kind === 'comma') {
    // Second argument of contains/startswith/endswith: a quoted text value.
    return { items: [{ label: "''", kind: 'value', detail: 'text to look for, in single quotes', sortText: '0' }], replaceStart, replaceEnd };
  }
  if (prev.kind === 'ident' && (COMPARE_OPS as readonly string[]).includes(prev.text)) {
    const field = fieldAt(prev2);
    const names = enumNames(ctx, prev2);
    // The default is one of the enum's names when there are names to offer.
    const items = valueItems(field, today(), names === undefined);
    names?.values.forEach((name, i) => items.push(
      { label: `'${name}'`, kind: 'value', detail: names.detail(i), sortText: `2${String(i).padStart(3, '0')}` },
    ));
    return { items, replaceStart, replaceEnd };
  }
  if (prev.kind === 'rparen' || isValueToken(prev)) return { items: LOGICAL_ITEMS, replaceStart, replaceEnd };
  if (prev.kind === 'ident') {
    // After `field ` comes an operator; after `field eq word ` the comparison is complete.
    if (prev2 && prev2.kind === 'ident' && (COMPARE_OPS as readonly string[]).includes(prev2.text)) {
      return { items: LOGICAL_ITEMS, replaceStart, replaceEnd };
    }
    return { items: operatorItems(fieldAt(prev)), replaceStart, replaceEnd };
  }
  return { items: [], replaceStart, replaceEnd };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}
