import * as assert from 'assert';
import { HeldList, affectedLists, writtenSegments } from '../../../src/core/explorer';
import type { AnsweredRequest } from '../../../src/core/http/types';

const scope = { connectionId: 'c1', siteId: 's1', companyId: 7 };
const lists: HeldList[] = [
  { id: 'customers', scope, path: '/customers', itemCollection: 'customers' },
  { id: 'customers-other-company', scope: { ...scope, companyId: 8 }, path: '/customers', itemCollection: 'customers' },
  { id: 'customers-other-site', scope: { ...scope, siteId: 's2' }, path: '/customers', itemCollection: 'customers' },
  { id: 'customers-other-connection', scope: { ...scope, connectionId: 'c2' }, path: '/customers', itemCollection: 'customers' },
  { id: 'suppliers', scope, path: '/suppliers', itemCollection: 'suppliers' },
  { id: 'contacts-1269', scope, path: '/customers/1269/customer_contacts', itemCollection: 'customer_contacts' },
  { id: 'contacts-1300', scope, path: '/customers/1300/customer_contacts', itemCollection: 'customer_contacts' },
  { id: 'contacts', scope, path: '/customer_contacts', itemCollection: 'customer_contacts' },
  { id: 'bank-transactions', scope, path: '/banks/3/bank_posted_transactions', itemCollection: 'bank_posted_transactions' },
  { id: 'customer-views', scope, path: '/customer_views' },
  { id: 'warehouse-products', scope, path: '/warehouses/4/products', source: '/products', itemCollection: 'products' },
  { id: 'count-sheet', scope, path: '/stocktakes/9', itemCollection: 'stocktake_count_sheet_items' },
];

function affected(method: string, url: string, extra: Partial<AnsweredRequest> = {}): string[] {
  return affectedLists({ method, url, status: 200, connectionId: 'c1', site: 's1', company: '7', ...extra }, lists);
}

describe('explorer: lists a write makes stale', () => {
  it('a PUT or DELETE of a record re-reads the lists of its collection in the same connection, site and company', () => {
    assert.deepStrictEqual(affected('PUT', '/customers/1269'), ['customers']);
    assert.deepStrictEqual(affected('delete', '/customers/1269?x=1'), ['customers']);
    assert.deepStrictEqual(affected('PUT', '/suppliers/5'), ['suppliers']);
  });

  it('a POST to a collection re-reads its lists', () => {
    assert.deepStrictEqual(affected('POST', '/customers'), ['customers']);
    assert.deepStrictEqual(affected('POST', 'customers/'), ['customers']);
  });

  it('a nested path re-reads the lists of its collection under the same parent and at the top', () => {
    assert.deepStrictEqual(affected('POST', '/customers/1269/customer_contacts'), ['contacts-1269', 'contacts']);
    assert.deepStrictEqual(affected('PUT', '/customers/1269/customer_contacts/5'), ['contacts-1269', 'contacts']);
    // Without its parent, the contact may be in any customer's list.
    assert.deepStrictEqual(affected('PUT', '/customer_contacts/5'), ['contacts-1269', 'contacts-1300', 'contacts']);
  });

  it('re-reads lists whose records live in the written collection, and a list embedded in the written record', () => {
    assert.deepStrictEqual(affected('PUT', '/bank_posted_transactions/11'), ['bank-transactions']);
    assert.deepStrictEqual(affected('PUT', '/products/2'), ['warehouse-products']);
    assert.deepStrictEqual(affected('PUT', '/stocktakes/9'), ['count-sheet']);
    assert.deepStrictEqual(affected('PUT', '/stocktake_count_sheet_items/40'), ['count-sheet']);
  });

  it('nothing for reads, failed writes, other companies, sites or connections, and unknown scopes', () => {
    assert.deepStrictEqual(affected('GET', '/customers/1269'), []);
    assert.deepStrictEqual(affected('PUT', '/customers/1269', { status: 400 }), []);
    assert.deepStrictEqual(affected('PUT', '/customers/1269', { status: 302 }), []);
    assert.deepStrictEqual(affected('PUT', '/customers/1269', { company: '8' }), ['customers-other-company']);
    assert.deepStrictEqual(affected('PUT', '/customers/1269', { site: 's2' }), ['customers-other-site']);
    assert.deepStrictEqual(affected('PUT', '/customers/1269', { connectionId: 'c2' }), ['customers-other-connection']);
    assert.deepStrictEqual(affected('PUT', '/customers/1269', { company: undefined }), []);
    assert.deepStrictEqual(affected('PUT', '/customers/1269', { connectionId: undefined }), []);
    assert.deepStrictEqual(affected('PUT', '/'), []);
  });

  it('reads an absolute URL relative to the base URL, and ignores one outside the API', () => {
    const baseUrl = 'https://api.example.com/sage200/accounts/v1';
    assert.deepStrictEqual(writtenSegments('https://api.example.com/sage200/accounts/v1/customers/12?$select=id', baseUrl), ['customers', '12']);
    assert.deepStrictEqual(writtenSegments('/sage200/accounts/v1/customers/12', baseUrl), ['customers', '12']);
    assert.deepStrictEqual(writtenSegments('/customers/a%20b', baseUrl), ['customers', 'a b']);
    assert.strictEqual(writtenSegments('https://elsewhere.example.com/customers/12', baseUrl), undefined);
    assert.strictEqual(writtenSegments('https://api.example.com/customers/12'), undefined);
    assert.deepStrictEqual(affected('PUT', 'https://api.example.com/sage200/accounts/v1/customers/12', { baseUrl }), ['customers']);
    assert.deepStrictEqual(affected('PUT', 'https://elsewhere.example.com/sage200/accounts/v1/customers/12', { baseUrl }), []);
  });
});
