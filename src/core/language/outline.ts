import { FileAnalysis } from './analysis';
import { LangCodeLens, LangSymbol } from './types';
import { Span } from '../requestFile/types';

/** Outline: one symbol per request (title, else name, else the request line) and per file variable. */
export function documentSymbols(fa: FileAnalysis): LangSymbol[] {
  const out: LangSymbol[] = [];
  for (const v of fa.file.fileVariables) {
    out.push({ name: `@${v.name}`, detail: v.value, kind: 'variable', span: v.span, selectionSpan: v.nameSpan });
  }
  for (const r of fa.file.requests) {
    const rl = r.requestLine;
    const line = rl ? `${rl.method} ${rl.url}${r.query && r.query.pieces.length > 1 ? '…' : ''}` : '(no request line)';
    const name = r.title ?? (r.name ? `@${r.name}` : line);
    out.push({
      name,
      detail: name === line ? (r.name ? `@${r.name}` : '') : line,
      kind: 'request',
      span: r.span,
      selectionSpan: r.titleSpan ?? rl?.span ?? r.separatorSpan ?? r.span,
    });
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

export interface LineRange {
  readonly startLine: number;
  readonly endLine: number;
  readonly kind?: 'comment' | 'region';
}

/** Folding: each request block, each multi-line JSON body, and runs of comment lines. */
export function foldingRanges(fa: FileAnalysis): LineRange[] {
  const lines = fa.file.lines;
  const out: LineRange[] = [];
  const add = (span: Span, kind?: LineRange['kind']): void => {
    const s = lines.lineOf(span.start);
    const e = lines.lineOf(span.end);
    if (e > s) out.push({ startLine: s, endLine: e, ...(kind ? { kind } : {}) });
  };
  for (const r of fa.file.requests) {
    add(r.span, 'region');
    if (r.body) add(r.body.span);
    let run: Span | undefined;
    for (const c of r.comments) {
      if (run && lines.lineOf(c.start) === lines.lineOf(run.end) + 1) run = { start: run.start, end: c.end };
      else {
        if (run) add(run, 'comment');
        run = c;
      }
    }
    if (run) add(run, 'comment');
  }
  return out;
}

/** Where the "Send", "Send all" and "Copy as curl" lenses go: the first line of each request. */
export function codeLensSpans(fa: FileAnalysis): LangCodeLens[] {
  return fa.file.requests
    .filter((r) => r.requestLine)
    .map((r) => ({ span: r.separatorSpan ?? r.requestLine!.span, requestIndex: r.index }));
}
