import * as vscode from 'vscode';

/**
 * Restricted Mode: the folder's settings and files are not trusted. Sage 200 credentials are only
 * used, and `.env` files only read, in a trusted workspace; the language features work either way.
 */
export class WorkspaceNotTrustedError extends Error {
  constructor(action: string) {
    super(
      vscode.l10n.t(
        '{0} needs a trusted workspace. This folder is open in Restricted Mode, so its settings and files are not trusted with your Sage 200 credentials. Trust the folder to continue (command "Workspaces: Manage Workspace Trust").',
        action,
      ),
    );
    this.name = 'WorkspaceNotTrustedError';
  }
}

/** Throws WorkspaceNotTrustedError (its message is for the user) unless the workspace is trusted. */
export function assertTrusted(action: string): void {
  if (!vscode.workspace.isTrusted) throw new WorkspaceNotTrustedError(action);
}

/** For commands the user runs: explains and offers to manage trust when untrusted; true when trusted. */
export function checkTrusted(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void Promise.resolve(vscode.window.showWarningMessage(new WorkspaceNotTrustedError(action).message, manage)).then((choice) =>
    choice === manage ? vscode.commands.executeCommand('workbench.trust.manage') : undefined,
  );
  return false;
}
