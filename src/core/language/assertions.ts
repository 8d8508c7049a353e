/**
 * The language's view of `??` assertion lines: diagnostics for malformed ones and completion of
 * subjects, predicates and JSONPath fields. The grammar itself is src/core/testing's.
 */
import { Field } from '../catalog';
import { requestAt } from '../requestFile/parser';
import { AssertionLine, RequestBlock } from '../requestFile/types';
import { isPredicate, parseAssertion, PREDICATE_DETAILS, SUBJECTS } from '../testing/assertion';
import { FileAnalysis, LanguageContext } from './analysis';
import { fieldsOf } from './diagnostics';
import { fieldDetail } from './describe';
import { LangCompletion, LangDiagnostic } from './types';

/** A malformed assertion is an error: the test it belongs to cannot pass. */
export function assertionDiagnostics(request: RequestBlock, out: LangDiagnostic[]): void {
  for (const line of request.assertions) {
    const p = parseAssertion(line.text);
    if (p.ok) continue;
    const base = line.textSpan.start;
    const span = p.error.span.end > p.error.span.start
      ? { start: base + p.error.span.start, end: base + p.error.span.end }
      : line.span;
    out.push({ span, severity: 'error', message: p.error.message, code: 'assertion-syntax' });
  }
}

/** Headers an API answer carries that are worth asserting on. */
const RESPONSE_HEADERS = ['content-type', 'content-length', 'location', 'etag', 'cache-control'];

/** Completions on a `??` line, or undefined when the offset is not on one. */
export function assertionCompletions(fa: FileAnalysis, offset: number, ctx: LanguageContext): LangCompletion[] | undefined {
  const text = fa.file.text;
  const request = requestAt(fa.file, offset);
  const own = request ? lineAt(request, offset, text) : undefined;
  if (!request || !own) return undefined;
  const start = own.textStart;
  const before = text.slice(start, offset);
  // The word being typed and what stands before it.
  const wordStart = offset - (/[^\s]*$/.exec(before)?.[0].length ?? 0);
  const words = text.slice(start, wordStart).trim().split(/\s+/).filter(Boolean);
  const replace = { start: wordStart, end: wordEndAt(text, offset) };
  if (words.length === 0) {
    return SUBJECTS.map((s, i) => ({
      label: s.name, kind: 'keyword' as const, detail: s.detail, insertText: `${s.name} `,
      replace, sortText: String(i), retrigger: true,
    }));
  }
  const subject = words[0];
  const needsArgument = subject === 'header' || subject === 'body';
  if (needsArgument && words.length === 1) {
    if (subject === 'header') {
      return RESPONSE_HEADERS.map((h) => ({ label: h, kind: 'header' as const, insertText: `${h} `, replace, retrigger: true }));
    }
    return jsonPathCompletions(fa, request, text.slice(wordStart, offset), offset, ctx);
  }
  const predicateAt = needsArgument && !isPredicate(words[1]) ? 2 : 1;
  if (words.length === predicateAt) {
    return Object.entries(PREDICATE_DETAILS).map(([p, detail], i) => ({
      label: p, kind: 'operator' as const, detail, insertText: `${p} `, replace, sortText: String(i).padStart(2, '0'),
    }));
  }
  return [];
}

function lineAt(request: RequestBlock, offset: number, text: string): { line: AssertionLine; textStart: number } | undefined {
  for (const a of request.assertions) {
    // The line's own end, with trailing blanks (the cursor after `?? status `).
    let end = a.span.end;
    while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
    if (offset >= a.span.start + 2 && offset <= end) return { line: a, textStart: a.span.start + 2 };
  }
  return undefined;
}

function wordEndAt(text: string, offset: number): number {
  let e = offset;
  while (e < text.length && !/\s/.test(text[e])) e++;
  return e;
}

/** Fields at the end of a typed JSONPath, walking the entity's schema; array steps are transparent. */
function jsonPathCompletions(fa: FileAnalysis, request: RequestBlock, typed: string, offset: number, ctx: LanguageContext): LangCompletion[] {
  const schema = fa.request(request.index, ctx).resolved?.schema;
  const dot = typed.lastIndexOf('.');
  if (!schema || dot === -1) {
    if (typed === '') return [{ label: '$', kind: 'keyword', detail: 'The body', insertText: '$', replace: { start: offset, end: offset }, retrigger: true }];
    return [];
  }
  let fields: readonly Field[] = fieldsOf(ctx, schema.name);
  const steps = typed.slice(0, dot).replace(/^\$/, '').replace(/\[[^\]]*\]/g, '').split('.').filter(Boolean);
  for (const step of steps) {
    const f = fields.find((x) => x.name === step);
    if (!f?.ref) return [];
    fields = fieldsOf(ctx, f.ref);
  }
  const replace = { start: offset - (typed.length - dot - 1), end: offset };
  return fields.map((f) => ({ label: f.name, kind: 'field' as const, detail: fieldDetail(f), insertText: f.name, replace }));
}
