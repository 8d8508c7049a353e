import * as vscode from 'vscode';
import { CatalogSource, Edition } from '../core/catalog';
import { baseUrlOf, ConnectionConfig } from '../core/connections/types';
import type { ConnectionsFeature } from '../connections';
import { RequestLanguage, RequestLanguageDeps } from './index';

function editionOf(c: ConnectionConfig): Edition | undefined {
  if (c.edition === 'custom') return c.apiEdition;
  return c.edition;
}

/** Builds the request language on top of the connections feature (sign-in, active context, API). */
export function registerRequestLanguage(
  context: vscode.ExtensionContext,
  catalog: CatalogSource,
  sage: ConnectionsFeature,
  showResponse: RequestLanguageDeps['showResponse'],
): RequestLanguage {
  return new RequestLanguage({
    catalog,
    sender: sage.api,
    secrets: sage.secretRegistry,
    activeContext: () => {
      const sel = sage.activeContext.selection;
      const conn = sel ? sage.connections.get(sel.connectionId) : undefined;
      if (!sel || !conn) return undefined;
      let baseUrl: string | undefined;
      try {
        baseUrl = baseUrlOf(conn);
      } catch {
        baseUrl = undefined;
      }
      const edition = editionOf(conn);
      return {
        connectionId: conn.id,
        ...(sel.siteId ? { site: sel.siteId } : {}),
        ...(sel.companyId !== undefined ? { company: sel.companyId } : {}),
        ...(baseUrl ? { baseUrl } : {}),
        ...(edition ? { edition } : {}),
      };
    },
    onDidChangeActiveContext: sage.activeContext.onDidChange,
    isSignedIn: (id) => sage.api.isSignedIn(id),
    accessToken: async (id) => (id ? (await sage.sessions.accessTokenFor(id)) || undefined : undefined),
    showResponse,
  }, context.workspaceState);
}
