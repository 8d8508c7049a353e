export { SandboxFeature } from './sandboxFeature';
export type { SandboxFeatureOptions } from './sandboxFeature';
