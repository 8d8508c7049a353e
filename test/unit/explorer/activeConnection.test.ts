import * as assert from 'assert';
import type { Scope } from '../../../src/core/explorer';
import type { ActiveSelection } from '../../../src/core/connections/types';
import { installConnectionsFakeVscode, ui } from '../connections/fakeVscode';

installConnectionsFakeVscode();
// After the stand-in is installed: the module imports 'vscode'.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { activateRecordConnection } = require('../../../src/explorer/actions') as typeof import('../../../src/explorer/actions');

const scope: Scope = { connectionId: 'test', siteId: 'site-t', siteName: 'Test Site', companyId: 2, companyName: 'Test Co', edition: 'professional' };
const names: Record<string, string> = { live: 'Live', test: 'Test copy' };

function deps(selection: ActiveSelection | undefined) {
  const selected: unknown[][] = [];
  return {
    selected,
    activeContext: { selection, select: async (...args: unknown[]) => void selected.push(args) },
    connection: (id: string) => (names[id] ? { id, name: names[id], edition: 'professional' as const, clientId: 'c' } : undefined),
  };
}

describe('explorer: a record request is added only where Send will send it', () => {
  beforeEach(() => {
    ui.shown = [];
    ui.answer = () => undefined;
  });

  it('goes ahead without asking when the record is on the active connection, or none is active', async () => {
    for (const selection of [{ connectionId: 'test' }, undefined]) {
      const d = deps(selection);
      assert.strictEqual(await activateRecordConnection(d, scope), true);
      assert.deepStrictEqual([ui.shown, d.selected], [[], []]);
    }
  });

  it('asks when another connection is active; declining adds nothing and changes nothing', async () => {
    const d = deps({ connectionId: 'live', siteId: 'site-l', companyId: 2 });
    assert.strictEqual(await activateRecordConnection(d, scope), false);
    assert.strictEqual(ui.shown.length, 1);
    assert.match(ui.shown[0].message, /sent to the active connection, "Live"\. This record is on "Test copy", company Test Co/);
    assert.deepStrictEqual(ui.shown[0].items, ['Make "Test copy" Active']);
    assert.deepStrictEqual(d.selected, []);
  });

  it('makes the record\'s connection, site and company active when the user agrees', async () => {
    const d = deps({ connectionId: 'live' });
    ui.answer = (s) => s.items[0];
    assert.strictEqual(await activateRecordConnection(d, scope), true);
    assert.deepStrictEqual(d.selected, [['test', { site_id: 'site-t', site_name: 'Test Site' }, { company_id: 2, company_name: 'Test Co' }]]);
  });
});
