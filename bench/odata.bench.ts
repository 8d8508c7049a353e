import { loadCatalog } from '../src/core/catalog';
import { compileFilter, completeQueryAt, parseFilter, parseQueryString, validateQuery, Row } from '../src/core/odata';
import { filterCorpus } from '../test/unit/odata/corpus';
import { Benchmark, median, round } from './harness';

/** Best time of `n` runs of `f`, in ms. */
function best(f: () => void, n: number): number {
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    f();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return min;
}

/**
 * The OData layer on its own (the official editor and sandbox figures are measured by their areas):
 * - odata.parse1mbMs / odata.parse1mb.ratioToJsonParse: parse + validate 1 MB of `$filter` queries
 *   (the cross-check corpus repeated), against JSON.parse of 1 MB in the same run;
 * - odata.compiledFilter100kMs: a compiled compound filter over 100,000 in-memory customers;
 * - odata.complete.medianMs: completeQueryAt at every position of a typical query.
 */
export const odataBench: Benchmark = {
  figures: ['odata.parse1mbMs', 'odata.parse1mb.ratioToJsonParse', 'odata.compiledFilter100kMs', 'odata.complete.medianMs'],
  async run() {
    const catalog = loadCatalog();
    const corpus = filterCorpus();
    const queries: string[] = [];
    let size = 0;
    for (let i = 0; size < 1_000_000; i++) {
      const q = `$filter=${corpus[i % corpus.length]}&$select=id,reference,name&$orderby=name desc&$top=100`;
      queries.push(q);
      size += q.length;
    }
    const parseMs = best(() => {
      for (const q of queries) validateQuery(parseQueryString(q), { catalog, schema: 'customer' });
    }, 5);
    const json = JSON.stringify(Array.from({ length: 9000 }, (_, i) => ({ id: i, reference: `C${i}`, name: `Customer ${i} Ltd`, balance: i * 1.25, on_hold: i % 3 === 0 })));
    const jsonMs = best(() => JSON.parse(json), 10) * (1_000_000 / json.length);

    const rows: Row[] = Array.from({ length: 100_000 }, (_, i) => ({
      id: i, name: `Customer ${i} ${i % 7 === 0 ? 'Ltd' : 'plc'}`, balance: (i * 37) % 20000 - 5000, on_hold: i % 3 === 0,
      account_opened: `20${10 + (i % 15)}-0${1 + (i % 9)}-1${i % 10}T00:00:00Z`, currency_id: i % 5 === 0 ? null : 1,
    }));
    const pred = compileFilter(parseFilter("(on_hold eq true and balance gt 1000) or (contains(name,'ltd') and account_opened ge 2016-01-01 and currency_id ne null)").expr,
      { catalog, schema: 'customer' });
    const filterMs = best(() => {
      let n = 0;
      for (const r of rows) if (pred(r)) n++;
      if (n === 0) throw new Error('filter matched nothing');
    }, 7);

    const text = "$filter=(on_hold eq true and balance gt 1000) or contains(name,'ltd')&$select=id,reference,name&$orderby=name desc&$top=10";
    for (let c = 0; c <= text.length; c++) completeQueryAt(text, c, { catalog, schema: 'customer' });
    const times: number[] = [];
    for (let round2 = 0; round2 < 5; round2++) {
      for (let c = 0; c <= text.length; c++) {
        const t0 = process.hrtime.bigint();
        completeQueryAt(text, c, { catalog, schema: 'customer' });
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }
    return {
      'odata.parse1mbMs': round(parseMs, 1),
      'odata.parse1mb.ratioToJsonParse': round(parseMs / jsonMs, 1),
      'odata.compiledFilter100kMs': round(filterMs, 1),
      'odata.complete.medianMs': round(median(times)),
    };
  },
};
