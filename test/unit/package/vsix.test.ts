/**
 * The VSIX as a user would install it: packaged exactly as `npm run package` does, then read back
 * from the zip. The README's screenshots must be inside and linked absolutely (the Marketplace
 * resolves no relative link), and nothing from src/ or test/ may be.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { packageVsix } from '../../e2e/packageVsix';

const ROOT = path.join(__dirname, '..', '..', '..');

interface ZipEntry {
  name: string;
  read(): Buffer;
}

/** The entries of a zip file, from its central directory (a VSIX is a plain zip). */
function zipEntries(zip: Buffer): ZipEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'not a zip file: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.strictEqual(zip.readUInt32LE(at), 0x02014b50, 'corrupt central directory');
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    entries.push({
      name,
      read: () => {
        const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const raw = zip.subarray(data, data + size);
        return method === 0 ? raw : zlib.inflateRawSync(raw);
      },
    });
    at += 46 + skip;
  }
  return entries;
}

/** Image targets of a markdown text: `![alt](target)` and `<img src="target">`. */
function imageTargets(markdown: string): string[] {
  const targets = [...markdown.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)/g)].map((m) => m[1]);
  targets.push(...[...markdown.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]));
  return targets;
}

const isAbsolute = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

describe('the packaged VSIX', function () {
  // One production build and vsce run: about 20 s here, more on a busy machine.
  this.timeout(240_000);

  let output: string;
  let entries: ZipEntry[];
  let names: string[];
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-vsix-test-'));
    const vsix = path.join(dir, 'extension.vsix');
    output = await packageVsix(ROOT, vsix, false);
    entries = zipEntries(fs.readFileSync(vsix));
    names = entries.map((e) => e.name);
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is packaged without a warning', () => {
    assert.doesNotMatch(output, /warn/i, output);
    assert.match(output, /Packaged:/, output);
  });

  it('holds every image the README shows, and links each one absolutely', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const local = imageTargets(readme).filter((t) => !isAbsolute(t));
    assert.ok(local.length > 0, 'the README shows no screenshot from the repository');
    const missing = local.map((t) => `extension/${path.posix.normalize(decodeURI(t).replace(/^\.\//, ''))}`).filter((n) => !names.includes(n));
    assert.deepStrictEqual(missing, [], 'README images missing from the VSIX');

    const packaged = entries.find((e) => e.name === 'extension/readme.md');
    assert.ok(packaged, 'no readme.md in the VSIX');
    const relative = imageTargets(packaged.read().toString('utf8')).filter((t) => !t.startsWith('https://'));
    assert.deepStrictEqual(relative, [], 'images the Marketplace cannot show (not https)');
  });

  it('holds the icon that package.json names, at 128×128', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { icon?: string };
    assert.ok(manifest.icon, 'package.json has no icon');
    const icon = entries.find((e) => e.name === `extension/${manifest.icon}`);
    assert.ok(icon, `${manifest.icon} is not in the VSIX`);
    const png = icon.read();
    assert.strictEqual(png.toString('latin1', 1, 4), 'PNG');
    assert.deepStrictEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  });

  it('holds no source, test, source map or CLI file', () => {
    const unwanted = names.filter((n) =>
      /^extension\/(src|test|scripts|bench|dist\/test|node_modules)\//.test(n) ||
      /\.(ts|tsx|map)$/.test(n) ||
      /^extension\/(tsconfig\.json|esbuild\.js|eslint\.config\.mjs|package-lock\.json|dist\/cli\.js)$/.test(n) ||
      n.startsWith('extension/cli/'));
    assert.deepStrictEqual(unwanted, []);
    for (const needed of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/sandbox.js', 'extension/dist/catalog.json', 'extension/media/dist/webview.js', 'extension/package.nls.json', 'extension/l10n/bundle.l10n.json']) {
      assert.ok(names.includes(needed), `${needed} is missing`);
    }
  });

  it('keeps the sandbox out of the activation bundle: it is loaded from its own when started', () => {
    const read = (name: string) => entries.find((e) => e.name === name)!.read().toString('utf8');
    const extension = read('extension/dist/extension.js');
    const sandbox = read('extension/dist/sandbox.js');
    // The sandbox's control endpoint is one of its own strings; the extension only requires the bundle.
    assert.ok(sandbox.includes('__sandbox/faults'), 'dist/sandbox.js is not the sandbox');
    assert.ok(!extension.includes('__sandbox/faults'), 'the sandbox server is inside dist/extension.js');
    assert.match(extension, /require\(["']\.\/sandbox\.js["']\)/);
  });
});
