import type { PendingAuthorization } from './auth';

/** The consent and error pages of the sandbox's Sage ID. Every value is escaped: they echo request parameters. */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c] as string));
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f4f5f7;color:#1b1f24;margin:0}
main{max-width:28rem;margin:4rem auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:1.3rem;margin-top:0}.muted{color:#5b6470;font-size:.9rem}code{word-break:break-all}
button{font-size:1rem;padding:.6rem 1.4rem;border-radius:4px;border:1px solid #00815d;cursor:pointer}
#approve{background:#00815d;color:#fff}#deny{background:#fff;color:#1b1f24;border-color:#9aa3ad;margin-left:.5rem}`;

export function consentPage(p: PendingAuthorization, transaction: string): string {
  const scopes = p.scope.split(/\s+/).filter(Boolean).map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sage 200 sandbox – sign in</title><style>${STYLE}</style></head>
<body><main>
<h1>Sage 200 sandbox sign-in</h1>
<p>The application <strong>${escapeHtml(p.clientId)}</strong> wants to use the demo Sage 200 API as <strong>Demo User</strong>.</p>
<p class="muted">Audience <code>${escapeHtml(p.audience)}</code>; scopes:</p><ul class="muted">${scopes}</ul>
<p class="muted">You will return to <code>${escapeHtml(p.redirectUri)}</code>.</p>
<form method="post" action="/authorize">
<input type="hidden" name="transaction" value="${escapeHtml(transaction)}">
<button id="approve" type="submit" name="decision" value="allow">Allow</button>
<button id="deny" type="submit" name="decision" value="deny">Deny</button>
</form>
<p class="muted">This is a local emulator of Sage ID. No password is needed and no data leaves this machine.</p>
</main></body></html>`;
}

export function errorPage(error: string, description: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sage 200 sandbox – sign-in error</title><style>${STYLE}</style></head>
<body><main><h1>Sign-in error</h1><p><code id="error">${escapeHtml(error)}</code></p><p id="error_description">${escapeHtml(description)}</p></main></body></html>`;
}
