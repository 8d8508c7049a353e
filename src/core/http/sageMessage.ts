import { DEFAULT_AUDIENCE } from '../connections/types';

/**
 * Sage's own message in an error answer. The shape of Sage 200's error bodies is not documented:
 * seen so far are `{ "Message": … }` (with `ModelState` per field for validation), the gateway's
 * `{ "statusCode": …, "message": … }`, OAuth's `error` / `error_description`,
 * nested `error` objects and arrays of messages, and plain text. The client's errors, the explorer and
 * the response viewer all read it here, so that they show the same words.
 */

const MESSAGE_KEYS = ['message', 'Message', 'error_description', 'errorMessage', 'ExceptionMessage', 'title', 'detail'];
const NESTED_KEYS = ['error', 'Error', 'errors', 'details', 'InnerException'];
/** A message longer than this is not a message (an HTML page, a dump): it is cut. */
const MAX_LENGTH = 2000;
/** Only the start of a text body is looked at. */
const MAX_TEXT_BYTES = 64 * 1024;

/** Sage's message from a parsed body or a body text, or undefined. */
export function sageMessage(body: unknown): string | undefined {
  return find(body, 0);
}

/** The message of an answer: its parsed JSON when there is one, else the start of its text. */
export function sageMessageOf(res: { readonly json?: unknown; readonly body?: Uint8Array }): string | undefined {
  if (res.json !== undefined) return sageMessage(res.json);
  if (!res.body?.length) return undefined;
  return sageMessage(new TextDecoder().decode(res.body.subarray(0, MAX_TEXT_BYTES)));
}

function clip(s: string): string {
  return s.length > MAX_LENGTH ? `${s.slice(0, MAX_LENGTH - 1)}…` : s;
}

function find(v: unknown, depth: number): string | undefined {
  if (depth > 4 || v === null || v === undefined) return undefined;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        return find(JSON.parse(t), depth + 1);
      } catch {
        // plain text after all
      }
    }
    return t && !t.startsWith('<') ? clip(t) : undefined;
  }
  if (Array.isArray(v)) {
    const msgs = v.slice(0, 20).map((x) => find(x, depth + 1)).filter((x): x is string => !!x);
    return msgs.length ? clip(msgs.join('\n')) : undefined;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // ASP.NET Web API's validation answer: a general Message and the reasons per field.
    const fields = modelState(o.ModelState);
    for (const k of MESSAGE_KEYS) {
      const x = o[k];
      if (typeof x === 'string' && x.trim()) return clip(fields ? `${x.trim()} ${fields}` : x.trim());
    }
    if (fields) return clip(fields);
    for (const k of NESTED_KEYS) {
      if (k in o) {
        const inner = find(o[k], depth + 1);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

/** `{"name": ["is required"]}` as `name: is required`, or undefined when there is nothing to show. */
function modelState(v: unknown): string | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const lines: string[] = [];
  for (const [field, reasons] of Object.entries(v as Record<string, unknown>).slice(0, 20)) {
    const list = Array.isArray(reasons) ? reasons : [reasons];
    for (const r of list.slice(0, 5)) if (typeof r === 'string' && r.trim()) lines.push(field ? `${field}: ${r.trim()}` : r.trim());
  }
  return lines.length ? lines.join('; ') : undefined;
}

/**
 * What happened and what to do, for the failures whose cause Sage's body rarely says: a 401 that
 * persists after signing in (most often a token asked for without Sage's audience), and a 504 from
 * Sage's gateway (an on-premise site whose tunnel is down). Undefined for other statuses. The
 * explorer, the response viewer and the CLI all take their words from here.
 */
export function sageAdvice(status: number, message?: string): string | undefined {
  if (status === 401) {
    if (message && /audience/i.test(message)) {
      return `The access token was not issued for the Sage 200 API. Set the connection's audience to ${DEFAULT_AUDIENCE} (the default), then sign in again.`;
    }
    return `The access token is missing, expired or was revoked. Sign in again. If a fresh sign-in still gets 401, the token was likely asked for without the audience ${DEFAULT_AUDIENCE}: check the connection's audience.`;
  }
  if (status === 504) {
    return 'Sage\'s gateway got no answer from the Sage 200 site in time. For an on-premise Sage 200 Professional site this usually means the link from the site to Sage\'s cloud (its tunnel) is down: check that the server publishing the API is running and online, then try again. A very large $top can also take too long.';
  }
  return undefined;
}

/** Why `GET /sites` can answer an empty list, and what to do. */
export const EMPTY_SITES_ADVICE = 'GET /sites answered an empty list: this Sage ID user reaches no site and company. Either the user has not been given access to a Sage 200 site, or an on-premise site\'s link to Sage\'s cloud (its tunnel) is down. Check the user\'s access in Sage 200, and that the server publishing the API is online, then refresh.';
