/**
 * A corpus of valid `$filter` expressions for the cross-check against `odata-v4-parser`:
 * the examples from docs/sage200-api.md and issue 5, hand-written edge cases, expressions
 * generated from real catalog fields and operators, and seeded random compound expressions.
 */

import { loadCatalog } from '../../../src/core/catalog';

/** Examples quoted from ../shared/docs/sage200-api.md and the request-file issue. */
export const DOC_EXAMPLES: readonly string[] = [
  'on_hold eq true and balance gt 1000',
  "(document_date ge 2016-01-01 and document_date le 2016-12-31) or document_status eq 'EnumDocumentStatusComplete'",
  "document_status eq '2'",
  "document_status eq 'EnumDocumentStatusComplete'",
  'document_date gt 2016-02-23',
  'document_date gt 2016-02-24T09:52:11.452Z',
  "contains(name,'x')",
  "startswith(name,'x')",
  "endswith(name,'x')",
  'on_hold eq false',
];

/** Hand-written constructs: precedence, nesting, escapes, literal forms, functions, not. */
export const HAND_WRITTEN: readonly string[] = [
  "name eq 'O''Brien'",
  "name eq ''",
  "name eq ''''",
  "name ne 'A & B Ltd'",
  "reference eq 'A1D001'",
  'balance gt -1.5',
  'balance ge 0',
  'balance lt -1000',
  'credit_limit le 2500.00',
  'credit_limit eq 0.5',
  'id eq 27825',
  'id ne 1',
  'currency_id eq null',
  'currency_id ne null',
  'on_hold eq true or balance gt 1000 and credit_limit lt 5000',
  'on_hold eq true and balance gt 1000 or credit_limit lt 5000',
  '(on_hold eq true or balance gt 1000) and credit_limit lt 5000',
  'on_hold eq true and (balance gt 1000 or credit_limit lt 5000)',
  'not (on_hold eq true)',
  'not on_hold eq true',
  "not contains(name,'ltd')",
  "not (contains(name,'ltd') or startswith(reference,'A'))",
  "contains(name,'ltd') and not startswith(reference,'Z')",
  '((balance gt 1))',
  '(((balance gt 1) and (balance lt 2)) or ((id eq 3)))',
  'a eq 1 or b eq 2 or c eq 3 or d eq 4',
  'a eq 1 and b eq 2 and c eq 3 and d eq 4',
  'a eq 1 and (b eq 2 or c eq 3) and d eq 4',
  'account_opened ge 2016-01-01 and account_opened lt 2017-01-01',
  'date_received eq 2019-12-31T23:59:59Z',
  'date_received gt 2019-12-31T23:59:59.999Z',
  'date_received lt 2020-02-29T00:00:00.1Z',
  '1000 lt balance',
  "'A1D001' eq reference",
  'customer/name eq null',
  "customer/reference eq 'A1D001'",
  "startswith(customer/name,'Acme')",
  "contains(name,'&')",
  "name eq 'it''s ''quoted'''",
  'document_status eq EnumDocumentStatusComplete',
  'account_status_type eq AccountStatusActive',
  "name eq 'tab\tseparated'",
  'balance gt 1 and\tbalance lt 2',
  'balance   gt    1',
];

/**
 * Valid for our parser but outside what odata-v4-parser accepts; kept in the corpus so our side is
 * still checked, and counted as skipped in the cross-check.
 */
export const OUR_EXTENSIONS: readonly string[] = [
  'document_date gt 2016-02-24T09:52:11', // date-time without Z: parsed so the validator can flag it
  'document_date gt 2016-02-24T09:52:11.452', // the same with milliseconds
  'customer.name eq null', // dotted navigation, Sage's $select style
  "startswith(name,'A') eq true",
  'balance gt 1e5',
  'id eq 99999999999',
  "contains(name,'%')", // a raw % (odata-v4-parser reads URI text, where it must be %25)
];

// A small deterministic PRNG (mulberry32) so the corpus is the same on every run.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SCHEMAS = ['customer', 'supplier', 'sop_order', 'product', 'nominal_code', 'warehouse', 'customer_contact', 'sop_order_line'];
const OPS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];

function sampleValue(type: string, pick: () => number): string {
  switch (type) {
    case 'boolean': return pick() < 0.5 ? 'true' : 'false';
    case 'integer': return String(Math.floor(pick() * 100000) - (pick() < 0.2 ? 50000 : 0));
    case 'number': return (Math.floor(pick() * 1000000) / 100 - (pick() < 0.2 ? 5000 : 0)).toFixed(2);
    case 'datetime': {
      const y = 2010 + Math.floor(pick() * 15);
      const m = String(1 + Math.floor(pick() * 12)).padStart(2, '0');
      const d = String(1 + Math.floor(pick() * 28)).padStart(2, '0');
      return pick() < 0.5 ? `${y}-${m}-${d}` : `${y}-${m}-${d}T${String(Math.floor(pick() * 24)).padStart(2, '0')}:30:00Z`;
    }
    default: {
      const words = ['Acme', "O''Neil", 'A1D001', 'Ltd', 'EnumDocumentStatusComplete', '2', 'north & south', 'x y'];
      return `'${words[Math.floor(pick() * words.length)]}'`;
    }
  }
}

/** One comparison or function per scalar field of several schemas, with operators by type. */
export function generatedComparisons(): string[] {
  const catalog = loadCatalog();
  const pick = rng(5200);
  const out: string[] = [];
  for (const schema of SCHEMAS) {
    const fields = catalog.fields(schema).filter((f) => f.type !== 'object' && f.type !== 'array').slice(0, 24);
    for (const f of fields) {
      if (f.type === 'string' && pick() < 0.4) {
        const fn = ['contains', 'startswith', 'endswith'][Math.floor(pick() * 3)];
        out.push(`${fn}(${f.name},${sampleValue('string', pick)})`);
        continue;
      }
      const op = f.type === 'boolean' ? (pick() < 0.5 ? 'eq' : 'ne') : OPS[Math.floor(pick() * OPS.length)];
      out.push(`${f.name} ${op} ${sampleValue(f.type, pick)}`);
    }
  }
  return out;
}

/** Seeded random compound expressions: and/or/not and parentheses over generated comparisons. */
export function generatedCompounds(count: number, seed = 77): string[] {
  const atoms = generatedComparisons();
  const pick = rng(seed);
  const gen = (depth: number): string => {
    const r = pick();
    if (depth > 3 || r < 0.35) return atoms[Math.floor(pick() * atoms.length)];
    if (r < 0.5) return `not (${gen(depth + 1)})`;
    if (r < 0.7) return `(${gen(depth + 1)})`;
    const n = 2 + Math.floor(pick() * 3);
    const op = pick() < 0.5 ? ' and ' : ' or ';
    return Array.from({ length: n }, () => gen(depth + 1)).join(op);
  };
  return Array.from({ length: count }, () => gen(0));
}

/** The whole corpus, deduplicated, in a stable order. */
export function filterCorpus(): string[] {
  return [...new Set([...DOC_EXAMPLES, ...HAND_WRITTEN, ...OUR_EXTENSIONS, ...generatedComparisons(), ...generatedCompounds(120)])];
}
