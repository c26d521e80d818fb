// typescript-eslint flat config: recommended rules, type-aware where it pays (floating promises).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'out/**', '**/*.mjs', '**/*.js', 'examples/**', 'models/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // A promise where VS Code or Node expects a plain callback (event handler, forEach, if) is dropped with its rejection.
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The VS Code-free folders: plain Node (cores, workers, CLI) or the browser (webviews). Only src/commands/,
    // src/ui/, src/context.ts and src/extension.ts may touch the VS Code API; modules that import it are off
    // limits here too, since importing them would load `vscode` all the same.
    files: [
      'src/{quiz,text,vision,train,snippets,common,eval,inspector}/**/*.ts',
      'src/{workers,cli,webview}/**/*.ts',
      'src/cli.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'This folder is VS Code-free (README/CONTRIBUTING "Design"): move the VS Code part into src/commands/ or src/ui/.' }],
        patterns: [{
          group: ['**/ui', '**/ui/**', '**/commands', '**/commands/**', '**/context', '**/extension'],
          message: 'This folder is VS Code-free: it may not import src/ui/, src/commands/, src/context.ts or src/extension.ts, which load `vscode`.',
        }],
      }],
    },
  },
  {
    // node:test's test()/describe() return promises the runner tracks itself.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
);
