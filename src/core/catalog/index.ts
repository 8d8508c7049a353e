export * from './types';
export { Catalog, lazyCatalog, loadCatalog, defaultCatalogPath, foreignKeyOf } from './catalog';
export type { CatalogSource, ResolvedPath } from './catalog';
export { generateCatalog, linkTarget, SpecError } from './generate';
export type { SpecInput, GenerateResult } from './generate';
export { enumValuesOf, isKnownEnumValue } from './enums';
export type { EnumValueSet } from './enums';
