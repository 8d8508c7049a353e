import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import type { ExplorerModel, ExplorerNode } from '../core/explorer';
import { treeItemOf } from './treeItems';

/**
 * The `sage200.explorer` view's data provider: a thin adapter over the core ExplorerModel, which
 * decides what the tree shows. Any model change refreshes the whole (small) tree through the emitter.
 */
export class ExplorerProvider extends Disposable implements vscode.TreeDataProvider<ExplorerNode> {
  private readonly changed = this._register(new vscode.EventEmitter<ExplorerNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly parents = new Map<string, ExplorerNode>();
  private readonly shown = new Map<string, Set<string>>();

  constructor(readonly model: ExplorerModel) {
    super();
    this._register(model.onDidChange(() => this.changed.fire(undefined)));
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return treeItemOf(node, this.model.filter !== '');
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    const kids = await this.model.children(node);
    if (node) {
      // Records come and go as pages are read: forget the ones this node no longer shows, so that
      // the map holds what the tree shows and not every record ever seen.
      const before = this.shown.get(node.id);
      const now = new Set(kids.map((k) => k.id));
      for (const id of before ?? []) if (!now.has(id)) { this.parents.delete(id); this.shown.delete(id); }
      this.shown.set(node.id, now);
      for (const k of kids) this.parents.set(k.id, node);
    }
    return kids;
  }

  /** Needed for `TreeView.reveal`; known for every node the view has shown. */
  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return this.parents.get(node.id);
  }
}
