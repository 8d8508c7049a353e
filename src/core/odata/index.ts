/**
 * The project's one OData parser (Sage 200 subset): parsing with exact ranges, validation against
 * the catalog, compilation for the sandbox, and completion for the editor. Pure TypeScript, no vscode.
 */
export * from './ast';
export { parseFilter, MAX_DEPTH } from './filter';
export type { FilterParseResult } from './filter';
export { parseQueryString, parseEncodedQueryString } from './query';
export type { EncodedQueryOptions } from './query';
