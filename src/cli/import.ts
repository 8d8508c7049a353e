/**
 * `sage200 import <file> [--out DIR]` and `sage200 export postman <file.sage200> [--out FILE]`:
 * the same conversions as the editor's commands, for scripts and for people without VS Code.
 */
import * as fs from 'fs';
import * as path from 'path';
import { privateEnvIgnored, ignorePrivateEnv, PRIVATE_ENV_IGNORE } from '../core/envFiles';
import { exportPostman, importFile, ImportError, writeImport } from '../core/import';
import type { Out } from './args';

export const IMPORT_HELP = `  sage200 import <file> [--out DIR] [--sections] [--site SITE_ID --company COMPANY_ID] [--gitignore]
  sage200 export postman <file.sage200> [--out FILE] [--base-url URL]`;

const VALUE_FLAGS = new Set(['out', 'site', 'company', 'base-url']);

function parse(argv: string[]): { positional: string[]; flags: Map<string, string | true> } {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--([\w-]+)(?:=(.*))?$/s.exec(a);
    if (!m) {
      positional.push(a);
      continue;
    }
    if (m[2] !== undefined) flags.set(m[1], m[2]);
    else if (VALUE_FLAGS.has(m[1])) {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ImportError(`--${m[1]} needs a value.`);
      flags.set(m[1], v);
    } else flags.set(m[1], true);
  }
  return { positional, flags };
}

function value(flags: Map<string, string | true>, name: string): string | undefined {
  const v = flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** Runs `import …` or `export …` (argv starts with the command). Exit codes as the rest of the CLI: 0 ok, 2 bad usage or input. */
export async function runImportCommand(argv: string[], out: Out): Promise<number> {
  try {
    const { positional, flags } = parse(argv.slice(1));
    return argv[0] === 'import' ? importCommand(positional, flags, out) : exportCommand(positional, flags, out);
  } catch (e) {
    out.stderr(`sage200: ${(e as Error).message}\n`);
    return 2;
  }
}

function importCommand(positional: string[], flags: Map<string, string | true>, out: Out): number {
  const [file, ...rest] = positional;
  if (!file || rest.length) throw new ImportError('import needs exactly one file.');
  const site = value(flags, 'site');
  const company = value(flags, 'company');
  const result = importFile(file, { layout: flags.get('sections') === true ? 'sections' : 'files', ...(site ? { site } : {}), ...(company ? { company } : {}) });
  const dir = path.resolve(value(flags, 'out') ?? '.');
  const written = writeImport(result, dir);
  for (const f of [...written.requestFiles, written.envFile, written.privateEnvFile]) if (f) out.stdout(`${path.relative(process.cwd(), f) || f}\n`);
  out.stderr(result.summary.format() + '\n');
  if (result.connection) {
    out.stderr(`Suggested connection (add it to the sage200.connections setting; set the client secret, if any, with "Sage 200: Set Client Secret"):\n${JSON.stringify(result.connection, null, 2)}\n`);
  }
  if (written.privateEnvFile && !privateEnvIgnored(dir)) {
    if (flags.get('gitignore') === true) {
      ignorePrivateEnv(dir);
      out.stderr(`Added ${PRIVATE_ENV_IGNORE} to ${path.join(dir, '.gitignore')}.\n`);
    } else {
      out.stderr(`warning: ${path.basename(written.privateEnvFile)} holds secrets: add ${PRIVATE_ENV_IGNORE} to .gitignore (or run again with --gitignore).\n`);
    }
  }
  return 0;
}

function exportCommand(positional: string[], flags: Map<string, string | true>, out: Out): number {
  const [format, file, ...rest] = positional;
  if (format !== 'postman') throw new ImportError(`export knows one format, postman: sage200 export postman <file.sage200>.`);
  if (!file || rest.length) throw new ImportError('export postman needs exactly one .sage200 file.');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ImportError(`Cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  }
  const name = path.basename(file).replace(/\.sage200$/i, '');
  const baseUrl = value(flags, 'base-url');
  const { collection, summary } = exportPostman(text, { name, ...(baseUrl ? { baseUrl } : {}) });
  const json = JSON.stringify(collection, null, 2) + '\n';
  const target = value(flags, 'out') ?? path.join(path.dirname(file), `${name}.postman_collection.json`);
  if (target === '-') {
    out.stdout(json);
  } else {
    // Written beside the target and renamed, so that a failure never leaves half a collection.
    const tmp = `${target}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, json);
      fs.renameSync(tmp, target);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    out.stdout(`${target}\n`);
  }
  out.stderr(summary.format() + '\n');
  return 0;
}
