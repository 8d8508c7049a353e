import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { EntityNode, RecordNode } from '../../src/core/explorer';
import { contributes, extension, until } from './helpers';

/** An entity node as the tree hands it to its commands (the nodes are plain data). */
function customersNode(connectionId: string): EntityNode {
  return {
    kind: 'entity', id: `test/${connectionId}/customers`, label: 'customers', path: '/customers', name: 'customers',
    module: 'sales', verbs: ['GET', 'POST'], schema: 'customer', professionalOnly: false,
    scope: { connectionId, siteId: 'site', siteName: 'Site', companyId: 1, companyName: 'Company', edition: 'professional' },
  };
}

interface ExtraContributes {
  viewsWelcome?: { view: string; contents: string; when?: string }[];
  walkthroughs?: { id: string; steps: { id: string; media: { markdown?: string } }[] }[];
  menus?: Record<string, { command: string; when?: string; group?: string }[]>;
}

export function registerExplorerTests(): void {
  describe('explorer', () => {
    it('contributes the Sage 200 Explorer view and can focus it', async () => {
      const views = contributes().views?.['sage200'] ?? [];
      assert.ok(views.some((v) => v.id === 'sage200.explorer'), 'no sage200.explorer view');
      // VS Code generates `<viewId>.focus`; it fails when no tree provider backs the view.
      await vscode.commands.executeCommand('sage200.explorer.focus');
    });

    it('registers every explorer command it contributes', async () => {
      const mine = (contributes().commands ?? []).map((c) => c.command).filter((c) => c.startsWith('sage200.explorer.'));
      assert.ok(mine.length >= 12, `only ${mine.length} explorer commands contributed`);
      const registered = new Set(await vscode.commands.getCommands(true));
      for (const id of mine) assert.ok(registered.has(id), `${id} is contributed but not registered`);
    });

    it('offers the signed-out next steps and a walkthrough whose pages exist', () => {
      const c = extension().packageJSON.contributes as ExtraContributes;
      const welcome = (c.viewsWelcome ?? []).filter((w) => w.view === 'sage200.explorer').map((w) => w.contents).join('\n');
      assert.match(welcome, /\[Try the demo sandbox\]\(command:sage200\.explorer\.tryDemo\)/);
      assert.match(welcome, /\[Add a connection\]\(command:sage200\.addConnection\)/);
      assert.match(welcome, /credentials\]\(command:sage200\.explorer\.credentialsHelp\)/);
      const walk = (c.walkthroughs ?? []).find((w) => w.id === 'sage200.gettingStarted');
      assert.ok(walk, 'no sage200.gettingStarted walkthrough');
      assert.ok(walk.steps.length >= 5);
      for (const step of walk.steps) {
        const md = step.media.markdown;
        assert.ok(md && fs.existsSync(path.join(extension().extensionPath, md)), `walkthrough page ${md} is missing`);
      }
      // A filtered entity (`entity.filtered`) keeps every action of an entity.
      const entityMenu = (c.menus?.['view/item/context'] ?? []).filter((m) => m.when?.includes('viewItem =~ /^entity/')).map((m) => m.command);
      for (const id of ['openRequest', 'fetchFirstPage', 'count', 'showFields', 'exportAll']) {
        assert.ok(entityMenu.includes(`sage200.explorer.${id}`), `no ${id} on entities`);
      }
      const recordMenu = (c.menus?.['view/item/context'] ?? []).filter((m) => m.when?.includes('viewItem =~ /^record')).map((m) => m.command);
      for (const id of ['openRecord', 'copyRecordId', 'openRecordRequest', 'editRecordRequest', 'deleteRecord']) {
        assert.ok(recordMenu.includes(`sage200.explorer.${id}`), `no ${id} on records`);
      }
    });

    it('filter and refresh run without a signed-in connection', async () => {
      await vscode.commands.executeCommand('sage200.explorer.refresh');
      await vscode.commands.executeCommand('sage200.explorer.clearFilter');
    });

    it('Open Request appends a ready-to-send request to the active .sage200 document', async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'sage200', content: '### mine\nGET /suppliers\n' });
      await vscode.window.showTextDocument(doc);
      try {
        await vscode.commands.executeCommand('sage200.explorer.openRequest', customersNode('any'));
        const text = await until('the appended request', () => (doc.getText().includes('/customers') ? doc.getText() : undefined));
        assert.ok(text.startsWith('### mine\nGET /suppliers\n\n###'), `the earlier request is kept: ${JSON.stringify(text)}`);
        assert.match(text, /\nGET \/customers\?\$select=id,reference,name,short_name&\$top=20\n$/);
        // The language features read the same text: the new request parses without diagnostics on it.
        await new Promise((r) => setTimeout(r, 500));
        const errors = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error && d.range.start.line >= 3);
        assert.deepStrictEqual(errors.map((d) => d.message), []);
      } finally {
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    });

    it('Open as Request appends a GET of the record, with its site and company, to the active .sage200 document', async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'sage200', content: '### mine\nGET /suppliers\n' });
      await vscode.window.showTextDocument(doc);
      const entity = customersNode('any');
      const record: RecordNode = {
        kind: 'record', id: `${entity.id}/r/27`, label: 'ABC001 Acme Ltd', scope: entity.scope, recordId: '27', schema: 'customer',
        entity: 'customers', listId: entity.id, listPath: '/customers', listTemplate: '/customers', itemPath: '/customers/27',
        itemTemplate: '/customers/{Id}', verbs: ['GET', 'PUT', 'DELETE'], expandable: true,
      };
      try {
        await vscode.commands.executeCommand('sage200.explorer.openRecordRequest', record);
        const text = await until('the appended request', () => (doc.getText().includes('/customers/27') ? doc.getText() : undefined));
        assert.ok(text.endsWith('\n\n### customers ABC001 Acme Ltd (Company)\nGET /customers/27\nX-Site: site\nX-Company: 1\n'), JSON.stringify(text));
        await new Promise((r) => setTimeout(r, 500));
        const errors = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error && d.range.start.line >= 3);
        assert.deepStrictEqual(errors.map((d) => d.message), []);
      } finally {
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    });

    it('Show Fields lists the catalog fields even when the live $metadata cannot be read', async () => {
      const markdown = await vscode.commands.executeCommand<string>('sage200.explorer.showFields', customersNode('no-such-connection'));
      assert.ok(typeof markdown === 'string', 'the command returns the markdown it shows');
      assert.ok(markdown.startsWith('# Fields of customers \\(customer\\)'), markdown.slice(0, 200));
      assert.match(markdown, /\| reference \| string, max 8 \| required/);
      assert.match(markdown, /could not be read/);
      const doc = await until('the fields document', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'sage200-fields'));
      assert.strictEqual(doc.getText(), markdown);
    });

    it('Export All to an unusable connection says so and leaves no file', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-explorer-it-'));
      try {
        const target = path.join(dir, 'customers.csv');
        const result = await vscode.commands.executeCommand('sage200.explorer.exportAll', customersNode('no-such-connection'), { target });
        assert.strictEqual(result, undefined);
        assert.deepStrictEqual(fs.readdirSync(dir), [], 'nothing is written, not even a temporary file');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
        // The error toast is the point of the product, but must not linger into the e2e scenarios.
        await vscode.commands.executeCommand('notifications.clearAll');
      }
    });
  });
}
