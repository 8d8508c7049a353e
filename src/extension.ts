import * as vscode from 'vscode';
import { loadCatalog } from './core/catalog';
import { Commands } from './commandIds';
import { runIntegrationTestsIfRequested } from './testHook';

/** Wiring only: build the services once, then register each feature. */
export function activate(context: vscode.ExtensionContext): void {
  const catalog = loadCatalog(context.asAbsolutePath('dist/catalog.json'));
  const log = vscode.window.createOutputChannel('Sage 200', { log: true });
  context.subscriptions.push(log);

  const commands: Record<string, (...args: unknown[]) => unknown> = {
    [Commands.showCatalogInfo]: () =>
      vscode.window.showInformationMessage(
        vscode.l10n.t('Sage 200 catalog: {0} operations, {1} entities.', catalog.operations.length, catalog.entities().length),
      ),
  };
  for (const [id, handler] of Object.entries(commands)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  }
  runIntegrationTestsIfRequested(context); // no-op unless the e2e harness asks for the tests
  log.info(`Sage 200 API Explorer activated (${catalog.operations.length} operations in the catalog)`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
