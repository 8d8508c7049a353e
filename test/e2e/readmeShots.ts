/**
 * The README's screenshots, taken by the end-to-end run. A whole 1440×900 workbench shrinks to
 * unreadable text on the Marketplace page, so each README shot is cut to the part of the window it
 * is about: the union of some elements' boxes, widened by a margin that keeps their context (the
 * line being typed above a completion list, for example). Every run writes them to
 * `test-results/e2e/readme/`; `npm run screenshots` copies them into `docs/screenshots/`.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';

interface Margin { readonly top: number; readonly right: number; readonly bottom: number; readonly left: number }

export interface ReadmeShot {
  /** The scenario step whose screenshot this is (`Workbench.screenshot`'s step name). */
  readonly step: string;
  /** The file name in docs/screenshots. */
  readonly file: string;
  /** CSS selectors; the shot covers the visible elements that match. */
  readonly around: readonly string[];
  readonly margin?: Partial<Margin>;
  /** Cut the shot at this height, keeping its top (a short file in a tall editor). */
  readonly maxHeight?: number;
  /** Elements hidden while the shot is taken (a toast left over from an earlier step). */
  readonly hide?: readonly string[];
}

export const README_SHOTS: readonly ReadmeShot[] = [
  { step: 's1-welcome', file: '1-welcome.png', around: ['.part.activitybar', '.part.sidebar'] },
  { step: 's1-consent-page', file: '2-consent-page.png', around: ['main'], margin: { top: 24, right: 24, bottom: 24, left: 24 } },
  { step: 's1-tree-sites-companies', file: '3-tree.png', around: ['.part.activitybar', '.part.sidebar'] },
  { step: 's2-select-completions', file: '4-select-completions.png', around: ['.suggest-widget', '.suggest-details-container'], margin: { top: 200, left: 240, bottom: 60 } },
  { step: 's2-skip-diagnostic', file: '5-skip-diagnostic.png', around: ['.monaco-hover'], margin: { top: 200, left: 240, bottom: 60 } },
  { step: 's3-viewer-table', file: '6-viewer-table.png', around: ['.part.editor'] },
  { step: 's4-duplicate-reference', file: '7-duplicate-reference.png', around: ['.part.editor'] },
  { step: 's5-exported', file: '8-export.png', around: ['.notification-toast'], margin: { top: 16, right: 16, bottom: 16, left: 16 } },
  { step: 's7-network-error', file: '9-network-error.png', around: ['.notification-toast'], margin: { top: 16, right: 16, bottom: 16, left: 16 } },
  { step: 's9-customer-opened', file: '10-record.png', around: ['.part.activitybar', '.part.sidebar'] },
  { step: 's10-failure-expected-actual', file: '11-tests.png', around: ['.editor-group-container.active', '.part.panel'], hide: ['.notifications-toasts'] },
  { step: 's8-imported', file: '12-import.png', around: ['.editor-group-container.active'], maxHeight: 260 },
];

const DEFAULT_MARGIN: Margin = { top: 8, right: 8, bottom: 8, left: 8 };

/** Saves the README version of a step's screenshot, if the step has one. Best effort, like every screenshot. */
export async function saveReadmeShot(page: Page, step: string, dir: string): Promise<void> {
  const shot = README_SHOTS.find((s) => s.step === step);
  if (!shot) return;
  const boxes = await page
    .evaluate((selectors) => {
      const out: { x: number; y: number; width: number; height: number }[] = [];
      for (const sel of selectors) {
        for (const el of Array.from(document.querySelectorAll(sel))) {
          const r = el.getBoundingClientRect();
          if (r.width > 0 && r.height > 0) out.push({ x: r.left, y: r.top, width: r.width, height: r.height });
        }
      }
      return out;
    }, [...shot.around])
    .catch(() => []);
  const viewport = page.viewportSize();
  if (!viewport) return;
  const m = { ...DEFAULT_MARGIN, ...shot.margin };
  const around = boxes.length === 0 ? undefined : clipAround(boxes, m, viewport);
  const clip = around && shot.maxHeight ? { ...around, height: Math.min(around.height, shot.maxHeight) } : around;
  fs.mkdirSync(dir, { recursive: true });
  const hidden = shot.hide ? await page.locator(shot.hide.join(', ')).all().catch(() => []) : [];
  for (const el of hidden) await el.evaluate((e: HTMLElement) => (e.style.visibility = 'hidden')).catch(() => undefined);
  await page.screenshot({ path: path.join(dir, shot.file), clip }).catch(() => undefined);
  for (const el of hidden) await el.evaluate((e: HTMLElement) => (e.style.visibility = '')).catch(() => undefined);
}

function clipAround(boxes: readonly { x: number; y: number; width: number; height: number }[], m: Margin, viewport: { width: number; height: number }) {
  const left = Math.max(0, Math.min(...boxes.map((b) => b.x)) - m.left);
  const top = Math.max(0, Math.min(...boxes.map((b) => b.y)) - m.top);
  const right = Math.min(viewport.width, Math.max(...boxes.map((b) => b.x + b.width)) + m.right);
  const bottom = Math.min(viewport.height, Math.max(...boxes.map((b) => b.y + b.height)) + m.bottom);
  return { x: left, y: top, width: right - left, height: bottom - top };
}
