import { HttpResponse, NetworkError } from '../http/types';
import { redactText } from '../http/redact';
import { sageAdvice, sageMessageOf } from '../http/sageMessage';
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
    return { kind: 'network', message: `Cannot reach the Sage 200 API: ${cause} (${redactText(e.message)}).` };
  }
  const status = statusOf(err);
  if (status !== undefined) {
    const response = isObject(err) ? (err as { response?: unknown }).response : undefined;
    const sage = isResponse(response) ? sageMessageOf(response) : undefined;
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
  return describeStatus(response.status, sageMessageOf(response));
}

function describeStatus(status: number, detail: string | undefined): Failure {
  const extra = detail ? ` ${/[.!?]$/.test(detail) ? detail : `${detail}.`}` : '';
  if (status === 401) {
    return { kind: 'unauthorized', status, message: `The Sage 200 API refused the sign-in (401).${extra} ${sageAdvice(401, detail)}` };
  }
  if (status === 403) {
    return { kind: 'forbidden', status, message: `The Sage ID user lacks the rights for this (403).${extra}` };
  }
  if (status === 504) return { kind: 'server', status, message: `The Sage 200 site did not answer in time (504).${extra} ${sageAdvice(504, detail)}` };
  if (status === 404) {
    return { kind: 'notFound', status, message: `Not found (404): the record may have been removed.${extra}` };
  }
  if (status >= 500) return { kind: 'server', status, message: `The Sage 200 API failed (${status}).${extra}` };
  return { kind: 'other', status, message: `The Sage 200 API answered ${status}.${extra}` };
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
  if (err instanceof Error) return redactText(err.message);
  if (typeof err === 'string') return redactText(err);
  return undefined;
}

function isObject(x: unknown): x is object {
  return typeof x === 'object' && x !== null;
}
