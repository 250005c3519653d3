/**
 * The human report (ESLint's "stylish" plus code frames): findings grouped by file, a code frame
 * under each, a table of problems per rule and a total line.
 */
import { SourceLines } from '../lines.ts';
import { compareStrings, summarize } from '../report.ts';
import type { AuditReport } from '../report.ts';
import { codeFrame } from './code-frame.ts';
import { createColors } from './colors.ts';
import type { Colors } from './colors.ts';
import { plural } from './plural.ts';
import type { Reporter } from './types.ts';

interface Entry {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly message: string;
  readonly ruleId: string | undefined;
}

export const text: Reporter = (report, options) => {
  const c = createColors(options.color);
  const out: string[] = [];
  for (const [file, entries] of groupByFile(report)) {
    out.push(c.underline(file));
    const source = report.sources.get(file);
    const lines = source === undefined ? undefined : new SourceLines(source);
    const width = Math.max(...entries.map((e) => `${e.line}:${e.column}`.length));
    for (const entry of entries) {
      const position = `${entry.line}:${entry.column}`.padEnd(width);
      const rule = entry.ruleId === undefined ? '' : `  ${c.dim(entry.ruleId)}`;
      out.push(`  ${c.dim(position)}  ${entry.message}${rule}`);
      if (lines) out.push(indent(codeFrame(lines, entry, c), '    '), '');
    }
    if (!lines) out.push('');
  }
  out.push(...summaryLines(report, c));
  return `${out.join('\n')}\n`;
};

function groupByFile(report: AuditReport): Map<string, Entry[]> {
  const groups = new Map<string, Entry[]>();
  const add = (file: string, entry: Entry): void => {
    groups.set(file, [...(groups.get(file) ?? []), entry]);
  };
  for (const error of report.errors) {
    add(error.file, { ...error, endLine: error.line, endColumn: error.column + 1, message: `Parsing error: ${error.message}`, ruleId: undefined });
  }
  for (const finding of report.findings) add(finding.file, finding);
  const sorted = new Map([...groups].sort(([a], [b]) => compareStrings(a, b)));
  for (const entries of sorted.values()) entries.sort((a, b) => a.line - b.line || a.column - b.column);
  return sorted;
}

function summaryLines(report: AuditReport, c: Colors): string[] {
  const summary = summarize(report);
  const problems = summary.findings + summary.errors;
  if (problems === 0) return [c.green(`✔ No problems found in ${plural(summary.files, 'file')}.`)];
  const out: string[] = [];
  const fixableByRule = new Map<string, number>();
  for (const f of report.findings) if (f.fixable) fixableByRule.set(f.ruleId, (fixableByRule.get(f.ruleId) ?? 0) + 1);
  const rows = Object.entries(summary.byRule).filter(([, n]) => n > 0)
    .map(([id, n]) => [id, String(n), String(fixableByRule.get(id) ?? 0)] as const);
  if (rows.length > 0) {
    const header = ['Rule', 'Problems', 'Fixable'] as const;
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const row = (cells: readonly string[]): string => `${cells[0]!.padEnd(widths[0]!)}  ${cells[1]!.padStart(widths[1]!)}  ${cells[2]!.padStart(widths[2]!)}`;
    out.push(c.bold(row(header)), ...rows.map(row), '');
  }
  if (summary.errors > 0) out.push(`${plural(summary.errors, 'file')} could not be parsed.`);
  const fixable = summary.fixable > 0 ? `, ${summary.fixable} fixable with \`resilience fix\`` : '';
  out.push(c.red(c.bold(`✖ ${plural(problems, 'problem')} (${plural(problems, 'error')})${fixable}`)));
  return out;
}

function indent(block: string, prefix: string): string {
  return block.split('\n').map((line) => prefix + line).join('\n');
}
