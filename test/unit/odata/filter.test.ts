import * as assert from 'assert';
import { loadCatalog } from '../../../src/core/catalog';
import { CompareNode, FilterExpr, LiteralNode, LogicalNode, MAX_DEPTH, parseFilter, parseQueryString, validateQuery } from '../../../src/core/odata';

function expr(text: string, offset = 0): FilterExpr {
  const r = parseFilter(text, offset);
  assert.deepStrictEqual(r.errors, [], `unexpected errors for ${text}`);
  assert.ok(r.expr);
  return r.expr;
}

function cmp(text: string): CompareNode {
  const e = expr(text);
  assert.strictEqual(e.kind, 'compare');
  return e;
}

function rightLit(text: string): LiteralNode {
  const r = cmp(text).right;
  assert.strictEqual(r.kind, 'literal', text);
  return r;
}

/** Compact shape for assertions: operators, paths and literal values. */
function shape(e: FilterExpr): unknown {
  switch (e.kind) {
    case 'logical': return [e.op, ...e.operands.map(shape)];
    case 'not': return ['not', shape(e.operand)];
    case 'paren': return ['()', shape(e.expr)];
    case 'compare': return [e.op, shape(e.left), shape(e.right)];
    case 'call': return [`${e.name}()`, ...e.args.map(shape)];
    case 'field': return e.path;
    case 'literal': return e.value;
    case 'variable': return `{{${e.name}}}`;
    default: return '!';
  }
}

describe('odata $filter parser', () => {
  describe('comparisons and literals', () => {
    for (const op of ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const) {
      it(`parses ${op} with exact ranges`, () => {
        const e = cmp(`balance ${op} 10`);
        assert.strictEqual(e.op, op);
        assert.deepStrictEqual([e.opStart, e.opEnd], [8, 10]);
        assert.deepStrictEqual([e.left.start, e.left.end, e.right.start, e.right.end], [0, 7, 11, 13]);
      });
    }

    it('applies the offset to every range', () => {
      const e = expr('name eq 1', 100) as CompareNode;
      assert.deepStrictEqual([e.start, e.end, e.left.start, e.opStart, e.right.end], [100, 109, 100, 105, 109]);
    });

    it('reads strings with the doubled-quote escape', () => {
      const l = rightLit("name eq 'O''Brien'");
      assert.deepStrictEqual([l.type, l.value, l.raw, l.start, l.end], ['string', "O'Brien", "'O''Brien'", 8, 18]);
      assert.strictEqual(rightLit("name eq ''").value, '');
      assert.strictEqual(rightLit("name eq ''''").value, "'");
      assert.strictEqual(rightLit("name eq 'A & B'").value, 'A & B');
    });

    it('reads integers, decimals and negative numbers', () => {
      assert.deepStrictEqual([rightLit('id eq 27825').value, rightLit('id eq 27825').integer], [27825, true]);
      assert.deepStrictEqual([rightLit('b eq 2500.00').value, rightLit('b eq 2500.00').integer], [2500, false]);
      assert.strictEqual(rightLit('b gt -1.5').value, -1.5);
      assert.strictEqual(rightLit('b gt -7').value, -7);
      assert.strictEqual(rightLit('b gt 1e3').value, 1000);
    });

    it('reads true, false and null', () => {
      assert.strictEqual(rightLit('on_hold eq true').value, true);
      assert.strictEqual(rightLit('on_hold eq false').value, false);
      const n = rightLit('currency_id eq null');
      assert.deepStrictEqual([n.type, n.value], ['null', null]);
    });

    it('reads bare dates and date-times with and without a zone', () => {
      const d = rightLit('document_date gt 2016-02-23');
      assert.deepStrictEqual([d.type, d.value], ['date', '2016-02-23']);
      const z = rightLit('document_date gt 2016-02-24T09:52:11.452Z');
      assert.deepStrictEqual([z.type, z.value, z.zone, z.end], ['datetime', '2016-02-24T09:52:11.452Z', 'Z', 41]);
      const noZ = rightLit('document_date gt 2016-02-24T09:52:11');
      assert.deepStrictEqual([noZ.type, noZ.zone], ['datetime', undefined]);
      assert.strictEqual(rightLit('d gt 2016-02-24T09:52').type, 'datetime');
      assert.strictEqual(rightLit('d gt 2016-02-24T09:52:11+01:00').zone, '+01:00');
    });

    it('reads quoted enum values as strings, by name or number', () => {
      assert.strictEqual(rightLit("document_status eq 'EnumDocumentStatusComplete'").value, 'EnumDocumentStatusComplete');
      assert.strictEqual(rightLit("document_status eq '2'").value, '2');
    });

    it('parses an unquoted word on the right as a field node for the validator to judge', () => {
      const e = cmp('document_status eq EnumDocumentStatusComplete');
      assert.deepStrictEqual([e.right.kind, (e.right as { path: string }).path], ['field', 'EnumDocumentStatusComplete']);
    });

    it('parses dotted and slashed paths with segment ranges', () => {
      const e = cmp("customer.name eq 'x'");
      assert.strictEqual(e.left.kind, 'field');
      if (e.left.kind !== 'field') return;
      assert.strictEqual(e.left.path, 'customer.name');
      assert.deepStrictEqual(e.left.segments.map((s) => [s.name, s.start, s.end]), [['customer', 0, 8], ['name', 9, 13]]);
      const s = cmp("customer/name eq 'x'");
      assert.strictEqual(s.left.kind === 'field' && s.left.path, 'customer.name');
    });

    it('accepts a value on the left', () => {
      assert.deepStrictEqual(shape(expr('1000 lt balance')), ['lt', 1000, 'balance']);
    });

    it('reads request-file variables as variable nodes', () => {
      assert.deepStrictEqual(shape(expr("id eq {{customerId}} and name eq '{{x}}'")), ['and', ['eq', 'id', '{{customerId}}'], ['eq', 'name', '{{x}}']]);
    });
  });

  describe('logic, precedence and functions', () => {
    it('gives and a higher precedence than or, flattening chains', () => {
      assert.deepStrictEqual(shape(expr('a eq 1 or b eq 2 and c eq 3')), ['or', ['eq', 'a', 1], ['and', ['eq', 'b', 2], ['eq', 'c', 3]]]);
      assert.deepStrictEqual(shape(expr('a eq 1 and b eq 2 and c eq 3')), ['and', ['eq', 'a', 1], ['eq', 'b', 2], ['eq', 'c', 3]]);
    });

    it('keeps parentheses as nodes with their ranges', () => {
      const e = expr('(a eq 1 or b eq 2) and c eq 3') as LogicalNode;
      assert.deepStrictEqual(shape(e), ['and', ['()', ['or', ['eq', 'a', 1], ['eq', 'b', 2]]], ['eq', 'c', 3]]);
      assert.deepStrictEqual([e.operands[0].start, e.operands[0].end], [0, 18]);
    });

    it('binds not tighter than and (OData precedence)', () => {
      assert.deepStrictEqual(shape(expr('not a eq 1 and b eq 2')), ['and', ['not', ['eq', 'a', 1]], ['eq', 'b', 2]]);
      assert.deepStrictEqual(shape(expr('not (a eq 1 and b eq 2)')), ['not', ['()', ['and', ['eq', 'a', 1], ['eq', 'b', 2]]]]);
    });

    it('parses contains, startswith and endswith calls with ranges', () => {
      for (const fn of ['contains', 'startswith', 'endswith']) {
        const e = expr(`${fn}(name,'ltd')`);
        assert.deepStrictEqual(shape(e), [`${fn}()`, 'name', 'ltd']);
        assert.ok(e.kind === 'call' && e.closed && e.nameStart === 0 && e.nameEnd === fn.length && e.end === fn.length + 12);
      }
      assert.deepStrictEqual(shape(expr("not contains(name, 'x') and startswith(reference,'A')")),
        ['and', ['not', ['contains()', 'name', 'x']], ['startswith()', 'reference', 'A']]);
    });

    it('parses the issue and docs examples', () => {
      assert.deepStrictEqual(shape(expr("(document_date ge 2016-01-01 and document_date le 2016-12-31) or document_status eq 'EnumDocumentStatusComplete'")),
        ['or', ['()', ['and', ['ge', 'document_date', '2016-01-01'], ['le', 'document_date', '2016-12-31']]], ['eq', 'document_status', 'EnumDocumentStatusComplete']]);
      assert.deepStrictEqual(shape(expr('on_hold eq true and balance gt 1000')), ['and', ['eq', 'on_hold', true], ['gt', 'balance', 1000]]);
    });
  });

  describe('errors and recovery', () => {
    function errors(text: string): { message: string; start: number; end: number; code: string }[] {
      return parseFilter(text).errors;
    }

    it('reports an empty filter', () => {
      assert.match(errors('')[0].message, /Empty \$filter/);
      assert.match(errors('   ')[0].message, /Empty \$filter/);
    });

    it('reports a missing value after an operator, keeping the comparison', () => {
      const r = parseFilter('name eq');
      assert.deepStrictEqual(r.errors.map((e) => [e.message, e.start, e.end]), [["Expected a value after 'eq'", 5, 7]]);
      assert.strictEqual(r.expr?.kind, 'compare');
    });

    it('reports an unterminated string with its range and keeps the value', () => {
      const r = parseFilter("name eq 'abc");
      assert.deepStrictEqual(r.errors.map((e) => [e.start, e.end]), [[8, 12]]);
      assert.match(r.errors[0].message, /Unterminated string/);
      assert.deepStrictEqual(shape(r.expr!), ['eq', 'name', 'abc']);
    });

    it("reports a missing ')' at the opening parenthesis", () => {
      const r = parseFilter('(a eq 1 and b eq 2');
      assert.deepStrictEqual(r.errors.map((e) => [e.message, e.start, e.end]), [["Missing ')' to close this '('", 0, 1]]);
      assert.strictEqual(r.expr?.kind, 'paren');
    });

    it("reports an unmatched ')'", () => {
      assert.deepStrictEqual(errors('a eq 1)').map((e) => [e.message, e.start]), [["Unmatched ')'", 6]]);
    });

    it('reports a missing operator between field and value', () => {
      const r = parseFilter("name 'x'");
      assert.match(r.errors[0].message, /Expected an operator .* after 'name'/);
    });

    it('suggests OData operators for symbols and lowercase for keywords', () => {
      assert.match(errors('balance > 10')[0].message, /Use 'gt' instead of '>'/);
      assert.match(errors('a eq 1 AND b eq 2')[0].message, /write 'and' instead of 'AND'/);
      assert.deepStrictEqual(shape(parseFilter('a EQ 1').expr!), ['eq', 'a', 1]);
      // Keywords are matched by comparisons: each in its place, and names that only look alike are fields.
      for (const op of ['eq', 'ne', 'gt', 'ge', 'lt', 'le']) assert.deepStrictEqual(shape(parseFilter(`a ${op} 1`).expr!), [op, 'a', 1]);
      assert.strictEqual(parseFilter('not a eq 1 and b eq 2 or c eq 3').errors.length, 0);
      assert.deepStrictEqual(errors('id eq 1 Or id Ne 2').map((e) => e.message), ["OData keywords are lowercase: write 'or' instead of 'Or'", "OData keywords are lowercase: write 'ne' instead of 'Ne'"]);
      assert.match(errors('id eq 1 and eqx eq 2 and eq eq 1')[0].message, /Expected a field or value before 'eq'/);
    });

    it('reports double quotes, junk and bad dates with ranges', () => {
      assert.match(errors('name eq "x"')[0].message, /single quotes/);
      const bad = errors('d eq 2016-13-01');
      assert.deepStrictEqual([bad[0].message, bad[0].start, bad[0].end], ["'2016-13-01' is not a valid date", 5, 15]);
      assert.match(errors('d eq 2016-02-30T10:00:00Z')[0].message, /not a valid date-time/);
      assert.match(errors('d eq 2016-01-01T9')[0].message, /not a valid date or date-time/);
      assert.match(errors('a eq 1 # b')[0].message, /Expected 'and' or 'or' before '#'/);
    });

    it('recovers after junk so that later conditions still parse', () => {
      const r = parseFilter("a eq 1 zz and b eq 'x'");
      assert.strictEqual(r.errors.length, 1);
      assert.deepStrictEqual(shape(r.expr!), ['and', ['eq', 'a', 1], ['eq', 'b', 'x']]);
    });

    it('reports missing operands around and/or without losing the rest', () => {
      const r = parseFilter('and a eq 1');
      assert.ok(r.errors.length >= 1);
      assert.ok(JSON.stringify(shape(r.expr!)).includes('"a"'));
      const end = parseFilter('a eq 1 and').errors;
      assert.deepStrictEqual(end.map((e) => [e.message, e.start, e.end]), [["Unexpected end of $filter: expected a field or value after 'and'", 7, 10]]);
      assert.ok(parseFilter('a eq 1 or or b eq 2').errors.length >= 1);
      assert.ok(parseFilter('()').errors.some((e) => /Empty parentheses/.test(e.message)));
    });

    it("reports an unclosed function call", () => {
      const r = parseFilter("contains(name,'x'");
      assert.match(r.errors[0].message, /Missing '\)' to close contains\(/);
      assert.ok(r.expr?.kind === 'call' && !r.expr.closed);
    });

    it('caps nesting depth with an error instead of overflowing the stack', () => {
      const deep = '('.repeat(100000) + 'a eq 1' + ')'.repeat(100000);
      const r = parseFilter(deep);
      assert.ok(r.errors.some((e) => e.code === 'too-deep'));
      const nots = 'not '.repeat(50000) + 'a eq 1';
      assert.ok(parseFilter(nots).errors.some((e) => e.code === 'too-deep'));
      const calls = 'contains('.repeat(20000) + 'a';
      assert.ok(parseFilter(calls).errors.some((e) => e.code === 'too-deep'));
      // Just under the cap parses cleanly.
      const ok = '('.repeat(MAX_DEPTH - 1) + 'a eq 1' + ')'.repeat(MAX_DEPTH - 1);
      assert.deepStrictEqual(parseFilter(ok).errors, []);
    });

    it('keeps long and/or chains flat (no deep trees)', () => {
      const chain = Array.from({ length: 20000 }, (_, i) => `f${i} eq ${i}`).join(' and ');
      const e = expr(chain);
      assert.ok(e.kind === 'logical' && e.operands.length === 20000);
    });

    it('caps the number of errors on garbage input', () => {
      assert.ok(parseFilter('# '.repeat(10000)).errors.length <= 100);
    });
  });
});

describe('odata $filter parser: recovery stays shallow', () => {
  // Found by the property test: every junk segment used to wrap the tree in one more node, so
  // ' or%2' repeated overflowed the stack of the validator (and any other tree walker).
  it('keeps conditions recovered after junk in one flat list', () => {
    const { expr, errors } = parseFilter(' or%2'.repeat(20000));
    assert.ok(errors.length > 0);
    const depth = (e: FilterExpr | undefined): number => {
      if (!e) return 0;
      if (e.kind === 'logical') return 1 + Math.max(...e.operands.map(depth));
      if (e.kind === 'not') return 1 + depth(e.operand);
      if (e.kind === 'paren') return 1 + depth(e.expr);
      return 1;
    };
    assert.ok(depth(expr) < 10, `tree depth ${depth(expr)}`);
  });

  it('validates a long recovered filter without overflowing the stack', () => {
    const q = parseQueryString(`$filter=${' or%2'.repeat(20000)}`);
    const diagnostics = validateQuery(q, { catalog: loadCatalog(), schema: 'customer' });
    assert.ok(diagnostics.some((d) => d.severity === 'error'));
  });
});
