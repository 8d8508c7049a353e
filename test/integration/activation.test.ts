import * as assert from 'assert';
import * as vscode from 'vscode';
import { contributes, extension } from './helpers';

export function registerActivationTests(): void {
  describe('activation', () => {
    it('the extension is active', async () => {
      const ext = extension();
      if (!ext.isActive) await ext.activate();
      assert.ok(ext.isActive);
    });

    it('registers every command that package.json contributes', async () => {
      const declared = (contributes().commands ?? []).map((c) => c.command);
      assert.ok(declared.length > 0, 'package.json declares no commands');
      const registered = new Set(await vscode.commands.getCommands(true));
      const missing = declared.filter((id) => !registered.has(id));
      assert.deepStrictEqual(missing, [], `declared but not registered: ${missing.join(', ')}`);
    });

    it('the "sage200" authentication provider is present and has no session before sign-in', async () => {
      const declared = (contributes().authentication ?? []).map((a) => a.id);
      assert.ok(declared.includes('sage200'), 'package.json does not contribute the sage200 authentication provider');
      // Throws when no provider with this id is registered; silent: no UI, undefined without a session.
      const session = await vscode.authentication.getSession('sage200', [], { silent: true });
      assert.strictEqual(session, undefined);
    });
  });
}
