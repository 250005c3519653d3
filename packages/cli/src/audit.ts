/**
 * `resilience audit`: analyse every file, collect findings and parse errors into an AuditReport.
 */
import { analyzeSourceFile } from '@resilience-kit/core';
import type { Finding } from '@resilience-kit/core';
import { SourceLines } from './lines.ts';
import { compareErrors, compareFindings } from './report.ts';
import type { AuditFinding, AuditReport, ParseError } from './report.ts';
import { firstSyntaxError, openSession, withFileContext } from './session.ts';
import type { SessionOptions } from './session.ts';

export interface AuditOptions extends SessionOptions {
  /** `--strict`: report uncertain cases (sets `strict: true` on every rule that has the option). */
  readonly strict?: boolean | undefined;
}

export async function runAudit(options: AuditOptions): Promise<AuditReport> {
  const session = await openSession(options, { strict: options.strict });
  const findings: AuditFinding[] = [];
  const errors: ParseError[] = [];
  const sources = new Map<string, string>();
  for (const entry of session.files) {
    const parseError = firstSyntaxError(entry);
    if (parseError) {
      errors.push(parseError);
      sources.set(entry.file, entry.sourceFile.text);
      continue;
    }
    const found = withFileContext(entry.file, () =>
      analyzeSourceFile(entry.sourceFile, { rules: session.runs, program: entry.program }));
    if (found.length === 0) continue;
    sources.set(entry.file, entry.sourceFile.text);
    const lines = new SourceLines(entry.sourceFile.text);
    findings.push(...found.map((finding) => toAuditFinding(finding, entry.file, lines)));
  }
  return {
    root: session.root,
    fileCount: session.files.length,
    rules: session.runs.map((run) => run.rule.meta.id),
    findings: findings.sort(compareFindings),
    errors: errors.sort(compareErrors),
    warnings: session.warnings,
    sources,
  };
}

export function toAuditFinding(finding: Finding, file: string, lines: SourceLines): AuditFinding {
  const start = lines.positionAt(finding.start);
  const end = lines.positionAt(Math.max(finding.start, finding.end));
  return {
    ruleId: finding.ruleId,
    severity: 'error',
    file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    message: finding.message,
    fixable: finding.fix !== undefined,
  };
}
