/**
 * `pnpm bench`: generate a realistic project (seeded, reproducible), then measure in separate
 * processes `tsc --noEmit`, a bare parse, the type-aware and syntax-only audits, and ESLint with and
 * without our rules; report medians, peak memory, the ratios against the targets, and how the
 * audit scales with the number of files. Results go to stdout and .bench/results.json.
 *
 *   pnpm bench [--files N] [--scale 1,2,4] [--runs k] [--scale-runs k] [--seed S] [--quick] [--profile] [--skip-eslint] [--from installed|sources]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { countByRule, parseTiming, splitTiming, writeEslintConfig } from './eslint.ts';
import { installedToolchain, type Toolchain } from './installed.ts';
import { DEFAULT_SEED, FIXTURE_NODE_MODULES, generateProject, writeProject } from './generate.ts';
import { CommandFailed, machine, median, runOnce, summarize, type Command, type Sample } from './measure.ts';
import { summarizeProfile, type ProfileSummary } from './profile.ts';
import {
  formatResults, LINEAR_TOLERANCE, ratio, ROW_NAMES,
  type EslintResult, type Results, type RowKey, type RowResult, type ScaleResult, type ScalingRow, type Target,
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
 * 1,000 files at 1x: the whole default run (1x with ESLint, 3 runs + warm-up; 2x and 4x for the
 * audits and tsc) takes about 6 minutes on an idle 2-core machine; 1,500 took about 11.
 */
const DEFAULT_FILES = 1_000;

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
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
    return v;
  };
  const known = new Set(['--files', '--scale', '--runs', '--scale-runs', '--seed', '--quick', '--profile', '--skip-eslint', '--from', '--help']);
  for (const arg of argv) if (arg.startsWith('--') && !known.has(arg)) throw new Error(`unknown option ${arg}`);
  if (argv.includes('--help')) {
    console.log('usage: pnpm bench [--files N] [--scale 1,2,4] [--runs k] [--scale-runs k] [--seed S] [--quick] [--profile] [--skip-eslint] [--from installed|sources]');
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
  };
}

function parseFrom(raw: string | undefined): Options['from'] {
  if (raw === undefined || raw === 'installed' || raw === 'sources') return raw ?? 'installed';
  throw new Error('--from must be installed or sources');
}

/** Which audit flags this checkout's CLI has (others are adding some while this bench exists). */
function auditFlags(toolchain: Toolchain): { syntaxOnly: boolean; noConfig: boolean; helpError?: string } {
  const help = spawnSync(process.execPath, [toolchain.cli, 'audit', '--help'], { encoding: 'utf8', cwd: REPO });
  if (help.status !== 0) return { syntaxOnly: false, noConfig: false, helpError: (help.stderr || help.stdout).trim().split('\n')[0] ?? 'unknown error' };
  return { syntaxOnly: help.stdout.includes('--syntax-only'), noConfig: help.stdout.includes('--no-config') };
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function projectDir(files: number, seed: number): string {
  return path.join(PROJECTS, `files-${files}-seed-${seed}`);
}

function prepareProject(files: number, seed: number) {
  const project = generateProject({ files, seed });
  const dir = projectDir(files, seed);
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
            args: [CLI, 'audit', 'src', '--syntax-only', '--format', 'json', '--output', path.join(out, 'audit-syntax.json'), ...config],
            cwd: dir,
            okExitCodes: [0, 1],
          }),
    eslintPlain: () => eslintCommand(dir, out, 'plain', toolchain),
    eslintResilience: () => eslintCommand(dir, out, 'resilience', toolchain),
    // Start-up: what `--help` and `--version` cost before any analysis (target: well under 0.3 s).
    startup: () => ({ name: ROW_NAMES.startup, args: [CLI, '--version'], cwd: dir, okExitCodes: [0] }),
    startupSources: () => ({ name: ROW_NAMES.startupSources, args: [SOURCES.cli, '--version'], cwd: dir, okExitCodes: [0] }),
  };
  return new Map(keys.map((k) => [k, all[k]()]));
}

function eslintCommand(dir: string, out: string, variant: 'plain' | 'resilience', toolchain: Toolchain): Command {
  const config = writeEslintConfig(dir, variant, toolchain);
  return {
    name: ROW_NAMES[variant === 'plain' ? 'eslintPlain' : 'eslintResilience'],
    args: [toolchain.eslint, '--config', path.basename(config), '--format', 'json', '--output-file', path.join(out, `eslint-${variant}.json`), 'src'],
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
function measureAll(label: string, commands: Map<RowKey, Command | string>, runs: number, warmUp: boolean): { rows: Partial<Record<RowKey, RowResult>>; samples: Map<RowKey, Sample[]> } {
  const samples = new Map<RowKey, Sample[]>();
  const problems = new Map<RowKey, string>();
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
  const rows: Partial<Record<RowKey, RowResult>> = {};
  for (const key of commands.keys()) {
    const list = samples.get(key);
    rows[key] = problems.has(key) || !list ? { problem: problems.get(key) ?? 'no runs' } : { summary: summarize(list) };
  }
  return { rows, samples };
}

function eslintResult(samples: Map<RowKey, Sample[]>, rows: ScaleResult['rows'], dir: string): EslintResult | undefined {
  const plain = rows.eslintPlain?.summary;
  const withOurs = rows.eslintResilience?.summary;
  if (!plain || !withOurs) return undefined;
  const timings = (key: RowKey) => (samples.get(key) ?? []).map((s) => splitTiming(parseTiming(s.stdout)));
  const plainTimings = timings('eslintPlain');
  const oursTimings = timings('eslintResilience');
  const oursMs = median(oursTimings.map((t) => t.oursMs));
  const resilienceRulesMs = median(oursTimings.map((t) => t.allRulesMs));
  const out = path.join(SCRATCH, path.basename(dir));
  const read = (file: string) => (existsSync(path.join(out, file)) ? readFileSync(path.join(out, file), 'utf8') : undefined);
  const eslintJson = read('eslint-resilience.json');
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

function targetsOf(base: ScaleResult, eslint: EslintResult | undefined, scaling: readonly ScalingRow[]): Target[] {
  const r = base.rows;
  const worst = (pick: (row: ScalingRow) => number | undefined) => {
    const values = scaling.slice(1).map(pick).filter((v): v is number => v !== undefined);
    return values.length > 0 ? Math.max(...values) : undefined;
  };
  return [
    { name: 'type-aware audit / tsc --noEmit', value: ratio(r.audit?.summary, r.tsc?.summary, 'wallMs'), cpuValue: ratio(r.audit?.summary, r.tsc?.summary, 'cpuMs'), limit: 0.5, unit: 'x' },
    { name: 'syntax-only audit / bare parse', value: ratio(r.auditSyntax?.summary, r.parse?.summary, 'wallMs'), cpuValue: ratio(r.auditSyntax?.summary, r.parse?.summary, 'cpuMs'), limit: 1.5, unit: 'x', ...(r.auditSyntax?.problem ? { note: `skipped: ${r.auditSyntax.problem}` } : {}) },
    { name: 'ESLint: added by our rules, (with − without) / without', value: eslint?.addedWall, cpuValue: eslint?.addedCpu, limit: 0.05, unit: '%' },
    { name: 'ESLint: our rules in TIMING / with-run wall time', value: eslint?.oursOverWall, limit: 0.05, unit: '%' },
    { name: 'resilience --version: start-up', value: seconds(r.startup?.summary?.wallMs), cpuValue: seconds(r.startup?.summary?.cpuMs), limit: 0.3, unit: 's' },
    { name: 'audit growth: per-file time vs 1x, worst scale', value: worst((s) => s.auditPerFileRatio), cpuValue: worst((s) => s.auditCpuPerFileRatio), limit: LINEAR_TOLERANCE, unit: 'x', note: 'linear = 1.0' },
    { name: 'syntax-only growth: per-file time vs 1x, worst scale', value: worst((s) => s.syntaxPerFileRatio), cpuValue: worst((s) => s.syntaxCpuPerFileRatio), limit: LINEAR_TOLERANCE, unit: 'x', note: 'linear = 1.0' },
  ];
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
  log(`machine: ${before.cpus} × ${before.cpuModel}, ${before.memoryGb} GB, Node ${before.node}, load average ${before.loadAverage.join(' ')}`);
  mkdirSync(PROJECTS, { recursive: true });
  const toolchain = options.from === 'installed' ? installedToolchain(PROJECTS, log) : SOURCES;
  log(`measuring ${toolchain.from === 'installed' ? 'the packed packages, installed with npm' : "the repository's sources (tsx, jiti)"}: ${toolchain.cli}`);
  const flags = auditFlags(toolchain);
  if (flags.helpError) log(`warning: the CLI does not start (${flags.helpError}); the audit rows are skipped`);
  else if (!flags.syntaxOnly) log('warning: `resilience audit --syntax-only` does not exist in this checkout; that row is skipped');
  mkdirSync(SCRATCH, { recursive: true });

  const scales: ScaleResult[] = [];
  let eslint: EslintResult | undefined;
  for (const scale of options.scales) {
    const files = options.files * scale;
    log(`\n${scale}x: generating ${files} files…`);
    const { dir, stats } = prepareProject(files, options.seed);
    log(`  ${dir}: ${stats.lines} lines, ${(stats.networkShare * 100).toFixed(1)}% network code`);
    const keys: RowKey[] = scale === 1
      ? ['tsc', 'parse', 'audit', 'auditSyntax', ...(options.eslint ? (['eslintPlain', 'eslintResilience'] as const) : []), 'startup', ...(toolchain.from === 'installed' ? (['startupSources'] as const) : [])]
      : ['tsc', 'audit', 'auditSyntax'];
    const { rows, samples } = scale === 1
      ? measureAll('1x', commandsFor(dir, keys, flags, toolchain), options.runs, true)
      : measureAll(`${scale}x`, commandsFor(dir, keys, flags, toolchain), options.scaleRuns, false);
    if (rows.tsc?.problem) log(`  warning: tsc failed on the generated project, so the tsc baseline is missing: ${rows.tsc.problem}`);
    scales.push({ scale, project: stats, rows });
    if (scale === 1) eslint = eslintResult(samples, rows, dir);
  }
  if (options.profile) log('\nprofiling (node --cpu-prof) at 1x…');
  const profiles = options.profile ? profileRows(projectDir(options.files, options.seed), flags, toolchain) : {};
  const scaling = scalingOf(scales);
  const results: Results = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: { ...before, loadAverageAtEnd: machine().loadAverage },
    options: { ...options, eslintParserOptions: { projectService: true }, typescript: path.relative(REPO, TYPESCRIPT) },
    scales,
    eslint,
    targets: targetsOf(scales[0]!, eslint, scaling),
    scaling,
    profiles,
  };
  mkdirSync(BENCH, { recursive: true });
  writeFileSync(path.join(BENCH, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${formatResults(results)}\n`);
  if (options.eslint) console.log('ESLint runs: typed linting (parserOptions.projectService: true) in both runs.');
  console.log(`Load average ${before.loadAverage.join(' ')} at start, ${machine().loadAverage.join(' ')} at end (${before.cpus} cores): wall times are noisy when it exceeds the cores.`);
  console.log(`Results: ${path.relative(REPO, path.join(BENCH, 'results.json'))}`);
}

try {
  main();
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
