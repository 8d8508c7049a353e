/**
 * Copies the README's screenshots from the last end-to-end run (test-results/e2e/readme/, see
 * test/e2e/readmeShots.ts) into docs/screenshots/. Refuses a partial set, so that the README never
 * mixes shots of two versions without saying so.
 */
import * as fs from 'fs';
import * as path from 'path';
import { README_SHOTS } from '../test/e2e/readmeShots';

const ROOT = path.join(__dirname, '..');
const from = path.resolve(process.env.SAGE200_E2E_RESULTS ?? path.join(ROOT, 'test-results', 'e2e'), 'readme');
const to = path.join(ROOT, 'docs', 'screenshots');

const missing = README_SHOTS.filter((s) => !fs.existsSync(path.join(from, s.file)));
if (missing.length) {
  process.stderr.write(`No screenshot for ${missing.map((s) => `${s.file} (step ${s.step})`).join(', ')} in ${from}. Run the full \`npm run test:e2e\` first.\n`);
  process.exit(1);
}
fs.mkdirSync(to, { recursive: true });
for (const s of README_SHOTS) fs.copyFileSync(path.join(from, s.file), path.join(to, s.file));
process.stdout.write(`Copied ${README_SHOTS.length} screenshots to ${path.relative(ROOT, to)}/\n`);
