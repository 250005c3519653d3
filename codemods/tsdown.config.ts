import { defineConfig } from 'tsdown';
import { packageBuild } from '../scripts/build/tsdown-base.ts';

// One CommonJS file per codemod for the plain jscodeshift CLI (it require()s the transform):
//   npx jscodeshift --no-babel -t node_modules/@resilience-kit/codemods/dist/add-timeout.cjs src/
export default defineConfig(packageBuild({
  entry: {
    index: 'index.ts',
    'add-backoff': 'add-backoff/index.ts',
    'add-circuit-breaker': 'add-circuit-breaker/index.ts',
    'add-idempotency-key': 'add-idempotency-key/index.ts',
    'add-timeout': 'add-timeout/index.ts',
  },
  formats: ['esm', 'cjs'],
}));
