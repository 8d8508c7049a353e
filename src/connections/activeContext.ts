import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import { ActiveSelection, SiteCompany } from '../core/connections/types';
import { SANDBOX_CONNECTION_ID, type ConnectionManager } from './connectionManager';

const ACTIVE_KEY = 'sage200.activeConnection';
const selectionKey = (connectionId: string): string => `sage200.selection.${connectionId}`;

type StoredChoice = Omit<ActiveSelection, 'connectionId'>;

/** A site as the caller has it: a GUID, or a row of GET /sites. */
export type SiteArg = string | Pick<SiteCompany, 'site_id'> & Partial<Pick<SiteCompany, 'site_name'>>;
/** A company as the caller has it: an id, or a row of GET /sites. */
export type CompanyArg = number | Pick<SiteCompany, 'company_id'> & Partial<Pick<SiteCompany, 'company_name'>>;

/**
 * The one active working context (connection, site, company) that the explorer, the status bar and
 * request files all read. Each connection remembers its own site and company in workspace state,
 * so switching back to a connection restores its last choice.
 */
export class ActiveContext extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<ActiveSelection | undefined>());
  readonly onDidChange = this.changed.event;
  private current: ActiveSelection | undefined;
  /**
   * The connection that was active when it went away (sandbox stopped, removed from settings).
   * While it is set, no other connection is chosen for the user, not even the only one left.
   */
  private lost: { readonly connectionId: string; readonly name: string } | undefined;
  private names = new Map<string, string>();

  constructor(
    private readonly state: vscode.Memento,
    private readonly connections: ConnectionManager,
  ) {
    super();
    const id = state.get<string>(ACTIVE_KEY);
    if (id) this.current = { connectionId: id, ...(state.get<StoredChoice>(selectionKey(id)) ?? {}) };
    // Last session's connection is not here (the sandbox is not running yet): wait for it.
    if (id && !connections.get(id)) this.lost = { connectionId: id, name: id === SANDBOX_CONNECTION_ID ? vscode.l10n.t('Demo sandbox') : id };
    this.current = this.validated();
    this.names = new Map(connections.list().map((c) => [c.id, c.name]));
    this._register(connections.onDidChange(() => this.connectionsChanged()));
  }

  /**
   * A connection that disappears is no longer active, and the user is told rather than moved to
   * another one: requests must never go to a connection the user did not choose. When the same
   * connection comes back (the sandbox restarted), it is active again.
   */
  private connectionsChanged(): void {
    const before = this.current;
    if (before && !this.connections.get(before.connectionId)) {
      this.lost = { connectionId: before.connectionId, name: this.names.get(before.connectionId) ?? before.connectionId };
      this.current = undefined;
    } else if (!before && this.lost && this.connections.get(this.lost.connectionId)) {
      this.current = this.remembered(this.lost.connectionId);
      this.lost = undefined;
    }
    this.names = new Map(this.connections.list().map((c) => [c.id, c.name]));
    this.current = this.validated();
    if (before !== this.current) this.changed.fire(this.current);
  }

  /** Why nothing is active, when the active connection went away: words for the status bar and Send. */
  get lostReason(): string | undefined {
    if (!this.lost) return undefined;
    return this.lost.connectionId === SANDBOX_CONNECTION_ID
      ? vscode.l10n.t('{0} stopped', this.lost.name)
      : vscode.l10n.t('{0} is no longer configured', this.lost.name);
  }

  get selection(): ActiveSelection | undefined {
    return this.validated();
  }

  private validated(): ActiveSelection | undefined {
    if (this.current && !this.connections.get(this.current.connectionId)) return undefined;
    if (!this.current && !this.lost && this.connections.list().length === 1) {
      // A single connection is the obvious choice; restore what it remembered.
      const only = this.connections.list()[0];
      return { connectionId: only.id, ...(this.state.get<StoredChoice>(selectionKey(only.id)) ?? {}) };
    }
    return this.current;
  }

  /** What a connection last had selected (its site and company), without making it active. */
  remembered(connectionId: string): ActiveSelection {
    return { connectionId, ...(this.state.get<StoredChoice>(selectionKey(connectionId)) ?? {}) };
  }

  /**
   * Makes a connection active. With a site and company, they become its choice; without them, the
   * connection's remembered choice comes back.
   */
  async select(connectionId: string, site?: SiteArg, company?: CompanyArg): Promise<void> {
    let choice: StoredChoice;
    if (site === undefined && company === undefined) {
      choice = this.state.get<StoredChoice>(selectionKey(connectionId)) ?? {};
    } else {
      const prev = this.state.get<StoredChoice>(selectionKey(connectionId)) ?? {};
      const siteId = site === undefined ? prev.siteId : typeof site === 'string' ? site : site.site_id;
      const siteName = site === undefined ? prev.siteName : typeof site === 'string' ? (site === prev.siteId ? prev.siteName : undefined) : site.site_name;
      const companyId = company === undefined ? (siteId === prev.siteId ? prev.companyId : undefined) : typeof company === 'number' ? company : company.company_id;
      const companyName =
        company === undefined ? (siteId === prev.siteId ? prev.companyName : undefined) : typeof company === 'number' ? (company === prev.companyId ? prev.companyName : undefined) : company.company_name;
      choice = { siteId, siteName, companyId, companyName };
      choice = Object.fromEntries(Object.entries(choice).filter(([, v]) => v !== undefined)) as StoredChoice;
      await this.state.update(selectionKey(connectionId), choice);
    }
    await this.state.update(ACTIVE_KEY, connectionId);
    this.current = { connectionId, ...choice };
    this.lost = undefined;
    this.changed.fire(this.current);
  }

  /** Forgets a connection's choice (sign-out, removal). */
  async forget(connectionId: string): Promise<void> {
    await this.state.update(selectionKey(connectionId), undefined);
    if (this.current?.connectionId === connectionId) {
      this.current = { connectionId };
      this.changed.fire(this.current);
    }
  }
}
