/**
 * `pnpm bench`: generate a realistic project (seeded, reproducible), then measure in separate
 * processes, side by side (interleaved rounds):
 * - at 1x: `tsc --noEmit`, a bare parse, the type-aware and syntax-only audits, ESLint with and
 *   without our rules (typed and untyped, TIMING=all), and the CLI's start-up;
 * - at 2x and 4x: tsc and the audits, for how the audit grows with the number of files;
 * - workers (`audit --concurrency N`, N = 1, 2, 4, when the CLI has the flag): the syntax-only audit
 *   of the 1x project, and the type-aware audit of the same files split into packages with a
 *   tsconfig each (a program per tsconfig);
 * - `--app <dir>`: the type-aware audit and tsc on a real application (prepared outside the
 *   repository by prepare-app.ts, see README.md).
 * Reports medians, peak memory, the ratios against the targets (every target row, skipped ones with
 * the reason). Results go to stdout and .bench/results.json.
 *
 *   pnpm bench [--files N] [--scale 1,2,4] [--runs k] [--scale-runs k] [--seed S] [--quick] [--profile] [--skip-eslint]
 *              [--skip-workers] [--worker-runs k] [--app <dir> [--app-project tsconfig.json] [--app-runs k]] [--from installed|sources]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { countByRule, parseTiming, splitTiming, writeEslintConfig } from './eslint.ts';
import { installedToolchain, type Toolchain } from './installed.ts';
import { DEFAULT_SEED, FIXTURE_NODE_MODULES, generateProject, writeProject } from './generate.ts';
import { countSources } from './prepare-app.ts';
import { CommandFailed, machine, median, runOnce, summarize, type Command, type Sample } from './measure.ts';
import { summarizeProfile, type ProfileSummary } from './profile.ts';
import { optionValue } from './args.ts';
import {
  formatResults, LINEAR_TOLERANCE, ratio, ROW_NAMES,
  type AppResult, type EslintResult, type Results, type RowKey, type RowResult, type ScaleResult, type ScalingRow, type Target, type WorkersKind, type WorkersResult,
} from './report.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const BENCH = path.join(REPO, '.bench');
/**
 * Generated projects (and the runs' scratch files) live in the OS temp directory, outside the
 * repository: no repository tool (lint, typecheck, tests, an audit of the repository) should ever walk
 * thousands of generated files with deliberate findings.
 */
const PROJECTS = path.join(os.tmpdir(), 'resilience-kit-bench');
const SCRATCH = path.join(PROJECTS, 'scratch');
/** The CLI run from the repository's sources (tsx compiles them on the fly): `--from sources`. */
const SOURCES: Toolchain = {
  from: 'sources',
  cli: path.join(REPO, 'packages/cli/bin/resilience.js'),
  eslint: path.join(REPO, 'node_modules/eslint/bin/eslint.js'),
  imports: { plugin: 'eslint-plugin-resilience', tseslint: 'typescript-eslint' },
  configExtension: '.ts',
};
const PARSE = path.join(import.meta.dirname, 'children', 'parse-files.cjs');
// The TypeScript the CLI itself loads, so tsc and the bare parse run the same compiler version.
const TYPESCRIPT = createRequire(path.join(REPO, 'packages/cli/package.json')).resolve('typescript');
const TSC = path.join(path.dirname(TYPESCRIPT), '..', 'bin', 'tsc');

/**
 * 1,000 files at 1x: the whole default run (1x with ESLint typed and untyped, 3 runs + warm-up; 2x
 * and 4x for the audits and tsc; the worker rows, 1 run per N) took about 14 minutes on a busy
 * 2-core machine (load average 5 to 9), 20 with `--app` on Outline (tsc alone takes 3.5 to 4 minutes there).
 */
const DEFAULT_FILES = 1_000;
/** The worker counts measured (the first is the reference), and the target's N. */
const WORKERS = [1, 2, 4] as const;
const WORKERS_TARGET_N = 2;
/** Packages (tsconfigs) of the multi-tsconfig project the type-aware worker rows audit. */
const PACKAGES = 4;
const NO_APP = 'no --app given (see scripts/bench/README.md or the usage text for how to prepare one)';

const USAGE = `usage: pnpm bench [--files N] [--scale 1,2,4] [--runs k] [--scale-runs k] [--seed S] [--quick] [--profile] [--skip-eslint]
                  [--skip-workers] [--worker-runs k] [--app <dir> [--app-project tsconfig.json] [--app-runs k]] [--from installed|sources]

  --quick           120 files, scales 1,2, 1 run: for development (with --from sources)
  --skip-eslint     no ESLint rows (typed and untyped)
  --skip-workers    no \`audit --concurrency N\` rows (N = ${WORKERS.join(', ')})
  --worker-runs k   runs per worker count (default 1; no warm-up)
  --app <dir>       also compare the type-aware audit with tsc --noEmit on a real application: a
                    checkout with its dependencies installed, outside this repository. Prepare one with
                      pnpm exec tsx scripts/bench/prepare-app.ts --git-dir <repo.git> --commit <sha> --into <dir> --check
  --app-project f   its tsconfig, relative to <dir> (default tsconfig.json)
  --app-runs k      runs of each (default 1, no warm-up: tsc takes minutes on a large application)
  --from installed  measure the packed packages installed with npm (default); sources: the repository's TypeScript`;

interface Options {
  readonly files: number;
  readonly scales: readonly number[];
  readonly runs: number;
  /** Runs per command at the larger scales (no warm-up there: the 1x rounds warmed the caches). */
  readonly scaleRuns: number;
  readonly seed: number;
  readonly quick: boolean;
  readonly profile: boolean;
  readonly eslint: boolean;
  /** `installed` (default): the packed packages installed with npm; `sources`: the repository's TypeScript. */
  readonly from: 'installed' | 'sources';
  readonly workers: boolean;
  readonly workerRuns: number;
  /** `--app`: absolute path of a real application with its dependencies installed. */
  readonly app: string | undefined;
  readonly appProject: string;
  readonly appRuns: number;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => optionValue(argv, name);
  const known = new Set(['--files', '--scale', '--runs', '--scale-runs', '--seed', '--quick', '--profile', '--skip-eslint', '--skip-workers', '--worker-runs', '--app', '--app-project', '--app-runs', '--from', '--help']);
  for (const arg of argv) if (arg.startsWith('--') && !known.has(arg)) throw new Error(`unknown option ${arg}\n${USAGE}`);
  if (argv.includes('--help')) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = argv.includes('--quick');
  const positiveInt = (name: string, fallback: number): number => {
    const raw = value(name);
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
    return n;
  };
  const scales = (value('--scale') ?? (quick ? '1,2' : '1,2,4')).split(',').map(Number);
  if (scales.some((s) => !Number.isInteger(s) || s < 1) || scales[0] !== 1) throw new Error('--scale must be positive integers starting with 1, e.g. 1,2,4');
  return {
    files: positiveInt('--files', quick ? 120 : DEFAULT_FILES),
    scales,
    runs: positiveInt('--runs', quick ? 1 : 3),
    scaleRuns: positiveInt('--scale-runs', 1),
    seed: positiveInt('--seed', DEFAULT_SEED),
    quick,
    profile: argv.includes('--profile'),
    eslint: !argv.includes('--skip-eslint'),
    from: parseFrom(value('--from')),
    workers: !argv.includes('--skip-workers'),
    workerRuns: positiveInt('--worker-runs', 1),
    ...appOptions(value('--app'), value('--app-project')),
    appRuns: positiveInt('--app-runs', 1),
  };
}

/** `--app` checked before anything runs: a mistake should not surface after the rest of the bench. */
function appOptions(app: string | undefined, project: string | undefined): Pick<Options, 'app' | 'appProject'> {
  const appProject = project ?? 'tsconfig.json';
  if (app === undefined) {
    if (project !== undefined) throw new Error('--app-project needs --app');
    return { app: undefined, appProject };
  }
  const dir = path.resolve(app);
  const inRepo = path.relative(REPO, dir);
  if (!inRepo.startsWith('..') && !path.isAbsolute(inRepo)) throw new Error(`--app ${app} is inside the repository: prepare it in a scratch folder outside (see scripts/bench/README.md)`);
  if (!existsSync(path.join(dir, appProject))) throw new Error(`--app ${app}: no ${appProject} there (--app-project)`);
  if (!existsSync(path.join(dir, 'node_modules'))) throw new Error(`--app ${app}: no node_modules (install its dependencies first: scripts/bench/prepare-app.ts)`);
  return { app: dir, appProject };
}

function parseFrom(raw: string | undefined): Options['from'] {
  if (raw === undefined || raw === 'installed' || raw === 'sources') return raw ?? 'installed';
  throw new Error('--from must be installed or sources');
}

/** Which audit flags this checkout's CLI has (others are adding some while this bench exists). */
function auditFlags(toolchain: Toolchain): { syntaxOnly: boolean; noConfig: boolean; concurrency: boolean; helpError?: string } {
  const help = spawnSync(process.execPath, [toolchain.cli, 'audit', '--help'], { encoding: 'utf8', cwd: REPO });
  if (help.status !== 0) return { syntaxOnly: false, noConfig: false, concurrency: false, helpError: (help.stderr || help.stdout).trim().split('\n')[0] ?? 'unknown error' };
  return { syntaxOnly: help.stdout.includes('--syntax-only'), noConfig: help.stdout.includes('--no-config'), concurrency: help.stdout.includes('--concurrency') };
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function projectDir(files: number, seed: number, packages = 1): string {
  return path.join(PROJECTS, `files-${files}-seed-${seed}${packages > 1 ? `-packages-${packages}` : ''}`);
}

function prepareProject(files: number, seed: number, packages = 1) {
  const project = generateProject({ files, seed, packages });
  const dir = projectDir(files, seed, packages);
  writeProject(dir, project, FIXTURE_NODE_MODULES);
  return { dir, stats: project.stats };
}

function commandsFor(dir: string, keys: readonly RowKey[], flags: ReturnType<typeof auditFlags>, toolchain: Toolchain): Map<RowKey, Command | string> {
  const CLI = toolchain.cli;
  const out = path.join(SCRATCH, path.basename(dir));
  mkdirSync(out, { recursive: true });
  const config = flags.noConfig ? ['--no-config'] : [];
  const all: Record<RowKey, () => Command | string> = {
    tsc: () => ({ name: ROW_NAMES.tsc, args: [TSC, '--noEmit', '-p', 'tsconfig.json'], cwd: dir, okExitCodes: [0] }),
    parse: () => ({ name: ROW_NAMES.parse, args: [PARSE, TYPESCRIPT, path.join(dir, 'src')], cwd: dir, okExitCodes: [0] }),
    audit: () => flags.helpError !== undefined ? `the CLI does not start: ${flags.helpError}` : ({
      name: ROW_NAMES.audit,
      args: [CLI, 'audit', 'src', '--project', 'tsconfig.json', '--format', 'json', '--output', path.join(out, 'audit.json'), ...config],
      cwd: dir,
      okExitCodes: [0, 1],
    }),
    auditSyntax: () => flags.helpError !== undefined ? `the CLI does not start: ${flags.helpError}`
      : !flags.syntaxOnly ? '`resilience audit` has no --syntax-only flag in this checkout'
        : ({
            name: ROW_NAMES.auditSyntax,
            // One worker (the target is stated for one), whatever the CLI's default concurrency.
            args: [CLI, 'audit', 'src', '--syntax-only', ...(flags.concurrency ? ['--concurrency', '1'] : []), '--format', 'json', '--output', path.join(out, 'audit-syntax.json'), ...config],
            cwd: dir,
            okExitCodes: [0, 1],
          }),
    eslintPlain: () => eslintCommand(dir, out, 'plain', toolchain, true),
    eslintResilience: () => eslintCommand(dir, out, 'resilience', toolchain, true),
    eslintPlainUntyped: () => eslintCommand(dir, out, 'plain', toolchain, false),
    eslintResilienceUntyped: () => eslintCommand(dir, out, 'resilience', toolchain, false),
    // Start-up: what `--help` and `--version` cost before any analysis (target: well under 0.3 s).
    startup: () => ({ name: ROW_NAMES.startup, args: [CLI, '--version'], cwd: dir, okExitCodes: [0] }),
    startupSources: () => ({ name: ROW_NAMES.startupSources, args: [SOURCES.cli, '--version'], cwd: dir, okExitCodes: [0] }),
  };
  return new Map(keys.map((k) => [k, all[k]()]));
}

function eslintCommand(dir: string, out: string, variant: 'plain' | 'resilience', toolchain: Toolchain, typed: boolean): Command {
  const config = writeEslintConfig(dir, variant, toolchain, typed);
  const key: RowKey = variant === 'plain' ? (typed ? 'eslintPlain' : 'eslintPlainUntyped') : (typed ? 'eslintResilience' : 'eslintResilienceUntyped');
  return {
    name: ROW_NAMES[key],
    args: [toolchain.eslint, '--config', path.basename(config), '--format', 'json', '--output-file', path.join(out, `eslint-${variant}${typed ? '' : '-untyped'}.json`), 'src'],
    cwd: dir,
    env: { TIMING: 'all' },
    okExitCodes: [0, 1],
  };
}

/**
 * One warm-up round, then `runs` rounds; each round runs every command once (interleaved, so a
 * burst of load from elsewhere on the machine hits all of them alike). A command that fails is
 * reported and left out of later rounds; the bench goes on.
 */
function measureAll<K extends string>(label: string, commands: Map<K, Command | string>, runs: number, warmUp: boolean): { rows: Partial<Record<K, RowResult>>; samples: Map<K, Sample[]> } {
  const samples = new Map<K, Sample[]>();
  const problems = new Map<K, string>();
  for (const [key, command] of commands) if (typeof command === 'string') problems.set(key, command);
  for (let round = warmUp ? 0 : 1; round <= runs; round++) {
    for (const [key, command] of commands) {
      if (typeof command === 'string' || problems.has(key)) continue;
      const tag = round === 0 ? 'warm-up' : `run ${round}/${runs}`;
      try {
        const sample = runOnce(command, SCRATCH);
        log(`  [${label} ${tag}] ${command.name}: ${(sample.wallMs / 1000).toFixed(2)} s wall, ${(sample.cpuMs / 1000).toFixed(2)} s CPU, ${Math.round(sample.maxRssMb)} MB`);
        if (round > 0) samples.set(key, [...(samples.get(key) ?? []), sample]);
      } catch (error) {
        const message = error instanceof CommandFailed ? error.message : String(error);
        log(`  [${label} ${tag}] ${command.name}: FAILED, left out: ${message}`);
        problems.set(key, message);
      }
    }
  }
  const rows: Partial<Record<K, RowResult>> = {};
  for (const key of commands.keys()) {
    const list = samples.get(key);
    rows[key] = problems.has(key) || !list ? { problem: problems.get(key) ?? 'no runs' } : { summary: summarize(list) };
  }
  return { rows, samples };
}

function eslintResult(samples: Map<RowKey, Sample[]>, rows: ScaleResult['rows'], dir: string, typed: boolean): EslintResult | undefined {
  const [plainKey, oursKey]: readonly [RowKey, RowKey] = typed ? ['eslintPlain', 'eslintResilience'] : ['eslintPlainUntyped', 'eslintResilienceUntyped'];
  const plain = rows[plainKey]?.summary;
  const withOurs = rows[oursKey]?.summary;
  if (!plain || !withOurs) return undefined;
  const timings = (key: RowKey) => (samples.get(key) ?? []).map((s) => splitTiming(parseTiming(s.stdout)));
  const plainTimings = timings(plainKey);
  const oursTimings = timings(oursKey);
  const oursMs = median(oursTimings.map((t) => t.oursMs));
  const resilienceRulesMs = median(oursTimings.map((t) => t.allRulesMs));
  const out = path.join(SCRATCH, path.basename(dir));
  const read = (file: string) => (existsSync(path.join(out, file)) ? readFileSync(path.join(out, file), 'utf8') : undefined);
  const eslintJson = read(`eslint-resilience${typed ? '' : '-untyped'}.json`);
  const eslintCounts = eslintJson ? Object.fromEntries(Object.entries(countByRule(eslintJson)).filter(([id]) => id.startsWith('resilience/')).map(([id, n]) => [id.slice('resilience/'.length), n])) : {};
  return {
    plainRulesMs: median(plainTimings.map((t) => t.allRulesMs)),
    resilienceRulesMs,
    oursMs,
    addedWall: (withOurs.wallMs - plain.wallMs) / plain.wallMs,
    addedCpu: (withOurs.cpuMs - plain.cpuMs) / plain.cpuMs,
    oursOverWall: oursMs / withOurs.wallMs,
    oursOverRules: oursMs / resilienceRulesMs,
    findings: { eslint: sortKeys(eslintCounts), audit: sortKeys(auditCounts(read('audit.json'))) },
  };
}

function auditCounts(json: string | undefined): Record<string, number> {
  if (!json) return {};
  const report = JSON.parse(json) as { findings?: { ruleId: string }[] };
  const counts: Record<string, number> = {};
  for (const finding of report.findings ?? []) counts[finding.ruleId] = (counts[finding.ruleId] ?? 0) + 1;
  return counts;
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

interface TargetInputs {
  readonly base: ScaleResult;
  readonly eslint: EslintResult | undefined;
  readonly eslintUntyped: EslintResult | undefined;
  readonly workers: readonly WorkersResult[];
  readonly app: AppResult;
  readonly scaling: readonly ScalingRow[];
  readonly options: Options;
}

/** Every target row, in the order of the targets table; a row without numbers says why. */
function targetsOf({ base, eslint, eslintUntyped, workers, app, scaling, options }: TargetInputs): Target[] {
  const r = base.rows;
  const worst = (pick: (row: ScalingRow) => number | undefined) => {
    const values = scaling.slice(1).map(pick).filter((v): v is number => v !== undefined);
    return values.length > 0 ? Math.max(...values) : undefined;
  };
  const runs = (...rows: (RowResult | undefined)[]) => {
    const counts = [...new Set(rows.map((row) => row?.summary?.runs).filter((n) => n !== undefined))];
    return counts.length === 0 ? undefined : counts.join('/');
  };
  const skipped = (...rows: (RowResult | undefined)[]) => {
    const problem = rows.find((row) => row?.problem !== undefined)?.problem;
    return problem === undefined ? {} : { note: `skipped: ${problem}` };
  };
  const eslintSkip = (typed: boolean, e: EslintResult | undefined) => e !== undefined ? {}
    : !options.eslint ? { note: 'skipped: --skip-eslint' }
      : skipped(...(typed ? [r.eslintPlain, r.eslintResilience] : [r.eslintPlainUntyped, r.eslintResilienceUntyped]));
  const workerTarget = (kind: WorkersKind, name: string): Target => {
    const w = workers.find((x) => x.kind === kind);
    const at = (n: number) => w?.rows.find((row) => row.workers === n)?.result;
    const others = WORKERS.filter((n) => n !== 1 && n !== WORKERS_TARGET_N)
      .map((n) => `N=${n}: ${ratio(at(n)?.summary, at(1)?.summary, 'wallMs')?.toFixed(2) ?? 'n/a'}x`).join(', ');
    const note = w?.problem !== undefined ? `skipped: ${w.problem}` : skipped(at(1), at(WORKERS_TARGET_N)).note ?? others;
    return {
      name: `${name}: wall time with ${WORKERS_TARGET_N} workers / with 1`,
      runs: w && w.problem === undefined ? `${w.runs} per N` : undefined,
      value: ratio(at(WORKERS_TARGET_N)?.summary, at(1)?.summary, 'wallMs'),
      limit: 0.65,
      unit: 'x',
      ...(note !== undefined ? { note } : {}),
    };
  };
  const appNote = app.problem !== undefined ? { note: `skipped: ${app.problem}` } : skipped(app.audit, app.tsc);
  return [
    { name: 'type-aware audit / tsc --noEmit, generated project', runs: runs(r.audit, r.tsc), value: ratio(r.audit?.summary, r.tsc?.summary, 'wallMs'), cpuValue: ratio(r.audit?.summary, r.tsc?.summary, 'cpuMs'), limit: 0.3, unit: 'x', ...skipped(r.audit, r.tsc) },
    { name: 'type-aware audit / tsc --noEmit, real application', runs: runs(app.audit, app.tsc), value: ratio(app.audit?.summary, app.tsc?.summary, 'wallMs'), cpuValue: ratio(app.audit?.summary, app.tsc?.summary, 'cpuMs'), limit: 0.1, unit: 'x', ...appNote },
    { name: 'syntax-only audit / bare parse, one worker', runs: runs(r.auditSyntax, r.parse), value: ratio(r.auditSyntax?.summary, r.parse?.summary, 'wallMs'), cpuValue: ratio(r.auditSyntax?.summary, r.parse?.summary, 'cpuMs'), limit: 1.5, unit: 'x', ...skipped(r.auditSyntax, r.parse) },
    workerTarget('syntax', 'syntax-only audit'),
    workerTarget('typed', `type-aware audit, ${PACKAGES} tsconfigs`),
    { name: 'ESLint typed: added by our rules, (with − without) / without', runs: runs(r.eslintPlain, r.eslintResilience), value: eslint?.addedWall, cpuValue: eslint?.addedCpu, limit: 0.05, unit: '%', ...eslintSkip(true, eslint) },
    { name: 'ESLint typed: our rules in TIMING / with-run wall time', runs: runs(r.eslintResilience), value: eslint?.oursOverWall, limit: 0.05, unit: '%', ...eslintSkip(true, eslint) },
    { name: 'ESLint untyped: added by our rules, (with − without) / without', runs: runs(r.eslintPlainUntyped, r.eslintResilienceUntyped), value: eslintUntyped?.addedWall, cpuValue: eslintUntyped?.addedCpu, limit: 0.1, unit: '%', ...eslintSkip(false, eslintUntyped) },
    { name: 'ESLint untyped: our rules in TIMING / with-run wall time', runs: runs(r.eslintResilienceUntyped), value: eslintUntyped?.oursOverWall, limit: 0.1, unit: '%', ...eslintSkip(false, eslintUntyped) },
    // Peak RSS: the value goes in the Wall column (no CPU counterpart).
    { name: 'peak memory: type-aware audit / tsc --noEmit, generated project', runs: runs(r.audit, r.tsc), value: ratio(r.audit?.summary, r.tsc?.summary, 'maxRssMb'), limit: 0.5, unit: 'x', ...skipped(r.audit, r.tsc) },
    { name: 'peak memory: type-aware audit / tsc --noEmit, real application', runs: runs(app.audit, app.tsc), value: ratio(app.audit?.summary, app.tsc?.summary, 'maxRssMb'), limit: 0.5, unit: 'x', ...appNote },
    { name: 'resilience --version: start-up', runs: runs(r.startup), value: seconds(r.startup?.summary?.wallMs), cpuValue: seconds(r.startup?.summary?.cpuMs), limit: 0.3, unit: 's', ...skipped(r.startup) },
    { name: 'audit growth: per-file time vs 1x, worst scale', runs: scaling.length > 1 ? String(options.scaleRuns) : undefined, value: worst((s) => s.auditPerFileRatio), cpuValue: worst((s) => s.auditCpuPerFileRatio), limit: LINEAR_TOLERANCE, unit: 'x', note: scaling.length > 1 ? `linear = 1.0, ${scaling.map((s) => `${s.scale}x`).join('/')}` : 'skipped: one scale only' },
    { name: 'syntax-only growth: per-file time vs 1x, worst scale', runs: scaling.length > 1 ? String(options.scaleRuns) : undefined, value: worst((s) => s.syntaxPerFileRatio), cpuValue: worst((s) => s.syntaxCpuPerFileRatio), limit: LINEAR_TOLERANCE, unit: 'x', note: scaling.length > 1 ? `linear = 1.0, ${scaling.map((s) => `${s.scale}x`).join('/')}` : 'skipped: one scale only' },
  ];
}

/**
 * `audit --concurrency N` for N in WORKERS, interleaved (one round runs every N once): the
 * syntax-only audit of `src` in the 1x project, and the type-aware audit of `packages` (no
 * --project: a program per package tsconfig) in the same files split into PACKAGES packages.
 * No warm-up: the 1x rounds warmed the caches, and the project split was just written.
 */
function measureWorkers(options: Options, flags: ReturnType<typeof auditFlags>, toolchain: Toolchain): WorkersResult[] {
  const kinds: { kind: WorkersKind; workload: string }[] = [
    { kind: 'syntax', workload: `${options.files} files, src/ (--syntax-only)` },
    { kind: 'typed', workload: `${options.files} files in ${PACKAGES} packages, a tsconfig each (audit packages, no --project)` },
  ];
  const problem = !options.workers ? '--skip-workers'
    : flags.helpError !== undefined ? `the CLI does not start: ${flags.helpError}`
      : !flags.concurrency ? '`resilience audit` has no --concurrency flag in this checkout'
        : undefined;
  if (problem !== undefined) return kinds.map((k) => ({ ...k, runs: 0, problem, rows: [] }));
  const config = flags.noConfig ? ['--no-config'] : [];
  return kinds.map(({ kind, workload }) => {
    if (kind === 'syntax' && !flags.syntaxOnly) return { kind, workload, runs: 0, problem: '`resilience audit` has no --syntax-only flag in this checkout', rows: [] };
    let dir: string;
    if (kind === 'syntax') dir = projectDir(options.files, options.seed);
    else {
      log(`\nworkers: generating ${options.files} files in ${PACKAGES} packages…`);
      try {
        dir = prepareProject(options.files, options.seed, PACKAGES).dir;
      } catch (error) {
        return { kind, workload, runs: 0, problem: error instanceof Error ? error.message : String(error), rows: [] };
      }
      log(`  ${dir}`);
    }
    const out = path.join(SCRATCH, path.basename(dir));
    mkdirSync(out, { recursive: true });
    const commands = new Map<string, Command>(WORKERS.map((n) => [String(n), {
      name: `${kind === 'syntax' ? ROW_NAMES.auditSyntax : `${ROW_NAMES.audit}, ${PACKAGES} tsconfigs`} --concurrency ${n}`,
      args: [toolchain.cli, 'audit', ...(kind === 'syntax' ? ['src', '--syntax-only'] : ['packages']), '--concurrency', String(n), '--format', 'json', '--output', path.join(out, `audit-${kind}-${n}.json`), ...config],
      cwd: dir,
      okExitCodes: [0, 1],
    }]));
    const { rows } = measureAll(`workers ${kind}`, commands, options.workerRuns, false);
    return { kind, workload, runs: options.workerRuns, rows: WORKERS.map((n) => ({ workers: n, result: rows[String(n)] ?? { problem: 'not run' } })) };
  });
}

/**
 * `--app`: the type-aware audit (`audit . --project <tsconfig>`) and `tsc --noEmit -p <tsconfig>`
 * on a real application, interleaved, `--app-runs` rounds without warm-up. The audit runs first in
 * each round, so a cold file cache costs it, not tsc. `--incremental false`: an application's
 * tsconfig may ask for incremental builds, and tsc would then reuse its .tsbuildinfo from the last
 * round.
 */
function measureApp(options: Options, flags: ReturnType<typeof auditFlags>, toolchain: Toolchain): AppResult {
  if (options.app === undefined) return { problem: NO_APP };
  const dir = options.app;
  const files = countSources(dir);
  const base = { dir, project: options.appProject, files, runs: options.appRuns };
  log(`\napp: ${dir} (${files} .ts/.tsx files, -p ${options.appProject}), ${options.appRuns} run(s), no warm-up…`);
  const out = path.join(SCRATCH, 'app');
  mkdirSync(out, { recursive: true });
  const commands = new Map<'audit' | 'tsc', Command | string>([
    ['audit', flags.helpError !== undefined ? `the CLI does not start: ${flags.helpError}` : {
      name: `app: ${ROW_NAMES.audit}`,
      args: [toolchain.cli, 'audit', '.', '--project', options.appProject, '--format', 'json', '--output', path.join(out, 'audit.json'), ...(flags.noConfig ? ['--no-config'] : [])],
      cwd: dir,
      okExitCodes: [0, 1],
    }],
    // Type errors are fine (exit 1 or 2): the baseline is the time the check takes.
    ['tsc', { name: `app: ${ROW_NAMES.tsc}`, args: [TSC, '--noEmit', '--incremental', 'false', '-p', options.appProject], cwd: dir, okExitCodes: [0, 1, 2] }],
  ]);
  const { rows } = measureAll('app', commands, options.appRuns, false);
  return { ...base, audit: rows.audit, tsc: rows.tsc };
}

function seconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}

function scalingOf(scales: readonly ScaleResult[]): ScalingRow[] {
  const perFile = (s: ScaleResult, key: RowKey, field: 'wallMs' | 'cpuMs' = 'wallMs') => {
    const ms = s.rows[key]?.summary?.[field];
    return ms === undefined ? undefined : ms / s.project.files;
  };
  const base = scales[0]!;
  return scales.map((s, i) => {
    const previous = scales[i - 1];
    const auditMs = s.rows.audit?.summary?.wallMs;
    const previousMs = previous?.rows.audit?.summary?.wallMs;
    const rel = (key: RowKey, field: 'wallMs' | 'cpuMs' = 'wallMs') => {
      const a = perFile(s, key, field);
      const b = perFile(base, key, field);
      return a === undefined || b === undefined ? undefined : a / b;
    };
    return {
      scale: s.scale,
      files: s.project.files,
      auditMs,
      auditMsPerFile: perFile(s, 'audit'),
      auditPerFileRatio: rel('audit'),
      auditCpuPerFileRatio: rel('audit', 'cpuMs'),
      auditMarginalMsPerFile: previous && auditMs !== undefined && previousMs !== undefined ? (auditMs - previousMs) / (s.project.files - previous.project.files) : undefined,
      syntaxMs: s.rows.auditSyntax?.summary?.wallMs,
      syntaxPerFileRatio: rel('auditSyntax'),
      syntaxCpuPerFileRatio: rel('auditSyntax', 'cpuMs'),
      tscMs: s.rows.tsc?.summary?.wallMs,
      tscPerFileRatio: rel('tsc'),
      auditRssMb: s.rows.audit?.summary?.maxRssMb,
    };
  });
}

/** The rows worth a profile: the engine's own runs, and ESLint with our rules. */
const PROFILED: readonly RowKey[] = ['audit', 'auditSyntax', 'eslintResilience'];

/** One more run of each profiled row at 1x under `node --cpu-prof`, summarised. */
function profileRows(dir: string, flags: ReturnType<typeof auditFlags>, toolchain: Toolchain): Partial<Record<RowKey, ProfileSummary>> {
  const out: Partial<Record<RowKey, ProfileSummary>> = {};
  const profiles = path.join(BENCH, 'profiles');
  rmSync(profiles, { recursive: true, force: true });
  for (const [key, command] of commandsFor(dir, PROFILED, flags, toolchain)) {
    if (typeof command === 'string') continue;
    const into = path.join(profiles, key);
    mkdirSync(into, { recursive: true });
    try {
      runOnce({ ...command, args: ['--cpu-prof', '--cpu-prof-dir', into, ...command.args] }, SCRATCH);
    } catch (error) {
      log(`  profile of ${command.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    // The process's own profile is the largest (a worker would write a small one of its own).
    const largest = readdirSync(into).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(into, f))
      .sort((a, b) => statSync(b).size - statSync(a).size)[0];
    if (!largest) continue;
    log(`  profile of ${command.name}: ${path.relative(REPO, largest)}`);
    out[key] = summarizeProfile(largest, REPO);
  }
  return out;
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const before = machine();
  log(`resilience-kit bench: ${options.files} files at 1x, scales ${options.scales.join(', ')}, ${options.runs} run(s) + 1 warm-up, seed ${options.seed}`);
  log(`  workers: ${options.workers ? `N = ${WORKERS.join(', ')}, ${options.workerRuns} run(s) each` : 'skipped'}; app: ${options.app === undefined ? 'none' : `${options.app}, ${options.appRuns} run(s)`}`);
  log(`machine: ${before.cpus} × ${before.cpuModel}, ${before.memoryGb} GB, Node ${before.node}, load average ${before.loadAverage.join(' ')}`);
  mkdirSync(PROJECTS, { recursive: true });
  const toolchain = options.from === 'installed' ? installedToolchain(PROJECTS, log) : SOURCES;
  log(`measuring ${toolchain.from === 'installed' ? 'the packed packages, installed with npm' : "the repository's sources (tsx, jiti)"}: ${toolchain.cli}`);
  const flags = auditFlags(toolchain);
  if (flags.helpError) log(`warning: the CLI does not start (${flags.helpError}); the audit rows are skipped`);
  else if (!flags.syntaxOnly) log('warning: `resilience audit --syntax-only` does not exist in this checkout; that row is skipped');
  if (flags.helpError === undefined && !flags.concurrency && options.workers) log('warning: `resilience audit --concurrency` does not exist in this checkout; the worker rows are skipped');
  mkdirSync(SCRATCH, { recursive: true });

  const scales: ScaleResult[] = [];
  let eslint: EslintResult | undefined;
  let eslintUntyped: EslintResult | undefined;
  for (const scale of options.scales) {
    const files = options.files * scale;
    log(`\n${scale}x: generating ${files} files…`);
    const { dir, stats } = prepareProject(files, options.seed);
    log(`  ${dir}: ${stats.lines} lines, ${(stats.networkShare * 100).toFixed(1)}% network code`);
    const keys: RowKey[] = scale === 1
      ? ['tsc', 'parse', 'audit', 'auditSyntax', ...(options.eslint ? (['eslintPlain', 'eslintResilience', 'eslintPlainUntyped', 'eslintResilienceUntyped'] as const) : []), 'startup', ...(toolchain.from === 'installed' ? (['startupSources'] as const) : [])]
      : ['tsc', 'audit', 'auditSyntax'];
    const { rows, samples } = scale === 1
      ? measureAll('1x', commandsFor(dir, keys, flags, toolchain), options.runs, true)
      : measureAll(`${scale}x`, commandsFor(dir, keys, flags, toolchain), options.scaleRuns, false);
    if (rows.tsc?.problem) log(`  warning: tsc failed on the generated project, so the tsc baseline is missing: ${rows.tsc.problem}`);
    scales.push({ scale, project: stats, rows });
    if (scale === 1) {
      eslint = eslintResult(samples, rows, dir, true);
      eslintUntyped = eslintResult(samples, rows, dir, false);
    }
  }
  const workers = measureWorkers(options, flags, toolchain);
  const app = measureApp(options, flags, toolchain);
  if (options.profile) log('\nprofiling (node --cpu-prof) at 1x…');
  const profiles = options.profile ? profileRows(projectDir(options.files, options.seed), flags, toolchain) : {};
  const scaling = scalingOf(scales);
  const results: Results = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: { ...before, loadAverageAtEnd: machine().loadAverage },
    options: { ...options, eslintParserOptions: { typed: { projectService: true }, untyped: {} }, typescript: path.relative(REPO, TYPESCRIPT), workers: options.workers ? WORKERS : [], packages: PACKAGES },
    scales,
    eslint,
    eslintUntyped,
    workers,
    app,
    targets: targetsOf({ base: scales[0]!, eslint, eslintUntyped, workers, app, scaling, options }),
    scaling,
    profiles,
  };
  mkdirSync(BENCH, { recursive: true });
  writeFileSync(path.join(BENCH, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${formatResults(results)}\n`);
  if (options.eslint) console.log('ESLint runs: typed pair with parserOptions.projectService: true, untyped pair with no type information (each pair differs only by resilience recommended).');
  const measured = [
    `1x rows ${options.runs} + 1 warm-up`,
    ...(options.scales.length > 1 ? [`other scales ${options.scaleRuns}`] : []),
    ...(workers.some((w) => w.problem === undefined) ? [`workers ${options.workerRuns} per N`] : []),
    ...(app.problem === undefined ? [`app ${options.appRuns} (no warm-up)`] : []),
  ];
  console.log(`Runs: ${measured.join('; ')}. ${flags.concurrency ? 'The syntax-only rows run with --concurrency 1; the type-aware rows with the CLI\'s default (as a user runs it).' : ''}`.trimEnd());
  console.log('CPU counts every thread of the measured process and the child processes it waited for; peak RSS is the measured process\'s own.');
  console.log(`Load average ${before.loadAverage.join(' ')} at start, ${machine().loadAverage.join(' ')} at end (${before.cpus} cores): wall times are noisy when it exceeds the cores.`);
  console.log(`Results: ${path.relative(REPO, path.join(BENCH, 'results.json'))}`);
}

try {
  main();
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
