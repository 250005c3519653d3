import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'tsdown';
import { packageBuild } from '../scripts/build/tsdown-base.ts';

// One file per codemod (every folder with an index.ts; `pnpm generate` writes the matching package
// exports), CommonJS for the plain jscodeshift CLI, which require()s the transform:
//   npx jscodeshift --no-babel -t node_modules/@resilience-kit/codemods/dist/add-timeout.cjs src/
const codemods = readdirSync(import.meta.dirname, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(path.join(import.meta.dirname, d.name, 'index.ts')))
  .map((d) => d.name);

export default defineConfig(packageBuild({
  entry: { index: 'index.ts', ...Object.fromEntries(codemods.map((name) => [name, `${name}/index.ts`])) },
  formats: ['esm', 'cjs'],
}));
