import { defineConfig } from 'tsdown';
import { packageBuild } from '../../scripts/build/tsdown-base.ts';

// ESM and CommonJS for Node: test runners load either (jest's CommonJS, vitest's and node:test's ESM).
export default defineConfig(packageBuild({ entry: { index: 'src/index.ts' }, formats: ['esm', 'cjs'] }));
