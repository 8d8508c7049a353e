/**
 * Fields of the catalog by name, and the near misses that "did you mean" offers: the lookups the
 * query validator makes for every path segment and every unknown word.
 */
import type { Catalog, Field } from '../catalog';
import { nearest } from '../catalog/suggest';

// Name -> field per catalog and schema. `catalog.field` splits a dotted path on every call; a path
// segment is a single name, and validating a large file looks up thousands of them.
const fieldsByName = new WeakMap<Catalog, Map<string, Map<string, Field>>>();

export function fieldNamed(catalog: Catalog, schema: string, name: string): Field | undefined {
  return fieldsNamed(catalog, schema).get(name);
}

export function fieldsNamed(catalog: Catalog, schema: string): Map<string, Field> {
  let perCatalog = fieldsByName.get(catalog);
  if (!perCatalog) fieldsByName.set(catalog, perCatalog = new Map());
  let byName = perCatalog.get(schema);
  if (!byName) {
    byName = new Map();
    for (const f of catalog.fields(schema)) byName.set(f.name, f);
    perCatalog.set(schema, byName);
  }
  return byName;
}

// Did-you-mean answers per catalog, schema and word: a file that repeats a typo (or a benchmark
// that validates a megabyte of queries) pays for the search once. Cleared when it grows large.
const guessCache = new WeakMap<Catalog, Map<string, string | null>>();
const nameCache = new WeakMap<Catalog, Map<string, string[]>>();

export function guessField(catalog: Catalog, schema: string, word: string): string | undefined {
  let guesses = guessCache.get(catalog);
  if (!guesses) {
    guesses = new Map();
    guessCache.set(catalog, guesses);
  }
  const key = `${schema}\u0000${word}`;
  const hit = guesses.get(key);
  if (hit !== undefined) return hit ?? undefined;
  let names = nameCache.get(catalog)?.get(schema);
  if (!names) {
    names = catalog.fields(schema).map((f) => f.name);
    let perCatalog = nameCache.get(catalog);
    if (!perCatalog) {
      perCatalog = new Map();
      nameCache.set(catalog, perCatalog);
    }
    perCatalog.set(schema, names);
  }
  const guess = closest(word, names);
  if (guesses.size > 10000) guesses.clear();
  guesses.set(key, guess ?? null);
  return guess;
}

/** The closest candidate within a small edit distance, for "did you mean" (compared in lower case). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  return nearest(word, candidates, Math.max(1, Math.min(3, Math.floor(word.length / 3))), toLower);
}

/**
 * The enum name nearest to a typed one. Enum names are long (`EnumDocumentStatusDisputed` is two
 * edits from `EnumDocumentStatusDispute`), so they allow more edits than field names do.
 */
export function closestEnum(word: string, values: readonly string[]): string | undefined {
  return nearest(word.toLowerCase(), values, Math.max(2, Math.min(6, Math.floor(word.length / 3))), toLower);
}

function toLower(s: string): string {
  return s.toLowerCase();
}
