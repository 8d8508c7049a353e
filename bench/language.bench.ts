import { execFileSync } from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as Catalogs from '../src/core/catalog';
import type * as Language from '../src/core/language';
import { httpyacDone, parseWithHttpyac } from './httpyac';
import { Benchmark, median, percentile, round, Skipped } from './harness';

const ROOT = path.join(__dirname, '..');

/**
 * The language core as it ships: bundled by esbuild like dist/extension.js, from the sources under
 * `root`. Timing the tsx-transpiled sources instead would also time tsx's helpers (it keeps function
 * names by wrapping every closure).
 */
function loadShippedCore(root = ROOT): typeof Catalogs & typeof Language {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-bench-')), 'language.js');
  esbuild.buildSync({
    stdin: {
      contents: "export * from './src/core/catalog'; export * from './src/core/language';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: out,
    logLevel: 'warning',
  });
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the freshly built bundle
    return require(out) as typeof Catalogs & typeof Language;
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

/**
 * The last commit before issue 18 rewrote the parser (typed-array rows, module-level state): the
 * baseline of `parse.5000req.ratioToBefore`. It predates `??` assertions.
 */
const BEFORE_ISSUE_18 = '7c59f61';

/** The core as it was at `commit`, from git history; a reason instead when there is no history (a shallow clone, a tarball). */
function loadCoreAt(commit: string): (typeof Catalogs & typeof Language) | Skipped {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-bench-before-'));
  try {
    const tar = path.join(dir, 'core.tar');
    execFileSync('git', ['archive', '--format=tar', '-o', tar, commit, 'src/core'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync('tar', ['-xf', tar, '-C', dir]);
    return loadShippedCore(dir);
  } catch (e) {
    return { skipped: `the core at ${commit} is not in this clone's history (${String((e as Error).message).split('\n')[0]})` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const SAMPLES = path.join(__dirname, '..', 'samples');

function sampleText(): string {
  return fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.sage200')).sort().map((f) => fs.readFileSync(path.join(SAMPLES, f), 'utf8')).join('\n');
}

/**
 * A file of `requests` requests: the samples' heads (comments and file variables) once, then their
 * requests repeated, each copy's `# @name`s (and the references to them) numbered so that names stay
 * unique, as in a real file. It uses only syntax that `.http` files share (`###`, `# @name`,
 * `@var = value`, `{{…}}`, headers, JSON bodies), so httpYac reads it too.
 */
function requestFile(requests: number): string {
  const heads: string[] = [];
  const bodies: string[] = [];
  for (const f of fs.readdirSync(SAMPLES).filter((n) => n.endsWith('.sage200')).sort()) {
    const text = fs.readFileSync(path.join(SAMPLES, f), 'utf8');
    const first = text.indexOf('\n###') + 1;
    heads.push(text.slice(0, first));
    bodies.push(text.slice(first));
  }
  const blocks = bodies.join('\n');
  const perCopy = blocks.split('\n').filter((l) => l.startsWith('###')).length;
  const copies: string[] = [];
  for (let k = 0; copies.length * perCopy < requests; k++) {
    copies.push(blocks.replace(/@name (\w+)/g, `@name $1_${k}`).replace(/\{\{(\w+)\.response/g, `{{$1_${k}.response`));
  }
  // Cut after the `requests`-th request: at the start of the next `###` line.
  const text = heads.join('\n') + copies.join('\n');
  let at = 0;
  for (let n = 0; n <= requests && at !== -1; n++) at = text.indexOf('\n###', at + 1);
  return at === -1 ? text : text.slice(0, at + 1);
}

/** A flat copy of a string, as `document.getText()` and `readFileSync` hand it over (no rope, no slice). */
function flat(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function time(f: () => void): number {
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * Typing at the middle of a file, one character per version: the time from the new text to the
 * fresh diagnostics of the whole file, as the editor computes them (the analysis cache holds the
 * previous version). p95 over `edits` keystrokes, after a warm-up of as many.
 */
function editLatencies(core: typeof Language, text: string, ctx: Language.LanguageContext, edits: number): number[] {
  const { AnalysisCache, computeDiagnostics } = core;
  const cache = new AnalysisCache();
  let version = 1;
  let current = text;
  computeDiagnostics(cache.get('bench:edit', version, () => current), ctx);
  // In the `$select` list of the middle request with a query: the user extends a field name.
  const middle = current.indexOf('$select=', current.length >> 1) + '$select='.length;
  const times: number[] = [];
  for (let i = 0; i < edits * 2; i++) {
    const at = middle + (i % edits);
    const next = flat(current.slice(0, at) + 'abcdefghijklmnopqrstuvwxyz'[i % 26] + current.slice(at));
    current = next;
    version++;
    const ms = time(() => void computeDiagnostics(cache.get('bench:edit', version, () => next), ctx));
    if (i >= edits) times.push(ms);
  }
  return times;
}

/** The codes of a list of diagnostics and how often each comes, to tell whether two cores found the same problems. */
function codeCounts(diagnostics: readonly Language.LangDiagnostic[]): string {
  const counts = new Map<string, number>();
  for (const d of diagnostics) counts.set(d.code ?? '', (counts.get(d.code ?? '') ?? 0) + 1);
  return [...counts].sort().map(([code, n]) => `${code}×${n}`).join(' ');
}

/**
 * The full pass against the core before issue 18, in one process, alternating (best of 15 each):
 * issue 18 allows the readable parser a full pass at most 1.5 times as long. The file is the bench's
 * 5,000 requests without their `??` lines, which the older core did not know (it reports each as a
 * header error); both cores must then report the same problems, or the figures are not comparable.
 */
function compareWithBefore(core: typeof Catalogs & typeof Language, big: string, ctx: Language.LanguageContext): Record<string, number | Skipped> {
  const names = ['parse.5000req.beforeMs', 'parse.5000req.sameFileMs', 'parse.5000req.ratioToBefore'];
  const skip = (why: Skipped): Record<string, Skipped> => Object.fromEntries(names.map((n) => [n, why]));
  const before = loadCoreAt(BEFORE_ISSUE_18);
  if ('skipped' in before) return skip(before);
  const text = flat(big.split('\n').filter((l) => !l.startsWith('??')).join('\n'));
  const beforeCtx = { ...ctx, catalog: before.loadCatalog(path.join(ROOT, 'src', 'core', 'catalog', 'sage200-catalog.json')) };
  const ours = (): Language.LangDiagnostic[] => core.computeDiagnostics(new core.FileAnalysis(text, 1), ctx);
  const theirs = (): Language.LangDiagnostic[] => before.computeDiagnostics(new before.FileAnalysis(text, 1), beforeCtx);
  const found = [codeCounts(ours()), codeCounts(theirs())];
  if (found[0] !== found[1]) return skip({ skipped: `the two cores report different problems (now: ${found[0]}; before: ${found[1]})` });
  let oursMs = Infinity;
  let theirsMs = Infinity;
  for (let i = 0; i < 15; i++) {
    oursMs = Math.min(oursMs, time(ours));
    theirsMs = Math.min(theirsMs, time(theirs));
  }
  return { 'parse.5000req.beforeMs': round(theirsMs, 1), 'parse.5000req.sameFileMs': round(oursMs, 1), 'parse.5000req.ratioToBefore': round(oursMs / theirsMs, 2) };
}

/**
 * completion.*: 100 positions spread over a 10,000-line file (the samples repeated), each a
 * completion on the cached parse of that version, as the editor does between keystrokes.
 * edit.*: see editLatencies.
 * parse.5000req.ms: a cold parse plus every diagnostic of a 5,000-request file, best of 10.
 * parse.vsHttpyac.ratio: that figure over httpYac's parse of the same file (best of 3, alternating).
 * parse.5000req.ratioToBefore: see compareWithBefore.
 * All on the esbuild bundle of the core, as the extension and the CLI ship it.
 */
export const languageBench: Benchmark = {
  figures: [
    'completion.medianMs', 'completion.p99Ms', 'edit.5000req.p95Ms', 'edit.50req.p95Ms', 'parse.5000req.ms', 'parse.httpyac5000req.ms',
    'parse.vsHttpyac.ratio', 'parse.5000req.beforeMs', 'parse.5000req.sameFileMs', 'parse.5000req.ratioToBefore',
  ],
  async run() {
    const core = loadShippedCore();
    const { loadCatalog, complete, computeDiagnostics, FileAnalysis } = core;
    const catalog = loadCatalog(path.join(ROOT, 'src', 'core', 'catalog', 'sage200-catalog.json'));
    const ctx = { catalog, edition: 'professional' as const };
    const sampleLines = sampleText().split('\n');
    const lines: string[] = [];
    while (lines.length < 10_000) lines.push(...sampleLines);
    const text = lines.slice(0, 10_000).join('\n');
    const fa = new FileAnalysis(text, 1);
    // Positions: ends of lines with something to complete (paths, query, headers, bodies), spread evenly.
    const candidates: number[] = [];
    for (let i = 0, at = 0; i < 10_000; i++) {
      const l = lines[i];
      if (/^(GET|POST|PUT|DELETE) |^\s+[?&]|^[{ ]|^Content-Type/.test(l)) candidates.push(at + l.length);
      at += l.length + 1;
    }
    const positions = Array.from({ length: 100 }, (_, k) => candidates[Math.floor((k * candidates.length) / 100)]);
    // Warm-up: per-verb path lists and per-schema field lists are built once per session.
    for (const p of positions) complete(fa, p, ctx);
    // Each position's latency is the best of 5 tries: the build machine is shared by several busy
    // processes, and a single try measures the scheduler as much as the code.
    const times: number[] = [];
    for (const p of positions) {
      let best = Infinity;
      for (let k = 0; k < 5; k++) best = Math.min(best, time(() => complete(fa, p, ctx)));
      times.push(best);
    }

    const big = flat(requestFile(5000));
    const small = flat(requestFile(50));
    const edit5000 = editLatencies(core, big, ctx, 200);
    const edit50 = editLatencies(core, small, ctx, 200);

    // A cold full pass every time: nothing is reused between runs.
    const fullPass = (): void => void computeDiagnostics(new FileAnalysis(big, 1), ctx);
    for (let i = 0; i < 3; i++) fullPass();
    let parseMs = Infinity;
    for (let i = 0; i < 10; i++) parseMs = Math.min(parseMs, time(fullPass));
    // httpYac takes about a second a parse: a warm-up and three rounds, alternating with ours.
    await parseWithHttpyac(big);
    let httpyacMs = Infinity;
    let oursMs = parseMs;
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      await parseWithHttpyac(big);
      httpyacMs = Math.min(httpyacMs, Number(process.hrtime.bigint() - t0) / 1e6);
      oursMs = Math.min(oursMs, time(fullPass));
    }
    httpyacDone();
    return {
      ...compareWithBefore(core, big, ctx),
      'completion.medianMs': round(median(times)),
      'completion.p99Ms': round(percentile(times, 99)),
      'edit.5000req.p95Ms': round(percentile(edit5000, 95)),
      'edit.50req.p95Ms': round(percentile(edit50, 95)),
      'parse.5000req.ms': round(oursMs, 1),
      'parse.httpyac5000req.ms': round(httpyacMs, 0),
      'parse.vsHttpyac.ratio': round(oursMs / httpyacMs, 3),
    };
  },
};
