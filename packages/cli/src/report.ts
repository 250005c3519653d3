/**
 * The audit report every reporter formats. Positions are 1-based; `endColumn` is exclusive
 * (ESLint's convention). Paths are posix, relative to `root`.
 */
import type { Policies, Severity } from '@resilience-kit/core';

export interface AuditFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly message: string;
  readonly fixable: boolean;
  /** Why the rule refused a fix (for the hand-fix list of `resilience fix`). */
  readonly noFixReason?: string | undefined;
  /**
   * Stable identity across unrelated edits (see fingerprint.ts): rule, file, the code at the finding
   * and its occurrence among identical ones in the file; not the line number. For baselines and
   * SARIF `partialFingerprints`.
   */
  readonly fingerprint: string;
  /** What the file is for, when it is not production code (tests, scripts and examples audited on request). */
  readonly role?: NonProductionRole | undefined;
}

export type NonProductionRole = 'test' | 'script' | 'example';

/** A finding an `eslint-disable` comment turned off (kept for SARIF `suppressions` and the counts). */
export interface SuppressedFinding extends AuditFinding {
  /** The text after ` -- ` in the directive, if any. */
  readonly justification: string | undefined;
}

/** What a reporter needs to know about a rule that ran (SARIF rule metadata, HTML, help links). */
export interface RuleInfo {
  readonly id: string;
  readonly description: string;
  /** docs/rules/<id>.md in the repository. */
  readonly docsUrl: string;
  readonly fixKind: 'suggestion' | 'autofix' | 'none';
  readonly codemod: string | undefined;
  /** The severity its findings get in this run (the config's `warn`, else `error`). */
  readonly severity: Severity;
}

export type { PolicyState } from '@resilience-kit/core';

/** One outbound call site in the dependency inventory. */
export interface CallSite {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The client's display name (`fetch`, `axios`, `got`, or a user wrapper's name). */
  readonly client: string;
  /** How the callee is written, shortened: `api.post`. */
  readonly callee: string;
  /** Upper case when known. */
  readonly method: string | undefined;
  /** timeout, retry, backoff, jitter, idempotencyKey, breaker: the engine's inventory (core/src/inventory.ts). */
  readonly policies: Policies;
}

/** An outbound dependency (a service origin, a named client instance) and every call to it. */
export interface DependencyEntry {
  /** `https://pay.example.com`, `instance:payments`, or `unresolved:<client>` when the target can't be named. */
  readonly id: string;
  readonly display: string;
  /** Sorted by file and position. */
  readonly calls: readonly CallSite[];
}

/** A file that could not be analysed because it does not parse (a fatal error, as in ESLint). */
export interface ParseError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface AuditReport {
  /** Posix absolute path of the directory the paths are relative to (the cwd). */
  readonly root: string;
  /** How many files were analysed (including the ones that did not parse). */
  readonly fileCount: number;
  /** The ids of the rules that ran, in registry order. */
  readonly rules: readonly string[];
  /** Metadata of the rules that ran, same order as `rules`. */
  readonly ruleInfo: readonly RuleInfo[];
  /** Sorted by file, then position, then rule. */
  readonly findings: readonly AuditFinding[];
  /** Findings turned off by `eslint-disable` comments, same order. */
  readonly suppressed: readonly SuppressedFinding[];
  /** Every outbound dependency with its call sites and the policies covering each, sorted by id. */
  readonly dependencies: readonly DependencyEntry[];
  /** Sorted by file. */
  readonly errors: readonly ParseError[];
  /** Non-fatal configuration problems (e.g. an unknown compiler option in a tsconfig). */
  readonly warnings: readonly string[];
  /** Text of the files that have findings or errors, by relative path: for code frames. */
  readonly sources: ReadonlyMap<string, string>;
  /**
   * With `--baseline`: the findings the baseline accepts (baseline.ts). They are not in `findings`
   * and never fail the run, but are kept (JSON `baselined`) so that nothing disappears silently.
   */
  readonly baselined?: readonly AuditFinding[] | undefined;
  /** With `--baseline`: entries for analysed files that no longer occur (prune with `--update-baseline`). */
  readonly baselineFixed?: number | undefined;
  /** Posix paths (relative to `root`) of the files analysed, sorted: this shard's with `--shard`. */
  readonly files?: readonly string[] | undefined;
  /** With `--shard k/n`: which slice of the files this report covers (shard.ts, merge.ts). */
  readonly shard?: { readonly index: number; readonly count: number } | undefined;
  /** Files left out by their role (test, script, example), by role: they are audited on request (`--include-tests`…). */
  readonly skipped?: Readonly<Record<NonProductionRole, number>> | undefined;
  /** With `--cache`: files analysed and files replayed from the cache (run statistics, not in the JSON). */
  /** `--cache`: files analysed and replayed; `unchangedTree` when no program had to be built (cache.ts). */
  readonly cacheStats?: { readonly analysed: number; readonly cached: number; readonly unchangedTree?: boolean } | undefined;
}

export interface ReportSummary {
  readonly files: number;
  readonly findings: number;
  readonly fixable: number;
  readonly errors: number;
  /** Findings per rule that ran (0 included), keys sorted. */
  readonly byRule: Readonly<Record<string, number>>;
}

export function summarize(report: AuditReport): ReportSummary {
  const counts = new Map<string, number>(report.rules.map((id) => [id, 0]));
  for (const finding of report.findings) counts.set(finding.ruleId, (counts.get(finding.ruleId) ?? 0) + 1);
  const byRule: Record<string, number> = {};
  for (const id of [...counts.keys()].sort(compareStrings)) byRule[id] = counts.get(id) ?? 0;
  return {
    files: report.fileCount,
    findings: report.findings.length,
    fixable: report.findings.filter((f) => f.fixable).length,
    errors: report.errors.length,
    byRule,
  };
}

/** Code-unit order: deterministic across locales (unlike `localeCompare`). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareFindings(a: AuditFinding, b: AuditFinding): number {
  return compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column
    || compareStrings(a.ruleId, b.ruleId) || a.endLine - b.endLine || a.endColumn - b.endColumn
    || compareStrings(a.message, b.message);
}

export function compareErrors(a: ParseError, b: ParseError): number {
  return compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column;
}

// The exit decision (`--fail-on`, `--max-warnings`) lives in gating.ts.
export { auditExitCode } from './gating.ts';
