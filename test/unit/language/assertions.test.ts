import * as assert from 'assert';
import { loadCatalog } from '../../../src/core/catalog';
import { complete, computeDiagnostics, FileAnalysis, LanguageContext } from '../../../src/core/language';

const ctx: LanguageContext = { catalog: loadCatalog(), edition: 'professional' };

function completeAt(marked: string): string[] {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  return complete(new FileAnalysis(text, 1), offset, ctx).map((i) => i.label);
}

describe('language: ?? assertion lines', () => {
  it('flags a malformed assertion where it goes wrong, and nothing on good ones', () => {
    const text = [
      'GET /customers?$top=5',
      '?? status == 200',
      '?? body $[0].reference exists',
      '?? stauts == 200',
      '?? count between 1',
      '?? body $[0].balance >=',
    ].join('\n');
    const ds = computeDiagnostics(new FileAnalysis(text, 1), ctx).filter((d) => d.code === 'assertion-syntax');
    assert.deepStrictEqual(ds.map((d) => text.slice(d.span.start, d.span.end)), ['stauts', 'between', '>=']);
    assert.match(ds[0].message, /"stauts" is not a subject/);
    assert.ok(ds.every((d) => d.severity === 'error'));
  });

  it('completes subjects, predicates and header names', () => {
    assert.deepStrictEqual(completeAt('GET /customers\n?? |'), ['status', 'header', 'duration', 'body', 'count']);
    assert.deepStrictEqual(completeAt('GET /customers\n?? sta|'), ['status', 'header', 'duration', 'body', 'count']);
    const predicates = completeAt('GET /customers\n?? status |');
    assert.ok(predicates.includes('==') && predicates.includes('matches') && predicates.includes('isArray'), predicates.join());
    assert.ok(completeAt('GET /customers\n?? header |').includes('content-type'));
    assert.ok(completeAt('GET /customers\n?? header content-type |').includes('contains'));
    assert.ok(completeAt('GET /customers\n?? body $[0].id |').includes('=='));
    assert.deepStrictEqual(completeAt('GET /customers\n?? status == |'), []);
  });

  it('completes JSONPath fields from the entity: $[0]. offers the customer\'s fields, nested ones follow the schema', () => {
    const fields = completeAt('GET /customers?$top=5\n?? body $[0].|');
    assert.ok(fields.includes('reference') && fields.includes('balance') && fields.includes('on_hold'), fields.join());
    const item = completeAt('GET /customers/12\n?? body $.na|');
    assert.ok(item.includes('name'));
    const nested = completeAt('GET /sop_orders\n?? body $[0].customer.|');
    assert.ok(nested.includes('reference'), nested.join());
  });

  it('offers @teardown and @continueOnError', () => {
    const keys = completeAt('### a\n# @|\nGET /customers');
    assert.ok(keys.includes('teardown') && keys.includes('continueOnError'));
  });
});

describe('grammar: ?? lines', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const grammar = require('../../../media/sage200.tmLanguage.json') as { patterns: { include: string }[]; repository: Record<string, { match?: string; end?: string }> };
  const re = new RegExp(grammar.repository.assertion.match!);

  it('splits subject, argument, predicate and expected value', () => {
    assert.deepStrictEqual(re.exec('?? body $[0].balance >= {{min}}')!.slice(1).filter((x) => x !== undefined), ['??', 'body', '$[0].balance', '>=', '{{min}}']);
    assert.deepStrictEqual(re.exec('  ?? header content-type contains json')!.slice(1).filter((x) => x !== undefined), ['??', 'header', 'content-type', 'contains', 'json']);
    assert.deepStrictEqual(re.exec('?? status == 200')!.slice(1).filter((x) => x !== undefined), ['??', 'status', '==', '200']);
    assert.deepStrictEqual(re.exec('?? body exists')!.slice(1).filter((x) => x !== undefined), ['??', 'body', 'exists', '']);
  });

  it('comes before headers, and ends a JSON body', () => {
    const order = grammar.patterns.map((p) => p.include);
    assert.ok(order.indexOf('#assertion') < order.indexOf('#header'));
    assert.ok(new RegExp(grammar.repository.jsonBody.end!, 'm').test('}\n?? status == 200'));
  });
});
