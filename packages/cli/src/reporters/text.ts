/**
 * The human report (ESLint's "stylish" plus code frames): findings grouped by file, each with its
 * severity and a code frame, then a table per rule (severity, problems, fixable, suppressed), where
 * the rule docs are, the dependency map (each outbound dependency's calls, files and policy
 * coverage), and the total, last, as in ESLint's stylish: what a reader scrolling a CI log sees first.
 */
import type { Severity } from '@resilience-kit/core';
import { SourceLines } from '../lines.ts';
import { compareStrings } from '../report.ts';
import type { AuditReport } from '../report.ts';
import { codeFrame } from './code-frame.ts';
import { createColors } from './colors.ts';
import type { Colors } from './colors.ts';
import { plural } from './plural.ts';
import { callCount, dependencyRows, policyColumns, ruleRows, severityCounts, severityWord } from './stats.ts';
import type { Coverage, DependencyRow, RuleRow } from './stats.ts';
import type { Reporter } from './types.ts';

/** The map lists this many dependencies (the unresolved ones come last, so they are cut first). */
const MAP_ROWS = 20;
/** Longer dependency names are cut, with `…`, so that a row fits a wide terminal. */
const MAP_NAME = 48;

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
  out.push(...ruleLines(report, c), ...dependencyMapLines(report, c), ...totalLines(report, c), ...skippedLines(report, c));
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

/** The table per rule and where the rules are documented, when there are problems. */
function ruleLines(report: AuditReport, c: Colors): string[] {
  if (report.findings.length + report.errors.length === 0) return [];
  const rows = ruleRows(report);
  return rows.length > 0 ? [...ruleTable(rows, c), ...docsHint(rows), ''] : [];
}

function totalLines(report: AuditReport, c: Colors): string[] {
  const problems = report.findings.length + report.errors.length;
  const suppressed = report.suppressed.length;
  const suppressedNote = suppressed > 0 ? `${plural(suppressed, 'finding')} suppressed by eslint-disable comments` : '';
  if (problems === 0) {
    const files = plural(report.fileCount, 'file');
    return [c.green(`✔ No problems found in ${files}${suppressed > 0 ? ` (${suppressedNote})` : ''}.`)];
  }
  const out: string[] = [];
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

/**
 * The dependency map as a compact table: a row per dependency with its calls, files and, per
 * policy, the calls that have it out of the calls it applies to. None when there are no outbound
 * calls; at most MAP_ROWS rows, then how many more (the HTML and JSON reports list them all).
 */
function dependencyMapLines(report: AuditReport, c: Colors): string[] {
  const rows = dependencyRows(report);
  if (rows.length === 0) return [];
  const shown = rows.slice(0, MAP_ROWS);
  const header = ['Dependency', 'Calls', 'Files', ...policyColumns.map((p) => p.short)];
  const cells = shown.map((row) => [shorten(row.display), String(row.calls.length), String(row.files), ...policyColumns.map((p) => mapCell(row.coverage[p.name]))]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  // Padded before colouring: escape codes have no width. The name left-aligned, counts right-aligned.
  const pad = (value: string, i: number): string => (i === 0 ? value.padEnd(widths[i]!) : value.padStart(widths[i]!));
  const line = (values: readonly string[], paint: (value: string, i: number) => string): string =>
    values.map((v, i) => paint(pad(v, i), i)).join('  ').trimEnd();
  const title = `${plural(callCount(report.dependencies), 'outbound call')} to ${plural(rows.length, 'dependency', 'dependencies')}`;
  const out = [
    `${c.bold('Dependency map')}: ${title}`,
    c.bold(line(header, (v) => v)),
    ...cells.map((values, r) => line(values, (v, i) => (i < 3 ? v : paintCoverage(v, shown[r]!, i - 3, c)))),
  ];
  const more = rows.length - shown.length;
  if (more > 0) out.push(c.dim(`… ${plural(more, 'more dependency', 'more dependencies')} (see --format html or --format json)`));
  out.push(c.dim('n/m: calls with the policy / calls it applies to · (k?): k of them undecided · —: applies to none'), '');
  return out;
}

/** `2/3`, `2/3 (1?)` when the analysis could not decide for some calls, `—` when it applies to none. */
function mapCell(cov: Coverage): string {
  if (cov.status === 'n/a') return '—';
  return `${cov.present}/${cov.applicable}${cov.unknown > 0 ? ` (${cov.unknown}?)` : ''}`;
}

/** Green when every call has the policy, yellow when some do, red when none; retry is a fact, not a goal. */
function paintCoverage(text: string, row: DependencyRow, column: number, c: Colors): string {
  const policy = policyColumns[column]!;
  const { status } = row.coverage[policy.name];
  if (status === 'n/a') return c.dim(text);
  if (!policy.goal) return text;
  return status === 'full' ? c.green(text) : status === 'partial' ? c.yellow(text) : c.red(text);
}

/** The start of a long name (a URL's scheme and host), cut with `…`. */
function shorten(name: string): string {
  return name.length <= MAP_NAME ? name : `${name.slice(0, MAP_NAME - 1)}…`;
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
