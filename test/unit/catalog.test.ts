import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Catalog, CatalogFile, generateCatalog, lazyCatalog, linkTarget, loadCatalog, SpecError } from '../../src/core/catalog';
import { OPENAPI_ENV, openApiFolder } from '../../scripts/openApiFolder';

const ROOT = path.join(__dirname, '..', '..');
const SPECS = openApiFolder();

/** Tests that regenerate the catalog need Sage's files; without them they say loudly why they skip. */
function withSpecs(title: string, body: (specs: string) => void): void {
  it(title, function () {
    if (!SPECS) {
      process.stderr.write(`\n  SKIPPED "${title}": Sage's OpenAPI files are not here (set ${OPENAPI_ENV}, or put them in ../shared/sage200-openapi)\n`);
      this.skip();
    }
    body(SPECS);
  });
}
const COMMITTED = path.join(ROOT, 'src', 'core', 'catalog', 'sage200-catalog.json');

describe('catalog', () => {
  const catalog = loadCatalog(COMMITTED);

  it('lazyCatalog reads the file on the first call only, and reports that one load', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-catalog-'));
    try {
      const file = path.join(dir, 'catalog.json');
      const loads: number[] = [];
      // The file does not exist yet: creating the source must not touch it.
      const source = lazyCatalog(file, (_ms, c) => loads.push(c.stats.operations));
      assert.deepStrictEqual(loads, []);
      fs.copyFileSync(COMMITTED, file);
      const first = source();
      fs.rmSync(file);
      assert.strictEqual(source(), first, 'the same catalog, not a second read');
      assert.deepStrictEqual(loads, [712]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds all 712 operations over 505 distinct paths', () => {
    const ops = catalog.operations.reduce((n, op) => n + op.verbs.length, 0);
    assert.strictEqual(ops, 712);
    assert.strictEqual(new Set(catalog.operations.map((o) => o.path)).size, 505);
    const verbs: Record<string, number> = {};
    for (const op of catalog.operations) for (const v of op.verbs) verbs[v] = (verbs[v] ?? 0) + 1;
    assert.deepStrictEqual(verbs, { GET: 459, POST: 100, PUT: 86, DELETE: 67 });
    assert.deepStrictEqual(catalog.stats, { operations: 712, paths: 505 });
  });

  it('keeps field facts: reference maxLength 8, balance readOnly, contacts an array of customer_contact', () => {
    const reference = catalog.field('customer', 'reference');
    assert.strictEqual(reference?.type, 'string');
    assert.strictEqual(reference?.maxLength, 8);
    assert.strictEqual(reference?.required, true);
    assert.strictEqual(catalog.field('customer', 'balance')?.readOnly, true);
    assert.strictEqual(catalog.field('customer', 'balance')?.format, 'decimal 2dp');
    const contacts = catalog.field('customer', 'contacts');
    assert.strictEqual(contacts?.type, 'array');
    assert.strictEqual(contacts?.ref, 'customer_contact');
    assert.strictEqual(catalog.field('customer', 'on_hold')?.default, false);
    assert.strictEqual(catalog.field('customer', 'id')?.format, 'int64');
  });

  it('links empty child objects to their entity', () => {
    assert.strictEqual(catalog.field('sop_order', 'customer')?.ref, 'customer');
    assert.strictEqual(catalog.field('customer', 'default_tax_code')?.ref, 'tax_code');
    assert.strictEqual(catalog.field('sop_order', 'customer.name')?.type, 'string');
    assert.ok(catalog.fields('sop_order', 'customer').some((f) => f.name === 'reference'));
  });

  it('decides links by name and sibling', () => {
    const schemas = new Map<string, unknown>([['customer', 1], ['tax_code', 1], ['currency', 1], ['code', 1]]);
    assert.strictEqual(linkTarget('customer', new Set(), schemas), 'customer');
    assert.strictEqual(linkTarget('default_tax_code', new Set(['default_tax_code_id']), schemas), 'tax_code');
    assert.strictEqual(linkTarget('currency_base', new Set(), schemas), 'currency');
    assert.strictEqual(linkTarget('mystery_thing', new Set(), schemas), undefined);
  });

  it('resolves request paths to operations and parameters', () => {
    assert.strictEqual(catalog.resolve('/customers')?.operation.path, '/customers');
    assert.strictEqual(catalog.resolve('/customers')?.schema?.name, 'customer');
    const one = catalog.resolve('/customers/27825');
    assert.strictEqual(one?.operation.path, '/customers/{Id}');
    assert.deepStrictEqual(one?.params, { Id: '27825' });
    const nested = catalog.resolve('/customers/12/customer_contacts');
    assert.strictEqual(nested?.operation.path, '/customers/{customerId}/customer_contacts');
    assert.strictEqual(nested?.params.customerId, '12');
    assert.strictEqual(catalog.resolve('/customers_new')?.operation.path, '/customers_new');
    assert.strictEqual(catalog.resolve('https://api.columbus.sage.com/uk/sage200/accounts/v1/customers?$top=1')?.operation.path, '/customers');
    assert.strictEqual(catalog.resolve('/no_such_thing'), undefined);
    assert.strictEqual(catalog.resolve('/customers/1/2/3/4'), undefined);
  });

  it('lists entities by module and edition', () => {
    const sales = catalog.entities({ module: 'sales' });
    assert.ok(sales.some((o) => o.path === '/customers'));
    assert.ok(sales.every((o) => o.module === 'sales' && o.verbs.includes('GET') && !o.isItem));
    const pro = catalog.operations.filter((o) => o.professionalOnly);
    assert.ok(pro.length > 0);
    const standard = catalog.entities({ edition: 'standard' });
    assert.ok(standard.every((o) => !o.professionalOnly));
    assert.ok(catalog.entities({ edition: 'professional' }).length > standard.length);
  });

  withSpecs('regenerates to exactly the committed catalog', (folder) => {
    const specs = fs.readdirSync(folder).filter((f) => f.endsWith('.json'))
      .map((f) => ({ module: f.replace(/\.json$/, ''), json: JSON.parse(fs.readFileSync(path.join(folder, f), 'utf8')) as unknown }));
    const result = generateCatalog(specs);
    assert.strictEqual(JSON.stringify(result.catalog), fs.readFileSync(COMMITTED, 'utf8'));
    assert.ok(result.unlinked.length < 30, `unlinked: ${result.unlinked.length}`);
  });

  it('is at most 400 KB', () => {
    assert.ok(fs.statSync(COMMITTED).size <= 400 * 1024);
  });

  it('rejects malformed specs with a message that names the place', () => {
    assert.throws(() => generateCatalog([]), SpecError);
    assert.throws(() => generateCatalog([{ module: 'x', json: { foo: 1 } }]), /x\.json: not an OpenAPI document/);
    assert.throws(() => generateCatalog([{ module: 'x', json: { openapi: '3.0.1', paths: {} } }]), /components\.schemas/);
    assert.throws(
      () => generateCatalog([{ module: 'x', json: { openapi: '3.0.1', paths: {}, components: { schemas: { a: { properties: { b: { $ref: '#/components/schemas/missing' } } } } } } }]),
      /a\.b: \$ref "#\/components\/schemas\/missing" does not resolve/,
    );
  });

  it('works from an in-memory file', () => {
    const file: CatalogFile = { v: 1, modules: ['sales'], ops: [['/things', 0, 'GP', 'thing', 0]], schemas: { thing: [0, [['id', 'integer', 'int64', 0, 1, '']]] } };
    const c = new Catalog(file);
    assert.deepStrictEqual(c.resolve('/things')?.operation.verbs, ['GET', 'POST']);
    assert.strictEqual(c.field('thing', 'id')?.readOnly, true);
  });
});

describe('catalog generator CLI', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(ROOT, 'scripts', 'generateCatalog.ts'), ...args], { encoding: 'utf8' });
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('fails on a missing folder, leaving the output untouched', () => {
    const out = path.join(tmp, 'out.json');
    fs.writeFileSync(out, 'previous');
    const r = run([path.join(tmp, 'nope'), '--out', out]);
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /folder not found/);
    assert.strictEqual(fs.readFileSync(out, 'utf8'), 'previous');
  });

  it('fails on a non-JSON file and on a malformed spec, leaving no half-written catalog', () => {
    const out = path.join(tmp, 'out.json');
    fs.writeFileSync(path.join(tmp, 'sales.json'), '{ not json');
    let r = run([tmp, '--out', out]);
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /sales\.json is not valid JSON/);
    fs.writeFileSync(path.join(tmp, 'sales.json'), JSON.stringify({ openapi: '3.0.1' }));
    r = run([tmp, '--out', out]);
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /malformed spec: sales\.json: "paths"/);
    assert.ok(!fs.existsSync(out));
    assert.deepStrictEqual(fs.readdirSync(tmp), ['sales.json']);
  });

  withSpecs('writes the catalog for the real specs', (folder) => {
    const out = path.join(tmp, 'out.json');
    const stdout = execFileSync(process.execPath, [require.resolve('tsx/cli'), path.join(ROOT, 'scripts', 'generateCatalog.ts'), folder, '--out', out], { encoding: 'utf8' });
    assert.match(stdout, /712 operations, 505 distinct paths/);
    assert.strictEqual(fs.readFileSync(out, 'utf8'), fs.readFileSync(COMMITTED, 'utf8'));
  });
});
