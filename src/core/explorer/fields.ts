import type { Catalog } from '../catalog/catalog';
import type { Field } from '../catalog/types';

/** One field as the live `$metadata=true` answer describes it. */
export interface LiveField {
  readonly name: string;
  readonly type?: string;
}

export type FieldDifference = 'same' | 'catalogOnly' | 'liveOnly' | 'typeDiffers';

export interface FieldRow {
  readonly name: string;
  readonly catalog?: Field;
  readonly live?: LiveField;
  readonly difference: FieldDifference;
}

/**
 * Reads the fields out of a `$metadata=true` answer. Its exact shape is not documented, so accept
 * an array of field objects, an object holding such an array, or an object keyed by field name.
 */
export function parseMetadata(json: unknown): LiveField[] | undefined {
  const fromArray = (arr: unknown[]): LiveField[] => arr.flatMap((item): LiveField[] => {
    if (typeof item === 'string') return [{ name: item }];
    if (!item || typeof item !== 'object') return [];
    const rec = item as Record<string, unknown>;
    const name = firstString(rec, ['name', 'Name', 'field', 'Field', 'field_name', 'property', 'PropertyName']);
    if (!name) return [];
    const type = firstString(rec, ['type', 'Type', 'data_type', 'DataType', 'field_type']);
    return [{ name, ...(type ? { type } : {}) }];
  });
  if (Array.isArray(json)) return fromArray(json);
  if (!json || typeof json !== 'object') return undefined;
  const rec = json as Record<string, unknown>;
  for (const k of ['fields', 'Fields', 'properties', 'Properties', 'metadata', 'value']) {
    if (Array.isArray(rec[k])) return fromArray(rec[k] as unknown[]);
  }
  const keyed = Object.entries(rec).flatMap(([name, v]): LiveField[] => {
    if (typeof v === 'string') return [{ name, type: v }];
    if (v && typeof v === 'object') {
      const type = firstString(v as Record<string, unknown>, ['type', 'Type', 'data_type']);
      return [{ name, ...(type ? { type } : {}) }];
    }
    return [];
  });
  return keyed.length ? keyed : undefined;
}

/** The catalog's fields beside the live ones, in catalog order, then what only the server has. */
export function compareFields(catalog: Catalog, schemaName: string | undefined, live: readonly LiveField[] | undefined): FieldRow[] {
  const known = schemaName ? catalog.fields(schemaName) : [];
  const liveByName = new Map((live ?? []).map((f) => [f.name.toLowerCase(), f]));
  const rows: FieldRow[] = known.map((f) => {
    const l = liveByName.get(f.name.toLowerCase());
    if (!live) return { name: f.name, catalog: f, difference: 'same' };
    if (!l) return { name: f.name, catalog: f, difference: 'catalogOnly' };
    return { name: f.name, catalog: f, live: l, difference: typesAgree(f, l.type) ? 'same' : 'typeDiffers' };
  });
  const knownNames = new Set(known.map((f) => f.name.toLowerCase()));
  for (const l of live ?? []) {
    if (!knownNames.has(l.name.toLowerCase())) rows.push({ name: l.name, live: l, difference: 'liveOnly' });
  }
  return rows;
}

/**
 * Type names differ between the spec and the server (`integer` vs `Int64`, `datetime` vs
 * `DateTime`), so compare families rather than spellings; an unknown live type never counts as a difference.
 */
function typesAgree(field: Field, liveType: string | undefined): boolean {
  if (!liveType) return true;
  const t = liveType.toLowerCase().replace(/^system\./, '').replace(/^edm\./, '');
  const family = (x: string): string => {
    if (/^(int|integer|int16|int32|int64|long|short|byte)$/.test(x)) return 'integer';
    if (/^(decimal|double|number|float|single|money)$/.test(x)) return 'number';
    if (/^(bool|boolean)$/.test(x)) return 'boolean';
    if (/date|time/.test(x)) return 'datetime';
    if (/^(string|text|guid|char)$/.test(x) || x.startsWith('enum')) return 'string';
    if (/^(array|collection|list)/.test(x) || x.endsWith('[]')) return 'array';
    if (/^(object|complex|entity)/.test(x)) return 'object';
    return x;
  };
  const live = family(t);
  const mine = field.type;
  if (live === mine) return true;
  // A number spec'd as integer-valued or a linked child spelled by its class name still agree.
  if ((mine === 'integer' && live === 'number') || (mine === 'number' && live === 'integer')) return true;
  if ((mine === 'object' || mine === 'array') && !['integer', 'number', 'boolean', 'datetime', 'string'].includes(live)) return true;
  // Enumerations are strings in the spec but arrive as their enum type name.
  if (mine === 'string' && !['integer', 'number', 'boolean', 'datetime', 'array', 'object'].includes(live)) return true;
  return false;
}

const MARK: Record<FieldDifference, string> = {
  same: '',
  catalogOnly: '⚠ not in the live answer',
  liveOnly: '➕ only in the live answer',
  typeDiffers: '≠ type differs',
};

/** A markdown table for a preview: every field, with differences marked and counted at the top. */
export function fieldsMarkdown(title: string, rows: readonly FieldRow[], liveNote: string): string {
  // Field names come from the server: neither HTML nor markdown links may survive into the preview.
  const esc = (s: string): string => s
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/[|\\`*_[\]()!#]/g, (c) => `\\${c}`)
    .replace(/[\r\n]+/g, ' ');
  const diffs = rows.filter((r) => r.difference !== 'same').length;
  const lines = [
    `# Fields of ${esc(title)}`,
    '',
    esc(liveNote),
    '',
    rows.some((r) => r.live)
      ? `${rows.length} fields; ${diffs} difference${diffs === 1 ? '' : 's'} between the catalog and the live \`$metadata\`.`
      : `${rows.length} fields in the catalog; not compared with a live answer.`,
    '',
    '| Field | Catalog type | Flags | Live type | Difference |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const f = r.catalog;
    const type = f ? [f.type, f.format, f.maxLength ? `max ${f.maxLength}` : undefined, f.ref ? `→ ${f.ref}` : undefined].filter(Boolean).join(', ') : '';
    const flags = f ? [f.required ? 'required' : '', f.readOnly ? 'read-only' : '', f.professionalOnly ? 'Professional' : ''].filter(Boolean).join(', ') : '';
    lines.push(`| ${esc(r.name)} | ${esc(type)} | ${flags} | ${esc(r.live?.type ?? (r.live ? '?' : ''))} | ${MARK[r.difference]} |`);
  }
  return `${lines.join('\n')}\n`;
}

function firstString(rec: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const k of keys) if (typeof rec[k] === 'string' && rec[k]) return rec[k] as string;
  return undefined;
}
