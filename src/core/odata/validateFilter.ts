/**
 * The `$filter` checks of the query validator: conditions, function calls, and comparisons of a
 * field with a literal (types, enum values, time zones, unquoted text).
 */
import type { Field } from '../catalog';
import { isKnownEnumValue } from '../catalog/enums';
import { CompareNode, FILTER_FUNCTIONS, FieldNode, FilterExpr, LiteralNode, PathSegment } from './ast';
import { closest, closestEnum } from './fieldNames';
import { holdsVariable } from './queryLists';
import type { DiagnosticCode, ODataDiagnostic, QuickFix, Severity, ValidateContext } from './validate';

/** What the `$filter` checks use of the query's validator: its context, its report, and path resolution. */
export interface FilterScope {
  readonly ctx: ValidateContext;
  add(code: DiagnosticCode, severity: ODataDiagnostic['severity'], message: string, start: number, end: number, fix?: QuickFix): void;
  /** The field a path leads to, or undefined (reported, unless `report` is false). */
  resolve(segments: readonly PathSegment[], where: string, report?: boolean): Field | undefined;
}

export class FilterChecker {
  constructor(private readonly scope: FilterScope) {}

  /** An expression in boolean position: a comparison, a function, a logical combination, or a boolean field. */
  checkCondition(e: FilterExpr, depth: number): void {
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
        const f = this.scope.resolve(e.segments, '$filter');
        if (f && f.type !== 'boolean') {
          this.scope.add('type-mismatch', 'error', `'${e.path}' is a ${describe(f)} field, not a condition: compare it, e.g. ${e.path} eq …`, e.start, e.end);
        }
        return;
      }
      case 'literal':
        if (e.type !== 'boolean') this.scope.add('type-mismatch', 'error', `Expected a condition, not the value ${e.raw}`, e.start, e.end);
        return;
      default:
        return;
    }
  }

  private checkCall(e: Extract<FilterExpr, { kind: 'call' }>): void {
    const fn = e.name;
    if (!(FILTER_FUNCTIONS as readonly string[]).includes(fn)) {
      const guess = closest(fn.toLowerCase(), FILTER_FUNCTIONS);
      this.scope.add('unknown-function', 'error', `Sage 200 supports only contains, startswith and endswith in $filter, not '${fn}'`, e.nameStart, e.nameEnd,
        guess ? { title: `Change to ${guess}`, edits: [{ start: e.nameStart, end: e.nameEnd, newText: guess }] } : undefined);
      for (const a of e.args) if (a.kind === 'field') this.scope.resolve(a.segments, '$filter');
      return;
    }
    if (e.args.length !== 2) {
      this.scope.add('syntax', 'error', `${fn} takes two arguments: ${fn}(field,'text')`, e.start, e.end);
    }
    const [target, value] = e.args;
    if (target) {
      if (target.kind === 'field') {
        const f = this.scope.resolve(target.segments, '$filter');
        if (f && f.type !== 'string') {
          this.scope.add('type-mismatch', 'error', `${fn} works on text fields; '${target.path}' is a ${describe(f)} field`, target.start, target.end);
        }
      } else if (target.kind === 'literal' && target.type === 'string' && value?.kind === 'field') {
        this.scope.add('syntax', 'error', `The field comes first: ${fn}(${value.path},${target.raw})`, e.start, e.end);
      } else if (target.kind !== 'variable' && target.kind !== 'error') {
        this.scope.add('type-mismatch', 'error', `The first argument of ${fn} must be a text field`, target.start, target.end);
      }
    }
    if (value) {
      if (value.kind === 'field' && target?.kind === 'field') {
        const asField = this.scope.resolve(value.segments, '$filter', false);
        if (!asField) this.unquoted(value);
      } else if (value.kind === 'literal' && value.type !== 'string') {
        this.scope.add('type-mismatch', 'error', `The second argument of ${fn} must be quoted text, e.g. '${String(value.value)}'`, value.start, value.end,
          value.type === 'number' ? quoteFix(value.raw, value.start, value.end) : undefined);
      }
    }
  }

  private unquoted(node: FieldNode): void {
    const text = node.segments.map((s) => s.name).join('.');
    this.scope.add('unquoted-value', 'error', `Unquoted value '${text}': strings and enum values go in single quotes`, node.start, node.end,
      quoteFix(text, node.start, node.end));
  }

  private checkCompare(e: CompareNode): void {
    const { left, right } = e;
    let field: Field | undefined;
    let fieldNode: FieldNode | undefined;
    let other: FilterExpr;
    if (left.kind === 'field') {
      fieldNode = left;
      field = this.scope.resolve(left.segments, '$filter');
      other = right;
    } else if (right.kind === 'field' && left.kind === 'literal') {
      // `1000 lt balance`: legal OData, value on the left.
      fieldNode = right;
      field = this.scope.resolve(right.segments, '$filter');
      other = left;
    } else {
      other = right;
      if (left.kind === 'compare' || left.kind === 'logical' || left.kind === 'call' || left.kind === 'not' || left.kind === 'paren') {
        // `startswith(name,'A') eq true` is legal OData; anything else compares a condition with a value.
        this.checkCondition(left, 0);
        const boolTest = right.kind === 'literal' && right.type === 'boolean' && (e.op === 'eq' || e.op === 'ne');
        if (!boolTest) this.scope.add('type-mismatch', 'error', `A condition can only be compared with true or false using eq or ne`, left.start, right.end);
        return;
      }
    }
    if (other.kind === 'literal' && other.type === 'datetime') this.checkZone(other);
    if (other !== right && right.kind === 'literal' && right.type === 'datetime') this.checkZone(right);
    if (!field || !fieldNode) {
      if (other.kind === 'field' && other !== fieldNode) this.scope.resolve(other.segments, '$filter');
      return;
    }
    if (other.kind === 'field') {
      // Either a field-to-field comparison, or (commonly) a forgotten pair of quotes.
      const otherField = this.scope.resolve(other.segments, '$filter', false);
      if (otherField) {
        if (kindOf(field) !== kindOf(otherField)) {
          this.scope.add('type-mismatch', 'warning', `Comparing '${fieldNode.path}' (${describe(field)}) with '${other.path}' (${describe(otherField)})`, e.start, e.end);
        }
        return;
      }
      if (field.type === 'string' || field.type === 'datetime') {
        if (field.type === 'string') this.unquoted(other);
        else this.scope.add('type-mismatch', 'error', `'${other.path}' is not a date: '${fieldNode.path}' is a date-time field; write e.g. 2016-01-31`, other.start, other.end);
      } else if (field.type === 'boolean') {
        const lower = other.path.toLowerCase();
        this.scope.add('type-mismatch', 'error', `'${fieldNode.path}' is a boolean field: compare it with true or false`, other.start, other.end,
          lower === 'true' || lower === 'false' ? { title: `Change to ${lower}`, edits: [{ start: other.start, end: other.end, newText: lower }] } : undefined);
      } else {
        this.scope.add('unknown-field', 'error', `'${other.path}' is neither a field of '${this.scope.ctx.schema}' nor a ${describe(field)}`, other.start, other.end);
      }
      return;
    }
    if (other.kind !== 'literal') return;
    this.checkLiteral(field, fieldNode, e, other);
  }

  private checkZone(lit: LiteralNode): void {
    if (lit.zone === 'Z') return;
    if (lit.zone === undefined) {
      this.scope.add('datetime-missing-z', 'error', `Date-time ${lit.raw} has no time zone: Sage 200 needs UTC with a trailing Z`, lit.start, lit.end,
        { title: 'Add Z (UTC)', edits: [{ start: lit.end, end: lit.end, newText: 'Z' }] });
    } else {
      const ms = Date.parse(lit.raw);
      const fix = Number.isNaN(ms) ? undefined : { title: 'Convert to UTC (Z)', edits: [{ start: lit.start, end: lit.end, newText: new Date(ms).toISOString() }] };
      this.scope.add('datetime-missing-z', 'warning', `Date-time ${lit.raw} uses an offset: Sage 200 expects UTC with a trailing Z`, lit.start, lit.end, fix);
    }
  }

  /**
   * A quoted name compared with an enum field whose every value a public source lists. A number
   * (`'2'`) is always accepted: which number means which name is not public, so it is never judged.
   */
  private checkEnumValue(path: string, lit: LiteralNode): void {
    const value = lit.value as string;
    if (value === '' || /^\d+$/.test(value) || holdsVariable(value)) return;
    const set = this.scope.ctx.catalog.enumValues(this.scope.ctx.schema, path);
    if (!set?.complete || isKnownEnumValue(set, value)) return;
    const guess = closestEnum(value, set.values);
    const list = set.values.length > 8 ? `${set.values.slice(0, 8).join(', ')}, …` : set.values.join(', ');
    this.scope.add('unknown-enum-value', 'error',
      `'${value}' is not a value of ${path} (${list})${guess ? `. Did you mean '${guess}'?` : ''}`, lit.start, lit.end,
      guess ? { title: `Change to '${guess}'`, edits: [{ start: lit.start, end: lit.end, newText: `'${guess}'` }] } : undefined);
  }

  private checkLiteral(field: Field, node: FieldNode, e: CompareNode, lit: LiteralNode): void {
    const name = node.path;
    const mismatch = (message: string, fix?: QuickFix, severity: Severity = 'error') => this.scope.add('type-mismatch', severity, message, lit.start, lit.end, fix);
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
        this.scope.add('type-mismatch', 'error', `Cannot compare '${name}': it is ${field.type === 'array' ? 'a list' : 'an object'}; compare one of its fields, e.g. ${name}.id`, node.start, node.end);
    }
  }
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
