import { HttpRequest } from '../http/types';

/**
 * "Copy as curl" and "Copy as code". Secrets never end up on the clipboard by accident: the bearer
 * token and any secret-looking header become placeholders (an environment variable reference)
 * unless the caller passes the real token because the user asked for it.
 */
export interface CodegenOptions {
  /** The real access token; without it the output reads it from $SAGE200_TOKEN. */
  readonly token?: string;
  /** Add an Authorization header even if the request has none (requests to the Sage API). */
  readonly withAuthorization?: boolean;
}

export const TOKEN_PLACEHOLDER_ENV = 'SAGE200_TOKEN';
const SECRET_HEADERS = /^(authorization|ocp-apim-subscription-key|cookie|proxy-authorization|x-api-key)$/i;

function headersFor(req: HttpRequest, o: CodegenOptions): { name: string; value: string; secretEnv?: string }[] {
  const out: { name: string; value: string; secretEnv?: string }[] = [];
  let hasAuth = false;
  for (const [name, value] of Object.entries(req.headers)) {
    if (/^authorization$/i.test(name)) hasAuth = true;
    if (SECRET_HEADERS.test(name) && !o.token) {
      const env = name.toLowerCase() === 'authorization' ? TOKEN_PLACEHOLDER_ENV : name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
      out.push({ name, value: name.toLowerCase() === 'authorization' ? 'Bearer ' : '', secretEnv: env });
    } else {
      out.push({ name, value });
    }
  }
  if (o.withAuthorization && !hasAuth) {
    out.unshift(o.token ? { name: 'Authorization', value: `Bearer ${o.token}` } : { name: 'Authorization', value: 'Bearer ', secretEnv: TOKEN_PLACEHOLDER_ENV });
  }
  return out;
}

/** POSIX shell single-quoting. */
function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function toCurl(req: HttpRequest, o: CodegenOptions = {}): string {
  // One option per line, so that long requests stay readable when pasted.
  const lines = [`curl${req.method !== 'GET' || req.body !== undefined ? ` -X ${req.method}` : ''} ${sq(req.url)}`];
  for (const h of headersFor(req, o)) {
    // Placeholders use double quotes so that the shell expands the variable.
    lines.push(`-H ${h.secretEnv ? `"${h.name}: ${h.value}$${h.secretEnv}"` : sq(`${h.name}: ${h.value}`)}`);
  }
  if (req.body !== undefined) lines.push(`--data-raw ${sq(req.body)}`);
  return lines.join(' \\\n  ');
}

function js(s: string): string {
  return JSON.stringify(s);
}

export function toFetch(req: HttpRequest, o: CodegenOptions = {}): string {
  const hs = headersFor(req, o).map((h) =>
    `    ${js(h.name)}: ${h.secretEnv ? `\`${h.value}\${process.env.${h.secretEnv}}\`` : js(h.value)},`);
  const lines = [
    `const response = await fetch(${js(req.url)}, {`,
    `  method: ${js(req.method)},`,
    `  headers: {`,
    ...hs,
    `  },`,
  ];
  if (req.body !== undefined) lines.push(`  body: ${js(req.body)},`);
  lines.push(
    '});',
    'if (!response.ok) throw new Error(`Sage 200 answered ${response.status}: ${await response.text()}`);',
    'const data = await response.json();',
  );
  return lines.join('\n');
}

function cs(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t') + '"';
}

export function toCSharp(req: HttpRequest, o: CodegenOptions = {}): string {
  const method = ({ GET: 'Get', POST: 'Post', PUT: 'Put', DELETE: 'Delete', PATCH: 'Patch', HEAD: 'Head', OPTIONS: 'Options' } as Record<string, string>)[req.method];
  const lines = [
    'using var client = new HttpClient();',
    `using var request = new HttpRequestMessage(${method ? `HttpMethod.${method}` : `new HttpMethod(${cs(req.method)})`}, ${cs(req.url)});`,
  ];
  let contentType = 'application/json';
  for (const h of headersFor(req, o)) {
    if (/^content-type$/i.test(h.name)) {
      contentType = h.value;
      continue;
    }
    const value = h.secretEnv ? `${cs(h.value)} + Environment.GetEnvironmentVariable(${cs(h.secretEnv)})` : cs(h.value);
    lines.push(`request.Headers.TryAddWithoutValidation(${cs(h.name)}, ${value});`);
  }
  if (req.body !== undefined) {
    const mediaType = contentType.split(';')[0].trim();
    lines.push(`request.Content = new StringContent(${cs(req.body)}, System.Text.Encoding.UTF8, ${cs(mediaType)});`);
  }
  lines.push(
    'using var response = await client.SendAsync(request);',
    'var body = await response.Content.ReadAsStringAsync();',
    'if (!response.IsSuccessStatusCode) throw new HttpRequestException($"Sage 200 answered {(int)response.StatusCode}: {body}");',
  );
  return lines.join('\n');
}
