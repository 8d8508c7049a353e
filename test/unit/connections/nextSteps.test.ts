import * as assert from 'assert';
import { installConnectionsFakeVscode, memoryChannel, memorySecrets, memoryState, settings, ui } from './fakeVscode';

installConnectionsFakeVscode();
// After the stand-in is installed: these modules import 'vscode'.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ConnectionsFeature } = require('../../../src/connections') as typeof import('../../../src/connections');

describe('messages offer the next step (extension glue, fake vscode)', () => {
  afterEach(() => {
    settings.user = {};
    ui.answer = () => undefined;
  });

  it('an invalid connection in settings is reported with "Open Settings", which opens the extension\'s settings', async () => {
    ui.shown = [];
    ui.executed = [];
    ui.answer = (s) => s.items.find((i) => i === 'Open Settings');
    settings.user = { connections: [{ name: 'No client id', edition: 'standard' }] };
    const feature = new ConnectionsFeature({ secrets: memorySecrets(), workspaceState: memoryState() } as never, memoryChannel() as never);
    try {
      const warning = ui.shown.find((s) => s.level === 'warning');
      assert.ok(warning, 'no warning shown');
      assert.match(warning.message, /invalid and were skipped/);
      assert.deepStrictEqual(warning.items, ['Open Settings']);
      await new Promise((r) => setImmediate(r));
      assert.deepStrictEqual(ui.executed, [['workbench.action.openSettings', 'sage200']]);
    } finally {
      feature.dispose();
    }
  });
});
