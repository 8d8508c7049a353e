export * from './nodes';
export { ExplorerModel, MODULE_ORDER, apiEditionOf, entityName, groupOf } from './model';
export type { ExplorerSource } from './model';
export { describeFailure, describeResponse } from './errors';
export type { Failure } from './errors';
export { keyFields, requestText, appendRequest, countUrl, firstPageUrl, parseCount } from './requests';
export type { RequestTextOptions } from './requests';
export { parseMetadata, compareFields, fieldsMarkdown } from './fields';
export type { LiveField, FieldRow, FieldDifference } from './fields';
