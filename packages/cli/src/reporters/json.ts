/**
 * The JSON report: the public contract of ARCHITECTURE.md (version 1). Extend it; don't break it:
 * new keys are added after the ones version 1 started with, no key is renamed or removed, and
 * `version` stays 1 (readers, `resilience merge` among them, accept 1 and ignore keys they don't know).
 * Deterministic: no timestamps, stable key and item order, `null` (never a missing key) for "none".
 */
import { summarize } from '../report.ts';
import type { AuditFinding, AuditReport, CallSite, ParseError, PolicyState, ReportSummary, RuleInfo } from '../report.ts';
import { toolName, toolVersion } from '../version.ts';
import { dependencyRows, policyColumns, severityCounts } from './stats.ts';
import type { DependencyRow, PolicyName } from './stats.ts';
import type { Reporter } from './types.ts';

export interface JsonSummary extends ReportSummary {
  /** Findings turned off by `eslint-disable` comments (not counted in `findings`). */
  readonly suppressed: number;
  /** `error` counts parse errors too, as ESLint's `errorCount` does. */
  readonly bySeverity: { readonly error: number; readonly warn: number };
  /** With `--baseline`: findings the baseline accepts (listed in `baselined`, not counted in `findings`); else null. */
  readonly baselined: number | null;
  /** With `--baseline`: baseline entries for analysed files that no longer occur; else null. */
  readonly baselineFixed: number | null;
  /** Files left out by their role (audited with `--include-tests`, `--include-scripts`, `--include-examples`). */
  readonly skipped: { readonly test: number; readonly script: number; readonly example: number } | null;
}

/**
 * A finding in the JSON report: the report model's finding, field for field (version 1's fields,
 * then `fingerprint`, stable across unrelated edits, for baselines and SARIF `partialFingerprints`).
 */
export type JsonFinding = AuditFinding;

export interface JsonSuppressedFinding extends JsonFinding {
  /** The text after ` -- ` in the `eslint-disable` comment, or null. */
  readonly justification: string | null;
}

export interface JsonCallSite {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly client: string;
  readonly callee: string;
  readonly method: string | null;
  readonly policies: Readonly<Record<keyof CallSite['policies'], PolicyState>>;
}

export interface JsonDependency {
  readonly id: string;
  readonly display: string;
  readonly calls: readonly JsonCallSite[];
}

/** One policy's coverage over a dependency's calls (stats.ts `coverage`). */
export interface JsonPolicyCoverage {
  /** Calls that have the policy. */
  readonly present: number;
  /** Calls it applies to (state other than `n/a`); 0 when it applies to none. */
  readonly applicable: number;
  /** Of the applicable calls, those the analysis could not decide (counted apart from `present`). */
  readonly unknown: number;
}

/**
 * A row of the dependency map: a dependency's counts, in the order every format shows them (named
 * dependencies by call sites, most first, then id; unresolved ones last). Derived from
 * `dependencies`, which keeps the calls themselves.
 */
export interface JsonDependencyMapRow {
  readonly id: string;
  readonly display: string;
  /** The target could not be named (the id is `unresolved:<client>`). */
  readonly unresolved: boolean;
  readonly callSites: number;
  /** Distinct files the calls are in. */
  readonly files: number;
  readonly policies: Readonly<Record<PolicyName, JsonPolicyCoverage>>;
}

export interface JsonRule {
  readonly id: string;
  readonly description: string;
  readonly docsUrl: string;
  readonly fixKind: RuleInfo['fixKind'];
  readonly codemod: string | null;
  readonly severity: RuleInfo['severity'];
}

export interface JsonReport {
  readonly version: 1;
  readonly tool: { readonly name: string; readonly version: string };
  readonly root: string;
  readonly summary: JsonSummary;
  readonly findings: readonly JsonFinding[];
  readonly errors: readonly ParseError[];
  readonly suppressed: readonly JsonSuppressedFinding[];
  readonly dependencies: readonly JsonDependency[];
  readonly rules: readonly JsonRule[];
  /** With `--baseline`: the findings it accepts (they never fail the run); else null. */
  readonly baselined: readonly JsonFinding[] | null;
  /** With `--shard k/n`: which slice this is, and its files (for `resilience merge`); else null. */
  readonly shard: { readonly index: number; readonly count: number; readonly files: readonly string[] } | null;
  /** The dependency map: a row of counts per entry of `dependencies`, in the map's order. */
  readonly dependencyMap: readonly JsonDependencyMapRow[];
}

export function toJsonReport(report: AuditReport): JsonReport {
  const base = summarize(report);
  const severities = severityCounts(report);
  return {
    version: 1,
    tool: { name: toolName, version: toolVersion },
    root: report.root,
    summary: {
      files: base.files,
      findings: base.findings,
      fixable: base.fixable,
      errors: base.errors,
      byRule: base.byRule,
      suppressed: report.suppressed.length,
      bySeverity: { error: severities.errors, warn: severities.warnings },
      baselined: report.baselined?.length ?? null,
      baselineFixed: report.baselined === undefined ? null : report.baselineFixed ?? 0,
      skipped: report.skipped ? { test: report.skipped.test, script: report.skipped.script, example: report.skipped.example } : null,
    },
    // Rebuilt field by field: the key order is part of the output, whatever the input objects hold.
    findings: report.findings.map(toJsonFinding),
    errors: report.errors.map((e) => ({ file: e.file, line: e.line, column: e.column, message: e.message })),
    suppressed: report.suppressed.map((f) => ({ ...toJsonFinding(f), justification: f.justification ?? null })),
    dependencies: report.dependencies.map((d) => ({ id: d.id, display: d.display, calls: d.calls.map(toJsonCallSite) })),
    rules: report.ruleInfo.map((r) => ({ id: r.id, description: r.description, docsUrl: r.docsUrl, fixKind: r.fixKind, codemod: r.codemod ?? null, severity: r.severity })),
    baselined: report.baselined?.map(toJsonFinding) ?? null,
    shard: report.shard ? { index: report.shard.index, count: report.shard.count, files: [...report.files ?? []] } : null,
    dependencyMap: dependencyRows(report).map(toJsonMapRow),
  };
}

function toJsonMapRow(row: DependencyRow): JsonDependencyMapRow {
  const policies = Object.fromEntries(policyColumns.map((p) => {
    const { present, applicable, unknown } = row.coverage[p.name];
    return [p.name, { present, applicable, unknown }];
  })) as Record<PolicyName, JsonPolicyCoverage>;
  return { id: row.id, display: row.display, unresolved: row.unresolved, callSites: row.calls.length, files: row.files, policies };
}

function toJsonFinding(f: AuditFinding): JsonFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    message: f.message,
    fixable: f.fixable,
    fingerprint: f.fingerprint,
    // Only when the file is not production code (tests, scripts, examples audited on request).
    ...(f.role ? { role: f.role } : {}),
  };
}

function toJsonCallSite(c: CallSite): JsonCallSite {
  const p = c.policies;
  return {
    file: c.file,
    line: c.line,
    column: c.column,
    client: c.client,
    callee: c.callee,
    method: c.method ?? null,
    policies: { timeout: p.timeout, retry: p.retry, backoff: p.backoff, jitter: p.jitter, idempotencyKey: p.idempotencyKey, breaker: p.breaker, fallback: p.fallback },
  };
}

export const json: Reporter = (report) => `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
