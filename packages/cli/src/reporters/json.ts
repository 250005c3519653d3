/**
 * The JSON report: the public contract of ARCHITECTURE.md (version 1). Extend it; don't break it.
 * Deterministic: no timestamps, stable key and item order.
 */
import { summarize } from '../report.ts';
import type { AuditFinding, AuditReport, ParseError, ReportSummary } from '../report.ts';
import { toolName, toolVersion } from '../version.ts';
import type { Reporter } from './types.ts';

export interface JsonReport {
  readonly version: 1;
  readonly tool: { readonly name: string; readonly version: string };
  readonly root: string;
  readonly summary: ReportSummary;
  readonly findings: readonly AuditFinding[];
  readonly errors: readonly ParseError[];
}

export function toJsonReport(report: AuditReport): JsonReport {
  return {
    version: 1,
    tool: { name: toolName, version: toolVersion },
    root: report.root,
    summary: summarize(report),
    // Rebuilt field by field: the key order is part of the output, whatever the input objects hold.
    findings: report.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      message: f.message,
      fixable: f.fixable,
    })),
    errors: report.errors.map((e) => ({ file: e.file, line: e.line, column: e.column, message: e.message })),
  };
}

export const json: Reporter = (report) => `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
