/**
 * What the bench measures by default: the packages as a user installs them. The public packages
 * are built and packed, and the tarballs installed with npm (next to ESLint, typescript-eslint and
 * TypeScript) into a folder outside the repository, reused while the tarballs are unchanged.
 * `--from sources` measures the repository's sources instead (tsx for the CLI, jiti inside ESLint),
 * which is how the packages ran before they were built.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildAndPack, run } from '../pack/packages.ts';

export interface Toolchain {
  readonly from: 'installed' | 'sources';
  /** `node <cli> audit …`. */
  readonly cli: string;
  /** `node <eslint> …`. */
  readonly eslint: string;
  /** What the ESLint configs import the plugin and typescript-eslint from. */
  readonly imports: { readonly plugin: string; readonly tseslint: string };
  /** The config file's extension: `.mjs` for installed packages, `.ts` (jiti) for the sources. */
  readonly configExtension: '.mjs' | '.ts';
}

const ESLINT_VERSIONS = ['eslint@10', 'typescript-eslint@8.73.0', 'typescript@6.0.3'];

export function installedToolchain(root: string, log: (message: string) => void): Toolchain {
  log('packing the public packages and installing them with npm (outside the repository)…');
  const packed = buildAndPack(path.join(root, 'tarballs'));
  const dir = path.join(root, 'installed');
  const stamp = path.join(dir, '.tarballs.sha256');
  const hash = createHash('sha256');
  for (const pkg of packed) hash.update(readFileSync(pkg.tarball));
  const digest = `${hash.digest('hex')} ${ESLINT_VERSIONS.join(' ')}`;
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{ "name": "bench-installed", "private": true, "type": "module" }\n');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...packed.map((p) => p.tarball), ...ESLINT_VERSIONS], dir, { env });
    writeFileSync(stamp, digest);
  }
  const modules = path.join(dir, 'node_modules');
  return {
    from: 'installed',
    cli: path.join(modules, '@resilience-kit/cli/dist/bin.mjs'),
    eslint: path.join(modules, 'eslint/bin/eslint.js'),
    imports: {
      plugin: pathToFileURL(path.join(modules, 'eslint-plugin-resilience/dist/index.mjs')).href,
      tseslint: pathToFileURL(path.join(modules, 'typescript-eslint/dist/index.js')).href,
    },
    configExtension: '.mjs',
  };
}
