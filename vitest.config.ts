import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'rules/**/*.test.ts', 'codemods/**/*.test.ts', 'fixtures/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/__testfixtures__/**', 'scripts/pack/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
