import * as assert from 'assert';
import { loadCatalog } from '../../../src/core/catalog';
import { ODataDiagnostic, parseQueryString, validateQuery, ValidateContext } from '../../../src/core/odata';

const catalog = loadCatalog();

function check(text: string, ctx: Partial<ValidateContext> = {}): ODataDiagnostic[] {
  return validateQuery(parseQueryString(text), { catalog, schema: 'customer', ...ctx });
}

/** [code, severity, the text the range covers] for compact assertions. */
function summary(text: string, ctx: Partial<ValidateContext> = {}): [string, string, string][] {
  return check(text, ctx).map((d) => [d.code, d.severity, text.slice(d.start, d.end)]);
}

function one(text: string, code: string, ctx: Partial<ValidateContext> = {}): ODataDiagnostic {
  const ds = check(text, ctx).filter((d) => d.code === code);
  assert.strictEqual(ds.length, 1, `expected one ${code} in ${text}, got ${JSON.stringify(check(text, ctx))}`);
  return ds[0];
}

/** Applies a diagnostic's fix to the text. */
function fixed(text: string, d: ODataDiagnostic): string {
  assert.ok(d.fix, `no fix on ${d.code}`);
  let out = text;
  for (const e of [...d.fix.edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

describe('odata validation', () => {
  it('accepts the docs and issue examples without diagnostics', () => {
    assert.deepStrictEqual(summary('$filter=on_hold eq true and balance gt 1000&$select=id,reference,name&$top=10'), []);
    assert.deepStrictEqual(summary("$filter=(document_date ge 2016-01-01 and document_date le 2016-12-31) or document_status eq 'EnumDocumentStatusComplete'&$expand=customer&$select=id,document_no,customer.id,customer.name&$orderby=document_date desc", { schema: 'sop_order' }), []);
    assert.deepStrictEqual(summary("$filter=document_status eq '2'&$count=true&$metadata=false", { schema: 'sop_order' }), []);
    assert.deepStrictEqual(summary("$filter=contains(name,'ltd') and not startswith(reference,'Z')&$orderby=name,id desc&$skip=500"), []);
  });

  it('syntax: passes parser errors through with their ranges', () => {
    assert.deepStrictEqual(summary('$filter=name eq'), [['syntax', 'error', 'eq']]);
    assert.deepStrictEqual(summary('$filter=(on_hold eq true'), [['syntax', 'error', '(']]);
  });

  it('bad-number and bad-boolean', () => {
    assert.deepStrictEqual(summary('$top=abc'), [['bad-number', 'error', 'abc']]);
    const neg = one('$top=-1', 'bad-number');
    assert.strictEqual(fixed('$top=-1', neg), '$top=1');
    assert.deepStrictEqual(summary('$skip=-5&$orderby=id'), [['bad-number', 'error', '-5']]);
    assert.deepStrictEqual(summary('$count=yes'), [['bad-boolean', 'error', 'yes']]);
  });

  it('top-range: $top outside 1–5000, with a clamp fix', () => {
    const hi = one('$top=5001', 'top-range');
    assert.match(hi.message, /5001.*5000/);
    assert.strictEqual(fixed('$top=5001', hi), '$top=5000');
    assert.strictEqual(fixed('$top=0', one('$top=0', 'top-range')), '$top=1');
    assert.deepStrictEqual(summary('$top=5000'), []);
    assert.deepStrictEqual(summary('$top=1'), []);
  });

  it('skip-without-orderby, with a fix that adds $orderby=id asc', () => {
    const text = '$skip=10&$top=5';
    const d = one(text, 'skip-without-orderby');
    assert.strictEqual(text.slice(d.start, d.end), '$skip');
    assert.strictEqual(fixed(text, d), '$skip=10&$top=5&$orderby=id asc');
    assert.deepStrictEqual(summary(fixed(text, d)), []);
  });

  it('unknown-option: $-options Sage lacks, and a forgotten $', () => {
    const d = one('$fliter=a eq 1', 'unknown-option');
    assert.match(d.message, /Unknown query option '\$fliter'.*Did you mean \$filter/);
    assert.strictEqual(fixed('$fliter=a eq 1', d), '$filter=a eq 1');
    const bare = one('top=5', 'unknown-option');
    assert.strictEqual(bare.severity, 'warning');
    assert.strictEqual(fixed('top=5', bare), '$top=5');
    assert.deepStrictEqual(summary('api-version=1'), []);
  });

  it('duplicate-option is a warning', () => {
    assert.deepStrictEqual(summary('$top=1&$top=2'), [['duplicate-option', 'warning', '$top']]);
  });

  it('unknown-field in $filter, $select, $orderby and $expand, naming the field and entity, with did-you-mean', () => {
    const d = one('$filter=balanse gt 1', 'unknown-field');
    assert.match(d.message, /Unknown field 'balanse' on 'customer' in \$filter\. Did you mean 'balance'\?/);
    assert.strictEqual(fixed('$filter=balanse gt 1', d), '$filter=balance gt 1');
    assert.deepStrictEqual(summary('$select=id,nmae'), [['unknown-field', 'error', 'nmae']]);
    assert.deepStrictEqual(summary('$orderby=nope desc'), [['unknown-field', 'error', 'nope']]);
    assert.deepStrictEqual(summary('$expand=contcts'), [['unknown-field', 'error', 'contcts']]);
    assert.deepStrictEqual(summary("$filter=contains(nmae,'x')"), [['unknown-field', 'error', 'nmae']]);
  });

  it('unknown-field follows dotted paths through expanded children', () => {
    assert.deepStrictEqual(summary('$expand=customer&$select=id,customer.name', { schema: 'sop_order' }), []);
    assert.deepStrictEqual(summary('$expand=customer&$select=customer.nmae', { schema: 'sop_order' }), [['unknown-field', 'error', 'nmae']]);
    assert.deepStrictEqual(summary("$filter=customer.reference eq 'A1D001'", { schema: 'sop_order' }), []);
    assert.deepStrictEqual(summary('$select=document_no.x', { schema: 'sop_order' }).map((s) => s[0]), ['unknown-field']);
    assert.deepStrictEqual(summary('$expand=lines&$select=lines.product_id', { schema: 'sop_order' }), []);
  });

  it('type-mismatch: $filter and $orderby cannot reach through a list', () => {
    const text = '$filter=lines.product_id eq 5&$orderby=lines.id';
    assert.deepStrictEqual(summary(text, { schema: 'sop_order' }).map((s) => [s[0], s[2]]), [
      ['type-mismatch', 'lines.product_id'], ['type-mismatch', 'lines.id'],
    ]);
    assert.match(check(text, { schema: 'sop_order' })[0].message, /'lines' is a list/);
  });

  it('select-needs-expand: a dotted $select needs its child in $expand (fix adds it)', () => {
    const text = '$select=id,customer.name';
    const d = one(text, 'select-needs-expand', { schema: 'sop_order' });
    assert.strictEqual(d.severity, 'warning');
    assert.strictEqual(fixed(text, d), '$select=id,customer.name&$expand=customer');
    const text2 = '$expand=lines&$select=customer.name';
    assert.strictEqual(fixed(text2, one(text2, 'select-needs-expand', { schema: 'sop_order' })), '$expand=lines,customer&$select=customer.name');
  });

  it('expand-not-expandable lists what can be expanded', () => {
    const d = one('$expand=name', 'expand-not-expandable');
    assert.match(d.message, /'name' is a string field, not a child entity.*\(expandable: country_code, credit_bureau/);
  });

  it('type-mismatch: text vs number, number vs text, booleans, dates, objects', () => {
    const q1 = "$filter=reference eq 123";
    const d1 = one(q1, 'type-mismatch');
    assert.match(d1.message, /'reference' is a text field/);
    assert.strictEqual(fixed(q1, d1), "$filter=reference eq '123'");
    const q2 = "$filter=balance gt '1000'";
    assert.strictEqual(fixed(q2, one(q2, 'type-mismatch')), '$filter=balance gt 1000');
    assert.match(one("$filter=balance gt 'abc'", 'type-mismatch').message, /'balance' is a number field; 'abc' is quoted text/);
    const q3 = "$filter=on_hold eq 'true'";
    assert.strictEqual(fixed(q3, one(q3, 'type-mismatch')), '$filter=on_hold eq true');
    assert.match(one('$filter=on_hold eq 1', 'type-mismatch').message, /boolean field/);
    assert.match(one('$filter=balance gt 2016-01-01', 'type-mismatch').message, /number field; 2016-01-01 is a date/);
    const q4 = "$filter=account_opened gt '2016-01-01'";
    assert.strictEqual(fixed(q4, one(q4, 'type-mismatch')), '$filter=account_opened gt 2016-01-01');
    assert.match(one('$filter=account_opened gt 5', 'type-mismatch').message, /date-time field/);
    assert.match(one('$filter=currency eq 1', 'type-mismatch').message, /an object; compare one of its fields, e.g. currency\.id/);
    assert.match(one('$filter=balance', 'type-mismatch').message, /not a condition/);
    assert.match(one('$filter=contains(balance,\'1\')', 'type-mismatch').message, /text fields; 'balance' is a number/);
    assert.strictEqual(one('$filter=id eq 1.5', 'type-mismatch').severity, 'warning');
    assert.match(one('$orderby=contacts', 'type-mismatch').message, /Cannot sort by 'contacts'/);
    assert.deepStrictEqual(summary('$filter=currency_id eq null'), []);
    assert.deepStrictEqual(summary('$filter=name gt balance').map((x) => [x[0], x[1]]), [['type-mismatch', 'warning']]);
    assert.deepStrictEqual(summary('$filter=balance gt credit_limit and id lt balance'), []);
  });

  it('datetime-missing-z, with a fix that adds Z; offsets get a convert-to-UTC fix', () => {
    const text = '$filter=date_received gt 2016-02-24T09:52:11';
    const d = one(text, 'datetime-missing-z');
    assert.strictEqual(text.slice(d.start, d.end), '2016-02-24T09:52:11');
    assert.strictEqual(fixed(text, d), '$filter=date_received gt 2016-02-24T09:52:11Z');
    assert.deepStrictEqual(summary(fixed(text, d)), []);
    const off = '$filter=date_received gt 2016-02-24T09:52:11+01:00';
    const o = one(off, 'datetime-missing-z');
    assert.strictEqual(o.severity, 'warning');
    assert.strictEqual(fixed(off, o), '$filter=date_received gt 2016-02-24T08:52:11.000Z');
  });

  it('unquoted-value for strings and enums, with a quote fix', () => {
    const text = '$filter=document_status eq EnumDocumentStatusComplete';
    const d = one(text, 'unquoted-value', { schema: 'sop_order' });
    assert.match(d.message, /Unquoted value 'EnumDocumentStatusComplete'/);
    assert.strictEqual(fixed(text, d), "$filter=document_status eq 'EnumDocumentStatusComplete'");
    assert.deepStrictEqual(summary(fixed(text, d), { schema: 'sop_order' }), []);
    const fn = "$filter=contains(name,ltd)";
    assert.strictEqual(fixed(fn, one(fn, 'unquoted-value')), "$filter=contains(name,'ltd')");
    // A real field on the right is a field comparison, not an unquoted value.
    assert.deepStrictEqual(summary('$filter=name eq short_name'), []);
  });

  it('professional-only-field on a Standard connection only', () => {
    const text = "$filter=office_type eq 'x'&$select=id,finance_charge_id";
    assert.deepStrictEqual(summary(text, { edition: 'standard' }).map((s) => [s[0], s[2]]), [
      ['professional-only-field', 'office_type'], ['professional-only-field', 'finance_charge_id'],
    ]);
    assert.deepStrictEqual(summary(text, { edition: 'professional' }), []);
    assert.deepStrictEqual(summary(text), []);
  });

  it('unknown-function names the supported ones', () => {
    const d = one("$filter=substringof('x',name)", 'unknown-function');
    assert.match(d.message, /only contains, startswith and endswith/);
    const t = "$filter=contain(name,'x')";
    assert.strictEqual(fixed(t, one(t, 'unknown-function')), "$filter=contains(name,'x')");
  });

  it('option-not-allowed: collection options on an item path, query options on writes', () => {
    assert.deepStrictEqual(summary('$filter=id eq 1&$select=id', { isItem: true }).map((s) => [s[0], s[2]]), [['option-not-allowed', '$filter']]);
    assert.deepStrictEqual(summary('$top=1', { method: 'POST' }).map((s) => s[0]), ['option-not-allowed']);
  });

  it('accepts a function compared with true/false, rejects other comparisons of conditions', () => {
    assert.deepStrictEqual(summary("$filter=startswith(name,'A') eq true"), []);
    assert.deepStrictEqual(summary("$filter=startswith(name,'A') gt 1").map((s) => s[0]), ['type-mismatch']);
  });

  it('returns diagnostics in reading order and never throws on garbage', () => {
    const ds = check('$top=9999&$filter=nope eq 1&$skip=1');
    const starts = ds.map((d) => d.start);
    assert.deepStrictEqual(starts, [...starts].sort((a, b) => a - b));
    for (const junk of ['$filter=((((', '$filter=)))', "$filter='", '$select=,,,', '$orderby= desc', '$expand=(', '=', '&&&', '$filter=a.b.c.d eq 1']) {
      assert.doesNotThrow(() => check(junk), junk);
    }
  });

  describe('enum values', () => {
    it('flags an unknown name of a fully known enum, with a did-you-mean fix', () => {
      const text = "$filter=document_status eq 'EnumDocumentStatusLiev'";
      const d = one(text, 'unknown-enum-value', { schema: 'sop_order' });
      assert.strictEqual(d.severity, 'error');
      assert.strictEqual(text.slice(d.start, d.end), "'EnumDocumentStatusLiev'");
      assert.match(d.message, /Did you mean 'EnumDocumentStatusLive'\?/);
      assert.strictEqual(fixed(text, d), "$filter=document_status eq 'EnumDocumentStatusLive'");
      const old = "$filter=account_status_type eq 'EnumAccountStatusOnHold'";
      assert.match(one(old, 'unknown-enum-value').message, /not a value of account_status_type \(AccountStatusActive, AccountStatusHidden\)/);
      // Through a child: sop_order's customer.
      one("$expand=customer&$filter=customer.account_status_type eq 'AccountStatusActiv'", 'unknown-enum-value', { schema: 'sop_order' });
    });

    it("keeps the seed's number and name forms clean, and never judges a number", () => {
      for (const text of ["$filter=document_status eq '2'", "$filter=document_status eq 'EnumDocumentStatusComplete'",
        "$filter=document_status ne '99'", "$filter=document_status eq 'enumdocumentstatuscomplete'", "$filter=document_status eq null"]) {
        assert.deepStrictEqual(summary(text, { schema: 'sop_order' }), [], text);
      }
    });

    it('flags nothing where no source lists every value', () => {
      // Only the OpenAPI default is known for account_type; nothing at all for name.
      assert.deepStrictEqual(summary("$filter=account_type eq 'TradingAccountTypeBalanceForward'"), []);
      assert.deepStrictEqual(summary("$filter=name eq 'Anything'"), []);
      assert.deepStrictEqual(summary("$filter=contains(account_status_type,'Hid')"), []);
    });
  });
});
