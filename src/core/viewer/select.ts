/**
 * Rewrites the `$select` of a request in a `.sage200` file, for the table's column chooser.
 * Works on the request's lines: the request line (`GET /path?...`) and its indented continuation
 * lines (`    &$select=...`). Returns the new text of those lines, or undefined when no request line
 * is found. Only `$select` changes; the rest of what the user typed stays as it was.
 */
const METHOD_LINE = /^\s*(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)\s+\S/i;

export interface LineEdit {
  /** Zero-based line index within the given lines. */
  readonly line: number;
  readonly newText: string;
}

export function rewriteSelect(lines: readonly string[], fields: readonly string[]): LineEdit[] | undefined {
  const first = lines.findIndex((l) => METHOD_LINE.test(l));
  if (first < 0) return undefined;
  let last = first;
  while (last + 1 < lines.length && /^\s+[?&]/.test(lines[last + 1])) last++;
  const value = fields.join(',');
  const selectRe = /([?&]\s*)\$select=[^&\s]*/i;
  for (let i = first; i <= last; i++) {
    if (selectRe.test(lines[i])) {
      if (fields.length === 0) {
        // Removing the option: drop it with its separator.
        const without = lines[i].replace(/&\s*\$select=[^&\s]*/i, '').replace(/\?\s*\$select=[^&\s]*&?/i, (m) => (m.endsWith('&') ? '?' : ''));
        return [{ line: i, newText: without }];
      }
      return [{ line: i, newText: lines[i].replace(selectRe, (_m, sep: string) => `${sep}$select=${value}`) }];
    }
  }
  if (fields.length === 0) return [];
  // No $select yet: add it to the last line of the URL.
  const target = lines[last];
  const hasQuery = lines.slice(first, last + 1).some((l) => l.includes('?'));
  if (last > first) {
    const indent = /^\s*/.exec(target)?.[0] ?? '    ';
    return [{ line: last, newText: `${target}\n${indent}&$select=${value}` }];
  }
  const m = /^(\s*\S+\s+)(\S+)(.*)$/.exec(target);
  if (!m) return undefined;
  return [{ line: last, newText: `${m[1]}${m[2]}${hasQuery ? '&' : '?'}$select=${value}${m[3]}` }];
}

/** The line of the request that produced a response, when Send did not say (method + path match). */
export function findRequestLine(lines: readonly string[], method: string, url: string): number | undefined {
  let wanted: string;
  try {
    wanted = new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    wanted = url.split('?')[0];
  }
  const re = new RegExp(`^\\s*${method.toUpperCase().replace(/[^A-Z]/g, '')}\\s+(\\S+)`, 'i');
  for (let i = 0; i < lines.length; i++) {
    const m = re.exec(lines[i]);
    if (!m) continue;
    // A leading {{baseUrl}}-style variable stands for the host part.
    const p = m[1].split('?')[0].replace(/^\{\{[^}]*\}\}/, '').replace(/\/+$/, '');
    let path = p;
    try {
      path = new URL(p).pathname.replace(/\/+$/, '');
    } catch {
      // relative path
    }
    if (path && wanted.endsWith(path)) return i;
  }
  return undefined;
}
