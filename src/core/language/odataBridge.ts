/**
 * The seam to the project's one OData parser, validator and completer (src/core/odata). Everything
 * here works in the coordinates of the joined query text; callers map spans back to the document.
 */
import { completeQueryAt, QueryOptions, validateQuery } from '../odata';
import { RequestAnalysis, LanguageContext } from './analysis';
import { LangCompletion, LangDiagnostic } from './types';

/** The query's diagnostics. */
export function odataDiagnostics(a: RequestAnalysis, ctx: LanguageContext): readonly LangDiagnostic[] {
  const q = a.odata;
  if (!q) return [];
  const line = a.line;
  const schema = a.resolved?.schema?.name;
  const raw = schema
    ? validateQuery(q, { catalog: ctx.catalog, schema, isItem: a.resolved?.operation.isItem ?? false, edition: ctx.edition, method: line?.method })
    // Without a known entity only the syntax can be judged.
    : q.errors.map((e) => ({ code: e.code, severity: e.code === 'duplicate-option' ? 'warning' as const : 'error' as const, message: e.message, start: e.start, end: e.end }));
  // Fields the live API reported are real even though the catalog lacks them.
  const extra = schema ? ctx.extraFields?.(schema) : undefined;
  const extraNames = extra?.length ? new Set(extra.map((f) => f.name)) : undefined;
  if (raw.length === 0) return [];
  const kept = extraNames ? raw.filter((d) => !(d.code === 'unknown-field' && extraNames.has(q.text.slice(d.start - q.offset, d.end - q.offset)))) : raw;
  return kept.map((d) => ({
    span: widen(q, d.code, d.start, d.end),
    severity: d.severity,
    message: d.message,
    code: `odata/${d.code}`,
    ...('fix' in d && d.fix
      ? { fixes: [{ title: d.fix.title, edits: d.fix.edits.map((e) => ({ span: { start: e.start, end: e.end }, newText: e.newText })), preferred: true }] }
      : {}),
  }));
}

/** OData completions at `joined` (an offset into the joined query text); spans in the same coordinates. */
export function odataCompletions(a: RequestAnalysis, joined: number, ctx: LanguageContext, tail = ''): LangCompletion[] {
  const q = a.query;
  if (!q) return [];
  const result = completeQueryAt(q.text + tail, joined, {
    catalog: ctx.catalog, schema: a.resolved?.schema?.name ?? '', ...(ctx.edition ? { edition: ctx.edition } : {}),
  });
  const replace = { start: result.replaceStart, end: result.replaceEnd };
  const items = [...result.items];
  // Top-level field lists also get the fields the live API reported ($metadata=true).
  const schema = a.resolved?.schema?.name;
  const extra = schema ? ctx.extraFields?.(schema) : undefined;
  if (extra?.length && items.some((i) => i.kind === 'field') && q.text[result.replaceStart - 1] !== '.') {
    const present = new Set(items.map((i) => i.label));
    for (const f of extra) if (!present.has(f.name)) items.push({ label: f.name, kind: 'field', detail: `${f.type} (live $metadata)` });
  }
  return items.map((i) => ({
    label: i.label,
    kind: i.kind,
    detail: i.detail,
    insertText: i.insertText ?? i.label,
    replace,
    ...(i.sortText !== undefined ? { sortText: i.sortText } : {}),
    // After `$filter=` or `$select=` the next useful list is the fields: open it at once.
    ...(i.kind === 'option' && (i.insertText ?? '').endsWith('=') ? { retrigger: true } : {}),
  }));
}

/**
 * Option-level problems underline the whole option (`$skip=5`, not just `$skip`), so the hover and
 * the quick fix are there wherever the cursor sits in it.
 */
function widen(q: QueryOptions, code: string, start: number, end: number): { start: number; end: number } {
  if (code === 'skip-without-orderby' && q.skip && start >= q.skip.option.start && end <= q.skip.option.end) {
    return { start: q.skip.option.start, end: q.skip.option.end };
  }
  return { start, end };
}
