/** `sage200 check`: the editor's diagnostics for request files, in the format a CI system reads. */
import { Edition, loadCatalog } from '../core/catalog';
import { SecretRegistry } from '../core/http';
import { computeDiagnostics, FileAnalysis, LangSeverity } from '../core/language';
import { choiceFlag, displayName, FlagSpec, Out, parseFlags, readInput, UsageError } from './args';
import { ENV_FLAGS, environmentLoader, withEnvHint } from './environments';
import { VERSION } from './version';

export const CHECK_FLAGS: FlagSpec = {
  format: { type: 'string' },
  edition: { type: 'string' },
  ...ENV_FLAGS,
};

const FORMATS = ['text', 'json', 'github', 'sarif'] as const;

/** One diagnostic with 1-based positions, as every output format reports it. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: LangSeverity;
  code: string;
  message: string;
}

export function check(argv: readonly string[], out: Out): number {
  const args = parseFlags('check', argv, CHECK_FLAGS);
  const files = args.positional;
  if (!files.length) throw new UsageError('check needs at least one file (or - for standard input).');
  const format = choiceFlag(args, 'format', FORMATS, 'text');
  const edition: Edition | undefined = args.values.edition === undefined ? undefined : choiceFlag(args, 'edition', ['standard', 'professional'] as const, 'professional');
  const catalog = loadCatalog();
  // Values of private environment files never show, not even inside a message.
  const secrets = new SecretRegistry();
  const environmentsOf = environmentLoader(args, process.cwd(), secrets);
  const findings: Finding[] = [];
  for (const file of files) {
    const fa = new FileAnalysis(readInput(file));
    const envs = environmentsOf(file);
    for (const d of computeDiagnostics(fa, { catalog, edition, ...envs }).sort((a, b) => a.span.start - b.span.start)) {
      const s = fa.file.lines.positionAt(d.span.start);
      const e = fa.file.lines.positionAt(d.span.end);
      findings.push({
        file: displayName(file), line: s.line + 1, column: s.col + 1, endLine: e.line + 1, endColumn: e.col + 1,
        severity: d.severity, code: d.code, message: secrets.scrub(withEnvHint(d.message, envs)),
      });
    }
  }
  if (format === 'json') out.stdout(JSON.stringify(findings, null, 2) + '\n');
  else if (format === 'sarif') out.stdout(JSON.stringify(toSarif(findings), null, 2) + '\n');
  else if (format === 'github') for (const f of findings) out.stdout(githubAnnotation(f) + '\n');
  else {
    for (const f of findings) out.stdout(`${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.code}]\n`);
    if (!findings.length) out.stderr(`${files.length} file${files.length > 1 ? 's' : ''} checked, no problems.\n`);
  }
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/**
 * A GitHub Actions workflow command (`::error file=…::message`), which the runner shows on the
 * pull request's diff. Its escaping rules come from GitHub's toolkit: data escapes %, CR and LF;
 * properties also escape `:` and `,`.
 */
export function githubAnnotation(f: Finding): string {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const level = f.severity === 'error' || f.severity === 'warning' ? f.severity : 'notice';
  const props = [`file=${prop(f.file)}`, `line=${f.line}`, `col=${f.column}`, `endLine=${f.endLine}`, `endColumn=${f.endColumn}`, `title=${prop(`sage200 ${f.code}`)}`];
  return `::${level} ${props.join(',')}::${data(f.message)}`;
}

/** A SARIF 2.1.0 log, the format GitHub code scanning and most CI dashboards import. */
export function toSarif(findings: readonly Finding[]): object {
  const rules = [...new Set(findings.map((f) => f.code))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'sage200', version: VERSION, informationUri: 'https://github.com/sage200-explorer/sage200-explorer', rules: rules.map((id) => ({ id })) } },
      results: findings.map((f) => ({
        ruleId: f.code,
        ruleIndex: rules.indexOf(f.code),
        level: f.severity === 'error' || f.severity === 'warning' ? f.severity : 'note',
        message: { text: f.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: encodeURI(f.file.split('\\').join('/')) },
            region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          },
        }],
      })),
    }],
  };
}
