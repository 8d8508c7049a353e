import * as assert from 'assert';
import { AUTO_FLATTEN_FIELDS, cellText, compactDateTime, formatCount, inferColumns, layoutColumns, selectedPaths } from '../../../src/core/viewer';

describe('viewer: table columns from nested objects and $select', () => {
  const orders = [
    { id: 1, customer: { name: 'Rowe & Morgan' }, lines: [{ id: 7 }, { id: 8 }] },
    { id: 2, customer: { name: 'Beacon Plumbing' }, lines: [] },
  ];
  const wide = Object.fromEntries(Array.from({ length: AUTO_FLATTEN_FIELDS + 1 }, (_, i) => [`f${i}`, i]));

  it('infers the fields of nested objects, as deep as three levels', () => {
    const cols = inferColumns([{ a: { b: { c: { d: { e: 1 } } } } }]);
    assert.deepStrictEqual(cols, [
      { key: 'a', kind: 'object', children: [{ key: 'b', kind: 'object', children: [{ key: 'c', kind: 'object' }] }] },
    ]);
  });

  it('shows a small object as a column per field, keeps arrays as one column, and leaves a big object whole', () => {
    const cols = inferColumns([...orders.map((o) => ({ ...o, big: wide }))]);
    assert.deepStrictEqual(layoutColumns(cols), [
      { key: 'id', kind: 'number' },
      { key: 'customer.name', kind: 'string', parent: 'customer' },
      { key: 'lines', kind: 'array' },
      { key: 'big', kind: 'object', fields: AUTO_FLATTEN_FIELDS + 1 },
    ]);
  });

  it("follows the user's choice per object, either way", () => {
    const cols = inferColumns([{ id: 1, customer: { name: 'N' }, big: wide }]);
    const keys = layoutColumns(cols, { flatten: { customer: false, big: true } }).map((c) => c.key);
    assert.deepStrictEqual(keys, ['id', 'customer', ...Object.keys(wide).map((k) => `big.${k}`)]);
  });

  it("flattens what the $select names, with a column for a field no record carries", () => {
    const cols = inferColumns([{ id: 1, customer: null, big: wide }]);
    const out = layoutColumns(cols, { select: ['id', 'customer.name', 'big.f1', 'missing.code'] });
    assert.deepStrictEqual(out.map((c) => c.key), ['id', 'customer.name', ...Object.keys(wide).map((k) => `big.${k}`), 'missing.code']);
    // The user can still fold what the $select flattened.
    assert.deepStrictEqual(layoutColumns(cols, { select: ['customer.name'], flatten: { customer: false } }).map((c) => c.key), ['id', 'customer', 'big']);
  });

  it('does not flatten an object whose field names hold a dot (its path would not find them)', () => {
    assert.deepStrictEqual(layoutColumns(inferColumns([{ o: { 'a.b': 1 } }])).map((c) => c.key), ['o']);
  });

  it("reads the $select paths of a request URL", () => {
    assert.deepStrictEqual(selectedPaths('https://h/v1/sop_orders?$expand=customer&$select=id,%20customer.name'), ['id', 'customer.name']);
    assert.deepStrictEqual(selectedPaths('/customers?$top=5'), []);
    assert.deepStrictEqual(selectedPaths('not a url ?$select=a'), ['a']);
  });
});

describe('viewer: cell text and counts', () => {
  it('shows midnight date-times as dates and other date-times compactly', () => {
    assert.strictEqual(compactDateTime('2025-10-25T00:00:00Z'), '2025-10-25');
    assert.strictEqual(compactDateTime('2025-10-25T00:00:00.000+01:00'), '2025-10-25');
    assert.strictEqual(compactDateTime('2025-10-25T14:03:00'), '2025-10-25 14:03');
    assert.strictEqual(compactDateTime('2025-10-25T14:03:27.5Z'), '2025-10-25 14:03:27');
    assert.strictEqual(compactDateTime('2025-10-25'), undefined);
    assert.strictEqual(compactDateTime('on 2025-10-25T00:00:00Z'), undefined);
    assert.strictEqual(cellText('2025-10-25T00:00:00Z'), '2025-10-25');
    assert.strictEqual(cellText('plain'), 'plain');
  });

  it('counts with the singular for one', () => {
    assert.strictEqual(formatCount(1, 'record'), '1 record');
    assert.strictEqual(formatCount(0, 'record'), '0 records');
    assert.strictEqual(formatCount(2500, 'match', 'matches'), '2,500 matches');
  });
});
