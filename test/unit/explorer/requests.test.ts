import * as assert from 'assert';
import { loadCatalog } from '../../../src/core/catalog';
import {
  appendRequest, compareFields, describeFailure, fieldsMarkdown, keyFields, parseCount, parseMetadata, requestText,
} from '../../../src/core/explorer';

const catalog = loadCatalog();

describe('explorer requests and fields', () => {
  it('picks identifying fields for $select', () => {
    assert.deepStrictEqual(keyFields(catalog, 'customer'), ['id', 'reference', 'name', 'short_name']);
    for (const op of catalog.entities()) {
      const keys = keyFields(catalog, op.schema);
      if (!op.schema || catalog.fields(op.schema).length === 0) continue;
      assert.ok(keys.length > 0 && keys.length <= 5, `${op.path}: ${keys.join()}`);
      for (const k of keys) assert.ok(catalog.field(op.schema, k), `${op.path} has ${k}`);
    }
  });

  it('writes a ready-to-send request that the catalog resolves', () => {
    const text = requestText(catalog, { path: '/customers', module: 'sales', schema: 'customer', companyName: 'Demo Data Ltd' });
    assert.strictEqual(text, '### Sales: customers (Demo Data Ltd)\nGET /customers?$select=id,reference,name,short_name&$top=20\n');
    const url = text.split('\n')[1].slice(4);
    assert.strictEqual(catalog.resolve(url)?.operation.path, '/customers');
  });

  it('appends with one blank line and keeps the file\'s line endings', () => {
    assert.strictEqual(appendRequest('', 'GET /a\n'), 'GET /a\n');
    assert.strictEqual(appendRequest('GET /a\n\n\n', '### b\nGET /b\n'), 'GET /a\n\n### b\nGET /b\n');
    assert.strictEqual(appendRequest('GET /a\r\n', '### b\nGET /b\n'), 'GET /a\r\n\r\n### b\r\nGET /b\r\n');
  });

  it('reads a count from the shapes a server may answer', () => {
    assert.strictEqual(parseCount(42), 42);
    assert.strictEqual(parseCount('17'), 17);
    assert.strictEqual(parseCount({ '@odata.count': 5 }), 5);
    assert.strictEqual(parseCount({ count: 9 }), 9);
    assert.strictEqual(parseCount(undefined, ' 123 '), 123);
    assert.strictEqual(parseCount([{ id: 1 }, { id: 2 }]), undefined, 'a page is not a count');
    assert.strictEqual(parseCount({ message: 'x' }), undefined);
  });

  it('compares catalog fields with a live $metadata answer and marks the differences', () => {
    const live = parseMetadata([
      { name: 'id', type: 'Int64', sort_order: 1 },
      { name: 'reference', type: 'String' },
      { name: 'name', type: 'Boolean' },
      { name: 'brand_new_field', type: 'String' },
    ]);
    assert.ok(live);
    const rows = compareFields(catalog, 'customer', live);
    const by = new Map(rows.map((r) => [r.name, r.difference]));
    assert.strictEqual(by.get('id'), 'same');
    assert.strictEqual(by.get('reference'), 'same');
    assert.strictEqual(by.get('name'), 'typeDiffers');
    assert.strictEqual(by.get('brand_new_field'), 'liveOnly');
    assert.strictEqual(by.get('balance'), 'catalogOnly');
    assert.strictEqual(rows.length, catalog.fields('customer').length + 1);
    const md = fieldsMarkdown('customers', rows, 'Live answer from Sandbox');
    assert.match(md, /\| brand\\_new\\_field \|.*only in the live answer/);
    assert.match(md, /\| name \|.*type differs/);
    assert.deepStrictEqual(parseMetadata({ fields: [{ Name: 'a', Type: 'Int32' }] }), [{ name: 'a', type: 'Int32' }]);
    assert.deepStrictEqual(parseMetadata({ a: 'String', b: { type: 'Int32' } }), [{ name: 'a', type: 'String' }, { name: 'b', type: 'Int32' }]);
    // Without a live answer nothing is marked as different.
    assert.ok(compareFields(catalog, 'customer', undefined).every((r) => r.difference === 'same'));
  });

  it('escapes markdown in field names so that data cannot inject links or HTML', () => {
    const md = fieldsMarkdown('x', [{ name: '<img src=x onerror=alert(1)>[a](javascript:1)', live: { name: 'n' }, difference: 'liveOnly' }], '');
    assert.ok(!md.includes('<img'), md);
    assert.ok(!md.includes('[a]('), md);
  });

  it('describes plain network errors by code', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    assert.strictEqual(describeFailure(err).kind, 'network');
  });
});
