/**
 * Where Sage's OpenAPI files are on this machine. They are Sage's text, so the repository does not
 * carry them: `SAGE200_OPENAPI_DIR` names them, or the `shared/sage200-openapi` folder beside the
 * clone (as on CI). Undefined when neither is there; the committed catalog is then the only source.
 */
import * as fs from 'fs';
import * as path from 'path';

export const OPENAPI_ENV = 'SAGE200_OPENAPI_DIR';

export function openApiFolder(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env[OPENAPI_ENV];
  if (given) return path.resolve(given);
  const beside = path.join(__dirname, '..', '..', 'shared', 'sage200-openapi');
  return fs.existsSync(beside) ? beside : undefined;
}
