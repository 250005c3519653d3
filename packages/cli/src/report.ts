/**
 * The audit report every reporter formats. Positions are 1-based; `endColumn` is exclusive
 * (ESLint's convention). Paths are posix, relative to `root`.
 */
import type { Severity } from '@resilience-kit/core';

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
  /** Sorted by file, then position, then rule. */
  readonly findings: readonly AuditFinding[];
  /** Sorted by file. */
  readonly errors: readonly ParseError[];
  /** Non-fatal configuration problems (e.g. an unknown compiler option in a tsconfig). */
  readonly warnings: readonly string[];
  /** Text of the files that have findings or errors, by relative path: for code frames. */
  readonly sources: ReadonlyMap<string, string>;
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

/** ESLint's exit code: 2 when a file could not be analysed, 1 with findings, else 0. */
export function auditExitCode(report: Pick<AuditReport, 'findings' | 'errors'>): 0 | 1 | 2 {
  if (report.errors.length > 0) return 2;
  return report.findings.length > 0 ? 1 : 0;
}
