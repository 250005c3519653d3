import { defineConfig } from 'tsdown';
import { packageBuild } from '../../scripts/build/tsdown-base.ts';

// ESM and CommonJS, platform-neutral: the policies run wherever `fetch` and `AbortSignal` do.
export default defineConfig(packageBuild({ entry: { index: 'src/index.ts' }, formats: ['esm', 'cjs'], platform: 'neutral' }));
