import * as vscode from 'vscode';
import { Commands } from './commandIds';

/**
 * What the user can do next from an error or warning: the log, the extension's settings, or a new
 * connection. One owner, so that every message offers them with the same words.
 */
export type NextStep = 'showLog' | 'openSettings' | 'addConnection';

const STEPS: Record<NextStep, { label: () => string; run: () => Thenable<unknown> }> = {
  showLog: { label: () => vscode.l10n.t('Show Log'), run: () => vscode.commands.executeCommand(Commands.showLog) },
  openSettings: { label: () => vscode.l10n.t('Open Settings'), run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'sage200') },
  addConnection: { label: () => vscode.l10n.t('Add Connection'), run: () => vscode.commands.executeCommand(Commands.addConnection) },
};

/** Shows an error with buttons for the given next steps, and runs the one the user picks. */
export function showError(message: string, ...steps: NextStep[]): void {
  void offer(vscode.window.showErrorMessage(message, ...steps.map((s) => STEPS[s].label())), steps);
}

export function showWarning(message: string, ...steps: NextStep[]): void {
  void offer(vscode.window.showWarningMessage(message, ...steps.map((s) => STEPS[s].label())), steps);
}

async function offer(choice: Thenable<string | undefined>, steps: NextStep[]): Promise<void> {
  const picked = await choice;
  const step = steps.find((s) => STEPS[s].label() === picked);
  if (step) await STEPS[step].run();
}
