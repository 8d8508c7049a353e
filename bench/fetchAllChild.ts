/**
 * Child process of bench/fetchAll.bench.ts. `ours` streams every customer with the client's
 * fetchAll, through the proxy given as a fifth argument if any (the CLI's agents, which also trust
 * NODE_EXTRA_CA_CERTS); `bare` walks the same pages with a plain node-fetch loop (same URLs, same
 * headers, res.json()), and `undici` the same loop with Node's own fetch. Each prints one JSON
 * line: records, seconds, peak RSS. Running each in its own process makes maxRSS that code's own
 * peak, without the sandbox's data set.
 */
import fetch from 'node-fetch';
import { Sage200Client, fetchAll } from '../src/core/http';
import { createNetworkAgents } from '../src/core/http/proxy';

const PAGE = 5000;

async function main(): Promise<void> {
  const [mode, baseUrl, site, company, proxy] = process.argv.slice(2);
  const token = process.env.SAGE200_BENCH_TOKEN ?? '';
  let records = 0;
  const t0 = process.hrtime.bigint();
  if (mode === 'ours') {
    const agents = createNetworkAgents(proxy ? { proxy } : {});
    const client = new Sage200Client({ baseUrl, agents, tokens: { getAccessToken: async () => token, refreshAfterUnauthorized: async () => undefined } });
    await fetchAll(client, '/customers', { site, company, pageSize: PAGE, onPage: (recs) => void (records += recs.length) });
    client.dispose();
    agents.destroy();
  } else {
    const get = mode === 'undici' ? globalThis.fetch : fetch;
    const headers = { Authorization: `Bearer ${token}`, 'X-Site': site, 'X-Company': company, Accept: 'application/json' };
    for (let skip = 0; ; skip += PAGE) {
      const res = await get(`${baseUrl}/customers?$orderby=id%20asc&$top=${PAGE}&$skip=${skip}`, { headers });
      if (!res.ok) throw new Error(`${mode} loop: HTTP ${res.status}`);
      const page = (await res.json()) as unknown[];
      records += page.length;
      if (page.length < PAGE) break;
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ records, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
