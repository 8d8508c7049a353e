/**
 * The Sage 200 knowledge an import applies to every source: which URLs are the API (and become
 * relative paths), which headers the extension sets itself, and the system variables of other tools.
 */
import { isSecretHeader } from '../http/redact';
import { VARIABLE_LIMITS } from '../requestFile';
import { ImportSummary } from './types';

/** Everything up to the API root: any host, as the sandbox and proxies serve the same paths. */
const SAGE_API_ROOT = /^https?:\/\/[^/?#]+\/uk\/sage200(?:extra)?\/accounts\/v1(?=\/|\?|$)/i;

/** The path below the Sage API root (`/customers?$top=5`), or undefined for any other URL. */
export function sageRelative(url: string): string | undefined {
  const m = SAGE_API_ROOT.exec(url.trim());
  if (!m) return undefined;
  const rest = url.trim().slice(m[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

export function isSageBaseUrl(value: string): boolean {
  const rel = sageRelative(value);
  return rel !== undefined && /^\/?$/.test(rel);
}

/** A variable name that people use for the API's base URL. */
const BASE_URL_NAME = /^(?:base_?url|api_?url|sage_?url|sage200_?url)$/i;

/** The API root at the start of a URL, without the end that `SAGE_API_ROOT` asks for. */
const SAGE_ROOT_PREFIX = /^https?:\/\/[^/?#]+\/uk\/sage200(?:extra)?\/accounts\/v1/i;

/** A `{{name}}` reference where the scan stands. */
const NAME_REF = /\{\{\s*([\w.-]+)\s*\}\}/y;

/** A variable's value with the variables it uses expanded (undefined ones stay as written), or why not. */
export type UrlExpansion = { readonly text: string } | { readonly problem: string; readonly deep?: boolean };

/**
 * Makes a URL relative when it starts with the Sage API root: written out, or through variables
 * (`{{baseUrl}}`, `{{host}}/{{api}}`) whose values (from `values`) spell the root. An unknown
 * variable named like a base URL counts too, with a warning. Variables expand within
 * `VARIABLE_LIMITS` (a cycle, or a value past a limit, leaves the URL as it is, with a warning);
 * `memo` keeps their expansions while `values` does not change.
 */
export function relativeUrl(
  url: string, values: ReadonlyMap<string, string>, summary: ImportSummary, subject: string, memo: Map<string, UrlExpansion> = new Map(),
): string {
  const direct = sageRelative(url);
  if (direct !== undefined) return direct;
  // The URL expanded up to its first undefined variable, and where each step of the URL ends in it:
  // the root is matched once on the whole, not again after every character.
  let expanded = '';
  let substituted = 0;
  const steps: { readonly from: number; readonly to: number; readonly at: number; readonly literal: boolean }[] = [];
  for (let i = 0; i < url.length;) {
    const open = url.indexOf('{{', i);
    const stop = open === -1 ? url.length : open;
    if (stop > i) {
      steps.push({ from: i, to: stop, at: expanded.length, literal: true });
      expanded += url.slice(i, stop);
      i = stop;
      continue;
    }
    NAME_REF.lastIndex = i;
    const ref = NAME_REF.exec(url);
    if (ref && values.has(ref[1])) {
      const e = expandVariable(ref[1], values, memo);
      if ('problem' in e) {
        summary.add('warning', subject, `the URL is kept as it is: ${e.problem}`);
        return url;
      }
      substituted += e.text.length;
      if (substituted > VARIABLE_LIMITS.length) {
        summary.add('warning', subject, `the URL is kept as it is: its variables expand to more than ${VARIABLE_LIMITS.length.toLocaleString('en-GB')} characters.`);
        return url;
      }
      expanded += e.text;
      i += ref[0].length;
      steps.push({ from: i, to: i, at: expanded.length, literal: false });
    } else if (ref) {
      break;
    } else {
      // A `{` that starts no reference is text.
      steps.push({ from: i, to: i + 1, at: expanded.length, literal: true });
      expanded += '{';
      i++;
    }
  }
  const root = SAGE_ROOT_PREFIX.exec(expanded);
  if (root) {
    // The root alone is these characters of `expanded`, or one more for a trailing slash; the first
    // step of the URL that ends there, before a path, a query or the end, is where the path starts.
    const ends = [root[0].length, ...(expanded[root[0].length] === '/' ? [root[0].length + 1] : [])];
    const restAt = (i: number): boolean => i === url.length || url[i] === '/' || url[i] === '?';
    for (const end of ends) {
      for (const s of steps) {
        const i = s.literal ? s.from + (end - s.at) : s.from;
        const hit = s.literal ? end > s.at && end <= s.at + (s.to - s.from) : s.at === end;
        if (hit && restAt(i)) {
          const rest = url.slice(i);
          return rest.startsWith('/') ? rest : `/${rest}`;
        }
      }
    }
  }
  const m = /^\{\{\s*([\w.-]+)\s*\}\}/.exec(url);
  if (m && !values.has(m[1]) && BASE_URL_NAME.test(m[1])) {
    summary.add('warning', subject, `{{${m[1]}}} is not defined in the source; it is taken to be the Sage 200 base URL, so the path is relative to the connection.`);
    const rest = url.slice(m[0].length);
    return rest.startsWith('/') ? rest : `/${rest}`;
  }
  return url;
}

/**
 * The value of `name` with the variables it uses expanded, each once (`memo`), within the limits of
 * request files: a variable that doubles at each line is refused once it passes
 * `VARIABLE_LIMITS.length`, not built; a chain deeper than `VARIABLE_LIMITS.depth` and a cycle are
 * refused too.
 */
function expandVariable(name: string, values: ReadonlyMap<string, string>, memo: Map<string, UrlExpansion>, active = new Set<string>()): UrlExpansion {
  const known = memo.get(name);
  if (known) return known;
  if (active.has(name)) return { problem: `variable ${name} refers to itself.` };
  if (active.size >= VARIABLE_LIMITS.depth) return { problem: `variable ${name} nests variables more than ${VARIABLE_LIMITS.depth} levels deep.`, deep: true };
  active.add(name);
  const value = values.get(name) ?? '';
  const refs = /\{\{\s*([\w.-]+)\s*\}\}/g;
  let text = '';
  let at = 0;
  let result: UrlExpansion | undefined;
  for (let m = refs.exec(value); m && !result; m = refs.exec(value)) {
    if (!values.has(m[1])) continue;
    const child = expandVariable(m[1], values, memo, active);
    if ('problem' in child) result = child;
    else if (text.length + m.index - at + child.text.length > VARIABLE_LIMITS.length) result = tooLong(name);
    else {
      text += value.slice(at, m.index) + child.text;
      at = m.index + m[0].length;
    }
  }
  active.delete(name);
  if (!result) result = text.length + value.length - at > VARIABLE_LIMITS.length ? tooLong(name) : { text: text + value.slice(at) };
  // How deep a variable stands depends on where the expansion started: that refusal is not remembered.
  if (!('deep' in result)) memo.set(name, result);
  return result;
}

function tooLong(name: string): UrlExpansion {
  return { problem: `variable ${name} expands to more than ${VARIABLE_LIMITS.length.toLocaleString('en-GB')} characters.` };
}

/** What the active context would send as X-Site and X-Company. */
export interface SageContext {
  readonly site?: string;
  readonly company?: string | number;
}

/**
 * Whether a header goes into the file. Credentials are never written (the connection signs in);
 * X-Site and X-Company that only repeat the active context are left to it.
 */
export function keepHeader(name: string, value: string, ctx: SageContext, summary: ImportSummary, subject: string): boolean {
  const lower = name.toLowerCase();
  if (lower === 'ocp-apim-subscription-key') {
    summary.add('dropped', `${subject}: ${name}`, 'Sage 200 ignores the subscription key since August 2025.');
    return false;
  }
  if (lower === 'authorization') {
    summary.add('dropped', `${subject}: ${name}`, 'the connection signs in and sends the token itself.');
    return false;
  }
  if (lower === 'x-site' || lower === 'x-company') {
    const active = lower === 'x-site' ? ctx.site : ctx.company;
    if (/^\s*\{\{[^}]*\}\}\s*$/.test(value) || (active !== undefined && value.trim() === String(active))) {
      summary.add('dropped', `${subject}: ${name}`, `the extension sends ${name} from the site and company chosen in the status bar.`);
      return false;
    }
    summary.add('warning', `${subject}: ${name}`, `kept: it pins this request to ${value.trim()} whatever the active context.`);
    return true;
  }
  if (isSecretHeader(name) && !/^\s*\{\{[^}]*\}\}\s*$/.test(value)) {
    // A literal credential must not land in a file that is committed; a variable reference may stay.
    summary.add('dropped', `${subject}: ${name}`, 'its value looks like a credential; put it in http-client.private.env.json and refer to it as {{variable}}.');
    return false;
  }
  return true;
}

/** System variables of Postman, REST Client, httpYac and JetBrains, and what they are here. */
const SYSTEM_MAP: readonly { from: RegExp; to: (m: RegExpExecArray) => string; note?: string }[] = [
  { from: /^\$(?:guid|uuid|randomUUID|random\.uuid)$/, to: () => '$guid' },
  { from: /^\$timestamp((?:\s+[+-]?\d+\s+\w+)?)$/, to: (m) => `$timestamp${m[1]}` },
  { from: /^\$(?:isoTimestamp)$/, to: () => '$datetime iso8601' },
  { from: /^\$datetime\s+(iso8601|rfc1123)((?:\s+[+-]?\d+\s+\w+)?)$/, to: (m) => `$datetime ${m[1]}${m[2]}` },
  { from: /^\$localDatetime\s+(iso8601|rfc1123)((?:\s+[+-]?\d+\s+\w+)?)$/, to: (m) => `$localDatetime ${m[1]}${m[2]}` },
  { from: /^\$datetime$/, to: () => '$datetime iso8601' },
  { from: /^\$randomInt\s+(-?\d+)\s+(-?\d+)$/, to: (m) => `$randomInt ${m[1]} ${m[2]}` },
  { from: /^\$random\.integer\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)$/, to: (m) => `$randomInt ${m[1]} ${m[2]}` },
  // Postman's $randomInt is 0 to 1000.
  { from: /^\$(?:randomInt|random\.integer)$/, to: () => '$randomInt 0 1000' },
  { from: /^\$dotenv\s+([\w.-]+)$/, to: (m) => `$dotenv ${m[1]}` },
  { from: /^\$processEnv\s+([\w.-]+)$/, to: (m) => `$dotenv ${m[1]}`, note: 'now read from the .env file beside the request file, not from the process environment' },
  { from: /^\$(?:input|password)\s+(.+)$/, to: (m) => `$prompt ${m[1].replace(/[^\w.-]+/g, '_')}` },
];

/**
 * Rewrites `{{$…}}` of other tools to ours. A system variable with no equivalent stays as it is
 * (the checker points at it) and the summary says so.
 */
export function mapSystemVariables(text: string, summary: ImportSummary, subject: string): string {
  // Up to the first brace, then trimmed: blanks matched by a pattern on both sides of the group are
  // tried in every split, which grew with the square of a run of blanks.
  return text.replace(/\{\{([^{}]*)\}\}/g, (whole, raw: string) => {
    const expr = raw.trim();
    if (!expr.startsWith('$')) return whole;
    for (const rule of SYSTEM_MAP) {
      const m = rule.from.exec(expr);
      if (m) {
        const to = rule.to(m);
        if (rule.note) summary.add('warning', subject, `{{${expr}}} became {{${to}}}: ${rule.note}.`);
        return `{{${to}}}`;
      }
    }
    summary.add('warning', subject, `{{${expr}}} has no Sage 200 equivalent; replace it before sending.`);
    return whole;
  });
}
