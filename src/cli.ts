/**
 * `sage200`: check request files in CI, or send one request from a file.
 * Exit codes: 0 success; 1 an error diagnostic (check) or an HTTP error status (send);
 * 2 bad usage or unreadable input; 3 no HTTP answer (network failure, variable that cannot resolve).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Edition, loadCatalog } from './core/catalog';
import { readDotenv } from './core/dotenv';
import { AgentPair, SecretRegistry, Sage200Client } from './core/http';
import { computeDiagnostics, FileAnalysis, LangDiagnostic } from './core/language';
import { NamedExchange, resolveRequest, ResolveError, VariableError } from './core/requestFile';
import { IMPORT_HELP, runImportCommand } from './cli/import';

const HELP = `Usage:
  sage200 check <files…> [--format text|json] [--edition standard|professional]
  sage200 send <file> --name <request> --base-url <url> [--token-env VAR]
               [--site SITE_ID --company COMPANY_ID] [--include]
${IMPORT_HELP}
  sage200 --help

check   Prints every diagnostic as file:line:col: severity: message and exits 1 when any is an error.
        --format json prints the same as a JSON array. --edition standard also flags Professional-only
        paths and fields.
send    Sends the request named with "# @name <request>" (or its ### title) and prints the response body.
        Requests it references ({{other.response.body…}}) are sent first. The bearer token is read from
        the environment variable given by --token-env and only sent to the --base-url origin: not to
        another port, host name or parent domain, not after a redirect away from it. Values read
        with {{$dotenv …}} are treated as secrets the same way.
        --include also prints the status line and headers.

Exit codes: 0 ok, 1 errors found / HTTP error status, 2 bad usage or input, 3 no answer.
`;

class UsageError extends Error {}

interface Args {
  positional: string[];
  flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set(['format', 'edition', 'name', 'base-url', 'token-env', 'site', 'company']);

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq === -1 ? undefined : eq);
      if (eq !== -1) flags.set(name, a.slice(eq + 1));
      else if (VALUE_FLAGS.has(name)) {
        const v = argv[++i];
        if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value.`);
        flags.set(name, v);
      } else flags.set(name, true);
    } else if (a === '-h') {
      flags.set('help', true);
    } else {
      positional.push(a);
    }
  }
  return { positional, flags };
}

function flag(args: Args, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

function edition(args: Args): Edition | undefined {
  const e = flag(args, 'edition');
  if (e === undefined) return undefined;
  if (e !== 'standard' && e !== 'professional') throw new UsageError(`--edition must be standard or professional, not "${e}".`);
  return e;
}

interface Out {
  stdout(s: string): void;
  stderr(s: string): void;
}

function check(args: Args, out: Out): number {
  const files = args.positional;
  if (!files.length) throw new UsageError('check needs at least one file.');
  const format = flag(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}".`);
  const ctx = { catalog: loadCatalog(), edition: edition(args) };
  const all: { file: string; line: number; column: number; endLine: number; endColumn: number; severity: string; code: string; message: string }[] = [];
  let errors = 0;
  for (const file of files) {
    const fa = new FileAnalysis(readFile(file));
    const diags: LangDiagnostic[] = computeDiagnostics(fa, ctx).sort((a, b) => a.span.start - b.span.start);
    for (const d of diags) {
      const s = fa.file.lines.positionAt(d.span.start);
      const e = fa.file.lines.positionAt(d.span.end);
      if (d.severity === 'error') errors++;
      all.push({ file, line: s.line + 1, column: s.col + 1, endLine: e.line + 1, endColumn: e.col + 1, severity: d.severity, code: d.code, message: d.message });
    }
  }
  if (format === 'json') out.stdout(JSON.stringify(all, null, 2) + '\n');
  else for (const d of all) out.stdout(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]\n`);
  if (format === 'text' && all.length === 0) out.stderr(`${files.length} file${files.length > 1 ? 's' : ''} checked, no problems.\n`);
  return errors > 0 ? 1 : 0;
}

/** What `send` connects through; tests give loopback several host names with a DNS stand-in. */
export interface CliDeps {
  readonly agents?: AgentPair;
}

async function send(args: Args, out: Out, deps: CliDeps): Promise<number> {
  const [file, ...rest] = args.positional;
  if (!file || rest.length) throw new UsageError('send needs exactly one file.');
  const name = flag(args, 'name');
  if (!name) throw new UsageError('send needs --name <request>.');
  const baseUrl = flag(args, 'base-url');
  if (!baseUrl) throw new UsageError('send needs --base-url <url>.');
  try {
    new URL(baseUrl);
  } catch {
    throw new UsageError(`--base-url "${baseUrl}" is not a URL.`);
  }
  const tokenEnv = flag(args, 'token-env');
  const token = tokenEnv ? process.env[tokenEnv] : undefined;
  if (tokenEnv && !token) throw new UsageError(`The environment variable ${tokenEnv} is not set.`);
  const site = flag(args, 'site');
  const company = flag(args, 'company');
  if ((site === undefined) !== (company === undefined)) throw new UsageError('Give --site and --company together.');

  const fa = new FileAnalysis(readFile(file));
  const find = (n: string) => fa.file.requests.find((r) => r.name === n) ?? fa.file.requests.find((r) => r.title === n);
  if (!find(name)) {
    const names = fa.file.requests.map((r) => r.name ?? r.title).filter(Boolean);
    throw new UsageError(`No request named "${name}" in ${file}.${names.length ? ` Requests: ${names.join(', ')}.` : ''}`);
  }
  const dotenv = readDotenv(path.join(path.dirname(file), '.env'));
  const exchanges = new Map<string, Promise<NamedExchange>>();
  const secrets = new SecretRegistry();
  secrets.add(token);
  // The extension's client: the same token guard, redirect handling and retries as in VS Code.
  const client = new Sage200Client({
    baseUrl,
    ...(token ? { tokens: { getAccessToken: async () => token, refreshAfterUnauthorized: async () => undefined } } : {}),
    secrets,
    ...(deps.agents ? { agents: deps.agents } : {}),
    userAgent: 'sage200-cli',
  });

  const sendOne = async (requestName: string, depth: number): Promise<{ exchange: NamedExchange; status: number; statusText: string }> => {
    if (depth > 10) throw new VariableError('Named requests refer to each other in a loop.', { start: 0, end: 0 });
    const request = find(requestName)!;
    const req = await resolveRequest(fa.file, request, {
      baseUrl,
      ...(site !== undefined ? { site, company: company! } : {}),
      host: {
        dotenv: (n) => {
          const value = dotenv.get(n);
          secrets.add(value);
          return value;
        },
        exchange: (n) => {
          let p = exchanges.get(n);
          if (!p) {
            if (!find(n)) return undefined;
            p = sendOne(n, depth + 1).then((r) => r.exchange);
            exchanges.set(n, p);
          }
          return p;
        },
      },
    });
    try {
      new URL(req.url);
    } catch {
      throw new ResolveError(`"${secrets.scrub(req.url)}" is not a valid URL.`, request.requestLine?.span);
    }
    const res = await client.send(req, {
      ...(site !== undefined ? { site, company: company! } : {}),
      onWarning: (m) => out.stderr(`warning: ${m}\n`),
    });
    const body = new TextDecoder().decode(res.body);
    return {
      exchange: {
        response: { status: res.status, headers: res.headers, body, ...(res.json !== undefined ? { json: res.json } : {}) },
        request: { headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}) },
      },
      status: res.status,
      statusText: res.statusText,
    };
  };

  try {
    const { exchange, status, statusText } = await sendOne(name, 0);
    const include = args.flags.get('include') === true;
    const statusLine = `HTTP ${status} ${statusText}`;
    if (include) {
      out.stdout(statusLine + '\n');
      for (const [k, v] of Object.entries(exchange.response.headers)) out.stdout(`${k}: ${v}\n`);
      out.stdout('\n');
    } else {
      out.stderr(statusLine + '\n');
    }
    const json = exchange.response.json;
    out.stdout(json !== undefined ? JSON.stringify(json, null, 2) + '\n' : exchange.response.body + (exchange.response.body.endsWith('\n') || !exchange.response.body ? '' : '\n'));
    return status >= 400 ? 1 : 0;
  } finally {
    client.dispose();
  }
}

export async function main(argv: string[], out: Out, deps: CliDeps = {}): Promise<number> {
  try {
    if (argv[0] === 'import' || argv[0] === 'export') return await runImportCommand(argv, out);
    const args = parseArgs(argv);
    const [command, ...rest] = args.positional;
    if (args.flags.get('help') === true || command === 'help') {
      out.stdout(HELP);
      return 0;
    }
    if (!command) {
      out.stderr(HELP);
      return 2;
    }
    const sub = { positional: rest, flags: args.flags };
    if (command === 'check') return check(sub, out);
    if (command === 'send') return await send(sub, out, deps);
    throw new UsageError(`Unknown command "${command}". Run sage200 --help.`);
  } catch (e) {
    if (e instanceof UsageError) {
      out.stderr(`sage200: ${e.message}\n`);
      return 2;
    }
    if (e instanceof VariableError || e instanceof ResolveError) {
      out.stderr(`sage200: ${e.message}\n`);
      return 3;
    }
    out.stderr(`sage200: ${(e as Error).message}\n`);
    return 3;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) })
    .then((code) => { process.exitCode = code; }, (e: unknown) => {
      process.stderr.write(`sage200: ${String(e)}\n`);
      process.exitCode = 3;
    });
}
