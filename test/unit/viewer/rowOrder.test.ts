import * as assert from 'assert';
import fc from 'fast-check';
import { orderRows, recordMatches } from '../../../src/core/viewer/rowOrder';
import { columnValue, compareValues } from '../../../src/core/viewer/columns';

const customers = [
  { id: 1, name: 'Bolton Ltd', balance: 120.5, on_hold: false, address: { city: 'Leeds' } },
  { id: 2, name: 'acme', balance: -3, on_hold: true, address: { city: 'York' } },
  { id: 3, name: 'Zeta', balance: null, on_hold: false, address: null },
  { id: 4, name: 'Acme North', balance: 120.5, on_hold: false, address: { city: 'leeds' }, tags: ['VIP', 'north'] },
];

const ids = (order: Uint32Array | undefined, records = customers) => (order ? [...order] : records.map((_, i) => i)).map((i) => records[i].id);

describe('table row order (filter and sort)', () => {
  it('is undefined (every record, as received) with no filter and no sort', () => {
    assert.strictEqual(orderRows(customers, {}), undefined);
    assert.strictEqual(orderRows(customers, { filter: '' }), undefined);
  });

  it('filters case-insensitively through nested objects, arrays, numbers and booleans', () => {
    assert.deepStrictEqual(ids(orderRows(customers, { filter: 'LEEDS' })), [1, 4]);
    assert.deepStrictEqual(ids(orderRows(customers, { filter: 'vip' })), [4]);
    assert.deepStrictEqual(ids(orderRows(customers, { filter: '120.5' })), [1, 4]);
    assert.deepStrictEqual(ids(orderRows(customers, { filter: 'true' })), [2]);
    assert.deepStrictEqual(ids(orderRows(customers, { filter: 'no such text' })), []);
    // null is an empty cell, not the text "null"
    assert.deepStrictEqual(ids(orderRows(customers, { filter: 'null' })), []);
  });

  it('sorts by a column either way, by dotted paths too, stable for equal keys', () => {
    assert.deepStrictEqual(ids(orderRows(customers, { sort: { column: 'balance', descending: false } })), [2, 1, 4, 3]);
    assert.deepStrictEqual(ids(orderRows(customers, { sort: { column: 'balance', descending: true } })), [3, 1, 4, 2]);
    assert.deepStrictEqual(ids(orderRows(customers, { sort: { column: 'address.city', descending: false } })), [1, 2, 4, 3]);
  });

  it('sorts only the records the filter leaves', () => {
    assert.deepStrictEqual(ids(orderRows(customers, { filter: 'acme', sort: { column: 'name', descending: true } })), [2, 4]);
  });

  it('agrees with a plain filter-then-stable-sort for any records (property)', () => {
    const value = fc.oneof(fc.constant(null), fc.integer({ min: -5, max: 5 }), fc.boolean(), fc.constantFrom('a', 'B', 'ab', 'Ba', ''));
    fc.assert(
      fc.property(fc.array(fc.record({ k: value, n: fc.record({ v: value }) }), { maxLength: 40 }), fc.constantFrom('', 'a', '1', 'TRUE'), fc.constantFrom('k', 'n.v'), fc.boolean(), (records, filter, column, descending) => {
        const got = orderRows(records, { filter, sort: { column, descending } });
        const kept = records.map((r, i) => ({ r, i })).filter(({ r }) => !filter || recordMatches(r, filter.toLowerCase()));
        kept.sort((a, b) => (descending ? -1 : 1) * compareValues(columnValue(a.r, column), columnValue(b.r, column)) || a.i - b.i);
        assert.deepStrictEqual(got ? [...got] : undefined, kept.map((x) => x.i));
      }),
    );
  });
});
