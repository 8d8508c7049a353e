export * from './assertion';
export { evaluateAssertion, showValue } from './evaluate';
export type { ResponseFacts, Outcome } from './evaluate';
export { runFile, planRun, requestTitle, isTeardown, continuesOnError, testLabel, isSameTest } from './runner';
export type { AssertionResult, FileRunOptions, FileRunResult, RequestResult, RequestStatus } from './runner';
export * from './report';
