/**
 * The request parser and the OData query parser keep no state between calls. These properties
 * check it: a result does not change when other texts are parsed after it, and parsing the same
 * text again gives an equal result.
 */
import * as assert from 'assert';
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { KNOWN_OPTIONS, parseQueryString } from '../../../src/core/odata';
import { parseRequestFile, scanJson, scanRefs } from '../../../src/core/requestFile';
import { JsonNode } from '../../../src/core/requestFile/jsonScan';
import { LineIndex, VariableRef } from '../../../src/core/requestFile/types';

const ROOT = path.join(__dirname, '..', '..', '..');
const SAMPLES = fs.readdirSync(path.join(ROOT, 'samples')).filter((f) => f.endsWith('.sage200'))
  .map((f) => fs.readFileSync(path.join(ROOT, 'samples', f), 'utf8'));

const PIECES = ['###', '# @name a', '\n', ' ', 'GET /customers', '?$top=1', '\n  &$skip=2', 'Content-Type: x', 'X: {{a}} {{b}}', '{{c}}',
  '{ "a": 1 }', '@v = {{w}}', '$select=id,name', '$orderby=id desc', '$filter=a eq 1', '&', 'customer.name', '$Top=3', '$count=true', "'", '{{'];
const text = fc.oneof(
  fc.constantFrom(...SAMPLES),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((a) => a.join('')),
);

/**
 * A deep copy that can be compared: class instances become plain data, read through their getters
 * as well as their own fields. An object met again on its own path is cut.
 */
function snapshot(x: unknown, path = new Set<object>()): unknown {
  if (x === undefined) return '<undefined>';
  if (x === null || typeof x !== 'object') return x;
  // Line starts are found on first use: compare what they are, not whether they were asked for yet.
  if (x instanceof LineIndex) return { text: x.text, starts: [...x.starts] };
  if (ArrayBuffer.isView(x)) return Array.from(x as Int32Array);
  if (path.has(x)) return '<cycle>';
  path.add(x);
  let out: unknown;
  if (Array.isArray(x)) {
    out = x.map((v) => snapshot(v, path));
  } else {
    const o: Record<string, unknown> = {};
    const rec = x as Record<string, unknown>;
    for (const k of Object.keys(x)) o[k] = snapshot(rec[k], path);
    for (let p = Object.getPrototypeOf(x); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) if (d.get && !(k in o)) o[k] = snapshot(rec[k], path);
    }
    out = o;
  }
  path.delete(x);
  return out;
}

describe('no state shared between parses', () => {
  it('a request-file parse is unchanged by later parses, and parsing again gives an equal tree', () => {
    fc.assert(fc.property(text, text, (a, b) => {
      const first = parseRequestFile(a);
      const before = snapshot(first);
      parseRequestFile(b);
      assert.deepStrictEqual(snapshot(first), before);
      assert.deepStrictEqual(snapshot(parseRequestFile(a)), before);
    }), { numRuns: 300 });
  });

  it('a query parse is unchanged by later parses, and parsing again gives an equal result', () => {
    fc.assert(fc.property(text, text, (a, b) => {
      const qa = a.slice(a.indexOf('?') + 1);
      const first = parseQueryString(qa);
      const before = snapshot(first);
      parseQueryString(b);
      assert.deepStrictEqual(snapshot(first), before);
      assert.deepStrictEqual(snapshot(parseQueryString(qa)), before);
    }), { numRuns: 300 });
  });

  it('the exported scanRefs still appends to the caller\'s list', () => {
    const out: VariableRef[] = [];
    scanRefs('a {{x}} b {{y.response.body.$.id}}', 0, 34, out);
    scanRefs('{{$guid}}', 0, 9, out);
    assert.deepStrictEqual(out.map((r) => [r.kind, r.name]), [['plain', 'x'], ['response', 'y'], ['system', '$guid']]);
  });

  it('a space in a path is found whatever was parsed before (the blank-search memo starts afresh)', () => {
    parseRequestFile('GET /a b\n');
    const issues = parseRequestFile('GET /customers x\n\n###\nGET /sites\nGET /c d\n').issues.filter((i) => i.code === 'space-in-path');
    assert.deepStrictEqual(issues.map((i) => i.span.start), [14]);
  });

  it('a tab in a path is found where the remembered tab search points past earlier requests', () => {
    // The first request's search finds the tab of the third; the third's search reuses that answer.
    const text = 'GET /a?x=1\n\n###\nGET /b c\n\n###\nGET /d\te\n';
    const issues = parseRequestFile(text).issues.filter((i) => i.code === 'space-in-path');
    assert.deepStrictEqual(issues.map((i) => i.span.start), [text.indexOf(' c'), text.indexOf('\te')]);
  });
});

describe('query option names', () => {
  it('recognises every known option written as documented, and any other case as well', () => {
    for (const o of KNOWN_OPTIONS) {
      const exact = parseQueryString(`${o}=1`).options[0];
      assert.strictEqual(exact.known, o);
      assert.strictEqual(exact.name, o);
      const upper = parseQueryString(`${o.toUpperCase()}=1`).options[0];
      assert.strictEqual(upper.known, o);
      assert.strictEqual(upper.name, o.toUpperCase());
    }
    for (const other of ['$tops', '$to', '$filters', '$', '$unknown', 'top']) {
      assert.strictEqual(parseQueryString(`${other}=1`).options[0].known, undefined, other);
    }
  });
});

/** The value a scanned JSON tree stands for (keys in order; a later duplicate key wins, as in JSON.parse). */
function valueOf(n: JsonNode | undefined): unknown {
  if (!n) return undefined;
  switch (n.kind) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const p of n.properties) Object.defineProperty(o, p.key, { value: valueOf(p.value), enumerable: true, configurable: true, writable: true });
      return o;
    }
    case 'array': return n.items.map(valueOf);
    case 'string': case 'number': case 'boolean': return n.value;
    case 'null': return null;
    default: return n.kind;
  }
}

describe('JSON body scan (shared property and item stacks)', () => {
  it('reads any valid JSON, however nested, as JSON.parse does', () => {
    fc.assert(fc.property(fc.json({ maxDepth: 6 }), fc.constantFrom('', '  ', '\n'), (json, pad) => {
      const text = pad + json + pad;
      const r = scanJson(text);
      assert.deepStrictEqual(r.problems, []);
      assert.deepStrictEqual(valueOf(r.root), JSON.parse(json));
    }), { numRuns: 300 });
  });

  it('a scan is unchanged by later scans', () => {
    fc.assert(fc.property(fc.json({ maxDepth: 4 }), fc.json({ maxDepth: 4 }), (a, b) => {
      const first = scanJson(a);
      const before = JSON.stringify(valueOf(first.root));
      scanJson(b);
      assert.strictEqual(JSON.stringify(valueOf(first.root)), before);
    }), { numRuns: 200 });
  });
});
