/**
 * The Sage 200 knowledge an import applies to every source: which URLs are the API (and become
 * relative paths), which headers the extension sets itself, and the system variables of other tools.
 */
import { isSecretHeader } from '../http/redact';
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

const SAGE_ROOT_ONLY = /^https?:\/\/[^/?#]+\/uk\/sage200(?:extra)?\/accounts\/v1\/?$/i;

/**
 * Makes a URL relative when it starts with the Sage API root: written out, or through variables
 * (`{{baseUrl}}`, `{{host}}/{{api}}`) whose values (from `values`) spell the root. An unknown
 * variable named like a base URL counts too, with a warning.
 */
export function relativeUrl(url: string, values: ReadonlyMap<string, string>, summary: ImportSummary, subject: string): string {
  const direct = sageRelative(url);
  if (direct !== undefined) return direct;
  let expanded = '';
  for (let i = 0; i < url.length;) {
    const ref = /^\{\{\s*([\w.-]+)\s*\}\}/.exec(url.slice(i));
    if (ref && values.has(ref[1])) {
      expanded += expand(values.get(ref[1])!, values, 0);
      i += ref[0].length;
    } else if (ref) {
      break;
    } else {
      expanded += url[i++];
    }
    if (SAGE_ROOT_ONLY.test(expanded) && /^(?:[/?]|$)/.test(url.slice(i))) {
      const rest = url.slice(i);
      return rest.startsWith('/') ? rest : `/${rest}`;
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

function expand(value: string, values: ReadonlyMap<string, string>, depth: number): string {
  if (depth > 10) return value;
  return value.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (all, n: string) => (values.has(n) ? expand(values.get(n)!, values, depth + 1) : all));
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
