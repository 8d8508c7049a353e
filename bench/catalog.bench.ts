import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { Catalog, CatalogFile } from '../src/core/catalog';
import { Benchmark, median, round } from './harness';

const ROOT = path.join(__dirname, '..');

export const catalogLoad: Benchmark = {
  figures: ['catalog.loadMs', 'catalog.bytes'],
  async run() {
    const file = path.join(ROOT, 'src', 'core', 'catalog', 'sage200-catalog.json');
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = process.hrtime.bigint();
      const c = new Catalog(JSON.parse(fs.readFileSync(file, 'utf8')) as CatalogFile);
      c.resolve('/customers/1');
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return { 'catalog.loadMs': round(median(times)), 'catalog.bytes': fs.statSync(file).size };
  },
};

/** Builds the production bundle and the VSIX, and reports their sizes. */
export const packageSizes: Benchmark = {
  figures: ['bundle.extensionBytes', 'vsix.bytes'],
  async run() {
    execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'ignore' });
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    return {
      'bundle.extensionBytes': fs.statSync(path.join(ROOT, 'dist', 'extension.js')).size,
      'vsix.bytes': fs.statSync(path.join(ROOT, `sage200-explorer-${version}.vsix`)).size,
    };
  },
};
