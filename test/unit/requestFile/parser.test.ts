import * as assert from 'assert';
import { parseRequestFile, requestAt, scanJson, LineIndex } from '../../../src/core/requestFile';

const ISSUE_EXAMPLE = `# Comments start with # or //
@top = 10                                   # file variable

### Customers on hold
# @name onHold
GET /customers?$filter=on_hold eq true and balance gt 1000&$select=id,reference,name&$top={{top}}

### Orders of 2016, with the customer
GET /sop_orders
    ?$filter=(document_date ge 2016-01-01 and document_date le 2016-12-31) or document_status eq 'EnumDocumentStatusComplete'
    &$expand=customer
    &$select=id,document_no,customer.id,customer.name
    &$orderby=document_date desc

### Create a customer
POST /customers
Content-Type: application/json

{ "reference": "APITEST", "name": "API Test 02", "credit_limit": 2500.00 }

### Use a value from an earlier response
PUT /customers/{{onHold.response.body.$[0].id}}

{ "short_name": "APIDemo" }
`;

const slice = (text: string, s: { start: number; end: number }): string => text.slice(s.start, s.end);

describe('requestFile parser', () => {
  const file = parseRequestFile(ISSUE_EXAMPLE);

  it('parses the example of the issue into four requests without issues', () => {
    assert.deepStrictEqual(file.issues, []);
    assert.deepStrictEqual(file.requests.map((r) => r.title), ['Customers on hold', 'Orders of 2016, with the customer', 'Create a customer', 'Use a value from an earlier response']);
    assert.deepStrictEqual(file.requests.map((r) => r.requestLine?.method), ['GET', 'GET', 'POST', 'PUT']);
    assert.strictEqual(file.requests[0].name, 'onHold');
    assert.strictEqual(slice(ISSUE_EXAMPLE, file.requests[0].nameSpan!), 'onHold');
  });

  it('reads # and // lines after the blank line, before any body, as comments', () => {
    const text = '### A\nGET /customers\n\n\n# a note about it\n// and another\n\n### B\nPOST /customers\n\n# the new one\n{ "name": "x" }\n';
    const parsed = parseRequestFile(text);
    assert.strictEqual(parsed.requests[0].body, undefined);
    assert.deepStrictEqual(parsed.requests[0].comments.map((c) => slice(text, c)), ['# a note about it', '// and another']);
    assert.strictEqual(parsed.requests[1].body?.text, '{ "name": "x" }');
    assert.deepStrictEqual(parsed.requests[1].comments.map((c) => slice(text, c)), ['# the new one']);
  });

  it('reads file variables, cutting a trailing comment', () => {
    assert.strictEqual(file.fileVariables.length, 1);
    const v = file.fileVariables[0];
    assert.strictEqual(v.name, 'top');
    assert.strictEqual(v.value, '10');
    assert.strictEqual(slice(ISSUE_EXAMPLE, v.valueSpan), '10');
    assert.strictEqual(slice(ISSUE_EXAMPLE, v.nameSpan), 'top');
  });

  it('gives exact spans for method, path and query', () => {
    const rl = file.requests[0].requestLine!;
    assert.strictEqual(slice(ISSUE_EXAMPLE, rl.methodSpan), 'GET');
    assert.strictEqual(slice(ISSUE_EXAMPLE, rl.pathSpan), '/customers');
    const q = file.requests[0].query!;
    assert.ok(q.text.startsWith('$filter=on_hold eq true'));
    // Every joined offset maps onto the same character in the document.
    for (let j = 0; j < q.text.length; j++) assert.strictEqual(ISSUE_EXAMPLE[q.map.toDoc(j)], q.text[j]);
  });

  it('joins query continuation lines and maps every offset back exactly', () => {
    const r = file.requests[1];
    const q = r.query!;
    assert.strictEqual(q.text, "$filter=(document_date ge 2016-01-01 and document_date le 2016-12-31) or document_status eq 'EnumDocumentStatusComplete'&$expand=customer&$select=id,document_no,customer.id,customer.name&$orderby=document_date desc");
    assert.strictEqual(q.pieces.length, 4);
    for (let j = 0; j < q.text.length; j++) {
      assert.strictEqual(ISSUE_EXAMPLE[q.map.toDoc(j)], q.text[j], `offset ${j}`);
      assert.strictEqual(q.map.toJoined(q.map.toDoc(j)), j, `round trip ${j}`);
    }
    const sel = q.text.indexOf('customer.name');
    const span = q.map.spanToDoc(sel, sel + 'customer.name'.length);
    assert.strictEqual(slice(ISSUE_EXAMPLE, span), 'customer.name');
    const pos = file.lines.positionAt(span.start);
    assert.deepStrictEqual(pos, { line: 11, col: ISSUE_EXAMPLE.split('\n')[11].indexOf('customer.name') });
  });

  it('reads headers and the body up to the next ###', () => {
    const r = file.requests[2];
    assert.deepStrictEqual(r.headers.map((h) => [h.name, h.value]), [['Content-Type', 'application/json']]);
    assert.strictEqual(r.body?.text, '{ "reference": "APITEST", "name": "API Test 02", "credit_limit": 2500.00 }');
    assert.strictEqual(slice(ISSUE_EXAMPLE, r.body!.span), r.body!.text);
  });

  it('classifies variable references', () => {
    const refs = file.requests[3].refs;
    assert.strictEqual(refs.length, 1);
    assert.deepStrictEqual({ kind: refs[0].kind, name: refs[0].name, part: refs[0].part, path: refs[0].path }, { kind: 'response', name: 'onHold', part: 'body', path: '$[0].id' });
    assert.strictEqual(slice(ISSUE_EXAMPLE, refs[0].span), '{{onHold.response.body.$[0].id}}');
    const sys = parseRequestFile('GET /x?a={{$datetime iso8601 -1 d}}&b={{ top }}').requests[0].refs;
    assert.deepStrictEqual(sys.map((r) => [r.kind, r.name, r.args ?? null]), [['system', '$datetime', ['iso8601', '-1', 'd']], ['plain', 'top', null]]);
  });

  it('handles // comments, metadata, HTTP version, an implied GET and CRLF line ends', () => {
    const text = '// a comment\r\n###   Title  \r\n// @name  listing\r\n/customers HTTP/1.1\r\nAccept: application/json\r\n';
    const f = parseRequestFile(text);
    assert.deepStrictEqual(f.issues, []);
    const r = f.requests[0];
    assert.strictEqual(r.title, 'Title');
    assert.strictEqual(r.name, 'listing');
    assert.strictEqual(r.requestLine?.method, 'GET');
    assert.strictEqual(r.requestLine?.implicitMethod, true);
    assert.strictEqual(r.requestLine?.httpVersion, 'HTTP/1.1');
    assert.strictEqual(r.requestLine?.path, '/customers');
    assert.deepStrictEqual(r.headers.map((h) => h.value), ['application/json']);
  });

  it('reports syntax errors with ranges and keeps going', () => {
    const text = [
      '### one', 'GTE /customers', '', '### two', '# @name bad name!', 'POST /customers', 'Content-Type application/json',
      '{ "a": 1 }', '', '### three', '@ = 3', 'GET /customers?$top={{top', '### four', '# @name dup', 'GET /a', '### five', '# @name dup', 'GET /b', 'GET /c',
    ].join('\n');
    const f = parseRequestFile(text);
    const codes = f.issues.map((i) => `${i.code}:${text.slice(i.span.start, i.span.end)}`);
    assert.deepStrictEqual(codes, [
      'unknown-method:GTE',
      'name-invalid:bad name!',
      'header-syntax:Content-Type application/json',
      'body-needs-blank-line:{ "a": 1 }',
      'variable-name:@ ',
      'unclosed-variable:{{top',
      'missing-separator:GET /c',
      'duplicate-name:dup',
    ]);
    assert.strictEqual(f.requests.length, 5);
    assert.strictEqual(f.requests[1].body?.text, '{ "a": 1 }');
  });

  it('reads ?? lines as assertions in every part of a request, never as headers or body', () => {
    const text = [
      '### early', '?? status == 200', 'GET /customers',
      '### headers', 'GET /customers', '  ?? status == 200', 'Accept: application/json',
      '### body', 'POST /customers', 'Content-Type: application/json', '', '{ "name": "{{who}}" }',
      '?? body.name == {{who}} ', '# a comment is fine', '?? duration < 500', '', '{ "late": true }',
    ].join('\n');
    const f = parseRequestFile(text);
    const [early, headers, body] = f.requests;
    assert.deepStrictEqual(f.requests.map((r) => r.assertions.map((a) => [a.text, slice(text, a.span), slice(text, a.textSpan)])), [
      [['status == 200', '?? status == 200', 'status == 200']],
      [['status == 200', '?? status == 200', 'status == 200']],
      [['body.name == {{who}}', '?? body.name == {{who}}', 'body.name == {{who}}'], ['duration < 500', '?? duration < 500', 'duration < 500']],
    ]);
    // Lines after an assertion are not read: not a request line, a header or body text.
    assert.strictEqual(early.requestLine, undefined);
    assert.strictEqual(headers.query, undefined);
    assert.deepStrictEqual(headers.headers, []);
    assert.deepStrictEqual(body.headers.map((h) => h.name), ['Content-Type']);
    assert.strictEqual(body.body?.text, '{ "name": "{{who}}" }');
    assert.deepStrictEqual(body.assertions[0].refs.map((x) => x.name), ['who']);
    // The block's references include the assertions', in document order.
    assert.deepStrictEqual(body.refs.map((x) => x.span), [body.body!.span.start + 11, body.assertions[0].textSpan.start + 13].map((s) => ({ start: s, end: s + 7 })));
    assert.deepStrictEqual(f.issues.map((i) => [i.code, i.severity, slice(text, i.span)]), [
      ['content-after-assertion', 'warning', 'GET /customers'],
      ['content-after-assertion', 'warning', 'Accept: application/json'],
      ['content-after-assertion', 'warning', '{ "late": true }'],
    ]);
    assert.strictEqual(f.issues[0].message, 'Lines after an assertion are ignored; put `??` assertions after the body.');
  });

  it('finds the request at an offset, blank lines included', () => {
    const i = ISSUE_EXAMPLE.indexOf('### Create');
    assert.strictEqual(requestAt(file, i)?.index, 2);
    assert.strictEqual(requestAt(file, i - 1)?.index, 1);
    assert.strictEqual(requestAt(file, 0), undefined);
  });

  it('converts offsets to lines and columns and back', () => {
    const li = new LineIndex('ab\r\ncd\nef');
    assert.deepStrictEqual(li.positionAt(5), { line: 1, col: 1 });
    assert.strictEqual(li.offsetAt(2, 1), 8);
    assert.strictEqual(li.lineEnd(0), 2);
    assert.deepStrictEqual(li.rangeOf({ start: 0, end: 9 }), { start: { line: 0, col: 0 }, end: { line: 2, col: 2 } });
  });
});

describe('tolerant JSON scanner', () => {
  it('reads objects with ranges and accepts {{variables}} as values', () => {
    const text = '{ "a": 1, "b": {{x}}, "c": [true, null, "s"] }';
    const r = scanJson(text);
    assert.deepStrictEqual(r.problems, []);
    assert.strictEqual(r.root?.kind, 'object');
    if (r.root?.kind !== 'object') return;
    assert.deepStrictEqual(r.root.properties.map((p) => [p.key, p.value?.kind, text.slice(p.keySpan.start, p.keySpan.end)]), [['a', 'number', '"a"'], ['b', 'variable', '"b"'], ['c', 'array', '"c"']]);
  });

  it('reports problems with exact ranges and recovers', () => {
    const text = "{ 'a': 1, \"b\" 2, \"c\": tru, \"d\": 1, }";
    const r = scanJson(text);
    const got = r.problems.map((p) => `${p.message} @${text.slice(p.span.start, p.span.end)}`);
    assert.deepStrictEqual(got, [
      "Property names need double quotes. @'a'",
      'Expected ":" after "b". @"b"',
      'Unexpected "tru": expected a JSON value. @tru',
      'Remove the trailing comma: JSON does not allow it. @,',
    ]);
    if (r.root?.kind === 'object') assert.ok(r.root.properties.some((p) => p.key === 'd'));
  });

  it('reports an unclosed object and an unterminated string', () => {
    const r = scanJson('{ "a": "x');
    assert.deepStrictEqual(r.problems.map((p) => p.message), ['Unterminated string: add the closing ".', 'Unclosed object: add "}".']);
  });
});
