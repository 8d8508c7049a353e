/**
 * Sage-aware checks of a parsed query against the catalog. Pure: the editor shows the result as
 * diagnostics with quick fixes, the CLI prints it, and the sandbox turns errors into 400 answers.
 */

import type { Catalog, Edition, Field } from '../catalog';
import { KNOWN_OPTIONS, PathSegment, QueryOptions, SyntaxErrorCode } from './ast';
import { closest, fieldNamed, fieldsNamed, guessField } from './fieldNames';
import { SAGE_MAX_TOP as TOP_MAX } from './paging';
import { FilterChecker, FilterScope } from './validateFilter';

export { closest } from './fieldNames';
export { describe } from './validateFilter';

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

class Validator implements FilterScope {
  private readonly out: ODataDiagnostic[] = [];
  /**
   * Paths in `$expand` as a tree of their steps (`lines.product` expands `lines` too), made only when
   * there is one. A tree, not a set of every prefix: a deep path's prefixes add up to its length squared.
   */
  private readonly expanded: ExpandedStep | undefined;

  constructor(private readonly q: QueryOptions, readonly ctx: ValidateContext) {
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
    if (q.filter?.expr) new FilterChecker(this).checkCondition(q.filter.expr, 0);
    // In reading order, as editors and the CLI list them (most queries have nothing to sort).
    return this.out.length > 1 ? this.out.sort(byPosition) : this.out;
  }

  add(code: DiagnosticCode, severity: ODataDiagnostic['severity'], message: string, start: number, end: number, fix?: QuickFix): void {
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
  resolve(segments: readonly PathSegment[], where: string, report = true): Field | undefined {
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
}

function byPosition(a: ODataDiagnostic, b: ODataDiagnostic): number {
  return a.start - b.start || a.end - b.end;
}
