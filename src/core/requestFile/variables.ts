import { randomUUID } from 'crypto';
import { isMultiPath, JsonPathError, parseJsonPath, queryJsonPath } from './jsonPath';
import { classifyRef } from './parser';
import { ParsedRequestFile, Span, VariableRef } from './types';

/** What a named request left behind when it was sent: enough for `{{name.response.…}}` and `{{name.request.…}}`. */
export interface NamedExchange {
  readonly response: {
    readonly status: number;
    /** Lower-cased names. */
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
    readonly json?: unknown;
  };
  readonly request?: {
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
  };
}

/**
 * The side of variable resolution that needs the outside world. The editor asks the user for
 * prompts, reads `.env` beside the file and keeps responses; the CLI and tests pass their own.
 */
export interface VariableHost {
  /** `{{$prompt name description}}`: undefined means the user cancelled. */
  prompt?(name: string, description?: string): Promise<string | undefined>;
  /** `{{$dotenv NAME}}` */
  dotenv?(name: string): Promise<string | undefined> | string | undefined;
  /**
   * The last exchange of the request named `name` in this file. The editor may offer to send the
   * request first when it has not been sent yet.
   */
  exchange?(name: string): Promise<NamedExchange | undefined> | NamedExchange | undefined;
}

/** `sage200.environments`: `{ "$shared": {...}, "dev": {...} }`. */
export type Environments = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface VariableContext {
  readonly environments?: Environments;
  /** The active environment's name; `$shared` applies always. */
  readonly environment?: string;
  /** The active site GUID and company id, for `{{$site}}` / `{{$company}}` and the X- headers. */
  readonly site?: string;
  readonly company?: string | number;
  readonly host?: VariableHost;
  /** Injected for tests. */
  readonly now?: () => Date;
  readonly uuid?: () => string;
}

export const SYSTEM_VARIABLES: readonly { name: string; detail: string; insert: string }[] = [
  { name: '$site', detail: 'The active site id (X-Site)', insert: '$site' },
  { name: '$company', detail: 'The active company id (X-Company)', insert: '$company' },
  { name: '$guid', detail: 'A new random GUID', insert: '$guid' },
  { name: '$timestamp', detail: 'Unix time in seconds; optional offset: $timestamp -1 d', insert: '$timestamp' },
  { name: '$datetime', detail: 'Date-time now: $datetime iso8601 | rfc1123 [offset unit]', insert: '$datetime iso8601' },
  { name: '$localDatetime', detail: 'Local date-time now: $localDatetime iso8601 | rfc1123', insert: '$localDatetime iso8601' },
  { name: '$randomInt', detail: 'A random integer: $randomInt min max', insert: '$randomInt 1 100' },
  { name: '$dotenv', detail: 'A value from the .env file beside the request file', insert: '$dotenv NAME' },
  { name: '$prompt', detail: 'Ask for a value when sending', insert: '$prompt name' },
];
const SYSTEM_NAMES = new Set(SYSTEM_VARIABLES.map((v) => v.name));

export class VariableError extends Error {
  constructor(message: string, readonly span: Span) {
    super(message);
    this.name = 'VariableError';
  }
}

/** Where a plain variable's value comes from. File variables win over environments, and the active environment over `$shared`. */
export interface VariableDefinition {
  readonly name: string;
  readonly value: string;
  readonly source: 'file' | 'environment' | 'shared';
  readonly span?: Span;
}

export function variableScope(file: Pick<ParsedRequestFile, 'fileVariables'>, ctx: VariableContext): Map<string, VariableDefinition> {
  const scope = new Map<string, VariableDefinition>();
  const shared = ctx.environments?.['$shared'] ?? {};
  for (const [name, value] of Object.entries(shared)) scope.set(name, { name, value: String(value), source: 'shared' });
  const active = ctx.environment && ctx.environment !== '$shared' ? ctx.environments?.[ctx.environment] ?? {} : {};
  for (const [name, value] of Object.entries(active)) scope.set(name, { name, value: String(value), source: 'environment' });
  for (const v of file.fileVariables) scope.set(v.name, { name: v.name, value: v.value, source: 'file', span: v.nameSpan });
  return scope;
}

/** A problem with a reference that can be known without sending anything, or undefined. */
export function checkRef(
  ref: VariableRef, file: Pick<ParsedRequestFile, 'requests'>, scope: ReadonlyMap<string, VariableDefinition>, requestNames?: ReadonlySet<string>,
): { message: string; severity: 'error' | 'warning' } | undefined {
  if (ref.kind === 'system') {
    if (!SYSTEM_NAMES.has(ref.name)) return { message: `Unknown system variable ${ref.name}.`, severity: 'error' };
    if ((ref.name === '$dotenv' || ref.name === '$prompt') && !ref.args?.length) {
      return { message: `${ref.name} needs a name, for example {{${ref.name} NAME}}.`, severity: 'error' };
    }
    if (ref.name === '$datetime' || ref.name === '$localDatetime') {
      const fmt = ref.args?.[0];
      if (fmt && !/^(iso8601|rfc1123)$/.test(fmt) && !/^['"]/.test(fmt)) {
        return { message: `Unknown date format "${fmt}": use iso8601 or rfc1123.`, severity: 'error' };
      }
    }
    return undefined;
  }
  if (ref.kind === 'response') {
    if (!(requestNames ? requestNames.has(ref.name) : file.requests.some((r) => r.name === ref.name))) {
      return { message: `No request is named "${ref.name}": add "# @name ${ref.name}" above it.`, severity: 'error' };
    }
    if (ref.part === 'body' && ref.path && ref.path !== '*') {
      try {
        // Only the syntax matters here: parse the path without evaluating it on a stand-in value.
        parseJsonPath(ref.path);
      } catch (e) {
        if (e instanceof JsonPathError) return { message: `Invalid JSONPath: ${e.message}.`, severity: 'error' };
      }
    }
    return undefined;
  }
  if (!ref.name) return { message: 'Empty variable reference.', severity: 'error' };
  if (!scope.has(ref.name)) {
    return { message: `Undefined variable "${ref.name}": define it with "@${ref.name} = value" or in sage200.environments.`, severity: 'error' };
  }
  return undefined;
}

/**
 * How far variables may expand. A few hundred bytes of `@a1 = {{a0}}{{a0}}` lines double at each
 * line, and a long chain of variables nests as deep as it is long: past these limits a variable is
 * refused, with a message that says which limit, rather than freezing the editor or `send`.
 */
export const VARIABLE_LIMITS = {
  /** Variables that refer to variables, this many levels deep. */
  depth: 64,
  /** Characters of one variable's value, and of all values substituted into one request. */
  length: 1_000_000,
  /** `$` variables and response references reached through one variable (each is evaluated). */
  references: 10_000,
} as const;

/** What a file or environment variable expands to without the outside world. */
export type PlainExpansion =
  /** Only text and other such variables: its final value. */
  | { readonly kind: 'value'; readonly value: string; readonly depth: number; readonly length: number }
  /** It needs sending, prompting or time (a `$` or response reference, or an undefined name), resolved when sent. */
  | { readonly kind: 'open'; readonly depth: number; readonly length: number; readonly references: number }
  /** A cycle, or past a limit. `origin` is the variable where the problem arises; variables that use it share its message. */
  | { readonly kind: 'refused'; readonly code: 'variable-cycle' | 'variable-too-deep' | 'variable-too-large'; readonly message: string; readonly origin: string };

/** One variable being expanded, on the expander's own stack (a chain of 10,000 variables must not overflow the call stack). */
interface Frame {
  readonly name: string;
  readonly text: string;
  /** Finds the `{{…}}` of `text`; `lastIndex` is where the scan stands. */
  readonly refs: RegExp;
  /** End of the text consumed so far. */
  at: number;
  /** The value so far, while it is known (not open). */
  out: string;
  length: number;
  depth: number;
  references: number;
  open: boolean;
  refused?: PlainExpansion & { kind: 'refused' };
}

/**
 * Expands file and environment variables, each once (remembered), on an explicit stack. The work is
 * proportional to the variables' text: doubling variables cost one concatenation per reference,
 * not one per character of the result.
 */
export class PlainExpander {
  private readonly memo = new Map<string, PlainExpansion>();

  constructor(private readonly scope: ReadonlyMap<string, VariableDefinition>) {}

  /** The expansion of `name`, or undefined when it is not defined. */
  expand(name: string): PlainExpansion | undefined {
    const known = this.memo.get(name);
    if (known) return known;
    if (!this.scope.has(name)) return undefined;
    const stack = [this.frame(name)];
    const active = new Set([name]);
    let result: PlainExpansion | undefined;
    while (stack.length) {
      const f = stack[stack.length - 1];
      const m = f.refused ? null : f.refs.exec(f.text);
      if (!m) {
        stack.pop();
        active.delete(f.name);
        result = this.finish(f);
        this.memo.set(f.name, result);
        continue;
      }
      const end = m.index + m[0].length;
      const ref = classifyRef(f.text, m.index, end);
      let child: PlainExpansion | undefined;
      if (ref.kind === 'plain' && this.scope.has(ref.name)) {
        child = this.memo.get(ref.name);
        if (!child && active.has(ref.name)) {
          child = { kind: 'refused', code: 'variable-cycle', message: `Variable "${ref.name}" refers to itself.`, origin: ref.name };
        } else if (!child) {
          // Expand the variable first, then read this reference again (it is remembered by then).
          f.refs.lastIndex = m.index;
          stack.push(this.frame(ref.name));
          active.add(ref.name);
          continue;
        }
      }
      this.absorb(f, child, m.index, end);
    }
    return result;
  }

  private frame(name: string): Frame {
    const text = this.scope.get(name)!.value;
    return { name, text, refs: /\{\{[^{}]*\}\}/g, at: 0, out: '', length: 0, depth: 0, references: 0, open: false };
  }

  /** Takes in the reference at [start, end) of `f.text`: a variable's expansion, or (undefined) a reference the outside world resolves. */
  private absorb(f: Frame, child: PlainExpansion | undefined, start: number, end: number): void {
    if (child?.kind === 'refused') {
      f.refused = child;
      return;
    }
    f.length += start - f.at + (child ? child.length : 0);
    if (!child || child.kind === 'open') {
      f.open = true;
      f.references += child ? child.references : 1;
    } else if (!f.open) {
      f.out += f.text.slice(f.at, start) + child.value;
    }
    if (child) f.depth = Math.max(f.depth, child.depth);
    f.at = end;
    // Checked as it grows: the sum of many large values must not be built before it is refused.
    if (f.length > VARIABLE_LIMITS.length) f.refused = tooLarge(f.name);
    else if (f.references > VARIABLE_LIMITS.references) f.refused = tooManyReferences(f.name);
  }

  private finish(f: Frame): PlainExpansion {
    if (f.refused) return f.refused;
    const depth = f.depth + 1;
    if (depth > VARIABLE_LIMITS.depth) {
      return {
        kind: 'refused', code: 'variable-too-deep', origin: f.name,
        message: `Variable "${f.name}" nests variables more than ${VARIABLE_LIMITS.depth} levels deep.`,
      };
    }
    const length = f.length + f.text.length - f.at;
    if (length > VARIABLE_LIMITS.length) return tooLarge(f.name);
    if (f.open) return { kind: 'open', depth, length, references: f.references };
    return { kind: 'value', value: f.out + f.text.slice(f.at), depth, length };
  }
}

function tooLarge(name: string): PlainExpansion & { kind: 'refused' } {
  return {
    kind: 'refused', code: 'variable-too-large', origin: name,
    message: `Variable "${name}" expands to more than ${VARIABLE_LIMITS.length.toLocaleString('en-GB')} characters.`,
  };
}

function tooManyReferences(name: string): PlainExpansion & { kind: 'refused' } {
  return {
    kind: 'refused', code: 'variable-too-large', origin: name,
    message: `Variable "${name}" expands to more than ${VARIABLE_LIMITS.references.toLocaleString('en-GB')} $ variables or response references.`,
  };
}

/** One expander per scope, so that hover and diagnostics over one parse share what is expanded. */
const expanders = new WeakMap<ReadonlyMap<string, VariableDefinition>, PlainExpander>();

/** What `name` expands to in `scope` without the outside world (see `PlainExpander`), or undefined when it is not defined. */
export function expandPlain(name: string, scope: ReadonlyMap<string, VariableDefinition>): PlainExpansion | undefined {
  let expander = expanders.get(scope);
  if (!expander) expanders.set(scope, expander = new PlainExpander(scope));
  return expander.expand(name);
}

/** Resolves every `{{…}}` in `text` (a slice of the document starting at `base`), asynchronously. */
export class VariableResolver {
  private readonly scope: Map<string, VariableDefinition>;
  private readonly plain: PlainExpander;
  private readonly promptCache = new Map<string, string>();
  /** Characters substituted so far, for `VARIABLE_LIMITS.length` over the whole request. */
  private substituted = 0;
  /** Outside references reached through variables so far, for `VARIABLE_LIMITS.references` over the whole request. */
  private reached = 0;

  constructor(private readonly file: ParsedRequestFile, private readonly ctx: VariableContext) {
    this.scope = variableScope(file, ctx);
    this.plain = new PlainExpander(this.scope);
  }

  async substitute(text: string, base: number, refs: readonly VariableRef[]): Promise<string> {
    let out = '';
    let at = 0;
    for (const ref of refs) {
      const s = ref.span.start - base;
      const e = ref.span.end - base;
      if (s < at || e > text.length) continue;
      // Each use of a variable evaluates its `$` and response references again: many uses of one
      // that reaches thousands would multiply them.
      const expansion = ref.kind === 'plain' ? this.plain.expand(ref.name) : undefined;
      if (expansion?.kind === 'open') {
        this.reached += expansion.references;
        if (this.reached > VARIABLE_LIMITS.references) {
          throw new VariableError(`The variables of this request reach more than ${VARIABLE_LIMITS.references.toLocaleString('en-GB')} $ variables or response references.`, ref.span);
        }
      }
      const v = await this.value(ref);
      this.substituted += v.length;
      if (this.substituted > VARIABLE_LIMITS.length) {
        throw new VariableError(`The variables of this request expand to more than ${VARIABLE_LIMITS.length.toLocaleString('en-GB')} characters.`, ref.span);
      }
      out += text.slice(at, s) + v;
      at = e;
    }
    return out + text.slice(at);
  }

  /** Resolves a raw string with its own references (a file variable's value, an environment value). */
  private async substituteString(name: string, text: string, span: Span): Promise<string> {
    const re = /\{\{([^{}]*)\}\}/g;
    let out = '';
    let at = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      out += text.slice(at, m.index);
      const ref = classifyRef(text, m.index, m.index + m[0].length);
      out += await this.value({ ...ref, span });
      // `$dotenv` and response values are outside the expander's view: their sum is checked here.
      if (out.length > VARIABLE_LIMITS.length) throw new VariableError(tooLarge(name).message, span);
      at = m.index + m[0].length;
    }
    return out + text.slice(at);
  }

  async value(ref: VariableRef): Promise<string> {
    if (ref.kind === 'system') return this.system(ref);
    if (ref.kind === 'response') return this.response(ref);
    const def = this.scope.get(ref.name);
    if (!def) throw new VariableError(`Undefined variable "${ref.name}".`, ref.span);
    const e = this.plain.expand(ref.name)!;
    if (e.kind === 'refused') throw new VariableError(e.message, ref.span);
    if (e.kind === 'value') return e.value;
    // Open: its depth (so this recursion) and its number of outside references are within the limits.
    return this.substituteString(ref.name, def.value, ref.span);
  }

  private async system(ref: VariableRef): Promise<string> {
    const args = ref.args ?? [];
    const now = this.ctx.now?.() ?? new Date();
    switch (ref.name) {
      case '$site':
        if (!this.ctx.site) throw new VariableError('No site is selected: pick a site and company first.', ref.span);
        return this.ctx.site;
      case '$company':
        if (this.ctx.company === undefined) throw new VariableError('No company is selected: pick a site and company first.', ref.span);
        return String(this.ctx.company);
      case '$guid':
        return this.ctx.uuid?.() ?? randomUUID();
      case '$timestamp':
        return String(Math.floor(shift(now, args, 0, ref.span).getTime() / 1000));
      case '$datetime':
      case '$localDatetime':
        return formatDate(shift(now, args, 1, ref.span), args[0] ?? 'iso8601', ref.name === '$localDatetime', ref.span);
      case '$randomInt': {
        const min = Number(args[0] ?? 0);
        const max = Number(args[1] ?? 1000);
        if (!Number.isInteger(min) || !Number.isInteger(max) || max <= min) throw new VariableError('Use {{$randomInt min max}} with integers, min < max.', ref.span);
        return String(min + Math.floor(Math.random() * (max - min)));
      }
      case '$dotenv': {
        const name = args[0];
        const v = name ? await this.ctx.host?.dotenv?.(name) : undefined;
        if (v === undefined) throw new VariableError(`"${name ?? ''}" is not set in the .env file.`, ref.span);
        return v;
      }
      case '$prompt': {
        const name = args[0] ?? 'value';
        const cached = this.promptCache.get(name);
        if (cached !== undefined) return cached;
        if (!this.ctx.host?.prompt) throw new VariableError(`Cannot ask for "${name}" here.`, ref.span);
        const v = await this.ctx.host.prompt(name, args.slice(1).join(' ') || undefined);
        if (v === undefined) throw new VariableError(`No value given for "${name}".`, ref.span);
        this.promptCache.set(name, v);
        return v;
      }
      default:
        throw new VariableError(`Unknown system variable ${ref.name}.`, ref.span);
    }
  }

  private async response(ref: VariableRef): Promise<string> {
    if (!this.file.requests.some((r) => r.name === ref.name)) {
      throw new VariableError(`No request is named "${ref.name}".`, ref.span);
    }
    const exchange = await this.ctx.host?.exchange?.(ref.name);
    if (!exchange) throw new VariableError(`Request "${ref.name}" has not been sent yet.`, ref.span);
    const source = ref.source === 'request' ? exchange.request : exchange.response;
    if (!source) throw new VariableError(`Request "${ref.name}" has no recorded request.`, ref.span);
    const path = ref.path ?? '';
    if (ref.part === 'headers') {
      const name = path.replace(/^\./, '').toLowerCase();
      const headers = lowerKeys(source.headers);
      if (!name) return JSON.stringify(headers);
      const v = headers[name];
      if (v === undefined) throw new VariableError(`The ${ref.source} of "${ref.name}" has no header "${name}".`, ref.span);
      return v;
    }
    const bodyText = source.body ?? '';
    if (!path || path === '*') return bodyText;
    let json: unknown = 'json' in source ? source.json : undefined;
    if (json === undefined) {
      try {
        json = JSON.parse(bodyText);
      } catch {
        throw new VariableError(`The ${ref.source} body of "${ref.name}" is not JSON.`, ref.span);
      }
    }
    let matches: unknown[];
    try {
      matches = queryJsonPath(json, path.replace(/^\./, ''));
    } catch (e) {
      // Only a syntax error is the path's fault; anything else is a bug and must not be labelled as one.
      if (!(e instanceof JsonPathError)) throw e;
      throw new VariableError(`Invalid JSONPath "${path}": ${e.message}.`, ref.span);
    }
    if (isMultiPath(path)) return JSON.stringify(matches);
    if (matches.length === 0) throw new VariableError(`"${path}" matches nothing in the ${ref.source} of "${ref.name}".`, ref.span);
    const v = matches[0];
    return typeof v === 'string' ? v : JSON.stringify(v);
  }
}

function lowerKeys(h: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `{{$datetime iso8601 -1 d}}`: an optional offset and unit after the format. */
function shift(now: Date, args: readonly string[], from: number, span: Span): Date {
  const amount = args[from];
  const unit = args[from + 1];
  if (amount === undefined) return now;
  if (!/^[+-]?\d+$/.test(amount) || unit === undefined) throw new VariableError('Write an offset as a number and a unit, for example -1 d.', span);
  const n = Number(amount);
  const d = new Date(now.getTime());
  if (unit === 'y') d.setUTCFullYear(d.getUTCFullYear() + n);
  else if (unit === 'M') d.setUTCMonth(d.getUTCMonth() + n);
  else if (UNIT_MS[unit] !== undefined) d.setTime(d.getTime() + n * UNIT_MS[unit]);
  else throw new VariableError(`Unknown unit "${unit}": use y, M, w, d, h, m, s or ms.`, span);
  return d;
}

function formatDate(d: Date, format: string, local: boolean, span: Span): string {
  if (format === 'rfc1123') return d.toUTCString();
  if (format === 'iso8601') {
    if (!local) return d.toISOString();
    const off = -d.getTimezoneOffset();
    const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0');
    const sign = off >= 0 ? '+' : '-';
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  }
  throw new VariableError(`Unknown date format "${format}": use iso8601 or rfc1123.`, span);
}
