import * as assert from 'assert';
import { loadCatalog } from '../../../src/core/catalog';
import {
  applySelect, compileFilter, compileOrderBy, compileSelect, CompileContext, isoToMs, parseFilter, parseQueryString, Row,
} from '../../../src/core/odata';

const catalog = loadCatalog();

function pred(filter: string, ctx: CompileContext = { catalog, schema: 'customer' }): (r: Row) => boolean {
  const r = parseFilter(filter);
  assert.deepStrictEqual(r.errors, [], filter);
  return compileFilter(r.expr, ctx);
}

/** Ids of the rows a filter keeps. */
function ids(filter: string, rows: Row[], ctx?: CompileContext): unknown[] {
  const p = pred(filter, ctx);
  return rows.filter(p).map((r) => r.id);
}

const customers: Row[] = [
  { id: 1, reference: 'A1D001', name: 'Acme Ltd', balance: 1500.5, on_hold: true, credit_limit: 2500, account_opened: '2016-01-01T00:00:00', currency_id: 1, account_status_type: 'AccountStatusActive' },
  { id: 2, reference: 'B2C002', name: 'Bolt & Sons', balance: 0, on_hold: false, credit_limit: 1000, account_opened: '2016-06-15T12:30:00Z', currency_id: null, account_status_type: 'AccountStatusHold' },
  { id: 3, reference: 'C3X003', name: "O'Brien Traders", balance: -20, on_hold: false, credit_limit: null, account_opened: '2017-02-24T09:52:11.452Z', currency_id: 2, account_status_type: 'AccountStatusActive' },
  { id: 4, reference: 'acme2', name: 'ACME Wholesale', balance: 1000, on_hold: true, credit_limit: 5000, account_opened: null, currency_id: 1, account_status_type: 'AccountStatusActive' },
];

describe('odata compiled evaluation', () => {
  it('compares numbers with every operator', () => {
    assert.deepStrictEqual(ids('balance eq 1000', customers), [4]);
    assert.deepStrictEqual(ids('balance ne 1000', customers), [1, 2, 3]);
    assert.deepStrictEqual(ids('balance gt 1000', customers), [1]);
    assert.deepStrictEqual(ids('balance ge 1000', customers), [1, 4]);
    assert.deepStrictEqual(ids('balance lt 0', customers), [3]);
    assert.deepStrictEqual(ids('balance le 0', customers), [2, 3]);
    assert.deepStrictEqual(ids('balance gt -20.5', customers), [1, 2, 3, 4]);
    assert.deepStrictEqual(ids('1000 lt balance', customers), [1]);
  });

  it('compares booleans and combines with and/or/not and parentheses', () => {
    assert.deepStrictEqual(ids('on_hold eq true and balance gt 1000', customers), [1]);
    assert.deepStrictEqual(ids('on_hold eq true or balance lt 0', customers), [1, 3, 4]);
    assert.deepStrictEqual(ids('not (on_hold eq true)', customers), [2, 3]);
    assert.deepStrictEqual(ids('on_hold ne true and (balance eq 0 or balance lt 0)', customers), [2, 3]);
    assert.deepStrictEqual(ids('on_hold', customers), [1, 4]);
  });

  it('compares text case-insensitively, like SQL Server\'s default collation', () => {
    assert.deepStrictEqual(ids("reference eq 'a1d001'", customers), [1]);
    assert.deepStrictEqual(ids("name eq 'O''Brien Traders'", customers), [3]);
    assert.deepStrictEqual(ids("contains(name,'acme')", customers), [1, 4]);
    assert.deepStrictEqual(ids("startswith(name,'b')", customers), [2]);
    assert.deepStrictEqual(ids("endswith(name,'LTD')", customers), [1]);
    assert.deepStrictEqual(ids("contains(name,'&')", customers), [2]);
    assert.deepStrictEqual(ids("reference gt 'B'", customers), [2, 3]);
    assert.deepStrictEqual(ids("not contains(name,'acme')", customers), [2, 3]);
    assert.deepStrictEqual(ids("startswith(name,'A') eq true", customers), [1, 4]);
    assert.deepStrictEqual(ids("startswith(name,'A') eq false", customers), [2, 3]);
  });

  it('compares dates and date-times on ISO strings and Date objects, zone-less values as UTC', () => {
    assert.deepStrictEqual(ids('account_opened ge 2016-01-01 and account_opened lt 2017-01-01', customers), [1, 2]);
    assert.deepStrictEqual(ids('account_opened eq 2016-01-01', customers), [1]);
    assert.deepStrictEqual(ids('account_opened gt 2017-02-24T09:52:11.451Z', customers), [3]);
    assert.deepStrictEqual(ids('account_opened gt 2017-02-24T09:52:11.452Z', customers), []);
    assert.deepStrictEqual(ids('account_opened eq 2016-06-15T13:30:00+01:00', customers), [2]);
    const withDates = [{ id: 9, account_opened: new Date(Date.UTC(2020, 0, 2)) }];
    assert.deepStrictEqual(ids('account_opened gt 2020-01-01', withDates), [9]);
    assert.strictEqual(isoToMs('2016-02-24T09:52:11.452Z'), Date.parse('2016-02-24T09:52:11.452Z'));
    assert.strictEqual(isoToMs('2016-02-24T09:52:11'), Date.UTC(2016, 1, 24, 9, 52, 11));
    assert.strictEqual(isoToMs('2016-02-24 09:52'), Date.UTC(2016, 1, 24, 9, 52));
    assert.ok(Number.isNaN(isoToMs('not a date')));
    assert.ok(Number.isNaN(isoToMs('2016-13-01')));
  });

  it('treats null with OData rules: eq/ne null work, a null value is ne any literal, never gt/lt', () => {
    assert.deepStrictEqual(ids('currency_id eq null', customers), [2]);
    assert.deepStrictEqual(ids('currency_id ne null', customers), [1, 3, 4]);
    assert.deepStrictEqual(ids('credit_limit ne 1000', customers), [1, 3, 4]);
    assert.deepStrictEqual(ids('credit_limit gt 0', customers), [1, 2, 4]);
    assert.deepStrictEqual(ids('account_opened lt 2030-01-01', customers), [1, 2, 3]);
  });

  it('matches enums by name or by number through an enum table', () => {
    const ctx: CompileContext = {
      catalog, schema: 'sop_order',
      enumValues: { document_status: ['EnumDocumentStatusActive', 'EnumDocumentStatusDisputed', 'EnumDocumentStatusComplete'] },
    };
    const orders: Row[] = [
      { id: 1, document_status: 'EnumDocumentStatusComplete' },
      { id: 2, document_status: 'EnumDocumentStatusActive' },
      { id: 3, document_status: 2 },
    ];
    assert.deepStrictEqual(ids("document_status eq 'EnumDocumentStatusComplete'", orders, ctx), [1, 3]);
    assert.deepStrictEqual(ids("document_status eq '2'", orders, ctx), [1, 3]);
    assert.deepStrictEqual(ids("document_status ne '2'", orders, ctx), [2]);
    // Without a table, '2' only matches a stored 2, never a name.
    assert.deepStrictEqual(ids("document_status eq '2'", orders, { catalog, schema: 'sop_order' }), [3]);
  });

  it('reads dotted paths into child objects', () => {
    const orders: Row[] = [{ id: 1, customer: { name: 'Acme' } }, { id: 2, customer: null }, { id: 3 }];
    assert.deepStrictEqual(ids("customer.name eq 'acme'", orders, { catalog, schema: 'sop_order' }), [1]);
    assert.deepStrictEqual(ids("customer/name ne 'acme'", orders, { catalog, schema: 'sop_order' }), [2, 3]);
  });

  it('works without a catalog by inferring from the literal', () => {
    assert.deepStrictEqual(ids('balance gt 1000', customers, {}), [1]);
    assert.deepStrictEqual(ids('account_opened lt 2016-02-01', customers, {}), [1]);
    assert.deepStrictEqual(ids('name eq short_name', [{ id: 1, name: 'x', short_name: 'X' }, { id: 2, name: 'x', short_name: 'y' }], {}), [1]);
  });

  it('compiles unmatched constructs (errors, unknown functions, variables) to false, and no filter to true', () => {
    assert.deepStrictEqual(customers.filter(compileFilter(parseFilter("tolower(name) eq 'x'").expr)).length, 0);
    assert.deepStrictEqual(customers.filter(compileFilter(parseFilter('id eq {{x}}').expr)).length, 0);
    assert.deepStrictEqual(customers.filter(compileFilter(parseFilter('id eq').expr)).length, 0);
    assert.strictEqual(customers.filter(compileFilter(undefined)).length, 4);
  });

  it('evaluates a compound filter over 100,000 records in well under a second (target < 50 ms, measured by the sandbox bench)', () => {
    const rows: Row[] = [];
    for (let i = 0; i < 100000; i++) {
      rows.push({
        id: i, name: `Customer ${i} ${i % 7 === 0 ? 'Ltd' : 'plc'}`, balance: (i * 37) % 20000 - 5000, on_hold: i % 3 === 0,
        account_opened: `20${10 + (i % 15)}-0${1 + (i % 9)}-1${i % 10}T00:00:00Z`, currency_id: i % 5 === 0 ? null : 1,
      });
    }
    const p = pred("(on_hold eq true and balance gt 1000) or (contains(name,'ltd') and account_opened ge 2016-01-01 and currency_id ne null)");
    let best = Infinity;
    let count = 0;
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      count = 0;
      for (const r of rows) if (p(r)) count++;
      best = Math.min(best, performance.now() - t);
    }
    // Cross-check the count with a hand-written predicate.
    const expected = rows.filter((r) => (r.on_hold === true && (r.balance as number) > 1000) ||
      ((r.name as string).toLowerCase().includes('ltd') && Date.parse(r.account_opened as string) >= Date.UTC(2016, 0, 1) && r.currency_id != null)).length;
    assert.strictEqual(count, expected);
    console.log(`      compound filter over 100k records: best of 5 = ${best.toFixed(1)} ms`);
    // A generous bound: the machine is shared; the benchmark owns the 50 ms target.
    assert.ok(best < 1000, `took ${best} ms`);
  });

  describe('$orderby', () => {
    it('sorts by several fields, asc and desc, nulls first ascending', () => {
      const rows: Row[] = [
        { id: 1, name: 'b', balance: 5 }, { id: 2, name: 'A', balance: 5 }, { id: 3, name: 'c', balance: null },
        { id: 4, name: 'a', balance: 7 }, { id: 5, name: null, balance: 7 },
      ];
      const by = (text: string) => [...rows].sort(compileOrderBy(parseQueryString(`$orderby=${text}`).orderby!.items)).map((r) => r.id);
      assert.deepStrictEqual(by('balance'), [3, 1, 2, 4, 5]);
      assert.deepStrictEqual(by('balance desc,name'), [5, 4, 2, 1, 3]);
      assert.deepStrictEqual(by('name asc'), [5, 2, 4, 1, 3]);
      assert.deepStrictEqual(by('name desc,id desc'), [3, 1, 4, 2, 5]);
    });

    it('sorts dates and dotted paths', () => {
      const rows: Row[] = [{ id: 1, d: '2016-02-01T00:00:00Z', c: { n: 2 } }, { id: 2, d: '2015-12-31T00:00:00Z', c: { n: 1 } }];
      assert.deepStrictEqual([...rows].sort(compileOrderBy([{ path: 'd', dir: 'asc' }])).map((r) => r.id), [2, 1]);
      assert.deepStrictEqual([...rows].sort(compileOrderBy([{ path: 'c.n', dir: 'desc' }])).map((r) => r.id), [1, 2]);
    });
  });

  describe('$select and $expand projection', () => {
    const order: Row = {
      id: 7, document_no: 'SO7', document_date: '2016-01-01T00:00:00Z',
      customer: { id: 1, name: 'Acme', reference: 'A1D001', currency: { id: 3, symbol: '£' } },
      lines: [{ id: 70, product_id: 5, line_quantity: 2 }, { id: 71, product_id: 6, line_quantity: 1 }],
    };

    it('drops children that are not expanded, keeps plain fields', () => {
      assert.deepStrictEqual(applySelect(order), { id: 7, document_no: 'SO7', document_date: '2016-01-01T00:00:00Z' });
    });

    it('includes expanded children in full, nested expands too', () => {
      assert.deepStrictEqual(applySelect(order, undefined, ['customer']).customer, { id: 1, name: 'Acme', reference: 'A1D001' });
      assert.deepStrictEqual((applySelect(order, undefined, ['customer.currency']).customer as Row).currency, { id: 3, symbol: '£' });
    });

    it('selects plain fields and dotted paths into expanded children (lists element-wise)', () => {
      assert.deepStrictEqual(applySelect(order, ['id', 'document_no', 'customer.id', 'customer.name'], ['customer']),
        { id: 7, document_no: 'SO7', customer: { id: 1, name: 'Acme' } });
      assert.deepStrictEqual(applySelect(order, ['id', 'lines.product_id'], ['lines']), { id: 7, lines: [{ product_id: 5 }, { product_id: 6 }] });
      assert.deepStrictEqual(applySelect(order, ['id', 'customer'], ['customer']).customer, { id: 1, name: 'Acme', reference: 'A1D001' });
    });

    it('leaves out dotted paths whose child is not expanded, and unknown names', () => {
      assert.deepStrictEqual(applySelect(order, ['id', 'customer.name', 'nope']), { id: 7 });
    });

    it('accepts parsed items and * and a null child', () => {
      const q = parseQueryString('$select=*&$expand=customer');
      const project = compileSelect(q.select!.items, q.expand!.items);
      assert.deepStrictEqual(Object.keys(project(order)), ['id', 'document_no', 'document_date', 'customer']);
      assert.deepStrictEqual(project({ id: 1, customer: null }), { id: 1, customer: null });
    });
  });
});
