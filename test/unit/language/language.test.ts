import * as assert from 'assert';
import { loadCatalog } from '../../../src/core/catalog';
import {
  codeLensSpans, complete, computeDiagnostics, documentSymbols, FileAnalysis, foldingRanges, hover, LangDiagnostic, LanguageContext,
} from '../../../src/core/language';

const catalog = loadCatalog();
const pro: LanguageContext = { catalog, edition: 'professional' };
const std: LanguageContext = { catalog, edition: 'standard' };

function diags(text: string, ctx: LanguageContext = pro): { code: string; text: string; severity: string; d: LangDiagnostic }[] {
  return computeDiagnostics(new FileAnalysis(text, 1), ctx).map((d) => ({ code: d.code, text: text.slice(d.span.start, d.span.end), severity: d.severity, d }));
}

function codes(text: string, ctx: LanguageContext = pro): string[] {
  return diags(text, ctx).map((d) => `${d.code}:${d.text}`);
}

/** Completions where `|` stands in the text. */
function completeAt(marked: string, ctx: LanguageContext = pro) {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const items = complete(new FileAnalysis(text, 1), offset, ctx);
  return { items, labels: items.map((i) => i.label), text };
}

function applyFix(text: string, d: LangDiagnostic): string {
  const edits = [...d.fixes![0].edits].sort((a, b) => b.span.start - a.span.start);
  return edits.reduce((t, e) => t.slice(0, e.span.start) + e.newText + t.slice(e.span.end), text);
}

describe('language: diagnostics', () => {
  it('passes clean requests', () => {
    assert.deepStrictEqual(codes('### a\nGET /customers?$filter=on_hold eq true&$select=id,name&$top=10\n\n### b\nPOST /customers\n\n{"reference": "A1", "name": "A"}\n'), []);
  });

  it('flags an unknown path with a suggestion', () => {
    const d = diags('GET /custmers?$top=1');
    assert.deepStrictEqual(d.map((x) => `${x.code}:${x.text}`), ['unknown-path:/custmers']);
    assert.match(d[0].d.message, /Did you mean \/customers\?/);
  });

  it('flags PUT and DELETE without an id, and POST with one (with a fix)', () => {
    assert.deepStrictEqual(codes('PUT /customers\n\n{"name": "x"}'), ['missing-id:/customers']);
    assert.deepStrictEqual(codes('DELETE /customers'), ['missing-id:/customers']);
    const text = 'POST /customers/12\n\n{"reference": "A", "name": "B"}';
    const d = diags(text);
    assert.deepStrictEqual(d.map((x) => `${x.code}:${x.text}`), ['post-with-id:/12']);
    assert.strictEqual(applyFix(text, d[0].d), 'POST /customers\n\n{"reference": "A", "name": "B"}');
  });

  it('flags a verb the path does not support', () => {
    assert.deepStrictEqual(codes('DELETE /bank_views'), ['method-not-allowed:DELETE']);
  });

  it('flags invalid JSON in POST and PUT bodies', () => {
    assert.deepStrictEqual(codes('PUT /customers/1\n\n{"name": "x",}'), ['invalid-json:,']);
    assert.deepStrictEqual(codes('POST /customers\n\nname=x'), ['invalid-json:name=x']);
  });

  it('flags missing required fields on POST and read-only fields, with a removal fix', () => {
    const text = 'POST /customers\n\n{"name": "x", "balance": 3, "short_name": "s"}';
    const d = diags(text);
    assert.deepStrictEqual(d.map((x) => `${x.code}:${x.text}`), ['readonly-field:"balance"', 'missing-required:{']);
    assert.match(d[1].d.message, /reference/);
    assert.strictEqual(applyFix(text, d[0].d), 'POST /customers\n\n{"name": "x", "short_name": "s"}');
    // PUT updates part of a record: nothing is required.
    assert.deepStrictEqual(codes('PUT /customers/1\n\n{"name": "x"}'), []);
  });

  it('flags unknown body fields, wrong types and values that are too long', () => {
    assert.deepStrictEqual(codes('PUT /customers/1\n\n{"nmae": "x", "on_hold": "yes", "reference": "TOO-LONG-REF", "credit_limit": "a"}'), [
      'unknown-field:"nmae"', 'type-mismatch:"yes"', 'max-length:"TOO-LONG-REF"', 'type-mismatch:"a"',
    ]);
  });

  it('takes a known enum name as it is, however long, and keeps the length check for other text', () => {
    // Sage's own default for account_type is 26 characters, against a documented maximum of 20.
    assert.deepStrictEqual(codes('PUT /customers/1\n\n{"account_type": "TradingAccountTypeOpenItem"}'), []);
    assert.deepStrictEqual(codes('PUT /customers/1\n\n{"account_type": "TradingAccountTypeUnheardOf"}'), ['max-length:"TradingAccountTypeUnheardOf"']);
  });

  it('flags Professional-only paths and fields on a Standard connection only', () => {
    const op = catalog.operations.find((o) => o.professionalOnly && o.verbs.includes('GET') && !o.isItem && o.params.length === 0)!;
    assert.deepStrictEqual(codes(`GET ${op.path}`, std), [`professional-only:${op.path}`]);
    assert.deepStrictEqual(codes(`GET ${op.path}`, pro), []);
  });

  it('flags undefined variables, unknown system variables and unknown named requests', () => {
    assert.deepStrictEqual(codes('@a = 1\n###\nGET /customers/{{b}}?$top={{a}}&x={{$nope}}&y={{other.response.body.$.id}}'), [
      'undefined-variable:{{b}}', 'undefined-variable:{{$nope}}', 'undefined-variable:{{other.response.body.$.id}}',
      'odata/option-not-allowed:$top',
    ]);
    assert.deepStrictEqual(codes('GET /customers/{{fromEnv}}', { catalog, environments: { dev: { fromEnv: '1' } }, environment: 'dev' }), []);
  });

  it('reports request syntax errors from the parser', () => {
    assert.deepStrictEqual(codes('GTE /customers'), ['unknown-method:GTE']);
  });

  it('maps OData diagnostics and their fixes exactly, across continuation lines', () => {
    const text = 'GET /customers\n    ?$top=9000\n    &$skip=10\n    &$filter=name eq Smith and date_time_updated gt 2020-01-01T00:00:00';
    const d = diags(text);
    const byCode = new Map(d.map((x) => [x.code, x]));
    assert.strictEqual(byCode.get('odata/top-range')?.text, '9000');
    assert.strictEqual(byCode.get('odata/skip-without-orderby')?.text, '$skip=10');
    assert.strictEqual(byCode.get('odata/unquoted-value')?.text, 'Smith');
    assert.strictEqual(byCode.get('odata/datetime-missing-z')?.text, '2020-01-01T00:00:00');
    assert.match(applyFix(text, byCode.get('odata/top-range')!.d), /\$top=5000\n/);
    assert.match(applyFix(text, byCode.get('odata/unquoted-value')!.d), /name eq 'Smith'/);
    assert.match(applyFix(text, byCode.get('odata/datetime-missing-z')!.d), /2020-01-01T00:00:00Z/);
    const fixed = applyFix(text, byCode.get('odata/skip-without-orderby')!.d);
    assert.ok(/\$orderby=id asc/.test(fixed), fixed);
    assert.ok(!codes(fixed).some((c) => c.startsWith('odata/skip-without-orderby')));
  });

  it('flags a type mismatch in $filter', () => {
    assert.ok(codes("GET /customers?$filter=balance eq 'x'").some((c) => c.startsWith('odata/type-mismatch')));
  });
});

describe('language: completion', () => {
  it('offers methods at the start of a request line', () => {
    assert.deepStrictEqual(completeAt('### a\nG|').labels, ['GET', 'POST', 'PUT', 'DELETE']);
  });

  it('offers catalog paths filtered by verb, with {id} tab stops', () => {
    const get = completeAt('GET /cus|');
    assert.ok(get.labels.includes('/customers'));
    const item = get.items.find((i) => i.label === '/customers/{Id}')!;
    assert.strictEqual(item.insertText, '/customers/${1:id}');
    assert.strictEqual(item.snippet, true);
    assert.strictEqual(get.text.slice(item.replace.start, item.replace.end), '/cus');
    const del = completeAt('DELETE /cus|');
    assert.ok(del.labels.includes('/customers/{Id}'));
    assert.ok(!del.labels.includes('/customers'), 'collections cannot be deleted');
    assert.ok(!completeAt('POST /|').labels.includes('/sop_order_views'));
  });

  it('delegates the query to the OData engine and maps its ranges back', () => {
    const opts = completeAt('GET /customers?$to|');
    assert.ok(opts.labels.includes('$top'));
    const fields = completeAt('GET /customers\n    ?$top=1\n    &$select=id,na|');
    const name = fields.items.find((i) => i.label === 'name')!;
    assert.ok(name, fields.labels.join());
    assert.strictEqual(fields.text.slice(name.replace.start, name.replace.end), 'na');
    const ops = completeAt('GET /customers?$filter=on_hold |');
    assert.ok(ops.labels.includes('eq'));
  });

  it('offers header names and values', () => {
    assert.ok(completeAt('GET /customers\nX-S|').labels.includes('X-Site'));
    assert.deepStrictEqual(completeAt('POST /customers\nContent-Type: |').labels, ['application/json']);
  });

  it('offers variables: file, environment, system and named responses', () => {
    const r = completeAt('@top = 5\n### a\n# @name list\nGET /customers\n### b\nGET /customers/{{|', { catalog, environments: { $shared: { env1: 'x' } } });
    for (const l of ['top', 'env1', '$guid', '$datetime', '$dotenv', '$prompt', 'list.response.body.$']) assert.ok(r.labels.includes(l), l);
    const named = completeAt('### a\n# @name list\nGET /customers\n### b\nGET /customers/{{list.|');
    assert.ok(named.labels.includes('list.response.body.$[0].id'));
  });

  it('offers writable body fields, required first, and value hints', () => {
    const r = completeAt('POST /customers\n\n{\n  "name": "x",\n  |\n}');
    assert.strictEqual(r.items[0].label.endsWith('(required)'), true);
    const sorted = [...r.items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.strictEqual(sorted[0].label, 'reference (required)');
    assert.ok(!r.labels.some((l) => l.startsWith('balance')), 'read-only fields are not offered');
    assert.ok(!r.labels.some((l) => l.startsWith('name')), 'fields already present are not offered');
    const v = completeAt('PUT /customers/1\n\n{ "on_hold": | }');
    assert.deepStrictEqual(v.labels, ['true', 'false']);
  });

  it('uses fields the live API reported ($metadata) beside the catalog', () => {
    const extra = { name: 'x_custom_ref', type: 'string' as const, readOnly: false, required: false, professionalOnly: false };
    const live: LanguageContext = { catalog, extraFields: (s) => (s === 'customer' ? [extra] : undefined) };
    assert.ok(completeAt('PUT /customers/1\n\n{ | }', live).labels.includes('x_custom_ref'));
    assert.ok(!completeAt('PUT /customers/1\n\n{ | }').labels.includes('x_custom_ref'));
    assert.deepStrictEqual(codes('PUT /customers/1\n\n{"x_custom_ref": "a"}', live), []);
    assert.deepStrictEqual(codes('PUT /customers/1\n\n{"x_custom_ref": "a"}'), ['unknown-field:"x_custom_ref"']);
    assert.ok(completeAt('GET /customers?$select=id,|', live).labels.includes('x_custom_ref'));
    assert.deepStrictEqual(codes('GET /customers?$select=id,x_custom_ref', live), []);
    assert.ok(codes('GET /customers?$select=id,x_custom_ref').some((c) => c.startsWith('odata/unknown-field')));
  });

  it('offers metadata keys after # @', () => {
    assert.ok(completeAt('### a\n# @n|').labels.includes('name'));
  });
});

describe('language: hover, symbols, folding, CodeLens', () => {
  const text = '@top = 10\n### Customers\n# @name list\nGET /customers?$select=id,name&$top={{top}}\n\n### Create\nPOST /customers\n\n{\n  "reference": "A"\n}\n';
  const fa = new FileAnalysis(text, 1);

  it('hovers paths, OData fields and options, body fields and variables', () => {
    const at = (s: string, plus = 1) => hover(fa, text.indexOf(s) + plus, pro);
    assert.match(at('/customers')!.contents, /\/customers.*Sales/);
    assert.match(at('/customers')!.contents, /developer\.sage\.com\/200\/reference\/sales\//);
    const name = at('name&')!;
    assert.match(name.contents, /\*\*name\*\*/);
    assert.match(name.contents, /Max length \| 60/);
    assert.strictEqual(text.slice(name.span.start, name.span.end), 'name');
    assert.match(at('$top')!.contents, /1 to 5000/);
    assert.match(at('"reference"')!.contents, /Required \| yes/);
    assert.match(at('{{top}}', 3)!.contents, /File variable[\s\S]*10/);
  });

  it('hovers an enum field with the values public sources show and their source', () => {
    const t = "GET /sop_orders?$filter=document_status eq '2'&$select=id,exchange_rate_type\n";
    const h = hover(new FileAnalysis(t, 1), t.indexOf('document_status') + 2, pro)!;
    assert.match(h.contents, /Values: `EnumDocumentStatusLive`.*`EnumDocumentStatusPrinted`/);
    assert.match(h.contents, /Source: values seen in live answers/);
    const nameHover = hover(new FileAnalysis('GET /customers?$select=name\n', 1), 'GET /customers?$select=n'.length, pro)!;
    assert.doesNotMatch(nameHover.contents, /Values/);
  });

  it('offers the quick fix for an unknown enum name in a request file', () => {
    const t = "GET /sop_orders?$filter=document_status eq 'EnumDocumentStatusDisputed'\n";
    const d = diags(t).find((x) => x.code === 'odata/unknown-enum-value')!;
    assert.strictEqual(d.severity, 'error');
    assert.strictEqual(applyFix(t, d.d), "GET /sop_orders?$filter=document_status eq 'EnumDocumentStatusDispute'\n");
  });

  it('lists requests and variables as symbols, folds requests, and places lenses', () => {
    assert.deepStrictEqual(documentSymbols(fa).map((s) => s.name), ['@top', 'Customers', 'Create']);
    const folds = foldingRanges(fa).filter((f) => f.kind === 'region').map((f) => [f.startLine, f.endLine]);
    assert.deepStrictEqual(folds, [[1, 3], [5, 10]]);
    assert.deepStrictEqual(codeLensSpans(fa).map((l) => text.slice(l.span.start, l.span.end)), ['### Customers', '### Create']);
  });
});
