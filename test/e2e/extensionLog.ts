import * as fs from 'fs';
import * as path from 'path';

/** The extension's log line when the catalog is read (src/extension.ts): once per session, on first use. */
export const CATALOG_LOADED = /Sage 200 catalog loaded in \d+ ms/;
export const ACTIVATED = /Sage 200 API Explorer activated in \d+ ms/;

/**
 * The "Sage 200" log output channel as code-server writes it:
 * `<user data>/logs/<session>/exthost<N>/<extension id>/Sage 200.log`. The newest one, when the
 * extension host was restarted.
 */
export function extensionLog(userDataDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name === 'Sage 200.log') found.push(full);
    }
  };
  walk(path.join(userDataDir, 'logs'));
  const newest = found.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  return newest ? fs.readFileSync(newest, 'utf8').split('\n') : [];
}
