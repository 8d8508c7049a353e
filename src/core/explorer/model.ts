import type { CatalogSource } from '../catalog/catalog';
import { MODULE_TITLES, ModuleId, Operation } from '../catalog/types';
import type { ActiveSelection, ConnectionConfig, SiteCompany } from '../connections/types';
import type { AnsweredRequest, HttpResponse } from '../http/types';
import { describeFailure } from './errors';
import { EMPTY_SITES_ADVICE } from '../http/sageMessage';
import type {
  CompanyNode, ConnectionNode, EntityGroup, EntityNode, ErrorNode, ExplorerNode, GroupNode, MessageNode, ModuleNode, PageNode,
  RecordListNode, Scope, SiteNode,
} from './nodes';
import { RecordTree } from './recordTree';
import { affectedLists } from './writes';

/** What the model needs from the rest of the extension; the VS Code side adapts its services to it. */
export interface ExplorerSource {
  connections(): readonly ConnectionConfig[];
  isSignedIn(connectionId: string): boolean | Promise<boolean>;
  /** The signed-in account's label, for the connection's description. */
  account?(connectionId: string): string | undefined | Promise<string | undefined>;
  getSites(connectionId: string): Promise<readonly SiteCompany[]>;
  activeSelection(): ActiveSelection | undefined;
  /**
   * Sends a GET (a path relative to the connection's API, query encoded) to the scope's connection,
   * site and company. Without it, entities do not expand into records.
   */
  get?(scope: Scope, url: string): Promise<HttpResponse>;
}

/** The order users know from the Sage 200 application's navigation. */
export const MODULE_ORDER: readonly ModuleId[] = Object.keys(MODULE_TITLES) as ModuleId[];

type Listener = () => void;

type SitesState =
  | { readonly state: 'loaded'; readonly sites: readonly SiteCompany[] }
  | { readonly state: 'failed'; readonly error: unknown };

/**
 * The explorer tree: connection > site > company > module > [views | lookups] > entity.
 * Sites are read once per connection and cached until `refresh`; failures are cached as error nodes
 * (with a retry) so that a broken connection never leaves the tree blank or retries in a loop.
 */
export class ExplorerModel {
  private readonly sites = new Map<string, SitesState>();
  private readonly inflight = new Map<string, Promise<SitesState>>();
  private readonly counts = new Map<string, number>();
  private readonly listeners = new Set<Listener>();
  private filterText = '';
  /** Records, read page by page under entities and the collections below records. */
  readonly records: RecordTree;

  constructor(private readonly catalog: CatalogSource, private readonly source: ExplorerSource) {
    this.records = new RecordTree(catalog, source.get ? (scope, url) => source.get!(scope, url) : undefined);
  }

  /** Fires with no argument: the whole tree may have changed (it is small enough to re-read). */
  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(): void {
    for (const l of [...this.listeners]) l();
  }

  get filter(): string {
    return this.filterText;
  }

  /** Entities whose name contains every word of the text (case-insensitive); empty clears it. */
  setFilter(text: string): void {
    const next = text.trim();
    if (next === this.filterText) return;
    this.filterText = next;
    this.fire();
  }

  /** Forgets cached sites (all, or one connection's) so that the next read asks `/sites` again. */
  refresh(connectionId?: string): void {
    if (connectionId === undefined) {
      this.sites.clear();
      this.inflight.clear();
      this.records.forgetAll();
    } else {
      this.records.forget(`c/${connectionId}`);
      this.sites.delete(connectionId);
      this.inflight.delete(connectionId);
    }
    this.fire();
  }

  /** Redraw without re-reading (active selection or sign-in state changed). */
  changed(): void {
    this.fire();
  }

  /** Retry from an error node: its list of records, or else its connection's sites. */
  retry(node: Pick<ErrorNode, 'connectionId' | 'listId'>): void {
    if (node.listId) {
      this.records.forget(node.listId);
      this.fire();
    } else {
      this.refresh(node.connectionId);
    }
  }

  /** Shows the records of a list that match an OData `$filter`; empty shows them all again. */
  setRecordFilter(list: RecordListNode, filter: string): void {
    this.records.setFilter(list.id, filter);
    this.fire();
  }

  /** "Load more…" or "Earlier records…". */
  async page(node: PageNode): Promise<void> {
    await this.records.page(node);
    this.fire();
  }

  /**
   * A write to the API got its answer (from a request file, the viewer, a test run or the tree's own
   * Delete): the held lists it can change are read again (as a retry reads one: the filter stays,
   * paging starts over), the lists below their records are kept. Returns their ids.
   */
  reloadAfterWrite(write: AnsweredRequest): string[] {
    const ids = affectedLists(write, this.records.heldLists());
    for (const id of ids) this.records.forget(id, false);
    if (ids.length) this.fire();
    return ids;
  }

  setCount(entity: EntityNode, count: number): void {
    this.counts.set(countKey(entity.scope, entity.path), count);
    this.fire();
  }

  /**
   * The signed-out state is an empty root on purpose: it is what makes VS Code show the view's
   * welcome content (try the sandbox, add a connection). Any other branch is never empty.
   */
  async children(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'connection': return this.connectionChildren(node);
      case 'site': return this.siteChildren(node);
      case 'company': return this.companyChildren(node);
      case 'module': return this.moduleChildren(node);
      case 'group': return this.groupChildren(node);
      case 'entity':
      case 'collection': return this.records.children(node);
      case 'record': return this.records.recordChildren(node);
      default: return [];
    }
  }

  private async roots(): Promise<ExplorerNode[]> {
    const connections = this.source.connections();
    const states = await Promise.all(connections.map(async (c) => {
      const signedIn = await this.source.isSignedIn(c.id);
      return { signedIn, account: signedIn ? await this.source.account?.(c.id) : undefined };
    }));
    if (!states.some((s) => s.signedIn)) return [];
    const active = this.source.activeSelection();
    return connections.map((c, i): ConnectionNode => {
      const { signedIn, account } = states[i];
      const edition = editionLabel(c);
      return {
        kind: 'connection',
        id: `c/${c.id}`,
        label: c.name,
        // The side bar is narrow: the description says what differs between connections (the API
        // they speak, who is signed in); the tooltip has the rest.
        description: [apiEditionLabel(c), signedIn ? account ?? 'signed in' : 'signed out'].join(' · '),
        tooltip: `${c.name}\n${edition}${c.production ? ' · production' : ''}\n${signedIn ? `Signed in${account ? ` as ${account}` : ''}` : 'Signed out'}`,
        connection: c,
        signedIn,
        active: active?.connectionId === c.id,
      };
    });
  }

  private async loadSites(connectionId: string): Promise<SitesState> {
    const cached = this.sites.get(connectionId);
    if (cached) return cached;
    let pending = this.inflight.get(connectionId);
    if (!pending) {
      pending = this.source.getSites(connectionId).then(
        (sites): SitesState => ({ state: 'loaded', sites }),
        (error: unknown): SitesState => ({ state: 'failed', error }),
      );
      this.inflight.set(connectionId, pending);
    }
    const result = await pending;
    // A refresh during the call dropped the in-flight entry: do not cache a stale answer then.
    if (this.inflight.get(connectionId) === pending) {
      this.inflight.delete(connectionId);
      this.sites.set(connectionId, result);
    }
    return result;
  }

  private async connectionChildren(node: ConnectionNode): Promise<ExplorerNode[]> {
    const id = node.connection.id;
    if (!(await this.source.isSignedIn(id))) {
      return [message(`${node.id}/signin`, 'Sign in to browse sites and companies', { action: 'signIn', connectionId: id })];
    }
    const result = await this.loadSites(id);
    if (result.state === 'failed') {
      const f = describeFailure(result.error);
      return [{
        kind: 'error', id: `${node.id}/error`, label: f.message, message: f.message, errorKind: f.kind,
        connectionId: id, tooltip: f.message, description: f.kind === 'unauthorized' ? 'sign in again' : 'retry',
      }];
    }
    if (result.sites.length === 0) {
      return [{ ...message(`${node.id}/nosites`, 'No sites or companies: see the tooltip'), tooltip: EMPTY_SITES_ADVICE }];
    }
    const active = this.source.activeSelection();
    const bySite = new Map<string, SiteCompany[]>();
    for (const s of result.sites) {
      const list = bySite.get(s.site_id) ?? [];
      list.push(s);
      bySite.set(s.site_id, list);
    }
    return [...bySite.values()].map((companies): SiteNode => {
      const first = companies[0];
      const isActive = active?.connectionId === id && active.siteId === first.site_id;
      return {
        kind: 'site',
        id: `${node.id}/s/${first.site_id}`,
        label: first.site_name,
        description: [first.site_short_name, isActive ? 'active' : undefined].filter(Boolean).join(' · ') || undefined,
        tooltip: `Site ${first.site_name}\n${first.site_id}\n${companies.length} compan${companies.length === 1 ? 'y' : 'ies'}`,
        connectionId: id,
        siteId: first.site_id,
        siteName: first.site_name,
        active: isActive,
      };
    });
  }

  private async siteChildren(node: SiteNode): Promise<ExplorerNode[]> {
    const result = await this.loadSites(node.connectionId);
    if (result.state === 'failed') return [];
    const connection = this.source.connections().find((c) => c.id === node.connectionId);
    const edition = connection ? apiEditionOf(connection) : 'professional';
    const active = this.source.activeSelection();
    return result.sites.filter((s) => s.site_id === node.siteId).map((s): CompanyNode => {
      const isActive = active?.connectionId === node.connectionId && active.siteId === s.site_id && active.companyId === s.company_id;
      return {
        kind: 'company',
        id: `${node.id}/co/${s.company_id}`,
        label: s.company_name,
        description: isActive ? '● active' : undefined,
        tooltip: `Company ${s.company_name} (X-Company: ${s.company_id})${isActive ? '\nActive: requests go here' : ''}`,
        scope: {
          connectionId: node.connectionId, siteId: s.site_id, siteName: s.site_name,
          companyId: s.company_id, companyName: s.company_name, edition,
        },
        active: isActive,
      };
    });
  }

  private companyChildren(node: CompanyNode): ExplorerNode[] {
    const modules: ExplorerNode[] = [];
    for (const module of MODULE_ORDER) {
      const entities = this.entitiesOf(node.scope, module);
      if (entities.length === 0) continue;
      modules.push({
        kind: 'module',
        id: `${node.id}/m/${module}`,
        label: MODULE_TITLES[module],
        description: String(entities.length),
        tooltip: `${MODULE_TITLES[module]}: ${entities.length} entit${entities.length === 1 ? 'y' : 'ies'}`,
        scope: node.scope,
        module,
      } satisfies ModuleNode);
    }
    if (modules.length === 0) {
      return [message(`${node.id}/nomatch`, `No entities match "${this.filterText}"`, { action: 'clearFilter' })];
    }
    return modules;
  }

  private moduleChildren(node: ModuleNode): ExplorerNode[] {
    const entities = this.entitiesOf(node.scope, node.module);
    const plain = entities.filter((op) => groupOf(op) === undefined).map((op) => this.entityNode(node.id, node.scope, op));
    const groups: GroupNode[] = [];
    for (const group of ['views', 'lookups'] as const) {
      const n = entities.filter((op) => groupOf(op) === group).length;
      if (n === 0) continue;
      groups.push({
        kind: 'group',
        id: `${node.id}/g/${group}`,
        label: group === 'views' ? 'Views' : 'Lookups',
        description: String(n),
        tooltip: group === 'views' ? 'Read-only, flattened views (*_views)' : 'Lookup lists (lookup_*)',
        scope: node.scope,
        module: node.module,
        group,
      });
    }
    const children: ExplorerNode[] = [...plain, ...groups];
    return children.length ? children : [message(`${node.id}/empty`, 'No entities')];
  }

  private groupChildren(node: GroupNode): ExplorerNode[] {
    const ops = this.entitiesOf(node.scope, node.module).filter((op) => groupOf(op) === node.group);
    return ops.map((op) => this.entityNode(node.id.replace(/\/g\/[a-z]+$/, ''), node.scope, op));
  }

  /** The GET collections of a module that this edition has and that match the filter, sorted by name. */
  entitiesOf(scope: Pick<Scope, 'edition'>, module: ModuleId): Operation[] {
    const words = this.filterText.toLowerCase().split(/\s+/).filter(Boolean);
    return this.catalog().entities({ module, edition: scope.edition })
      .filter((op) => {
        const name = entityName(op.path).toLowerCase();
        return words.every((w) => name.includes(w) || name.replace(/_/g, ' ').includes(w));
      })
      .sort((a, b) => entityName(a.path).localeCompare(entityName(b.path)));
  }

  private entityNode(parentId: string, scope: Scope, op: Operation): EntityNode {
    const name = entityName(op.path);
    const count = this.counts.get(countKey(scope, op.path));
    const id = `${parentId}/e${op.path}`;
    const recordFilter = this.records.filterOf(id);
    const tooltip = [
      `${op.verbs.join(', ')} ${op.path}`,
      op.schema ? `Schema: ${op.schema}` : undefined,
      op.professionalOnly ? 'Sage 200 Professional only' : undefined,
      count !== undefined ? `${count} records in ${scope.companyName}` : undefined,
    ].filter(Boolean).join('\n');
    return {
      kind: 'entity',
      id,
      label: name,
      // The verbs are in the tooltip; the description stays free for the count the user asked for.
      ...(count !== undefined || recordFilter ? {
        description: [count !== undefined ? `${count} records` : undefined, recordFilter ? `filter: ${recordFilter}` : undefined].filter(Boolean).join(' · '),
      } : {}),
      tooltip,
      scope,
      module: op.module,
      path: op.path,
      name,
      verbs: op.verbs,
      ...(op.schema ? { schema: op.schema } : {}),
      professionalOnly: op.professionalOnly,
      ...(count !== undefined ? { count } : {}),
      ...(recordFilter ? { recordFilter } : {}),
    };
  }
}

export function entityName(path: string): string {
  return path.replace(/^\//, '');
}

export function groupOf(op: Pick<Operation, 'path'>): EntityGroup | undefined {
  const name = entityName(op.path);
  if (name.startsWith('lookup_')) return 'lookups';
  if (name.endsWith('_views')) return 'views';
  return undefined;
}

/**
 * Standard connections lack the Professional-only entities. A custom (LAN) base URL is the
 * on-premise Professional product unless the connection says which edition it emulates.
 */
export function apiEditionOf(c: ConnectionConfig): 'standard' | 'professional' {
  if (c.edition === 'custom') return c.apiEdition ?? 'professional';
  return c.edition;
}

/** The API a connection speaks: Standard or Professional (a custom connection's emulated one). */
function apiEditionLabel(c: ConnectionConfig): string {
  return apiEditionOf(c) === 'standard' ? 'Standard' : 'Professional';
}

function editionLabel(c: ConnectionConfig): string {
  if (c.edition === 'standard') return 'Standard';
  if (c.edition === 'professional') return 'Professional';
  return c.apiEdition ? `Custom (${c.apiEdition === 'standard' ? 'Standard' : 'Professional'})` : 'Custom';
}

function countKey(scope: Scope, path: string): string {
  return `${scope.connectionId}|${scope.siteId}|${scope.companyId}|${path}`;
}

function message(id: string, label: string, extra: Partial<Pick<MessageNode, 'action' | 'connectionId'>> = {}): MessageNode {
  return { kind: 'message', id, label, ...extra };
}
