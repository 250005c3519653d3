/**
 * Counts every reporter shows the same way: per rule (problems, fixable, suppressed, severity), per
 * severity, per directory, and the dependency map (each dependency's calls, files and policy coverage).
 */
import type { Severity } from '@resilience-kit/core';
import { compareStrings } from '../report.ts';
import type { AuditReport, CallSite, DependencyEntry, RuleInfo } from '../report.ts';

export interface RuleRow {
  readonly id: string;
  readonly info: RuleInfo | undefined;
  /**
   * The rule's configured severity in this run (from its findings when the report has no metadata
   * for it, e.g. a merged report of an older version).
   */
  readonly severity: Severity | undefined;
  readonly problems: number;
  readonly fixable: number;
  readonly suppressed: number;
}

/**
 * One row per rule, sorted by id: the rules that ran, plus any rule a finding names. Without
 * `includeClean`, only the rules with problems or suppressed findings.
 */
export function ruleRows(report: AuditReport, { includeClean = false } = {}): RuleRow[] {
  const ids = new Set([...report.rules, ...report.findings.map((f) => f.ruleId), ...report.suppressed.map((f) => f.ruleId)]);
  const rows: RuleRow[] = [];
  for (const id of [...ids].sort(compareStrings)) {
    const findings = report.findings.filter((f) => f.ruleId === id);
    const suppressed = report.suppressed.filter((f) => f.ruleId === id);
    if (!includeClean && findings.length === 0 && suppressed.length === 0) continue;
    const severities = [...findings, ...suppressed].map((f) => f.severity);
    const info = report.ruleInfo.find((r) => r.id === id);
    rows.push({
      id,
      info,
      severity: info?.severity ?? (severities.length === 0 ? undefined : severities.includes('error') ? 'error' : 'warn'),
      problems: findings.length,
      fixable: findings.filter((f) => f.fixable).length,
      suppressed: suppressed.length,
    });
  }
  return rows;
}

export interface SeverityCounts {
  /** Findings of severity `error`, plus the files that did not parse (fatal, as in ESLint). */
  readonly errors: number;
  readonly warnings: number;
}

export function severityCounts(report: Pick<AuditReport, 'findings' | 'errors'>): SeverityCounts {
  const warnings = report.findings.filter((f) => f.severity === 'warn').length;
  return { errors: report.findings.length - warnings + report.errors.length, warnings };
}

/** `src/api` for `src/api/users.ts`; `.` for a file at the root. */
export function directoryOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash <= 0 ? '.' : file.slice(0, slash);
}

/** Problems (findings and parse errors) per directory, most first, then by name. */
export function problemsByDirectory(report: Pick<AuditReport, 'findings' | 'errors'>): { directory: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const { file } of [...report.findings, ...report.errors]) counts.set(directoryOf(file), (counts.get(directoryOf(file)) ?? 0) + 1);
  return [...counts].map(([directory, count]) => ({ directory, count }))
    .sort((a, b) => b.count - a.count || compareStrings(a.directory, b.directory));
}

export type PolicyName = keyof CallSite['policies'];

export interface PolicyColumn {
  readonly name: PolicyName;
  readonly label: string;
  /** The header of the text report's table, which must fit a terminal. */
  readonly short: string;
  /** Whether more coverage is better (retry is a fact to know, not a goal: it is never coloured). */
  readonly goal: boolean;
}

/** The inventory's columns, in the order every reporter shows them. */
export const policyColumns: readonly PolicyColumn[] = [
  { name: 'timeout', label: 'Timeout', short: 'Timeout', goal: true },
  { name: 'retry', label: 'Retried', short: 'Retried', goal: false },
  { name: 'backoff', label: 'Backoff', short: 'Backoff', goal: true },
  { name: 'jitter', label: 'Jitter', short: 'Jitter', goal: true },
  { name: 'idempotencyKey', label: 'Idempotency key', short: 'Idem. key', goal: true },
  { name: 'breaker', label: 'Breaker', short: 'Breaker', goal: true },
  { name: 'fallback', label: 'Fallback', short: 'Fallback', goal: true },
];

export interface Coverage {
  readonly present: number;
  /** Calls the policy applies to (state other than `n/a`). */
  readonly applicable: number;
  readonly unknown: number;
  /** `full`: every applicable call has it; `none`: none has it; `n/a`: it applies to no call. */
  readonly status: 'full' | 'partial' | 'none' | 'n/a';
}

export function coverage(calls: readonly CallSite[], policy: PolicyName): Coverage {
  let present = 0;
  let applicable = 0;
  let unknown = 0;
  for (const call of calls) {
    const state = call.policies[policy];
    if (state === 'n/a') continue;
    applicable++;
    if (state === 'present') present++;
    else if (state === 'unknown') unknown++;
  }
  const status = applicable === 0 ? 'n/a' : present === applicable ? 'full' : present === 0 ? 'none' : 'partial';
  return { present, applicable, unknown, status };
}

/** `3/4`, `3/4 (1 unknown)`, or `—` when the policy applies to no call. */
export function coverageText(c: Coverage): string {
  if (c.status === 'n/a') return '—';
  return `${c.present}/${c.applicable}${c.unknown > 0 ? ` (${c.unknown} unknown)` : ''}`;
}

/** One row of the dependency map: what every format shows for a dependency. */
export interface DependencyRow {
  readonly id: string;
  readonly display: string;
  /** The target could not be named (`unresolved:<client>`): such rows come last. */
  readonly unresolved: boolean;
  /** Sorted by file and position, as in the report. */
  readonly calls: readonly CallSite[];
  /** How many distinct files the calls are in. */
  readonly files: number;
  /** Each policy's coverage over the calls, for every column of `policyColumns`. */
  readonly coverage: Readonly<Record<PolicyName, Coverage>>;
}

/**
 * The dependency map, one row per dependency: the named ones first, most call sites first (where a
 * gap costs most), then by id; the unresolved ones last, ordered the same way. Every reporter uses
 * this, so the formats never disagree on a count or an order.
 */
export function dependencyRows(report: Pick<AuditReport, 'dependencies'>): DependencyRow[] {
  return report.dependencies.map((dep) => ({
    id: dep.id,
    display: dep.display,
    unresolved: dep.id.startsWith('unresolved:'),
    calls: dep.calls,
    files: new Set(dep.calls.map((call) => call.file)).size,
    coverage: Object.fromEntries(policyColumns.map((p) => [p.name, coverage(dep.calls, p.name)])) as Record<PolicyName, Coverage>,
  })).sort((a, b) => Number(a.unresolved) - Number(b.unresolved) || b.calls.length - a.calls.length || compareStrings(a.id, b.id));
}

export function callCount(dependencies: readonly DependencyEntry[]): number {
  return dependencies.reduce((n, d) => n + d.calls.length, 0);
}

/** `error` / `warning`, the words ESLint shows; `—` when unknown. */
export function severityWord(severity: Severity | undefined): string {
  return severity === undefined ? '—' : severity === 'warn' ? 'warning' : 'error';
}
