/**
 * Field names that the webview sends back are checked against one pattern on both sides: response
 * keys are API data, and one with a newline or `###` must never reach the user's request file.
 */
import * as assert from 'assert';
import { installFakeVscode, state } from './fakeVscode';
import { FIELD_NAME, isFieldName, isFromWebview } from '../../../src/shared/messages';
import type { HttpResponse } from '../../../src/core/http/types';

installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ResponseViewer } = require('../../../src/response') as typeof import('../../../src/response');

const HOSTILE = ['name\n### injected\nDELETE /customers/1', 'a b', 'name,id', '$select', '', 'x'.repeat(200), 'a&$filter=1', 'naïve', '1abc', 'a/b/c/d/e/f/g/h/i/j'];

describe('field names from the webview', () => {
  it('the pattern takes identifiers and paths of them, nothing else', () => {
    for (const ok of ['id', 'short_name', 'Name2', '_x', 'customer/name']) assert.ok(isFieldName(ok), ok);
    for (const bad of HOSTILE) assert.ok(!isFieldName(bad), JSON.stringify(bad));
    assert.ok(FIELD_NAME.test('a'.repeat(128)) && !FIELD_NAME.test('a'.repeat(129)));
  });

  it('the extension accepts a $select message only when every field is a field name', () => {
    assert.ok(isFromWebview({ type: 'rewriteSelect', fields: ['id', 'name'] }));
    for (const bad of HOSTILE) assert.ok(!isFromWebview({ type: 'rewriteSelect', fields: ['id', bad] }), JSON.stringify(bad));
    assert.ok(!isFromWebview({ type: 'rewriteSelect', fields: [1] }));
    assert.ok(!isFromWebview({ type: 'exportCsv', columns: [{}] }));
    assert.ok(isFromWebview({ type: 'exportCsv', columns: ['any key, even\nthis'] }), 'CSV columns are response keys: any string');
  });

  it('a refused $select message changes nothing and says why', async () => {
    const body = new TextEncoder().encode('[{"id":1}]');
    const response: HttpResponse = {
      status: 200, statusText: 'OK', headers: { 'content-type': 'application/json' }, body, json: [{ id: 1 }], size: body.length, timing: { totalMs: 1 },
      request: { method: 'GET', url: 'http://127.0.0.1:1/v1/customers', headers: {} }, attempts: 1,
    };
    const memento = { get: () => undefined, update: async () => undefined };
    const viewer = new ResponseViewer({ extensionUri: { path: '/ext' } as never, workspaceState: memento as never });
    try {
      state.panels.length = 0;
      await viewer.show({ response, source: { uri: 'file:///w/a.sage200', line: 0 } });
      const panel = state.panels[0];
      panel.webview.received.fire({ type: 'ready' });
      panel.webview.received.fire({ type: 'rewriteSelect', fields: ['id', 'name\n### injected\nDELETE /customers/1'] });
      await new Promise((r) => setTimeout(r, 50));
      const notices = panel.webview.posted.filter((m) => m.type === 'notice');
      assert.strictEqual(notices.length, 1);
      assert.match(String(notices[0].text), /\$select was not changed: the columns include a name that is not a field name/);
    } finally {
      viewer.dispose();
    }
  });
});
