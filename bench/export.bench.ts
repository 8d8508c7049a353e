import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Benchmark, round, runBenchChild } from './harness';
import { demoCompanies, startSandbox } from '../src/core/sandbox';

const SCALE = 100; // 100 × 1,000 customers

/**
 * "Export all" of 100,000 sandbox customers to CSV. The sandbox runs here; the export runs in a
 * child process (bench/exportChild.ts) whose own peak RSS is the figure, so the sandbox's data set
 * does not count against the export's memory. It fails unless every row reached the file.
 */
export const exportBench: Benchmark = {
  figures: ['export.100k.peakRssMb', 'export.100k.seconds'],
  async run() {
    const sandbox = await startSandbox({ scale: SCALE });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-export-bench-'));
    try {
      const { siteId, companyId } = demoCompanies(200)[0];
      const token = sandbox.mintToken().access_token;
      const countRes = await fetch(`${sandbox.professionalBaseUrl}/customers?$count=true`, {
        headers: { authorization: `Bearer ${token}`, 'x-site': siteId, 'x-company': String(companyId) },
      });
      const expected = Number(await countRes.text());
      if (!(expected >= SCALE * 1000)) throw new Error(`expected at least ${SCALE * 1000} customers, the sandbox counts ${expected}`);
      const target = path.join(dir, 'customers.csv');
      const out = await runChild([sandbox.professionalBaseUrl, siteId, String(companyId), target], token);
      const figures = JSON.parse(out) as { records: number; rows: number; seconds: number; peakRssMb: number; pages: number };
      if (figures.records !== expected || figures.rows !== expected) {
        throw new Error(`export incomplete: ${figures.records} records written, ${figures.rows} rows in the file, ${expected} expected`);
      }
      process.stdout.write(`(${figures.rows} rows in ${figures.pages} pages) `);
      if (figures.peakRssMb >= 300) process.stderr.write(`export.100k.peakRssMb ${figures.peakRssMb} is over the 300 MB target\n`);
      return {
        'export.100k.peakRssMb': round(figures.peakRssMb, 1),
        'export.100k.seconds': round(figures.seconds, 2),
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await sandbox.close();
    }
  },
};

const runChild = (args: string[], token: string): Promise<string> => runBenchChild('exportChild.ts', args, token);
