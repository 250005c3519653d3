/**
 * The `resilience` command line: commander definitions, output streams, exit codes
 * (as ESLint: 0 clean, 1 findings, 2 usage/config/internal error).
 */
import { Command, CommanderError, Option } from 'commander';
import { describeError, UsageError } from './errors.ts';
import { checkOutputWritable, writeOutput } from './output.ts';
import { auditExitCode } from './report.ts';
import { formatNames, getReporter, reporters } from './reporters/index.ts';
import { toolVersion } from './version.ts';

export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdoutIsTTY: boolean;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

interface AuditFlags {
  readonly rule: string[];
  readonly format: string;
  readonly output?: string;
  readonly project?: string;
  readonly strict?: boolean;
  readonly includeTests?: boolean;
}

interface FixFlags {
  readonly rule: string[];
  readonly dryRun?: boolean;
  readonly project?: string;
  readonly includeTests?: boolean;
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
    .option('--project <tsconfig>', 'use this tsconfig for every path')
    .option('--strict', 'also report uncertain cases (rules that have a strict option)')
    .option('--include-tests', 'also analyse test files (*.test.*, *.spec.*, __tests__/), skipped by default')
    .addHelpText('after', `\nFormats:\n${Object.entries(reporters).map(([name, r]) => `  ${name.padEnd(10)} ${r.description}`).join('\n')}`)
    .action(async (paths: string[], flags: AuditFlags) => {
      exitCode = await audit(paths, flags, io);
    });

  program.command('fix')
    .description('apply the fixes the rules plan, e.g. wrap a call in withTimeout')
    .argument('<paths...>', 'files and directories to fix')
    .addOption(ruleOption('apply only the fixes of this rule (repeatable)'))
    .option('--dry-run', 'print a unified diff of the changes, write nothing')
    .option('--project <tsconfig>', 'use this tsconfig for every path')
    .option('--include-tests', 'also fix test files (*.test.*, *.spec.*, __tests__/), skipped by default')
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
  const reporter = getReporter(flags.format);
  if (!reporter) throw new UsageError(`unknown format "${flags.format}" (available: ${formatNames.join(', ')})`);
  if (flags.output !== undefined) checkOutputWritable(flags.output, io.cwd);
  // Loaded on use: the engine pulls in TypeScript, which `--help` and bad flags don't need.
  const { runAudit } = await import('./audit.ts');
  const report = await runAudit({ paths, cwd: io.cwd, rules: flags.rule, project: flags.project, strict: flags.strict, includeTests: flags.includeTests });
  for (const warning of report.warnings) io.stderr(`warning: ${warning}\n`);
  const color = flags.output === undefined && io.stdoutIsTTY && !isSet(io.env['NO_COLOR']);
  const output = reporter.report(report, { color });
  if (flags.output !== undefined) writeOutput(flags.output, io.cwd, output);
  else io.stdout(output);
  return auditExitCode(report);
}

async function fix(paths: readonly string[], flags: FixFlags, io: CliIo): Promise<number> {
  const [{ runFix, fixExitCode }, { formatFixSummary }] = await Promise.all([import('./fix.ts'), import('./fix-summary.ts')]);
  const report = await runFix({ paths, cwd: io.cwd, rules: flags.rule, project: flags.project, dryRun: flags.dryRun, includeTests: flags.includeTests });
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
