/**
 * Filters over a whole sandbox table read its columns (Table.columns) instead of its records. The
 * two ways must keep exactly the same rows for every filter and every value a record can hold:
 * wrong types, nulls, numeric text, dates with zones, text that is not a date, enum numbers.
 */
import * as assert from 'assert';
import fc from 'fast-check';
import { loadCatalog } from '../../../src/core/catalog';
import { compileFilter, parseFilter } from '../../../src/core/odata';
import { Rec, Table } from '../../../src/core/sandbox/store';
import { enumTables } from '../../../src/core/sandbox/enums';

const catalog = loadCatalog();
const schema = catalog.schema('customer');
if (!schema) throw new Error('the catalog has no customer schema');

const anyValue = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer({ min: -3, max: 3 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(1000, 1000.5, 50000, 0, -0, Infinity),
  fc.constantFrom('', ' ', '1000', '12.5', 'abc', 'Apex', 'APEX ltd', 'apeX0', 'ß', 'İ', '0', 'true'),
  fc.constantFrom('2018-01-01', '2018-01-01T00:00:00Z', '2017-12-31T23:59:59', '2018-01-01T01:00:00+02:00', '2018-13-01', 'not a date'),
  fc.string({ maxLength: 4 }),
  fc.constantFrom('AccountStatusActive', 'AccountStatusHold', 1, 2),
);

const FIELDS = ['balance', 'credit_limit', 'on_hold', 'account_opened', 'name', 'reference', 'account_status_type', 'id'] as const;
const record = fc.record(Object.fromEntries(FIELDS.filter((f) => f !== 'id').map((f) => [f, anyValue])) as Record<string, typeof anyValue>, { requiredKeys: [] });

const literal = fc.constantFrom('1000', '-1.5', '0', '50000', 'true', 'false', 'null', "'1000'", "'apex'", "'Apex'", "'AccountStatusHold'", "'1'", '2018-01-01', '2018-01-01T00:00:00Z', "'2018-01-01'", "''");
const op = fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le');
const field = fc.constantFrom(...FIELDS);
const leaf = fc.oneof(
  fc.tuple(field, op, literal).map(([f, o, l]) => `${f} ${o} ${l}`),
  fc.tuple(literal, op, field).map(([l, o, f]) => `${l} ${o} ${f}`),
  fc.tuple(field, op, field).map(([a, o, b]) => `${a} ${o} ${b}`),
  fc.tuple(fc.constantFrom('contains', 'startswith', 'endswith'), field, fc.constantFrom("'ap'", "'0'", "'EX'", "''", "'ß'", "'1'", "'hold'")).map(([fn, f, l]) => `${fn}(${f},${l})`),
  fc.constantFrom('on_hold', 'not on_hold'),
);
const filter = fc.letrec((tie) => ({
  expr: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('and'), tie('or'), tie('not')),
  and: fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `(${a} and ${b})`),
  or: fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `(${a} or ${b})`),
  not: tie('expr').map((e) => `not (${e})`),
})).expr as fc.Arbitrary<string>;

function tableOf(rows: readonly Record<string, unknown>[]): Table {
  const table = new Table(schema!, 1001);
  // Values that are undefined stay off the record, so the field reads from the table's defaults.
  table.load(rows.map((r) => table.create(Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)))));
  return table;
}

/** Ids kept by the filter, evaluated on the records (as for a parent's lines) and on the columns. */
function bothWays(table: Table, text: string): { records: number[]; columns: number[] } {
  const parsed = parseFilter(text);
  const ctx = { catalog, schema: 'customer', enumValues: enumTables(catalog, 'customer') };
  const onRecords = compileFilter(parsed.expr, ctx);
  const onColumns = compileFilter(parsed.expr, { ...ctx, columns: table.columns });
  return {
    records: table.records.filter((r) => onRecords(r)).map((r) => r.id),
    columns: table.records.filter((r, i) => onColumns(r, i)).map((r) => r.id),
  };
}

describe('sandbox: filters through table columns', () => {
  it('keep exactly the rows that filtering the records keeps (property)', () => {
    fc.assert(fc.property(fc.array(record, { minLength: 1, maxLength: 12 }), filter, (rows, text) => {
      const { records, columns } = bothWays(tableOf(rows), text);
      assert.deepStrictEqual(columns, records, text);
    }), { numRuns: 400 });
  });

  it('see every write: insert, change and removal rebuild the columns', () => {
    const table = tableOf([{ balance: 5, name: 'Apex' }, { balance: 2000, name: 'Other' }]);
    const run = (f: string): number[] => {
      const { records, columns } = bothWays(table, f);
      assert.deepStrictEqual(columns, records, f);
      return columns;
    };
    assert.deepStrictEqual(run('balance gt 1000'), [1002]);
    assert.deepStrictEqual(run("startswith(name,'apex')"), [1001]);
    const first = table.records[0] as Rec;
    first.balance = 3000;
    first.name = 'Zed';
    table.changed(first);
    assert.deepStrictEqual(run('balance gt 1000'), [1001, 1002]);
    assert.deepStrictEqual(run("startswith(name,'apex')"), []);
    table.insert(table.create({ balance: 1001, name: 'apex two' }));
    assert.deepStrictEqual(run('balance gt 1000'), [1001, 1002, 1003]);
    assert.deepStrictEqual(run("startswith(name,'apex')"), [1003]);
    table.remove(1002);
    assert.deepStrictEqual(run('balance gt 1000'), [1001, 1003]);
  });
});
