import { Span } from '../requestFile/types';

export type LangSeverity = 'error' | 'warning' | 'info' | 'hint';

export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

/** A quick fix that a code action offers with a diagnostic. */
export interface QuickFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  readonly preferred?: boolean;
}

export interface LangDiagnostic {
  readonly span: Span;
  readonly severity: LangSeverity;
  readonly message: string;
  /** Stable rule id, e.g. `unknown-path`, `odata/skip-without-orderby`. */
  readonly code: string;
  readonly fixes?: readonly QuickFix[];
}

export type CompletionKind =
  | 'method' | 'path' | 'option' | 'field' | 'operator' | 'function' | 'value' | 'header' | 'headerValue'
  | 'variable' | 'keyword' | 'snippet' | 'property';

export interface LangCompletion {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** Plain text, or a snippet when `snippet` is true (`${1:id}` tab stops). */
  readonly insertText: string;
  readonly snippet?: boolean;
  /** The document span that the item replaces. */
  readonly replace: Span;
  readonly sortText?: string;
  readonly filterText?: string;
  /** Re-open completion after inserting (e.g. after `$filter=`). */
  readonly retrigger?: boolean;
  readonly preselect?: boolean;
}

export interface LangHover {
  /** Markdown. */
  readonly contents: string;
  readonly span: Span;
}

export interface LangSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: 'request' | 'variable';
  readonly span: Span;
  readonly selectionSpan: Span;
}

export interface LangCodeLens {
  readonly span: Span;
  readonly requestIndex: number;
}
