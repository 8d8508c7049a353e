/**
 * `npm run demo`: the whole product on the built-in sandbox, for a newcomer.
 *
 * Builds the extension, starts the sandbox on a free loopback port, and opens the extension on the
 * samples/ workspace: in VS Code desktop (`--extensionDevelopmentPath`) when `code` is on the PATH,
 * otherwise in code-server (installed into .vscode-test by scripts/installCodeServer.ts) at a printed
 * URL. A separate profile under .vscode-test/demo keeps the demo out of the user's own settings; it
 * holds a "Local sandbox" connection to the sandbox started here. Ctrl-C stops everything started
 * here, by PID.
 *
 * Options (environment): SAGE200_DEMO_PORT (code-server port), SAGE200_SANDBOX_PORT,
 * SAGE200_DEMO_CODE_SERVER=1 (use code-server even when `code` exists).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { startSandbox, type RunningSandbox } from '../src/core/sandbox';
import { ensureCodeServer } from './installCodeServer';
import { packageVsix } from '../test/e2e/packageVsix';
import { freePort, runToEnd, startProcess, stopAll, waitForHttp } from '../test/e2e/processes';

const ROOT = path.resolve(__dirname, '..');
const DEMO_DIR = path.join(ROOT, '.vscode-test', 'demo');
const SAMPLES = path.join(ROOT, 'samples');

function say(line: string): void {
  process.stdout.write(`[demo] ${line}\n`);
}

function onPath(cmd: string): string | undefined {
  const found = spawnSync(process.platform === 'win32' ? 'where' : 'which', [cmd], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.split(/\r?\n/)[0].trim() || undefined : undefined;
}

/** The demo profile's settings: no trust prompt, no welcome page, and the local sandbox connection. */
function writeSettings(userDataDir: string, sandbox: RunningSandbox): void {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let settings: Record<string, unknown> = {};
  try {
    settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    /* first run, or a file the user broke: start from defaults */
  }
  settings['security.workspace.trust.enabled'] = false;
  settings['workbench.startupEditor'] = 'none';
  settings['sage200.connections'] = [
    {
      id: 'local-sandbox',
      name: 'Local sandbox (npm run demo)',
      edition: 'custom',
      apiEdition: 'standard',
      baseUrl: sandbox.standardBaseUrl,
      authority: sandbox.url,
      clientId: 'sage200-sandbox',
    },
  ];
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(settings, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

function ensureSamples(): void {
  if (fs.existsSync(SAMPLES) && fs.readdirSync(SAMPLES).some((f) => f.endsWith('.sage200'))) return;
  // The repository ships samples/; this only guards a checkout without them.
  fs.mkdirSync(SAMPLES, { recursive: true });
  fs.writeFileSync(
    path.join(SAMPLES, 'getting-started.sage200'),
    '### Sites and companies you can use\nGET /sites\n\n### The first customers\nGET /customers?$top=10&$select=id,reference,name,balance\n',
  );
}

async function main(): Promise<void> {
  let stopping = false;
  let sandbox: RunningSandbox | undefined;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    await stopAll();
    await sandbox?.close().catch(() => undefined);
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    say('building the extension');
    await runToEnd(process.execPath, ['esbuild.js'], { cwd: ROOT });
    ensureSamples();

    sandbox = await startSandbox({ port: Number(process.env.SAGE200_SANDBOX_PORT ?? 0) });
    say(`Sage 200 sandbox listening on ${sandbox.url}`);

    const userDataDir = path.join(DEMO_DIR, 'user-data');
    const extensionsDir = path.join(DEMO_DIR, 'extensions');
    writeSettings(userDataDir, sandbox);

    const code = process.env.SAGE200_DEMO_CODE_SERVER === '1' ? undefined : onPath('code');
    if (code) {
      say(`opening VS Code (${code}) on samples/ with the extension under development`);
      const desktop = startProcess(
        'code',
        code,
        ['--new-window', '--wait', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, `--extensionDevelopmentPath=${ROOT}`, SAMPLES],
        { cwd: ROOT },
      );
      say('In the Sage 200 view, choose "Try the demo sandbox" (or sign in to "Local sandbox"). Ctrl-C here stops the sandbox.');
      await desktop.exited;
      say('VS Code window closed');
      await shutdown(0);
      return;
    }

    say('`code` is not on the PATH: using code-server in your browser');
    const codeServer = await ensureCodeServer();
    const vsix = path.join(DEMO_DIR, 'sage200-explorer-demo.vsix');
    fs.mkdirSync(DEMO_DIR, { recursive: true });
    await packageVsix(ROOT, vsix, false);
    const profile = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
    await runToEnd(process.execPath, [codeServer.entry, ...profile, '--install-extension', vsix, '--force'], { stdio: ['ignore', 'ignore', 'inherit'] });

    const port = Number(process.env.SAGE200_DEMO_PORT ?? 0) || (await freePort());
    const server = startProcess(
      'code-server',
      process.execPath,
      [codeServer.entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, ...profile, '--disable-telemetry', '--disable-update-check', SAMPLES],
      { cwd: ROOT, logFile: path.join(DEMO_DIR, 'code-server.log') },
    );
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, server);
    say('');
    say(`Open http://127.0.0.1:${port}/?folder=${encodeURIComponent(SAMPLES)} in your browser.`);
    say('In the Sage 200 view, choose "Try the demo sandbox" (or sign in to "Local sandbox"), then open a .sage200 file and click Send.');
    say('Press Ctrl-C to stop code-server and the sandbox.');
    const exit = await server.exited;
    if (stopping) return;
    say(`code-server exited (${exit}); see ${path.relative(ROOT, path.join(DEMO_DIR, 'code-server.log'))}`);
    await shutdown(1);
  } catch (e) {
    process.stderr.write(`[demo] ERROR: ${e instanceof Error ? e.message : String(e)}\n`);
    await shutdown(1);
  }
}

void main();
