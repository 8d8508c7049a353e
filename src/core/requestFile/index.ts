export * from './types';
export { parseRequestFile, joinQuery, scanRefs, classifyRef, requestAt, METHODS } from './parser';
export { placeBlocks, replaceBlocks, placedFile } from './placement';
export type { PlacedBlock } from './placement';
export type { ParsedBlock } from './block';
export { scanJson, objectAt } from './jsonScan';
export type { JsonNode, JsonProperty, JsonProblem, JsonScan } from './jsonScan';
export { queryJsonPath, parseJsonPath, JsonPathError } from './jsonPath';
export {
  VariableResolver, VariableError, variableScope, checkRef, expandPlain, PlainExpander, VARIABLE_LIMITS, SYSTEM_VARIABLES,
} from './variables';
export type { VariableContext, VariableHost, NamedExchange, Environments, VariableDefinition, PlainExpansion } from './variables';
export { resolveRequest, ResolveError, encodeQuery, encodePath } from './resolve';
export type { ResolveOptions } from './resolve';
export { toCurl, toFetch, toCSharp, TOKEN_PLACEHOLDER_ENV } from './codegen';
export type { CodegenOptions } from './codegen';
