/** VS Code's conventions that live in the manifest: where commands show, view icons, words. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..');

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

interface Manifest {
  contributes: {
    commands: { command: string; icon?: string }[];
    menus: Record<string, MenuItem[]>;
    views: Record<string, { id: string; icon?: string }[]>;
    languages: { id: string; configuration: string }[];
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const REQUEST_FILE = "editorLangId == 'sage200'";

describe('the manifest', () => {
  it('shows request-file commands in the palette only in .sage200 editors', () => {
    // Paste cURL as Request is not among them: in another editor it opens a new request file.
    const requestFileCommands = ['sendRequest', 'sendAllRequests', 'cancelRequest', 'copyAsCurl', 'copyAsCurlWithSecrets', 'copyAsCode', 'selectEnvironment'];
    const palette = new Map(manifest.contributes.menus.commandPalette.map((m) => [m.command, m.when]));
    for (const id of requestFileCommands.map((c) => `sage200.${c}`)) {
      assert.strictEqual(palette.get(id), REQUEST_FILE, `${id} shows in every editor's palette`);
    }
  });

  it('puts Send in the editor title of a request file, with an icon', () => {
    const title = manifest.contributes.menus['editor/title'];
    const send = title.find((m) => m.command === 'sage200.sendRequest');
    assert.ok(send?.when?.includes(REQUEST_FILE) && send.group?.startsWith('navigation'));
    for (const m of title) {
      assert.ok(manifest.contributes.commands.find((c) => c.command === m.command)?.icon, `${m.command} has no icon for the title bar`);
    }
  });

  it('gives every view an icon that exists', () => {
    for (const view of Object.values(manifest.contributes.views).flat()) {
      assert.ok(view.icon, `${view.id} has no icon`);
      assert.ok(fs.existsSync(path.join(ROOT, view.icon)), `${view.icon} is missing`);
    }
  });

  it('treats $filter, $top and field names as one word each', () => {
    const language = manifest.contributes.languages.find((l) => l.id === 'sage200')!;
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, language.configuration), 'utf8')) as { wordPattern: string };
    const words = (text: string) => [...text.matchAll(new RegExp(config.wordPattern, 'g'))].map((m) => m[0]);
    assert.deepStrictEqual(words('GET /customers?$filter=credit_limit gt 5&$top=10'), ['GET', 'customers', '$filter', 'credit_limit', 'gt', '5', '$top', '10']);
    assert.deepStrictEqual(words("{{$guid}} eq 'A'"), ['$guid', 'eq', 'A']);
  });
});
