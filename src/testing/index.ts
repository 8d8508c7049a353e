import * as vscode from 'vscode';
import type { ConnectionsFeature } from '../connections';
import type { ResponseViewer } from '../viewer';
import { Environments } from '../core/requestFile';
import { TestingFeature } from './testController';

export { TestingFeature } from './testController';

/** Builds the Test Explorer integration on the connections feature and the response viewer's history. */
export function registerTesting(context: vscode.ExtensionContext, sage: ConnectionsFeature, viewer: ResponseViewer): TestingFeature {
  return new TestingFeature({
    api: sage.api,
    secrets: sage.secretRegistry,
    context: () => {
      const sel = sage.activeContext.selection;
      return sel ? { connectionId: sel.connectionId, ...(sel.siteId ? { site: sel.siteId } : {}), ...(sel.companyId !== undefined ? { company: sel.companyId } : {}) } : {};
    },
    variables: () => {
      const environments = vscode.workspace.getConfiguration('sage200').get<Environments>('environments') ?? {};
      // The environment Send uses (picked with "Select Request Environment").
      const environment = context.workspaceState.get<string>('sage200.activeEnvironment');
      return { environments, ...(environment && environments[environment] ? { environment } : {}) };
    },
    recordTest: viewer.recordTest,
  });
}
