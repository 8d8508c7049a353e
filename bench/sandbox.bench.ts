/**
 * Sandbox benchmarks at --scale 100 (100,000 customers), against `npm run sandbox` in its own
 * process so that its memory is measured alone:
 * - sandbox.customersTop5000Ms: median time for GET /customers?$top=5000 over HTTP, body read;
 * - sandbox.filter100kMs: median time to answer a compound $filter over the 100,000 customers
 *   (with $count=true, so the figure is the filter, not serialization);
 * - sandbox.rssMb: the sandbox process's resident memory after those requests.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawn } from 'child_process';
import { Benchmark, median, round } from './harness';

const ROOT = path.join(__dirname, '..');

/** `npm run sandbox` in a child process on a free port (the runner benchmark uses it too). */
export async function startChild(scale: number): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/core/sandbox/cli.ts'), '--port', '0', '--scale', String(scale)], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}): ${err}`)));
  });
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return { url, pid: child.pid ?? 0, stop };
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export const sandboxScale100: Benchmark = {
  figures: ['sandbox.customersTop5000Ms', 'sandbox.filter100kMs', 'sandbox.rssMb'],
  async run() {
    const sb = await startChild(100);
    try {
      const token = await (await fetch(`${sb.url}/__sandbox/token`, { method: 'POST' })).json() as { access_token: string };
      const base = `${sb.url}/uk/sage200/accounts/v1`;
      const sites = await (await fetch(`${base}/sites`, { headers: { Authorization: `Bearer ${token.access_token}` } })).json() as { site_id: string; company_id: number }[];
      const headers = { Authorization: `Bearer ${token.access_token}`, 'X-Site': sites[0].site_id, 'X-Company': String(sites[0].company_id) };
      const get = async (q: string): Promise<{ ms: number; text: string }> => {
        const t0 = performance.now();
        const r = await fetch(`${base}${q}`, { headers });
        const text = await r.text();
        const ms = performance.now() - t0;
        if (r.status !== 200) throw new Error(`${q}: ${r.status} ${text.slice(0, 200)}`);
        return { ms, text };
      };
      // Warm-up: generates the 100,000 customers and JITs the serializer.
      const first = await get('/customers?$top=5000');
      const count = JSON.parse(first.text).length as number;
      if (count !== 5000) throw new Error(`expected 5000 records, got ${count}`);
      for (let i = 0; i < 2; i++) await get('/customers?$top=5000');
      const top: number[] = [];
      for (let i = 0; i < 15; i++) top.push((await get('/customers?$top=5000')).ms);
      const filter = encodeURIComponent("(balance gt 1000 and on_hold eq false and account_opened ge 2018-01-01) or (startswith(name,'Apex') and contains(reference,'0')) or credit_limit eq 50000");
      const total = Number((await get(`/customers?$count=true`)).text);
      if (total !== 100000) throw new Error(`expected 100,000 customers, got ${total}`);
      const f: number[] = [];
      for (let i = 0; i < 15; i++) f.push((await get(`/customers?$filter=${filter}&$count=true`)).ms);
      return {
        'sandbox.customersTop5000Ms': round(median(top), 1),
        'sandbox.filter100kMs': round(median(f), 1),
        'sandbox.rssMb': round(rssMb(sb.pid), 1),
      };
    } finally {
      await sb.stop();
    }
  },
};
