/**
 * A page object for the VS Code workbench that code-server serves: what a person does (command
 * palette, quick open, typing, clicking CodeLens, reading notifications and webviews), with bounded
 * waits and a screenshot per step. Selectors are the workbench's stable class names and ARIA labels.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Frame, Locator, Page } from 'playwright-core';
import { sleep, waitFor } from './processes';
import { saveReadmeShot } from './readmeShots';

export class Workbench {
  private shot = 0;

  constructor(
    readonly page: Page,
    readonly baseUrl: string,
    readonly workspace: string,
    private readonly shotsDir: string,
  ) {}

  /** Saves `NN-<scenario>-<step>.png` in the screenshots folder, of the workbench or of another page. */
  async screenshot(step: string, page: Page = this.page): Promise<string> {
    this.shot += 1;
    const file = path.join(this.shotsDir, `${String(this.shot).padStart(2, '0')}-${step.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}.png`);
    fs.mkdirSync(this.shotsDir, { recursive: true });
    await page.screenshot({ path: file }).catch(() => undefined);
    await saveReadmeShot(page, step, path.join(this.shotsDir, 'readme'));
    return file;
  }

  async open(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/?folder=${encodeURIComponent(this.workspace)}`);
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
    // The status bar and activity bar appear once the workbench has restored its layout.
    await this.page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    await this.page.locator('.part.activitybar').waitFor({ state: 'visible', timeout: 60_000 });
  }

  /** Runs a command from the palette by its title as shown there, e.g. "Sage 200: Show Catalog Info". */
  async runCommand(title: string, timeoutMs = 20_000): Promise<void> {
    await this.closeQuickInput();
    const input = await this.openQuickInput('F1');
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
    await waitFor(
      `command "${title}" in the palette`,
      async () => ((await row.getAttribute('aria-label').catch(() => null)) ?? '').toLowerCase().includes(title.toLowerCase()) || undefined,
      timeoutMs,
    );
    await this.page.keyboard.press('Enter');
  }

  /**
   * Presses the key that opens a quick input and returns its text box. A key pressed while the
   * workbench is still moving focus (a view just revealed, a webview just closed) can be lost, so
   * it is pressed again, as a person would, when nothing opens within a few seconds.
   */
  private async openQuickInput(key: string): Promise<Locator> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press(key);
      const opened = await input.waitFor({ state: 'visible', timeout: 4_000 }).then(() => true, () => false);
      if (opened) return input;
      if (attempt === 3) throw new Error(`the quick input did not open after pressing ${key} ${attempt} times`);
    }
  }

  async closeQuickInput(): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    if (await widget.isVisible().catch(() => false)) {
      await this.page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    }
  }

  /** The quick input (quick pick / input box) when it is showing. */
  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Waits for a quick pick row whose label matches, and picks it. */
  async pickQuickItem(label: RegExp | string, timeoutMs = 20_000): Promise<void> {
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const row = rows.filter({ hasText: label }).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await row.click();
  }

  /** Waits for a notification toast whose text matches; returns its locator. */
  async notification(text: RegExp | string, timeoutMs = 20_000): Promise<Locator> {
    const toast = this.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout: timeoutMs });
    return toast;
  }

  async notificationTexts(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
  }

  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications').catch(() => undefined);
  }

  /** Clicks a button inside a notification toast. */
  async clickNotificationButton(toast: Locator, label: RegExp | string): Promise<void> {
    await toast.locator('.monaco-button, a.monaco-button').filter({ hasText: label }).first().click();
  }

  /** The activity bar entry of a view container, by its title. */
  activityBarItem(title: string): Locator {
    return this.page.locator(`.part.activitybar .action-item[aria-label^="${title}"], .part.activitybar a[aria-label^="${title}"]`).first();
  }

  /** Shows a view container in the side bar ("View: Show <title>" never toggles it closed, a click can). */
  async openViewContainer(title: string): Promise<void> {
    await this.activityBarItem(title).waitFor({ state: 'visible', timeout: 30_000 });
    await this.runCommand(`View: Show ${title}`);
    await this.page.locator('.part.sidebar').waitFor({ state: 'visible', timeout: 10_000 });
  }

  /** The side bar. */
  sidebar(): Locator {
    return this.page.locator('.part.sidebar');
  }

  /** Opens a workspace file with Quick Open. */
  async openFile(relativePath: string): Promise<void> {
    const base = path.basename(relativePath);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: base }).first();
    // Quick Open may answer from a file list made before a scenario wrote the file: asking again
    // starts a new search, as a person would retype the name.
    for (let attempt = 1; ; attempt++) {
      await this.closeQuickInput();
      const input = await this.openQuickInput('Control+P');
      await input.fill(relativePath);
      if (await row.waitFor({ state: 'visible', timeout: 8_000 }).then(() => true, () => false)) break;
      if (attempt === 3) throw new Error(`Quick Open did not list ${relativePath} in 3 tries`);
    }
    await this.page.keyboard.press('Enter');
    await this.page.locator(`.tabs-container .tab.active[aria-label^="${base}"]`).first().waitFor({ state: 'visible', timeout: 20_000 });
    this.currentFile = base;
    await this.activeEditor().locator('.view-lines').waitFor({ state: 'visible', timeout: 20_000 });
  }

  /** The editor of the file opened last (its group may not be the active one once a webview opens beside). */
  activeEditor(): Locator {
    const group = this.currentFile
      ? this.page.locator('.editor-group-container').filter({ has: this.page.locator(`.tab.active[aria-label^="${this.currentFile}"]`) })
      : this.page.locator('.editor-group-container.active');
    return group.locator('.monaco-editor[role="code"]').first();
  }

  private currentFile?: string;

  /** The text of the active editor, read through the model (the DOM only holds visible lines). */
  async editorText(): Promise<string> {
    return this.page.evaluate(() => {
      // The rendered lines are enough for the short files the scenarios use.
      const lines = Array.from(document.querySelectorAll('.editor-group-container.active .monaco-editor .view-lines .view-line')) as HTMLElement[];
      return lines
        .map((l) => ({ top: parseFloat(l.style.top || '0'), text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text)
        .join('\n');
    });
  }

  /** Puts the keyboard focus in the active editor (Ctrl+1: no click that could land on a CodeLens). */
  async focusEditor(): Promise<void> {
    await this.closeQuickInput();
    await this.page.keyboard.press('Control+1');
    const focused = async () => this.activeEditor().evaluate((e) => e.classList.contains('focused')).catch(() => false);
    if (!(await waitFor('the editor focus', async () => ((await focused()) ? true : undefined), 3_000).catch(() => false))) {
      await this.activeEditor().locator('.view-lines').click({ position: { x: 5, y: 5 }, force: true });
    }
  }

  /** Moves the cursor to the end of the document and types, as a person would. */
  async typeAtEnd(text: string, delayMs = 15): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press('Control+End');
    // Blank lines below the cursor keep room for the suggest widget and hovers, which would
    // otherwise fall outside the editor when the cursor sits on its last visible line.
    await this.page.keyboard.type('\n'.repeat(10), { delay: delayMs });
    for (let i = 0; i < 10; i++) await this.page.keyboard.press('ArrowUp');
    await this.page.keyboard.type(text, { delay: delayMs });
  }

  /** Go to line/column with the workbench's "Go to Line" (Ctrl+G), which accepts `line:col`. */
  async goTo(line: number, column = 1): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  }

  /** Opens the suggest widget (Ctrl+Space) and returns the visible suggestion labels. */
  async suggestions(timeoutMs = 15_000): Promise<string[]> {
    const widget = this.page.locator('.editor-widget.suggest-widget');
    // A suggest widget opened while the language server is still busy can stay empty (no size) until
    // asked again: close it and ask once more, as a person presses Ctrl+Space again.
    const deadline = Date.now() + timeoutMs;
    while (!(await widget.isVisible().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`no suggestions within ${timeoutMs} ms`);
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('Control+Space');
      await widget.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
    }
    const rows = widget.locator('.monaco-list-row');
    await waitFor('suggestions', async () => ((await rows.count()) > 0 ? true : undefined), timeoutMs);
    // Suggestions load asynchronously ("Loading..."); give the provider a moment to settle.
    await sleep(300);
    return (await rows.locator('.label-name').allInnerTexts()).map((s) => s.trim());
  }

  async closeSuggestions(): Promise<void> {
    const widget = this.page.locator('.editor-widget.suggest-widget');
    if (await widget.isVisible().catch(() => false)) await this.page.keyboard.press('Escape');
  }

  /** The squiggles currently shown in the active editor, by severity class. */
  squiggles(kind: 'error' | 'warning' | 'info' = 'error'): Locator {
    return this.activeEditor().locator(`.squiggly-${kind}`);
  }

  /** Opens the Problems panel and returns the message texts of its rows. */
  async problems(): Promise<string[]> {
    await this.runCommand('View: Focus Problems');
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    await sleep(500);
    return rows.allInnerTexts();
  }

  /** The CodeLens links in the active editor, by their text. */
  codeLens(text: RegExp | string): Locator {
    return this.activeEditor().locator('.codelens-decoration a').filter({ hasText: text });
  }

  /** Finds a frame (webviews are nested iframes) that contains `selector`. */
  async webviewFrame(selector: string, timeoutMs = 30_000): Promise<Frame> {
    return waitFor(
      `a webview frame with ${selector}`,
      async () => {
        // Newest frames first: VS Code keeps the frames of hidden or replaced webviews, and a
        // visibility check inside a frame cannot see that the workbench hid the iframe itself,
        // so each candidate's iframe elements are checked in their parents too.
        for (const frame of [...this.page.frames()].reverse()) {
          if (frame === this.page.mainFrame()) continue;
          if (!(await frame.locator(selector).first().isVisible().catch(() => false))) continue;
          if (await isFrameShown(frame)) return frame;
        }
        return undefined;
      },
      timeoutMs,
      500,
    );
  }

  /** The status bar entries' texts. */
  async statusBarTexts(): Promise<string[]> {
    return this.page.locator('.part.statusbar .statusbar-item').allInnerTexts();
  }

  statusBarItem(text: RegExp | string): Locator {
    return this.page.locator('.part.statusbar .statusbar-item').filter({ hasText: text }).first();
  }

  // ---- side bar trees, menus, dialogs -------------------------------------------------------

  /** Rows of the trees in the side bar whose text matches. */
  treeRow(label: RegExp | string): Locator {
    return this.page.locator('.part.sidebar .monaco-list-row').filter({ hasText: label }).first();
  }

  async treeRowTexts(): Promise<string[]> {
    return (await this.page.locator('.part.sidebar .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /** Scrolls the side bar tree with the mouse wheel until a row matching `label` is rendered. */
  async scrollTreeTo(label: RegExp | string, maxSteps = 40): Promise<Locator> {
    const row = this.treeRow(label);
    const tree = this.page.locator('.part.sidebar .monaco-list').first();
    for (let step = 0; step < maxSteps; step++) {
      if (await row.isVisible().catch(() => false)) {
        await row.scrollIntoViewIfNeeded();
        return row;
      }
      const box = await tree.boundingBox();
      if (box) await this.page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 200));
      await this.page.mouse.wheel(0, 60);
      await sleep(150);
    }
    throw new Error(`no tree row matching ${String(label)} after scrolling`);
  }

  /** Expands a collapsed tree row (by its twistie) and waits until it says it is expanded. */
  async expand(row: Locator): Promise<void> {
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    if ((await row.getAttribute('aria-expanded')) === 'false') {
      await row.locator('.monaco-tl-twistie').click();
      await waitFor('the tree row to expand', async () => ((await row.getAttribute('aria-expanded')) === 'true' ? true : undefined), 20_000);
    }
  }

  /** Right-clicks `target` and chooses a context menu entry. */
  async contextMenu(target: Locator, item: RegExp | string): Promise<void> {
    await target.click({ button: 'right' });
    const menu = this.page.locator('.context-view .monaco-menu');
    const entry = menu.locator('.action-item').filter({ hasText: item }).first();
    await entry.waitFor({ state: 'visible', timeout: 10_000 });
    await entry.hover();
    await entry.click();
    // A tree that re-renders under the menu (a count arriving) can swallow the click: the entry
    // stays highlighted and the menu open. Enter then chooses the highlighted entry.
    if (!(await menu.waitFor({ state: 'hidden', timeout: 1_500 }).then(() => true, () => false))) {
      await entry.hover();
      await this.page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden', timeout: 5_000 });
    }
  }

  /** A button or link in a view's welcome content (viewsWelcome). */
  welcomeButton(text: RegExp | string): Locator {
    return this.page.locator('.part.sidebar .welcome-view-content').locator('a, .monaco-button').filter({ hasText: text }).first();
  }

  /**
   * Opens the Accounts menu and returns its entries' labels (the menu stays open). With no account
   * and nothing else to offer, code-server shows no menu at all: that is an empty list.
   */
  async openAccountsMenu(): Promise<string[]> {
    const accounts = this.page.locator('.part.activitybar .action-item a[aria-label^="Accounts"], .part.activitybar .action-item[aria-label^="Accounts"]').first();
    await accounts.click();
    const menu = this.page.locator('.context-view .monaco-menu');
    if (!(await menu.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false))) return [];
    await sleep(300);
    return (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  }

  async closeMenus(): Promise<void> {
    if (await this.page.locator('.context-view .monaco-menu').isVisible().catch(() => false)) await this.page.keyboard.press('Escape');
  }

  /** A modal dialog (e.g. "Sign out?") when one is showing. */
  dialog(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }

  async clickDialogButton(label: RegExp | string, timeoutMs = 10_000): Promise<void> {
    const button = this.dialog().locator('.dialog-buttons .monaco-button').filter({ hasText: label }).first();
    await button.waitFor({ state: 'visible', timeout: timeoutMs });
    await button.click();
  }

  // ---- editor helpers ---------------------------------------------------------------------

  /**
   * Opens the suggest widget and accepts the entry whose label is exactly `label`, moving down the
   * list as a person does with the arrow keys (the list is virtualized: only a screenful renders).
   */
  async acceptSuggestion(label: string, maxMoves = 80): Promise<void> {
    const widget = this.page.locator('.editor-widget.suggest-widget');
    const focused = widget.locator('.monaco-list-row.focused .label-name');
    let lastError: Error | undefined;
    // The widget closes when the layout above the cursor changes (a CodeLens arriving for the new
    // request): a person simply asks again, and so does this, up to three times.
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.suggestions();
      const seen: string[] = [];
      try {
        for (let moves = 0; ; moves++) {
          if (!(await widget.isVisible())) throw new Error(`the suggestions closed before "${label}" was found (seen: ${seen.join(', ')})`);
          const current = (await focused.innerText({ timeout: 2_000 }).catch(() => '')).trim();
          seen.push(current);
          if (current === label) break;
          if (moves >= maxMoves) throw new Error(`no suggestion "${label}" within ${maxMoves} entries: ${seen.join(', ')}`);
          await this.page.keyboard.press('ArrowDown');
        }
        await this.page.keyboard.press('Enter');
        await widget.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
        return;
      } catch (e) {
        lastError = e as Error;
        if (/within \d+ entries/.test(lastError.message)) throw lastError;
        await sleep(500);
      }
    }
    throw lastError ?? new Error(`could not accept "${label}"`);
  }

  /** The rendered editor line that contains `text` (spaces in the DOM are non-breaking). */
  editorLine(text: string): Locator {
    return this.activeEditor().locator('.view-line').filter({ hasText: text }).last();
  }

  /** Goes to a request by its ### title with "Go to Symbol in Editor" (the Outline lists requests). */
  async revealRequest(title: string): Promise<void> {
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: title }).first();
    // The symbol list is asked for once, when the picker opens: one that opened before the
    // document's symbols were ready (or on another editor) stays empty, so it is opened again.
    for (let attempt = 1; ; attempt++) {
      await this.focusEditor();
      const input = await this.openQuickInput('Control+Shift+O');
      await input.fill(`@${title}`);
      if (await row.waitFor({ state: 'visible', timeout: 6_000 }).then(() => true, () => false)) break;
      if (attempt === 3) throw new Error(`Go to Symbol did not list "${title}" after ${attempt} tries`);
      await this.closeQuickInput();
    }
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    await sleep(300);
  }

  /**
   * Clicks the CodeLens titled `lens` that sits just above the editor line containing `lineText`,
   * as a person clicks "Send" above the request they mean.
   */
  async clickCodeLensAbove(lineText: string, lens: string | RegExp = /^Send$/): Promise<void> {
    const line = this.editorLine(lineText);
    // Monaco renders only the lines in view: after typing, the request's title may have scrolled
    // out, so go to it by symbol (Outline lists requests by title), as a person would.
    if (!(await line.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false))) {
      await this.revealRequest(lineText);
      await line.waitFor({ state: 'visible', timeout: 20_000 });
    }
    const target = await waitFor(
      `a "${String(lens)}" CodeLens above "${lineText}"`,
      async () => {
        const lineBox = await line.boundingBox();
        if (!lineBox) return undefined;
        const links = this.activeEditor().locator('.codelens-decoration a');
        let best: { index: number; y: number } | undefined;
        const count = await links.count();
        for (let i = 0; i < count; i++) {
          const text = (await links.nth(i).innerText()).trim();
          if (typeof lens === 'string' ? text !== lens : !lens.test(text)) continue;
          const box = await links.nth(i).boundingBox();
          // Only a lens right above the line belongs to its request (a lens still being computed
          // for a new request must not be mistaken for the previous request's).
          if (!box || box.y > lineBox.y || lineBox.y - box.y > 3.5 * lineBox.height) continue;
          if (!best || box.y > best.y) best = { index: i, y: box.y };
        }
        return best ? links.nth(best.index) : undefined;
      },
      20_000,
      500,
    );
    await target.click();
  }

  // ---- settings ------------------------------------------------------------------------------

  /**
   * Replaces the user settings as a person does: "Open User Settings (JSON)", select all, type,
   * save. Saving through the editor makes VS Code reload them at once; a file changed behind its
   * back is noticed only by a file watcher, which code-server here does not deliver.
   */
  async replaceUserSettings(settingsFile: string, text: string): Promise<void> {
    await this.runCommand('Preferences: Open User Settings (JSON)');
    await this.page.locator('.tabs-container .tab.active[aria-label^="settings.json"]').first().waitFor({ state: 'visible', timeout: 20_000 });
    this.currentFile = 'settings.json';
    await this.focusEditor();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(text);
    await this.page.keyboard.press('Control+S');
    const wanted = JSON.stringify(JSON.parse(text));
    const onDisk = (): string => {
      try {
        return JSON.stringify(JSON.parse(fs.readFileSync(settingsFile, 'utf8')));
      } catch {
        return '';
      }
    };
    await waitFor('settings.json saved with the new settings', async () => (onDisk() === wanted ? true : undefined), 20_000);
    await this.page.keyboard.press('Control+W');
    this.currentFile = undefined;
  }
}

/** True when every iframe element from this frame up to the page is visible in its parent. */
async function isFrameShown(frame: Frame): Promise<boolean> {
  for (let f: Frame | null = frame; f && f.parentFrame(); f = f.parentFrame()) {
    const element = await f.frameElement().catch(() => undefined);
    if (!element || !(await element.isVisible().catch(() => false))) return false;
  }
  return true;
}
