import { defineConfig } from 'tsdown';
import { packageBuild } from '../../scripts/build/tsdown-base.ts';

// ESM and CommonJS: flat configs in .js/.mjs/.ts import it, .cjs configs require() it (Node 18 too).
export default defineConfig(packageBuild({ entry: { index: 'src/index.ts' }, formats: ['esm', 'cjs'] }));
