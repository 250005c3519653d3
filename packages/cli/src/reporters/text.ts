/**
 * The human report (ESLint's "stylish" plus code frames): findings grouped by file, each with its
 * severity and a code frame, then a table per rule (severity, problems, fixable, suppressed), where
 * the rule docs are, and a total line.
 */
import type { Severity } from '@resilience-kit/core';
import { SourceLines } from '../lines.ts';
import { compareStrings } from '../report.ts';
import type { AuditReport } from '../report.ts';
import { codeFrame } from './code-frame.ts';
import { createColors } from './colors.ts';
import type { Colors } from './colors.ts';
import { plural } from './plural.ts';
import { ruleRows, severityCounts, severityWord } from './stats.ts';
import type { RuleRow } from './stats.ts';
import type { Reporter } from './types.ts';

interface Entry {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly message: string;
  readonly severity: Severity;
  readonly ruleId: string | undefined;
}

export const text: Reporter = (report, options) => {
  const c = createColors(options.color);
  const out: string[] = [];
  const roles = new Map(report.findings.flatMap((f) => (f.role ? [[f.file, f.role] as const] : [])));
  if (options.cwd !== undefined && report.root !== options.cwd) out.push(c.dim(`Paths are relative to ${report.root}`), '');
  for (const [file, entries] of groupByFile(report)) {
    const role = roles.get(file);
    out.push(c.underline(file) + (role ? c.dim(` (${role})`) : ''));
    const source = report.sources.get(file);
    const lines = source === undefined ? undefined : new SourceLines(source);
    const width = Math.max(...entries.map((e) => `${e.line}:${e.column}`.length));
    const severityWidth = Math.max(...entries.map((e) => severityWord(e.severity).length));
    for (const entry of entries) {
      const position = `${entry.line}:${entry.column}`.padEnd(width);
      const word = severityWord(entry.severity);
      const severity = (entry.severity === 'warn' ? c.yellow(word) : c.red(word)) + ' '.repeat(severityWidth - word.length);
      const rule = entry.ruleId === undefined ? '' : `  ${c.dim(entry.ruleId)}`;
      out.push(`  ${c.dim(position)}  ${severity}  ${entry.message}${rule}`);
      if (lines) out.push(indent(codeFrame(lines, entry, c), '    '), '');
    }
    if (!lines) out.push('');
  }
  out.push(...summaryLines(report, c), ...skippedLines(report, c));
  return `${out.join('\n')}\n`;
};

function groupByFile(report: AuditReport): Map<string, Entry[]> {
  const groups = new Map<string, Entry[]>();
  const add = (file: string, entry: Entry): void => {
    groups.set(file, [...(groups.get(file) ?? []), entry]);
  };
  for (const error of report.errors) {
    add(error.file, { ...error, endLine: error.line, endColumn: error.column + 1, message: `Parsing error: ${error.message}`, severity: 'error', ruleId: undefined });
  }
  for (const finding of report.findings) add(finding.file, finding);
  const sorted = new Map([...groups].sort(([a], [b]) => compareStrings(a, b)));
  for (const entries of sorted.values()) entries.sort((a, b) => a.line - b.line || a.column - b.column);
  return sorted;
}

function summaryLines(report: AuditReport, c: Colors): string[] {
  const problems = report.findings.length + report.errors.length;
  const suppressed = report.suppressed.length;
  const suppressedNote = suppressed > 0 ? `${plural(suppressed, 'finding')} suppressed by eslint-disable comments` : '';
  if (problems === 0) {
    const files = plural(report.fileCount, 'file');
    return [c.green(`✔ No problems found in ${files}${suppressed > 0 ? ` (${suppressedNote})` : ''}.`)];
  }
  const out: string[] = [];
  const rows = ruleRows(report);
  if (rows.length > 0) out.push(...ruleTable(rows, c), ...docsHint(rows), '');
  if (report.errors.length > 0) out.push(`${plural(report.errors.length, 'file')} could not be parsed.`);
  const { errors, warnings } = severityCounts(report);
  const counts = warnings > 0 ? `${plural(errors, 'error')}, ${plural(warnings, 'warning')}` : plural(errors, 'error');
  const fixableCount = report.findings.filter((f) => f.fixable).length;
  const fixable = fixableCount > 0 ? `, ${fixableCount} fixable with \`resilience fix\`` : '';
  const colour = errors > 0 ? c.red : c.yellow;
  out.push(colour(c.bold(`✖ ${plural(problems, 'problem')} (${counts})${fixable}`)));
  if (suppressed > 0) out.push(c.dim(`${suppressedNote} (not counted).`));
  return out;
}

/** What the run left out by role, and the flag that brings each back. */
function skippedLines(report: AuditReport, c: Colors): string[] {
  const skipped = report.skipped;
  if (!skipped) return [];
  const parts: string[] = [];
  if (skipped.test > 0) parts.push(`${plural(skipped.test, 'test file')} (--include-tests)`);
  if (skipped.script > 0) parts.push(`${plural(skipped.script, 'script')} (--include-scripts)`);
  if (skipped.example > 0) parts.push(`${plural(skipped.example, 'example file')} (--include-examples)`);
  return parts.length === 0 ? [] : [c.dim(`Production code only: left out ${parts.join(', ')}.`)];
}

function ruleTable(rows: readonly RuleRow[], c: Colors): string[] {
  const header = ['Rule', 'Severity', 'Problems', 'Fixable', 'Suppressed'] as const;
  const cells = rows.map((r) => [r.id, severityWord(r.severity), String(r.problems), String(r.fixable), String(r.suppressed)] as const);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  // Names left-aligned, counts right-aligned (as in ESLint's and knip's tables).
  const row = (values: readonly string[]): string =>
    values.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ').trimEnd();
  return [c.bold(row(header)), ...cells.map(row)];
}

/**
 * Where each rule is documented: one line with `<rule>` in place of the id when every URL follows
 * the same pattern (they do, from one DOCS_BASE), else one line per rule.
 */
function docsHint(rows: readonly RuleRow[]): string[] {
  const documented = rows.filter((r) => r.info !== undefined).map((r) => ({ id: r.id, url: r.info!.docsUrl }));
  if (documented.length === 0) return [];
  const [first] = documented;
  if (documented.length === 1) return ['', `Rule docs: ${first!.url}`];
  const at = first!.url.lastIndexOf(first!.id);
  if (at >= 0) {
    const prefix = first!.url.slice(0, at);
    const suffix = first!.url.slice(at + first!.id.length);
    if (documented.every((d) => d.url === `${prefix}${d.id}${suffix}`)) return ['', `Rule docs: ${prefix}<rule>${suffix}`];
  }
  return ['', 'Rule docs:', ...documented.map((d) => `  ${d.id}  ${d.url}`)];
}

function indent(block: string, prefix: string): string {
  return block.split('\n').map((line) => prefix + line).join('\n');
}
