/**
 * `http-client.env.json` and `http-client.private.env.json`: the JetBrains and httpYac convention for
 * environments, `{ "dev": { "name": "value" } }`. The private file holds secrets and stays out of
 * version control. Read beside a request file or at the workspace root, merged into the
 * environments of the `sage200.environments` setting.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MAX_JSON_DEPTH, nestedDeeperThan } from './boundedJson';
import type { Environments } from './requestFile/variables';

export const ENV_FILE = 'http-client.env.json';
export const PRIVATE_ENV_FILE = 'http-client.private.env.json';
/** The `.gitignore` line that keeps private environment files out of a repository. */
export const PRIVATE_ENV_IGNORE = '*.private.env.json';

type MutableEnvironments = Record<string, Record<string, string>>;

/** The file's JSON as written: an object, or an error that names the file. */
function parseEnvJson(text: string, file: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // V8 quotes the text around the mistake ("Unexpected token 's', ..."key": s3cret"..."), which
    // in a private file is a secret: the message keeps the token only.
    const reason = (e as Error).message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
    throw new Error(`${file} is not valid JSON: ${reason}`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${file} must be an object of environments, { "dev": { "name": "value" } }.`);
  // Values are written back out as JSON (as variable text, or when the file is merged), which cannot
  // recurse without limit; no real environment nests anywhere near this deep.
  if (nestedDeeperThan(json)) throw new Error(`${file} nests values more than ${MAX_JSON_DEPTH} deep.`);
  return json as Record<string, unknown>;
}

function isEnvironment(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Parses an environment file. Values that are not strings become their JSON text; a file that is
 * not an object of objects is an error that names it.
 */
export function parseEnvFile(text: string, file: string): MutableEnvironments {
  const out: MutableEnvironments = {};
  for (const [env, vars] of Object.entries(parseEnvJson(text, file))) {
    if (!isEnvironment(vars)) continue;
    out[env] = {};
    for (const [k, v] of Object.entries(vars)) {
      out[env][k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
  }
  return out;
}

/** Later sources win, variable by variable. */
export function mergeEnvironments(...sources: (Environments | undefined)[]): MutableEnvironments {
  const out: MutableEnvironments = {};
  for (const s of sources) {
    for (const [env, vars] of Object.entries(s ?? {})) out[env] = { ...(out[env] ?? {}), ...vars };
  }
  return out;
}

/** The text of an environment file; undefined when it does not exist. */
function readEnvText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`Could not read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
}

/** Reads one environment file; a missing file is empty. */
export function readEnvFile(file: string): MutableEnvironments {
  const text = readEnvText(file);
  return text === undefined ? {} : parseEnvFile(text, file);
}

/**
 * The text of `file` with `added` merged in, variable by variable (added values win). Only those
 * environments change: the file is the user's, so `$schema` and other entries, other environments,
 * and numbers, booleans and objects stay as written, in their order. A file that is not an object,
 * or that has something other than an environment under an added name, is an error naming it, so
 * the caller never writes over what it could not read.
 */
export function mergeIntoEnvFile(file: string, added: Environments): string {
  const text = readEnvText(file);
  const json = text === undefined ? {} : parseEnvJson(text, file);
  const out: Record<string, unknown> = { ...json };
  for (const [env, vars] of Object.entries(added)) {
    const current = Object.hasOwn(out, env) ? out[env] : undefined;
    if (current !== undefined && !isEnvironment(current)) {
      throw new Error(`${file} has ${JSON.stringify(env)} as ${Array.isArray(current) ? 'a list' : `a ${current === null ? 'null' : typeof current}`}, not an environment { "name": "value" }.`);
    }
    // Defined, not assigned: an environment named "__proto__" stays an entry of the file.
    Object.defineProperty(out, env, { value: { ...(current ?? {}), ...vars }, enumerable: true, writable: true, configurable: true });
  }
  return JSON.stringify(out, null, 2) + '\n';
}

/**
 * The environments of the files in `dirs` (workspace root first, then the request file's folder, so
 * the nearer file wins), each public file overlaid by its private one.
 */
export function readEnvFiles(dirs: readonly string[]): { environments: MutableEnvironments; files: string[]; secrets: string[] } {
  const files: string[] = [];
  const parts: MutableEnvironments[] = [];
  // The private file's values are secrets: the caller registers them for redaction (log, history, viewer).
  const secrets: string[] = [];
  for (const dir of [...new Set(dirs.map((d) => path.resolve(d)))]) {
    for (const name of [ENV_FILE, PRIVATE_ENV_FILE]) {
      const file = path.join(dir, name);
      if (!fs.existsSync(file)) continue;
      files.push(file);
      const envs = readEnvFile(file);
      parts.push(envs);
      if (name === PRIVATE_ENV_FILE) for (const vars of Object.values(envs)) for (const value of Object.values(vars)) secrets.push(value);
    }
  }
  return { environments: mergeEnvironments(...parts), files, secrets };
}

/** Whether a `.gitignore` in `dir` already ignores the private environment file. */
export function privateEnvIgnored(dir: string): boolean {
  let text = '';
  try {
    text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
  } catch {
    return false;
  }
  return text.split(/\r?\n/).some((l) => {
    const line = l.trim().replace(/^\//, '').replace(/^\*\*\//, '');
    return line === PRIVATE_ENV_IGNORE || line === PRIVATE_ENV_FILE || line === '*.env.json';
  });
}

/** Appends the private environment file pattern to `dir/.gitignore` (creating it) unless it is there. */
export function ignorePrivateEnv(dir: string): void {
  if (privateEnvIgnored(dir)) return;
  const file = path.join(dir, '.gitignore');
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    text = '';
  }
  fs.writeFileSync(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${PRIVATE_ENV_IGNORE}\n`);
}
