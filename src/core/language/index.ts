/** Editor intelligence for `.sage200` files, free of vscode: the VS Code providers and the CLI convert these results. */
export * from './types';
export { FileAnalysis, AnalysisCache } from './analysis';
export type { LanguageContext, RequestAnalysis } from './analysis';
export { computeDiagnostics, fieldsOf } from './diagnostics';
export { complete, pathCompletions, HEADER_NAMES } from './completion';
export { hover } from './hover';
export { documentSymbols, foldingRanges, codeLensSpans } from './outline';
export type { LineRange } from './outline';
export { fieldDetail, fieldMarkdown, operationMarkdown, referenceUrl } from './describe';
