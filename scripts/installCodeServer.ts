/**
 * Installs code-server (a complete VS Code workbench plus Node extension host) into a cache folder,
 * so that the end-to-end tests and `npm run demo` can run the real VS Code on machines that cannot
 * download the desktop build. See /work/shared/docs/real-vscode.md for why each step is needed.
 *
 * code-server's own postinstall downloads ripgrep from GitHub, which is unreachable here, so the
 * package is installed with --ignore-scripts and the postinstall's work is done by hand. A marker
 * file written last makes a finished install skip everything; a half-finished one starts over.
 *
 * Usage: `npx tsx scripts/installCodeServer.ts` (prints the entry point), or import ensureCodeServer().
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const CODE_SERVER_VERSION = '4.100.3';
const ROOT = path.resolve(__dirname, '..');
export const CODE_SERVER_DIR = process.env.SAGE200_CODE_SERVER_DIR
  ? path.resolve(process.env.SAGE200_CODE_SERVER_DIR)
  : path.join(ROOT, '.vscode-test', 'code-server');
const MARKER = path.join(CODE_SERVER_DIR, '.install-complete');

export interface CodeServerInstall {
  /** `node <entry> …` runs the code-server CLI. */
  entry: string;
  version: string;
  /** The VS Code version that this code-server embeds. */
  vscodeVersion: string;
}

function describe(): CodeServerInstall {
  const pkgRoot = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server');
  const vscodePkg = JSON.parse(fs.readFileSync(path.join(pkgRoot, 'lib', 'vscode', 'package.json'), 'utf8')) as { version: string };
  return { entry: path.join(pkgRoot, 'out', 'node', 'entry.js'), version: CODE_SERVER_VERSION, vscodeVersion: vscodePkg.version };
}

function run(cmd: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    log(`$ (cd ${path.relative(ROOT, cwd) || '.'}) ${cmd} ${args.join(' ')}`);
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      // Keep only the tail: a failing native build can print megabytes.
      output = (output + chunk.toString()).slice(-20000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) {
        log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        resolve();
      } else {
        reject(new Error(`'${cmd} ${args.join(' ')}' in ${cwd} exited with ${code}:\n${output}`));
      }
    });
  });
}

function log(line: string): void {
  process.stderr.write(`[code-server] ${line}\n`);
}

function findRipgrep(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/bin'])) {
    const candidate = path.join(dir, 'rg');
    if (fs.existsSync(candidate)) return fs.realpathSync(candidate);
  }
  throw new Error('ripgrep (rg) is not installed. Run scripts/ensureSystemDeps.sh (as root) or: apt-get install -y ripgrep');
}

/**
 * code-server 4.100.3 rewrites every localhost URL that an extension opens (env.openExternal) to its
 * own `/proxy/<port>/` and drops the path and query on the way (code-server issue #7668, fixed
 * upstream only in releases that need a newer Node). The sandbox's sign-in page is such a URL, so
 * sign-in could not work. When the workbench itself is opened on a loopback address, the browser
 * runs on the same machine as code-server and can reach localhost URLs directly, so this patch skips
 * the rewrite exactly then; remote use keeps code-server's behaviour. It is idempotent, applied on
 * every run, and fails loudly if the code it expects is not there.
 */
const PROXY_REWRITE = 'resolveExternalUri:r=>{let o=r;const a=HTe(o);if(a&&o.authority!==location.host)';
const PROXY_REWRITE_PATCHED =
  'resolveExternalUri:r=>{let o=r;const a=HTe(o);if(a&&o.authority!==location.host&&!/^(localhost|127\\.0\\.0\\.1|\\[::1\\])$/.test(location.hostname))';

export function patchOpenExternal(): void {
  const file = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'vs', 'code', 'browser', 'workbench', 'workbench.js');
  const text = fs.readFileSync(file, 'utf8');
  if (text.includes(PROXY_REWRITE_PATCHED)) return;
  if (!text.includes(PROXY_REWRITE)) {
    throw new Error(`${file} does not contain the expected localhost rewrite of code-server ${CODE_SERVER_VERSION}; cannot patch openExternal`);
  }
  fs.writeFileSync(`${file}.tmp`, text.replace(PROXY_REWRITE, PROXY_REWRITE_PATCHED));
  fs.renameSync(`${file}.tmp`, file);
  log('patched openExternal: localhost URLs open directly when the workbench runs on loopback');
}

export function isCodeServerInstalled(): boolean {
  try {
    return fs.readFileSync(MARKER, 'utf8').trim() === CODE_SERVER_VERSION && fs.existsSync(describe().entry);
  } catch {
    return false;
  }
}

/** Installs code-server unless the cache already holds a complete install; returns where it is. */
export async function ensureCodeServer(): Promise<CodeServerInstall> {
  if (isCodeServerInstalled()) {
    patchOpenExternal();
    return describe();
  }
  const started = Date.now();
  const rg = findRipgrep();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

  // A folder without the marker is a failed or older install: start from nothing.
  fs.rmSync(CODE_SERVER_DIR, { recursive: true, force: true });
  fs.mkdirSync(CODE_SERVER_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(CODE_SERVER_DIR, 'package.json'),
    JSON.stringify({ name: 'sage200-code-server-cache', private: true, description: 'Cache for the e2e tests' }, null, 2),
  );
  const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
  // npm_config_yes lets node-pty's build script run `npx node-gyp` without a prompt.
  const yes = { npm_config_yes: 'true' };

  await run(npm, ['install', '--ignore-scripts', '--omit=dev', ...quiet, `code-server@${CODE_SERVER_VERSION}`], CODE_SERVER_DIR);
  await run(npm, ['rebuild', 'argon2', ...quiet], CODE_SERVER_DIR, yes);

  const vscodeDir = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'lib', 'vscode');
  await run(npm, ['install', '--omit=dev', '--ignore-scripts', ...quiet], vscodeDir);
  await run(
    npm,
    ['rebuild', '@parcel/watcher', '@vscode/spdlog', 'kerberos', 'native-watchdog', 'node-pty', '@vscode/deviceid', ...quiet],
    vscodeDir,
    yes,
  );

  // What the skipped postinstall would have done: ripgrep in place, and the asar alias VS Code expects.
  const rgTarget = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  fs.mkdirSync(path.dirname(rgTarget), { recursive: true });
  fs.copyFileSync(rg, rgTarget);
  fs.chmodSync(rgTarget, 0o755);
  const asar = path.join(vscodeDir, 'node_modules.asar');
  fs.rmSync(asar, { force: true });
  fs.symlinkSync('node_modules', asar);

  await run(npm, ['install', '--omit=dev', '--ignore-scripts', ...quiet], path.join(vscodeDir, 'extensions'));

  patchOpenExternal();
  fs.writeFileSync(MARKER + '.tmp', CODE_SERVER_VERSION + '\n');
  fs.renameSync(MARKER + '.tmp', MARKER);
  const info = describe();
  log(`installed code-server ${info.version} (VS Code ${info.vscodeVersion}) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return info;
}

if (require.main === module) {
  ensureCodeServer().then(
    (info) => {
      if (isCodeServerInstalled()) log(`ready: code-server ${info.version} (VS Code ${info.vscodeVersion})`);
      process.stdout.write(info.entry + '\n');
    },
    (err: unknown) => {
      process.stderr.write(`ERROR: could not install code-server: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
