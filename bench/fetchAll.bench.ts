import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Benchmark, median, round, runBenchChild, Skipped } from './harness';
import { demoCompanies, startSandbox } from '../src/core/sandbox';
import { createTestAuthority } from '../src/core/sandbox/tls';
import { startTinyproxy, tinyproxyMissing } from '../test/unit/http/tinyproxy';

const SCALE = 100; // 100 × 1,000 customers
const ROUNDS = 3;

interface ChildFigures {
  records: number;
  seconds: number;
  peakRssMb: number;
}

/**
 * fetchAll of 100,000 sandbox customers (5000 a page). The sandbox runs here; each measured run is
 * a child process (bench/fetchAllChild.ts), so its peak RSS is its own. Our fetchAll and a bare
 * node-fetch loop over the same pages alternate, ROUNDS times each, against the same sandbox in
 * the same run; the ratio compares their median times (throughput = records / seconds).
 */
export const fetchAllBench: Benchmark = {
  figures: ['fetchAll.100k.peakRssMb', 'fetchAll.100k.throughputRatio'],
  async run() {
    const sandbox = await startSandbox({ scale: SCALE });
    try {
      const { siteId, companyId } = demoCompanies(200)[0];
      const token = sandbox.mintToken().access_token;
      const args = [sandbox.professionalBaseUrl, siteId, String(companyId)];
      const ours: ChildFigures[] = [];
      const bare: ChildFigures[] = [];
      // One warm-up of each, so that the sandbox's first-request costs do not land on one side.
      await runChild(['bare', ...args], token);
      await runChild(['ours', ...args], token);
      for (let i = 0; i < ROUNDS; i++) {
        bare.push(await runChild(['bare', ...args], token));
        ours.push(await runChild(['ours', ...args], token));
      }
      const expected = bare[0].records;
      if (expected < SCALE * 1000) throw new Error(`expected at least ${SCALE * 1000} customers, the bare loop got ${expected}`);
      for (const r of [...ours, ...bare]) if (r.records !== expected) throw new Error(`a run got ${r.records} records, ${expected} expected`);
      const peak = Math.max(...ours.map((r) => r.peakRssMb));
      const ratio = median(bare.map((r) => r.seconds)) / median(ours.map((r) => r.seconds));
      process.stdout.write(`(ours ${ours.map((r) => r.seconds.toFixed(2)).join('/')} s, bare ${bare.map((r) => r.seconds.toFixed(2)).join('/')} s, bare peak ${Math.max(...bare.map((r) => r.peakRssMb)).toFixed(0)} MB) `);
      if (peak >= 300) process.stderr.write(`fetchAll.100k.peakRssMb ${peak} is over the 300 MB target\n`);
      if (ratio < 0.8) process.stderr.write(`fetchAll.100k.throughputRatio ${ratio} is under the 0.8 target\n`);
      return { 'fetchAll.100k.peakRssMb': round(peak, 1), 'fetchAll.100k.throughputRatio': round(ratio, 3) };
    } finally {
      await sandbox.close();
    }
  },
};

/** Not 127.0.0.1, which proxies (and VS Code's proxy support) leave out by default. */
const TLS_HOST = '127.0.0.2';

/**
 * The same 100,000 customers over TLS from a sandbox on 127.0.0.2, as Sage's API is reached:
 * - `viaProxyRatio`: our fetchAll through tinyproxy (a CONNECT tunnel) against it direct, with
 *   the CLI's agents on both sides; throughput through the proxy divided by throughput direct.
 * - `nodeFetchMs` / `undiciMs`: the bare page loop with node-fetch against the same loop with
 *   Node's own fetch (undici), both direct: the figures behind the client choice in docs/networks.md.
 * Each pair alternates, ROUNDS times after a warm-up, in this one run; medians are reported.
 */
export const fetchAllNetworkBench: Benchmark = {
  figures: ['fetchAll.100k.viaProxyRatio', 'fetchAll.100k.nodeFetchMs', 'fetchAll.100k.undiciMs'],
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-bench-'));
    fs.chmodSync(dir, 0o777); // tinyproxy may run as another user
    const authority = createTestAuthority(TLS_HOST);
    const caFile = path.join(dir, 'ca.pem');
    fs.writeFileSync(caFile, authority.caPem);
    // Node reads NODE_EXTRA_CA_CERTS at start-up, for node-fetch's and undici's TLS alike.
    const env = { NODE_EXTRA_CA_CERTS: caFile };
    const sandbox = await startSandbox({ scale: SCALE, host: TLS_HOST, tls: { cert: authority.cert, key: authority.key } });
    try {
      const { siteId, companyId } = demoCompanies(200)[0];
      const token = sandbox.mintToken().access_token;
      const args = [sandbox.professionalBaseUrl, siteId, String(companyId)];
      const [nodeFetch, undici] = await alternate(['bare', ...args], ['undici', ...args], token, env);
      const expected = nodeFetch[0].records;
      if (expected < SCALE * 1000) throw new Error(`expected at least ${SCALE * 1000} customers, the bare loop got ${expected}`);
      const check = (runs: ChildFigures[]) => {
        for (const r of runs) if (r.records !== expected) throw new Error(`a run got ${r.records} records, ${expected} expected`);
      };
      const seconds = (runs: ChildFigures[]) => runs.map((r) => r.seconds.toFixed(2)).join('/');
      check([...nodeFetch, ...undici]);
      process.stdout.write(`(TLS: node-fetch ${seconds(nodeFetch)} s, undici ${seconds(undici)} s) `);
      const figures: Record<string, number | Skipped> = {
        'fetchAll.100k.nodeFetchMs': Math.round(median(nodeFetch.map((r) => r.seconds)) * 1000),
        'fetchAll.100k.undiciMs': Math.round(median(undici.map((r) => r.seconds)) * 1000),
      };

      const missing = tinyproxyMissing();
      if (missing) return { ...figures, 'fetchAll.100k.viaProxyRatio': { skipped: missing } };
      const proxy = await startTinyproxy(dir, 'bench-proxy', sandbox.port);
      try {
        const [direct, viaProxy] = await alternate(['ours', ...args], ['ours', ...args, proxy.url], token, env);
        check([...direct, ...viaProxy]);
        // The proxy's own log proves that every proxied run went through it.
        const tunnels = (proxy.log().match(new RegExp(`CONNECT ${TLS_HOST.replace(/\./g, '\\.')}:${sandbox.port}`, 'g')) ?? []).length;
        if (tunnels < viaProxy.length + 1) throw new Error(`tinyproxy logged ${tunnels} CONNECTs for ${viaProxy.length + 1} proxied runs`);
        process.stdout.write(`(ours direct ${seconds(direct)} s, via tinyproxy ${seconds(viaProxy)} s) `);
        figures['fetchAll.100k.viaProxyRatio'] = round(median(direct.map((r) => r.seconds)) / median(viaProxy.map((r) => r.seconds)), 3);
      } finally {
        await proxy.stop();
      }
      return figures;
    } finally {
      await sandbox.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** One warm-up of each side, then ROUNDS runs of each, alternating, so that drift lands on both. */
async function alternate(a: string[], b: string[], token: string, env: NodeJS.ProcessEnv): Promise<[ChildFigures[], ChildFigures[]]> {
  await runChild(a, token, env);
  await runChild(b, token, env);
  const as: ChildFigures[] = [];
  const bs: ChildFigures[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    as.push(await runChild(a, token, env));
    bs.push(await runChild(b, token, env));
  }
  return [as, bs];
}

const runChild = async (args: string[], token: string, env: NodeJS.ProcessEnv = {}): Promise<ChildFigures> =>
  JSON.parse((await runBenchChild('fetchAllChild.ts', args, token, env)) || '{}') as ChildFigures;
