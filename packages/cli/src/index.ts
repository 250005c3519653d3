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
export { CONFIG_FILES, defineConfig, findConfigFile, loadConfig } from './config.ts';
export type { ConfigRequest, LoadedConfig } from './config.ts';
export type { ResilienceConfig, ResolvedConfig } from '@resilience-kit/core';
export { loadPrograms, INFERRED_OPTIONS } from './program.ts';
export type { LoadedPrograms, ProgramGroup } from './program.ts';
export { summarize } from './report.ts';
export { auditExitCode, decideExit, failOnLevels } from './gating.ts';
export type { FailOn, GateOptions, GateResult } from './gating.ts';
export { applyBaseline, createBaseline, formatBaseline, parseBaseline, readBaseline, writeBaseline } from './baseline.ts';
export type { Baseline, BaselineEntry } from './baseline.ts';
export { DEFAULT_CACHE_LOCATION } from './cache.ts';
export type { CacheOptions } from './cache.ts';
export { parseShard, shardOf } from './shard.ts';
export type { ShardSpec } from './shard.ts';
export { fromJsonReport, mergeReports, mergeShardReports, parseShardReport } from './merge.ts';
export type { AuditPhase, ProgressCallback } from './progress.ts';
export type { AuditFinding, AuditReport, ParseError, ReportSummary } from './report.ts';
export { formatNames, getReporter, reporters } from './reporters/index.ts';
export type { Reporter, ReporterEntry, ReporterOptions } from './reporters/index.ts';
export { toJsonReport } from './reporters/json.ts';
export type { JsonReport } from './reporters/json.ts';
export type { RuleRegistry } from './rules.ts';
export type { SessionOptions } from './session.ts';
export { main } from './cli.ts';
export type { CliIo } from './cli.ts';
