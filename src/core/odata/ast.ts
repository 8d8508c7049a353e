/**
 * The typed syntax tree of the Sage 200 OData subset. Every node carries absolute `[start, end)`
 * offsets (the caller's `offset` plus the index in the parsed text), so editors can underline,
 * hover and quick-fix exactly, and the sandbox can point at a column.
 */

export interface Range {
  readonly start: number;
  readonly end: number;
}

/** The six comparison operators Sage accepts. */
export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export const COMPARE_OPS: readonly CompareOp[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];

/** The string functions Sage accepts in `$filter`. */
export const FILTER_FUNCTIONS = ['contains', 'startswith', 'endswith'] as const;
export type FilterFunction = typeof FILTER_FUNCTIONS[number];

/** One `name` step of a dotted path (`customer.name` has two). */
export interface PathSegment extends Range {
  readonly name: string;
}

/**
 * A field reference. In comparison position an unquoted word such as `EnumDocumentStatusComplete`
 * also parses as a field node: the validator decides whether it is a real field or an unquoted value.
 */
export interface FieldNode extends Range {
  readonly kind: 'field';
  /** Segments joined with `.` (a `/` separator, OData's navigation syntax, is normalised to `.`). */
  readonly path: string;
  readonly segments: readonly PathSegment[];
}

export type LiteralType = 'string' | 'number' | 'boolean' | 'null' | 'date' | 'datetime';

export interface LiteralNode extends Range {
  readonly kind: 'literal';
  readonly type: LiteralType;
  /**
   * string: the unescaped text; number: the numeric value; boolean; null;
   * date / datetime: the text as written (ISO), compared via `Date.UTC`.
   */
  readonly value: string | number | boolean | null;
  /** The source text of the literal (for strings, with quotes and `''` escapes). */
  readonly raw: string;
  /** number only: written without a fraction or exponent. */
  readonly integer?: boolean;
  /** datetime only: `'Z'`, an offset such as `'+01:00'`, or absent when no zone was written. */
  readonly zone?: string;
  /** string only: false when the closing quote is missing. */
  readonly terminated?: boolean;
}

/** A request-file variable such as `{{customerId}}`, left for the request layer to substitute. */
export interface VariableNode extends Range {
  readonly kind: 'variable';
  readonly name: string;
}

/** A placeholder where the parser expected an operand and found none (keeps the tree partial but whole). */
export interface ErrorNode extends Range {
  readonly kind: 'error';
}

export interface CompareNode extends Range {
  readonly kind: 'compare';
  readonly op: CompareOp;
  /** Range of the operator word. */
  readonly opStart: number;
  readonly opEnd: number;
  readonly left: FilterExpr;
  readonly right: FilterExpr;
}

/** `and` / `or` chains are n-ary (flattened), so long chains never make a deep tree. */
export interface LogicalNode extends Range {
  readonly kind: 'logical';
  readonly op: 'and' | 'or';
  readonly operands: readonly FilterExpr[];
}

export interface NotNode extends Range {
  readonly kind: 'not';
  readonly operand: FilterExpr;
}

export interface ParenNode extends Range {
  readonly kind: 'paren';
  readonly expr: FilterExpr;
  /** False when the closing `)` is missing. */
  readonly closed: boolean;
}

/** A function call such as `contains(name,'ltd')`. Unknown function names parse too; the validator flags them. */
export interface CallNode extends Range {
  readonly kind: 'call';
  readonly name: string;
  readonly nameStart: number;
  readonly nameEnd: number;
  readonly args: readonly FilterExpr[];
  readonly closed: boolean;
}

export type FilterExpr =
  | CompareNode | LogicalNode | NotNode | ParenNode | CallNode
  | FieldNode | LiteralNode | VariableNode | ErrorNode;

/** Codes of problems found while parsing (the validator adds semantic ones). */
export type SyntaxErrorCode =
  | 'syntax' | 'too-deep' | 'bad-number' | 'bad-boolean' | 'duplicate-option' | 'bad-encoding';

export interface ODataSyntaxError extends Range {
  readonly code: SyntaxErrorCode;
  readonly message: string;
}

/** The query options this parser understands. */
export const KNOWN_OPTIONS = ['$filter', '$select', '$expand', '$orderby', '$top', '$skip', '$count', '$metadata'] as const;
export type KnownOption = typeof KNOWN_OPTIONS[number];

/** One `name=value` pair of the query string, as written. */
export interface QueryOption extends Range {
  /** The name as written (e.g. `$filter`, `$Top`, `foo`). */
  readonly name: string;
  /** The recognised option (matched case-insensitively), or undefined for any other parameter. */
  readonly known?: KnownOption;
  readonly nameStart: number;
  readonly nameEnd: number;
  /** False for a bare `name` without `=`. */
  readonly hasEquals: boolean;
  readonly value: string;
  readonly valueStart: number;
  readonly valueEnd: number;
}

/** An item of `$select` / `$expand`: a dotted path, or `*`. */
export interface PathItem extends Range {
  readonly path: string;
  readonly segments: readonly PathSegment[];
  /** `$expand` only: the raw text of a nested `( … )` clause, which Sage's docs leave unverified. */
  readonly nested?: Range & { readonly text: string };
}

export interface OrderByItem extends Range {
  readonly path: string;
  readonly segments: readonly PathSegment[];
  readonly dir: 'asc' | 'desc';
  /** Range of the `asc`/`desc` word when one was written. */
  readonly dirRange?: Range;
}

export interface FilterOption { readonly option: QueryOption; readonly expr?: FilterExpr }
export interface PathListOption { readonly option: QueryOption; readonly items: readonly PathItem[] }
export interface OrderByOption { readonly option: QueryOption; readonly items: readonly OrderByItem[] }
export interface NumberOption {
  readonly option: QueryOption;
  /** The integer written (may be negative or huge: the validator judges the range), or undefined on error. */
  readonly value?: number;
  /** True when the value is, or contains, a request-file variable (`{{top}}`): it cannot be judged yet. */
  readonly variable?: boolean;
}
export interface BooleanOption {
  readonly option: QueryOption;
  readonly value?: boolean;
  /** True when the value is, or contains, a request-file variable (`{{count}}`): it cannot be judged yet. */
  readonly variable?: boolean;
}

/** The parsed query string. Options are kept in order; the first of a duplicated option wins. */
export interface QueryOptions {
  /** The text that the ranges refer to (for the encoded parser: the decoded query). */
  readonly text: string;
  readonly offset: number;
  readonly options: readonly QueryOption[];
  readonly filter?: FilterOption;
  readonly select?: PathListOption;
  readonly expand?: PathListOption;
  readonly orderby?: OrderByOption;
  readonly top?: NumberOption;
  readonly skip?: NumberOption;
  readonly count?: BooleanOption;
  readonly metadata?: BooleanOption;
  /** Parameters that are not one of the known options (kept, e.g. for `unknown-option`). */
  readonly unknown: readonly QueryOption[];
  readonly errors: readonly ODataSyntaxError[];
}
