import { type Catalog, foreignKeyOf } from '../catalog/catalog';
import type { Edition, Field, Operation } from '../catalog/types';

/**
 * What the catalog says about records in the explorer: how a record is named and sorted, which
 * path addresses it, and which collections hang below it. Everything is derived from the catalog,
 * with a small table of overrides where Sage's field names do not say which field is the key.
 */

/** The fields that name a record to a person: its natural key, then a readable name. */
export interface RecordShape {
  /** `reference` for customers, `document_no` for orders; undefined when the schema has none. */
  readonly key?: string;
  /** `name`, `description`…; undefined when the schema has none. */
  readonly name?: string;
  /** True when records carry an `id` (what item paths and nested collections need). */
  readonly hasId: boolean;
  /** `$select` for a page of records: only what the label needs, so that pages stay small. */
  readonly select: readonly string[];
  /** `$orderby` for a page: the key, then the id so that paging is stable when the key repeats; '' for no fields. */
  readonly orderby: string;
}

/** Key then name field per schema, where the generic rule below would pick badly. */
const SHAPE_OVERRIDES: Readonly<Record<string, readonly [key: string | undefined, name: string | undefined]>> = {
  customer: ['reference', 'name'],
  supplier: ['reference', 'name'],
  sop_order: ['document_no', 'customer_document_no'],
  pop_order: ['document_no', 'supplier_document_no'],
  sop_quote: ['document_no', undefined],
  bank: ['code', 'description'],
  nominal_code: ['reference', 'name'],
  product: ['code', 'name'],
  customer_contact: [undefined, 'name'],
  supplier_contact: [undefined, 'name'],
  sales_posted_transaction: ['reference', 'second_reference'],
  purchase_posted_transaction: ['reference', 'second_reference'],
  bank_posted_transaction: ['reference', 'second_reference'],
};

const KEY_NAMES = ['reference', 'code', 'document_no', 'account_number', 'urn', 'number'];
const NAME_NAMES = ['name', 'description', 'short_name', 'title', 'line_description', 'comment', 'note'];

function scalar(f: Field): boolean {
  return f.type !== 'object' && f.type !== 'array';
}

const MAX_KEY_FIELDS = 5;

/**
 * The fields that identify a record, for an entity's "Open Request" `$select`: the id, then key
 * and name fields in the order above. Views name their key columns after the entity
 * (`customer_account_number`); the first scalar fields are the last resort, so that `$select` is
 * never empty.
 */
export function keyFields(catalog: Catalog, schemaName: string | undefined): string[] {
  if (!schemaName) return [];
  const fields = catalog.fields(schemaName).filter(scalar);
  const names = new Set(fields.map((f) => f.name));
  const picked = ['id', ...KEY_NAMES, ...NAME_NAMES].filter((n) => names.has(n)).slice(0, MAX_KEY_FIELDS);
  if (picked.length < 2) {
    for (const f of fields) {
      if (picked.length >= 3) break;
      if (!picked.includes(f.name) && /(_id|_reference|_code|_name|_number)$/.test(f.name)) picked.push(f.name);
    }
  }
  if (picked.length === 0) picked.push(...fields.slice(0, 3).map((f) => f.name));
  return picked;
}

export function recordShape(catalog: Catalog, schemaName: string | undefined): RecordShape {
  const fields = schemaName ? catalog.fields(schemaName).filter(scalar) : [];
  const names = new Set(fields.map((f) => f.name));
  const override = schemaName ? SHAPE_OVERRIDES[schemaName] : undefined;
  const pick = (candidates: readonly string[]): string | undefined => candidates.find((n) => names.has(n));
  // Views name their columns after the entity (`customer_account_number`, `customer_account_name`).
  const suffixed = (re: RegExp): string | undefined => fields.find((f) => re.test(f.name))?.name;
  const key = override ? (override[0] && names.has(override[0]) ? override[0] : undefined)
    : pick(KEY_NAMES) ?? suffixed(/_(reference|code|number|no)$/);
  const name = override ? (override[1] && names.has(override[1]) ? override[1] : undefined)
    : pick(NAME_NAMES) ?? suffixed(/_(name|description)$/);
  const hasId = names.has('id');
  const select = [...new Set([hasId ? 'id' : undefined, key, name].filter((n): n is string => n !== undefined))];
  // Without a key or an id, any column gives `$skip` the stable order it needs.
  const order = [key, hasId ? 'id' : undefined].filter((n): n is string => n !== undefined);
  if (order.length === 0 && (name ?? fields[0])) order.push(name ?? fields[0].name);
  return {
    ...(key ? { key } : {}),
    ...(name ? { name } : {}),
    hasId,
    // A schema with neither a key nor an id is read whole, in the server's order.
    select: hasId || key ? select : [],
    orderby: order.length ? order.map((f) => `${f} asc`).join(',') : '',
  };
}

/** The label and description of a record, from its natural key and name. */
export function recordLabel(shape: RecordShape, rec: Readonly<Record<string, unknown>>, index: number): { label: string; description?: string } {
  const text = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v).replace(/\s+/g, ' ').trim() || undefined);
  const key = shape.key ? text(rec[shape.key]) : undefined;
  const name = shape.name ? text(rec[shape.name]) : undefined;
  const id = text(rec.id);
  const label = [key, name].filter(Boolean).join(' ') || (id !== undefined ? `#${id}` : `record ${index + 1}`);
  return id !== undefined && label !== `#${id}` ? { label, description: `id ${id}` } : { label };
}

/** `{customerId}` and `{Id}` are the same slot: paths are compared with their parameters blanked. */
export function templateKey(path: string): string {
  return path.replace(/\{[^}]+\}/g, '{}');
}

/** A collection that a record leads to, or a single record addressed by the record's id. */
export interface RecordChild {
  readonly kind: 'collection' | 'related' | 'embedded';
  /** The catalog path, as Sage writes it. */
  readonly template: string;
  /** The path with this record's ids filled in (for `embedded`: the record's own item path). */
  readonly path: string;
  readonly name: string;
  readonly schema?: string;
  readonly verbs: readonly Operation['verbs'][number][];
  /** `embedded`: the array field of the record that lists the children. */
  readonly field?: string;
  /** `embedded`: the item path template of each child. */
  readonly itemTemplate?: string;
  /** Read from this top-level collection instead of `path`, which has no GET of its own. */
  readonly source?: string;
}

/**
 * Paths keyed by a value of another record that no collection lists: Sage documents their first
 * parameter as the product's, the transaction's or the history record's id.
 */
const LINK_OVERRIDES: Readonly<Record<string, readonly (readonly [template: string, field: string])[]>> = {
  product: [['/product_sales_figures/{Id}', 'id'], ['/product_purchase_figures/{Id}', 'id']],
  purchase_posted_transaction: [['/purchase_authorisations/{Id}', 'id']],
  product_transaction_view: [['/product_transactions/{traceableHistoryId}/traceable_item_transactions', 'id']],
};

/** A path that a record's field value leads to (`/traceable_items/{traceable_item_id}/…`). */
interface Link {
  readonly op: Operation;
  readonly field: string;
}

/** The catalog's GET paths indexed for the explorer's walks; one per catalog and edition. */
export class RecordPaths {
  private readonly byTemplate = new Map<string, Operation>();
  /** Item template key -> the GET collections directly below it. */
  private readonly below = new Map<string, Operation[]>();
  /**
   * Item template key -> collections reached through a list that Sage has only at the top
   * (`/warehouses/{}/products/{}/warehouse_holdings` goes through `/products`).
   */
  private readonly through = new Map<string, Set<string>>();
  /** Schema -> its one-parameter item paths (`/customers/{Id}`). */
  private readonly itemsBySchema = new Map<string, Operation[]>();
  private readonly listedSchemas = new Set<string>();
  private readonly links = new Map<string, Link[]>();

  constructor(private readonly catalog: Catalog, readonly edition: Edition) {
    const gets = catalog.forEdition(edition).filter((op) => op.verbs.includes('GET'));
    for (const op of gets) {
      const key = templateKey(op.path);
      if (!this.byTemplate.has(key)) this.byTemplate.set(key, op);
      if (op.isItem && op.params.length === 1 && op.schema) {
        const list = this.itemsBySchema.get(op.schema) ?? [];
        list.push(op);
        this.itemsBySchema.set(op.schema, list);
      }
      if (!op.isItem && op.schema) this.listedSchemas.add(op.schema);
    }
    for (const op of gets) {
      const key = templateKey(op.path);
      if (!op.isItem && op.params.length > 0) {
        const parent = key.slice(0, key.lastIndexOf('/'));
        const list = this.below.get(parent) ?? [];
        list.push(op);
        this.below.set(parent, list);
      }
      const via = /^(.*\{\})\/([^/{}]+)\/\{\}\//.exec(key);
      if (via && !this.byTemplate.has(`${via[1]}/${via[2]}`) && this.byTemplate.has(`/${via[2]}`)) {
        const set = this.through.get(via[1]) ?? new Set<string>();
        set.add(via[2]);
        this.through.set(via[1], set);
      }
      // A path whose root is neither a collection nor an item is reached from records holding its id.
      const root = key.split('/')[1];
      if (op.params.length > 0 && key.startsWith(`/${root}/{}`) && !this.byTemplate.has(`/${root}`) && this.itemsBySchemaOf(root) === undefined) {
        const field = foreignKeyOf(op.params[0]);
        for (const name of catalog.schemaNames) {
          if (field === 'id' || !catalog.field(name, field)) continue;
          this.addLink(name, { op, field });
        }
      }
    }
    for (const [schema, list] of Object.entries(LINK_OVERRIDES)) {
      for (const [template, field] of list) {
        const op = this.byTemplate.get(templateKey(template));
        if (op) this.addLink(schema, { op, field });
      }
    }
  }

  private itemsBySchemaOf(root: string): Operation | undefined {
    const op = this.byTemplate.get(`/${root}/{}`);
    return op && op.params.length === 1 ? op : undefined;
  }

  private addLink(schema: string, link: Link): void {
    const list = this.links.get(schema) ?? [];
    if (!list.some((l) => l.op === link.op)) list.push(link);
    this.links.set(schema, list);
  }

  /** The fields other than `id` whose values lead somewhere: pages `$select` them too. */
  linkFields(schema: string | undefined): string[] {
    return [...new Set((schema ? this.links.get(schema) ?? [] : []).map((l) => l.field))];
  }

  /** The GET operation of a path template (any spelling of its parameters). */
  operation(template: string): Operation | undefined {
    return this.byTemplate.get(templateKey(template));
  }

  /**
   * Where a record of a collection lives: the collection's own item path when Sage has one
   * (`/customers/{customerId}/customer_contacts/{Id}`), else the schema's top-level item path
   * (`/bank_posted_transactions/{Id}` for a bank's transactions). Undefined when it has neither.
   */
  itemOf(collectionTemplate: string, schema: string | undefined): Operation | undefined {
    const own = this.byTemplate.get(`${templateKey(collectionTemplate)}/{}`);
    if (own) return own;
    return this.canonicalItem(collectionTemplate, schema);
  }

  private canonicalItem(collectionTemplate: string, schema: string | undefined): Operation | undefined {
    if (!schema) return undefined;
    const items = this.itemsBySchema.get(schema) ?? [];
    const last = collectionTemplate.split('/').pop();
    return items.find((op) => op.path.split('/')[1] === last) ?? items[0];
  }

  /**
   * What a record expands to: the collections below its place in its list, those below the
   * schema's top-level item path that the first did not already give (a customer contact reached
   * through its customer still has its roles), the top-level item path when no collection lists it
   * (`/sop_order_lines/{Id}` for a line read through its order), paths keyed by its values, and
   * lists embedded in it.
   */
  childrenOf(collectionTemplate: string, collectionPath: string, schema: string | undefined, id: string | undefined, values: Readonly<Record<string, unknown>> = {}): RecordChild[] {
    // A row without an id (some views) leads only where its other values lead.
    if (id === undefined) return this.linksOf(schema, id, values);
    const seg = encodeURIComponent(id);
    const here: [string, string] = [`${templateKey(collectionTemplate)}/{}`, `${collectionPath}/${seg}`];
    const own = this.byTemplate.get(here[0]);
    const canonical = this.canonicalItem(collectionTemplate, schema);
    const bases: [string, string][] = [here];
    if (canonical && canonical !== own) bases.push([templateKey(canonical.path), canonical.path.replace(/\{[^}]+\}$/, seg)]);
    const out: RecordChild[] = [];
    const seen = new Set<string>();
    for (const [template, path] of bases) {
      for (const op of this.below.get(template) ?? []) {
        const name = op.path.slice(op.path.lastIndexOf('/') + 1);
        if (seen.has(name)) continue;
        seen.add(name);
        out.push({
          kind: 'collection', template: op.path, path: `${path}/${name}`, name,
          ...(op.schema ? { schema: op.schema } : {}), verbs: op.verbs,
        });
      }
      for (const name of this.through.get(template) ?? []) {
        if (seen.has(name)) continue;
        seen.add(name);
        const top = this.byTemplate.get(`/${name}`)!;
        out.push({
          kind: 'collection', template: `${template}/${name}`, path: `${path}/${name}`, name, source: top.path,
          ...(top.schema ? { schema: top.schema } : {}), verbs: ['GET'],
        });
      }
    }
    if (own && canonical && canonical !== own && !this.byTemplate.has(templateKey(canonical.path).replace(/\/\{\}$/, ''))) {
      const name = canonical.path.split('/')[1];
      out.push({
        kind: 'related', template: canonical.path, path: canonical.path.replace(/\{[^}]+\}$/, seg), name,
        ...(canonical.schema ? { schema: canonical.schema } : {}), verbs: canonical.verbs,
      });
    }
    out.push(...this.linksOf(schema, id, values));
    const item = own ?? canonical;
    if (item && schema) {
      for (const f of this.catalog.fields(schema)) {
        if (f.type !== 'array' || !f.ref || this.listedSchemas.has(f.ref)) continue;
        // Children that no collection lists but that have an item path of their own are read
        // from the record itself (a stocktake's count sheet items).
        const childItem = this.itemsBySchema.get(f.ref)?.[0];
        if (!childItem) continue;
        const itemPath = own ? here[1] : item.path.replace(/\{[^}]+\}$/, seg);
        out.push({
          kind: 'embedded', template: item.path, path: itemPath, name: f.name, schema: f.ref,
          verbs: childItem.verbs, field: f.name, itemTemplate: childItem.path,
        });
      }
    }
    return out;
  }

  private linksOf(schema: string | undefined, id: string | undefined, values: Readonly<Record<string, unknown>>): RecordChild[] {
    const out: RecordChild[] = [];
    for (const { op, field } of schema ? this.links.get(schema) ?? [] : []) {
      const raw = field === 'id' ? id : values[field];
      if (raw === undefined || raw === null || raw === '' || raw === 0) continue;
      const value = encodeURIComponent(String(raw));
      const path = op.path.replace(/\{[^}]+\}/, value);
      const name = op.isItem ? op.path.split('/')[1] : `${op.path.split('/')[1]}/${value}/${op.path.slice(op.path.lastIndexOf('/') + 1)}`;
      out.push({
        kind: op.isItem ? 'related' : 'collection', template: op.path, path, name,
        ...(op.schema ? { schema: op.schema } : {}), verbs: op.verbs,
      });
    }
    return out;
  }
}

/**
 * A record's writable fields, for a PUT body: read-only fields, child objects and lists (changed
 * through their own paths) and fields the edition lacks are left out, in the catalog's order.
 */
export function writableBody(catalog: Catalog, schema: string, rec: Readonly<Record<string, unknown>>, edition: Edition): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of catalog.fields(schema)) {
    if (f.readOnly || !scalar(f) || (f.professionalOnly && edition === 'standard')) continue;
    if (Object.prototype.hasOwnProperty.call(rec, f.name)) body[f.name] = rec[f.name];
  }
  return body;
}
