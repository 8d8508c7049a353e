/** A Postman environment to `http-client.env.json` (plain values) and `http-client.private.env.json` (secrets). */
import { isSecretHeader } from '../http/redact';
import { arr, Json, str } from './json';
import { ImportResult, ImportSummary } from './types';

export function isPostmanEnvironment(json: Json): boolean {
  return Array.isArray(json.values) && (json._postman_variable_scope === 'environment' || json._postman_variable_scope === 'globals' || typeof json.name === 'string') && !('item' in json);
}

export function importPostmanEnvironment(json: Json): ImportResult {
  const summary = new ImportSummary();
  const name = str(json.name)?.trim() || 'imported';
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  for (const v of arr(json.values)) {
    const o = v && typeof v === 'object' ? (v as Json) : undefined;
    const key = str(o?.key);
    if (!o || !key) continue;
    if (o.enabled === false) {
      summary.add('dropped', `variable ${key}`, 'disabled in Postman.');
      continue;
    }
    const value = str(o.value) ?? '';
    if (o.type === 'secret') {
      secret[key] = value;
      summary.add('converted', `variable ${key}`, 'a secret: written to http-client.private.env.json only.');
    } else if (isSecretHeader(key) && value) {
      // Marked "default" in Postman, but named like a credential: the private file is the safe side.
      secret[key] = value;
      summary.add('warning', `variable ${key}`, 'named like a credential, so it went to http-client.private.env.json.');
    } else {
      plain[key] = value;
      summary.add('converted', `variable ${key}`, 'written to http-client.env.json.');
    }
  }
  if (Object.keys(secret).length) {
    summary.add('warning', 'http-client.private.env.json', 'holds secrets: keep it out of version control (add *.private.env.json to .gitignore).');
  }
  return {
    kind: 'postman-environment',
    files: [],
    environments: { [name]: plain },
    ...(Object.keys(secret).length ? { privateEnvironments: { [name]: secret } } : {}),
    summary,
  };
}
