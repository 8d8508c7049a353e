import { Benchmark, median, round, runBenchChild } from './harness';
import { demoCompanies, startSandbox } from '../src/core/sandbox';

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

const runChild = async (args: string[], token: string): Promise<ChildFigures> =>
  JSON.parse((await runBenchChild('fetchAllChild.ts', args, token)) || '{}') as ChildFigures;
