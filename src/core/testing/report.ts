/** What `sage200 test` prints: plain text, JUnit XML and GitHub workflow annotations. */
import { LineIndex, Span } from '../requestFile/types';
import { RequestResult } from './runner';

export interface FileReport {
  /** The file as the user named it (relative paths stay relative). */
  readonly file: string;
  readonly lines: LineIndex;
  readonly results: readonly RequestResult[];
  readonly durationMs: number;
  /** A file that could not be run at all (unreadable). */
  readonly problem?: string;
}

export interface Summary {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Requests (tests or not) that got no answer or could not be resolved. */
  readonly errors: number;
  /** Requests that got no HTTP answer. */
  readonly noAnswer: number;
}

/** Tests are requests with assertions; an error in one counts as a failure. */
export function summarize(files: readonly FileReport[]): Summary {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let errors = 0;
  let noAnswer = 0;
  for (const f of files) {
    for (const r of f.results) {
      if (r.status === 'error') errors++;
      if (r.noAnswer) noAnswer++;
      if (!r.isTest) continue;
      if (r.status === 'passed') passed++;
      else if (r.status === 'skipped') skipped++;
      else failed++;
    }
  }
  return { passed, failed, skipped, errors, noAnswer };
}

const lineOf = (f: FileReport, span: Span): number => f.lines.positionAt(span.start).line + 1;
const ms = (n: number | undefined): string => (n === undefined ? '' : `${Math.round(n)} ms`);

/** One line per request, the failed assertions under it, and a last line `N passed, N failed`. */
export function textReport(files: readonly FileReport[]): string {
  const out: string[] = [];
  for (const f of files) {
    out.push(f.file);
    if (f.problem) out.push(`  ! ${f.problem}`);
    for (const r of f.results) {
      const facts = [r.httpStatus, ms(r.durationMs)].filter((x) => x !== undefined && x !== '').join(', ');
      const mark = r.status === 'passed' ? '✓' : r.status === 'failed' || r.status === 'error' ? '✗' : r.status === 'skipped' ? '-' : '·';
      out.push(`  ${mark} ${r.title}${r.teardown ? ' (teardown)' : ''}${facts ? ` (${facts})` : ''}${r.reason ? `: ${r.reason}` : ''}`);
      for (const a of r.assertions) if (!a.passed) out.push(`      line ${lineOf(f, a.line.span)}: ${a.message}`);
    }
  }
  const s = summarize(files);
  out.push('');
  if (s.skipped) out.push(`${s.skipped} skipped`);
  if (s.errors) out.push(`${s.errors} request${s.errors > 1 ? 's' : ''} not answered or not sent`);
  out.push(`${s.passed} passed, ${s.failed} failed`);
  return out.join('\n') + '\n';
}

function xml(text: string): string {
  // XML 1.0 cannot hold most control characters even escaped: they are dropped.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const seconds = (n: number | undefined): string => ((n ?? 0) / 1000).toFixed(3);

/**
 * JUnit XML as Jenkins, GitLab and the GitHub test-report actions read it: a `testsuite` per file
 * and a `testcase` per request with assertions, named by its title. Failed assertions are one
 * `failure`; no answer or unresolved variables an `error`.
 */
export function junitReport(files: readonly FileReport[], now = new Date()): string {
  const suites = files.map((f) => {
    const tests = f.results.filter((r) => r.isTest);
    return {
      f, tests,
      count: tests.length + (f.problem ? 1 : 0),
      failures: tests.filter((r) => r.status === 'failed').length,
      errors: tests.filter((r) => r.status === 'error').length + (f.problem ? 1 : 0),
      skipped: tests.filter((r) => r.status === 'skipped').length,
    };
  });
  const sum = (k: 'count' | 'failures' | 'errors' | 'skipped'): number => suites.reduce((n, s) => n + s[k], 0);
  const time = files.reduce((n, f) => n + f.durationMs, 0);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="sage200 test" tests="${sum('count')}" failures="${sum('failures')}" errors="${sum('errors')}" skipped="${sum('skipped')}" time="${seconds(time)}">`);
  for (const { f, tests, count, failures, errors, skipped } of suites) {
    out.push(`  <testsuite name="${xml(f.file)}" tests="${count}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(f.durationMs)}" timestamp="${now.toISOString().replace(/\.\d+Z$/, '')}">`);
    if (f.problem) {
      out.push(`    <testcase name="${xml(f.file)}" classname="${xml(f.file)}" time="0.000">`);
      out.push(`      <error message="${xml(f.problem)}" type="file"/>`);
      out.push('    </testcase>');
    }
    for (const r of tests) {
      const open = `    <testcase name="${xml(r.title)}" classname="${xml(f.file)}" time="${seconds(r.durationMs)}"`;
      if (r.status === 'passed') {
        out.push(`${open}/>`);
        continue;
      }
      out.push(`${open}>`);
      if (r.status === 'skipped') {
        out.push(`      <skipped message="${xml(r.reason ?? 'skipped')}"/>`);
      } else if (r.status === 'error') {
        out.push(`      <error message="${xml(r.reason ?? 'error')}" type="${r.noAnswer ? 'no-answer' : 'not-sent'}"/>`);
      } else {
        const failed = r.assertions.filter((a) => !a.passed);
        const detail = failed.map((a) => `line ${lineOf(f, a.line.span)}: ?? ${a.line.text}\n  ${a.message}`).join('\n');
        out.push(`      <failure message="${xml(failed[0]?.message ?? 'failed')}" type="assertion">${xml(detail)}</failure>`);
      }
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/** GitHub's workflow-command escaping: `%`, CR and LF everywhere; `:` and `,` also in properties. */
function ghData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function ghProperty(s: string): string {
  return ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=…,line=…::message` per failed assertion and per request that errored, then the summary. */
export function githubAnnotations(files: readonly FileReport[]): string {
  const out: string[] = [];
  for (const f of files) {
    if (f.problem) out.push(`::error file=${ghProperty(f.file)},title=${ghProperty('sage200 test')}::${ghData(f.problem)}`);
    for (const r of f.results) {
      for (const a of r.assertions) {
        if (a.passed) continue;
        out.push(`::error file=${ghProperty(f.file)},line=${lineOf(f, a.line.span)},title=${ghProperty(r.title)}::${ghData(a.message)}`);
      }
      if (r.status === 'error') out.push(`::error file=${ghProperty(f.file)},title=${ghProperty(r.title)}::${ghData(r.reason ?? 'error')}`);
    }
  }
  const s = summarize(files);
  out.push(`${s.passed} passed, ${s.failed} failed`);
  return out.join('\n') + '\n';
}
