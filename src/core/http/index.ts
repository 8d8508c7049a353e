export * from './types';
export * from './client';
export * from './paging';
export * from './redact';
export { createTimingAgents } from './timingAgent';
export type { AgentOptions, AgentPair } from './timingAgent';
export * from './headers';
export * from './sageMessage';
