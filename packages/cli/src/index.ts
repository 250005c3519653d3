/**
 * Programmatic API of @resilience-kit/cli: what `resilience audit` and `resilience fix` do,
 * without spawning a process or printing anything.
 */
export { runAudit } from './audit.ts';
export type { AuditOptions } from './audit.ts';
export { fixExitCode, runFix } from './fix.ts';
export type { AppliedFix, FileFix, FixOptions, FixReport, RefusedFile } from './fix.ts';
export { formatFixSummary } from './fix-summary.ts';
export { UsageError } from './errors.ts';
export { loadPrograms, INFERRED_OPTIONS } from './program.ts';
export type { LoadedPrograms, ProgramGroup } from './program.ts';
export { auditExitCode, summarize } from './report.ts';
export type { AuditFinding, AuditReport, ParseError, ReportSummary } from './report.ts';
export { formatNames, getReporter, reporters } from './reporters/index.ts';
export type { Reporter, ReporterEntry, ReporterOptions } from './reporters/index.ts';
export { toJsonReport } from './reporters/json.ts';
export type { JsonReport } from './reporters/json.ts';
export type { RuleRegistry } from './rules.ts';
export type { SessionOptions } from './session.ts';
export { main } from './cli.ts';
export type { CliIo } from './cli.ts';
