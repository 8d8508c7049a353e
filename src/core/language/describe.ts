import { Field, ModuleId, MODULE_TITLES, Operation } from '../catalog';
import { fieldDetail as odataFieldDetail } from '../odata';

/** One line: type, format, maxLength and marks, the same wording the OData completions use. */
export function fieldDetail(f: Field): string {
  return odataFieldDetail(f) + (f.required ? ', required' : '');
}

/**
 * A link to the module's page of Sage's API reference. Sage's prose is not copied into the
 * extension; the link takes the user to it.
 */
export function referenceUrl(module: ModuleId): string {
  return `https://developer.sage.com/200/reference/${module}/`;
}

export function fieldMarkdown(f: Field, schemaName: string, module?: ModuleId): string {
  const rows: string[] = [`**${f.name}** · \`${schemaName}\``, '', `| | |`, `|---|---|`, `| Type | ${f.type}${f.ref ? ` of \`${f.ref}\`` : ''} |`];
  if (f.format) rows.push(`| Format | ${f.format} |`);
  if (f.maxLength !== undefined) rows.push(`| Max length | ${f.maxLength} |`);
  rows.push(`| Read-only | ${f.readOnly ? 'yes' : 'no'} |`);
  rows.push(`| Required | ${f.required ? 'yes' : 'no'} |`);
  if (f.default !== undefined) rows.push(`| Default | \`${String(f.default)}\` |`);
  rows.push(`| Edition | ${f.professionalOnly ? 'Professional only' : 'Standard and Professional'} |`);
  if (module) rows.push('', `[Sage 200 API reference: ${MODULE_TITLES[module]}](${referenceUrl(module)})`);
  return rows.join('\n');
}

export function operationMarkdown(op: Operation): string {
  const rows = [
    `**${op.path}** · ${MODULE_TITLES[op.module]}`,
    '',
    `Verbs: ${op.verbs.join(', ')}`,
  ];
  if (op.schema) rows.push('', `Schema: \`${op.schema}\`${op.isItem ? ' (one record)' : ' (collection: a JSON array)'}`);
  rows.push('', `Edition: ${op.professionalOnly ? 'Professional only' : 'Standard and Professional'}`);
  rows.push('', `[Sage 200 API reference: ${MODULE_TITLES[op.module]}](${referenceUrl(op.module)})`);
  return rows.join('\n');
}
