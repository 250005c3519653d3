import { defineConfig } from 'vitest/config';

// `pnpm test:packages`: the packed packages installed into projects outside the workspace
// (scripts/pack/installed.test.ts). Slow (npm installs), so apart from `pnpm test`; CI runs both.
export default defineConfig({
  test: {
    include: ['scripts/pack/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
