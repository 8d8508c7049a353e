import * as assert from 'assert';
import * as vscode from 'vscode';
import { contributes } from './helpers';

export function registerExplorerTests(): void {
  describe('explorer', () => {
    it('contributes the Sage 200 Explorer view and can focus it', async () => {
      const views = contributes().views?.['sage200'] ?? [];
      assert.ok(views.some((v) => v.id === 'sage200.explorer'), 'no sage200.explorer view');
      // VS Code generates `<viewId>.focus`; it fails when no tree provider backs the view.
      await vscode.commands.executeCommand('sage200.explorer.focus');
    });
  });
}
