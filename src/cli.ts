/**
 * `sage200`: check request files in CI, or send one request from a file.
 * Exit codes: 0 success; 1 an error diagnostic (check) or an HTTP error status (send);
 * 2 bad usage or unreadable input; 3 no HTTP answer (network failure, time limit, variable that
 * cannot resolve).
 */
import { ResolveError, VariableError } from './core/requestFile';
import { Out, UsageError } from './cli/args';
import { check } from './cli/check';
import { ENV_HELP, ENV_USAGE } from './cli/environments';
import { NETWORK_HELP, NETWORK_USAGE } from './cli/network';
import { CliDeps, send } from './cli/send';
import { VERSION } from './cli/version';

export type { CliDeps } from './cli/send';
import { testCommand, TEST_HELP } from './cli/test';
import { IMPORT_HELP, runImportCommand } from './cli/import';

const HELP = `Usage:
  sage200 check <files…|-> [--format text|json|github|sarif] [--edition standard|professional]
               ${ENV_USAGE}
  sage200 send <file|-> --name <request> --base-url <url> [--token-env VAR]
               [--site SITE_ID --company COMPANY_ID] [--include] ${ENV_USAGE}
               ${NETWORK_USAGE}
${IMPORT_HELP}
  sage200 --help | --version

check   Prints every diagnostic as file:line:col: severity: message and exits 1 when any is an error.
        --format json prints the same as a JSON array, github as GitHub Actions annotations, sarif as
        a SARIF 2.1.0 log. --edition standard also flags Professional-only paths and fields.
send    Sends the request named with "# @name <request>" (or its ### title) and prints the response body.
        Requests it references ({{other.response.body…}}) are sent first. The bearer token is read from
        the environment variable given by --token-env and only sent to the --base-url origin: not to
        another port, host name or parent domain, not after a redirect away from it. Values read
        with {{$dotenv …}} are treated as secrets the same way.
        --include also prints the status line and headers.
${NETWORK_HELP.replace(/^/gm, '        ')}

check, send and test:
${ENV_HELP.replace(/^/gm, '        ')}
A file named - is read from standard input (its environment files from the working folder).
Exit codes: 0 ok, 1 errors found / HTTP error status, 2 bad usage or input, 3 no answer.

` + TEST_HELP;

export async function main(argv: string[], out: Out, deps: CliDeps = {}): Promise<number> {
  try {
    const [command, ...rest] = argv;
    // `test --help` prints the test command's own help.
    if (command === 'test') return await testCommand(rest, out, deps);
    if (command === '--help' || command === '-h' || command === 'help' || rest.includes('--help') || rest.includes('-h')) {
      out.stdout(HELP);
      return 0;
    }
    if (command === '--version' || command === '-v') {
      out.stdout(`${VERSION}\n`);
      return 0;
    }
    if (!command) {
      out.stderr(HELP);
      return 2;
    }
    if (command === 'import' || command === 'export') return runImportCommand(argv, out);
    if (command === 'check') return check(rest, out);
    if (command === 'send') return await send(rest, out, deps);
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
