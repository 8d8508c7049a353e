/**
 * The Sage 200 catalog: every operation and schema of the API, generated from Sage's OpenAPI files
 * by `npm run catalog` and shipped with the extension. Sage's prose descriptions are left out.
 */

export type Verb = 'GET' | 'POST' | 'PUT' | 'DELETE';
export const VERBS: readonly Verb[] = ['GET', 'POST', 'PUT', 'DELETE'];

export type Edition = 'standard' | 'professional';

/** The 11 modules of the OpenAPI files, named after the files. */
export type ModuleId =
  | 'cash-book' | 'commercials' | 'financials' | 'general' | 'nominal' | 'pop'
  | 'price-book' | 'purchases' | 'sales' | 'sop' | 'stock';

export const MODULE_TITLES: Readonly<Record<ModuleId, string>> = {
  sales: 'Sales',
  purchases: 'Purchases',
  sop: 'SOP',
  pop: 'POP',
  stock: 'Stock',
  nominal: 'Nominal',
  'cash-book': 'Cash Book',
  'price-book': 'Price Book',
  financials: 'Financials',
  general: 'General',
  commercials: 'Commercials',
};

/**
 * A field's base type. `datetime` is a string with format `date-time`, split out because OData
 * literals, validation and the sandbox all treat it differently from text.
 */
export type FieldType = 'string' | 'datetime' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

export interface Field {
  readonly name: string;
  readonly type: FieldType;
  /** OpenAPI format such as `int64` or `decimal 2dp`, when the spec gives one. */
  readonly format?: string;
  readonly maxLength?: number;
  readonly readOnly: boolean;
  readonly required: boolean;
  readonly professionalOnly: boolean;
  readonly default?: string | number | boolean;
  /** For `object` and `array` fields: the child schema that `$expand` and dotted `$select` follow. */
  readonly ref?: string;
}

export interface Schema {
  readonly name: string;
  readonly professionalOnly: boolean;
  readonly fields: readonly Field[];
}

export interface Operation {
  /** The path as Sage writes it, e.g. `/customers/{customerId}/customer_contacts/{Id}`. */
  readonly path: string;
  readonly module: ModuleId;
  readonly verbs: readonly Verb[];
  /** Names of the `{…}` parameters, in order. */
  readonly params: readonly string[];
  /** The entity schema the path returns or accepts. */
  readonly schema?: string;
  readonly professionalOnly: boolean;
  /** True when the path ends in a parameter, i.e. it addresses one record. */
  readonly isItem: boolean;
}

/** The committed file. Fields are tuples to keep the shipped catalog small. */
export interface CatalogFile {
  readonly v: 1;
  readonly modules: readonly ModuleId[];
  /** [path, module index, verbs as letters G/P/U/D, schema or '', professional-only 0|1] */
  readonly ops: readonly (readonly [string, number, string, string, number])[];
  /** name -> [professional-only 0|1, fields] */
  readonly schemas: Readonly<Record<string, readonly [number, readonly FieldTuple[]]>>;
}

/** [name, type, format|'', maxLength|0, flags (1 readOnly, 2 required, 4 professional-only), ref|'', default?] */
export type FieldTuple = readonly [string, FieldType, string, number, number, string, (string | number | boolean)?];

export const FLAG_READONLY = 1;
export const FLAG_REQUIRED = 2;
export const FLAG_PRO = 4;
