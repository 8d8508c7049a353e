import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { Disposable } from '../lifecycle';
import type { CatalogSource } from '../core/catalog';
import type { ActiveSelection, ConnectionConfig, SiteCompany } from '../core/connections/types';
import {
  CompanyNode, EntityNode, ErrorNode, ExplorerModel, ExplorerNode, PageNode, RecordListNode, RecordNode, SiteNode,
} from '../core/explorer';
import type { ExportFormat } from '../core/export';
import type { AnsweredRequest } from '../core/http/types';
import {
  ActionDeps, ExplorerApi, FieldsDocuments, ResponseShower, copyRecordId, countEntity, deleteRecord, editRecordRequest, exportAll, fetchFirstPage,
  filterRecords, openRecord, openRecordRequest, openRequest, reportFailure, showFields,
} from './actions';
import { ExplorerProvider } from './explorerProvider';
import { SANDBOX_CONNECTION_ID } from '../connections/connectionManager';

export { ExplorerProvider } from './explorerProvider';
export type { ExplorerApi, ResponseShower } from './actions';

/** The services the explorer is built on (ConnectionsFeature's members fit these shapes). */
export interface ExplorerServices {
  /** Read on first use (tree expansion, an entity's action), not when the view is built. */
  readonly catalog: CatalogSource;
  readonly connections: {
    list(): readonly ConnectionConfig[];
    get(id: string): ConnectionConfig | undefined;
    readonly onDidChange: vscode.Event<unknown>;
  };
  readonly activeContext: {
    readonly selection: ActiveSelection | undefined;
    readonly onDidChange: vscode.Event<unknown>;
    select(connectionId: string, site?: Pick<SiteCompany, 'site_id' | 'site_name'>, company?: Pick<SiteCompany, 'company_id' | 'company_name'>): Promise<void>;
  };
  readonly api: ExplorerApi & {
    getSites(connectionId: string): Promise<SiteCompany[]>;
    isSignedIn(connectionId: string): Promise<boolean>;
    signIn(connectionId: string): Promise<boolean>;
    readonly onDidChangeSessions: vscode.Event<unknown>;
    /** Every answered request, whoever sent it: a write re-reads the lists it changed. */
    readonly onDidAnswer: vscode.Event<AnsweredRequest>;
  };
  /** The signed-in account per connection, for the connection's description. */
  readonly sessions: { get(connectionId: string): Promise<{ readonly account: { readonly label: string } } | undefined> };
  readonly log: { info(m: string): void; warn(m: string): void; error(m: string | Error): void };
  /** Remembers across windows that the view was shown on a first start (the extension's global state). */
  readonly globalState: Pick<vscode.Memento, 'get' | 'update'>;
  /** Where "Fetch First Page" and a clicked record show their answer. */
  readonly viewer: ResponseShower;
  /** "Try the demo sandbox" starts it. */
  readonly sandbox: SandboxStarter;
}

/** The sandbox feature (src/sandbox), as "Try the demo sandbox" uses it. */
export interface SandboxStarter {
  start(): Promise<unknown>;
}

const VIEW_ID = 'sage200.explorer';
const FILTERED_CONTEXT = 'sage200.explorer.filtered';
const HAS_CONNECTIONS_CONTEXT = 'sage200.explorer.hasConnections';
const SHOWN_ON_FIRST_START = 'sage200.explorer.shownOnFirstStart';

/**
 * The Sage 200 view: the tree (connections > sites > companies > modules > entities), its filter,
 * and the actions on its nodes. Build it once in extension.ts and add `commands` to the command map.
 */
export class ExplorerFeature extends Disposable {
  readonly model: ExplorerModel;
  readonly provider: ExplorerProvider;
  readonly view: vscode.TreeView<ExplorerNode>;
  readonly commands: Record<string, (...args: unknown[]) => unknown>;

  constructor(private readonly services: ExplorerServices, private readonly extensionId: string) {
    super();
    const { catalog, connections, activeContext, api, sessions } = services;
    this.model = new ExplorerModel(catalog, {
      connections: () => connections.list(),
      isSignedIn: (id) => api.isSignedIn(id).catch(() => false),
      account: async (id) => (await sessions.get(id).catch(() => undefined))?.account.label,
      getSites: (id) => api.getSites(id),
      activeSelection: () => activeContext.selection,
      // The branch's site and company, not the active ones: records are read where the node is.
      get: (scope, url) => api.send(
        { method: 'GET', url, headers: { 'X-Site': scope.siteId, 'X-Company': String(scope.companyId) } },
        { connectionId: scope.connectionId },
      ),
    });
    this.provider = this._register(new ExplorerProvider(this.model));
    this.view = this._register(vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true, dragAndDropController: this.dropController() }));
    const fields = new FieldsDocuments();
    this._register(fields);
    this._register(vscode.workspace.registerTextDocumentContentProvider(FieldsDocuments.scheme, fields));

    // Sign-in state and the connection list change what is shown and where: re-read the sites.
    this._register(connections.onDidChange(() => { this.updateContextKeys(); this.model.refresh(); }));
    // Sign-in and sign-out re-read the sites; a session that only changed (a refresh) redraws.
    this._register(api.onDidChangeSessions((e) => {
      const change = e as { added?: unknown[]; removed?: unknown[] } | undefined;
      if (change && Array.isArray(change.added) && Array.isArray(change.removed) && !change.added.length && !change.removed.length) {
        this.model.changed();
      } else {
        this.model.refresh();
      }
    }));
    // A write, wherever it was sent from: the lists it changed show it without a Refresh.
    this._register(api.onDidAnswer((e) => this.model.reloadAfterWrite(e)));
    // The active company moved (status bar, request file, this tree): only the marks change.
    this._register(activeContext.onDidChange(() => this.model.changed()));
    this.updateContextKeys();
    void this.showOnFirstStart();

    const deps: ActionDeps = {
      catalog, api, model: this.model, fields, log: services.log, viewer: services.viewer, activeContext,
      connection: (id) => connections.get(id),
    };
    /** A command on a node of the given kinds (the argument, else the selection); failures are reported, not thrown. */
    const on = <N extends EntityNode | RecordListNode | RecordNode>(kinds: readonly N['kind'][], choose: string) =>
      (fn: (node: N, extra?: unknown) => Promise<unknown>, what: string) => async (arg: unknown, extra?: unknown): Promise<unknown> => {
        const node = this.nodeArg<N>(arg, ...kinds);
        if (!node) {
          void vscode.window.showInformationMessage(choose);
          return undefined;
        }
        try {
          return await fn(node, extra);
        } catch (err) {
          reportFailure(deps, what, err, node.scope.connectionId);
          return undefined;
        }
      };
    const entity = on<EntityNode>(['entity'], vscode.l10n.t('Choose an entity in the Sage 200 explorer first.'));
    const list = on<RecordListNode>(['entity', 'collection'], vscode.l10n.t('Choose an entity in the Sage 200 explorer first.'));
    const record = on<RecordNode>(['record'], vscode.l10n.t('Choose a record in the Sage 200 explorer first.'));
    this.commands = {
      [Commands.explorerRefresh]: () => this.model.refresh(),
      [Commands.explorerFilter]: () => this.askFilter(),
      [Commands.explorerClearFilter]: () => this.setFilter(''),
      [Commands.explorerRetry]: (arg: unknown) => {
        const node = arg as ErrorNode | undefined;
        if (node) this.model.retry(node);
        else this.model.refresh();
      },
      [Commands.explorerLoadPage]: (arg: unknown) => {
        const node = this.nodeArg<PageNode>(arg, 'page');
        return node ? this.model.page(node) : undefined;
      },
      [Commands.explorerTryDemo]: () => this.tryDemo(),
      [Commands.explorerCredentialsHelp]: () => vscode.commands.executeCommand(
        'workbench.action.openWalkthrough', `${this.extensionId}#sage200.gettingStarted`, false,
      ),
      [Commands.explorerMakeActive]: (arg: unknown) => this.makeActive(arg),
      [Commands.explorerOpenRequest]: entity((n) => openRequest(deps, n), vscode.l10n.t('Open request')),
      [Commands.explorerFetchFirstPage]: entity((n) => fetchFirstPage(deps, n), vscode.l10n.t('Fetch first page')),
      [Commands.explorerCount]: entity((n) => countEntity(deps, n), vscode.l10n.t('Count')),
      [Commands.explorerShowFields]: entity((n) => showFields(deps, n), vscode.l10n.t('Show fields')),
      // A second argument `{ target, format? }` skips the dialogs (scripts and tests).
      [Commands.explorerExportAll]: entity((n, extra) => exportAll(deps, n, exportTarget(extra)), vscode.l10n.t('Export')),
      // A second argument (the filter text) skips the input (scripts and tests).
      [Commands.explorerFilterRecords]: list((n, extra) => filterRecords(deps, n, typeof extra === 'string' ? extra : undefined), vscode.l10n.t('Filter')),
      [Commands.explorerClearRecordFilter]: list((n) => filterRecords(deps, n, ''), vscode.l10n.t('Clear filter')),
      [Commands.explorerOpenRecord]: record((n) => openRecord(deps, n), vscode.l10n.t('Open record')),
      [Commands.explorerCopyRecordId]: record((n) => copyRecordId(n), vscode.l10n.t('Copy id')),
      [Commands.explorerOpenRecordRequest]: record((n) => openRecordRequest(deps, n), vscode.l10n.t('Open as request')),
      [Commands.explorerEditRecordRequest]: record((n) => editRecordRequest(deps, n), vscode.l10n.t('Edit as request')),
      // A second argument `true` skips the record's confirmation (tests); the production guard still asks.
      [Commands.explorerDeleteRecord]: record((n, extra) => deleteRecord(deps, n, extra === true), vscode.l10n.t('Delete')),
    };
  }

  /** Files dropped on the tree, from VS Code's explorer or the desktop: the import feature takes them. */
  private readonly dropped = this._register(new vscode.EventEmitter<vscode.Uri[]>());
  readonly onDidDropFiles = this.dropped.event;

  private dropController(): vscode.TreeDragAndDropController<ExplorerNode> {
    return {
      dropMimeTypes: ['text/uri-list', 'files'],
      dragMimeTypes: [],
      handleDrop: async (_target, data) => {
        const uris: vscode.Uri[] = [];
        const list = await data.get('text/uri-list')?.asString();
        for (const line of list?.split(/\r?\n/) ?? []) if (line.trim() && !line.startsWith('#')) uris.push(vscode.Uri.parse(line.trim()));
        if (!uris.length) data.forEach((item) => { const uri = item.asFile()?.uri; if (uri) uris.push(uri); });
        if (uris.length) this.dropped.fire(uris);
      },
    };
  }

  private nodeArg<N extends ExplorerNode>(arg: unknown, ...kinds: N['kind'][]): N | undefined {
    if (arg && typeof arg === 'object' && kinds.includes((arg as ExplorerNode).kind)) return arg as N;
    const selected = this.view.selection[0];
    return selected && kinds.includes(selected.kind) ? selected as N : undefined;
  }

  /**
   * The first time the extension starts with no connection, show this view once: its welcome is
   * where a newcomer finds "Try the demo sandbox". Opening the view keeps the editor focused.
   */
  private async showOnFirstStart(): Promise<void> {
    const state = this.services.globalState;
    if (state.get<boolean>(SHOWN_ON_FIRST_START) || this.services.connections.list().length) return;
    await state.update(SHOWN_ON_FIRST_START, true);
    const editor = vscode.window.activeTextEditor;
    await vscode.commands.executeCommand('workbench.view.extension.sage200');
    if (editor) await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
  }

  private updateContextKeys(): void {
    void vscode.commands.executeCommand('setContext', HAS_CONNECTIONS_CONTEXT, this.services.connections.list().length > 0);
  }

  private setFilter(text: string): void {
    this.model.setFilter(text);
    const f = this.model.filter;
    this.view.description = f ? vscode.l10n.t('filter: {0}', f) : undefined;
    void vscode.commands.executeCommand('setContext', FILTERED_CONTEXT, f !== '');
  }

  /** A filter box that narrows the tree as the user types; Escape restores the previous filter. */
  private askFilter(): Promise<void> {
    const before = this.model.filter;
    const box = vscode.window.createInputBox();
    box.title = vscode.l10n.t('Filter Sage 200 entities');
    box.placeholder = vscode.l10n.t('Part of an entity name, e.g. customer or lookup bank');
    box.value = before;
    return new Promise<void>((resolve) => {
      let accepted = false;
      box.onDidChangeValue((v) => this.setFilter(v));
      box.onDidAccept(() => { accepted = true; box.hide(); });
      box.onDidHide(() => {
        if (!accepted) this.setFilter(before);
        box.dispose();
        resolve();
      });
      box.show();
    });
  }

  private async makeActive(arg: unknown): Promise<void> {
    const node = arg && typeof arg === 'object' ? arg as ExplorerNode : this.view.selection[0];
    if (node?.kind === 'company') {
      const { scope } = node as CompanyNode;
      await this.services.activeContext.select(
        scope.connectionId,
        { site_id: scope.siteId, site_name: scope.siteName },
        { company_id: scope.companyId, company_name: scope.companyName },
      );
    } else if (node?.kind === 'site') {
      const site = node as SiteNode;
      // A site alone is not a working context: take its first company, which the user can change.
      const sites = await this.services.api.getSites(site.connectionId);
      const first = sites.find((s) => s.site_id === site.siteId);
      await this.services.activeContext.select(site.connectionId, { site_id: site.siteId, site_name: site.siteName }, first);
    } else if (node?.kind === 'connection') {
      await this.services.activeContext.select(node.connection.id);
    } else {
      void vscode.window.showInformationMessage(vscode.l10n.t('Choose a site or company in the Sage 200 explorer first.'));
    }
  }

  /** "Try the demo sandbox": start it, then sign in to its connection (which asks for the company). */
  private async tryDemo(): Promise<void> {
    try {
      await this.services.sandbox.start();
      const conn = await this.waitForConnection(SANDBOX_CONNECTION_ID, 15_000);
      if (!(await this.services.api.isSignedIn(conn.id))) await this.services.api.signIn(conn.id);
      this.model.refresh(conn.id);
      // VS Code's own command for a view, derived from its id (package.json contributes.views).
      await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    } catch (err) {
      reportFailure({ log: this.services.log }, vscode.l10n.t('Starting the demo sandbox'), err);
    }
  }

  private waitForConnection(id: string, timeoutMs: number): Promise<ConnectionConfig> {
    const now = this.services.connections.get(id);
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { sub.dispose(); reject(new Error(vscode.l10n.t('The demo sandbox started but its connection did not appear.'))); }, timeoutMs);
      const sub = this.services.connections.onDidChange(() => {
        const c = this.services.connections.get(id);
        if (c) { clearTimeout(timer); sub.dispose(); resolve(c); }
      });
    });
  }
}

function exportTarget(extra: unknown): { target: string; format?: ExportFormat } | undefined {
  if (!extra || typeof extra !== 'object') return undefined;
  const { target, format } = extra as { target?: unknown; format?: unknown };
  if (typeof target !== 'string' || !target) return undefined;
  return { target, ...(format === 'csv' || format === 'json' || format === 'jsonl' ? { format } : {}) };
}
