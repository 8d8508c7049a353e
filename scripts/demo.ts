/**
 * `npm run demo`: the whole product on the built-in sandbox, for a newcomer.
 *
 * Builds the extension and opens it on the samples/ workspace with a sample file open: in VS Code
 * desktop (`--extensionDevelopmentPath`) when `code` is on the PATH, otherwise in code-server
 * (installed into .vscode-test by scripts/installCodeServer.ts, after checking ripgrep and the
 * Kerberos headers it needs) in the system's browser, at a URL that is also printed. A separate
 * profile under .vscode-test/demo keeps the demo out of the user's own settings. The sandbox is the
 * extension's own: "Try the demo sandbox" in the Sage 200 view starts it. Ctrl-C stops everything
 * started here, by PID.
 *
 * Options (environment): SAGE200_DEMO_PORT (code-server port), SAGE200_DEMO_CODE_SERVER=1 (use
 * code-server even when `code` exists), SAGE200_DEMO_NO_BROWSER=1 (only print the URL).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureCodeServer } from './installCodeServer';
import { packageVsix } from '../test/e2e/packageVsix';
import { freePort, runToEnd, startProcess, stopAll, waitForHttp } from '../test/e2e/processes';

const ROOT = path.resolve(__dirname, '..');
const DEMO_DIR = path.join(ROOT, '.vscode-test', 'demo');
const SAMPLES = path.join(ROOT, 'samples');
const FIRST_SAMPLE = 'getting-started.sage200';

function say(line: string): void {
  process.stdout.write(`[demo] ${line}\n`);
}

function onPath(cmd: string): string | undefined {
  const found = spawnSync(process.platform === 'win32' ? 'where' : 'which', [cmd], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.split(/\r?\n/)[0].trim() || undefined : undefined;
}

/**
 * The demo profile's settings: no trust prompt, no welcome page, no toast about the parent folder's
 * git repository. No connection is written: "Try the demo sandbox" starts the one sandbox, inside
 * the extension, with its one "Demo sandbox" connection.
 */
function writeSettings(userDataDir: string): void {
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
  settings['git.openRepositoryInParentFolders'] = 'never';
  // Earlier demos wrote a connection to a sandbox of their own; that sandbox is gone.
  const connections = settings['sage200.connections'];
  if (Array.isArray(connections)) {
    const rest = connections.filter((c) => (c as { id?: unknown } | null)?.id !== 'local-sandbox');
    if (rest.length) settings['sage200.connections'] = rest;
    else delete settings['sage200.connections'];
  }
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

/** code-server's URL for the samples folder with the first sample open (VS Code web's `payload`). */
function workbenchUrl(port: number): string {
  const file = `vscode-remote://127.0.0.1:${port}${path.join(SAMPLES, FIRST_SAMPLE)}`;
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(SAMPLES)}&payload=${encodeURIComponent(JSON.stringify([['openFile', file]]))}`;
}

/** Opens the URL in the desktop's browser when there is one; false when nothing could open it. */
function openInBrowser(url: string): boolean {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? undefined : onPath('xdg-open');
  if (process.platform === 'win32') return spawnSync('cmd', ['/c', 'start', '', url], { stdio: 'ignore' }).status === 0;
  if (!opener || (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)) return false;
  return spawnSync(opener, [url], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

async function main(): Promise<void> {
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    await stopAll();
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    say('building the extension');
    await runToEnd(process.execPath, ['esbuild.js'], { cwd: ROOT });
    ensureSamples();

    const userDataDir = path.join(DEMO_DIR, 'user-data');
    const extensionsDir = path.join(DEMO_DIR, 'extensions');
    writeSettings(userDataDir);

    const code = process.env.SAGE200_DEMO_CODE_SERVER === '1' ? undefined : onPath('code');
    if (code) {
      say(`opening VS Code (${code}) on samples/ with the extension under development`);
      const desktop = startProcess(
        'code',
        code,
        ['--new-window', '--wait', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, `--extensionDevelopmentPath=${ROOT}`, SAMPLES, path.join(SAMPLES, FIRST_SAMPLE)],
        { cwd: ROOT },
      );
      say('In the Sage 200 view, choose "Try the demo sandbox". Close the window or press Ctrl-C here to end the demo.');
      await desktop.exited;
      say('VS Code window closed');
      await shutdown(0);
      return;
    }

    say('`code` is not on the PATH: using code-server in your browser');
    // code-server's VS Code needs ripgrep and the Kerberos headers; the script installs them as
    // root, or names the exact apt-get command and stops.
    await runToEnd('bash', [path.join(ROOT, 'scripts', 'ensureSystemDeps.sh'), 'ripgrep', 'libkrb5-dev'], { cwd: ROOT });
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
    const url = workbenchUrl(port);
    say('');
    say(`The workbench is at ${url}`);
    if (process.env.SAGE200_DEMO_NO_BROWSER !== '1' && openInBrowser(url)) say('(opened in your browser)');
    say('In the Sage 200 view, choose "Try the demo sandbox", then click Send above a request.');
    say('Press Ctrl-C to stop code-server.');
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
