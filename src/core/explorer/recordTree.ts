import type { CatalogSource } from '../catalog/catalog';
import type { Edition } from '../catalog/types';
import { HttpStatusError } from '../http/client';
import type { HttpResponse } from '../http/types';
import { setPaging, withQueryOption } from '../odata/paging';
import { describeFailure, describeResponse } from './errors';
import type { CollectionNode, ErrorNode, ExplorerNode, PageNode, RecordListNode, RecordNode, Scope } from './nodes';
import { RecordPaths, RecordShape, recordLabel, recordShape, templateKey } from './records';
import type { HeldList } from './writes';

/** Sends one GET to a connection, in a site and company; the VS Code side goes through its API gate. */
export type RecordGetter = (scope: Scope, url: string) => Promise<HttpResponse>;

/** Records a page of a list asks for. */
export const RECORD_PAGE_SIZE = 50;
/**
 * Pages a list holds at most. Reading on drops the first held page (an "Earlier records…" node
 * reads it again), so a list holds at most 200 small records however far the user pages: the
 * window is four screens of a side bar, enough to scroll back a little without a request.
 */
export const MAX_HELD_PAGES = 4;
/** Lists remembered at most; the least recently read is forgotten and read again when expanded. */
export const MAX_HELD_LISTS = 40;

type Rec = Readonly<Record<string, unknown>>;

interface ListState {
  readonly node: RecordListNode;
  /** `$skip` of the first held page. */
  start: number;
  pages: Rec[][];
  /** The last held page was short: there is nothing after it. */
  done: boolean;
  error?: unknown;
  loading?: Promise<void>;
}

/**
 * The records part of the explorer tree: lists read page by page (with a window that bounds what is
 * held), records, and what a record leads to. Every failure becomes an error node with a retry.
 */
export class RecordTree {
  private readonly lists = new Map<string, ListState>();
  private readonly filters = new Map<string, string>();
  private readonly paths = new Map<Edition, RecordPaths>();

  constructor(private readonly catalog: CatalogSource, private readonly get: RecordGetter | undefined) {}

  pathsFor(edition: Edition): RecordPaths {
    let p = this.paths.get(edition);
    if (!p) {
      p = new RecordPaths(this.catalog(), edition);
      this.paths.set(edition, p);
    }
    return p;
  }

  /** The `$filter` set on a list (by its node id), if any. */
  filterOf(listId: string): string | undefined {
    return this.filters.get(listId);
  }

  /** Shows only the records matching `$filter` (empty clears it); the list is read again. */
  setFilter(listId: string, filter: string): void {
    const f = filter.trim();
    if (f) this.filters.set(listId, f);
    else this.filters.delete(listId);
    this.forget(listId);
  }

  /**
   * Forgets a list (and, unless `nested` is false, the lists below its records) so that the next
   * read asks again. Its filter stays.
   */
  forget(listId: string, nested = true): void {
    for (const id of [...this.lists.keys()]) if (id === listId || (nested && id.startsWith(`${listId}/`))) this.lists.delete(id);
  }

  /** The lists held now (read since they were last forgotten), for a write to say which are stale. */
  heldLists(): HeldList[] {
    return [...this.lists.values()].map(({ node }) => {
      const embedded = node.kind === 'collection' ? node.embedded : undefined;
      const template = node.kind === 'entity' ? node.path : node.template;
      const item = embedded ? embedded.itemTemplate : this.pathsFor(node.scope.edition).itemOf(template, node.schema)?.path;
      const itemCollection = item?.split('/').filter(Boolean).reverse().find((s) => !s.startsWith('{'));
      return {
        id: node.id, scope: node.scope, path: node.path,
        ...(node.kind === 'collection' && node.source ? { source: node.source } : {}),
        ...(itemCollection ? { itemCollection } : {}),
      };
    });
  }

  forgetAll(): void {
    this.lists.clear();
  }

  /** Records held by every list: bounded by MAX_HELD_LISTS × MAX_HELD_PAGES × RECORD_PAGE_SIZE. */
  heldRecords(): number {
    let n = 0;
    for (const s of this.lists.values()) for (const p of s.pages) n += p.length;
    return n;
  }

  async children(node: RecordListNode): Promise<ExplorerNode[]> {
    if (!this.get) return [];
    const state = await this.load(node);
    if (state.error !== undefined && state.pages.length === 0) return [this.errorNode(node, state.error)];
    const shape = recordShape(this.catalog(), node.schema);
    const out: ExplorerNode[] = [];
    if (state.start > 0) {
      out.push({ kind: 'page', id: `${node.id}/previous`, label: 'Earlier records…', listId: node.id, direction: 'previous', tooltip: `Records before ${state.start + 1}` } satisfies PageNode);
    }
    state.pages.forEach((page, p) => page.forEach((rec, i) => {
      out.push(this.recordNode(node, shape, rec, state.start + p * RECORD_PAGE_SIZE + i));
    }));
    // A page that failed after others keeps what was read: the error takes the place of "Load more…".
    if (state.error !== undefined) {
      out.push(this.errorNode(node, state.error));
    } else if (!state.done) {
      const next = state.start + state.pages.length * RECORD_PAGE_SIZE;
      out.push({ kind: 'page', id: `${node.id}/next`, label: 'Load more…', listId: node.id, direction: 'next', tooltip: `Records from ${next + 1}` } satisfies PageNode);
    }
    if (out.length === 0) {
      const f = this.filters.get(node.id);
      out.push({ kind: 'message', id: `${node.id}/none`, label: f ? `No records match ${f}` : 'No records' });
    }
    return out;
  }

  /** Reads the next page (dropping the first held one past the window) or the page before the window. */
  async page(page: PageNode): Promise<void> {
    const state = this.lists.get(page.listId);
    if (!state || state.loading) return state?.loading;
    const task = (async () => {
      try {
        if (page.direction === 'next') {
          const skip = state.start + state.pages.length * RECORD_PAGE_SIZE;
          const recs = await this.readPage(state.node, skip);
          state.pages.push(recs);
          state.done = recs.length < RECORD_PAGE_SIZE;
          if (state.pages.length > MAX_HELD_PAGES) {
            state.pages.shift();
            state.start += RECORD_PAGE_SIZE;
          }
        } else if (state.start > 0) {
          const skip = Math.max(0, state.start - RECORD_PAGE_SIZE);
          const recs = await this.readPage(state.node, skip);
          state.pages.unshift(recs);
          state.start = skip;
          if (state.pages.length > MAX_HELD_PAGES) {
            state.pages.pop();
            state.done = false;
          }
        }
        delete state.error;
      } catch (err) {
        state.error = err;
      } finally {
        delete state.loading;
      }
    })();
    state.loading = task;
    return task;
  }

  /** What a record leads to: its collections, records keyed by its id, lists embedded in it. */
  recordChildren(node: RecordNode): ExplorerNode[] {
    const paths = this.pathsFor(node.scope.edition);
    return paths.childrenOf(node.listTemplate, node.listPath, node.schema, node.recordId, node.values).map((c): ExplorerNode => {
      const id = `${node.id}/${c.kind === 'related' ? 'i' : 'n'}/${c.name}`;
      if (c.kind === 'related') {
        return {
          kind: 'record', id, label: c.name, tooltip: `GET ${c.path}`, scope: node.scope, recordId: node.recordId,
          ...(c.schema ? { schema: c.schema } : {}), entity: c.name, listId: node.listId, listPath: c.path, listTemplate: c.template,
          itemPath: c.path, itemTemplate: c.template, verbs: c.verbs, expandable: false,
        } satisfies RecordNode;
      }
      return {
        kind: 'collection', id, label: c.name, tooltip: `GET ${c.source ?? c.path}${c.field ? ` (${c.field})` : ''}`,
        scope: node.scope, path: c.path, template: c.template, name: c.name, verbs: c.verbs,
        ...(c.source ? { source: c.source } : {}),
        ...(c.schema ? { schema: c.schema } : {}),
        ...(this.filters.has(id) ? { recordFilter: this.filters.get(id)!, description: `filter: ${this.filters.get(id)!}` } : {}),
        ...(c.field && c.itemTemplate ? { embedded: { field: c.field, itemTemplate: c.itemTemplate } } : {}),
      } satisfies CollectionNode;
    });
  }

  private recordNode(list: RecordListNode, shape: RecordShape, rec: Rec, index: number): RecordNode {
    const paths = this.pathsFor(list.scope.edition);
    const rawId = rec.id;
    const recordId = typeof rawId === 'number' || (typeof rawId === 'string' && rawId !== '') ? String(rawId) : undefined;
    const template = list.kind === 'entity' ? list.path : list.template;
    const embedded = list.kind === 'collection' ? list.embedded : undefined;
    const item = embedded ? paths.operation(embedded.itemTemplate) : paths.itemOf(template, list.schema);
    let itemPath: string | undefined;
    if (item && recordId !== undefined) {
      const seg = encodeURIComponent(recordId);
      // The list's own item path keeps the parent's ids; any other has the record's id as its one parameter.
      itemPath = !embedded && templateKey(item.path) === `${templateKey(template)}/{}` ? `${list.path}/${seg}` : item.path.replace(/\{[^}]+\}$/, seg);
    }
    const { label, description } = recordLabel(shape, rec, index);
    const listTemplate = embedded ? embedded.itemTemplate.replace(/\/\{[^}]+\}$/, '') : template;
    const listPath = embedded ? listTemplate : list.path;
    const values = pickFields(rec, paths.linkFields(list.schema));
    const expandable = paths.childrenOf(listTemplate, listPath, list.schema, recordId, values).length > 0;
    return {
      kind: 'record',
      // The record's id keeps its node across pages and reloads; rows without one fall back to their position.
      id: `${list.id}/r/${recordId ?? `#${index}`}`,
      label,
      ...(description ? { description } : {}),
      tooltip: itemPath ? `GET ${itemPath}` : label,
      scope: list.scope,
      ...(recordId !== undefined ? { recordId } : {}),
      ...(list.schema ? { schema: list.schema } : {}),
      entity: list.name,
      listId: list.id,
      listPath,
      listTemplate,
      ...(itemPath && item ? { itemPath, itemTemplate: item.path } : {}),
      verbs: itemPath && item ? item.verbs : [],
      expandable,
      ...(Object.keys(values).length ? { values } : {}),
    };
  }

  private errorNode(node: RecordListNode, err: unknown): ErrorNode {
    const f = describeFailure(err);
    return {
      kind: 'error', id: `${node.id}/error`, label: f.message, message: f.message, errorKind: f.kind,
      tooltip: f.message, description: f.kind === 'unauthorized' ? 'sign in again' : 'retry',
      connectionId: node.scope.connectionId, listId: node.id,
    };
  }

  private async load(node: RecordListNode): Promise<ListState> {
    let state = this.lists.get(node.id);
    if (state) {
      // Most recently read last: the first entry is the one to forget.
      this.lists.delete(node.id);
      this.lists.set(node.id, state);
      await state.loading;
      return state;
    }
    state = { node, start: 0, pages: [], done: false };
    this.lists.set(node.id, state);
    while (this.lists.size > MAX_HELD_LISTS) this.lists.delete(this.lists.keys().next().value as string);
    const s = state;
    s.loading = (async () => {
      try {
        const recs = await this.readPage(node, 0);
        s.pages = [recs];
        s.done = node.kind === 'collection' && node.embedded !== undefined ? true : recs.length < RECORD_PAGE_SIZE;
      } catch (err) {
        s.error = err;
      } finally {
        delete s.loading;
      }
    })();
    await s.loading;
    return s;
  }

  /** The URL of one page: the label's fields only, in the key's order, with the user's filter. */
  pageUrl(node: RecordListNode, skip: number): string {
    const shape = recordShape(this.catalog(), node.schema);
    const select = shape.select.length ? [...new Set([...shape.select, ...this.pathsFor(node.scope.edition).linkFields(node.schema)])] : [];
    let url = node.kind === 'collection' && node.source ? node.source : node.path;
    if (select.length) url = withQueryOption(url, '$select', select.join(','));
    const filter = this.filters.get(node.id);
    if (filter) url = withQueryOption(url, '$filter', filter);
    if (shape.orderby) url = withQueryOption(url, '$orderby', shape.orderby);
    // A schema without fields has nothing to sort by: its first page is all that can be read.
    return shape.orderby || skip > 0 ? setPaging(url, { top: RECORD_PAGE_SIZE, ...(skip > 0 ? { skip } : {}) }).url : withQueryOption(url, '$top', String(RECORD_PAGE_SIZE));
  }

  private async readPage(node: RecordListNode, skip: number): Promise<Rec[]> {
    const embedded = node.kind === 'collection' ? node.embedded : undefined;
    const url = embedded ? withQueryOption(node.path, '$expand', embedded.field) : this.pageUrl(node, skip);
    const res = await this.get!(node.scope, url);
    if (describeResponse(res)) throw new HttpStatusError(res);
    const json = embedded ? (res.json as Record<string, unknown> | undefined)?.[embedded.field] : res.json;
    if (!Array.isArray(json)) throw new Error(`Expected a list of records from ${node.path}, but the answer was ${json === undefined ? 'not JSON' : typeof json}.`);
    const shape = recordShape(this.catalog(), node.schema);
    // Keep only what the label and the links need: the list is held while the user browses.
    const keep = embedded && shape.select.length ? [...shape.select, ...this.pathsFor(node.scope.edition).linkFields(node.schema)] : [];
    return (json as unknown[]).filter((r): r is Rec => typeof r === 'object' && r !== null).map((r) => keep.length ? pickFields(r, keep) : r);
  }
}

function pickFields(rec: Rec, names: readonly string[]): Rec {
  const out: Record<string, unknown> = {};
  for (const n of names) if (n in rec) out[n] = rec[n];
  return out;
}

