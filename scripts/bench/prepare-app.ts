/**
 * Prepares a real application for `pnpm bench --app <dir>`: extracts one commit's tree of a
 * repository's git directory into a scratch folder outside this repository (never committed), then
 * installs its dependencies from its lockfile, with the package manager the lockfile names and no
 * install scripts:
 *   pnpm-lock.yaml    → pnpm install --frozen-lockfile --ignore-scripts (the `packageManager` version if named)
 *   yarn.lock, v1     → yarn@1 install --frozen-lockfile --ignore-scripts
 *   yarn.lock, berry  → @yarnpkg/cli-dist (the `packageManager` version) install --immutable --mode=skip-build
 *   package-lock.json → npm ci --ignore-scripts
 * Package managers come from the npm registry through npx (corepack would download them elsewhere).
 * With --check (default tsconfig.json, or --project), it then runs `tsc --noEmit` there once (the
 * bench's TypeScript) and prints its time and peak memory: type errors are fine, it must complete.
 *
 *   tsx scripts/bench/prepare-app.ts --git-dir <repo.git> --commit <sha> --into <dir> [--force] [--check] [--project tsconfig.json]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { runOnce } from './measure.ts';
import { optionValue } from './args.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const USAGE = 'usage: tsx scripts/bench/prepare-app.ts --git-dir <repo.git> --commit <sha> --into <dir> [--force] [--check] [--project tsconfig.json]';

interface Options {
  readonly gitDir: string;
  readonly commit: string;
  readonly into: string;
  readonly force: boolean;
  readonly check: boolean;
  readonly project: string;
}

function parseOptions(argv: readonly string[]): Options {
  const known = new Set(['--git-dir', '--commit', '--into', '--force', '--check', '--project', '--help']);
  for (const arg of argv) if (arg.startsWith('--') && !known.has(arg)) throw new Error(`unknown option ${arg}\n${USAGE}`);
  if (argv.includes('--help')) {
    console.log(USAGE);
    process.exit(0);
  }
  const value = (name: string): string | undefined => optionValue(argv, name);
  const required = (name: string): string => {
    const v = value(name);
    if (v === undefined) throw new Error(`${name} is required\n${USAGE}`);
    return v;
  };
  return {
    gitDir: path.resolve(required('--git-dir')),
    commit: required('--commit'),
    into: path.resolve(required('--into')),
    force: argv.includes('--force'),
    check: argv.includes('--check') || argv.includes('--project'),
    project: value('--project') ?? 'tsconfig.json',
  };
}

export type Lockfile =
  | { readonly manager: 'pnpm'; readonly file: 'pnpm-lock.yaml' }
  | { readonly manager: 'yarn-classic' | 'yarn-berry'; readonly file: 'yarn.lock' }
  | { readonly manager: 'npm'; readonly file: 'package-lock.json' | 'npm-shrinkwrap.json' };

/** The lockfile at the root of `dir` and the package manager it belongs to. */
export function detectLockfile(dir: string): Lockfile {
  if (existsSync(path.join(dir, 'pnpm-lock.yaml'))) return { manager: 'pnpm', file: 'pnpm-lock.yaml' };
  if (existsSync(path.join(dir, 'yarn.lock'))) {
    // Yarn berry's lockfile is YAML with a `__metadata` block; yarn 1's starts with "# yarn lockfile v1".
    const head = readFileSync(path.join(dir, 'yarn.lock'), 'utf8').slice(0, 2_000);
    return { manager: /^__metadata:/m.test(head) ? 'yarn-berry' : 'yarn-classic', file: 'yarn.lock' };
  }
  for (const file of ['package-lock.json', 'npm-shrinkwrap.json'] as const) if (existsSync(path.join(dir, file))) return { manager: 'npm', file };
  throw new Error(`no lockfile (pnpm-lock.yaml, yarn.lock, package-lock.json) at the root of ${dir}`);
}

/** `packageManager: "yarn@4.11.0+sha512…"` → `4.11.0` when it names `name`. */
export function pinnedVersion(packageJson: string, name: string): string | undefined {
  const field = (JSON.parse(packageJson) as { packageManager?: unknown }).packageManager;
  if (typeof field !== 'string') return undefined;
  const match = /^([^@]+)@([^+]+)/.exec(field);
  return match && match[1] === name ? match[2] : undefined;
}

/** The install command for `dir`: [command, args, extra environment]. */
export function installCommand(dir: string, lockfile: Lockfile, registry: string): { command: string; args: string[]; env: Record<string, string> } {
  const packageJson = readFileSync(path.join(dir, 'package.json'), 'utf8');
  switch (lockfile.manager) {
    case 'pnpm': {
      const version = pinnedVersion(packageJson, 'pnpm');
      return { command: 'npx', args: ['-y', `pnpm@${version ?? '10'}`, 'install', '--frozen-lockfile', '--ignore-scripts'], env: {} };
    }
    case 'yarn-classic':
      return { command: 'npx', args: ['-y', 'yarn@1', 'install', '--frozen-lockfile', '--ignore-scripts', '--non-interactive'], env: {} };
    case 'yarn-berry': {
      // Yarn berry is published on npm as @yarnpkg/cli-dist; `yarn set version` and corepack would
      // fetch it from elsewhere. skip-build: no install scripts (nor enableScripts in .yarnrc.yml).
      const version = pinnedVersion(packageJson, 'yarn') ?? '4';
      return {
        command: 'npx',
        args: ['-y', `@yarnpkg/cli-dist@${version}`, 'install', '--immutable', '--mode=skip-build'],
        env: { YARN_ENABLE_SCRIPTS: '0', YARN_ENABLE_TELEMETRY: '0', YARN_ENABLE_GLOBAL_CACHE: '1', YARN_NPM_REGISTRY_SERVER: registry.replace(/\/$/, '') },
      };
    }
    case 'npm':
      return { command: 'npm', args: ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], env: {} };
  }
}

/** `git --git-dir=X archive <commit> | tar -x -C <into>`. */
function extract(gitDir: string, commit: string, into: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const git = spawn('git', [`--git-dir=${gitDir}`, 'archive', '--format=tar', commit], { stdio: ['ignore', 'pipe', 'pipe'] });
    const tar = spawn('tar', ['-x', '-C', into], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    git.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    tar.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    git.stdout.pipe(tar.stdin);
    let pending = 2;
    const done = (name: string) => (code: number | null) => {
      if (code !== 0) reject(new Error(`${name} exited ${String(code)}: ${errors.trim()}`));
      else if (--pending === 0) resolve();
    };
    git.on('close', done('git archive'));
    tar.on('close', done('tar -x'));
  });
}

/** .ts/.tsx files (declarations included) outside node_modules. */
export function countSources(dir: string): number {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) count += entry.name === 'node_modules' || entry.name === '.git' ? 0 : countSources(path.join(dir, entry.name));
    else if (entry.isFile() && /\.tsx?$/.test(entry.name)) count += 1;
  }
  return count;
}

function diskUsage(dir: string): string {
  const du = spawnSync('du', ['-sh', dir], { encoding: 'utf8' });
  return du.status === 0 ? du.stdout.split('\t')[0]! : 'unknown';
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const relative = path.relative(REPO, options.into);
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) throw new Error(`--into must be outside this repository (${REPO}): the app is never committed`);
  if (!existsSync(path.join(options.gitDir, 'objects')) && !existsSync(path.join(options.gitDir, '.git'))) throw new Error(`not a git directory: ${options.gitDir}`);
  const commit = spawnSync('git', [`--git-dir=${options.gitDir}`, 'rev-parse', '--verify', `${options.commit}^{commit}`], { encoding: 'utf8' });
  if (commit.status !== 0) throw new Error(`commit ${options.commit} not found in ${options.gitDir}: ${commit.stderr.trim()}`);
  const sha = commit.stdout.trim();
  if (existsSync(options.into) && readdirSync(options.into).length > 0) {
    if (!options.force) throw new Error(`${options.into} is not empty: pass --force to replace it`);
    rmSync(options.into, { recursive: true, force: true });
  }
  mkdirSync(options.into, { recursive: true });

  let start = performance.now();
  await extract(options.gitDir, sha, options.into);
  console.log(`extracted ${sha.slice(0, 12)} into ${options.into} in ${seconds(performance.now() - start)}: ${countSources(options.into)} .ts/.tsx files (${diskUsage(options.into)})`);

  const lockfile = detectLockfile(options.into);
  const registry = spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).stdout.trim() || 'https://registry.npmjs.org/';
  const install = installCommand(options.into, lockfile, registry);
  console.log(`${lockfile.file} (${lockfile.manager}): ${install.command} ${install.args.join(' ')}`);
  // Not the npm_* variables of a `pnpm …` that started this script: they would steer the app's install.
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_'))), ...install.env };
  start = performance.now();
  const result = spawnSync(install.command, install.args, { cwd: options.into, env, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`the install exited ${String(result.status ?? result.signal)}`);
  console.log(`installed in ${seconds(performance.now() - start)}; ${options.into} now takes ${diskUsage(options.into)}`);

  if (options.check) {
    const typescript = createRequire(path.join(REPO, 'packages/cli/package.json')).resolve('typescript');
    const tsc = path.join(path.dirname(typescript), '..', 'bin', 'tsc');
    console.log(`checking: tsc --noEmit --incremental false -p ${options.project} (TypeScript of packages/cli)…`);
    // Type errors (exit 1 or 2) are fine: the point is that the program loads and the check completes.
    const sample = runOnce({ name: 'tsc --noEmit', args: [tsc, '--noEmit', '--incremental', 'false', '-p', options.project], cwd: options.into, okExitCodes: [0, 1, 2] }, path.join(os.tmpdir(), 'resilience-kit-bench', 'scratch'));
    const errors = (sample.stdout.match(/error TS\d+/g) ?? []).length;
    console.log(`tsc --noEmit: exit ${sample.exitCode}, ${errors} type error(s), ${seconds(sample.wallMs)} wall, ${seconds(sample.cpuMs)} CPU, ${Math.round(sample.maxRssMb)} MB peak RSS`);
  }
  console.log(`ready: pnpm bench --app ${options.into}${options.project === 'tsconfig.json' ? '' : ` --app-project ${options.project}`}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    console.error(`prepare-app: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  });
}
