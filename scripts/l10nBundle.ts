/**
 * `npm run l10n`: writes l10n/bundle.l10n.json, the English text of every `vscode.l10n.t(...)` call
 * in src/. VS Code looks a message up by its English text in bundle.l10n.<locale>.json; this file
 * is what a translator starts from. @vscode/l10n-dev does the same job but is not a dependency here,
 * so the calls are found with the TypeScript compiler API: `vscode.l10n.t(...)`, `l10n.t(...)`, and
 * calls through an alias such as `const t = vscode.l10n.t`. The response webview's texts
 * (src/core/viewer/strings.ts) are translated by the extension as a table, so they are added whole.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { ENGLISH_VIEWER_STRINGS } from '../src/core/viewer/strings';

const ROOT = path.join(__dirname, '..');
export const BUNDLE = path.join(ROOT, 'l10n', 'bundle.l10n.json');

export interface Extraction {
  /** Message text → where it is first used (`file:line`). */
  readonly messages: Map<string, string>;
  /** Calls whose message is not a plain string literal, so no bundle can hold it. */
  readonly errors: string[];
}

/** `x.l10n.t` or `l10n.t`. */
function isL10nT(e: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(e) || e.name.text !== 't') return false;
  const owner = e.expression;
  return (ts.isPropertyAccessExpression(owner) && owner.name.text === 'l10n') || (ts.isIdentifier(owner) && owner.text === 'l10n');
}

/** Adds the `l10n.t` calls of one source file to `into`. */
export function extractFrom(fileName: string, text: string, into: Extraction = { messages: new Map(), errors: [] }): Extraction {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  // Names bound to l10n.t in this file (`const t = vscode.l10n.t`): call sites use the short name.
  const aliases = new Set<string>();
  const findAliases = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && isL10nT(node.initializer)) aliases.add(node.name.text);
    ts.forEachChild(node, findAliases);
  };
  findAliases(source);
  const where = (node: ts.Node) => `${fileName}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && (isL10nT(node.expression) || (ts.isIdentifier(node.expression) && aliases.has(node.expression.text)))) {
      const first = node.arguments[0];
      if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
        if (!into.messages.has(first.text)) into.messages.set(first.text, where(node));
      } else {
        into.errors.push(`${where(node)}: the message of l10n.t must be a string literal (use {0} placeholders for values)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return into;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every message under src/, and the webview's texts. */
export function extractAll(root = ROOT): Extraction {
  const result: Extraction = { messages: new Map(), errors: [] };
  for (const [key, text] of Object.entries(ENGLISH_VIEWER_STRINGS)) {
    if (!result.messages.has(text)) result.messages.set(text, `src/core/viewer/strings.ts (${key})`);
  }
  for (const file of sourceFiles(path.join(root, 'src'))) {
    extractFrom(path.relative(root, file).split(path.sep).join('/'), fs.readFileSync(file, 'utf8'), result);
  }
  return result;
}

/** The bundle's text: each message is its own key, sorted so that a new message is a one-line diff. */
export function bundleText(messages: Iterable<string>): string {
  const bundle: Record<string, string> = {};
  for (const m of [...messages].sort()) bundle[m] = m;
  return JSON.stringify(bundle, null, 2) + '\n';
}

if (require.main === module) {
  const { messages, errors } = extractAll();
  if (errors.length) {
    console.error(errors.join('\n'));
    process.exit(1);
  }
  fs.mkdirSync(path.dirname(BUNDLE), { recursive: true });
  fs.writeFileSync(BUNDLE, bundleText(messages.keys()));
  console.log(`${path.relative(ROOT, BUNDLE)}: ${messages.size} messages`);
}
