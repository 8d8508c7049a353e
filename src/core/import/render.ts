import { ImportedRequest, ImportedRequestFile } from './types';

/** Lines of free text as `#` comments. A line that starts with `@` would read as metadata, so it is quoted. */
export function commentLines(text: string, prefix = ''): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  return lines.map((l, i) => {
    const line = (i === 0 ? prefix : '') + l;
    return `# ${line.trimStart().startsWith('@') ? `"${line.trim()}"` : line}`.trimEnd();
  });
}

/** A title fits on its `###` line. */
function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').trim();
}

function renderRequest(r: ImportedRequest): string[] {
  const out = [`### ${oneLine(r.title)}`];
  for (const [k, v] of r.metadata) out.push(`# @${k}${v ? ` ${v}` : ''}`);
  for (const line of r.comments) out.push(line);
  out.push(`${r.method} ${r.url}`);
  for (const h of r.headers) out.push(`${h.name}: ${h.value}`);
  if (r.body !== undefined && r.body !== '') {
    out.push('');
    // A `###` at the start of a body line would end the request; indenting it keeps JSON and text intact.
    for (const line of r.body.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n').map((l) => (l.startsWith('###') ? ` ${l}` : l))) out.push(line);
  }
  // After the body: a `??` line ends it.
  for (const line of r.assertions) out.push(line);
  return out;
}

/** The `.sage200` text of an imported file. */
export function renderRequestFile(f: ImportedRequestFile): string {
  const out: string[] = [...f.comments];
  if (f.variables.length) {
    if (out.length) out.push('');
    for (const [k, v] of f.variables) out.push(`@${k} = ${oneLine(v)}`);
  }
  for (const r of f.requests) {
    if (out.length) out.push('');
    for (const line of renderRequest(r)) out.push(line);
  }
  return out.join('\n') + '\n';
}
