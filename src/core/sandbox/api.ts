import { foreignKeyOf, type Catalog, type Field, type Operation, type Schema } from '../catalog';
import { CompanyStore, Rec, Table, typeDefault, scalarFields, isoDate, isTimestampField, sageDate } from './store';
import { isoToMs } from '../odata';
import { runQuery, QueryError, projectRecord, parseQuery, metadataOf } from './query';
import { COMPATIBILITY_DEFAULTS, CompatibilityProfile } from './types';

/**
 * The Sage 200 API side of the sandbox: routing through the catalog, the X-Site / X-Company
 * rules, OData queries, and the write paths. Answers are plain values; server.ts does the HTTP.
 */

export type ApiEdition = 'standard' | 'professional';

export interface ApiRequest {
  readonly method: string;
  /** The path after the `/uk/sage200(extra)/accounts/v1` prefix, still percent-encoded. */
  readonly path: string;
  /** The raw query string without `?`. */
  readonly query: string;
  readonly edition: ApiEdition;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body?: unknown;
}

export interface ApiAnswer {
  readonly status: number;
  /** A pre-serialized JSON body (fast path), a value to serialize, or undefined for no body. */
  readonly json?: string;
  /** A JSON array given as its serialized elements: written straight into one buffer, never joined. */
  readonly jsonArray?: readonly string[];
  readonly value?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Told about every change, so that `--data` can save it. */
export interface WriteListener {
  upsert(company: CompanyStore, table: Table, rec: Rec): void;
  delete(company: CompanyStore, table: Table, id: number): void;
}

export const DUPLICATE_REFERENCE = 'The account reference already exists. You cannot have two accounts with the same account reference.';

export function message(status: number, text: string, headers?: Record<string, string>): ApiAnswer {
  return { status, value: { Message: text }, ...(headers ? { headers } : {}) };
}

/**
 * An error that Sage's API gateway raises rather than the Sage 200 application (a bad token, the
 * rate limit, a server or tunnel failure). Its body shape is unverified: see CompatibilityProfile.
 */
export function gatewayError(compat: Required<CompatibilityProfile>, status: number, text: string, headers?: Record<string, string>): ApiAnswer {
  if (compat.gatewayErrors === 'application') return message(status, text, headers);
  return { status, value: { statusCode: status, message: text }, ...(headers ? { headers } : {}) };
}

/**
 * A failed POST or PUT validation. ASP.NET Web API reports model binding failures as `ModelState`
 * per field; the validator's message names the field (`The field 'name' …`, `lines[0]: The field …`).
 */
function invalid(compat: Required<CompatibilityProfile>, text: string): ApiAnswer {
  if (compat.validationErrors === 'message') return message(400, text);
  const m = /^((?:[\w]+(?:\[\d+\])?: )*)(?:The field '([^']+)'|([\w]+(?:\[\d+\])?))/.exec(text);
  const prefix = m ? m[1].split(': ').filter(Boolean) : [];
  const key = m ? [...prefix, m[2] ?? m[3]].join('.') : 'request';
  const detail = m ? text.slice(m[1].length) : text;
  return { status: 400, value: { Message: 'The request is invalid.', ModelState: { [key]: [detail] } } };
}

/** Schemas whose `reference` must be unique per company, as Sage enforces for accounts. */
const UNIQUE_REFERENCE = new Set(['customer', 'supplier']);

export class SageApi {
  private readonly compat: Required<CompatibilityProfile>;

  constructor(
    private readonly catalog: Catalog,
    private readonly companies: readonly CompanyStore[],
    private readonly writes: WriteListener,
    compat: CompatibilityProfile = {},
  ) {
    this.compat = { ...COMPATIBILITY_DEFAULTS, ...compat };
  }

  sites(): unknown[] {
    return this.companies.map((c) => ({
      site_id: c.info.siteId,
      site_name: c.info.siteName,
      site_short_name: c.info.siteShortName,
      company_id: c.info.companyId,
      company_name: c.info.companyName,
      tenant_id: c.info.tenantId,
    }));
  }

  handle(req: ApiRequest): ApiAnswer {
    const path = req.path.replace(/\/+$/, '') || '/';
    const resolved = this.catalog.resolve(path);
    if (path === '/sites' || path.startsWith('/sites/')) {
      if (path !== '/sites') return message(404, `No HTTP resource was found that matches the request URI '${path}'.`);
      if (req.method !== 'GET') return message(405, `The requested resource does not support http method '${req.method}'.`, { Allow: 'GET' });
      return { status: 200, value: this.sites() };
    }
    if (!resolved || !resolved.schema) return message(404, `No HTTP resource was found that matches the request URI '${path}'.`);
    const op = resolved.operation;
    if (op.professionalOnly && req.edition === 'standard') {
      return message(404, `No HTTP resource was found that matches the request URI '${path}'. This resource is available in Sage 200 Professional only (the /uk/sage200extra/ prefix).`);
    }
    if (!op.verbs.includes(req.method as Operation['verbs'][number])) {
      return message(405, `The requested resource does not support http method '${req.method}'.`, { Allow: op.verbs.join(', ') });
    }
    const company = this.company(req.headers);
    if ('status' in company) return company;
    const table = company.table(resolved.schema.name);
    // Nested routes (`/customers/{customerId}/customer_contacts`) filter by the parent's foreign key.
    const parentFilters: [string, number][] = [];
    const paramNames = op.isItem ? op.params.slice(0, -1) : op.params;
    for (const name of paramNames) {
      const value = parseId(resolved.params[name]);
      if (value === undefined) return message(400, `The value '${resolved.params[name]}' is not valid for ${name}: it must be a whole number.`);
      const fk = foreignKeyOf(name);
      if (table.hasField(fk)) parentFilters.push([fk, value]);
      const parentSchema = fk.slice(0, -3);
      if (company.has(parentSchema) && parentSchema !== table.schema.name && !company.table(parentSchema).byId.has(value)) {
        return message(404, `The ${parentSchema.replace(/_/g, ' ')} with id ${value} was not found.`);
      }
    }
    let item: Rec | undefined;
    if (op.isItem) {
      const raw = resolved.params[op.params[op.params.length - 1]];
      const id = parseId(raw);
      if (id === undefined) return message(400, `The value '${raw}' is not valid for the id: it must be a whole number.`);
      item = table.byId.get(id);
      if (!item || parentFilters.some(([f, v]) => item?.[f] !== v)) return message(404, `No ${table.schema.name.replace(/_/g, ' ')} with id ${id} was found.`);
    }
    try {
      switch (req.method) {
        case 'GET': return item ? this.getItem(table, item, req, company) : this.getCollection(table, parentFilters, req, company);
        case 'POST': return this.post(table, parentFilters, req, company);
        case 'PUT': return item ? this.put(table, item, req, company) : message(405, 'PUT needs a record id in the path.');
        case 'DELETE': {
          if (!item) return message(405, 'DELETE needs a record id in the path.');
          table.remove(item.id);
          if (UNIQUE_REFERENCE.has(table.schema.name)) refIndex(table).delete(String(item.reference).toUpperCase());
          this.writes.delete(company, table, item.id);
          return { status: 200 };
        }
        default: return message(405, `The requested resource does not support http method '${req.method}'.`, { Allow: op.verbs.join(', ') });
      }
    } catch (e) {
      if (e instanceof QueryError) return message(e.status, e.message);
      throw e;
    }
  }

  private company(headers: ApiRequest['headers']): CompanyStore | ApiAnswer {
    const site = header(headers, 'x-site');
    const comp = header(headers, 'x-company');
    const noSite = site === undefined || site.trim() === '';
    if (noSite || comp === undefined || comp.trim() === '') {
      // What Sage answers here is unverified: the profile picks (see CompatibilityProfile.missingSite).
      if (this.compat.missingSite === 'empty') return { status: 200, json: '[]' };
      if (this.compat.missingSite === 'forbidden') return message(403, 'The requested operation is forbidden for this account.');
      return noSite
        ? message(400, 'The X-Site header is missing. Send the site_id of a site from GET /sites.')
        : message(400, 'The X-Company header is missing. Send the company_id of a company from GET /sites.');
    }
    const siteCompanies = this.companies.filter((c) => c.info.siteId.toLowerCase() === site.trim().toLowerCase());
    if (siteCompanies.length === 0) return message(404, `The site '${clip(site)}' in the X-Site header was not found. GET /sites lists the sites you can use.`);
    if (!/^\s*\d+\s*$/.test(comp)) return message(400, `The X-Company header must be a whole number (a company_id from GET /sites), not '${clip(comp)}'.`);
    const company = siteCompanies.find((c) => c.info.companyId === Number(comp));
    if (!company) return message(404, `The company ${Number(comp)} in the X-Company header was not found on site '${siteCompanies[0].info.siteName}'. GET /sites lists the companies you can use.`);
    return company;
  }

  private getCollection(table: Table, parentFilters: [string, number][], req: ApiRequest, company: CompanyStore): ApiAnswer {
    let records = table.records;
    for (const [f, v] of parentFilters) records = table.where(f, v);
    if (parentFilters.length > 1) records = records.filter((r) => parentFilters.every(([f, v]) => r[f] === v));
    return runQuery(this.catalog, table, records, req.query, req.edition, (field, rec, schema) => this.expand(company, schema, rec, field),
      { clampTop: this.compat.topOverMax === 'clamp' });
  }

  private getItem(table: Table, item: Rec, req: ApiRequest, company: CompanyStore): ApiAnswer {
    const q = parseQuery(this.catalog, table.schema, req.query, req.edition, { item: true });
    // Clients send $metadata on single records too, and Sage answers 200 (SelectCo's client does).
    if (q.metadata !== undefined) return { status: 200, value: metadataOf(table.schema, req.edition, q.metadata, q) };
    if (!q.select && !q.expand) return { status: 200, json: table.toJson(item, req.edition) };
    return { status: 200, value: projectRecord(this.catalog, table, item, q, req.edition, (field, rec, schema) => this.expand(company, schema, rec, field)) };
  }

  /** Follows an object or array field for $expand: embedded value, `<name>_id` link, or child table. */
  expand(company: CompanyStore, schema: Schema, rec: Record<string, unknown>, field: Field): unknown {
    const own = rec[field.name];
    if (own !== undefined && own !== null && typeof own === 'object') return own;
    if (!field.ref) return field.type === 'array' ? [] : null;
    const refName = field.ref;
    if (field.type === 'object') {
      const id = rec[`${field.name}_id`];
      if (typeof id === 'number' && company.has(refName) && !refName.includes('.')) {
        const target = company.table(refName).byId.get(id);
        return target ? company.table(refName).toPlain(target) : null;
      }
      return null;
    }
    // Arrays: the child table's rows that point back at this record.
    const base = schema.name.includes('.') ? schema.name.slice(0, schema.name.indexOf('.')) : schema.name;
    if (!company.has(refName) || refName.includes('.')) return [];
    const child = company.table(refName);
    const fk = `${base}_id`;
    if (!child.hasField(fk)) return [];
    return child.where(fk, rec.id).map((r) => child.toPlain(r));
  }

  private post(table: Table, parentFilters: [string, number][], req: ApiRequest, company: CompanyStore): ApiAnswer {
    const body = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return message(400, 'The request body must be a JSON object with the fields of the new record.');
    const values = validate(this.catalog, table.schema, body as Record<string, unknown>, { partial: false, edition: req.edition, preset: parentFilters.map(([f]) => f) });
    if (typeof values === 'string') return invalid(this.compat, values);
    // The parent's key comes from the path (it is read-only in the body).
    for (const [f, v] of parentFilters) values[f] = v;
    const unique = this.checkUnique(table, values, undefined);
    if (unique) return unique;
    const now = isoDate(Math.floor(Date.now() / 1000) * 1000);
    for (const f of table.schema.fields) {
      if (f.name === 'date_time_created' || f.name === 'date_time_updated') values[f.name] = now;
    }
    // Lists of children that live in their own table (an order's `lines`) become rows there,
    // pointing back at the new record, as Sage stores them.
    const children: [Table, Record<string, unknown>[], string][] = [];
    for (const f of table.schema.fields) {
      const list = values[f.name];
      if (f.type !== 'array' || !f.ref || !Array.isArray(list) || !company.has(f.ref)) continue;
      const child = company.table(f.ref);
      const fk = `${table.schema.name}_id`;
      if (!child.hasField(fk)) continue;
      children.push([child, list as Record<string, unknown>[], fk]);
      delete values[f.name];
    }
    const rec = table.create(values);
    table.insert(rec);
    if (UNIQUE_REFERENCE.has(table.schema.name)) refIndex(table).set(String(rec.reference).toUpperCase(), rec.id);
    this.writes.upsert(company, table, rec);
    for (const [child, list, fk] of children) {
      list.forEach((item, i) => {
        const row = child.create({ ...item, [fk]: rec.id, ...(child.hasField('line_number') && item.line_number === undefined ? { line_number: i + 1 } : {}) });
        child.insert(row);
        this.writes.upsert(company, child, row);
      });
    }
    return { status: 200, json: table.toJson(rec, req.edition) };
  }

  private put(table: Table, item: Rec, req: ApiRequest, company: CompanyStore): ApiAnswer {
    const body = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return message(400, 'The request body must be a JSON object with the fields to change.');
    const values = validate(this.catalog, table.schema, body as Record<string, unknown>, { partial: true, edition: req.edition });
    if (typeof values === 'string') return invalid(this.compat, values);
    const unique = this.checkUnique(table, values, item);
    if (unique) return unique;
    if (UNIQUE_REFERENCE.has(table.schema.name) && values.reference !== undefined) {
      refIndex(table).delete(String(item.reference).toUpperCase());
      refIndex(table).set(String(values.reference).toUpperCase(), item.id);
    }
    for (const [k, v] of Object.entries(values)) item[k] = v;
    if (table.hasField('date_time_updated')) item.date_time_updated = isoDate(Math.floor(Date.now() / 1000) * 1000);
    table.changed(item);
    this.writes.upsert(company, table, item);
    return { status: 200, json: table.toJson(item, req.edition) };
  }

  private checkUnique(table: Table, values: Record<string, unknown>, self: Rec | undefined): ApiAnswer | undefined {
    if (!UNIQUE_REFERENCE.has(table.schema.name) || typeof values.reference !== 'string') return undefined;
    const existing = refIndex(table).get(values.reference.toUpperCase());
    if (existing !== undefined && existing !== self?.id) return message(400, DUPLICATE_REFERENCE);
    return undefined;
  }
}

const refIndexes = new WeakMap<Table, Map<string, number>>();

/** Account references, upper-cased: Sage treats `abc001` and `ABC001` as the same account. */
function refIndex(table: Table): Map<string, number> {
  let index = refIndexes.get(table);
  if (!index) {
    index = new Map();
    for (const r of table.records) index.set(String(r.reference).toUpperCase(), r.id);
    refIndexes.set(table, index);
  }
  return index;
}

function header(headers: ApiRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function parseId(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * Checks a POST or PUT body against the schema: unknown fields, types, maxLength, required fields.
 * Read-only fields are ignored, as Sage's API does. Returns the values to store, or an error message.
 */
export function validate(catalog: Catalog, schema: Schema, body: Record<string, unknown>, opts: { partial: boolean; edition: ApiEdition; preset?: readonly string[] }): Record<string, unknown> | string {
  const out: Record<string, unknown> = {};
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  for (const [name, value] of Object.entries(body)) {
    const field = byName.get(name);
    if (!field || (field.professionalOnly && opts.edition === 'standard')) {
      return `The field '${name}' is not a field of ${schema.name}.`;
    }
    if (field.readOnly) continue;
    if (value === null) {
      if (field.required) return `The field '${name}' is required and cannot be null.`;
      out[name] = field.type === 'string' ? '' : null;
      continue;
    }
    const err = checkType(catalog, field, value, opts.edition);
    if (err) return err;
    if (field.type === 'datetime') {
      // Stored as Sage answers it: a calendar date without a zone, a timestamp in Json.NET style.
      const ms = isoToMs(value as string);
      out[name] = isTimestampField(name) ? isoDate(ms) : sageDate(ms);
      continue;
    }
    out[name] = field.type === 'string' && UNIQUE_REFERENCE.has(schema.name) && name === 'reference' ? String(value).toUpperCase() : value;
  }
  if (!opts.partial) {
    for (const f of schema.fields) {
      if (f.required && !f.readOnly && !opts.preset?.includes(f.name) && (out[f.name] === undefined || out[f.name] === '') && !(f.professionalOnly && opts.edition === 'standard')) {
        return `The field '${f.name}' is required.`;
      }
    }
    for (const f of schema.fields) {
      if (out[f.name] === undefined && f.type !== 'object' && f.type !== 'array' && f.default !== undefined) out[f.name] = typeDefault(f);
    }
  }
  return out;
}

function checkType(catalog: Catalog, field: Field, value: unknown, edition: ApiEdition): string | undefined {
  const name = field.name;
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') return `The field '${name}' must be a string.`;
      // Enum fields hold `Enum…` names, or the spec's own default, longer than the spec's maxLength:
      // Sage takes them back, so a record read and written back unchanged must be accepted.
      if (field.maxLength !== undefined && value.length > field.maxLength && !/^Enum[A-Z]\w*$/.test(value) && value !== field.default) return `The field '${name}' must be at most ${field.maxLength} characters long (it has ${value.length}).`;
      return undefined;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `The field '${name}' must be a whole number.`;
      return undefined;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `The field '${name}' must be a number.`;
      return undefined;
    case 'boolean':
      if (typeof value !== 'boolean') return `The field '${name}' must be true or false.`;
      return undefined;
    case 'datetime':
      if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) return `The field '${name}' must be a date such as 2024-03-31 or 2024-03-31T09:30:00Z.`;
      return undefined;
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return `The field '${name}' must be an object.`;
      const child = field.ref ? catalog.schema(field.ref) : undefined;
      if (child) {
        const r = validate(catalog, child, value as Record<string, unknown>, { partial: true, edition });
        if (typeof r === 'string') return `${name}: ${r}`;
      }
      return undefined;
    }
    case 'array': {
      if (!Array.isArray(value)) return `The field '${name}' must be an array.`;
      const child = field.ref ? catalog.schema(field.ref) : undefined;
      if (child) {
        for (let i = 0; i < value.length; i++) {
          const v = value[i] as unknown;
          if (v === null || typeof v !== 'object' || Array.isArray(v)) return `${name}[${i}] must be an object.`;
          const r = validate(catalog, child, v as Record<string, unknown>, { partial: true, edition });
          if (typeof r === 'string') return `${name}[${i}]: ${r}`;
        }
      }
      return undefined;
    }
  }
  return undefined;
}

export { scalarFields };
