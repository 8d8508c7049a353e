import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type {
  CollectionNode, CompanyNode, ConnectionNode, EntityNode, ErrorNode, ExplorerNode, GroupNode, MessageNode, ModuleNode, PageNode,
  RecordNode, SiteNode,
} from '../core/explorer';

/**
 * One TreeItem class per node kind. `contextValue` drives the menus in package.json:
 * `connection.signedIn|signedOut`, `site`, `company` / `company.active`, `module`, `group`,
 * `entity` / `entity.filtered`, `collection` / `collection.filtered`, `record` (+ `.get`, `.put`,
 * `.delete` for what its item path allows), `page`, `error.<kind>`, `message.<action>`.
 */
abstract class ExplorerItem<N extends ExplorerNode> extends vscode.TreeItem {
  constructor(readonly node: N, state: vscode.TreeItemCollapsibleState) {
    super(node.label, state);
    this.id = node.id;
    if (node.description !== undefined) this.description = node.description;
    if (node.tooltip !== undefined) this.tooltip = node.tooltip;
  }
}

export class ConnectionItem extends ExplorerItem<ConnectionNode> {
  constructor(node: ConnectionNode) {
    super(node, node.active || node.signedIn ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    this.contextValue = node.signedIn ? 'connection.signedIn' : 'connection.signedOut';
    this.iconPath = new vscode.ThemeIcon(node.signedIn ? 'plug' : 'debug-disconnect');
  }
}

export class SiteItem extends ExplorerItem<SiteNode> {
  constructor(node: SiteNode) {
    super(node, node.active ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    this.contextValue = 'site';
    this.iconPath = new vscode.ThemeIcon('server-environment');
  }
}

export class CompanyItem extends ExplorerItem<CompanyNode> {
  constructor(node: CompanyNode) {
    super(node, vscode.TreeItemCollapsibleState.Collapsed);
    this.contextValue = node.active ? 'company.active' : 'company';
    this.iconPath = new vscode.ThemeIcon(node.active ? 'pass-filled' : 'organization');
  }
}

export class ModuleItem extends ExplorerItem<ModuleNode> {
  constructor(node: ModuleNode, filtered: boolean) {
    // While a filter is on, the matches are what the user wants to see: open the modules.
    super(node, filtered ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    this.contextValue = 'module';
    this.iconPath = new vscode.ThemeIcon('symbol-namespace');
  }
}

export class GroupItem extends ExplorerItem<GroupNode> {
  constructor(node: GroupNode, filtered: boolean) {
    super(node, filtered ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    this.contextValue = 'group';
    this.iconPath = new vscode.ThemeIcon(node.group === 'views' ? 'eye' : 'list-flat');
  }
}

export class EntityItem extends ExplorerItem<EntityNode> {
  constructor(node: EntityNode) {
    // Expands into its records; a click still fetches the first page into the viewer.
    super(node, vscode.TreeItemCollapsibleState.Collapsed);
    this.contextValue = node.recordFilter ? 'entity.filtered' : 'entity';
    this.iconPath = new vscode.ThemeIcon(node.name.endsWith('_views') ? 'eye' : node.name.startsWith('lookup_') ? 'list-flat' : 'table');
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${node.verbs.join(', ')}** `);
    md.appendCodeblock(node.path, 'text');
    md.appendText(node.tooltip ?? '');
    this.tooltip = md;
    // Data in two clicks: open the company, click the entity.
    this.command = { command: Commands.explorerFetchFirstPage, title: vscode.l10n.t('Fetch First Page'), arguments: [node] };
  }
}

export class CollectionItem extends ExplorerItem<CollectionNode> {
  constructor(node: CollectionNode) {
    super(node, vscode.TreeItemCollapsibleState.Collapsed);
    this.contextValue = node.recordFilter ? 'collection.filtered' : 'collection';
    this.iconPath = new vscode.ThemeIcon('list-tree');
  }
}

export class RecordItem extends ExplorerItem<RecordNode> {
  constructor(node: RecordNode) {
    super(node, node.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    const allows = (['GET', 'PUT', 'DELETE'] as const).filter((v) => node.itemPath && node.verbs.includes(v)).map((v) => `.${v.toLowerCase()}`);
    this.contextValue = `record${allows.join('')}`;
    this.iconPath = new vscode.ThemeIcon('symbol-object');
    this.command = { command: Commands.explorerOpenRecord, title: vscode.l10n.t('Open Record'), arguments: [node] };
  }
}

export class PageItem extends ExplorerItem<PageNode> {
  constructor(node: PageNode) {
    super(node, vscode.TreeItemCollapsibleState.None);
    this.contextValue = 'page';
    this.iconPath = new vscode.ThemeIcon(node.direction === 'next' ? 'fold-down' : 'fold-up');
    this.command = { command: Commands.explorerLoadPage, title: node.label, arguments: [node] };
  }
}

export class ErrorItem extends ExplorerItem<ErrorNode> {
  constructor(node: ErrorNode) {
    super(node, vscode.TreeItemCollapsibleState.None);
    this.contextValue = `error.${node.errorKind}`;
    this.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    this.description = node.errorKind === 'unauthorized' ? vscode.l10n.t('click to sign in again') : vscode.l10n.t('click to retry');
    this.command = node.errorKind === 'unauthorized'
      ? { command: Commands.signIn, title: vscode.l10n.t('Sign In'), arguments: [node.connectionId] }
      : { command: Commands.explorerRetry, title: vscode.l10n.t('Retry'), arguments: [node] };
  }
}

export class MessageItem extends ExplorerItem<MessageNode> {
  constructor(node: MessageNode) {
    super(node, vscode.TreeItemCollapsibleState.None);
    this.contextValue = node.action ? `message.${node.action}` : 'message';
    this.iconPath = new vscode.ThemeIcon(node.action === 'signIn' ? 'sign-in' : node.action === 'clearFilter' ? 'clear-all' : 'info');
    if (node.action === 'signIn' && node.connectionId) {
      this.command = { command: Commands.signIn, title: vscode.l10n.t('Sign In'), arguments: [node.connectionId] };
    } else if (node.action === 'clearFilter') {
      this.command = { command: Commands.explorerClearFilter, title: vscode.l10n.t('Clear Filter') };
    }
  }
}

export function treeItemOf(node: ExplorerNode, filtered: boolean): vscode.TreeItem {
  switch (node.kind) {
    case 'connection': return new ConnectionItem(node);
    case 'site': return new SiteItem(node);
    case 'company': return new CompanyItem(node);
    case 'module': return new ModuleItem(node, filtered);
    case 'group': return new GroupItem(node, filtered);
    case 'entity': return new EntityItem(node);
    case 'collection': return new CollectionItem(node);
    case 'record': return new RecordItem(node);
    case 'page': return new PageItem(node);
    case 'error': return new ErrorItem(node);
    case 'message': return new MessageItem(node);
  }
}
