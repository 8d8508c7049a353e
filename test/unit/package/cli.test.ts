/**
 * The CLI as a user installs it: `npm pack` in cli/, the tarball installed into an empty folder
 * outside this repository, and `npx sage200` run from there against the sandbox. Proves that the
 * package carries everything it needs (one bundle and the catalog, no runtime dependencies).
 */
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { startSandbox } from '../../../src/core/sandbox';

const ROOT = path.join(__dirname, '..', '..', '..');
const exec = promisify(execFile);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function npx(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  try {
    const r = await exec('npx', ['--offline', '--no-install', ...args], { cwd, env: { ...process.env, ...env } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

describe('the sage200 CLI package', function () {
  this.timeout(240000);
  let dir: string;
  let tarball: string;
  let packed: string[];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-cli-pkg-'));
    // npm pack runs the package's prepack script, which builds the bundle for production.
    const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', dir], { cwd: path.join(ROOT, 'cli') });
    const [info] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(dir, info.filename);
    packed = info.files.map((f) => f.path).sort();
    const project = path.join(dir, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'uses-sage200', private: true }));
    await exec('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: project });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds the bundle, the catalog, the manifest and the README, and nothing else', () => {
    assert.deepStrictEqual(packed, ['README.md', 'dist/catalog.json', 'dist/sage200.js', 'package.json']);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'cli', 'package.json'), 'utf8')) as { version: string; dependencies?: object };
    const extension = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.strictEqual(manifest.version, extension.version, 'the CLI and the extension are released together');
    assert.strictEqual(manifest.dependencies, undefined, 'no runtime dependencies');
  });

  it('runs --version, --help, check and send from the installed package', async () => {
    const project = path.join(dir, 'project');
    const version = await npx(project, ['sage200', '--version']);
    assert.strictEqual(version.code, 0, version.stderr);
    assert.strictEqual(version.stdout.trim(), (JSON.parse(fs.readFileSync(path.join(ROOT, 'cli', 'package.json'), 'utf8')) as { version: string }).version);
    const help = await npx(project, ['sage200', '--help']);
    assert.strictEqual(help.code, 0, help.stderr);
    assert.match(help.stdout, /sage200 check/);

    const file = path.join(project, 'requests.sage200');
    fs.writeFileSync(file, '### Sites\n# @name sites\nGET /sites\n\n### Typo\nGET /custmers\n');
    const check = await npx(project, ['sage200', 'check', 'requests.sage200']);
    assert.strictEqual(check.code, 1, check.stderr);
    assert.match(check.stdout, /^requests\.sage200:6:5: error: Unknown path \/custmers/);

    const sandbox = await startSandbox({ port: 0 });
    try {
      const sent = await npx(project, ['sage200', 'send', 'requests.sage200', '--name', 'sites', '--base-url', sandbox.professionalBaseUrl, '--token-env', 'S_TOKEN'], { S_TOKEN: sandbox.mintToken().access_token });
      assert.strictEqual(sent.code, 0, sent.stderr);
      const sites = JSON.parse(sent.stdout) as { site_id: string }[];
      assert.ok(sites.length > 0 && typeof sites[0].site_id === 'string');
    } finally {
      await sandbox.close();
    }
  });
});
