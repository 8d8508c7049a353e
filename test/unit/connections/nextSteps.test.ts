import * as assert from 'assert';
import { fakeSandbox, installConnectionsFakeVscode, memoryChannel, memorySecrets, memoryState, settings, ui } from './fakeVscode';

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
    const feature = new ConnectionsFeature({ secrets: memorySecrets(), workspaceState: memoryState() } as never, memoryChannel() as never, fakeSandbox() as never);
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

describe('the status bar item (extension glue, fake vscode)', () => {
  afterEach(() => {
    settings.user = {};
  });

  it('says "production" in words and in its accessibility label, not only by colour', async () => {
    ui.statusItems = [];
    settings.user = {
      connections: [
        { id: 'live', name: 'Live', edition: 'custom', baseUrl: 'http://127.0.0.1:9/api', clientId: 'c', authority: 'http://127.0.0.1:9', production: true },
        { id: 'test', name: 'Test', edition: 'custom', baseUrl: 'http://127.0.0.1:9/api', clientId: 'c', authority: 'http://127.0.0.1:9' },
      ],
    };
    const feature = new ConnectionsFeature({ secrets: memorySecrets(), workspaceState: memoryState() } as never, memoryChannel() as never, fakeSandbox() as never);
    try {
      const item = ui.statusItems[0] as { text: string; tooltip: string; accessibilityInformation: { label: string; role: string } };
      const settled = () => new Promise((r) => setTimeout(r, 50));
      await feature.activeContext.select('live');
      await settled();
      assert.match(item.text, /Live.*PRODUCTION/);
      assert.match(item.accessibilityInformation.label, /^Production connection\. Sage 200: not signed in to Live/);
      assert.strictEqual(item.accessibilityInformation.role, 'button');
      await feature.activeContext.select('test');
      await settled();
      assert.doesNotMatch(item.text, /PRODUCTION/);
      assert.doesNotMatch(item.accessibilityInformation.label, /Production/);
    } finally {
      feature.dispose();
    }
  });
});
