import { defineConfig } from 'tsdown';
import { packageBuild } from '../../scripts/build/tsdown-base.ts';

// `bin` starts the command, `worker` an audit worker thread (parallel.ts); the engine is reached through dynamic imports (chunks), so `--help` and
// `--version` never load TypeScript.
export default defineConfig(packageBuild({ entry: { index: 'src/index.ts', bin: 'src/bin.ts', worker: 'src/worker.ts' }, formats: ['esm'], executables: ['bin.mjs'] }));
