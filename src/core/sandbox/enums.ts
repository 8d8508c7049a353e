import type { Catalog } from '../catalog';

/**
 * The sandbox's enum tables per schema: field -> names, from the value sets that the catalog knows
 * in full. The index is the number the sandbox accepts for a name (`document_status eq '2'`); which
 * number Sage gives each name is not public, so this numbering is the sandbox's own.
 */
const tables = new WeakMap<Catalog, Map<string, Readonly<Record<string, readonly string[]>>>>();

export function enumTables(catalog: Catalog, schema: string): Readonly<Record<string, readonly string[]>> {
  let perCatalog = tables.get(catalog);
  if (!perCatalog) tables.set(catalog, perCatalog = new Map());
  let table = perCatalog.get(schema);
  if (!table) {
    const out: Record<string, readonly string[]> = {};
    for (const f of catalog.fields(schema)) {
      const set = catalog.enumValues(schema, f.name);
      if (set?.complete) out[f.name] = set.values;
    }
    perCatalog.set(schema, table = out);
  }
  return table;
}
