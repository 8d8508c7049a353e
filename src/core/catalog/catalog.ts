import * as fs from 'fs';
import * as path from 'path';
import {
  CatalogFile, Edition, Field, FieldTuple, FLAG_PRO, FLAG_READONLY, FLAG_REQUIRED, ModuleId, Operation, Schema, Verb,
} from './types';
import { MAX_SUGGEST_LENGTH, nearest } from './suggest';
import { EnumValueSet, enumValuesOf } from './enums';

const LETTER_VERB: Record<string, Verb> = { G: 'GET', P: 'POST', U: 'PUT', D: 'DELETE' };

export interface ResolvedPath {
  readonly operation: Operation;
  /** Path parameter values by name, e.g. `{ customerId: '12' }`. */
  readonly params: Readonly<Record<string, string>>;
  readonly schema?: Schema;
}

interface PathNode {
  readonly literal: Map<string, PathNode>;
  param?: PathNode;
  operation?: Operation;
}

/** The standard and professional path prefixes; a full URL or a prefixed path resolves too. */
const API_PREFIX = /^(?:[a-z][a-z0-9+.-]*:\/\/[^/]+)?(?:\/uk\/sage200(?:extra)?\/accounts\/v1)?/i;

/**
 * The catalog, indexed for the lookups that completion, diagnostics, the explorer and the sandbox
 * make on every keystroke or request: a path trie for `resolve`, and a map per schema for fields.
 */
export class Catalog {
  readonly operations: readonly Operation[];
  private readonly file: CatalogFile;
  /** Schemas are expanded from their tuples on first use: most sessions touch a handful of 443. */
  private readonly schemaMap = new Map<string, Schema>();
  private readonly fieldMaps = new Map<string, Map<string, Field>>();
  private readonly trie: PathNode = { literal: new Map() };
  /** Every operation's path, in catalog order, and the suggestions made from them. */
  private readonly paths: readonly string[];
  private readonly suggestions = new Map<string, string | null>();

  constructor(file: CatalogFile) {
    if (file.v !== 1) {
      throw new Error(`unsupported catalog version ${String(file.v)}`);
    }
    this.file = file;
    this.operations = file.ops.map(([p, moduleIndex, verbs, schema, pro]) => {
      const params = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const op: Operation = {
        path: p,
        module: file.modules[moduleIndex],
        verbs: [...verbs].map((l) => LETTER_VERB[l]),
        params,
        ...(schema ? { schema } : {}),
        professionalOnly: pro === 1,
        isItem: p.endsWith('}'),
      };
      this.insert(op);
      return op;
    });
    this.paths = this.operations.map((op) => op.path);
  }

  private insert(op: Operation): void {
    let node = this.trie;
    for (const seg of op.path.split('/').filter(Boolean)) {
      if (seg.startsWith('{')) {
        node = node.param ??= { literal: new Map() };
      } else {
        let next = node.literal.get(seg);
        if (!next) {
          next = { literal: new Map() };
          node.literal.set(seg, next);
        }
        node = next;
      }
    }
    // A path listed in two files (customer_price_bands) keeps the first entry for lookups.
    node.operation ??= op;
  }

  /**
   * Resolves a request path (`/customers/27825`, a full URL, or one with a query) to its operation.
   * Literal segments win over parameters, so `/customers_new` never matches `/customers/{Id}`.
   */
  resolve(requestPath: string): ResolvedPath | undefined {
    const bare = requestPath.replace(/[?#].*$/s, '').replace(API_PREFIX, '');
    const segments = bare.split('/').filter(Boolean);
    const values: string[] = [];
    const walk = (node: PathNode, i: number): Operation | undefined => {
      if (i === segments.length) return node.operation;
      const seg = segments[i];
      const lit = node.literal.get(seg);
      const viaLiteral = lit && walk(lit, i + 1);
      if (viaLiteral) return viaLiteral;
      if (node.param) {
        values.push(decodeSegment(seg));
        const viaParam = walk(node.param, i + 1);
        if (viaParam) return viaParam;
        values.pop();
      }
      return undefined;
    };
    const operation = walk(this.trie, 0);
    if (!operation) return undefined;
    const params: Record<string, string> = {};
    operation.params.forEach((name, i) => { params[name] = values[i]; });
    const schema = operation.schema ? this.schema(operation.schema) : undefined;
    return { operation, params, ...(schema ? { schema } : {}) };
  }

  /**
   * The catalog path nearest to one that does not resolve (`/custmers` -> `/customers`), for "did
   * you mean". Remembered per path: a file repeats its paths, and each search reads every path.
   */
  suggestPath(typed: string): string | undefined {
    // The length cap first: a path of a page of text is near nothing, and the trim below is a regex.
    if (typed.length > MAX_SUGGEST_LENGTH) return undefined;
    let hit = this.suggestions.get(typed);
    if (hit === undefined) {
      const t = typed.replace(/\/+$/, '');
      hit = nearest(t, this.paths, Math.max(2, Math.floor(t.length / 4))) ?? null;
      if (this.suggestions.size > 10_000) this.suggestions.clear();
      this.suggestions.set(typed, hit);
    }
    return hit ?? undefined;
  }

  /** Operations counted per verb (712 in Sage's files) and distinct paths (505). */
  get stats(): { operations: number; paths: number } {
    return {
      operations: this.operations.reduce((n, op) => n + op.verbs.length, 0),
      paths: new Set(this.operations.map((op) => op.path)).size,
    };
  }

  schema(name: string): Schema | undefined {
    let schema = this.schemaMap.get(name);
    if (schema || !Object.prototype.hasOwnProperty.call(this.file.schemas, name)) return schema;
    const [pro, tuples] = this.file.schemas[name];
    const fields = tuples.map(expandField);
    schema = { name, professionalOnly: pro === 1, fields };
    this.schemaMap.set(name, schema);
    this.fieldMaps.set(name, new Map(fields.map((f) => [f.name, f])));
    return schema;
  }

  get schemaNames(): string[] {
    return Object.keys(this.file.schemas);
  }

  private fieldMap(schemaName: string): Map<string, Field> | undefined {
    if (!this.fieldMaps.has(schemaName)) this.schema(schemaName);
    return this.fieldMaps.get(schemaName);
  }

  /**
   * A field by name or by dotted path through child objects (`customer.name` on `sop_order`).
   * Returns undefined when any step is unknown or is not a linked child.
   */
  field(schemaName: string, dotted: string): Field | undefined {
    let current = schemaName;
    const steps = dotted.split('.');
    for (let i = 0; i < steps.length; i++) {
      const field = this.fieldMap(current)?.get(steps[i]);
      if (!field) return undefined;
      if (i === steps.length - 1) return field;
      if (!field.ref) return undefined;
      current = field.ref;
    }
    return undefined;
  }

  /**
   * The values that public sources show for a field (a name or a dotted path), or undefined when
   * none does: then nothing is offered and nothing is flagged.
   */
  enumValues(schemaName: string, dotted: string): EnumValueSet | undefined {
    const field = this.field(schemaName, dotted);
    if (!field) return undefined;
    const dot = dotted.lastIndexOf('.');
    const owner = dot < 0 ? schemaName : this.field(schemaName, dotted.slice(0, dot))?.ref;
    return owner ? enumValuesOf(owner, field) : undefined;
  }

  /** The fields of a schema, or of the child that a dotted prefix leads to (`customer` on `sop_order`). */
  fields(schemaName: string, prefix?: string): readonly Field[] {
    if (!prefix) return this.schema(schemaName)?.fields ?? [];
    const parent = this.field(schemaName, prefix);
    return parent?.ref ? this.schema(parent.ref)?.fields ?? [] : [];
  }

  /** The child fields that `$expand` can follow from a schema. */
  expandable(schemaName: string): readonly Field[] {
    return this.fields(schemaName).filter((f) => f.ref !== undefined);
  }

  /** GET collections (the entities users browse), optionally for one module and edition. */
  entities(options: { module?: ModuleId; edition?: Edition } = {}): Operation[] {
    return this.operations.filter((op) =>
      op.verbs.includes('GET') && !op.isItem && op.params.length === 0 &&
      (options.module === undefined || op.module === options.module) &&
      isAvailable(op, options.edition));
  }

  /** Operations available on an edition: Standard lacks the Professional-only ones. */
  forEdition(edition: Edition): Operation[] {
    return this.operations.filter((op) => isAvailable(op, edition));
  }
}

function expandField([name, type, format, maxLength, flags, ref, dflt]: FieldTuple): Field {
  const field: { -readonly [K in keyof Field]: Field[K] } = {
    name,
    type,
    readOnly: (flags & FLAG_READONLY) !== 0,
    required: (flags & FLAG_REQUIRED) !== 0,
    professionalOnly: (flags & FLAG_PRO) !== 0,
  };
  if (format) field.format = format;
  if (maxLength) field.maxLength = maxLength;
  if (dflt !== undefined) field.default = dflt;
  if (ref) field.ref = ref;
  return field;
}

function isAvailable(op: Operation, edition: Edition | undefined): boolean {
  return edition !== 'standard' || !op.professionalOnly;
}

/** A path parameter's field: `customerId` -> `customer_id`, `CustomerContactId` -> `customer_contact_id`. */
export function foreignKeyOf(param: string): string {
  return param.replace(/^[A-Z]/, (c) => c.toLowerCase()).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function decodeSegment(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

/** The shipped catalog sits beside the bundle (`dist/catalog.json`) or, in source, beside this file. */
export function defaultCatalogPath(): string {
  const candidates = [
    path.join(__dirname, 'catalog.json'),
    path.join(__dirname, 'sage200-catalog.json'),
    path.join(__dirname, '..', 'src', 'core', 'catalog', 'sage200-catalog.json'),
  ];
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[candidates.length - 1];
}

/**
 * The catalog for code that may never need it: read and indexed on the first call, then the same
 * object on every call. The extension hands this getter to its features instead of a catalog, so
 * activation does not read the 315 KB file; the first completion, hover, diagnostic or tree
 * expansion does.
 */
export type CatalogSource = () => Catalog;

/** A CatalogSource over a catalog file; `onLoad` hears once how long the read took (for the log). */
export function lazyCatalog(file: string, onLoad: (ms: number, catalog: Catalog) => void): CatalogSource {
  let catalog: Catalog | undefined;
  return () => {
    if (!catalog) {
      const start = performance.now();
      catalog = loadCatalog(file);
      onLoad(performance.now() - start, catalog);
    }
    return catalog;
  };
}

let cached: Catalog | undefined;

/** Loads (once per process) and indexes the shipped catalog. */
export function loadCatalog(file = defaultCatalogPath()): Catalog {
  if (file === defaultCatalogPath() && cached) return cached;
  const catalog = new Catalog(JSON.parse(fs.readFileSync(file, 'utf8')) as CatalogFile);
  if (file === defaultCatalogPath()) cached = catalog;
  return catalog;
}
