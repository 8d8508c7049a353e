/**
 * Child process of bench/export.bench.ts: exports every customer of a running sandbox to CSV with
 * the extension's own code (core fetchAll + runExport) and prints one JSON line of figures. It runs
 * in its own process so that its peak RSS is the export's alone, not the sandbox's data set.
 */
import * as fs from 'fs';
import { EXPORT_PAGE_SIZE, runExport } from '../src/core/export';
import { Sage200Client, fetchAll } from '../src/core/http';

async function main(): Promise<void> {
  const [baseUrl, site, company, target, pageSizeArg] = process.argv.slice(2);
  const pageSize = Number(pageSizeArg) || EXPORT_PAGE_SIZE;
  const token = process.env.SAGE200_BENCH_TOKEN ?? '';
  const client = new Sage200Client({
    baseUrl,
    tokens: { getAccessToken: async () => token, refreshAfterUnauthorized: async () => undefined },
  });
  const t0 = process.hrtime.bigint();
  let pages = 0;
  const summary = await runExport({
    target, format: 'csv',
    pages: (onPage, signal) => fetchAll(client, '/customers', { onPage, signal, site, company, pageSize }),
    onProgress: (p) => { pages = p.pages; },
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  // maxRSS is in kilobytes and covers the life of this process up to now: the export and its start-up.
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  client.dispose();
  // Count the data records outside quotes (CRLF ends a record) without loading the file.
  let rows = 0;
  let inQuotes = false;
  let prevCr = false;
  for await (const chunk of fs.createReadStream(target)) {
    const buf = chunk as Buffer;
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i];
      if (c === 34) inQuotes = !inQuotes;
      else if (c === 10 && prevCr && !inQuotes) rows++;
      prevCr = c === 13 && !inQuotes;
    }
  }
  process.stdout.write(`${JSON.stringify({ records: summary.records, rows: rows - 1, pages, seconds, peakRssMb, bytes: summary.bytes })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
