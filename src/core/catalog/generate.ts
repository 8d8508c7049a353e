/**
 * Turns Sage's OpenAPI files into the compact catalog. Pure: the caller reads and writes files,
 * so that the rules here are unit-tested without a disk.
 */
import {
  CatalogFile, FieldTuple, FieldType, FLAG_PRO, FLAG_READONLY, FLAG_REQUIRED, ModuleId,
} from './types';

export interface SpecInput {
  /** The file name without `.json`, which is the module id (`sales`, `cash-book`, …). */
  readonly module: string;
  readonly json: unknown;
}

export interface GenerateResult {
  readonly catalog: CatalogFile;
  /** `schema.field` of the empty child objects that could not be linked to an entity. */
  readonly unlinked: string[];
  /** `schema.field -> entity` for each empty child object that was linked. */
  readonly linked: Record<string, string>;
  readonly operations: number;
  readonly distinctPaths: number;
}

/** A spec that does not have the shape the generator needs. The message names file and place. */
export class SpecError extends Error {}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const VERB_LETTER: Record<string, string> = { get: 'G', post: 'P', put: 'U', delete: 'D' };
const REF_PREFIX = '#/components/schemas/';

interface RawSchema { module: string; json: Json }

export function generateCatalog(specs: readonly SpecInput[]): GenerateResult {
  if (specs.length === 0) {
    throw new SpecError('no OpenAPI files (*.json) were found');
  }
  const raw = new Map<string, RawSchema>();
  for (const spec of specs) {
    const doc = spec.json;
    if (!isObject(doc) || typeof doc.openapi !== 'string') {
      throw new SpecError(`${spec.module}.json: not an OpenAPI document (no "openapi" version field)`);
    }
    if (!isObject(doc.paths)) {
      throw new SpecError(`${spec.module}.json: "paths" is missing or not an object`);
    }
    const components = doc.components;
    if (!isObject(components) || !isObject(components.schemas)) {
      throw new SpecError(`${spec.module}.json: "components.schemas" is missing or not an object`);
    }
    for (const [name, schema] of Object.entries(components.schemas)) {
      if (!isObject(schema)) {
        throw new SpecError(`${spec.module}.json: schema "${name}" is not an object`);
      }
      // The same schema appears in several files, identical; keep the first.
      if (!raw.has(name)) {
        raw.set(name, { module: spec.module, json: schema });
      }
    }
  }

  const schemas: Record<string, [number, FieldTuple[]]> = {};
  const pendingEmpty: { schema: string; field: string; index: number; siblings: Set<string> }[] = [];

  const refName = (where: string, ref: unknown): string => {
    if (typeof ref !== 'string' || !ref.startsWith(REF_PREFIX)) {
      throw new SpecError(`${where}: unsupported $ref ${JSON.stringify(ref)}`);
    }
    const name = ref.slice(REF_PREFIX.length);
    if (!raw.has(name)) {
      throw new SpecError(`${where}: $ref "${ref}" does not resolve to a schema`);
    }
    return name;
  };

  // Inline child objects become schemas of their own, named `parent.field`.
  const addSchema = (name: string, json: Json, where: string): void => {
    const props = json.properties === undefined ? {} : json.properties;
    if (!isObject(props)) {
      throw new SpecError(`${where}: "properties" is not an object`);
    }
    const required = new Set(Array.isArray(json.required) ? json.required.filter((r): r is string => typeof r === 'string') : []);
    const fields: FieldTuple[] = [];
    const siblings = new Set(Object.keys(props));
    schemas[name] = [json['x-sage-professional-only'] === true ? 1 : 0, fields];
    for (const [fieldName, def] of Object.entries(props)) {
      const at = `${where}.${fieldName}`;
      if (!isObject(def)) {
        throw new SpecError(`${at}: property is not an object`);
      }
      let type: FieldType;
      let ref = '';
      const format = typeof def.format === 'string' ? def.format : '';
      if (def.$ref !== undefined) {
        type = 'object';
        ref = refName(at, def.$ref);
      } else {
        switch (def.type) {
          case 'string': type = format === 'date-time' ? 'datetime' : 'string'; break;
          case 'integer': type = 'integer'; break;
          case 'number': type = 'number'; break;
          case 'boolean': type = 'boolean'; break;
          case 'object': type = 'object'; break;
          case 'array': type = 'array'; break;
          default: throw new SpecError(`${at}: unknown type ${JSON.stringify(def.type)}`);
        }
        if (type === 'array') {
          const items = def.items;
          if (!isObject(items)) {
            throw new SpecError(`${at}: array without "items"`);
          }
          if (items.$ref !== undefined) {
            ref = refName(`${at}.items`, items.$ref);
          } else if (isObject(items.properties) && Object.keys(items.properties).length > 0) {
            ref = `${name}.${fieldName}`;
            addSchema(ref, items, `${at}[]`);
          }
        } else if (type === 'object') {
          if (isObject(def.properties) && Object.keys(def.properties).length > 0) {
            ref = `${name}.${fieldName}`;
            addSchema(ref, def, at);
          }
        }
      }
      let flags = 0;
      if (def.readOnly === true) flags |= FLAG_READONLY;
      if (required.has(fieldName)) flags |= FLAG_REQUIRED;
      if (def['x-sage-professional-only'] === true) flags |= FLAG_PRO;
      const maxLength = typeof def.maxLength === 'number' ? def.maxLength : 0;
      const tuple: [string, FieldType, string, number, number, string, (string | number | boolean)?] =
        [fieldName, type, type === 'datetime' ? '' : format, maxLength, flags, ref];
      const dflt = def.default;
      if (typeof dflt === 'string' || typeof dflt === 'number' || typeof dflt === 'boolean') {
        tuple.push(dflt);
      }
      if (type === 'object' && ref === '') {
        pendingEmpty.push({ schema: name, field: fieldName, index: fields.length, siblings });
      }
      fields.push(tuple);
    }
  };

  for (const [name, { module, json }] of raw) {
    addSchema(name, json, `${module}.json: schema ${name}`);
  }

  // Link the child objects that Sage declares as `{}` to their entity (see linkTarget).
  const linked: Record<string, string> = {};
  const unlinked: string[] = [];
  for (const p of pendingEmpty) {
    const target = linkTarget(p.field, p.siblings, raw);
    const key = `${p.schema}.${p.field}`;
    if (target) {
      const fields = schemas[p.schema][1];
      const [name, type, format, maxLength, flags, , dflt] = fields[p.index];
      fields[p.index] = dflt === undefined
        ? [name, type, format, maxLength, flags, target]
        : [name, type, format, maxLength, flags, target, dflt];
      linked[key] = target;
    } else {
      unlinked.push(key);
    }
  }

  const modules: ModuleId[] = [];
  const ops: [string, number, string, string, number][] = [];
  const distinct = new Set<string>();
  let operations = 0;
  for (const spec of [...specs].sort((a, b) => a.module.localeCompare(b.module))) {
    const doc = spec.json as Json;
    const moduleIndex = modules.push(spec.module as ModuleId) - 1;
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      const where = `${spec.module}.json: path ${path}`;
      if (!path.startsWith('/') || !isObject(item)) {
        throw new SpecError(`${where}: not a path item`);
      }
      let verbs = '';
      let schema = '';
      for (const verb of ['get', 'post', 'put', 'delete'] as const) {
        const op = item[verb];
        if (op === undefined) continue;
        if (!isObject(op)) {
          throw new SpecError(`${where}: ${verb} is not an object`);
        }
        verbs += VERB_LETTER[verb];
        operations++;
        schema ||= operationSchema(op, `${where} ${verb}`, refName);
      }
      if (item.patch !== undefined) {
        throw new SpecError(`${where}: PATCH is not part of the Sage 200 API`);
      }
      if (verbs === '') continue;
      distinct.add(path);
      const pro = item['x-sage-professional-only'] === true || (schema !== '' && schemas[schema][0] === 1) ? 1 : 0;
      ops.push([path, moduleIndex, verbs, schema, pro]);
    }
  }

  return {
    catalog: { v: 1, modules, ops, schemas },
    unlinked,
    linked,
    operations,
    distinctPaths: distinct.size,
  };
}

/** The entity an operation returns (GET) or accepts (POST/PUT), by `$ref`. */
function operationSchema(op: Json, where: string, refName: (where: string, ref: unknown) => string): string {
  const fromContent = (content: unknown): string => {
    if (!isObject(content)) return '';
    const media = content['application/json'];
    if (!isObject(media) || !isObject(media.schema)) return '';
    const s = media.schema;
    if (s.$ref !== undefined) return refName(where, s.$ref);
    if (s.type === 'array' && isObject(s.items) && s.items.$ref !== undefined) return refName(where, s.items.$ref);
    return '';
  };
  const responses = op.responses;
  if (isObject(responses) && isObject(responses['200'])) {
    const found = fromContent(responses['200'].content);
    if (found) return found;
  }
  if (isObject(op.requestBody)) {
    return fromContent(op.requestBody.content);
  }
  return '';
}

/**
 * Sage declares 151 child objects as `{}` with no `$ref` (`sop_order.customer` beside `customer_id`).
 * The entity is found from the field's name: the name itself (`customer`), else the longest run of
 * its underscore-separated words, taken from the end (`default_tax_code` -> `tax_code`) or from the
 * start (`currency_base` -> `currency`), that names a schema. When a suffix and a prefix of the same
 * length both name schemas, the name is ambiguous and stays unlinked unless the `<name>_id` sibling
 * exists and the suffix is taken (Sage's ids name the record, and its names put the entity last).
 */
export function linkTarget(field: string, siblings: ReadonlySet<string>, schemas: ReadonlyMap<string, unknown>): string | undefined {
  if (schemas.has(field)) return field;
  const parts = field.split('_');
  let suffix: string | undefined;
  let suffixLength = 0;
  for (let i = 1; i < parts.length && !suffix; i++) {
    const candidate = parts.slice(i).join('_');
    if (schemas.has(candidate)) { suffix = candidate; suffixLength = parts.length - i; }
  }
  let prefix: string | undefined;
  let prefixLength = 0;
  for (let i = parts.length - 1; i >= 1 && !prefix; i--) {
    const candidate = parts.slice(0, i).join('_');
    if (schemas.has(candidate)) { prefix = candidate; prefixLength = i; }
  }
  if (suffixLength > prefixLength) return suffix;
  if (prefixLength > suffixLength) return prefix;
  if (suffix && siblings.has(`${field}_id`)) return suffix;
  return undefined;
}
