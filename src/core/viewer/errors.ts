/**
 * What an error status means for a Sage 200 user, and Sage's own message pulled from the body.
 * Sage's error body shape is not documented, so the message is looked for in the usual places.
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
      return { title: 'Not signed in', detail: 'The access token is missing, expired or was revoked. Sign in again.', action: 'signIn' };
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

const MESSAGE_KEYS = ['message', 'Message', 'error_description', 'errorMessage', 'ExceptionMessage', 'title', 'detail'];

/** Sage's message from an error body (JSON with message/Message, possibly nested, or short text). */
export function extractSageMessage(body: unknown): string | undefined {
  const found = findMessage(body, 0);
  if (found !== undefined) return found;
  return undefined;
}

function findMessage(v: unknown, depth: number): string | undefined {
  if (depth > 4 || v === null || v === undefined) return undefined;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        return findMessage(JSON.parse(t), depth + 1);
      } catch {
        // plain text
      }
    }
    return t && t.length <= 2000 && !/^\s*</.test(t) ? t : undefined;
  }
  if (Array.isArray(v)) {
    const msgs = v.map((x) => findMessage(x, depth + 1)).filter((x): x is string => !!x);
    return msgs.length ? msgs.join('\n') : undefined;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of MESSAGE_KEYS) {
      const x = o[k];
      if (typeof x === 'string' && x.trim()) return x.trim();
    }
    for (const k of ['error', 'Error', 'errors', 'details', 'InnerException']) {
      if (k in o) {
        const inner = findMessage(o[k], depth + 1);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

/** The colour class of a status for the header. */
export function statusClass(status: number): 'ok' | 'redirect' | 'client-error' | 'server-error' | 'info' {
  if (status >= 500) return 'server-error';
  if (status >= 400) return 'client-error';
  if (status >= 300) return 'redirect';
  if (status >= 200) return 'ok';
  return 'info';
}
