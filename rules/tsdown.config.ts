import { defineConfig } from 'tsdown';
import { packageBuild } from '../scripts/build/tsdown-base.ts';

// CommonJS too: the ESLint plugin loads the rules, and a `.cjs` ESLint config require()s the plugin.
export default defineConfig(packageBuild({ entry: { index: 'index.ts' }, formats: ['esm', 'cjs'] }));
