/**
 * The `.env` file beside a request file, the source of `{{$dotenv NAME}}` for Send and the CLI.
 * Parsing is Node's own `util.parseEnv` (the dotenv syntax: `# comments`, inline comments after
 * an unquoted value, quotes, `export`), so the extension and the CLI read a file exactly as
 * the dotenv tools a user already knows do.
 */
import * as fs from 'fs';
import { parseEnv } from 'util';

/**
 * The largest `.env` text read, in characters. Node's parser is quadratic when a quote never closes
 * (each line is re-read from the quote): 256 KB of that takes about 0.1 s, 1 MB 2 s, and a file is
 * parsed again on every `$dotenv` use. Real `.env` files hold a few KB, certificates included, so a
 * bigger one is a mistake to report, not a file to parse; parsing it ourselves instead would give up
 * reading exactly as the dotenv tools do.
 */
export const MAX_DOTENV_LENGTH = 256 * 1024;

/** The variables of `.env` text; `source` names it in the error for text over MAX_DOTENV_LENGTH. */
export function parseDotenv(text: string, source = '.env'): Map<string, string> {
  if (text.length > MAX_DOTENV_LENGTH) {
    throw new Error(`${source} is ${Math.ceil(text.length / 1024).toLocaleString('en-GB')} KB; a .env file over ${MAX_DOTENV_LENGTH / 1024} KB is not read.`);
  }
  const map = new Map<string, string>();
  for (const [key, value] of Object.entries(parseEnv(text))) {
    // Node 20's parser reads a key from the end of the previous entry, so an indented comment or a
    // stray line without `=` becomes part of the next key ("# note\nA"): the name is its last line.
    const name = key.slice(key.lastIndexOf('\n') + 1).trim();
    if (value !== undefined && name && !name.startsWith('#')) map.set(name, value);
  }
  return map;
}

/**
 * Reads a `.env` file. A missing file has no variables; a file that exists but cannot be read is
 * an error that names it, so that a `$dotenv` value is never silently empty. Read on each use, so
 * that an edit applies at once.
 */
export function readDotenv(file: string): Map<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return new Map();
    throw new Error(`Could not read ${file}: ${code ?? (err as Error).message}.`);
  }
  return parseDotenv(text, file);
}
