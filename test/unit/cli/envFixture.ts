/**
 * A folder of request files with http-client.env.json environments, for the --env tests of
 * check, send (cli.test.ts) and test (test.test.ts).
 */
import * as fs from 'fs';
import * as path from 'path';

/** The private file's value: it must never show in any output. */
export const PRIVATE_VALUE = 'sk-live-9f8e7d6c5b4a';

export const TOP_CUSTOMERS = [
  '### Top customers',
  '# @name top',
  'GET /customers?$orderby=id asc&$top={{customerTop}}',
  'X-Api-Key: {{apiKey}}',
  '',
  '?? status == 200',
  '?? count == 3',
  '',
].join('\n');

/**
 * `dir/http-client.env.json` (dev: customerTop 7; prod), and in `dir/api` a nearer dev (customerTop
 * 3), a private file with the secret, `customers.sage200` (passes with --env dev) and `leak.sage200`
 * (puts the secret in a failing assertion and in a URL that is not valid).
 */
export function writeEnvFixture(dir: string): void {
  fs.mkdirSync(path.join(dir, 'api'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'http-client.env.json'), JSON.stringify({ $shared: { unused: 'x' }, dev: { customerTop: '7' }, prod: { customerTop: '50' } }));
  fs.writeFileSync(path.join(dir, 'api', 'http-client.env.json'), JSON.stringify({ dev: { customerTop: '3' } }));
  fs.writeFileSync(path.join(dir, 'api', 'http-client.private.env.json'), JSON.stringify({ dev: { apiKey: PRIVATE_VALUE } }));
  fs.writeFileSync(path.join(dir, 'api', 'customers.sage200'), TOP_CUSTOMERS);
  fs.writeFileSync(path.join(dir, 'api', 'leak.sage200'), [
    '### Leak',
    'GET /customers?$top=1',
    'X-Api-Key: {{apiKey}}',
    '',
    '?? body $[0].reference == {{apiKey}}',
    '',
    '### Bad URL',
    '# @name bad',
    'GET http://exa mple.invalid/{{apiKey}}',
    '',
  ].join('\n'));
  // A private file that is not JSON, with the secret where V8 would quote it in its message.
  fs.mkdirSync(path.join(dir, 'broken'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'broken', 'http-client.private.env.json'), `{ "dev": { "apiKey": ${PRIVATE_VALUE} } }`);
  fs.writeFileSync(path.join(dir, 'broken', 'customers.sage200'), TOP_CUSTOMERS);
}
