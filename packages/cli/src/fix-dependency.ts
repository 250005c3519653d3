/**
 * The runtime dependency that `resilience fix` introduces: its edits import
 * `@resilience-kit/policies`, so the package each fixed file belongs to must depend on it, or the
 * fixed code fails at start-up. Found per nearest package.json; with `--add-dependency` the
 * dependency is written into it (atomically, keeping its indentation).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { POLICIES_MODULE } from '@resilience-kit/core';
import { UsageError } from './errors.ts';
import { toolVersion } from './version.ts';
import { writeFileAtomic } from './write.ts';

export interface MissingDependency {
  /** The package.json (relative to the root, posix), or undefined when no package.json is above the files. */
  readonly packageJson: string | undefined;
  /** The fixed files (relative to the root) that import the policies. */
  readonly files: readonly string[];
  /** The command that adds it, run from the package's folder (`pnpm add @resilience-kit/policies`). */
  readonly add: string;
  /** The package manager's install command, to run after `--add-dependency` wrote the package.json. */
  readonly install: string;
  /** `--add-dependency` wrote it into the package.json (the user still runs the install). */
  readonly added: boolean;
}

/** `import … from '@resilience-kit/policies'`, `require('@resilience-kit/policies')`, `import('…')`. */
const IMPORTS_POLICIES = new RegExp(String.raw`(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)(['"])${POLICIES_MODULE.replace(/[/.]/g, '\\$&')}\1`);

export function importsPolicies(source: string): boolean {
  return IMPORTS_POLICIES.test(source);
}

const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'] as const;

interface PackageJson {
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

/**
 * The packages whose fixed files import the policies without depending on them (a devDependency
 * does not count: production installs leave it out). `files` are absolute paths.
 */
export function findMissingDependencies(files: readonly string[], root: string, options: { readonly add: boolean; readonly dryRun: boolean }): MissingDependency[] {
  const byPackage = new Map<string | undefined, string[]>();
  for (const file of files) {
    const manifest = nearestPackageJson(path.dirname(file));
    const list = byPackage.get(manifest) ?? [];
    list.push(toPosix(path.relative(root, file)));
    byPackage.set(manifest, list);
  }
  const missing: MissingDependency[] = [];
  for (const [manifest, fixed] of byPackage) {
    if (manifest !== undefined && dependsOnPolicies(readManifest(manifest).parsed)) continue;
    const dir = manifest === undefined ? root : path.dirname(manifest);
    const manager = packageManager(dir);
    const added = manifest !== undefined && options.add && !options.dryRun;
    if (added) addDependency(manifest);
    missing.push({ packageJson: manifest === undefined ? undefined : toPosix(path.relative(root, manifest)), files: fixed.sort(), add: `${manager.add} ${POLICIES_MODULE}`, install: manager.install, added });
  }
  return missing.sort((a, b) => (a.packageJson ?? '').localeCompare(b.packageJson ?? ''));
}

/** The lines `fix` prints after its summary. */
export function formatMissingDependencies(missing: readonly MissingDependency[]): string {
  const out: string[] = [];
  for (const m of missing) {
    const files = m.files.length === 1 ? m.files[0] : `${m.files.length} fixed files`;
    if (m.packageJson === undefined) continue; // no fix imports a package there (module-context.ts)
    const dir = path.posix.dirname(m.packageJson);
    const cd = dir === '.' ? '' : `cd ${dir} && `;
    out.push(m.added
      ? `Added ${POLICIES_MODULE}@^${toolVersion} to the dependencies of ${m.packageJson} (${files} import it); now install it: ${cd}${m.install}`
      : `The fixes import ${POLICIES_MODULE} (${files}), but ${m.packageJson} does not depend on it. Add it: ${cd}${m.add} (or run fix with --add-dependency)`);
  }
  return out.length > 0 ? `\n${out.join('\n')}\n` : '';
}

function dependsOnPolicies(manifest: PackageJson): boolean {
  return DEPENDENCY_FIELDS.some((field) => manifest[field]?.[POLICIES_MODULE] !== undefined);
}

/**
 * The package.json nearest above `dir`, looking no higher than the repository's top (the folder
 * with `.git`): a package.json in the user's home directory does not make a script folder a package.
 */
function nearestPackageJson(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    const candidate = path.join(current, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (existsSync(path.join(current, '.git')) || path.dirname(current) === current) return undefined;
  }
}

function readManifest(file: string): { readonly text: string; readonly parsed: PackageJson } {
  const text = readFileSync(file, 'utf8');
  try {
    return { text, parsed: JSON.parse(text) as PackageJson };
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

/** Writes `"@resilience-kit/policies": "^<version>"` into `dependencies`, sorted, in the file's own indentation. */
function addDependency(file: string): void {
  const { text, parsed } = readManifest(file);
  const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? '  ';
  const dependencies = { ...parsed.dependencies, [POLICIES_MODULE]: `^${toolVersion}` };
  const sorted = Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const next = { ...parsed, dependencies: sorted };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  writeFileAtomic(file, JSON.stringify(next, null, indent).replace(/\n/g, eol) + (text.endsWith('\n') ? eol : ''));
}

interface PackageManager {
  readonly add: string;
  readonly install: string;
}

const NPM: PackageManager = { add: 'npm install', install: 'npm install' };
const LOCKFILES: readonly (readonly [string, PackageManager])[] = [
  ['pnpm-lock.yaml', { add: 'pnpm add', install: 'pnpm install' }],
  ['yarn.lock', { add: 'yarn add', install: 'yarn install' }],
  ['bun.lock', { add: 'bun add', install: 'bun install' }],
  ['bun.lockb', { add: 'bun add', install: 'bun install' }],
  ['package-lock.json', NPM],
];

/** The package manager whose lockfile is nearest above `dir` (npm when there is none). */
function packageManager(dir: string): PackageManager {
  for (let current = dir; ; current = path.dirname(current)) {
    for (const [lock, manager] of LOCKFILES) if (existsSync(path.join(current, lock))) return manager;
    if (path.dirname(current) === current) return NPM;
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
