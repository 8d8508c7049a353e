export * from './types';
export { Catalog, loadCatalog, defaultCatalogPath, foreignKeyOf } from './catalog';
export type { ResolvedPath } from './catalog';
export { generateCatalog, linkTarget, SpecError } from './generate';
export type { SpecInput, GenerateResult } from './generate';
export { enumValuesOf, isKnownEnumValue } from './enums';
export type { EnumValueSet } from './enums';
