/**
 * What earlier scenarios learned that later ones need, as a person remembers it: the sandbox that
 * "Try the demo sandbox" started (read from the consent page's address), and the request file in use.
 */
export const state: {
  /** Origin of the extension's own sandbox, e.g. http://127.0.0.1:41234. */
  sandboxUrl?: string;
  /** The workspace-relative request file the language scenarios typed into. */
  requestFile?: string;
  /** That file's text before scenario 2 first typed into it (a retry starts from it again). */
  sampleText?: string;
  /** Site and company picked in scenario 1. */
  site?: string;
  company?: string;
} = {};

/** The demo data's site and company names (src/core/sandbox demoCompanies, seed 200). */
export const SITE_A = 'Bramley Demo Site';
export const SITE_B = 'Northwind Site';
export const COMPANY_A1 = 'Bramley Office Supplies Ltd';
export const COMPANY_B1 = 'Northwind Trading Ltd';

/** Calls the extension's sandbox from the harness (not through the UI), for cross-checks. */
export function sandboxGet(path: string, site?: { siteId: string; companyId: number }): Promise<{ status: number; headers: Headers; json: unknown }> {
  return sandboxSend('GET', path, site);
}

/** A request straight to the extension's sandbox, as another Sage 200 user would make it: the extension does not see it. */
export async function sandboxSend(method: string, path: string, site?: { siteId: string; companyId: number }, body?: unknown): Promise<{ status: number; headers: Headers; json: unknown }> {
  if (!state.sandboxUrl) throw new Error('the sandbox URL is unknown: scenario 1 (sign-in) did not run or failed');
  const token = (await (await fetch(`${state.sandboxUrl}/__sandbox/token`, { method: 'POST' })).json()) as { access_token: string };
  const headers: Record<string, string> = { Authorization: `Bearer ${token.access_token}` };
  if (site) {
    headers['X-Site'] = site.siteId;
    headers['X-Company'] = String(site.companyId);
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${state.sandboxUrl}/uk/sage200/accounts/v1${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, headers: res.headers, json: await res.json().catch(() => undefined) };
}

/** Switches fault injection on the extension's sandbox (POST /__sandbox/faults). */
export async function setSandboxFaults(faults: Record<string, unknown>): Promise<void> {
  if (!state.sandboxUrl) throw new Error('the sandbox URL is unknown: scenario 1 (sign-in) did not run or failed');
  const res = await fetch(`${state.sandboxUrl}/__sandbox/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(faults) });
  if (!res.ok) throw new Error(`setting faults failed: ${res.status} ${await res.text()}`);
}

/** The site and company id pair for a company name, from GET /sites. */
export async function siteOf(companyName: string): Promise<{ siteId: string; companyId: number }> {
  const sites = (await sandboxGet('/sites')).json as { site_id: string; company_id: number; company_name: string }[];
  const sc = sites.find((s) => s.company_name === companyName);
  if (!sc) throw new Error(`no company "${companyName}" in GET /sites`);
  return { siteId: sc.site_id, companyId: sc.company_id };
}
