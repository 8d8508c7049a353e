/**
 * `sage200 import <file> [--out DIR]` and `sage200 export postman <file.sage200> [--out FILE]`:
 * the same conversions as the editor's commands, for scripts and for people without VS Code.
 */
import * as fs from 'fs';
import * as path from 'path';
import { privateEnvIgnored, ignorePrivateEnv, PRIVATE_ENV_IGNORE } from '../core/envFiles';
import { exportPostman, importFile, ImportError, unusedPath, writeImport } from '../core/import';
import { FlagSpec, Out, Parsed, parseFlags, stringFlag } from './args';

export const IMPORT_HELP = `  sage200 import <file> [--out DIR] [--sections] [--site SITE_ID --company COMPANY_ID] [--gitignore]
  sage200 export postman <file.sage200> [--out FILE] [--base-url URL]`;

const IMPORT_FLAGS: FlagSpec = {
  out: { type: 'string' },
  sections: { type: 'boolean' },
  site: { type: 'string' },
  company: { type: 'string' },
  gitignore: { type: 'boolean' },
};

const EXPORT_FLAGS: FlagSpec = {
  out: { type: 'string' },
  'base-url': { type: 'string' },
};

/** Runs `import …` or `export …` (argv starts with the command). Exit codes as the rest of the CLI: 0 ok, 2 bad usage or input. */
export async function runImportCommand(argv: string[], out: Out): Promise<number> {
  try {
    return argv[0] === 'import' ? importCommand(parseFlags('import', argv.slice(1), IMPORT_FLAGS), out) : exportCommand(parseFlags('export', argv.slice(1), EXPORT_FLAGS), out);
  } catch (e) {
    out.stderr(`sage200: ${(e as Error).message}\n`);
    return 2;
  }
}

function importCommand(args: Parsed, out: Out): number {
  const [file, ...rest] = args.positional;
  if (!file || rest.length) throw new ImportError('import needs exactly one file.');
  const site = stringFlag(args, 'site');
  const company = stringFlag(args, 'company');
  const result = importFile(file, { layout: args.values.sections === true ? 'sections' : 'files', ...(site ? { site } : {}), ...(company ? { company } : {}) });
  const dir = path.resolve(stringFlag(args, 'out') ?? '.');
  const written = writeImport(result, dir);
  for (const f of [...written.requestFiles, written.envFile, written.privateEnvFile]) if (f) out.stdout(`${path.relative(process.cwd(), f) || f}\n`);
  out.stderr(result.summary.format() + '\n');
  if (result.connection) {
    out.stderr(`Suggested connection (add it to the sage200.connections setting; set the client secret, if any, with "Sage 200: Set Client Secret"):\n${JSON.stringify(result.connection, null, 2)}\n`);
  }
  if (written.privateEnvFile && !privateEnvIgnored(dir)) {
    if (args.values.gitignore === true) {
      ignorePrivateEnv(dir);
      out.stderr(`Added ${PRIVATE_ENV_IGNORE} to ${path.join(dir, '.gitignore')}.\n`);
    } else {
      out.stderr(`warning: ${path.basename(written.privateEnvFile)} holds secrets: add ${PRIVATE_ENV_IGNORE} to .gitignore (or run again with --gitignore).\n`);
    }
  }
  return 0;
}

function exportCommand(args: Parsed, out: Out): number {
  const [format, file, ...rest] = args.positional;
  if (format !== 'postman') throw new ImportError(`export knows one format, postman: sage200 export postman <file.sage200>.`);
  if (!file || rest.length) throw new ImportError('export postman needs exactly one .sage200 file.');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ImportError(`Cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  }
  const name = path.basename(file).replace(/\.sage200$/i, '');
  const baseUrl = stringFlag(args, 'base-url');
  const { collection, summary } = exportPostman(text, { name, ...(baseUrl ? { baseUrl } : {}) });
  const json = JSON.stringify(collection, null, 2) + '\n';
  // A path given with --out is written as asked; the default name beside the file follows the
  // import's rule and never replaces a file, so exporting after `sage200 import` keeps the original
  // collection (and the saved examples and scripts the request file could not carry).
  const given = stringFlag(args, 'out');
  const target = given ?? unusedPath(path.dirname(file), name, '.postman_collection.json');
  if (!given && path.basename(target) !== `${name}.postman_collection.json`) {
    out.stderr(`${name}.postman_collection.json exists and is kept; writing ${path.basename(target)} (--out FILE names the file, and replaces it).\n`);
  }
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
