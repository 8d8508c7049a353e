import * as assert from 'assert';
import { parseRequestFile } from '../../../src/core/requestFile';

const slice = (text: string, s: { start: number; end: number }): string => text.slice(s.start, s.end);

describe('request file: ?? assertion lines', () => {
  it('finds ?? lines after the request line, the headers and the body, never as headers or body', () => {
    const text = [
      '### one',
      'GET /customers',
      '?? status == 200',
      '  ??   count == {{n}}  ',
      '',
      '### two',
      'POST /customers',
      'Content-Type: application/json',
      '?? header content-type contains json',
      '',
      '### three',
      'POST /customers',
      '',
      '{ "name": "{{name}}" }',
      '?? body $.name == {{name}}',
    ].join('\n');
    const f = parseRequestFile(text);
    assert.deepStrictEqual(f.issues, []);
    const [one, two, three] = f.requests;
    assert.deepStrictEqual(one.assertions.map((a) => a.text), ['status == 200', 'count == {{n}}']);
    assert.strictEqual(slice(text, one.assertions[1].span), '??   count == {{n}}');
    assert.strictEqual(slice(text, one.assertions[1].textSpan), 'count == {{n}}');
    assert.deepStrictEqual(one.assertions[1].refs.map((r) => r.name), ['n']);
    assert.deepStrictEqual(one.refs.map((r) => r.name), ['n']);
    assert.strictEqual(one.query, undefined, 'an indented ?? line is not a query continuation');
    assert.deepStrictEqual(two.headers.map((h) => h.name), ['Content-Type']);
    assert.deepStrictEqual(two.assertions.map((a) => a.text), ['header content-type contains json']);
    assert.strictEqual(three.body?.text, '{ "name": "{{name}}" }');
    assert.deepStrictEqual(three.refs.map((r) => r.name), ['name', 'name']);
    assert.strictEqual(three.assertions[0].refs[0].name, 'name');
  });

  it('flags content after an assertion as a warning and keeps it out of the body', () => {
    const text = 'POST /customers\n\n{ "a": 1 }\n?? status == 201\n# a comment is fine\n\n{ "b": 2 }\n';
    const f = parseRequestFile(text);
    const [r] = f.requests;
    assert.strictEqual(r.body?.text, '{ "a": 1 }');
    assert.deepStrictEqual(f.issues.map((i) => [i.code, i.severity, slice(text, i.span)]), [['content-after-assertion', 'warning', '{ "b": 2 }']]);
  });

  it('a request without ?? lines has none', () => {
    const f = parseRequestFile('GET /customers\n');
    assert.deepStrictEqual(f.requests[0].assertions, []);
  });
});
