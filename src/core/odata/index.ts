/**
 * The project's one OData parser (Sage 200 subset): parsing with exact ranges, validation against
 * the catalog, compilation for the sandbox, and completion for the editor. Pure TypeScript, no vscode.
 */
export * from './ast';
export { parseFilter, MAX_DEPTH } from './filter';
export type { FilterParseResult } from './filter';
export { parseQueryString, parseEncodedQueryString, queryPairs } from './query';
export type { EncodedQueryOptions } from './query';
// `describe` is exported as describeFieldType so that test files (mocha's global `describe`) can import freely.
export { SAGE_DEFAULT_TOP, SAGE_MAX_TOP, DEFAULT_ORDERBY, readPaging, setPaging, withQueryOption, withoutPaging } from './paging';
export type { PagingOptions, SetPaging } from './paging';
export { validateQuery, TOP_MIN, TOP_MAX, closest, describe as describeFieldType } from './validate';
export type { ODataDiagnostic, DiagnosticCode, Severity, QuickFix, TextEdit, ValidateContext } from './validate';
export { compileFilter, numericColumn, toText } from './compile';
export { compileOrderBy, compileSelect, applySelect } from './project';
export { accessor, isoToMs } from './values';
export type { CompileContext, ColumnSource, NumericColumn, NumericKind, Predicate } from './compile';
export type { Comparator } from './project';
export type { Row } from './values';
export { completeQueryAt, fieldDetail } from './complete';
export type { ODataCompletion, CompletionKind, CompletionContext, CompletionResult } from './complete';
export { tokenize } from './lexer';
export type { Token, TokenKind } from './lexer';
