import { sageAdvice } from '../http/sageMessage';

/**
 * What an error status means for a Sage 200 user. Sage's own message in the body is read by
 * `sageMessage` in core/http/sageMessage.ts.
 */

export interface StatusExplanation {
  readonly title: string;
  readonly detail: string;
  /** What the user can do next, if there is an obvious action. */
  readonly action?: 'signIn' | 'retry';
}

export function explainStatus(status: number): StatusExplanation | undefined {
  if (status < 400) return undefined;
  switch (status) {
    case 400:
      return { title: 'Bad request', detail: 'Sage 200 rejected the request: check the fields, the OData query ($filter, $select, $skip needs $orderby) and the body.' };
    case 401:
      return { title: 'Not signed in', detail: sageAdvice(401) ?? '', action: 'signIn' };
    case 403:
      return { title: 'Forbidden', detail: 'The Sage ID user lacks rights to this site, company or resource. Ask a Sage 200 administrator to grant access.' };
    case 404:
      return { title: 'Not found', detail: 'No such resource: the id may not exist in this company, or the path is not part of the API for this edition.' };
    case 405:
      return { title: 'Method not allowed', detail: 'This resource does not accept that method.' };
    case 408:
      return { title: 'Request timeout', detail: 'The server gave up waiting. Try a smaller $top.', action: 'retry' };
    case 409:
      return { title: 'Conflict', detail: 'The record changed or already exists.' };
    case 504:
      return { title: 'Gateway timeout', detail: sageAdvice(504) ?? '', action: 'retry' };
    case 429:
      return { title: 'Too many requests', detail: 'Rate limited. Wait for the time in Retry-After, then try again.', action: 'retry' };
    default:
      if (status >= 500) {
        return {
          title: 'Server error',
          detail: 'Sage 200 failed to answer. It may be busy or down; large $top values can time out. Try again later or request a smaller page.',
          action: 'retry',
        };
      }
      return { title: `HTTP ${status}`, detail: 'The request failed.' };
  }
}

/** The colour class of a status for the header. */
export function statusClass(status: number): 'ok' | 'redirect' | 'client-error' | 'server-error' | 'info' {
  if (status >= 500) return 'server-error';
  if (status >= 400) return 'client-error';
  if (status >= 300) return 'redirect';
  if (status >= 200) return 'ok';
  return 'info';
}
