import { defineConfig } from 'tsdown';
import { packageBuild } from '../../scripts/build/tsdown-base.ts';

// CommonJS too: the ESLint plugin loads the engine, and a `.cjs` ESLint config require()s the plugin.
// `docs-url`: the rule documentation links, without loading TypeScript (the CLI's `--help` needs them).
export default defineConfig(packageBuild({ entry: { index: 'src/index.ts', 'docs-url': 'src/docs-url.ts' }, formats: ['esm', 'cjs'] }));
