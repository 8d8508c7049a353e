import * as assert from 'assert';
import { loadCatalog } from '../../../src/core/catalog';
import { CompletionContext, CompletionResult, completeQueryAt } from '../../../src/core/odata';

const catalog = loadCatalog();

/** Completes at the `|` in `marked`; returns the result and the text the replace range covers. */
function at(marked: string, ctx: Partial<CompletionContext> = {}): CompletionResult & { labels: string[]; replaced: string } {
  const cursor = marked.indexOf('|');
  assert.ok(cursor >= 0);
  const text = marked.slice(0, cursor) + marked.slice(cursor + 1);
  const r = completeQueryAt(text, cursor, { catalog, schema: 'customer', ...ctx });
  return { ...r, labels: r.items.map((i) => i.label), replaced: text.slice(r.replaceStart, r.replaceEnd) };
}

describe('odata completion', () => {
  describe('option names', () => {
    it('offers every option in an empty query, with = appended', () => {
      const r = at('|');
      assert.deepStrictEqual(r.labels, ['$filter', '$select', '$expand', '$orderby', '$top', '$skip', '$count', '$metadata']);
      assert.strictEqual(r.items[0].insertText, '$filter=');
      assert.strictEqual(r.items[0].kind, 'option');
    });

    it('offers only unused options after &, replacing the typed name', () => {
      const r = at('$top=5&$fi|');
      assert.ok(!r.labels.includes('$top'));
      assert.ok(r.labels.includes('$filter'));
      assert.strictEqual(r.replaced, '$fi');
    });

    it('keeps the current option itself and does not re-add = when present', () => {
      const r = at('$to|p=5');
      assert.ok(r.labels.includes('$top'));
      assert.strictEqual(r.items.find((i) => i.label === '$top')?.insertText, '$top');
      assert.strictEqual(r.replaced, '$top');
    });
  });

  describe('$select, $expand, $orderby', () => {
    it('offers fields with type, maxLength and marks in $select', () => {
      const r = at('$select=id,|');
      const ref = r.items.find((i) => i.label === 'reference');
      assert.strictEqual(ref?.detail, 'text, max 8');
      assert.strictEqual(ref?.kind, 'field');
      assert.match(r.items.find((i) => i.label === 'balance')!.detail, /number \(decimal 2dp\), read-only/);
      assert.match(r.items.find((i) => i.label === 'office_type')!.detail, /Professional only/);
      assert.ok(r.labels.includes('*'));
    });

    it('sorts Professional-only fields last on a Standard connection', () => {
      const r = at('$select=|', { edition: 'standard' });
      const pro = r.items.find((i) => i.label === 'office_type')!;
      const plain = r.items.find((i) => i.label === 'name')!;
      assert.ok(pro.sortText! > plain.sortText!);
    });

    it('replaces the word being typed', () => {
      const r = at('$select=id,na|me,x');
      assert.strictEqual(r.replaced, 'name');
    });

    it('offers dotted children after expansion: customer. and then its fields', () => {
      const r = at('$expand=customer&$select=id,|', { schema: 'sop_order' });
      assert.ok(r.labels.includes('customer.'));
      const inner = at('$expand=customer&$select=id,customer.|', { schema: 'sop_order' });
      assert.ok(inner.labels.includes('reference') && inner.labels.includes('name'));
      assert.strictEqual(inner.replaced, '');
      const partial = at('$expand=customer&$select=customer.na|', { schema: 'sop_order' });
      assert.strictEqual(partial.replaced, 'na');
    });

    it('offers only expandable children in $expand, with their target', () => {
      const r = at('$expand=|', { schema: 'sop_order' });
      assert.ok(r.labels.includes('customer') && r.labels.includes('lines'));
      assert.ok(!r.labels.includes('document_no'));
      assert.match(r.items.find((i) => i.label === 'lines')!.detail, /list of sop_order_line/);
    });

    it('offers sortable fields in $orderby, then asc/desc after a field', () => {
      const r = at('$orderby=|');
      assert.ok(r.labels.includes('name'));
      assert.ok(!r.labels.includes('contacts'));
      assert.deepStrictEqual(at('$orderby=name |').labels, ['asc', 'desc']);
      const d = at('$orderby=name de|');
      assert.deepStrictEqual([d.labels, d.replaced], [['asc', 'desc'], 'de']);
      assert.ok(at('$orderby=name desc,|').labels.includes('id'));
    });
  });

  describe('$filter', () => {
    it('offers fields, functions and not at the start of a condition', () => {
      for (const m of ['$filter=|', '$filter=on_hold eq true and |', '$filter=(|', '$filter=not |', '$filter=a eq 1 or |']) {
        const r = at(m);
        assert.ok(r.labels.includes('balance'), m);
        assert.ok(r.labels.includes('contains'), m);
        assert.ok(r.labels.includes('not'), m);
      }
      assert.strictEqual(at('$filter=|').items.find((i) => i.label === 'contains')?.insertText, 'contains(');
    });

    it('replaces the field name being typed', () => {
      assert.strictEqual(at('$filter=bal|').replaced, 'bal');
      assert.strictEqual(at('$filter=on_hold eq true and bal|ance gt 1').replaced, 'balance');
    });

    it('offers operators that fit the field type after `field `', () => {
      assert.deepStrictEqual(at('$filter=on_hold |').labels, ['eq', 'ne']);
      assert.deepStrictEqual(at('$filter=balance |').labels, ['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
      assert.deepStrictEqual(at('$filter=name |').labels, ['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
      assert.deepStrictEqual(at('$filter=on_hold e|').labels, ['eq', 'ne']);
    });

    it('offers value hints after an operator', () => {
      assert.deepStrictEqual(at('$filter=on_hold eq |').labels, ['true', 'false', 'null']);
      const d = at('$filter=account_opened ge |');
      assert.match(d.labels[0], /^\d{4}-\d\d-\d\d$/);
      assert.match(d.labels[1], /^\d{4}-\d\d-\d\dT00:00:00Z$/);
      assert.ok(at('$filter=name eq |').labels.includes("''"));
      assert.ok(at('$filter=account_status_type eq |').labels.includes("'AccountStatusActive'"));
      assert.ok(at('$filter=balance gt |').labels.includes('0'));
    });

    it('offers enum names as quoted values when the caller knows them', () => {
      const r = at('$filter=document_status eq |', { schema: 'sop_order', enumValues: { document_status: ['EnumDocumentStatusLive', 'EnumDocumentStatusComplete'] } });
      assert.ok(r.labels.includes("'EnumDocumentStatusComplete'"));
      assert.match(r.items.find((i) => i.label === "'EnumDocumentStatusComplete'")!.detail, /enum value 1/);
    });

    it("offers the catalog's enum values in quotes after eq and ne, and inside an open quote", () => {
      const r = at('$filter=document_status eq |', { schema: 'sop_order' });
      for (const v of ['EnumDocumentStatusLive', 'EnumDocumentStatusDispute', 'EnumDocumentStatusDraft', 'EnumDocumentStatusPrinted']) {
        assert.ok(r.labels.includes(`'${v}'`), v);
      }
      assert.ok(!r.labels.includes("'EnumDocumentStatusDisputed'"));
      assert.deepStrictEqual(at('$filter=account_status_type ne |').labels.filter((l) => l.startsWith("'Account")), ["'AccountStatusActive'", "'AccountStatusHidden'"]);
      const open = at("$filter=document_status eq 'EnumDocumentStatusCo|", { schema: 'sop_order' });
      assert.ok(open.labels.includes('EnumDocumentStatusComplete'));
      assert.strictEqual(open.replaced, 'EnumDocumentStatusCo');
      // A field with only its OpenAPI default known says the list may be incomplete.
      const partial = at('$filter=account_type eq |');
      assert.match(partial.items.find((i) => i.label === "'TradingAccountTypeOpenItem'")!.detail, /may be incomplete/);
      // No source, no values: a plain text field offers none.
      assert.deepStrictEqual(at('$filter=name eq |').labels.filter((l) => l.length > 2 && l.startsWith("'")), []);
    });

    it('offers and/or after a complete comparison or a closing parenthesis', () => {
      for (const m of ['$filter=on_hold eq true |', "$filter=name eq 'x' |", '$filter=(a eq 1) |', "$filter=contains(name,'x') |", '$filter=d gt 2016-01-01 |', '$filter=status eq Active |']) {
        assert.deepStrictEqual(at(m).labels, ['and', 'or'], m);
      }
      assert.strictEqual(at('$filter=on_hold eq true a|').replaced, 'a');
    });

    it('offers text fields as the first argument of a function and a quoted value second', () => {
      const r = at('$filter=contains(|');
      assert.ok(r.labels.includes('name'));
      assert.ok(!r.labels.includes('balance'));
      assert.deepStrictEqual(at('$filter=contains(name,|').labels, ["''"]);
    });

    it('completes dotted fields of children', () => {
      const r = at('$filter=customer.|', { schema: 'sop_order' });
      assert.ok(r.labels.includes('reference'));
      assert.ok(at('$filter=|', { schema: 'sop_order' }).labels.includes('customer.'));
      assert.deepStrictEqual(at("$filter=customer.on_hold |", { schema: 'sop_order' }).labels, ['eq', 'ne']);
    });

    it('offers nothing inside a string literal', () => {
      assert.deepStrictEqual(at("$filter=name eq 'ab|").labels, []);
    });

    it('uses the filter value only, even with other options and trailing spaces', () => {
      assert.deepStrictEqual(at('$top=5&$filter=on_hold |&$select=id').labels, ['eq', 'ne']);
    });
  });

  it('offers values for $top, $skip, $count and $metadata', () => {
    assert.ok(at('$top=|').labels.includes('5000'));
    assert.ok(at('$skip=|').labels.includes('0'));
    assert.deepStrictEqual(at('$count=|').labels, ['true', 'false']);
    assert.deepStrictEqual(at('$metadata=t|').labels, ['true', 'false']);
  });

  it('never throws for any cursor position in odd input', () => {
    const texts = ['', '&', '=', '$filter=((', "$filter='", '$select=,,', '$orderby= ,desc', '$filter=a eq 1 and', '$expand=(', '{{x}}&$top={{t}}'];
    for (const t of texts) {
      for (let c = 0; c <= t.length; c++) assert.doesNotThrow(() => completeQueryAt(t, c, { catalog, schema: 'customer' }), `${t} @${c}`);
    }
    assert.doesNotThrow(() => completeQueryAt('$filter=x', 999, { catalog, schema: 'no_such_schema' }));
  });

  it('is fast: median under 1 ms over many positions', () => {
    const text = "$filter=(on_hold eq true and balance gt 1000) or contains(name,'ltd')&$select=id,reference,name&$orderby=name desc&$top=10";
    // Warm up the per-schema caches, as a live editor would be.
    completeQueryAt(text, 10, { catalog, schema: 'customer' });
    const times: number[] = [];
    for (let k = 0; k < 400; k++) {
      const c = (k * 7) % (text.length + 1);
      const t = performance.now();
      completeQueryAt(text, c, { catalog, schema: 'customer' });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const median = times[times.length >> 1];
    console.log(`      completion median ${median.toFixed(3)} ms, p99 ${times[Math.floor(times.length * 0.99)].toFixed(3)} ms`);
    assert.ok(median < 1, `median ${median} ms`);
  });
});
