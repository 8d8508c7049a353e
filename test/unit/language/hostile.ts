import * as assert from 'assert';
import {
  codeLensSpans, complete, computeDiagnostics, documentSymbols, FileAnalysis, foldingRanges, hover, LanguageContext,
} from '../../../src/core/language';
import { resolveRequest, ResolveError, VariableError, VariableHost } from '../../../src/core/requestFile';

/**
 * Request files that froze the extension host before their work was bounded (found by fuzzing), as
 * makers of a given size `n`, so that tests can compare n with 8n. Each holds a request, so that
 * diagnostics, hover, completion and resolution all meet the shape.
 */
export const HOSTILE: Record<string, (n: number) => string> = {
  /** An unknown path of n characters: "did you mean" compared it with every catalog path. */
  longUnknownPath: (n) => `GET /${'customerx'.repeat(Math.ceil(n / 9)).slice(0, n)}\n`,
  /** Many requests, each to a different unknown path: each searched the catalog for "did you mean". */
  distinctUnknownPaths: (n) => Array.from({ length: n }, (_, i) => `###\nGET /customer_${i.toString(36)}_${'x'.repeat(i % 40)}\n`).join(''),
  /** A path of slashes: a trailing-slash regex backtracked over them. */
  slashes: (n) => `GET /${'/'.repeat(n)}x\n`,
  /** `@a1 = {{a0}}{{a0}}`: each line doubles the value. */
  doublingVariables: (n) => {
    const lines = ['@a0 = x'];
    for (let i = 1; i < n; i++) lines.push(`@a${i} = {{a${i - 1}}}{{a${i - 1}}}`);
    return `${lines.join('\n')}\n\nPOST /customers/{{a${n - 1}}}\n\n{"name": "{{a${n - 1}}}"}\n`;
  },
  /** Doubling over a `$` variable, which is evaluated at each use (no memo can serve it). */
  doublingSystemVariables: (n) => {
    const lines = ['@a0 = {{$guid}}'];
    for (let i = 1; i < n; i++) lines.push(`@a${i} = {{a${i - 1}}}{{a${i - 1}}}`);
    return `${lines.join('\n')}\n\nGET /customers?$filter=name eq '{{a${n - 1}}}'\n`;
  },
  /** A chain `@a1 = {{a0}}x` as long as the file: recursion overflowed the stack. */
  variableChain: (n) => {
    const lines = ['@a0 = x'];
    for (let i = 1; i < n; i++) lines.push(`@a${i} = {{a${i - 1}}}x`);
    return `${lines.join('\n')}\n\nGET /customers/{{a${n - 1}}}\n`;
  },
  /** Single-quoted JSON values on one line: each looked back to the start of the line. */
  singleQuotedValues: (n) => `POST /customers\n\n[${"'a',".repeat(n)}]\n`,
  /** Stray single quotes: each searched for a closing quote and a line break to the end. */
  loneQuotes: (n) => `POST /customers\n\n{${"'a' ".repeat(n)}}\n`,
  /** Many bodies with an unclosed `{{`: each searched the rest of the file for `}}`. */
  unclosedBodyVariables: (n) => '###\nPOST /customers\n\n{"name": {{x}\n'.repeat(n),
  /** A deep dotted `$expand` and `$select`: every prefix of the path was built and hashed. */
  deepExpand: (n) => {
    const p = Array.from({ length: n }, () => 'lines').join('.');
    return `GET /sop_orders?$expand=${p}&$select=${p}\n`;
  },
  /** CR-only line endings: one giant line, so every request was lost. */
  crOnly: (n) => Array.from({ length: n }, (_, i) => `### r${i}\r# @name r${i}\rGET /customers?$top={{top}}\r`).join(''),
  /** A request continued over many query lines, each with a reference: resolution filtered every reference per line. */
  manyQueryLines: (n) => `@top = 1\nGET /customers\n${'    &$top={{top}}\n'.repeat(n)}`,
};

/** Every feature that reads a request file, over one file: what `check`, the outline, hover, completion and `send` do with it. */
export async function exerciseFile(text: string, offsets: readonly number[], ctx: LanguageContext): Promise<void> {
  const fa = new FileAnalysis(text, 1);
  for (const d of computeDiagnostics(fa, ctx)) {
    assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length, `diagnostic out of the text: ${JSON.stringify(d)}`);
  }
  documentSymbols(fa);
  foldingRanges(fa);
  codeLensSpans(fa);
  for (const at of offsets) {
    for (const c of complete(fa, at, ctx)) {
      assert.ok(c.replace.start <= c.replace.end && c.replace.end <= text.length, `completion out of the text: ${JSON.stringify(c)}`);
    }
    hover(fa, at, ctx);
  }
  for (const request of fa.file.requests) {
    try {
      await resolveRequest(fa.file, request, { baseUrl: 'https://sage.test/api', site: 's', company: 1, environments: ctx.environments, host: HOST, now: () => NOW, uuid: () => UUID });
    } catch (e) {
      // Refusing a request is fine when it says why; anything else is a bug.
      if (!(e instanceof VariableError || e instanceof ResolveError)) throw e;
    }
  }
}

const NOW = new Date('2026-01-02T03:04:05Z');
const UUID = '00000000-0000-4000-8000-000000000000';
const HOST: VariableHost = {
  prompt: async (name) => `prompted ${name}`,
  dotenv: (name) => `env ${name}`,
  exchange: () => ({ response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id": 1, "items": [{"id": 2}]}' } }),
};

/** Offsets of interest in a file: every `{{` and path, plus the given random ones, at most `max`. */
export function offsetsOf(text: string, max: number): number[] {
  const out: number[] = [];
  for (let i = text.indexOf('{{'); i !== -1 && out.length < max / 2; i = text.indexOf('{{', i + 2)) out.push(i + 2);
  const path = text.indexOf(' /');
  if (path !== -1) out.push(path + 2);
  out.push(text.length, Math.floor(text.length / 2));
  return out;
}
