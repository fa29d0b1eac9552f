// ESLint for the TypeScript sources: the recommended rules of ESLint and typescript-eslint, with
// formatting left to Prettier (eslint-config-prettier turns the rules that overlap it off).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'docs/**', 'test-artifacts/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `const { outbox: _outbox, ...rest } = doc` leaves a field out on purpose; `_` marks a name unused by design.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests read JSON answers whose shape the assertions check; typing each one would repeat the contracts.
    files: ['test/**/*.ts', '**/*.spec.ts', 'libs/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
);
