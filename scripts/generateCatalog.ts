/**
 * npm run catalog -- [folder]
 * Reads Sage's OpenAPI files and writes src/core/catalog/sage200-catalog.json atomically: the
 * catalog is written to a temporary file beside it and renamed only when complete, so a failed run
 * leaves the previous catalog untouched.
 */
import * as fs from 'fs';
import * as path from 'path';
import { generateCatalog, SpecError, SpecInput } from '../src/core/catalog/generate';
import { OPENAPI_ENV, openApiFolder } from './openApiFolder';

const OUT = path.join(__dirname, '..', 'src', 'core', 'catalog', 'sage200-catalog.json');

function fail(message: string): never {
  process.stderr.write(`catalog: ${message}\n`);
  process.exit(1);
}

function main(argv: string[]): void {
  const args = argv.filter((a) => a !== '--');
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('Usage: npm run catalog -- [openapi-folder] [--out file]\n');
    return;
  }
  const outIndex = args.indexOf('--out');
  const out = outIndex >= 0 ? path.resolve(args[outIndex + 1] ?? fail('--out needs a file')) : OUT;
  const positional = args.filter((_, i) => i !== outIndex && i !== outIndex + 1);
  const folder = path.resolve(positional[0] ?? openApiFolder() ?? fail(`no OpenAPI folder: pass one, or set ${OPENAPI_ENV}`));
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    fail(`folder not found: ${folder}`);
  }
  const specs: SpecInput[] = [];
  for (const name of fs.readdirSync(folder).filter((n) => n.endsWith('.json')).sort()) {
    const text = fs.readFileSync(path.join(folder, name), 'utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      fail(`${name} is not valid JSON: ${(e as Error).message}`);
    }
    specs.push({ module: name.replace(/\.json$/, ''), json });
  }
  let result;
  try {
    result = generateCatalog(specs);
  } catch (e) {
    if (e instanceof SpecError) fail(`malformed spec: ${e.message}`);
    throw e;
  }
  const text = JSON.stringify(result.catalog);
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, out);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    fail(`could not write ${out}: ${(e as Error).message}`);
  }
  const linkedCount = Object.keys(result.linked).length;
  process.stdout.write(
    `catalog: ${specs.length} files, ${result.operations} operations, ${result.distinctPaths} distinct paths, ` +
    `${Object.keys(result.catalog.schemas).length} schemas, ${(text.length / 1024).toFixed(0)} KB -> ${path.relative(process.cwd(), out)}\n` +
    `catalog: linked ${linkedCount} empty child objects to their entity; ${result.unlinked.length} left unlinked:\n` +
    result.unlinked.map((u) => `  ${u}\n`).join(''),
  );
}

main(process.argv.slice(2));
