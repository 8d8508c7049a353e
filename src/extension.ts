import * as vscode from 'vscode';
import { lazyCatalog } from './core/catalog';
import { Commands } from './commandIds';
import { ConnectionsFeature } from './connections';
import { registerRequestLanguage } from './language/wiring';
import { ExplorerFeature } from './explorer';
import { ResponseViewer } from './viewer';
import { runIntegrationTestsIfRequested } from './testHook';
import { SandboxFeature } from './sandbox';
import { showError } from './notify';
import { registerTesting } from './testing';
import { ImportFeature } from './import';

/** Wiring only: the log first, so that a failure to start can be shown with it; then every feature. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Sage 200', { log: true });
  context.subscriptions.push(log, vscode.commands.registerCommand(Commands.showLog, () => log.show()));
  try {
    wire(context, log);
  } catch (e) {
    log.error(e instanceof Error ? e : String(e));
    showError(vscode.l10n.t('Sage 200 API Explorer could not start: {0}', e instanceof Error ? e.message : String(e)), 'showLog');
  }
}

function wire(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const started = performance.now();
  // Read on first use (completion, hover, diagnostics, tree expansion), off activation's path.
  const catalog = lazyCatalog(context.asAbsolutePath('dist/catalog.json'), (ms, c) =>
    log.info(`Sage 200 catalog loaded in ${Math.round(ms)} ms (${c.stats.operations} operations)`));
  // Built in the order of their needs, so that each gets everything in its constructor.
  const sandbox = new SandboxFeature({ log, storageDir: context.globalStorageUri.fsPath }); // "Start/Stop Demo Sandbox", in-process
  context.subscriptions.push(sandbox);
  const sage = new ConnectionsFeature(context, log, sandbox); // connections (with the sandbox's), sign-in, active context, Sage200Api
  context.subscriptions.push(sage);
  const viewer = new ResponseViewer({ extensionUri: context.extensionUri, workspaceState: context.workspaceState, api: sage.api, secrets: sage.secretRegistry, signInCommand: Commands.signIn, log: sage.log });
  context.subscriptions.push(viewer); // the response webview and the History view
  const language = registerRequestLanguage(context, catalog, sage, viewer.showResponse); // .sage200 files: providers, Send
  context.subscriptions.push(language);
  const explorer = new ExplorerFeature({ ...sage, catalog, globalState: context.globalState, viewer, sandbox }, context.extension.id); // the Sage 200 tree and its actions
  context.subscriptions.push(explorer);
  const testing = registerTesting(sage, language, viewer); // Test Explorer, Run/Run file lenses, inline results
  context.subscriptions.push(testing);
  const importer = new ImportFeature(sage); // Import…, Paste cURL as Request, Export to Postman
  context.subscriptions.push(importer, explorer.onDidDropFiles((uris) => importer.importFromUser(uris)));

  const commands: Record<string, (...args: unknown[]) => unknown> = {
    [Commands.showCatalogInfo]: () => {
      const c = catalog();
      return vscode.window.showInformationMessage(
        vscode.l10n.t('Sage 200 catalog: {0} operations on {1} paths, {2} entities.', c.stats.operations, c.stats.paths, c.entities().length),
      );
    },
    ...sage.commands,
    ...language.commands,
    ...explorer.commands,
    ...viewer.commands,
    ...sandbox.commands,
    ...testing.commands,
    ...importer.commands,
  };
  for (const [id, handler] of Object.entries(commands)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  }
  log.info(`Sage 200 API Explorer activated in ${Math.round(performance.now() - started)} ms`);
  runIntegrationTestsIfRequested(context); // no-op unless the e2e harness asks for the tests
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
