/**
 * The public packages as a user gets them: built, packed by pnpm (which applies `publishConfig` and
 * turns `workspace:` ranges into versions), and checked the way the ecosystem checks packages
 * (publint, and @arethetypeswrong/cli for what TypeScript resolves under node16 and bundlers).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface PublicPackage {
  readonly name: string;
  /** The folder, relative to the repository root. */
  readonly dir: string;
  /** attw's profile: `node16` checks ESM and CommonJS resolution; `esm-only` skips `require()`. */
  readonly attwProfile: 'node16' | 'esm-only';
}

export const publicPackages: readonly PublicPackage[] = [
  { name: '@resilience-kit/policies', dir: 'packages/policies', attwProfile: 'node16' },
  { name: '@resilience-kit/chaos', dir: 'packages/chaos', attwProfile: 'node16' },
  { name: '@resilience-kit/core', dir: 'packages/core', attwProfile: 'node16' },
  { name: '@resilience-kit/rules', dir: 'rules', attwProfile: 'node16' },
  { name: 'eslint-plugin-resilience', dir: 'packages/eslint-plugin', attwProfile: 'node16' },
  { name: '@resilience-kit/codemods', dir: 'codemods', attwProfile: 'node16' },
  { name: '@resilience-kit/cli', dir: 'packages/cli', attwProfile: 'esm-only' },
];

export interface PackedPackage extends PublicPackage {
  readonly tarball: string;
  readonly bytes: number;
  /** Paths inside the tarball (without the leading `package/`). */
  readonly files: readonly string[];
}

/** `pnpm build`, then one tarball per public package in `dest` (emptied first). */
export function buildAndPack(dest: string, options: { readonly build?: boolean } = {}): PackedPackage[] {
  if (options.build !== false) run('pnpm', ['--silent', 'build'], repoRoot);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  return publicPackages.map((pkg) => {
    const before = new Set(readdirSync(dest));
    run('pnpm', ['pack', '--pack-destination', dest], path.join(repoRoot, pkg.dir));
    const created = readdirSync(dest).find((f) => f.endsWith('.tgz') && !before.has(f));
    if (!created) throw new Error(`pnpm pack made no tarball for ${pkg.name}`);
    const tarball = path.join(dest, created);
    const files = run('tar', ['-tzf', tarball], dest).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')).sort();
    return { ...pkg, tarball, bytes: statSync(tarball).size, files };
  });
}

/** publint's and attw's problems with one tarball, one line each (none: the package has the expected shape). */
export async function shapeProblems(pkg: PackedPackage): Promise<string[]> {
  const data = readFileSync(pkg.tarball);
  const tarball = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  const { messages, pkg: manifest } = await publint({ pack: { tarball }, level: 'suggestion', strict: true });
  const problems = messages.map((m) => `publint ${m.type}: ${formatMessage(m, manifest, { color: false }) ?? m.code}`);
  const attw = JSON.parse(run('pnpm', ['--silent', 'exec', 'attw', pkg.tarball, '--format', 'json', '--profile', pkg.attwProfile], repoRoot, { allowFailure: true })) as AttwResult;
  const ignored = new Set(IGNORED_RESOLUTIONS[pkg.attwProfile]);
  for (const problem of Object.values(attw.problems ?? {}).flat()) {
    if (problem.resolutionKind !== undefined && ignored.has(problem.resolutionKind)) continue;
    problems.push(`attw ${problem.kind}: ${problem.entrypoint ?? ''} (${problem.resolutionKind ?? 'all resolutions'})`);
  }
  return problems;
}

interface AttwResult {
  readonly problems?: Record<string, readonly { readonly kind: string; readonly entrypoint?: string; readonly resolutionKind?: string }[]>;
}

/** What each attw profile leaves out (its CLI applies the profile to the summary, not to the JSON). */
const IGNORED_RESOLUTIONS: Record<PublicPackage['attwProfile'], readonly string[]> = {
  node16: ['node10'],
  'esm-only': ['node10', 'node16-cjs'],
};

export function run(command: string, args: readonly string[], cwd: string, options: { readonly allowFailure?: boolean; readonly env?: NodeJS.ProcessEnv } = {}): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, env: options.env ?? process.env });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; status?: number };
    if (options.allowFailure && typeof failed.stdout === 'string') return failed.stdout;
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${String(failed.status)}:\n${failed.stderr ?? ''}${failed.stdout ?? ''}`, { cause: error });
  }
}
