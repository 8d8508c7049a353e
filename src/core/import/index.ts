/**
 * Importing requests from other tools: Postman collections and environments, `.http`/`.rest` files,
 * curl commands. `importText` detects the kind; `writeImport` puts the result on disk all at once.
 */
import * as fs from 'fs';
import { LineIndex, scanJson } from '../requestFile';
import { curlToRequest, looksLikeCurl } from './curl';
import { importPostmanEnvironment, isPostmanEnvironment } from './environment';
import { importHttpFile } from './httpFile';
import { Json, obj } from './json';
import { importPostmanCollection, PostmanImportOptions } from './postman';
import { ImportError, ImportResult, ImportSummary } from './types';

export * from './types';
export { renderRequestFile } from './render';
export { curlToRequest, shellWords } from './curl';
export { statusOnlyScript } from './postmanScripts';
export type { PostmanImportOptions } from './postman';
export { unusedPath, writeImport } from './write';
export type { WrittenImport } from './write';
export { exportPostman } from './postmanExport';
export type { PostmanExportOptions } from './postmanExport';

/** Larger sources are refused before they are read: a collection this big is an export of many workspaces. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export function tooLargeMessage(bytes: number): string {
  return `The file is ${(bytes / 1024 / 1024).toFixed(1)} MB; imports are limited to ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Export a smaller part (one folder) from Postman and import that.`;
}

/** Converts the text of a file (`fileName` decides between `.http` and the rest only when the text cannot). */
export function importText(text: string, fileName: string, options: PostmanImportOptions = {}): ImportResult {
  if (text.length > MAX_IMPORT_BYTES) throw new ImportError(tooLargeMessage(Buffer.byteLength(text)));
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) throw new ImportError(`${baseName(fileName)} is empty.`);
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || /\.json$/i.test(fileName)) {
    return importJson(parseJson(trimmed, fileName), fileName, options);
  }
  if (looksLikeCurl(trimmed)) {
    const summary = new ImportSummary();
    const request = curlToRequest(trimmed, options, summary);
    const name = baseName(fileName).replace(/\.[^.]*$/, '') || 'curl';
    return { kind: 'curl', files: [{ name: `${name}.sage200`, comments: ['# Imported from a curl command.'], variables: [], requests: [request] }], summary };
  }
  const result = importHttpFile(trimmed, fileName, options);
  if (!result.files[0]?.requests.length) {
    throw new ImportError(`${baseName(fileName)} is not a Postman collection or environment, a .http file or a curl command: no request was found in it.`);
  }
  return result;
}

/** Reads and converts a file; its size is checked before a byte is read. */
export function importFile(file: string, options: PostmanImportOptions = {}): ImportResult {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (e) {
    throw new ImportError(`Cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  }
  if (size > MAX_IMPORT_BYTES) throw new ImportError(tooLargeMessage(size));
  return importText(fs.readFileSync(file, 'utf8'), file, options);
}

function importJson(value: unknown, fileName: string, options: PostmanImportOptions): ImportResult {
  const json: Json | undefined = obj(value);
  if (json && (obj(json.info) || Array.isArray(json.item) || Array.isArray(json.requests))) return importPostmanCollection(json, options);
  if (json && isPostmanEnvironment(json)) return importPostmanEnvironment(json);
  throw new ImportError(`${baseName(fileName)} is JSON, but not a Postman collection (v2.0 or v2.1) or a Postman environment.`);
}

function parseJson(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // Node's message does not always say where; the request files' JSON scanner does.
    const problem = scanJson(text).problems[0];
    let where = '';
    if (problem) {
      const at = new LineIndex(text).positionAt(problem.span.start);
      where = ` (line ${at.line + 1}, column ${at.col + 1}: ${problem.message.replace(/\.$/, '')})`;
    }
    throw new ImportError(`${baseName(fileName)} is not valid JSON${where}. Nothing was imported.${where ? '' : ` ${(e as Error).message}`}`);
  }
}

function baseName(file: string): string {
  return file.replace(/^.*[\\/]/, '');
}
