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
}

/** What failed, so that the provider can offer the fitting action (sign in again, retry). */
export type ErrorKind = 'unauthorized' | 'forbidden' | 'network' | 'server' | 'other';

export interface ErrorNode extends NodeBase {
  readonly kind: 'error';
  readonly errorKind: ErrorKind;
  readonly message: string;
  /** The connection whose branch failed: retry re-reads its sites. */
  readonly connectionId: string;
}

/** A leaf that explains an empty branch (no sites, signed out, nothing matches the filter). */
export interface MessageNode extends NodeBase {
  readonly kind: 'message';
  /** `signIn` offers signing in to `connectionId`; `clearFilter` offers clearing the filter. */
  readonly action?: 'signIn' | 'clearFilter';
  readonly connectionId?: string;
}
