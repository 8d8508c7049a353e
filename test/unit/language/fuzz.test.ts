import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadCatalog } from '../../../src/core/catalog';
import { LanguageContext } from '../../../src/core/language';
import { exerciseFile, HOSTILE, offsetsOf } from './hostile';

/*
 * The fuzz corpus: random and mutated request files, and the hostile shapes at random sizes, each
 * through parse, diagnostics, completion and hover at random offsets, and resolution of every
 * request, within a CPU time bound per file. Reproducible: FUZZ_SEED picks the corpus (FUZZ_FILES its
 * size), and a failure names the seed, the file's number and where the file was written.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 17);
const FILES = Number(process.env.FUZZ_FILES ?? 500);
/** CPU milliseconds one file may take. Generous: the largest files here take tens of milliseconds. */
const PER_FILE_MS = 2000;

const ROOT = path.join(__dirname, '..', '..', '..');
const SAMPLES = fs.readdirSync(path.join(ROOT, 'samples')).filter((f) => f.endsWith('.sage200')).sort()
  .map((f) => fs.readFileSync(path.join(ROOT, 'samples', f), 'utf8'));
const catalog = loadCatalog();
const ctx: LanguageContext = { catalog, edition: 'standard', environments: { $shared: { top: '5', base: 'https://sage.test' }, dev: { id: '{{top}}' } }, environment: 'dev' };

/** A small seeded generator (mulberry32): the same seed gives the same corpus on every machine. */
class Random {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** Pieces that matter to the grammar, so random text reaches the interesting paths often. */
const TOKENS = ['#', '###', '### ', '//', '@', '@a = ', '=', '{{', '}}', '{', '}', '[', ']', '"', "'", ':', ',', '?', '&', '$', ' ', '    ', '\t',
  '\n', '\n', '\n', '\r', '\r\n', 'GET ', 'POST ', 'PUT ', 'DELETE ', 'get ', '/customers', '/customers/1', '/sop_orders', '/custmers', '{{base}}',
  'https://api.columbus.sage.com/uk/sage200/accounts/v1', '$filter=', '$select=', '$expand=', '$top=', '$skip=', '$orderby=', ' eq ', ' and ',
  ' or ', 'not ', '(', ')', 'name', 'id', 'customer.name', 'lines.product', '1', '-2.5e3', "'x'", '2016-01-01T00:00:00', 'true', 'null',
  'Content-Type: application/json', '# @name r1', '# @name r2', '{{r1.response.body.$.id}}', '{{r2.response.headers.etag}}', '{{$guid}}',
  '{{$datetime iso8601 -1 d}}', '{{$dotenv KEY}}', '{{$prompt who}}', '{{$randomInt 1 9}}', '{{top}}', '{{id}}', '{{a}}', '{{nope}}',
  'HTTP/1.1', '\u0000', '\ud800', 'é', '£', '\u200b', 'contains(name,\'a\')'];

const VARIABLE_VALUES = ['x', '{{top}}', '{{$guid}}', '{{a}}{{a}}', '{{b}}', 'https://sage.test', '{{$dotenv KEY}}', '{{r1.response.body.$.id}}', ''];
const PATHS = ['/customers', '/customers/{{id}}', '/sop_orders', '/sop_orders/1', '/custmers', '/products', '{{base}}/uk/sage200/accounts/v1/customers', '/sites', '/nope/x'];
const QUERIES = ['$top={{top}}', '$filter=name eq \'A&B\'', '$select=id,name,customer.name', '$expand=customer', '$orderby=name desc', '$skip=10', '$filter=balance gt 1000 and on_hold eq true', '$count=true', '$bogus=1'];
const BODIES = ['{"name": "x", "reference": "R1"}', "{'name': 'x'}", '{"name": {{a}}, "credit_limit": "lots"}', '[1, 2,]', '{"lines": [{"product": {"id": 1}}]}', 'name=x', '{"a": "unterminated'];

/** A request file written from parts, as a user might: variables, named requests, queries, headers, bodies. */
function generated(r: Random): string {
  const out: string[] = [];
  const vars = r.int(6);
  for (let i = 0; i < vars; i++) out.push(`@${r.pick(['a', 'b', 'top', 'id', 'base', `v${i}`])} = ${r.pick(VARIABLE_VALUES)}`);
  const requests = 1 + r.int(5);
  for (let i = 0; i < requests; i++) {
    out.push(`### request ${i}`);
    if (r.int(2)) out.push(`# @name r${1 + r.int(3)}`);
    const method = r.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', '']);
    const query = r.int(3) ? `?${Array.from({ length: 1 + r.int(3) }, () => r.pick(QUERIES)).join('&')}` : '';
    out.push(`${method ? `${method} ` : ''}${r.pick(PATHS)}${query}`);
    if (r.int(3) === 0) out.push(`    &${r.pick(QUERIES)}`);
    if (r.int(2)) out.push('Content-Type: application/json');
    if (r.int(3) === 0) out.push(`X-Company: {{${r.pick(['$company', 'id', 'nope'])}}}`);
    if (method === 'POST' || method === 'PUT' || r.int(4) === 0) out.push('', r.pick(BODIES));
    out.push('');
  }
  return out.join('\n');
}

function tokenSoup(r: Random): string {
  return Array.from({ length: r.int(300) }, () => r.pick(TOKENS)).join('');
}

/** A sample or generated file with random edits: deletions, insertions, copies of its own slices. */
function mutated(r: Random, base: string): string {
  let t = base;
  const edits = 1 + r.int(12);
  for (let k = 0; k < edits; k++) {
    const at = t.length ? r.int(t.length + 1) : 0;
    const op = r.int(4);
    if (op === 0) t = t.slice(0, at) + t.slice(at + r.int(30));
    else if (op === 1) t = t.slice(0, at) + Array.from({ length: 1 + r.int(4) }, () => r.pick(TOKENS)).join('') + t.slice(at);
    else if (op === 2) t = t.slice(0, at) + t.slice(r.int(t.length + 1)).slice(0, r.int(200)) + t.slice(at);
    else t = t.slice(0, at) + String.fromCharCode(r.int(0x3000)) + t.slice(at);
  }
  return t;
}

/** The same file with other line endings: CR-only and CRLF files are lines too. */
function lineEndings(r: Random, text: string): string {
  const choice = r.int(6);
  if (choice === 0) return text.replace(/\r?\n/g, '\r');
  if (choice === 1) return text.replace(/\r?\n/g, '\r\n');
  return text;
}

/** Sizes at which the hostile shapes stay within a CI budget, yet above where they used to hang. */
const HOSTILE_SIZES: Record<string, number> = {
  longUnknownPath: 20_000, distinctUnknownPaths: 500, slashes: 20_000, doublingVariables: 40, doublingSystemVariables: 40, variableChain: 2_000, singleQuotedValues: 5_000,
  loneQuotes: 2_000, unclosedBodyVariables: 200, deepExpand: 1_000, crOnly: 200, manyQueryLines: 500,
};

function corpusFile(r: Random): { kind: string; text: string } {
  const roll = r.int(20);
  if (roll < 8) return { kind: 'mutated sample', text: lineEndings(r, mutated(r, r.pick(SAMPLES))) };
  if (roll < 12) return { kind: 'generated', text: lineEndings(r, generated(r)) };
  if (roll < 15) return { kind: 'mutated generated', text: lineEndings(r, mutated(r, generated(r))) };
  if (roll < 18) return { kind: 'token soup', text: tokenSoup(r) };
  const [name, make] = r.pick(Object.entries(HOSTILE));
  const text = make(1 + r.int(HOSTILE_SIZES[name]));
  return { kind: `hostile ${name}`, text: r.int(3) ? text : mutated(r, text) };
}

describe('fuzz corpus: random and mutated request files', () => {
  it(`${FILES} files (seed ${SEED}) each pass every feature within ${PER_FILE_MS} ms of CPU`, async function () {
    this.timeout(0);
    const r = new Random(SEED);
    for (let i = 0; i < FILES; i++) {
      const { kind, text } = corpusFile(r);
      const offsets = [...offsetsOf(text, 4), ...Array.from({ length: 6 }, () => r.int(text.length + 1))];
      const t0 = process.cpuUsage();
      let failure: unknown;
      try {
        await exerciseFile(text, offsets, ctx);
      } catch (e) {
        failure = e;
      }
      const used = process.cpuUsage(t0);
      const ms = (used.user + used.system) / 1000;
      if (failure === undefined && ms <= PER_FILE_MS) continue;
      const saved = path.join(os.tmpdir(), `sage200-fuzz-seed${SEED}-file${i}.sage200`);
      fs.writeFileSync(saved, text);
      const why = failure !== undefined ? `failed: ${(failure as Error).stack ?? String(failure)}` : `took ${ms.toFixed(0)} ms of CPU`;
      assert.fail(`File ${i} of seed ${SEED} (${kind}, ${text.length} characters) ${why}\n` +
        `Written to ${saved}; rerun with FUZZ_SEED=${SEED}. ${text.length <= 2000 ? 'The file' : 'It starts'}: ${JSON.stringify(text.slice(0, 2000))}`);
    }
  });
});
