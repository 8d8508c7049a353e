/**
 * Import and export take time about proportional to their input, whatever it is: each case runs at
 * n and 16n and compares the times (never an absolute time, the machine is shared).
 */
import * as assert from 'assert';
import { exportPostman, importText, ImportSummary } from '../../../src/core/import';
import { mapSystemVariables, relativeUrl } from '../../../src/core/import/sage';
import { assertLinear } from '../linearTime';


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
    assertLinear('input', (n) => {
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
    assertLinear('input', (n) => `GET /c${' '.repeat(n)}x\n`, (t) => importText(t, 'a.http'), 5000);
    const r = importText('GET /c   x  HTTP/1.1  \n', 'a.http');
    assert.strictEqual(r.files[0].requests[0].url, '/c   x');
  });

  it('relates a long URL in linear time', () => {
    assertLinear('input', (n) => `http://${'a'.repeat(n)}`, (u) => relativeUrl(u, new Map(), new ImportSummary(), 's'), 5000);
    assertLinear('input', (n) => `http://${'a'.repeat(n)}${'/accounts/v1/'.repeat(n / 10)}`, (u) => relativeUrl(u, new Map(), new ImportSummary(), 's'), 5000);
  });

  it('maps system variables with long runs of blanks in linear time', () => {
    assertLinear('input', (n) => `{{$${' '.repeat(n)}x`, (t) => mapSystemVariables(t, new ImportSummary(), 's'), 5000);
    assert.strictEqual(mapSystemVariables('{{  $guid  }} {{ x }}', new ImportSummary(), 's'), '{{$guid}} {{ x }}');
  });

  it('exports a body with a long run of blanks after "{{" in linear time', () => {
    // Once cubic: 5,000 blanks took 55 s.
    assertLinear('input', (n) => `POST /c\n\n{{${' '.repeat(n)}x\n`, (t) => exportPostman(t, { name: 'x' }), 500);
  });

  it('exports requests that each read the previous response in linear time', () => {
    const chain = (n: number): string =>
      Array.from({ length: n }, (_, i) => `###\n# @name r${i}\nGET /customers/{{r${i ? i - 1 : 0}.response.body.$.id}}\n`).join('');
    assertLinear('chained requests', chain, (t) => exportPostman(t, { name: 'x' }), 200);
  });
});
