import * as assert from 'assert';
import * as vscode from 'vscode';
import { endOf, labelOf, sage200Doc, until } from './helpers';

export function registerLanguageTests(): void {
  describe('.sage200 language', () => {
    it('completes a path: GET /cus offers /customers', async () => {
      const doc = await sage200Doc('GET /cus');
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, endOf(doc, 0));
      const labels = list.items.map(labelOf);
      assert.ok(labels.some((l) => l.includes('/customers')), `no /customers among ${labels.slice(0, 20).join(', ')}`);
    });

    it("completes $select with the customer's fields", async () => {
      const doc = await sage200Doc('GET /customers?$select=');
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, endOf(doc, 0));
      const labels = list.items.map(labelOf);
      for (const field of ['reference', 'name', 'balance']) {
        assert.ok(labels.some((l) => l === field || l.startsWith(field)), `$select completion lacks "${field}": ${labels.slice(0, 20).join(', ')}`);
      }
      assert.ok(!labels.includes('GET'), 'methods are not offered inside $select');
    });

    it('reports $skip without $orderby, with a quick fix that adds $orderby', async () => {
      const doc = await sage200Doc('GET /customers?$top=10&$skip=10\n');
      const diagnostic = await until('the $skip diagnostic', () =>
        vscode.languages.getDiagnostics(doc.uri).find((d) => /\$orderby/i.test(d.message)),
      );
      assert.strictEqual(doc.getText(diagnostic.range).startsWith('$skip'), true, `range covers "${doc.getText(diagnostic.range)}"`);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diagnostic.range);
      const fix = actions.find((a) => /orderby/i.test(a.title));
      assert.ok(fix, `no quick fix among: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(fix.edit, 'the quick fix has no edit');
      const edits = fix.edit.get(doc.uri);
      assert.ok(edits.some((e) => e.newText.includes('$orderby')), 'the quick fix does not insert $orderby');
    });

    it('reports an unknown field in $select with its name', async () => {
      const doc = await sage200Doc('GET /customers?$select=id,not_a_field\n');
      const diagnostic = await until('the unknown-field diagnostic', () =>
        vscode.languages.getDiagnostics(doc.uri).find((d) => d.message.includes('not_a_field')),
      );
      assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Error);
      assert.strictEqual(doc.getText(diagnostic.range), 'not_a_field');
    });

    it('offers a Send CodeLens above each request', async () => {
      const doc = await sage200Doc('### one\nGET /customers\n\n### two\nGET /suppliers?$top=5\n');
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
      const send = lenses.filter((l) => l.command && /^Send$|Send request/i.test(l.command.title));
      assert.strictEqual(send.length, 2, `expected 2 Send lenses, got: ${lenses.map((l) => `${l.range.start.line}:${l.command?.title}`).join(', ')}`);
      assert.deepStrictEqual(
        send.map((l) => l.range.start.line).sort((a, b) => a - b).map((line) => line <= 1 ? 'first' : 'second'),
        ['first', 'second'],
      );
    });
  });
}
