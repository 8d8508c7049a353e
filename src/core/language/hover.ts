import { EnumValueSet, Field, enumValuesOf } from '../catalog';
import { FilterExpr, PathSegment } from '../odata';
import { requestAt } from '../requestFile/parser';
import { expandPlain } from '../requestFile/variables';
import { FileAnalysis, LanguageContext, RequestAnalysis } from './analysis';
import { fieldMarkdown, operationMarkdown } from './describe';
import { fieldsOf } from './diagnostics';
import { LangHover } from './types';

const OPTION_HELP: Record<string, string> = {
  $filter: 'Keeps the records for which the condition holds. Comparisons `eq ne gt ge lt le`, `and`/`or`, parentheses, and `contains`, `startswith`, `endswith`. Text and enum values in single quotes; a date-time ends in `Z`.',
  $select: 'The fields to return, comma-separated. Dotted paths (`customer.name`) need the child in `$expand`.',
  $expand: 'Child objects or lists to include in each record.',
  $orderby: 'Sort order: `field asc` or `field desc`, comma-separated.',
  $top: 'Page size: 1 to 5000. Sage returns 500 records when it is left out.',
  $skip: 'Records to skip. Sage 200 rejects it unless `$orderby` is also given.',
  $count: '`true` returns the number of matching records instead of the records.',
  $metadata: '`true` describes the fields (name, type, sort); `false` leaves out arrays and objects.',
};

export function hover(fa: FileAnalysis, offset: number, ctx: LanguageContext): LangHover | undefined {
  const request = requestAt(fa.file, offset);
  // Variables first: they may sit anywhere, also in file variable lines outside requests.
  const refs = request ? request.refs : fa.file.fileVariables.flatMap((v) => v.refs);
  for (const ref of refs) {
    if (offset >= ref.span.start && offset <= ref.span.end) return variableHover(fa, ref.kind, ref.name, ref.expression, ref.span, ctx);
  }
  if (!request?.requestLine) return undefined;
  const a = fa.request(request.index, ctx);
  const rl = request.requestLine;
  if (a.apiPath && offset >= a.apiPath.span.start && offset <= a.apiPath.span.end && a.resolved) {
    return { contents: operationMarkdown(a.resolved.operation), span: a.apiPath.span };
  }
  if (a.query && a.odata) {
    const j = a.query.map.toJoined(offset);
    if (j >= 0) {
      const h = queryHover(a, j, ctx);
      if (h) return { contents: h.contents, span: a.query.map.spanToDoc(h.span.start, h.span.end) };
    }
  }
  if (a.json?.root && request.body && offset >= request.body.span.start && a.resolved?.schema) {
    return bodyHover(a, offset, ctx);
  }
  if (offset >= rl.methodSpan.start && offset < rl.methodSpan.end && a.resolved) {
    return { contents: operationMarkdown(a.resolved.operation), span: rl.methodSpan };
  }
  return undefined;
}

function variableHover(fa: FileAnalysis, kind: string, name: string, expression: string, span: { start: number; end: number }, ctx: LanguageContext): LangHover {
  if (kind === 'plain') {
    const def = fa.scope(ctx).get(name);
    if (!def) return { contents: `**${name}** is not defined.`, span };
    const e = expandPlain(name, fa.scope(ctx));
    const value = e?.kind === 'value' ? e.value : def.value;
    const source = def.source === 'file' ? 'File variable' : def.source === 'shared' ? 'Environment `$shared`' : `Environment \`${ctx.environment ?? ''}\``;
    const refused = e?.kind === 'refused' ? `\n\n${e.message}` : '';
    return { contents: `**${name}** · ${source}\n\n\`\`\`\n${shown(value)}\n\`\`\`${refused}`, span };
  }
  if (kind === 'response') return { contents: `Value from the last response of the request named **${name}**: \`${expression}\`. Sent first if it has not been sent.`, span };
  return { contents: `System variable \`${expression}\`, resolved when the request is sent.`, span };
}

/** A hover shows the start of a long value: a megabyte in a tooltip helps no one and stalls the editor. */
const HOVER_VALUE_LENGTH = 2000;

function shown(value: string): string {
  return value.length <= HOVER_VALUE_LENGTH ? value : `${value.slice(0, HOVER_VALUE_LENGTH)}… (${value.length.toLocaleString('en-GB')} characters)`;
}

function queryHover(a: RequestAnalysis, j: number, ctx: LanguageContext): LangHover | undefined {
  const q = a.odata!;
  for (const o of q.options) {
    if (j >= o.nameStart && j <= o.nameEnd && o.known) {
      return { contents: `**${o.known}**\n\n${OPTION_HELP[o.known] ?? ''}`, span: { start: o.nameStart, end: o.nameEnd } };
    }
  }
  const schema = a.resolved?.schema?.name;
  if (!schema) return undefined;
  const paths: { segments: readonly PathSegment[] }[] = [
    ...(q.select?.items ?? []), ...(q.expand?.items ?? []), ...(q.orderby?.items ?? []),
  ];
  if (q.filter?.expr) collectFields(q.filter.expr, paths);
  for (const p of paths) {
    for (let i = 0; i < p.segments.length; i++) {
      const seg = p.segments[i];
      if (j >= seg.start && j <= seg.end) {
        const dotted = p.segments.slice(0, i + 1).map((s) => s.name).join('.');
        const f = ctx.catalog.field(schema, dotted) ?? (i === 0 ? fieldsOf(ctx, schema).find((x) => x.name === seg.name) : undefined);
        if (!f) return undefined;
        const owner = i === 0 ? schema : ctx.catalog.field(schema, p.segments.slice(0, i).map((s) => s.name).join('.'))?.ref ?? schema;
        return { contents: fieldMarkdown(f, owner, a.resolved?.operation.module) + enumMarkdown(enumValuesOf(owner, f)), span: { start: seg.start, end: seg.end } };
      }
    }
  }
  return undefined;
}

function collectFields(e: FilterExpr, out: { segments: readonly PathSegment[] }[]): void {
  // An explicit stack: a long `and` chain or deep parentheses must not overflow the call stack.
  const stack: FilterExpr[] = [e];
  while (stack.length) {
    const n = stack.pop()!;
    switch (n.kind) {
      case 'field': out.push(n); break;
      case 'compare': stack.push(n.left, n.right); break;
      case 'logical': stack.push(...n.operands); break;
      case 'not': stack.push(n.operand); break;
      case 'paren': stack.push(n.expr); break;
      case 'call': stack.push(...n.args); break;
      default: break;
    }
  }
}

function bodyHover(a: RequestAnalysis, offset: number, ctx: LanguageContext): LangHover | undefined {
  let schemaName: string | undefined = a.resolved!.schema!.name;
  let node = a.json!.root;
  // Descend through objects (and arrays of objects) along the property under the cursor.
  while (node && schemaName) {
    if (node.kind === 'array') {
      node = node.items.find((i) => offset >= i.span.start && offset <= i.span.end);
      continue;
    }
    if (node.kind !== 'object') return undefined;
    const p = node.properties.find((x) => offset >= x.span.start && offset <= x.span.end);
    if (!p) return undefined;
    const name: string = schemaName;
    const f: Field | undefined = fieldsOf(ctx, name).find((x) => x.name === p.key);
    if (!f) return undefined;
    if (offset <= p.keySpan.end) return { contents: fieldMarkdown(f, schemaName, a.resolved?.operation.module) + enumMarkdown(enumValuesOf(schemaName, f)), span: p.keySpan };
    schemaName = f.ref;
    node = p.value;
  }
  return undefined;
}

/** The values public sources show for an enum field, and where they come from; nothing for other fields. */
function enumMarkdown(set: EnumValueSet | undefined): string {
  if (!set) return '';
  const heading = set.complete ? 'Values' : 'Values seen (the list may be incomplete)';
  return `\n\n${heading}: ${set.values.map((v) => `\`${v}\``).join(', ')}\n\nSource: ${set.source}.`;
}
