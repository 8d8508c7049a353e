import type { ModuleId, Verb } from '../catalog/types';
import type { ConnectionConfig } from '../connections/types';

/**
 * The explorer tree as plain data. The VS Code provider turns each kind into a TreeItem; everything
 * that decides what the tree shows lives here, so that it is unit-tested without the editor.
 */
export type ExplorerNode =
  | ConnectionNode
  | SiteNode
  | CompanyNode
  | ModuleNode
  | GroupNode
  | EntityNode
  | CollectionNode
  | RecordNode
  | PageNode
  | ErrorNode
  | MessageNode;

interface NodeBase {
  /** Stable across refreshes, so that the editor keeps expansion and selection. */
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
}

/** Where entity requests go: the connection plus the site and company of the branch. */
export interface Scope {
  readonly connectionId: string;
  readonly siteId: string;
  readonly siteName: string;
  readonly companyId: number;
  readonly companyName: string;
  /** The API edition whose entities are shown (custom connections say which one they emulate). */
  readonly edition: 'standard' | 'professional';
}

export interface ConnectionNode extends NodeBase {
  readonly kind: 'connection';
  readonly connection: ConnectionConfig;
  readonly signedIn: boolean;
  /** Holds the active selection. */
  readonly active: boolean;
}

export interface SiteNode extends NodeBase {
  readonly kind: 'site';
  readonly connectionId: string;
  readonly siteId: string;
  readonly siteName: string;
  /** The active company is in this site. */
  readonly active: boolean;
}

export interface CompanyNode extends NodeBase {
  readonly kind: 'company';
  readonly scope: Scope;
  readonly active: boolean;
}

export interface ModuleNode extends NodeBase {
  readonly kind: 'module';
  readonly scope: Scope;
  readonly module: ModuleId;
}

/** `*_views` and `lookup_*` entities sit in their own folder inside a module. */
export interface GroupNode extends NodeBase {
  readonly kind: 'group';
  readonly scope: Scope;
  readonly module: ModuleId;
  readonly group: EntityGroup;
}

export type EntityGroup = 'views' | 'lookups';

export interface EntityNode extends NodeBase {
  readonly kind: 'entity';
  readonly scope: Scope;
  readonly module: ModuleId;
  /** `/customers` */
  readonly path: string;
  /** `customers` */
  readonly name: string;
  readonly verbs: readonly Verb[];
  readonly schema?: string;
  readonly professionalOnly: boolean;
  /** Last `$count=true` answer, when one was asked for. */
  readonly count?: number;
  /** The `$filter` its records are shown with, when the user set one. */
  readonly recordFilter?: string;
}

/** A node whose children are records read page by page: an entity or a collection below a record. */
export type RecordListNode = EntityNode | CollectionNode;

/** A collection below a record (`/customers/12/customer_contacts`), or a list embedded in it. */
export interface CollectionNode extends NodeBase {
  readonly kind: 'collection';
  readonly scope: Scope;
  /** With the parent's ids filled in: `/customers/12/customer_contacts`. */
  readonly path: string;
  /** As the catalog writes it: `/customers/{customerId}/customer_contacts`. */
  readonly template: string;
  /** `customer_contacts` */
  readonly name: string;
  readonly verbs: readonly Verb[];
  readonly schema?: string;
  readonly recordFilter?: string;
  /**
   * Children that no collection lists, read from the parent record's array field (`path` is then
   * the parent's item path); each has its own item path.
   */
  readonly embedded?: { readonly field: string; readonly itemTemplate: string };
  /** Read from this top-level collection: `path` (`/warehouses/3/products`) has no GET of its own. */
  readonly source?: string;
}

/** One record of a list, or a record addressed by its parent's id (a product's sales figures). */
export interface RecordNode extends NodeBase {
  readonly kind: 'record';
  readonly scope: Scope;
  /** The record's `id`, as text; undefined for rows without one (some views). */
  readonly recordId?: string;
  /** The schema of the record. */
  readonly schema?: string;
  /** `customers`: what the record is, for titles and confirmations. */
  readonly entity: string;
  /** The node id of the list that shows it: read again after a change. */
  readonly listId: string;
  /** The list it was read from, with ids filled in, and as the catalog writes it. */
  readonly listPath: string;
  readonly listTemplate: string;
  /** The GET path of this one record, when the catalog has one: `/customers/12`. */
  readonly itemPath?: string;
  readonly itemTemplate?: string;
  /** What the item path allows (PUT, DELETE…); empty without an item path. */
  readonly verbs: readonly Verb[];
  /** True when it has collections below it. */
  readonly expandable: boolean;
  /** Values of fields that lead to other paths (`traceable_item_id`). */
  readonly values?: Readonly<Record<string, unknown>>;
}

/** "Load more…" after the records of a list, or "Earlier records…" before them once the first pages were released. */
export interface PageNode extends NodeBase {
  readonly kind: 'page';
  /** The id of the list node. */
  readonly listId: string;
  readonly direction: 'next' | 'previous';
}

/** What failed, so that the provider can offer the fitting action (sign in again, retry). */
export type ErrorKind = 'unauthorized' | 'forbidden' | 'notFound' | 'network' | 'server' | 'other';

export interface ErrorNode extends NodeBase {
  readonly kind: 'error';
  readonly errorKind: ErrorKind;
  readonly message: string;
  /** The connection whose branch failed: retry re-reads its sites. */
  readonly connectionId: string;
  /** The list whose records failed to load: retry reads that list again (and not the sites). */
  readonly listId?: string;
}

/** A leaf that explains an empty branch (no sites, signed out, nothing matches the filter). */
export interface MessageNode extends NodeBase {
  readonly kind: 'message';
  /** `signIn` offers signing in to `connectionId`; `clearFilter` offers clearing the filter. */
  readonly action?: 'signIn' | 'clearFilter';
  readonly connectionId?: string;
}
