import { defineConfig } from 'tsdown';
import { packageBuild } from '../../scripts/build/tsdown-base.ts';

// ESM and CommonJS, platform-neutral: the policies run wherever `fetch` and `AbortSignal` do.
// cockatiel 4 is ESM-only: the CommonJS build carries its own copy, so a CommonJS app loads the
// policies on any Node (require() of ESM needs 20.19+ / 22.12+: a fixed server on Node 18 could not start).
export default defineConfig(packageBuild({ entry: { index: 'src/index.ts' }, formats: ['esm', 'cjs'], platform: 'neutral', cjsBundles: ['cockatiel'] }));
