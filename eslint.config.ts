// The repository lints itself with its own plugin (dogfood, `strict` config) and typescript-eslint's
// recommended rules, on the TypeScript sources.
import resilience from 'eslint-plugin-resilience';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', 'fixtures/**', 'docs/**', '**/__testfixtures__/**', '**/dist/**', 'coverage/**', '.bench/**', '.artifacts/**', '**/*.cjs', '**/*.js'],
  },
  ...tseslint.configs.recommended,
  {
    ...resilience.configs.strict,
    files: ['**/*.ts'],
  },
);
