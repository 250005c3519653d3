/**
 * The `resilience` command line: commander definitions, output streams, exit codes
 * (as ESLint: 0 clean, 1 findings, 2 usage/config/internal error).
 */
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { ResolvedConfig } from '@resilience-kit/core';
import { describeError, UsageError } from './errors.ts';
import { prepareBaseline } from './baseline.ts';
import type { BaselineStep } from './baseline.ts';
import { DEFAULT_CACHE_LOCATION } from './cache-location.ts';
import { decideExit, failOnLevels, parseMaxWarnings, tooManyWarningsMessage } from './gating.ts';
import type { FailOn } from './gating.ts';
import { checkOutputWritable, writeOutput } from './output.ts';
import type { AuditReport } from './report.ts';
import { formatNames, getReporter, reporters } from './reporters/index.ts';
import type { ReporterEntry } from './reporters/index.ts';
import { availableCores } from './parallel.ts';
import { parseShard } from './shard.ts';
import type { ShardSpec } from './shard.ts';
import { toolVersion } from './version.ts';

export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdoutIsTTY: boolean;
  /** Whether stderr is a terminal: the progress bar is shown only there (progress.ts). */
  readonly stderrIsTTY?: boolean | undefined;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** What `audit` and `merge` share: the output, the baseline and the exit decision. */
interface ReportFlags {
  readonly format: string;
  readonly output?: string;
  readonly failOn: FailOn;
  readonly maxWarnings?: number;
  readonly baseline?: string;
  readonly updateBaseline?: boolean;
  readonly reportSuppressed?: boolean;
}

interface AuditFlags extends ReportFlags {
  readonly rule: string[];
  readonly shard?: ShardSpec;
  readonly cache?: boolean;
  readonly cacheLocation?: string;
  /** False with `--no-progress`. */
  readonly progress: boolean;
  readonly project?: string;
  readonly strict?: boolean;
  readonly includeTests?: boolean;
  readonly includeScripts?: boolean;
  readonly includeExamples?: boolean;
  readonly syntaxOnly?: boolean;
  readonly concurrency?: number;
  /** `--config <file>`, or false for `--no-config`. */
  readonly config?: string | false;
}

interface FixFlags {
  readonly rule: string[];
  readonly dryRun?: boolean;
  readonly addDependency?: boolean;
  readonly project?: string;
  readonly includeTests?: boolean;
  readonly includeScripts?: boolean;
  readonly includeExamples?: boolean;
  readonly config?: string | false;
}

/** Run the command line `argv` (without `node` and the script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('resilience')
    .description('Find network calls that can hang or retry badly, and fix them.')
    .version(toolVersion, '-v, --version')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showSuggestionAfterError(true);

  program.command('audit')
    .description('report network calls that can hang, retry badly, …')
    .argument('<paths...>', 'files and directories to analyse')
    .addOption(ruleOption('run only this rule (repeatable); turns it on even outside the recommended set'))
    .option('--format <name>', `output format: ${formatNames.join(', ')}`, 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--report-suppressed', 'sarif: also emit findings turned off by eslint-disable comments, marked as suppressed (GitHub code scanning ignores the mark and opens alerts for them, so they are left out by default)')
    .option('--project <tsconfig>', 'use this tsconfig for every path')
    .option('--strict', 'also report uncertain cases (rules that have a strict option)')
    .option('--include-tests', 'also analyse test files (*.test.*, *.spec.*, __tests__/, test/, e2e/…), skipped by default')
    .option('--include-scripts', 'also analyse scripts (scripts/, seeds, code generators, *.config.*, private tooling packages), skipped by default')
    .option('--include-examples', 'also analyse examples (examples/, templates/, demo/, *.stories.*), skipped by default')
    .option('--syntax-only', 'parse each file alone, without tsconfigs or a TypeScript program: faster, no cross-file facts')
    .option('--config <file>', 'use this config file instead of the resilience.config.* found from the cwd up')
    .option('--no-config', 'use no config file')
    .addOption(failOnOption())
    .addOption(maxWarningsOption())
    .addOption(baselineOption())
    .addOption(updateBaselineOption())
    .option('--cache', `reuse the results of unchanged files (and of the files they import) from the last run`)
    .option('--cache-location <file>', `where --cache keeps them (default: ${DEFAULT_CACHE_LOCATION})`)
    .addOption(new Option('--concurrency <n>', 'worker threads: tsconfigs (or, with --syntax-only, files) analysed in parallel; a number, or auto for the available cores (default: 1)').argParser(parseConcurrency))
    .addOption(new Option('--shard <k/n>', 'analyse only the k-th of n slices of the files (1-based), for CI matrices; see `merge`').argParser(parseShard))
    .option('--no-progress', 'no progress bar (shown on stderr only when it is a terminal and CI is unset)')
    .addHelpText('after', `\nFormats:\n${Object.entries(reporters).map(([name, r]) => `  ${name.padEnd(10)} ${r.description}`).join('\n')}`)
    .action(async (paths: string[], flags: AuditFlags) => {
      exitCode = await audit(paths, flags, io);
    });

  program.command('merge')
    .description('merge the JSON reports of `audit --shard k/n` runs into the report one run would give')
    .argument('<reports...>', 'the n shard reports (audit --shard k/n --format json --output …)')
    .option('--format <name>', `output format: ${formatNames.join(', ')}`, 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--report-suppressed', 'sarif: also emit findings turned off by eslint-disable comments, marked as suppressed (GitHub code scanning ignores the mark and opens alerts for them, so they are left out by default)')
    .addOption(failOnOption())
    .addOption(maxWarningsOption())
    .addOption(baselineOption())
    .addOption(updateBaselineOption())
    .action(async (files: string[], flags: ReportFlags) => {
      exitCode = await merge(files, flags, io);
    });

  program.command('fix')
    .description('apply the fixes the rules plan, e.g. wrap a call in withTimeout')
    .argument('<paths...>', 'files and directories to fix')
    .addOption(ruleOption('apply only the fixes of this rule (repeatable)'))
    .option('--dry-run', 'print a unified diff of the changes, write nothing')
    .option('--add-dependency', 'add @resilience-kit/policies (which the fixes import) to the dependencies of each package.json that lacks it')
    .option('--project <tsconfig>', 'use this tsconfig for every path')
    .option('--include-tests', 'also fix test files (*.test.*, *.spec.*, __tests__/, test/, e2e/…), skipped by default')
    .option('--include-scripts', 'also fix scripts (scripts/, seeds, code generators, *.config.*), skipped by default')
    .option('--include-examples', 'also fix examples (examples/, templates/, demo/, *.stories.*), skipped by default')
    .option('--config <file>', 'use this config file instead of the resilience.config.* found from the cwd up')
    .option('--no-config', 'use no config file')
    .action(async (paths: string[], flags: FixFlags) => {
      exitCode = await fix(paths, flags, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    // commander has already printed its one-line message; help and --version exit with 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    io.stderr(describeError(error, isSet(io.env['RESILIENCE_DEBUG'])));
    return 2;
  }
}

async function audit(paths: readonly string[], flags: AuditFlags, io: CliIo): Promise<number> {
  const reporter = reporterFor(flags, io);
  if (flags.shard && flags.updateBaseline) {
    throw new UsageError('--update-baseline needs every finding, not one shard\'s: use it with `resilience merge`');
  }
  const baseline = prepareBaseline({ file: flags.baseline, update: flags.updateBaseline }, io.cwd);
  // Loaded on use: the engine pulls in TypeScript, which `--help` and bad flags don't need.
  const { runAudit } = await import('./audit.ts');
  const config = await configFor(flags, io);
  const { createProgressBar, shouldShowProgress } = await import('./progress.ts');
  const progress = shouldShowProgress({ stderrIsTTY: io.stderrIsTTY === true, env: io.env, enabled: flags.progress }) ? createProgressBar(io.stderr) : undefined;
  let report: AuditReport;
  try {
    report = await runAudit({
      paths, cwd: io.cwd, rules: flags.rule, project: flags.project, strict: flags.strict, includeTests: flags.includeTests, config,
      includeScripts: flags.includeScripts, includeExamples: flags.includeExamples,
      syntaxOnly: flags.syntaxOnly,
      concurrency: flags.concurrency,
      shard: flags.shard,
      cache: flags.cache ? { location: flags.cacheLocation ?? DEFAULT_CACHE_LOCATION } : undefined,
      onProgress: progress?.onProgress,
    });
  } finally {
    progress?.stop();
  }
  return finish(report, reporter, baseline, flags, io);
}

function parseConcurrency(value: string): number {
  if (value.trim() === 'auto') return availableCores();
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`invalid --concurrency "${value}": expected a whole number ≥ 1, or auto`);
  return n;
}

async function merge(files: readonly string[], flags: ReportFlags, io: CliIo): Promise<number> {
  const reporter = reporterFor(flags, io);
  const baseline = prepareBaseline({ file: flags.baseline, update: flags.updateBaseline }, io.cwd);
  const { mergeShardReports, readShardReport } = await import('./merge.ts');
  const report = mergeShardReports(files.map((label) => ({ label, report: readShardReport(label, io.cwd) })));
  return finish(report, reporter, baseline, flags, io);
}

/** Checked before the (long) run: the format exists and `--output` can be written. */
function reporterFor(flags: ReportFlags, io: CliIo): ReporterEntry {
  const reporter = getReporter(flags.format);
  if (!reporter) throw new UsageError(`unknown format "${flags.format}" (available: ${formatNames.join(', ')})`);
  if (flags.output !== undefined) checkOutputWritable(flags.output, io.cwd);
  return reporter;
}

/** What `audit` and `merge` do with a report: the baseline, warnings and notes, the output, the exit code. */
function finish(raw: AuditReport, reporter: ReporterEntry, baseline: BaselineStep | undefined, flags: ReportFlags, io: CliIo): number {
  for (const warning of raw.warnings) io.stderr(`warning: ${warning}\n`);
  const { report, notes } = baseline ? baseline.finish(raw) : { report: raw, notes: [] };
  const color = flags.output === undefined && io.stdoutIsTTY && !isSet(io.env['NO_COLOR']);
  const output = reporter.report(report, { color, reportSuppressed: flags.reportSuppressed === true, cwd: path.resolve(io.cwd).split(path.sep).join('/') });
  if (flags.output !== undefined) writeOutput(flags.output, io.cwd, output);
  else io.stdout(output);
  for (const note of notes) io.stderr(`${note}\n`);
  const gate = decideExit(report, { failOn: flags.failOn, maxWarnings: flags.maxWarnings });
  if (gate.tooManyWarnings && flags.maxWarnings !== undefined) io.stderr(`${tooManyWarningsMessage(flags.maxWarnings)}\n`);
  return gate.exitCode;
}

// The options of `audit` and `merge` that decide the exit code and the baseline (gating.ts, baseline.ts).
function failOnOption(): Option {
  return new Option('--fail-on <severity>', 'lowest severity that fails the run (exit 1); `never`: report only').choices(failOnLevels).default('error');
}

function maxWarningsOption(): Option {
  return new Option('--max-warnings <n>', 'also fail when there are more than n warnings').argParser(parseMaxWarnings);
}

function baselineOption(): Option {
  return new Option('--baseline <file>', 'accept the findings recorded in this file: only new ones are reported and fail the run');
}

function updateBaselineOption(): Option {
  return new Option('--update-baseline', 'record the current findings in the --baseline file (created if need be)');
}

async function fix(paths: readonly string[], flags: FixFlags, io: CliIo): Promise<number> {
  const [{ runFix, fixExitCode }, { formatFixSummary }] = await Promise.all([import('./fix.ts'), import('./fix-summary.ts')]);
  const config = await configFor(flags, io);
  const report = await runFix({ paths, cwd: io.cwd, rules: flags.rule, project: flags.project, dryRun: flags.dryRun, addDependency: flags.addDependency, includeTests: flags.includeTests, includeScripts: flags.includeScripts, includeExamples: flags.includeExamples, config });
  for (const warning of report.warnings) io.stderr(`warning: ${warning}\n`);
  if (report.dryRun) {
    // stdout carries only the patch (`resilience fix --dry-run . > fix.patch`); the summary goes to stderr.
    io.stdout(report.fixed.map((f) => f.diff).join(''));
    io.stderr(formatFixSummary(report));
  } else {
    io.stdout(formatFixSummary(report));
  }
  return fixExitCode(report);
}

/** The config file `--config` names, or the one found from the cwd up; none with `--no-config`. */
async function configFor(flags: { readonly config?: string | false }, io: CliIo): Promise<ResolvedConfig | undefined> {
  const { loadConfig } = await import('./config.ts');
  return (await loadConfig({ cwd: io.cwd, config: flags.config }))?.config;
}

function ruleOption(description: string): Option {
  return new Option('--rule <id>', description).argParser(collect).default([], 'the recommended rules');
}

/** `--rule a --rule b` and `--rule a,b` both give `[a, b]`. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((id) => id.trim()).filter((id) => id !== '')];
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0';
}
