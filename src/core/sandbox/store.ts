import type { Catalog, Field, Schema } from '../catalog';
import { hashSeed, Rng } from './random';
import { numericColumn, toText } from '../odata';
import type { ColumnSource, NumericColumn } from '../odata';

/** A stored record. Defaults live on the table's prototype object, so each record holds only what varies. */
export type Rec = Record<string, unknown> & { id: number };

/** The values a new field takes when nothing else is known: what Sage answers for empty fields. */
export function typeDefault(field: Field): unknown {
  if (field.default !== undefined) {
    if (field.type === 'boolean') return field.default === true || field.default === 'true';
    if ((field.type === 'integer' || field.type === 'number') && typeof field.default === 'string') {
      const n = Number(field.default);
      return Number.isFinite(n) ? n : 0;
    }
    return field.default;
  }
  switch (field.type) {
    case 'string': return '';
    case 'integer': return field.name.endsWith('_id') ? null : 0;
    case 'number': return 0;
    case 'boolean': return false;
    default: return null;
  }
}

/** Fields that serialize without $expand: Sage leaves linked objects and arrays out unless asked. */
export function scalarFields(schema: Schema, edition: 'standard' | 'professional'): Field[] {
  return schema.fields.filter((f) => f.type !== 'object' && f.type !== 'array' && (edition === 'professional' || !f.professionalOnly));
}

type RecordCtor = { new (values: Record<string, unknown>, id: number): Rec; prototype: unknown };

type Writer = (rec: Record<string, unknown>, enc: (v: unknown) => string) => string;

const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Builds a serializer with one named property read per field. Field names come from the shipped
 * catalog and are checked against SAFE_NAME; anything else falls back to a generic loop.
 */
function compileWriter(names: readonly string[], own: ReadonlySet<string> | undefined, defaults: Record<string, unknown>): Writer {
  if (!names.every((n) => SAFE_NAME.test(n))) {
    return (rec, enc) => `{${names.map((n) => `${JSON.stringify(n)}:${enc(rec[n])}`).join(',')}}`;
  }
  const parts: string[] = [];
  let constant = '';
  names.forEach((n, i) => {
    constant += `${i ? ',' : '{'}${JSON.stringify(n)}:`;
    if (own === undefined || own.has(n)) {
      parts.push(JSON.stringify(constant), `enc(r.${n})`);
      constant = '';
    } else {
      constant += encodeValue(defaults[n]);
    }
  });
  parts.push(JSON.stringify(`${constant || (names.length ? '' : '{')}}`));
  return new Function('r', 'enc', `return ${parts.join(' + ')};`) as Writer;
}

function compilePlain(names: readonly string[]): (rec: Record<string, unknown>) => Record<string, unknown> {
  if (!names.every((n) => SAFE_NAME.test(n))) {
    return (rec) => Object.fromEntries(names.map((n) => [n, rec[n]]));
  }
  return new Function('r', `return { ${names.map((n) => `${n}: r.${n}`).join(', ')} };`) as (rec: Record<string, unknown>) => Record<string, unknown>;
}

function encodeValue(v: unknown): string {
  switch (typeof v) {
    case 'string': return v === '' ? '""' : JSON.stringify(v);
    case 'number': return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean': return v ? 'true' : 'false';
    case 'object': return v === null ? 'null' : JSON.stringify(v);
    default: return 'null';
  }
}

/**
 * A table of one schema in one company. Records are kept in id order (the order Sage answers in
 * without $orderby) with an id index; foreign-key indexes are built on first use.
 */
export class Table {
  readonly records: Rec[] = [];
  readonly byId = new Map<number, Rec>();
  readonly defaults: Record<string, unknown>;
  nextId: number;
  private readonly fkIndexes = new Map<string, Map<unknown, Rec[]>>();
  private readonly writers = new Map<string, Writer>();
  private readonly plains = new Map<string, (rec: Record<string, unknown>) => Record<string, unknown>>();

  constructor(readonly schema: Schema, firstId: number) {
    this.nextId = firstId;
    const defaults: Record<string, unknown> = {};
    for (const f of schema.fields) {
      if (f.type !== 'object' && f.type !== 'array') defaults[f.name] = typeDefault(f);
    }
    this.defaults = defaults;
  }

  /**
   * A new record on the defaults prototype. Records of the same shape are built by one compiled
   * constructor (named stores, same order), so V8 gives them one hidden class with in-object
   * fields: filters over 100,000 of them stay monomorphic and each record costs only its own fields.
   * Odd shapes (a POST body, saved changes) take the slower generic path.
   */
  create(values: Record<string, unknown>, id = this.nextId): Rec {
    // Keys that would reach the prototype chain are dropped: values may come from a data file.
    const keys = Object.keys(values).filter((k) => !UNSAFE_KEYS.has(k));
    const signature = keys.join(',');
    let ctor = this.ctors.get(signature);
    if (ctor === undefined && this.ctors.size < 16 && keys.every((k) => SAFE_NAME.test(k) && k !== 'id')) {
      ctor = new Function('v', 'id', `this.id = id;${keys.map((k) => `this.${k} = v.${k};`).join('')}`) as RecordCtor;
      ctor.prototype = this.defaults;
      this.ctors.set(signature, ctor);
    }
    let rec: Rec;
    if (ctor) {
      rec = new ctor(values, id);
    } else {
      rec = Object.create(this.defaults) as Rec;
      rec.id = id;
      for (const k of keys) if (k !== 'id') rec[k] = values[k];
    }
    if (id >= this.nextId) this.nextId = id + 1;
    return rec;
  }

  private readonly ctors = new Map<string, RecordCtor>();

  insert(rec: Rec): void {
    this.records.push(rec);
    this.byId.set(rec.id, rec);
    this.dataChanged();
  }

  /** Bulk insert during generation: records arrive in id order, indexes are still empty. */
  load(recs: Rec[]): void {
    for (const r of recs) {
      this.records.push(r);
      this.byId.set(r.id, r);
    }
    this.dataChanged();
  }

  remove(id: number): boolean {
    const rec = this.byId.get(id);
    if (!rec) return false;
    this.changed(rec);
    this.byId.delete(id);
    const i = this.records.indexOf(rec);
    if (i >= 0) this.records.splice(i, 1);
    return true;
  }

  /** Notes that a field value changed, so the foreign-key indexes are rebuilt lazily. */
  touched(): void {
    this.dataChanged();
  }

  /**
   * Everything derived from the records (foreign-key indexes, filter columns) is rebuilt lazily
   * after any insert, removal or field change: every write path calls this.
   */
  private dataChanged(): void {
    this.fkIndexes.clear();
    this.version++;
  }

  private version = 0;
  private columnsVersion = -1;
  private readonly valueColumns = new Map<string, unknown[]>();
  private readonly textColumns = new Map<string, (string | null)[]>();
  private readonly numericColumns = new Map<string, NumericColumn>();

  /**
   * Columns of `records` for compiled filters (see ColumnSource in src/core/odata/compile.ts): a
   * filter over 100,000 customers reads packed arrays instead of 100,000 wide records per field.
   * A column is built on first use from the current records and dropped at the next change.
   */
  readonly columns: ColumnSource = {
    values: (field) => this.column(this.valueColumns, field, field, () => this.records.map((r) => r[field])),
    texts: (field) => this.column(this.textColumns, field, field, () => this.records.map((r) => toText(r[field]))),
    numbers: (field, kind) => this.column(this.numericColumns, `${kind}:${field}`, field, () => numericColumn(this.records, field, kind)),
  };

  private column<T>(cache: Map<string, T>, key: string, field: string, build: () => T): T | undefined {
    if (this.columnsVersion !== this.version) {
      this.valueColumns.clear();
      this.textColumns.clear();
      this.numericColumns.clear();
      this.columnsVersion = this.version;
    }
    if (!this.hasField(field)) return undefined;
    let col = cache.get(key);
    if (col === undefined) {
      // Bounded like the other caches: a schema has at most a few hundred fields anyway.
      if (cache.size >= 64) cache.clear();
      col = build();
      cache.set(key, col);
    }
    return col;
  }

  /** Records whose `field` equals `value`, through an index built on first use. */
  where(field: string, value: unknown): Rec[] {
    let index = this.fkIndexes.get(field);
    if (!index) {
      index = new Map();
      for (const r of this.records) {
        const key = r[field];
        const list = index.get(key);
        if (list) list.push(r);
        else index.set(key, [r]);
      }
      this.fkIndexes.set(field, index);
    }
    return index.get(value) ?? [];
  }

  hasField(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.defaults, name);
  }

  /**
   * JSON of a record with every scalar field in schema order. Hand-built because most fields
   * sit on the prototype, which JSON.stringify would skip, and compiled once per table and
   * edition into named property reads, so that a 5,000-record page serializes in milliseconds.
   */
  toJson(rec: Rec, edition: 'standard' | 'professional'): string {
    const cache = edition === 'standard' ? this.jsonStandard : this.jsonProfessional;
    const hit = cache.get(rec);
    if (hit !== undefined) return hit;
    // One writer per record shape: fields the record does not own are the table's defaults, so
    // their JSON is a constant baked into the writer and only the record's own fields are encoded.
    const own = Object.keys(rec);
    const key = `${edition}|${own.join(',')}`;
    let writer = this.writers.get(key);
    if (!writer) {
      writer = compileWriter(scalarFields(this.schema, edition).map((f) => f.name), this.writers.size < 64 ? new Set(own) : undefined, this.defaults);
      this.writers.set(key, writer);
    }
    const json = writer(rec, encodeValue);
    // A bounded cache: pages people re-read (and benchmarks) come back at once, and memory stays
    // capped when someone walks all 100,000 records.
    if (cache.size >= Table.JSON_CACHE_MAX) cache.delete(cache.keys().next().value as Rec);
    cache.set(rec, json);
    return json;
  }

  /** Records whose serialized JSON is kept, per edition: a little more than one full page (13 MB). */
  static JSON_CACHE_MAX = 6000;
  private readonly jsonStandard = new Map<Rec, string>();
  private readonly jsonProfessional = new Map<Rec, string>();

  /** Forgets a record's cached JSON after it changed. */
  changed(rec: Rec): void {
    this.jsonStandard.delete(rec);
    this.jsonProfessional.delete(rec);
    this.dataChanged();
  }

  /** A plain object with every scalar field (for $select, $expand and persistence). */
  toPlain(rec: Rec, edition: 'standard' | 'professional' = 'professional'): Record<string, unknown> {
    let plain = this.plains.get(edition);
    if (!plain) {
      plain = compilePlain(scalarFields(this.schema, edition).map((f) => f.name));
      this.plains.set(edition, plain);
    }
    return plain(rec);
  }
}

/** Builds the records of one table, or returns undefined to fall back to type-based generation. */
export type TableGenerator = (table: Table, company: CompanyStore) => Rec[];

export interface CompanyInfo {
  readonly siteId: string;
  readonly siteName: string;
  readonly siteShortName: string;
  readonly companyId: number;
  readonly companyName: string;
  readonly tenantId: string;
}

/**
 * The data of one site + company: tables created and generated on first access, so that a
 * scale-100 sandbox only pays for the tables a run touches.
 */
export class CompanyStore {
  private readonly tables = new Map<string, Table>();
  private readonly generating = new Set<string>();

  constructor(
    readonly catalog: Catalog,
    readonly info: CompanyInfo,
    readonly seed: number,
    readonly scale: number,
    readonly hostile: boolean,
    private readonly generators: Readonly<Record<string, TableGenerator>>,
    private readonly counts: (schema: string, scale: number, seed: number) => number,
  ) {}

  rng(...parts: (string | number)[]): Rng {
    return new Rng(hashSeed(this.seed, this.info.siteId, this.info.companyId, ...parts));
  }

  /** How many generated records a table starts with, known without generating it (for foreign keys). */
  initialCount(schema: string): number {
    return this.counts(schema, this.scale, hashSeed(this.seed, schema));
  }

  /** Ids of generated records are 1000 + index in every table: foreign keys can point at them blind. */
  static readonly FIRST_ID = 1001;

  /** A random id among a table's generated records, without generating that table. */
  randomId(rng: Rng, schema: string): number | null {
    const n = this.initialCount(schema);
    return n > 0 ? CompanyStore.FIRST_ID + rng.int(0, n - 1) : null;
  }

  has(schemaName: string): boolean {
    return this.catalog.schema(schemaName) !== undefined;
  }

  /** Tables already generated (for persistence). */
  loadedTables(): IterableIterator<Table> {
    return this.tables.values();
  }

  isLoaded(schemaName: string): boolean {
    return this.tables.has(schemaName);
  }

  table(schemaName: string): Table {
    let table = this.tables.get(schemaName);
    if (table) return table;
    const schema = this.catalog.schema(schemaName);
    if (!schema) throw new Error(`unknown schema ${schemaName}`);
    if (this.generating.has(schemaName)) {
      // A generator that reads its own table while building it gets an empty one.
      return new Table(schema, CompanyStore.FIRST_ID);
    }
    this.generating.add(schemaName);
    try {
      table = new Table(schema, CompanyStore.FIRST_ID);
      const generator = this.generators[schemaName];
      table.load(generator ? generator(table, this) : genericRecords(table, this));
      this.tables.set(schemaName, table);
      this.afterLoad?.(table, this);
      return table;
    } finally {
      this.generating.delete(schemaName);
    }
  }

  /** Called once per table after generation: the persistence layer replays saved changes here. */
  afterLoad?: (table: Table, company: CompanyStore) => void;
}

const WORDS = ['Alpha', 'Bravo', 'Cedar', 'Delta', 'Elm', 'Falcon', 'Granite', 'Harbour', 'Iris', 'Juniper', 'Kestrel', 'Linden', 'Maple', 'North', 'Oak', 'Pine', 'Quartz', 'Raven', 'Slate', 'Thorn', 'Umber', 'Vale', 'Willow', 'York'];

/** Type-based records for every schema without a hand-shaped generator. */
export function genericRecords(table: Table, company: CompanyStore): Rec[] {
  const schema = table.schema;
  const names = enumListOf(company.catalog, schema);
  // An enum list (`/account_status_types`) answers the names its records use, numbered as the
  // sandbox's filters number them (`account_status_type eq '1'`).
  if (names) return names.map((value, i) => table.create({ description: enumDescription(value, names), value }, i));
  const n = company.initialCount(schema.name);
  const rng = company.rng('generic', schema.name);
  const out: Rec[] = [];
  const base = Date.UTC(2020, 0, 1);
  for (let i = 0; i < n; i++) {
    const values: Record<string, unknown> = {};
    for (const f of schema.fields) {
      if (f.name === 'id' || f.type === 'object' || f.type === 'array') continue;
      if (/^(analysis_code|spare_)/.test(f.name)) continue;
      values[f.name] = genericValue(f, rng, company, i, base, schema.name);
    }
    out.push(table.create(values, CompanyStore.FIRST_ID + i));
  }
  return out;
}

/**
 * The names behind an enum list schema (`{id, description, value}`, such as `account_status_type`
 * or `sop_document_status_type`): the value set of the field it lists, when the catalog knows one.
 */
function enumListOf(catalog: Catalog, schema: Schema): readonly string[] | undefined {
  const names = schema.fields.map((f) => f.name).sort().join(',');
  if (names !== 'description,id,value') return undefined;
  const candidates = [schema.name, schema.name.replace(/^(sop|pop)_/, '').replace(/_type$/, '')];
  for (const owner of catalog.schemaNames) {
    for (const field of candidates) {
      if (owner === schema.name || !catalog.field(owner, field)) continue;
      const set = catalog.enumValues(owner, field);
      if (set) return set.values;
    }
  }
  return undefined;
}

/** `EnumDocumentStatusOnHold` among its kind -> `On Hold`: the part after the names' shared prefix. */
function enumDescription(value: string, all: readonly string[]): string {
  let prefix = all.length > 1 ? all.reduce((p, v) => { let i = 0; while (i < p.length && p[i] === v[i]) i++; return p.slice(0, i); }) : '';
  // Cut at a word boundary: `AccountStatusH…` must not eat the H of Hidden.
  while (prefix && !/[A-Z]/.test(value[prefix.length] ?? '')) prefix = prefix.slice(0, -1);
  const rest = value.slice(prefix.length).replace(/^Enum/, '') || value;
  return rest.replace(/([a-z])([A-Z])/g, '$1 $2');
}

function genericValue(f: Field, rng: Rng, company: CompanyStore, i: number, base: number, schema: string): unknown {
  switch (f.type) {
    case 'boolean': return rng.chance(0.3);
    case 'integer': {
      if (f.name.endsWith('_id')) {
        const target = f.name.slice(0, -3);
        return company.has(target) ? company.randomId(rng, target) : rng.int(1, 50);
      }
      return rng.int(0, 100);
    }
    case 'number': return rng.money(0, 5000);
    case 'datetime': {
      const ms = base + rng.int(0, 2000) * 86400000;
      return isTimestampField(f.name) ? isoDate(ms + (i * 613) % 1000) : sageDate(ms);
    }
    case 'string': {
      const max = f.maxLength ?? 60;
      let s: string;
      if (f.name.endsWith('_type') || f.name.endsWith('_status')) {
        // Only values a public source shows; with none known, the field's default (often empty).
        const known = company.catalog.enumValues(schema, f.name);
        s = known ? known.values[rng.int(0, known.values.length - 1)] : String(typeDefault(f) ?? '');
      }
      else if (f.name === 'code' || f.name === 'reference' || f.name.endsWith('_code') || f.name.endsWith('_reference')) s = `${rng.pick(WORDS).slice(0, 3).toUpperCase()}${String(i + 1).padStart(3, '0')}`;
      else s = `${rng.pick(WORDS)} ${pascal(f.name).replace(/([a-z])([A-Z])/g, '$1 $2')} ${i + 1}`;
      return s.slice(0, max);
    }
    default: return null;
  }
}

function pascal(name: string): string {
  return name.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

const dateCache = new Map<number, string>();

/**
 * A timestamp as Sage writes it (Json.NET): UTC with a Z, the fraction without trailing zeros
 * (`2025-02-28T14:03:57.6Z`) and none at all on a whole second. Cached: demo data reuses few instants.
 */
export function isoDate(ms: number): string {
  let s = dateCache.get(ms);
  if (s === undefined) {
    s = new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
    if (dateCache.size < 200000) dateCache.set(ms, s);
  }
  return s;
}

/** A date-only value as Sage writes it: midnight, no zone (`2017-06-05T00:00:00`). */
export function sageDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 10)}T00:00:00`;
}

/**
 * Whether a date-time field holds a moment (`date_time_updated`, `last_logon_date_time`) rather
 * than a calendar date (`document_date`). The OpenAPI files call both `date-time`; the names tell.
 */
export function isTimestampField(name: string): boolean {
  return name.includes('time');
}
