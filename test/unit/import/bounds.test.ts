/**
 * Import and export take time about proportional to their input, whatever it is: each case runs at
 * n and 16n and compares the times (never an absolute time, the machine is shared).
 */
import * as assert from 'assert';
import { exportPostman, importText, ImportSummary } from '../../../src/core/import';
import { mapSystemVariables, relativeUrl } from '../../../src/core/import/sage';

/** Milliseconds of CPU that `work` takes, the best of 3: CPU time, as others share the machine. */
function best(work: () => unknown): number {
  let min = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = process.cpuUsage();
    work();
    const t = process.cpuUsage(t0);
    min = Math.min(min, (t.user + t.system) / 1000);
  }
  return min;
}

/**
 * The time at 16n over the time at n. Linear gives 16 (up to about 40 with allocation and caches);
 * quadratic gives 256. Tiny times get a floor of 5 ms so that timer noise cannot fail a linear case,
 * and a spoilt measurement is retried: a quadratic cost spoils every one.
 */
function ratio(make: (n: number) => string, run: (input: string) => unknown, n: number): { ratio: number; detail: string } {
  const small = make(n);
  const large = make(n * 16);
  run(small);
  let result = { ratio: Infinity, detail: '' };
  for (let attempt = 0; attempt < 3 && result.ratio >= 64; attempt++) {
    const a = best(() => run(small));
    const b = best(() => run(large));
    const r = b / Math.max(a, 5);
    if (r < result.ratio) result = { ratio: r, detail: `${small.length} -> ${large.length} characters took ${a.toFixed(1)} -> ${b.toFixed(1)} ms` };
  }
  return result;
}

function assertLinear(make: (n: number) => string, run: (input: string) => unknown, n: number): void {
  const r = ratio(make, run, n);
  assert.ok(r.ratio < 64, `16x the input took ${r.ratio.toFixed(1)}x the time: ${r.detail}`);
}

describe('import and export bounds', function () {
  this.timeout(60_000);

  it('refuses a base URL variable that doubles at each line, with a warning, and keeps the URL', () => {
    // Twelve lines of 4 references each: 4^12 characters, once 8.8 s for 416 bytes and minutes for 491.
    const doubling = (refs: number): string => {
      const lines: string[] = [];
      for (let i = 0; i < 12; i++) lines.push(`@a${i} = ${`{{a${i + 1}}}`.repeat(refs)}`);
      return [...lines, '@a12 = x', 'GET {{a0}}/customers', ''].join('\n');
    };
    const r = importText(doubling(5), 'a.http');
    const request = r.files[0].requests[0];
    assert.strictEqual(request.url, '{{a0}}/customers');
    assert.ok(
      r.summary.entries.some((e) => e.kind === 'warning' && /expands to more than 1,000,000 characters/.test(e.reason)),
      JSON.stringify(r.summary.entries),
    );
    // 16x the lines of variables: each expanded once, and refused as soon as it passes the limit.
    assertLinear((n) => {
      const lines: string[] = [];
      for (let i = 0; i < n; i++) lines.push(`@a${i} = ${`{{a${i + 1}}}`.repeat(4)}`);
      return [...lines, `@a${n} = x`, 'GET {{a0}}/customers', ''].join('\n');
    }, (t) => importText(t, 'a.http'), 12);
  });

  it('refuses a cycle and a chain too deep, and still relates a base URL made of variables', () => {
    const cycle = importText('@a = {{b}}\n@b = {{a}}\nGET {{a}}/customers\n', 'a.http');
    assert.strictEqual(cycle.files[0].requests[0].url, '{{a}}/customers');
    assert.ok(cycle.summary.entries.some((e) => /refers to itself/.test(e.reason)));
    const chain = Array.from({ length: 100 }, (_, i) => `@v${i} = {{v${i + 1}}}`).join('\n');
    const deep = importText(`${chain}\n@v100 = https://h/uk/sage200/accounts/v1\nGET {{v0}}/customers\n`, 'a.http');
    assert.strictEqual(deep.files[0].requests[0].url, '{{v0}}/customers');
    assert.ok(deep.summary.entries.some((e) => /more than 64 levels deep/.test(e.reason)));
    const parts = importText('@host = h\n@api = https://{{host}}/uk/sage200extra/accounts/v1/\nGET {{api}}?$top=1\n', 'a.http');
    assert.strictEqual(parts.files[0].requests[0].url, '/?$top=1');
  });

  it('reads a request line with a long run of blanks in linear time', () => {
    assertLinear((n) => `GET /c${' '.repeat(n)}x\n`, (t) => importText(t, 'a.http'), 5000);
    const r = importText('GET /c   x  HTTP/1.1  \n', 'a.http');
    assert.strictEqual(r.files[0].requests[0].url, '/c   x');
  });

  it('relates a long URL in linear time', () => {
    assertLinear((n) => `http://${'a'.repeat(n)}`, (u) => relativeUrl(u, new Map(), new ImportSummary(), 's'), 5000);
    assertLinear((n) => `http://${'a'.repeat(n)}${'/accounts/v1/'.repeat(n / 10)}`, (u) => relativeUrl(u, new Map(), new ImportSummary(), 's'), 5000);
  });

  it('maps system variables with long runs of blanks in linear time', () => {
    assertLinear((n) => `{{$${' '.repeat(n)}x`, (t) => mapSystemVariables(t, new ImportSummary(), 's'), 5000);
    assert.strictEqual(mapSystemVariables('{{  $guid  }} {{ x }}', new ImportSummary(), 's'), '{{$guid}} {{ x }}');
  });

  it('exports a body with a long run of blanks after "{{" in linear time', () => {
    // Once cubic: 5,000 blanks took 55 s.
    assertLinear((n) => `POST /c\n\n{{${' '.repeat(n)}x\n`, (t) => exportPostman(t, { name: 'x' }), 500);
  });

  it('exports requests that each read the previous response in linear time', () => {
    const chain = (n: number): string =>
      Array.from({ length: n }, (_, i) => `###\n# @name r${i}\nGET /customers/{{r${i ? i - 1 : 0}.response.body.$.id}}\n`).join('');
    assertLinear(chain, (t) => exportPostman(t, { name: 'x' }), 200);
  });
});
