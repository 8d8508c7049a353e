/**
 * `sage200 test <files or globs…>`: runs request files as tests (src/core/testing) against a base
 * URL, or against the embedded sandbox with `--sandbox`, and reports as text, JUnit XML or GitHub
 * annotations. Exit codes: 0 all passed, 1 a failure, 2 bad usage or input, 3 no answer.
 */
import * as fs from 'fs';
import * as path from 'path';
import { signIn } from '../core/auth';
import { Edition, loadCatalog } from '../core/catalog';
import { isWrite } from '../core/connections/production';
import { DEFAULT_SCOPES, SiteCompany } from '../core/connections/types';
import { readDotenv } from '../core/dotenv';
import { AgentPair, isAbsoluteUrl, Sage200Client, SecretRegistry } from '../core/http';
import { computeDiagnostics, FileAnalysis, LanguageContext } from '../core/language';
import { RequestBlock } from '../core/requestFile';
import { SANDBOX_PUBLIC_CLIENT_ID, SAGE_AUDIENCE, startSandbox, RunningSandbox } from '../core/sandbox';
import { FileReport, githubAnnotations, junitReport, runFile, summarize, textReport } from '../core/testing';
import { choiceFlag, FlagSpec, Out, Parsed, parseFlags, stringFlag, UsageError } from './args';
import { ENV_FLAGS, ENV_HELP, ENV_USAGE, environmentLoader, FileEnvironments } from './environments';
import { NETWORK_FLAGS, NETWORK_HELP, NETWORK_USAGE, networkAgents, networkFlagsGiven, Target, TARGET_FLAGS, targetFromFlags, timeoutFlagMs } from './network';

export const TEST_HELP = `Usage:
  sage200 test <files or globs…> (--sandbox | --base-url <url> [--token-env VAR] [--site ID --company ID])
               [--reporter junit --output FILE] [--format text|github] [--bail] [--parallel N]
               [--allow-writes] [--edition standard|professional] ${ENV_USAGE}
               ${NETWORK_USAGE}

Runs every request of each file in order and checks its ?? assertions. Requests that others
reference run first; # @teardown requests run last, even after a failure.
  --sandbox       start the built-in sandbox on 127.0.0.1, sign in, use its first site and company
  --reporter junit --output FILE   also write JUnit XML (one test case per request with assertions)
  --format github print GitHub annotations instead of text
  --bail          stop at the first failure (teardown requests still run)
  --parallel N    run N files at once; a file's own requests always run in order
  --allow-writes  allow POST, PUT, PATCH and DELETE to a --base-url that is not loopback
${ENV_HELP.replace(/^/gm, '  ')}
${NETWORK_HELP.replace(/^/gm, '  ')}

Exit codes: 0 all passed, 1 a test failed, 2 bad usage or input, 3 no answer.
`;

const TEST_FLAGS: FlagSpec = {
  sandbox: { type: 'boolean' },
  ...TARGET_FLAGS,
  reporter: { type: 'string' },
  output: { type: 'string' },
  format: { type: 'string' },
  parallel: { type: 'string' },
  edition: { type: 'string' },
  bail: { type: 'boolean' },
  'allow-writes': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...ENV_FLAGS,
  ...NETWORK_FLAGS,
};

export interface TestDeps {
  readonly agents?: AgentPair;
  /** The working directory globs are read from (default: the process's). */
  readonly cwd?: string;
}

/** Expands `*`, `?` and `**` (any depth) in a path, as a shell would; a plain path is kept as it is. */
export function expandGlob(pattern: string, cwd: string): string[] {
  if (!/[*?]/.test(pattern)) return [pattern];
  const parts = pattern.split(/[\\/]+/);
  const absolute = path.isAbsolute(pattern);
  const toRe = (seg: string): RegExp => new RegExp(`^${seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  let found: string[] = [absolute ? (parts.shift(), path.sep) : ''];
  for (const [k, seg] of parts.entries()) {
    const last = k === parts.length - 1;
    const next: string[] = [];
    for (const dir of found) {
      const at = path.resolve(cwd, dir || '.');
      if (seg === '**') {
        // Zero or more directories: this one and every one below it (dot-directories and node_modules left out).
        const walk = (rel: string, abs: string): void => {
          next.push(rel);
          for (const e of safeReaddir(abs)) if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') walk(path.join(rel, e.name), path.join(abs, e.name));
        };
        walk(dir, at);
      } else if (!/[*?]/.test(seg)) {
        next.push(path.join(dir, seg));
      } else {
        const re = toRe(seg);
        for (const e of safeReaddir(at)) if (re.test(e.name) && !e.name.startsWith('.') && (last ? e.isFile() : e.isDirectory())) next.push(path.join(dir, e.name));
      }
    }
    found = next;
  }
  return found.filter((f) => fs.existsSync(path.resolve(cwd, f)) && fs.statSync(path.resolve(cwd, f)).isFile()).sort();
}

function safeReaddir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function isLoopbackUrl(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

function positiveInt(args: Parsed, name: string, fallback: number): number {
  const v = stringFlag(args, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--${name} must be a whole number of 1 or more, not "${v}".`);
  return Number(v);
}

interface TestTarget extends Target {
  readonly sandbox?: RunningSandbox;
}

/** Starts the sandbox on a free loopback port and signs in through its Sage ID, as a person would. */
async function sandboxTarget(secrets: SecretRegistry): Promise<TestTarget> {
  const sandbox = await startSandbox({ port: 0, autoApprove: true });
  try {
    const tokens = await signIn({
      config: { authority: sandbox.url, clientId: SANDBOX_PUBLIC_CLIENT_ID, audience: SAGE_AUDIENCE, scopes: DEFAULT_SCOPES, usePkce: true },
      secrets,
      // The consent is approved at once: following the redirects ends at the loopback callback.
      openBrowser: async (url) => {
        await fetch(url);
      },
    });
    secrets.add(tokens.access_token);
    const res = await fetch(`${sandbox.standardBaseUrl}/sites`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    const sites = (await res.json()) as SiteCompany[];
    if (!sites.length) throw new Error('The sandbox has no site.');
    return { baseUrl: sandbox.standardBaseUrl, token: tokens.access_token, site: sites[0].site_id, company: String(sites[0].company_id), sandbox };
  } catch (e) {
    await sandbox.close();
    throw e;
  }
}

interface LoadedFile {
  readonly name: string;
  readonly fa?: FileAnalysis;
  readonly problem?: string;
}

function load(name: string, cwd: string): LoadedFile {
  try {
    return { name, fa: new FileAnalysis(fs.readFileSync(path.resolve(cwd, name), 'utf8')) };
  } catch (e) {
    return { name, problem: `Cannot read ${name}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}` };
  }
}

/** Bad usage throws UsageError (exit 2, reported by the caller); the other outcomes are exit codes. */
export async function testCommand(argv: readonly string[], out: Out, deps: TestDeps = {}): Promise<number> {
  const args = parseFlags('test', argv, TEST_FLAGS);
  if (args.values.help === true) {
    out.stdout(TEST_HELP);
    return 0;
  }
  const patterns = args.positional;
  if (!patterns.length) throw new UsageError('test needs at least one file or glob.');
  const useSandbox = args.values.sandbox === true;
  if (useSandbox && args.values['base-url'] !== undefined) throw new UsageError('Give --sandbox or --base-url, not both.');
  // The sandbox is plain HTTP on this machine's loopback, which no proxy in between could reach.
  if (useSandbox && networkFlagsGiven(args)) throw new UsageError('--proxy, --ca and --insecure go with --base-url: the sandbox runs on this machine.');
  const junit = args.values.reporter !== undefined && choiceFlag(args, 'reporter', ['junit'] as const, 'junit') === 'junit';
  if (args.values.output !== undefined && !junit) throw new UsageError('--output goes with --reporter junit.');
  const format = choiceFlag(args, 'format', ['text', 'github'] as const, 'text');
  const edition: Edition | undefined = args.values.edition === undefined ? undefined : choiceFlag(args, 'edition', ['standard', 'professional'] as const, 'professional');
  const timeoutMs = timeoutFlagMs(args);
  const parallel = positiveInt(args, 'parallel', 1);

  const cwd = deps.cwd ?? process.cwd();
  const names = [...new Set(patterns.flatMap((p) => expandGlob(p, cwd)))];
  if (!names.length) throw new UsageError(`No file matches ${patterns.join(' ')}.`);
  const files = names.map((n) => load(n, cwd));
  const unreadable = files.filter((f) => f.problem);
  if (unreadable.length) {
    for (const f of unreadable) out.stderr(`sage200: ${f.problem}\n`);
    return 2;
  }

  const secrets = new SecretRegistry();
  const environmentsOf = environmentLoader(args, cwd, secrets);
  // Every file's environments before anything starts: a wrong --env or a broken file is bad input.
  const envs = new Map<string, FileEnvironments>(files.map((f) => [f.name, environmentsOf(f.name)]));
  let target: TestTarget;
  let agents = deps.agents;
  if (!useSandbox) {
    target = targetFromFlags(args, secrets, 'test needs --base-url <url> or --sandbox.');
    // A write goes to the base URL unless its line names a host of its own: a file run against a
    // local server may still write to a live one.
    const writeTarget = (url: string): string => (isAbsoluteUrl(url) ? url : target.baseUrl);
    const writes = files.flatMap((f) => f.fa!.file.requests
      .filter((r) => r.requestLine && isWrite(r.requestLine.method) && !isLoopbackUrl(writeTarget(r.requestLine.url)))
      .map((r) => ({ line: `${f.name}: ${r.requestLine!.method} ${r.requestLine!.path}`, origin: originOf(writeTarget(r.requestLine!.url)) })));
    if (writes.length && args.values['allow-writes'] !== true) {
      const origins = [...new Set(writes.map((w) => w.origin))].join(', ');
      const lines = writes.map((w) => w.line);
      throw new UsageError(`Not run: ${writes.length} request${writes.length > 1 ? 's' : ''} would write to ${origins}:\n  ${lines.slice(0, 10).join('\n  ')}${lines.length > 10 ? '\n  …' : ''}\nGive --allow-writes to run them.`);
    }
    agents ??= networkAgents(args, new URL(target.baseUrl), secrets, out);
  } else {
    try {
      target = await sandboxTarget(secrets);
    } catch (e) {
      out.stderr(`sage200: The sandbox did not start: ${secrets.scrub((e as Error).message)}\n`);
      return 3;
    }
  }

  const token = target.token;
  const client = new Sage200Client({
    baseUrl: target.baseUrl,
    ...(token ? { tokens: { getAccessToken: async () => token, refreshAfterUnauthorized: async () => undefined } } : {}),
    secrets,
    timeoutMs,
    ...(agents ? { agents } : {}),
    userAgent: 'sage200-cli',
  });
  // The catalog is read only when the checker runs (see flagged below).
  const ctx = (fileEnvs: FileEnvironments): LanguageContext => ({ catalog: loadCatalog(), ...(edition ? { edition } : {}), ...fileEnvs });
  const bail = args.values.bail === true;
  let failedYet = false;
  const selection = target.site !== undefined ? { site: target.site, company: target.company! } : {};

  const runOne = async (f: LoadedFile): Promise<FileReport> => {
    const fa = f.fa!;
    const fileEnvs = envs.get(f.name)!;
    const started = performance.now();
    const dir = path.dirname(path.resolve(cwd, f.name));
    let dotenv: Map<string, string> | undefined;
    let errorsByRequest: Map<number, string> | undefined;
    // The checker runs only when a request without assertions asks (a file of tests never pays for it).
    const flagged = (r: RequestBlock): string | undefined => {
      if (!errorsByRequest) {
        errorsByRequest = new Map();
        const requests = fa.file.requests;
        for (const d of computeDiagnostics(fa, ctx(fileEnvs))) {
          if (d.severity !== 'error') continue;
          const owner = requests.find((q) => q.span.start <= d.span.start && d.span.start <= q.span.end);
          if (owner && !errorsByRequest.has(owner.index)) errorsByRequest.set(owner.index, d.message);
        }
      }
      return errorsByRequest.get(r.index);
    };
    const { results } = await runFile({
      file: fa.file,
      context: {
        ...selection,
        ...fileEnvs,
        host: {
          dotenv: (name) => {
            dotenv ??= readDotenv(path.join(dir, '.env'));
            const value = dotenv.get(name);
            secrets.add(value);
            return value;
          },
        },
      },
      baseUrl: target.baseUrl,
      send: (req) => client.send(req, { ...selection, timeoutMs, onWarning: (m) => out.stderr(`warning: ${secrets.scrub(m)}\n`) }),
      flagged,
      shouldStop: () => bail && failedYet,
      onResult: (r) => {
        if (r.status === 'failed' || r.status === 'error') failedYet = true;
      },
      scrub: (s) => secrets.scrub(s),
    });
    return { file: f.name, lines: fa.file.lines, results, durationMs: performance.now() - started };
  };

  const reports: FileReport[] = new Array(files.length);
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        const k = next++;
        reports[k] = await runOne(files[k]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, files.length) }, worker));
  } finally {
    client.dispose();
    if (agents !== deps.agents) agents?.destroy();
    await target.sandbox?.close();
  }

  out.stdout(format === 'github' ? githubAnnotations(reports) : textReport(reports));
  if (junit) {
    const xml = junitReport(reports);
    const output = stringFlag(args, 'output');
    if (output !== undefined) {
      try {
        fs.mkdirSync(path.dirname(path.resolve(cwd, output)), { recursive: true });
        fs.writeFileSync(path.resolve(cwd, output), xml);
      } catch (e) {
        out.stderr(`sage200: Cannot write ${output}: ${(e as Error).message}\n`);
        return 2;
      }
    } else {
      out.stdout(xml);
    }
  }
  const s = summarize(reports);
  return s.errors > 0 ? 3 : s.failed > 0 ? 1 : 0;
}
