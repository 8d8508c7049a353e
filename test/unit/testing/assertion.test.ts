import * as assert from 'assert';
import * as fc from 'fast-check';
import { BINARY_PREDICATES, evaluateAssertion, parseAssertion, ResponseFacts, SUBJECTS, UNARY_PREDICATES } from '../../../src/core/testing';

const parsed = (text: string) => {
  const p = parseAssertion(text);
  if (!p.ok) throw new Error(`did not parse: ${p.error.message}`);
  return p.assertion;
};

describe('assertions: the grammar after ??', () => {
  it('reads every subject and predicate with their spans', () => {
    const a = parsed('body $[0].balance >= 0');
    assert.deepStrictEqual(a.subject, { kind: 'body', path: '$[0].balance' });
    assert.strictEqual(a.predicate, '>=');
    assert.strictEqual(a.expected, '0');
    assert.deepStrictEqual(a.argumentSpan, { start: 5, end: 17 });
    assert.deepStrictEqual(parsed('header content-type contains json').subject, { kind: 'header', name: 'content-type' });
    assert.deepStrictEqual(parsed("body $['a b'].c exists").subject, { kind: 'body', path: "$['a b'].c" });
    assert.deepStrictEqual(parsed('body == {"a":1}').subject, { kind: 'body', path: '' });
    assert.strictEqual(parsed('count == {{n}}').expected, '{{n}}');
    assert.strictEqual(parsed('body $.name == Acme  Ltd ').expected, 'Acme  Ltd');
    for (const p of UNARY_PREDICATES) assert.strictEqual(parsed(`body $.x ${p}`).predicate, p);
    for (const p of BINARY_PREDICATES) assert.strictEqual(parsed(`status ${p} 2`).predicate, p);
  });

  it('says what is wrong, where', () => {
    const cases: [string, RegExp, string][] = [
      ['', /Write an assertion/, ''],
      ['stat == 200', /"stat" is not a subject/, 'stat'],
      ['status', /Add a predicate after "status"/, 'status'],
      ['status equals 200', /"equals" is not a predicate/, 'equals'],
      ['status ==', /Add the expected value after "=="/, '=='],
      ['body $.x exists 3', /"exists" takes no value/, '3'],
      ['header == 3', /Name the header/, 'header =='],
      ['body $[x] == 1', /Invalid JSONPath/, '[x]'],
      ['body $.name matches ([a-', /Not a regular expression/, '([a-'],
    ];
    for (const [text, message, underlined] of cases) {
      const p = parseAssertion(text);
      assert.ok(!p.ok, text);
      assert.match(p.error.message, message, text);
      assert.strictEqual(text.slice(p.error.span.start, p.error.span.end), underlined, text);
    }
  });

  it('never throws, and every span lies within the text (property)', () => {
    const token = fc.constantFrom(...SUBJECTS.map((s) => s.name), ...BINARY_PREDICATES, ...UNARY_PREDICATES, '$', '$[0]', '.a', "['x y']", '[', ']', '{{', '}}', '"', "'", '/', ' ', '  ', '\t', 'x', '200', '(', '\\');
    const text = fc.oneof(fc.string({ unit: 'grapheme-composite', maxLength: 40 }), fc.array(token, { maxLength: 8 }).map((t) => t.join(' ')), fc.array(token, { maxLength: 12 }).map((t) => t.join('')));
    fc.assert(fc.property(text, (t) => {
      const p = parseAssertion(t);
      const spans = p.ok ? [p.assertion.subjectSpan, p.assertion.predicateSpan, p.assertion.expectedSpan, p.assertion.argumentSpan] : [p.error.span];
      for (const s of spans) if (s) assert.ok(s.start >= 0 && s.start <= s.end && s.end <= t.length, JSON.stringify({ t, s }));
    }), { numRuns: 3000 });
  });
});

describe('assertions: evaluation against an answer', () => {
  const body = [{ id: 7, reference: 'ABC001', balance: 12.5, on_hold: false, name: 'Acme "Ltd"', tags: ['a', 'b'] }];
  const r: ResponseFacts = {
    status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, bodyText: JSON.stringify(body), json: body, durationMs: 42.4,
  };
  const check = (text: string, expected?: string): ReturnType<typeof evaluateAssertion> => {
    const a = parsed(text);
    return evaluateAssertion(a, expected ?? a.expected, r);
  };

  it('passes what holds', () => {
    for (const t of [
      'status == 200', 'status != 404', 'status < 300', 'status >= 200', 'header Content-Type contains json', 'header content-type startsWith application/',
      'duration < 2000', 'count == 1', 'body $[0].reference exists', 'body $[0].balance >= 0', 'body $[0].balance == 12.5', 'body $[0].reference == ABC001',
      'body $[0].reference == "ABC001"', "body $[0].reference == 'ABC001'", 'body $[0].on_hold isFalse', 'body $[0].id isNumber', 'body $[0].name isString',
      'body $[0].tags isArray', 'body $[0].tags contains a', 'body $[*].id == [7]', 'body $[0].reference matches ^[A-Z]{3}\\d+$', 'body $[0].reference matches /abc/i',
      'body $[0].reference endsWith 001', 'body $[0].name == "Acme \\"Ltd\\""', 'body $[0].missing != 3', 'header x-none != 1', 'body $ isArray',
    ]) {
      const out = check(t);
      assert.ok(out.passed, `${t}: ${out.message}`);
    }
  });

  it('fails what does not, with the actual value', () => {
    const cases: [string, string][] = [
      ['status == 201', '200'], ['count == 5', '1'], ['body $[0].reference == XYZ', '"ABC001"'], ['body $[0].missing exists', '(none)'],
      ['body $[0].balance < 10', '12.5'], ['header etag exists', '(none)'], ['body $[0].on_hold isTrue', 'false'], ['body $[0].id isString', '7'],
      ['body $[0].reference < 5', '"ABC001"'],
    ];
    for (const [t, actual] of cases) {
      const out = check(t);
      assert.ok(!out.passed, t);
      assert.strictEqual(out.actual, actual, t);
    }
    const out = check('status == 201');
    assert.strictEqual(out.message, 'expected status == 201, actual 200');
    assert.strictEqual(out.expected, '201');
  });

  it('compares with the expected value after variables', () => {
    assert.ok(evaluateAssertion(parsed('body $[0].id == {{id}}'), '7', r).passed);
    assert.ok(!evaluateAssertion(parsed('body $[0].id == {{id}}'), '8', r).passed);
  });

  it('counts a $count=true answer', () => {
    const out = evaluateAssertion(parsed('count == 1234'), '1234', { status: 200, headers: {}, bodyText: '1234', json: 1234, durationMs: 1 });
    assert.ok(out.passed, out.message);
  });
});

describe('assertions: bodies of any size and depth', () => {
  const facts = (bodyText: string, json?: unknown): ResponseFacts => ({ status: 200, headers: {}, bodyText, ...(json !== undefined ? { json } : {}), durationMs: 1 });
  const deep = (d: number) => '['.repeat(d) + ']'.repeat(d);

  it('fans out [*] over more items than one call can take as arguments', () => {
    // A push(...items) threw a RangeError from about 130,000 items.
    const body = new Array(300000).fill(0);
    const out = evaluateAssertion(parsed('body $[*] exists'), undefined, facts('', body));
    assert.ok(out.passed, out.message);
    assert.strictEqual(out.actual.length, 200);
    assert.ok(evaluateAssertion(parsed('body $[*] contains 0'), '0', facts('', body)).passed);
  });

  it('shows and compares a body nested 20,000 deep without throwing', () => {
    const text = deep(20000);
    const exists = evaluateAssertion(parsed('body exists'), undefined, facts(text));
    assert.ok(exists.passed, exists.message);
    assert.strictEqual(exists.actual, `${'['.repeat(199)}…`);
    for (const line of ['body == 1', 'body != 1', 'body contains x', 'body matches x', 'body $[0] == []']) {
      const out = evaluateAssertion(parsed(line), line.split(' ').pop(), facts(text));
      assert.strictEqual(out.passed, false, line);
      assert.match(out.message, /the value is nested more than 512 deep, too deep to compare$/, line);
    }
    const expected = evaluateAssertion(parsed('body == [1]'), deep(20000), facts('[1]'));
    assert.match(expected.message, /the expected value is nested more than 512 deep/);
    // At the limit, values still compare.
    assert.ok(evaluateAssertion(parsed('body == x'), deep(512), facts(deep(512))).passed);
  });

  it('shows values as compact JSON cut at 200 characters', () => {
    const body = { b: [1, 'two', null, true, { c: 'x"y' }], a: 'é' };
    assert.strictEqual(evaluateAssertion(parsed('body exists'), undefined, facts('', body)).actual, JSON.stringify(body));
    const long = { s: 'x'.repeat(500) };
    assert.strictEqual(evaluateAssertion(parsed('body exists'), undefined, facts('', long)).actual, `${JSON.stringify(long).slice(0, 199)}…`);
  });
});
