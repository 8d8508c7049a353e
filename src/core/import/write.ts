/**
 * Puts an import on disk as one step. Everything is written into a temporary folder inside the
 * target first, then moved; a failure on the way removes what was moved, so the target folder
 * never holds half an import. Request files never overwrite: a name that is taken gets " (2)".
 * Environment files are merged into existing ones: only the imported environments change, and an
 * existing file that cannot be read as environments stops the import before anything is written.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ENV_FILE, mergeIntoEnvFile, PRIVATE_ENV_FILE } from '../envFiles';
import { renderRequestFile } from './render';
import { EnvironmentFile, ImportError, ImportResult } from './types';

export interface WrittenImport {
  /** Absolute paths of the request files, in order. */
  readonly requestFiles: string[];
  readonly envFile?: string;
  readonly privateEnvFile?: string;
}

interface Planned {
  readonly target: string;
  readonly text: string;
  readonly mode?: number;
  /** The target exists and is replaced by the merged file. */
  readonly replaces: boolean;
}

/**
 * `dir/stem+suffix`, or the first of `stem (2)+suffix`, `stem (3)+suffix`… that no file holds and
 * `taken` (lower-cased paths) does not list. The one rule for files that the import and the export
 * name themselves: they never replace a file of the user's (maybe the very collection a request
 * file was imported from, with examples and scripts that a conversion does not carry).
 */
export function unusedPath(dir: string, stem: string, suffix: string, taken: ReadonlySet<string> = new Set()): string {
  let target = path.join(dir, stem + suffix);
  for (let n = 2; fs.existsSync(target) || taken.has(target.toLowerCase()); n++) target = path.join(dir, `${stem} (${n})${suffix}`);
  return target;
}

export function writeImport(result: ImportResult, outDir: string): WrittenImport {
  fs.mkdirSync(outDir, { recursive: true });
  const plan: Planned[] = [];
  const taken = new Set<string>();
  const requestFiles: string[] = [];
  for (const f of result.files) {
    const ext = path.extname(f.name);
    const stem = f.name.slice(0, f.name.length - ext.length);
    const target = unusedPath(outDir, stem, ext, taken);
    taken.add(target.toLowerCase());
    plan.push({ target, text: renderRequestFile(f), replaces: false });
    requestFiles.push(target);
  }
  const env = (data: EnvironmentFile | undefined, name: string, mode?: number): string | undefined => {
    if (!data) return undefined;
    const target = path.join(outDir, name);
    let text: string;
    try {
      text = mergeIntoEnvFile(target, data);
    } catch (e) {
      throw new ImportError(`${(e as Error).message.replace(/\.?$/, '.')} Nothing was imported: fix or move the file, then import again.`);
    }
    plan.push({ target, text, replaces: fs.existsSync(target), ...(mode ? { mode } : {}) });
    return target;
  };
  const envFile = env(result.environments, ENV_FILE);
  // Only the owner may read the secrets.
  const privateEnvFile = env(result.privateEnvironments, PRIVATE_ENV_FILE, 0o600);

  const tmp = fs.mkdtempSync(path.join(outDir, '.sage200-import-'));
  const moved: { target: string; backup?: string }[] = [];
  try {
    plan.forEach((p, i) => fs.writeFileSync(path.join(tmp, String(i)), p.text, p.mode ? { mode: p.mode } : {}));
    plan.forEach((p, i) => {
      let backup: string | undefined;
      if (p.replaces) {
        backup = path.join(tmp, `${i}.previous`);
        fs.renameSync(p.target, backup);
      }
      moved.push({ target: p.target, ...(backup ? { backup } : {}) });
      fs.renameSync(path.join(tmp, String(i)), p.target);
    });
  } catch (e) {
    for (const m of moved.reverse()) {
      fs.rmSync(m.target, { force: true });
      if (m.backup) fs.renameSync(m.backup, m.target);
    }
    throw e;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { requestFiles, ...(envFile ? { envFile } : {}), ...(privateEnvFile ? { privateEnvFile } : {}) };
}
