import * as assert from 'assert';
import fc from 'fast-check';
import { parseQueryString } from '../../../src/core/odata';
import { parseRequestFile, RequestBlock } from '../../../src/core/requestFile';
import { isFieldName } from '../../../src/core/viewer/fieldName';
import { RequestLocation, sameRequest, selectChange, SelectError } from '../../../src/core/viewer/select';

const SENT = 'https://api.columbus.sage.com/uk/sage200/accounts/v1/customers?$top=5';

/** The file after "Set $select" (unchanged when there is nothing to change). */
function setSelect(text: string, where: RequestLocation, fields: readonly string[]): string {
  const c = selectChange(text, where, fields);
  return c ? text.slice(0, c.start) + c.newText + text.slice(c.end) : text;
}

describe('viewer: Set $select in the request file (through the request parser)', () => {
  it('replaces an existing $select, on the request line or a continuation line', () => {
    assert.strictEqual(
      setSelect('### Customers\nGET /customers?$top=10&$select=id,name HTTP/1.1\nX-A: 1\n', { method: 'GET', url: SENT }, ['id', 'reference']),
      '### Customers\nGET /customers?$top=10&$select=id,reference HTTP/1.1\nX-A: 1\n',
    );
    const file = 'GET /sop_orders\n    ?$expand=customer\n    &$select=id,document_no\n    &$orderby=id\n';
    assert.strictEqual(
      setSelect(file, { method: 'GET', url: 'https://h/v1/sop_orders' }, ['id', 'customer.name']),
      'GET /sop_orders\n    ?$expand=customer\n    &$select=id,customer.name\n    &$orderby=id\n',
    );
  });

  it('adds $select when missing, at the end of the query (CRLF files too)', () => {
    assert.strictEqual(setSelect('GET /customers\n', { method: 'GET', url: SENT }, ['id']), 'GET /customers?$select=id\n');
    assert.strictEqual(setSelect('GET /customers?$top=5 HTTP/1.1\r\n', { method: 'GET', url: SENT }, ['id', 'name']), 'GET /customers?$top=5&$select=id,name HTTP/1.1\r\n');
    assert.strictEqual(setSelect('GET /customers\r\n    ?$top=5\r\n', { method: 'GET', url: SENT }, ['id']), 'GET /customers\r\n    ?$top=5&$select=id\r\n');
    assert.strictEqual(setSelect('GET /customers?\n', { method: 'GET', url: SENT }, ['id']), 'GET /customers?$select=id\n');
  });

  it('removes $select for no columns, and a continuation line left empty with it', () => {
    assert.strictEqual(setSelect('GET /customers?$select=id&$top=5\n', { method: 'GET', url: SENT }, []), 'GET /customers?$top=5\n');
    assert.strictEqual(setSelect('GET /customers?$top=5&$select=id\n', { method: 'GET', url: SENT }, []), 'GET /customers?$top=5\n');
    assert.strictEqual(setSelect('GET /customers?$select=id\n', { method: 'GET', url: SENT }, []), 'GET /customers\n');
    assert.strictEqual(setSelect('GET /customers\r\n    ?$top=5\r\n    &$select=id\r\nX-A: 1\r\n', { method: 'GET', url: SENT }, []), 'GET /customers\r\n    ?$top=5\r\nX-A: 1\r\n');
    assert.strictEqual(selectChange('GET /customers\n', { method: 'GET', url: SENT }, []), undefined);
  });

  it('finds the request: at the line Send gave, else by method and path segments', () => {
    const file = '### a\nGET /suppliers?$top=1\n\n### b\nGET {{base}}/customers\n    ?$top=5\n### c\nPOST /customers\n### d\nGET /sales_customers\n### e\nGET /customers/{{id}}\n';
    const changed = (where: RequestLocation) => parseRequestFile(setSelect(file, where, ['id'])).requests.findIndex((r) => r.query && parseQueryString(r.query.text).select);
    assert.strictEqual(changed({ method: 'GET', url: SENT }), 1);
    assert.strictEqual(changed({ method: 'POST', url: SENT }), 2);
    assert.strictEqual(changed({ method: 'GET', url: 'https://h/v1/sales_customers' }), 3, 'a path segment is matched whole');
    assert.strictEqual(changed({ method: 'GET', url: 'https://h/v1/customers/42' }), 4, 'a {{variable}} segment matches any value');
    assert.strictEqual(changed({ line: 9, method: 'GET', url: 'https://h/v1/elsewhere' }), 3, 'the line Send gave wins');
    assert.strictEqual(changed({ line: 1, method: 'POST', url: SENT }), 2, 'a stale line (method changed) falls back to the path');
    assert.throws(() => selectChange(file, { method: 'GET', url: 'https://h/v1/products' }, ['id']), (e: SelectError) => e.reason === 'no-request');
  });

  it('refuses response keys that are not field names, with a clear message, and changes nothing', () => {
    const file = '### a\n# @name list\nGET /customers?$top=5\n\n### b\nGET /suppliers\n';
    const hostile = [
      'id\n\n### Wipe\nDELETE /customers/1', 'id\r\nDELETE /customers/1', 'id&$filter=1 eq 1', 'id,name', 'id name', '{{$dotenv SECRET}}',
      '$expand', 'a..b', '.a', '1abc', '', 'naïve', 'id\u2028x', 'x'.repeat(201),
    ];
    for (const key of hostile) {
      assert.ok(!isFieldName(key), JSON.stringify(key));
      assert.throws(() => selectChange(file, { method: 'GET', url: SENT }, ['id', key]), (e: Error) => {
        assert.ok(e instanceof SelectError && e.reason === 'not-a-field');
        assert.match(e.message, /\$select was not changed: .* is not a field name/);
        assert.ok(!e.message.includes('\n'), 'the key is shown escaped, on one line');
        return true;
      });
    }
    for (const key of ['id', 'customer_account_number', 'address.city', '_x', 'A1.b_2']) assert.ok(isFieldName(key), key);
  });

  it('whatever the keys, only the $select of that one request can change (property)', () => {
    const line = fc.constantFrom(
      'GET /customers', 'GET /customers?$top=5', 'GET /customers?$select=id&$top=5', 'GET {{base}}/customers HTTP/1.1',
      'GET /customers\n    ?$filter=name eq \'A&B\'\n    &$select=id', 'POST /customers', 'GET /suppliers?$select=id',
    );
    const block = fc.tuple(line, fc.constantFrom('', 'X-A: 1\n', 'Content-Type: application/json\n\n{ "a": "$select=x" }\n')).map(([l, rest]) => `${l}\n${rest}`);
    const files = fc.tuple(fc.array(block, { minLength: 1, maxLength: 4 }), fc.constantFrom('\n', '\r\n'))
      .map(([blocks, eol]) => blocks.map((b, i) => `### r${i}\n${b}`).join('\n').replace(/\n/g, eol));
    const key = fc.oneof(fc.constantFrom('id', 'name', 'address.city', 'a\n### x\nGET /y', 'a&b=1', '{{x}}'), fc.string({ maxLength: 8 }));
    fc.assert(fc.property(files, fc.array(key, { maxLength: 4 }), fc.nat(3), (text, fields, lineHint) => {
      const where: RequestLocation = { line: lineHint * 3 + 1, method: 'GET', url: SENT };
      let after: string;
      try {
        after = setSelect(text, where, fields);
      } catch (e) {
        assert.ok(e instanceof SelectError, String(e));
        if (e.reason === 'not-a-field') assert.ok(fields.some((f) => !isFieldName(f)));
        return;
      }
      assert.ok(fields.every(isFieldName));
      const before = parseRequestFile(text).requests;
      const now = parseRequestFile(after).requests;
      assert.strictEqual(now.length, before.length, 'no request added or removed');
      let changed = 0;
      for (let i = 0; i < before.length; i++) {
        const [b, a] = [shape(before[i]), shape(now[i])];
        if (JSON.stringify(b) === JSON.stringify(a)) continue;
        changed++;
        assert.deepStrictEqual({ ...a, select: undefined }, { ...b, select: undefined }, 'only $select differs');
        assert.deepStrictEqual(a.select, fields.length ? fields.join(',') : undefined);
      }
      assert.ok(changed <= 1, 'at most one request changed');
    }), { numRuns: 1500 });
  });
});

/** What a request says, with its $select apart. */
function shape(r: RequestBlock) {
  const q = r.query ? parseQueryString(r.query.text) : undefined;
  return {
    title: r.title,
    method: r.requestLine?.method,
    path: r.requestLine?.path,
    options: q?.options.filter((o) => o.known !== '$select').map((o) => `${o.name}=${o.value}`) ?? [],
    select: q?.select?.option.value,
    headers: r.headers.map((h) => `${h.name}: ${h.value}`),
    body: r.body?.text.replace(/\r\n/g, '\n'),
  };
}

describe('viewer: the request sent again from history (sameRequest)', () => {
  const file = parseRequestFile([
    '### Remove', 'DELETE /customers/1269', '',
    '### List', '# @name list', 'GET /customers?$top=5', '',
    '### One', 'GET /customers/{{id}}', '',
  ].join('\n'));
  const sent = 'https://api.example/sage200/accounts/v1/customers?$top=5';

  it('finds a named request by its name, wherever it now is', () => {
    const found = sameRequest(file, { requestName: 'list', requestIndex: 0, method: 'GET', url: sent });
    assert.ok(found.found && found.request.index === 1);
  });

  it('takes the request at the index of an unnamed one only when its method and path are those sent', () => {
    assert.deepStrictEqual(sameRequest(file, { requestIndex: 0, method: 'GET', url: sent }), { found: false, reason: 'changed', now: { method: 'DELETE', path: '/customers/1269' } });
    const byIndex = sameRequest(file, { requestIndex: 2, method: 'get', url: 'https://h/v1/customers/***' });
    assert.ok(byIndex.found && byIndex.request.index === 2, 'a {{variable}} segment stands for what it resolved to, masked or not');
    assert.deepStrictEqual(sameRequest(file, { requestIndex: 2, method: 'GET', url: 'https://h/v1/suppliers/7' }).found, false);
  });

  it('finds nothing for a name that is gone or given twice, or an index past the end', () => {
    assert.deepStrictEqual(sameRequest(file, { requestName: 'create', method: 'POST', url: sent }), { found: false, reason: 'missing' });
    assert.deepStrictEqual(sameRequest(file, { requestIndex: 9, method: 'GET', url: sent }), { found: false, reason: 'missing' });
    const twice = parseRequestFile('# @name list\nGET /customers\n\n###\n# @name list\nGET /customers\n');
    assert.deepStrictEqual(sameRequest(twice, { requestName: 'list', method: 'GET', url: sent }), { found: false, reason: 'missing' });
  });
});
