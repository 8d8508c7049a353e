/**
 * Sage-aware checks of a parsed query against the catalog. Pure: the editor shows the result as
 * diagnostics with quick fixes, the CLI prints it, and the sandbox turns errors into 400 answers.
 */

import type { Catalog, Edition, Field } from '../catalog';
import { isKnownEnumValue } from '../catalog/enums';
import { nearest } from '../catalog/suggest';
import {
  CompareNode, FILTER_FUNCTIONS, FieldNode, FilterExpr, KNOWN_OPTIONS, LiteralNode, PathSegment, QueryOptions,
  SyntaxErrorCode,
} from './ast';
import { SAGE_MAX_TOP as TOP_MAX } from './paging';

export type DiagnosticCode =
  | 'syntax' | 'bad-number' | 'bad-boolean' | 'duplicate-option' | 'unknown-option' | 'option-not-allowed'
  | 'unknown-field' | 'unknown-function' | 'type-mismatch' | 'skip-without-orderby' | 'top-range'
  | 'datetime-missing-z' | 'unquoted-value' | 'professional-only-field' | 'expand-not-expandable'
  | 'select-needs-expand' | 'unknown-enum-value';

export type Severity = 'error' | 'warning' | 'info';

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface QuickFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

export interface ODataDiagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** Absolute range, in the coordinates of the parsed text (`q.offset` + index). */
  readonly start: number;
  readonly end: number;
  readonly fix?: QuickFix;
}

export interface ValidateContext {
  readonly catalog: Catalog;
  /** The entity schema the request path returns (`customer`, `sop_order`, …). */
  readonly schema: string;
  readonly edition?: Edition;
  /** HTTP verb of the request; query options only make sense on GET. */
  readonly method?: string;
  /** True when the path addresses one record (`/customers/{Id}`). */
  readonly isItem?: boolean;
}

export const TOP_MIN = 1;
/** Sage's maximum `$top`, under the name the validator's callers know. */
export { TOP_MAX };

/** Options that select among many records and so do nothing on a single-record path. */
const COLLECTION_ONLY = new Set(['$filter', '$orderby', '$top', '$skip', '$count']);

const SYNTAX_CODE: Record<SyntaxErrorCode, DiagnosticCode> = {
  syntax: 'syntax', 'too-deep': 'syntax', 'bad-number': 'bad-number', 'bad-boolean': 'bad-boolean',
  'duplicate-option': 'duplicate-option', 'bad-encoding': 'syntax',
};

/**
 * Checks a parsed query. Decisions worth knowing:
 * - A dotted `$select` path (`customer.name`) needs its first step in `$expand` (Sage's documented
 *   usage): otherwise a warning `select-needs-expand` with a fix that adds it.
 * - Dotted paths in `$filter` and `$orderby` do not need `$expand` (OData navigation semantics).
 * - An unquoted word compared with a text field is `unquoted-value` unless it names a real field.
 */
export function validateQuery(q: QueryOptions, ctx: ValidateContext): ODataDiagnostic[] {
  return new Validator(q, ctx).run();
}

/** A step of an `$expand` path and the steps expanded below it. */
type ExpandedStep = Map<string, ExpandedStep>;

class Validator {
  private readonly out: ODataDiagnostic[] = [];
  /**
   * Paths in `$expand` as a tree of their steps (`lines.product` expands `lines` too), made only when
   * there is one. A tree, not a set of every prefix: a deep path's prefixes add up to its length squared.
   */
  private readonly expanded: ExpandedStep | undefined;

  constructor(private readonly q: QueryOptions, private readonly ctx: ValidateContext) {
    if (!q.expand?.items.length) return;
    this.expanded = new Map();
    for (const item of q.expand.items) {
      let node = this.expanded;
      for (const step of item.path.split('.')) {
        let next = node.get(step);
        if (!next) node.set(step, next = new Map());
        node = next;
      }
    }
  }

  /** Whether `$expand` reaches the child that the first `count` segments lead to. */
  private isExpanded(segments: readonly PathSegment[], count: number): boolean {
    let node = this.expanded;
    for (let i = 0; i < count && node; i++) node = node.get(segments[i].name);
    return node !== undefined;
  }

  run(): ODataDiagnostic[] {
    const { q } = this;
    for (const e of q.errors) {
      this.add(SYNTAX_CODE[e.code], e.code === 'duplicate-option' ? 'warning' : 'error', e.message, e.start, e.end);
    }
    this.checkOptions();
    this.checkPaging();
    if (q.select) for (const item of q.select.items) this.checkSelectItem(item);
    if (q.expand) for (const item of q.expand.items) this.checkExpandItem(item);
    if (q.orderby) {
      for (const item of q.orderby.items) {
        const f = this.resolve(item.segments, '$orderby');
        if (f && (f.type === 'object' || f.type === 'array')) {
          this.add('type-mismatch', 'error', `Cannot sort by '${item.path}': it is ${f.type === 'array' ? 'a list' : 'an object'}; sort by one of its fields`, item.start, item.start + item.path.length);
        }
      }
    }
    if (q.filter?.expr) this.checkCondition(q.filter.expr, 0);
    // In reading order, as editors and the CLI list them (most queries have nothing to sort).
    return this.out.length > 1 ? this.out.sort(byPosition) : this.out;
  }

  private add(code: DiagnosticCode, severity: ODataDiagnostic['severity'], message: string, start: number, end: number, fix?: QuickFix): void {
    // A 1 MB file of garbage must not yield a million diagnostics for one query.
    if (this.out.length >= 200) return;
    const end2 = Math.max(start, end);
    this.out.push(fix ? { code, severity, message, start, end: end2, fix } : { code, severity, message, start, end: end2 });
  }

  private get schemaName(): string {
    return this.ctx.schema;
  }

  /** The entity's own name -> field map, found once per query rather than once per path. */
  private topFields: Map<string, Field> | undefined = undefined;

  private topField(name: string): Field | undefined {
    this.topFields ??= fieldsNamed(this.ctx.catalog, this.ctx.schema);
    return this.topFields.get(name);
  }

  private checkOptions(): void {
    const { q, ctx } = this;
    for (const opt of q.unknown) {
      if (opt.name === '') continue;
      const lower = opt.name.toLowerCase();
      if (opt.name.startsWith('$')) {
        const guess = closest(lower, KNOWN_OPTIONS);
        this.add('unknown-option', 'error',
          `Unknown query option '${opt.name}': Sage 200 supports ${KNOWN_OPTIONS.join(', ')}${guess ? `. Did you mean ${guess}?` : ''}`,
          opt.nameStart, opt.nameEnd, guess ? { title: `Change to ${guess}`, edits: [{ start: opt.nameStart, end: opt.nameEnd, newText: guess }] } : undefined);
      } else {
        const known = KNOWN_OPTIONS.find((k) => k.slice(1) === lower);
        if (known) {
          this.add('unknown-option', 'warning', `'${opt.name}' is not an OData option: did you mean ${known}?`, opt.nameStart, opt.nameEnd,
            { title: `Change to ${known}`, edits: [{ start: opt.nameStart, end: opt.nameEnd, newText: known }] });
        }
      }
    }
    // `toUpperCase` makes a new string even when nothing changes; GET is nearly every request.
    const method = ctx.method === 'GET' ? 'GET' : ctx.method?.toUpperCase();
    for (const opt of q.options) {
      if (!opt.known) continue;
      if (method && method !== 'GET') {
        this.add('option-not-allowed', 'warning', `${opt.known} has no effect on a ${method} request`, opt.nameStart, opt.nameEnd);
      } else if (ctx.isItem && COLLECTION_ONLY.has(opt.known)) {
        this.add('option-not-allowed', 'warning', `${opt.known} has no effect on a single record (the path ends in an id)`, opt.nameStart, opt.nameEnd);
      }
    }
  }

  private checkPaging(): void {
    const { q } = this;
    const top = q.top;
    if (top && top.value !== undefined) {
      const o = top.option;
      if (top.value < 0) {
        this.add('bad-number', 'error', `$top must be a whole number from ${TOP_MIN} to ${TOP_MAX}, not ${o.value}`, o.valueStart, o.valueEnd,
          { title: `Change $top to ${TOP_MIN}`, edits: [{ start: o.valueStart, end: o.valueEnd, newText: String(TOP_MIN) }] });
      } else if (top.value < TOP_MIN || top.value > TOP_MAX) {
        const clamped = top.value < TOP_MIN ? TOP_MIN : TOP_MAX;
        this.add('top-range', 'error',
          top.value > TOP_MAX ? `$top is ${o.value}, above Sage 200's maximum of ${TOP_MAX}` : `$top must be at least ${TOP_MIN}`,
          o.valueStart, o.valueEnd, { title: `Clamp $top to ${clamped}`, edits: [{ start: o.valueStart, end: o.valueEnd, newText: String(clamped) }] });
      }
    }
    const skip = q.skip;
    if (skip) {
      const o = skip.option;
      if (skip.value !== undefined && skip.value < 0) {
        this.add('bad-number', 'error', `$skip must be a whole number of 0 or more, not ${o.value}`, o.valueStart, o.valueEnd,
          { title: 'Change $skip to 0', edits: [{ start: o.valueStart, end: o.valueEnd, newText: '0' }] });
      }
      if (!q.orderby) {
        const field = this.ctx.catalog.field(this.schemaName, 'id') ? 'id'
          : this.ctx.catalog.fields(this.schemaName).find((f) => f.type !== 'object' && f.type !== 'array')?.name ?? 'id';
        const end = q.options.length ? q.options[q.options.length - 1].end : q.offset + q.text.length;
        this.add('skip-without-orderby', 'error', `Sage 200 rejects $skip without $orderby: add $orderby=${field} asc so pages are stable`,
          o.nameStart, o.nameEnd, { title: `Add $orderby=${field} asc`, edits: [{ start: end, end, newText: `&$orderby=${field} asc` }] });
      }
    }
  }

  /**
   * Resolves a path step by step, reporting the first unknown step and Professional-only fields.
   * Returns the final field, or undefined when a step is unknown.
   */
  private resolve(segments: readonly PathSegment[], where: string, report = true): Field | undefined {
    let schema = this.schemaName;
    let field: Field | undefined;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i];
      if (i > 0) {
        if (!field?.ref) {
          if (report) {
            this.add('unknown-field', 'error', `'${segments.slice(0, i).map((s) => s.name).join('.')}' is a ${field?.type ?? 'plain'} field, not a child entity, so it has no field '${seg.name}'`, seg.start, seg.end);
          }
          return undefined;
        }
        if (field.type === 'array' && (where === '$filter' || where === '$orderby')) {
          // OData reaches into a list only with any()/all(), which Sage does not document.
          if (report) {
            const list = segments.slice(0, i).map((s) => s.name).join('.');
            this.add('type-mismatch', 'error', `'${list}' is a list, so ${where} cannot use '${list}.${seg.name}'; query the child entity's own path instead`, segments[0].start, seg.end);
          }
          return undefined;
        }
        schema = field.ref;
      }
      field = i === 0 ? this.topField(seg.name) : fieldNamed(this.ctx.catalog, schema, seg.name);
      if (!field) {
        // Past the diagnostic cap, skip the did-you-mean search (it scans the schema's fields).
        if (report && this.out.length < 200) {
          const guess = seg.name ? guessField(this.ctx.catalog, schema, seg.name) : undefined;
          const entity = schema;
          this.add('unknown-field', 'error',
            seg.name === '' ? `Expected a field name of '${entity}' in ${where}` :
              `Unknown field '${seg.name}' on '${entity}' in ${where}${guess ? `. Did you mean '${guess}'?` : ''}`,
            seg.start, seg.end, guess ? { title: `Change to '${guess}'`, edits: [{ start: seg.start, end: seg.end, newText: guess }] } : undefined);
        }
        return undefined;
      }
      if (report && field.professionalOnly && this.ctx.edition === 'standard') {
        this.add('professional-only-field', 'error', `'${field.name}' exists only in Sage 200 Professional; this connection is Standard`, seg.start, seg.end);
      }
    }
    return field;
  }

  private checkSelectItem(item: { path: string; segments: readonly PathSegment[]; start: number; end: number }): void {
    if (item.path === '*') return;
    const f = this.resolve(item.segments, '$select');
    if (!f || item.segments.length < 2) return;
    if (!this.isExpanded(item.segments, item.segments.length - 1)) {
      const parent = item.segments.length === 2 ? item.segments[0].name : item.segments.slice(0, -1).map((s) => s.name).join('.');
      const q = this.q;
      let fix: QuickFix;
      if (q.expand) {
        const o = q.expand.option;
        fix = { title: `Add ${parent} to $expand`, edits: [{ start: o.valueEnd, end: o.valueEnd, newText: o.value.trim() ? `,${parent}` : parent }] };
      } else {
        const end = q.options[q.options.length - 1].end;
        fix = { title: `Add $expand=${parent}`, edits: [{ start: end, end, newText: `&$expand=${parent}` }] };
      }
      this.add('select-needs-expand', 'warning', `'${item.path}' selects from '${parent}', which is not in $expand`, item.start, item.end, fix);
    }
  }

  private checkExpandItem(item: { path: string; segments: readonly PathSegment[]; start: number; end: number; nested?: { start: number; end: number } }): void {
    if (item.path === '*') return;
    const f = this.resolve(item.segments, '$expand');
    if (item.nested) {
      this.add('syntax', 'warning', 'Nested options inside $expand are not documented for Sage 200 and may be ignored', item.nested.start, item.nested.end);
    }
    if (f && !f.ref) {
      let schema = this.schemaName;
      if (item.segments.length > 1) {
        schema = this.ctx.catalog.field(this.schemaName, item.segments.slice(0, -1).map((s) => s.name).join('.'))?.ref ?? schema;
      }
      const options = this.ctx.catalog.expandable(schema).map((e) => e.name);
      this.add('expand-not-expandable', 'error',
        `'${item.path}' is a ${f.type} field, not a child entity that $expand can follow${options.length ? ` (expandable: ${options.slice(0, 8).join(', ')}${options.length > 8 ? ', …' : ''})` : ''}`,
        item.start, item.end);
    }
  }

  /** An expression in boolean position: a comparison, a function, a logical combination, or a boolean field. */
  private checkCondition(e: FilterExpr, depth: number): void {
    switch (e.kind) {
      case 'logical':
        for (const op of e.operands) this.checkCondition(op, depth + 1);
        return;
      case 'not':
        this.checkCondition(e.operand, depth + 1);
        return;
      case 'paren':
        this.checkCondition(e.expr, depth + 1);
        return;
      case 'compare':
        this.checkCompare(e);
        return;
      case 'call':
        this.checkCall(e);
        return;
      case 'field': {
        const f = this.resolve(e.segments, '$filter');
        if (f && f.type !== 'boolean') {
          this.add('type-mismatch', 'error', `'${e.path}' is a ${describe(f)} field, not a condition: compare it, e.g. ${e.path} eq …`, e.start, e.end);
        }
        return;
      }
      case 'literal':
        if (e.type !== 'boolean') this.add('type-mismatch', 'error', `Expected a condition, not the value ${e.raw}`, e.start, e.end);
        return;
      default:
        return;
    }
  }

  private checkCall(e: Extract<FilterExpr, { kind: 'call' }>): void {
    const fn = e.name;
    if (!(FILTER_FUNCTIONS as readonly string[]).includes(fn)) {
      const guess = closest(fn.toLowerCase(), FILTER_FUNCTIONS);
      this.add('unknown-function', 'error', `Sage 200 supports only contains, startswith and endswith in $filter, not '${fn}'`, e.nameStart, e.nameEnd,
        guess ? { title: `Change to ${guess}`, edits: [{ start: e.nameStart, end: e.nameEnd, newText: guess }] } : undefined);
      for (const a of e.args) if (a.kind === 'field') this.resolve(a.segments, '$filter');
      return;
    }
    if (e.args.length !== 2) {
      this.add('syntax', 'error', `${fn} takes two arguments: ${fn}(field,'text')`, e.start, e.end);
    }
    const [target, value] = e.args;
    if (target) {
      if (target.kind === 'field') {
        const f = this.resolve(target.segments, '$filter');
        if (f && f.type !== 'string') {
          this.add('type-mismatch', 'error', `${fn} works on text fields; '${target.path}' is a ${describe(f)} field`, target.start, target.end);
        }
      } else if (target.kind === 'literal' && target.type === 'string' && value?.kind === 'field') {
        this.add('syntax', 'error', `The field comes first: ${fn}(${value.path},${target.raw})`, e.start, e.end);
      } else if (target.kind !== 'variable' && target.kind !== 'error') {
        this.add('type-mismatch', 'error', `The first argument of ${fn} must be a text field`, target.start, target.end);
      }
    }
    if (value) {
      if (value.kind === 'field' && target?.kind === 'field') {
        const asField = this.resolve(value.segments, '$filter', false);
        if (!asField) this.unquoted(value);
      } else if (value.kind === 'literal' && value.type !== 'string') {
        this.add('type-mismatch', 'error', `The second argument of ${fn} must be quoted text, e.g. '${String(value.value)}'`, value.start, value.end,
          value.type === 'number' ? quoteFix(value.raw, value.start, value.end) : undefined);
      }
    }
  }

  private unquoted(node: FieldNode): void {
    const text = node.segments.map((s) => s.name).join('.');
    this.add('unquoted-value', 'error', `Unquoted value '${text}': strings and enum values go in single quotes`, node.start, node.end,
      quoteFix(text, node.start, node.end));
  }

  private checkCompare(e: CompareNode): void {
    const { left, right } = e;
    let field: Field | undefined;
    let fieldNode: FieldNode | undefined;
    let other: FilterExpr;
    if (left.kind === 'field') {
      fieldNode = left;
      field = this.resolve(left.segments, '$filter');
      other = right;
    } else if (right.kind === 'field' && left.kind === 'literal') {
      // `1000 lt balance`: legal OData, value on the left.
      fieldNode = right;
      field = this.resolve(right.segments, '$filter');
      other = left;
    } else {
      other = right;
      if (left.kind === 'compare' || left.kind === 'logical' || left.kind === 'call' || left.kind === 'not' || left.kind === 'paren') {
        // `startswith(name,'A') eq true` is legal OData; anything else compares a condition with a value.
        this.checkCondition(left, 0);
        const boolTest = right.kind === 'literal' && right.type === 'boolean' && (e.op === 'eq' || e.op === 'ne');
        if (!boolTest) this.add('type-mismatch', 'error', `A condition can only be compared with true or false using eq or ne`, left.start, right.end);
        return;
      }
    }
    if (other.kind === 'literal' && other.type === 'datetime') this.checkZone(other);
    if (other !== right && right.kind === 'literal' && right.type === 'datetime') this.checkZone(right);
    if (!field || !fieldNode) {
      if (other.kind === 'field' && other !== fieldNode) this.resolve(other.segments, '$filter');
      return;
    }
    if (other.kind === 'field') {
      // Either a field-to-field comparison, or (commonly) a forgotten pair of quotes.
      const otherField = this.resolve(other.segments, '$filter', false);
      if (otherField) {
        if (kindOf(field) !== kindOf(otherField)) {
          this.add('type-mismatch', 'warning', `Comparing '${fieldNode.path}' (${describe(field)}) with '${other.path}' (${describe(otherField)})`, e.start, e.end);
        }
        return;
      }
      if (field.type === 'string' || field.type === 'datetime') {
        if (field.type === 'string') this.unquoted(other);
        else this.add('type-mismatch', 'error', `'${other.path}' is not a date: '${fieldNode.path}' is a date-time field; write e.g. 2016-01-31`, other.start, other.end);
      } else if (field.type === 'boolean') {
        const lower = other.path.toLowerCase();
        this.add('type-mismatch', 'error', `'${fieldNode.path}' is a boolean field: compare it with true or false`, other.start, other.end,
          lower === 'true' || lower === 'false' ? { title: `Change to ${lower}`, edits: [{ start: other.start, end: other.end, newText: lower }] } : undefined);
      } else {
        this.add('unknown-field', 'error', `'${other.path}' is neither a field of '${this.schemaName}' nor a ${describe(field)}`, other.start, other.end);
      }
      return;
    }
    if (other.kind !== 'literal') return;
    this.checkLiteral(field, fieldNode, e, other);
  }

  private checkZone(lit: LiteralNode): void {
    if (lit.zone === 'Z') return;
    if (lit.zone === undefined) {
      this.add('datetime-missing-z', 'error', `Date-time ${lit.raw} has no time zone: Sage 200 needs UTC with a trailing Z`, lit.start, lit.end,
        { title: 'Add Z (UTC)', edits: [{ start: lit.end, end: lit.end, newText: 'Z' }] });
    } else {
      const ms = Date.parse(lit.raw);
      const fix = Number.isNaN(ms) ? undefined : { title: 'Convert to UTC (Z)', edits: [{ start: lit.start, end: lit.end, newText: new Date(ms).toISOString() }] };
      this.add('datetime-missing-z', 'warning', `Date-time ${lit.raw} uses an offset: Sage 200 expects UTC with a trailing Z`, lit.start, lit.end, fix);
    }
  }

  /**
   * A quoted name compared with an enum field whose every value a public source lists. A number
   * (`'2'`) is always accepted: which number means which name is not public, so it is never judged.
   */
  private checkEnumValue(path: string, lit: LiteralNode): void {
    const value = lit.value as string;
    if (value === '' || /^\d+$/.test(value) || value.includes('{{')) return;
    const set = this.ctx.catalog.enumValues(this.schemaName, path);
    if (!set?.complete || isKnownEnumValue(set, value)) return;
    const guess = closestEnum(value, set.values);
    const list = set.values.length > 8 ? `${set.values.slice(0, 8).join(', ')}, …` : set.values.join(', ');
    this.add('unknown-enum-value', 'error',
      `'${value}' is not a value of ${path} (${list})${guess ? `. Did you mean '${guess}'?` : ''}`, lit.start, lit.end,
      guess ? { title: `Change to '${guess}'`, edits: [{ start: lit.start, end: lit.end, newText: `'${guess}'` }] } : undefined);
  }

  private checkLiteral(field: Field, node: FieldNode, e: CompareNode, lit: LiteralNode): void {
    const name = node.path;
    const mismatch = (message: string, fix?: QuickFix, severity: Severity = 'error') => this.add('type-mismatch', severity, message, lit.start, lit.end, fix);
    if (lit.type === 'null') return;
    switch (field.type) {
      case 'string':
        // No maxLength check on values: Sage's maxLength is wrong for enum fields (document_status
        // has 20, yet holds 'EnumDocumentStatusComplete'), so it would flag valid filters.
        if (lit.type === 'string') {
          this.checkEnumValue(name, lit);
          return;
        }
        mismatch(`'${name}' is a text field: quote the value, e.g. '${lit.raw}'`, lit.type === 'number' || lit.type === 'boolean' || lit.type === 'date' ? quoteFix(lit.raw, lit.start, lit.end) : undefined);
        return;
      case 'integer':
      case 'number':
        if (lit.type === 'number') {
          if (field.type === 'integer' && !lit.integer) mismatch(`'${name}' is a whole-number field; ${lit.raw} has a fraction`, undefined, 'warning');
          return;
        }
        if (lit.type === 'string' && /^-?\d+(\.\d+)?$/.test(lit.value as string)) {
          mismatch(`'${name}' is a number field: remove the quotes`, { title: 'Remove the quotes', edits: [{ start: lit.start, end: lit.end, newText: lit.value as string }] });
          return;
        }
        mismatch(`'${name}' is a number field; ${lit.raw} is ${article(lit.type)}`);
        return;
      case 'boolean':
        if (lit.type === 'boolean') {
          if (e.op !== 'eq' && e.op !== 'ne') mismatch(`'${e.op}' does not order booleans; use eq or ne with '${name}'`, undefined, 'warning');
          return;
        }
        if (lit.type === 'string' && /^(true|false)$/i.test(lit.value as string)) {
          const v = (lit.value as string).toLowerCase();
          mismatch(`'${name}' is a boolean field: write ${v} without quotes`, { title: `Change to ${v}`, edits: [{ start: lit.start, end: lit.end, newText: v }] });
          return;
        }
        mismatch(`'${name}' is a boolean field: compare it with true or false`);
        return;
      case 'datetime':
        if (lit.type === 'date' || lit.type === 'datetime') return;
        if (lit.type === 'string' && /^\d{4}-\d\d-\d\d(T[\d:.]+Z?)?$/.test(lit.value as string)) {
          mismatch(`Dates are written bare in OData: remove the quotes around ${lit.raw}`, { title: 'Remove the quotes', edits: [{ start: lit.start, end: lit.end, newText: lit.value as string }] });
          return;
        }
        mismatch(`'${name}' is a date-time field; write a date such as 2016-01-31 or 2016-01-31T09:30:00Z`);
        return;
      default:
        this.add('type-mismatch', 'error', `Cannot compare '${name}': it is ${field.type === 'array' ? 'a list' : 'an object'}; compare one of its fields, e.g. ${name}.id`, node.start, node.end);
    }
  }
}

function byPosition(a: ODataDiagnostic, b: ODataDiagnostic): number {
  return a.start - b.start || a.end - b.end;
}

/** Comparable families: integers and decimals compare with each other. */
function kindOf(f: Field): string {
  return f.type === 'integer' ? 'number' : f.type;
}

function article(t: LiteralNode['type']): string {
  switch (t) {
    case 'string': return 'quoted text';
    case 'boolean': return 'a boolean';
    case 'date': return 'a date';
    case 'datetime': return 'a date-time';
    default: return `a ${t}`;
  }
}

/** Human name of a field type for messages. */
export function describe(f: Field): string {
  switch (f.type) {
    case 'string': return 'text';
    case 'datetime': return 'date-time';
    case 'integer': return 'whole-number';
    case 'array': return 'list';
    default: return f.type;
  }
}

function quoteFix(text: string, start: number, end: number): QuickFix {
  return { title: 'Quote the value', edits: [{ start, end, newText: `'${text.replace(/'/g, "''")}'` }] };
}

// Name -> field per catalog and schema. `catalog.field` splits a dotted path on every call; a path
// segment is a single name, and validating a large file looks up thousands of them.
const fieldsByName = new WeakMap<Catalog, Map<string, Map<string, Field>>>();

function fieldNamed(catalog: Catalog, schema: string, name: string): Field | undefined {
  return fieldsNamed(catalog, schema).get(name);
}

function fieldsNamed(catalog: Catalog, schema: string): Map<string, Field> {
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

function guessField(catalog: Catalog, schema: string, word: string): string | undefined {
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
function closestEnum(word: string, values: readonly string[]): string | undefined {
  return nearest(word.toLowerCase(), values, Math.max(2, Math.min(6, Math.floor(word.length / 3))), toLower);
}

function toLower(s: string): string {
  return s.toLowerCase();
}
