import * as assert from 'assert';
import fc from 'fast-check';
import { readPaging, SAGE_DEFAULT_TOP, SAGE_MAX_TOP, setPaging, validateQuery, parseQueryString, withoutPaging } from '../../../src/core/odata';
import { pagePosition as pageInfo, pageTarget } from '../../../src/core/odata/paging';
import { fetchAll, planPages } from '../../../src/core/http/paging';
import { countUrl, firstPageUrl } from '../../../src/core/explorer';
import { Sage200Client, TokenSource } from '../../../src/core/http/client';
import { demoCompanies, RunningSandbox, startSandbox } from '../../../src/core/sandbox';
import { loadCatalog } from '../../../src/core/catalog';

/** Query parts as people and tools write them: paging options in any case or encoding, blanks, junk. */
const part = fc.oneof(
  fc.constantFrom('$filter=name%20eq%20%27A%26B%27', '$select=id,name', 'x=1', 'flag', '$expand=contacts', 'a=%ZZ'),
  fc.tuple(fc.constantFrom('$top', '$TOP', '%24top', '$skip', '$Skip', '%24skip'), fc.constantFrom('0', '7', '12000', 'abc', '', '12abc', '-3', '1e3')).map(([k, v]) => `${k}=${v}`),
  fc.tuple(fc.constantFrom('$orderby', '$OrderBy', '%24orderby'), fc.constantFrom('', '%20', 'name%20desc', 'id')).map(([k, v]) => `${k}=${v}`),
);
const url = fc.tuple(fc.constantFrom('/customers', 'https://h/api/customers'), fc.array(part, { maxLength: 6 }), fc.constantFrom('', '#frag'))
  .map(([base, parts, hash]) => `${base}${parts.length ? `?${parts.join('&')}` : ''}${hash}`);

describe('paging options in a query string (one owner: src/core/odata/paging)', () => {
  it('the viewer, fetch-all and the explorer agree on what a URL asks for (property)', () => {
    fc.assert(fc.property(url, (u) => {
      const asked = readPaging(u);
      const info = pageInfo(u);
      const plan = planPages(u);
      // One reading of $orderby: a blank one is no order, for Next page and for Export All alike.
      assert.strictEqual(info.hasOrderby, !plan.addedOrderBy, u);
      assert.strictEqual(info.hasOrderby, asked.orderby !== undefined, u);
      // A page URL carries one $top that is a number (fetch-all's within Sage's maximum; the viewer
      // keeps the user's own), and an $orderby.
      for (const next of [plan.pageUrl(0)?.url, pageTarget(u, 'next')?.url]) {
        if (!next) continue;
        const top = readPaging(next).top;
        assert.ok(top !== undefined && top >= 1, `${u} -> ${next}`);
        if (next === plan.pageUrl(0)?.url) assert.ok(top <= SAGE_MAX_TOP, `${u} -> ${next}`);
        assert.ok(readPaging(next).orderby, `${u} -> ${next} has an $orderby`);
        assert.strictEqual(next.match(/(^|[?&])(\$|%24)top=/gi)?.length, 1, `one $top in ${next}`);
      }
    }), { numRuns: 2000 });
  });

  it('setPaging changes only $top, $skip and a missing $orderby, keeping every other option as written', () => {
    fc.assert(fc.property(url, fc.nat(SAGE_MAX_TOP), fc.option(fc.nat(100000), { nil: undefined }), (u, top, skip) => {
      const { url: out, orderbyAdded } = setPaging(u, { top, ...(skip !== undefined ? { skip } : {}) });
      assert.deepStrictEqual(readPaging(out), { top, ...(skip !== undefined ? { skip } : {}), orderby: orderbyAdded ? 'id asc' : readPaging(u).orderby });
      const others = (s: string) => (s.split('#')[0].split('?')[1] ?? '').split('&').filter((p) => p && !/^(\$|%24)(top|skip|orderby)=/i.test(p));
      assert.deepStrictEqual(others(out), others(u));
      assert.strictEqual(out.split('#')[1], u.split('#')[1]);
    }), { numRuns: 1000 });
  });

  it('fetch-all neither sends $top=NaN nor keeps a blank $orderby', () => {
    assert.strictEqual(planPages('/customers?$top=abc').pageUrl(0)?.url, '/customers?$orderby=id%20asc&$top=5000&$skip=0');
    const blank = planPages('/customers?$orderby=&$top=3');
    assert.ok(blank.addedOrderBy);
    assert.strictEqual(blank.pageUrl(0)?.url, '/customers?$orderby=id%20asc&$top=3&$skip=0');
  });

  it('the explorer adds options to a path that already has a query', () => {
    assert.strictEqual(countUrl('/customers'), '/customers?$count=true');
    assert.strictEqual(countUrl('/customers?$filter=balance%20gt%200&$count=false'), '/customers?$filter=balance%20gt%200&$count=true');
    assert.strictEqual(firstPageUrl('/customers'), `/customers?$top=${SAGE_DEFAULT_TOP}`);
  });

  it('Sage\'s $top limits are one constant: the validator, fetch-all and the sandbox use it', async function () {
    this.timeout(60_000);
    const over = `$top=${SAGE_MAX_TOP + 1}`;
    const diags = validateQuery(parseQueryString(over), { catalog: loadCatalog(), schema: 'customer' });
    assert.ok(diags.some((d) => d.message.includes(`maximum of ${SAGE_MAX_TOP}`)), JSON.stringify(diags.map((d) => d.message)));
    assert.strictEqual(planPages('/customers', 1e9).pageUrl(0)?.top, SAGE_MAX_TOP);
    const sandbox: RunningSandbox = await startSandbox({ scale: 1 });
    const token = sandbox.mintToken().access_token;
    const tokens: TokenSource = { getAccessToken: async () => token, refreshAfterUnauthorized: async () => undefined };
    const client = new Sage200Client({ baseUrl: sandbox.professionalBaseUrl, tokens });
    const company = demoCompanies(200)[0];
    const opts = { site: company.siteId, company: company.companyId };
    try {
      const tooMany = await client.send({ method: 'GET', url: `/customers?${over}` }, opts);
      assert.strictEqual(tooMany.status, 400);
      const noTop = await client.send({ method: 'GET', url: '/customers?$select=id' }, opts);
      const all = await client.send({ method: 'GET', url: '/customers?$count=true' }, opts);
      const total = Number(typeof all.json === 'number' ? all.json : (all.json as Record<string, unknown>)['@odata.count']);
      assert.strictEqual((noTop.json as unknown[]).length, Math.min(total, SAGE_DEFAULT_TOP));
      // A blank $orderby is no order: fetch-all adds one, and the sandbox (like Sage) then accepts $skip.
      let records = 0;
      const result = await fetchAll(client, '/customers?$orderby=&$select=id', { ...opts, pageSize: 100, onPage: (r) => { records += r.length; } });
      assert.ok(result.addedOrderBy);
      assert.strictEqual(records, total);
    } finally {
      client.dispose();
      await sandbox.close();
    }
  });
});

describe('withoutPaging', () => {
  it('drops $top and $skip however written, and keeps every other option as written', () => {
    assert.strictEqual(withoutPaging('/customers?$top=5&$filter=a%20eq%201&%24skip=10&$orderby=id'), '/customers?$filter=a%20eq%201&$orderby=id');
    assert.strictEqual(withoutPaging('/customers?$TOP=5'), '/customers');
    assert.strictEqual(withoutPaging('/customers'), '/customers');
  });

  it('agrees with readPaging: what it leaves has no paging, and the rest reads the same', () => {
    fc.assert(fc.property(fc.array(part, { maxLength: 8 }), (parts) => {
      const url = `/customers?${parts.join('&')}`;
      const left = readPaging(withoutPaging(url));
      assert.strictEqual(left.top, undefined);
      assert.strictEqual(left.skip, undefined);
      assert.strictEqual(left.orderby, readPaging(url).orderby);
    }));
  });
});
