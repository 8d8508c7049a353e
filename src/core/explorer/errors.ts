import { HttpResponse, NetworkError } from '../http/types';
import type { ErrorKind } from './nodes';

/** A failure turned into what the user reads and what they can do about it. */
export interface Failure {
  readonly kind: ErrorKind;
  /** One sentence, without secrets: the status or network cause, then Sage's own message if any. */
  readonly message: string;
  readonly status?: number;
}

/**
 * Classifies whatever a call threw or answered. The HTTP client's errors may be a `NetworkError`,
 * an error carrying `status` or `response`, or a plain `Error`; all of them end as one readable line,
 * so that the tree shows an error node instead of going blank.
 */
export function describeFailure(err: unknown): Failure {
  if (err instanceof NetworkError || (isObject(err) && (err as { name?: unknown }).name === 'NetworkError')) {
    const e = err as NetworkError;
    if (e.kind === 'cancelled') return { kind: 'other', message: 'The request was cancelled.' };
    const cause = e.kind === 'timeout' ? 'the request timed out'
      : e.kind === 'dns' ? 'the host name could not be resolved'
        : e.kind === 'refused' ? 'the connection was refused'
          : e.kind === 'reset' ? 'the connection was reset'
            : 'a network error occurred';
    return { kind: 'network', message: `Cannot reach the Sage 200 API: ${cause} (${stripSecrets(e.message)}).` };
  }
  const status = statusOf(err);
  if (status !== undefined) {
    const response = isObject(err) ? (err as { response?: unknown }).response : undefined;
    const sage = isResponse(response) ? sageMessage(response) : undefined;
    return describeStatus(status, sage ?? messageOf(err));
  }
  if (isObject(err) && typeof (err as { code?: unknown }).code === 'string') {
    const code = (err as { code: string }).code;
    if (['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(code)) {
      return { kind: 'network', message: `Cannot reach the Sage 200 API (${code}).` };
    }
  }
  return { kind: 'other', message: messageOf(err) ?? 'Unknown error.' };
}

/** For answers that came back (not thrown): undefined when the status is a success. */
export function describeResponse(response: HttpResponse): Failure | undefined {
  if (response.status >= 200 && response.status < 300) return undefined;
  return describeStatus(response.status, sageMessage(response));
}

function describeStatus(status: number, detail: string | undefined): Failure {
  const extra = detail ? ` ${detail}` : '';
  if (status === 401) {
    return { kind: 'unauthorized', status, message: `Not signed in or the session has expired (401). Sign in again.${extra}` };
  }
  if (status === 403) {
    return { kind: 'forbidden', status, message: `The Sage ID user lacks the rights for this (403).${extra}` };
  }
  if (status >= 500) return { kind: 'server', status, message: `The Sage 200 API failed (${status}).${extra}` };
  return { kind: 'other', status, message: `The Sage 200 API answered ${status}.${extra}` };
}

/** Sage's error bodies are not documented: take `message` / `Message` when there is one. */
export function sageMessage(response: Pick<HttpResponse, 'json' | 'body'>): string | undefined {
  const json = response.json;
  const pick = (o: unknown): string | undefined => {
    if (!isObject(o)) return undefined;
    const rec = o as Record<string, unknown>;
    for (const k of ['message', 'Message', 'error_description', 'error']) {
      if (typeof rec[k] === 'string' && rec[k]) return (rec[k] as string).slice(0, 500);
      if (isObject(rec[k])) {
        const inner = pick(rec[k]);
        if (inner) return inner;
      }
    }
    return undefined;
  };
  return pick(json) ?? pick(Array.isArray(json) ? json[0] : undefined);
}

function statusOf(err: unknown): number | undefined {
  if (!isObject(err)) return undefined;
  const e = err as { status?: unknown; statusCode?: unknown; response?: unknown };
  if (typeof e.status === 'number') return e.status;
  if (typeof e.statusCode === 'number') return e.statusCode;
  if (isResponse(e.response)) return e.response.status;
  return undefined;
}

function isResponse(x: unknown): x is HttpResponse {
  return isObject(x) && typeof (x as { status?: unknown }).status === 'number';
}

function messageOf(err: unknown): string | undefined {
  if (err instanceof Error) return stripSecrets(err.message);
  if (typeof err === 'string') return stripSecrets(err);
  return undefined;
}

/** Belt and braces: an error message never shows a bearer token, even if a lower layer put one there. */
export function stripSecrets(text: string): string {
  return text
    .replace(/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, '$1***')
    .replace(/((?:access|refresh)_token["'=:\s]+)[^"'&\s,}]+/gi, '$1***');
}

function isObject(x: unknown): x is object {
  return typeof x === 'object' && x !== null;
}
