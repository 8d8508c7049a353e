/**
 * npm run bench [-- <prefix>]
 * Runs every benchmark exported by bench/*.bench.ts (or only those of a file, or with a figure,
 * that starts with <prefix>) and merges the figures into bench/results.json, a flat object of named numbers.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Benchmark } from './harness';

async function main(): Promise<void> {
  const prefix = process.argv.slice(2).find((a) => a !== '--') ?? '';
  const file = path.join(__dirname, 'results.json');
  const results: Record<string, number> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number> : {};
  const modules = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).sort();
  let ran = 0;
  for (const m of modules) {
    const exported = (await import(path.join(__dirname, m))) as Record<string, Benchmark>;
    for (const [name, bench] of Object.entries(exported)) {
      if (!bench || !Array.isArray(bench.figures)) continue;
      // `npm run bench -- language` picks language.bench.ts; `-- parse` the benchmarks with parse.* figures.
      if (!m.startsWith(prefix) && !bench.figures.some((f) => f.startsWith(prefix))) continue;
      process.stdout.write(`bench: ${m} ${name} … `);
      const t0 = Date.now();
      const figures = await bench.run();
      ran++;
      process.stdout.write(`${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
      for (const [k, v] of Object.entries(figures)) {
        // A skipped figure also drops the last run's number, which would otherwise pass for this run's.
        if (typeof v === 'number') results[k] = v;
        else delete results[k];
        process.stdout.write(typeof v === 'number' ? `  ${k} = ${v}\n` : `  ${k} skipped: ${v.skipped}\n`);
      }
      fs.writeFileSync(file, JSON.stringify(results, Object.keys(results).sort(), 2) + '\n');
    }
  }
  if (ran === 0) {
    process.stderr.write(`bench: no benchmark has a figure starting with "${prefix}"\n`);
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
