/**
 * httpYac's parser, for `parse.vsHttpyac.ratio`. httpYac reads files through a file provider that
 * its CLI and VS Code extension install; the bench installs a minimal one on node's `fs`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { io, store } from 'httpyac';

let installed = false;
/** An empty folder for the file: httpYac looks around the file for its configuration. */
let workingDir: string | undefined;

function installFileProvider(): void {
  if (installed) return;
  installed = true;
  const provider: typeof io.fileProvider = {
    EOL: '\n',
    exists: async (f) => fs.existsSync(String(f)),
    joinPath: (a, b) => path.join(String(a), b),
    dirname: (f) => path.dirname(String(f)),
    isAbsolute: async (f) => path.isAbsolute(String(f)),
    readFile: async (f, encoding) => fs.readFileSync(String(f), encoding),
    readBuffer: async (f) => fs.readFileSync(String(f)),
    writeBuffer: async () => {
      throw new Error('The bench writes nothing');
    },
    readdir: async (d) => fs.readdirSync(String(d)),
    hasExtension: (f, ...ext) => ext.includes(path.extname(String(f)).slice(1)),
    fsPath: (f) => String(f),
    toString: (f) => String(f),
  };
  Object.assign(io.fileProvider, provider);
}

/** One cold parse of `text` as a `.http` file (a new store each time: nothing is cached). */
export async function parseWithHttpyac(text: string): Promise<number> {
  installFileProvider();
  workingDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-httpyac-'));
  const file = await new store.HttpFileStore().parse(path.join(workingDir, 'bench.http'), text, { workingDir });
  return file.httpRegions.length;
}

/** Removes the working folder (the bench calls it when done). */
export function httpyacDone(): void {
  if (workingDir) fs.rmSync(workingDir, { recursive: true, force: true });
  workingDir = undefined;
}
