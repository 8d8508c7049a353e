import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'cli/dist/**', 'media/dist/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', '*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      'no-restricted-syntax': ['error', {
        selector: "AssignmentExpression[left.property.name='innerHTML']",
        message: 'Never assign innerHTML: API data must stay inert text.',
      }],
    },
  },
  {
    // The core is plain TypeScript: it must run and be tested without the editor.
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core must not import vscode' }] }] },
  },
  {
    files: ['esbuild.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/viewer/webview/**/*.ts', 'test/**/browser/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
