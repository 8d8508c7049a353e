/**
 * `sage200 test` against httpyac and newman, one run each, on the same 500 GET requests with the
 * same assertions, against one sandbox in its own process:
 * - runner.500req.sage200Ms, .httpyacMs, .newmanMs: wall time of each command, process start included;
 * - runner.500req.vsHttpyacRatio: sage200 / httpyac (target <= 0.5);
 * - runner.500req.vsNewmanRatio: sage200 / newman.
 * sage200 runs as the bundled CLI (as `npm run build` makes it), so no tool pays for TypeScript.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { Benchmark, round } from './harness';
import { startChild } from './sandbox.bench';

const ROOT = path.join(__dirname, '..');
const N = 500;

/** Runs a command to its end; its wall time, and its output when it fails. */
function timed(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ ms: number; code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - t0, code: code ?? -1, out }));
  });
}

/** The i-th request: a page of five customers, so that every answer differs. */
const query = (i: number): string => `/customers?$orderby=id asc&$top=5&$skip=${(i * 5) % 900}`;

export const runner500: Benchmark = {
  figures: ['runner.500req.sage200Ms', 'runner.500req.httpyacMs', 'runner.500req.newmanMs', 'runner.500req.vsHttpyacRatio', 'runner.500req.vsNewmanRatio'],
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-runner-bench-'));
    const sb = await startChild(1);
    try {
      const token = (await (await fetch(`${sb.url}/__sandbox/token`, { method: 'POST' })).json() as { access_token: string }).access_token;
      const base = `${sb.url}/uk/sage200/accounts/v1`;
      const sites = await (await fetch(`${base}/sites`, { headers: { Authorization: `Bearer ${token}` } })).json() as { site_id: string; company_id: number }[];
      const site = sites[0].site_id;
      const company = String(sites[0].company_id);

      // The same three checks in each tool's own words: status, content type, a value of the body.
      const ours: string[] = [];
      const theirs: string[] = [`@base = ${base}`, ''];
      const items: unknown[] = [];
      for (let i = 0; i < N; i++) {
        ours.push(`### page ${i}`, `GET ${query(i)}`, '?? status == 200', '?? header content-type contains json', '?? body $[0].id exists', '');
        theirs.push(`### page ${i}`, `GET {{base}}${query(i)}`, 'Authorization: Bearer {{token}}', `X-Site: ${site}`, `X-Company: ${company}`,
          '', '?? status == 200', '?? header content-type includes json', '?? js response.parsedBody[0].id exists', '');
        const url = `${base}${query(i)}`;
        items.push({
          name: `page ${i}`,
          request: { method: 'GET', url, header: [{ key: 'Authorization', value: 'Bearer {{token}}' }, { key: 'X-Site', value: site }, { key: 'X-Company', value: company }] },
          event: [{
            listen: 'test',
            script: {
              type: 'text/javascript',
              exec: [
                'pm.test("status", () => pm.response.to.have.status(200));',
                'pm.test("json", () => pm.expect(pm.response.headers.get("content-type")).to.include("json"));',
                'pm.test("id", () => pm.expect(pm.response.json()[0].id).to.exist);',
              ],
            },
          }],
        });
      }
      fs.writeFileSync(path.join(dir, 'pages.sage200'), ours.join('\n'));
      fs.writeFileSync(path.join(dir, 'pages.http'), theirs.join('\n'));
      fs.writeFileSync(path.join(dir, 'pages.postman_collection.json'), JSON.stringify({
        info: { name: 'pages', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
        item: items,
      }));

      await esbuild.build({ entryPoints: [path.join(ROOT, 'src/cli.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: path.join(dir, 'cli.js'), logLevel: 'warning' });
      fs.copyFileSync(path.join(ROOT, 'src/core/catalog/sage200-catalog.json'), path.join(dir, 'catalog.json'));

      const bin = (name: string): string => path.join(ROOT, 'node_modules', '.bin', name);
      const ourRun = await timed(process.execPath, [path.join(dir, 'cli.js'), 'test', 'pages.sage200', '--base-url', base, '--token-env', 'BENCH_TOKEN', '--site', site, '--company', company], { BENCH_TOKEN: token }, dir);
      if (ourRun.code !== 0 || !ourRun.out.includes(`${N} passed, 0 failed`)) throw new Error(`sage200 test failed (${ourRun.code}): ${ourRun.out.slice(-500)}`);
      const httpyac = await timed(bin('httpyac'), ['send', 'pages.http', '--all', '-o', 'none', '--var', `token=${token}`], {}, dir);
      if (httpyac.code !== 0) throw new Error(`httpyac failed (${httpyac.code}): ${httpyac.out.slice(-500)}`);
      const newman = await timed(bin('newman'), ['run', 'pages.postman_collection.json', '--env-var', `token=${token}`, '--reporters', 'cli', '--reporter-cli-no-summary', '--reporter-cli-silent'], {}, dir);
      if (newman.code !== 0) throw new Error(`newman failed (${newman.code}): ${newman.out.slice(-500)}`);
      return {
        'runner.500req.sage200Ms': round(ourRun.ms, 0),
        'runner.500req.httpyacMs': round(httpyac.ms, 0),
        'runner.500req.newmanMs': round(newman.ms, 0),
        'runner.500req.vsHttpyacRatio': round(ourRun.ms / httpyac.ms, 3),
        'runner.500req.vsNewmanRatio': round(ourRun.ms / newman.ms, 3),
      };
    } finally {
      await sb.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
