import fetch from 'node-fetch';

/**
 * A scripted stand-in for the person in the browser: it follows the authorization server's
 * redirects and submits its HTML forms (the sandbox's consent page, oidc-provider's login and
 * consent pages) the way a person pressing the buttons would, keeping cookies, until the server
 * redirects to the loopback callback. Hooks let a test play an attacker or a clumsy user.
 */
export interface BrowserScript {
  /** Press "Deny" / "Cancel" instead of allowing. */
  readonly deny?: boolean;
  /** Change the authorize URL before it is opened (e.g. swap the PKCE challenge). */
  readonly tamperAuthorize?: (u: URL) => void;
  /** Change the callback URL before it is delivered to the loopback server (e.g. the state). */
  readonly tamperCallback?: (u: URL) => void;
  /** Open this URL first instead of the authorize URL (e.g. the loopback server's start page). */
  readonly startAt?: string;
  /** Runs with the callback URL before delivery (e.g. wait for the code to expire, or spend it). */
  readonly beforeCallback?: (u: URL) => Promise<void>;
}

export interface BrowserResult {
  readonly callbackUrl: string;
  readonly callbackStatus: number;
  readonly callbackBody: string;
}

const attr = (tag: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(tag)?.[1]?.replace(/&amp;/g, '&');

export async function runBrowser(authorizeUrl: string, script: BrowserScript = {}): Promise<BrowserResult> {
  const start = new URL(authorizeUrl);
  script.tamperAuthorize?.(start);
  const redirectUri = new URL(start.searchParams.get('redirect_uri') ?? '');
  const cookies = new Map<string, string>();
  let url = script.startAt ?? start.toString();
  let method = 'GET';
  let body: string | undefined;
  for (let step = 0; step < 20; step++) {
    const res = await fetch(url, {
      method,
      body,
      redirect: 'manual',
      headers: {
        ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        ...(cookies.size ? { Cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
      },
    });
    for (const c of res.headers.raw()['set-cookie'] ?? []) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const text = await res.text();
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (next.origin === redirectUri.origin && next.pathname === redirectUri.pathname) {
        script.tamperCallback?.(next);
        await script.beforeCallback?.(next);
        const cb = await fetch(next.toString());
        return { callbackUrl: next.toString(), callbackStatus: cb.status, callbackBody: await cb.text() };
      }
      url = next.toString();
      method = 'GET';
      body = undefined;
      continue;
    }
    if (res.status !== 200) throw new Error(`The authorization server answered ${res.status}: ${text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`);
    const abort = /href="([^"]*\/abort[^"]*)"/.exec(text)?.[1];
    if (script.deny && abort) {
      url = new URL(abort.replace(/&amp;/g, '&'), url).toString();
      method = 'GET';
      body = undefined;
      continue;
    }
    const formTag = /<form\b[^>]*>/i.exec(text)?.[0];
    if (!formTag) throw new Error('The authorization server showed a page without a form.');
    const form = new URLSearchParams();
    for (const input of text.match(/<input\b[^>]*>/gi) ?? []) {
      const name = attr(input, 'name');
      if (!name) continue;
      if (name === 'login') form.set(name, 'demo.user@example.test');
      else if (name === 'password') form.set(name, 'not-checked-by-dev-interactions');
      else form.set(name, attr(input, 'value') ?? '');
    }
    const decisions = (text.match(/<button\b[^>]*>/gi) ?? []).filter((b) => attr(b, 'name'));
    if (decisions.length) {
      const wanted = decisions.find((b) => (script.deny ? /deny|cancel/i : /allow|approve/i).test(attr(b, 'value') ?? '')) ?? decisions[0];
      form.set(attr(wanted, 'name') as string, attr(wanted, 'value') ?? '');
    }
    url = new URL(attr(formTag, 'action') ?? url, url).toString();
    method = (attr(formTag, 'method') ?? 'GET').toUpperCase();
    body = form.toString();
  }
  throw new Error('Too many steps in the authorization server.');
}
