import { startSandbox, RunningSandbox, SandboxOptions } from '../../../src/core/sandbox';
import { sageMessage } from '../../../src/core/http/sageMessage';

export interface Ctx {
  sb: RunningSandbox;
  token: string;
  site: string;
  company: number;
  /** Another real pair, for the second company of the first site. */
  site2: string;
  get(path: string, init?: { headers?: Record<string, string>; pro?: boolean; noCompany?: boolean }): Promise<{ status: number; body: unknown; text: string; headers: Headers }>;
  send(method: string, path: string, body: unknown, init?: { contentType?: string; raw?: string; pro?: boolean }): Promise<{ status: number; body: unknown; text: string; headers: Headers }>;
}

export async function open(options: SandboxOptions = {}): Promise<Ctx> {
  const sb = await startSandbox({ scale: 0.2, ...options });
  const token = sb.mintToken().access_token;
  const r = await fetch(`${sb.standardBaseUrl}/sites`, { headers: { Authorization: `Bearer ${token}` } });
  const sites = (await r.json()) as { site_id: string; company_id: number }[];
  const request = async (method: string, path: string, init: { headers?: Record<string, string>; pro?: boolean; noCompany?: boolean; contentType?: string; raw?: string; body?: unknown } = {}) => {
    const base = init.pro ? sb.professionalBaseUrl : sb.standardBaseUrl;
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (!init.noCompany) {
      headers['X-Site'] = sites[0].site_id;
      headers['X-Company'] = String(sites[0].company_id);
    }
    Object.assign(headers, init.headers ?? {});
    let body: string | undefined;
    if (init.raw !== undefined) body = init.raw;
    else if (init.body !== undefined) body = JSON.stringify(init.body);
    if (body !== undefined) headers['Content-Type'] = init.contentType ?? 'application/json';
    const res = await fetch(`${base}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };
  return {
    sb, token, site: sites[0].site_id, company: sites[0].company_id, site2: sites[1].site_id,
    get: (path, init) => request('GET', path, init ?? {}),
    send: (method, path, body, init) => request(method, path, { ...(init ?? {}), body }),
  };
}

/** The message as the extension reads it, whichever of Sage's error shapes the body has. */
export function msg(body: unknown): string {
  return sageMessage(body) ?? '';
}

export type Customer = Record<string, unknown> & { id: number; reference: string; name: string; balance: number; on_hold: boolean };

export const enc = encodeURIComponent;
