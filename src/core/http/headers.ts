/**
 * Header maps as the request file, the client and the viewer hold them: plain records whose names
 * keep the user's spelling. HTTP header names are case-insensitive, so every lookup goes through here.
 */

export function headerGet(headers: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Replaces every spelling of `name` with one entry. */
export function headerSet(headers: Record<string, string>, name: string, value: string): void {
  headerDelete(headers, name);
  headers[name] = value;
}

export function headerDelete(headers: Record<string, string>, name: string): void {
  const lower = name.toLowerCase();
  for (const k of Object.keys(headers)) if (k.toLowerCase() === lower) delete headers[k];
}
