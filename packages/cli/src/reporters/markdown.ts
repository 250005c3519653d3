/**
 * A report to paste in a pull-request comment: a total line, the dependency map (a row per
 * outbound dependency: calls, files, each policy's coverage; folded when long), a table per rule
 * (linked to its docs), and the findings of each file (`path:line:col`, no links to files: the
 * root differs between machines; folded into <details> when there are many).
 * It never exceeds GitHub's comment limit: findings that do not fit are left out, with a note.
 */
import { compareStrings } from '../report.ts';
import type { AuditReport } from '../report.ts';
import { plural } from './plural.ts';
import { callCount, coverageText, dependencyRows, policyColumns, ruleRows, severityCounts, severityWord } from './stats.ts';
import type { Coverage } from './stats.ts';
import type { Reporter } from './types.ts';

/** GitHub rejects a comment body longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** More problems than this, or more files than FOLD_FILES, and each file is a collapsed <details>. */
const FOLD_PROBLEMS = 20;
const FOLD_FILES = 5;
/** The dependency map gets at most this share of the limit; it lists at most MAX_DEPENDENCIES rows. */
const MAP_SHARE = 0.25;
const MAX_DEPENDENCIES = 100;
/** A map of more dependencies than this is folded into <details>, so the findings stay in view. */
const FOLD_DEPENDENCIES = 15;
/** Room kept for the truncation note. */
const NOTE_ROOM = 300;

export const markdown: Reporter = (report, options) => renderMarkdown(report, GITHUB_COMMENT_LIMIT, options.cwd);

/** `cwd`: the working directory (posix); the root is named when the paths are relative to another folder. */
export function renderMarkdown(report: AuditReport, limit = GITHUB_COMMENT_LIMIT, cwd?: string): string {
  const map = dependencyMapBlock(report, Math.floor(limit * MAP_SHARE));
  // The verdict, then the dependency map, then the rules: the head is always whole.
  const head = [verdictLines(report, cwd).join('\n'), map, ruleTableLines(report).join('\n')].filter(Boolean).join('\n\n');
  const problems = report.findings.length + report.errors.length;
  if (problems === 0) return `${head}\n`;
  const files = fileBlocks(report);
  // Everything as blocks separated by blank lines; findings go in while they fit.
  let budget = limit - head.length - NOTE_ROOM - 1;
  const parts = [head];
  let shown = 0;
  for (const block of files) {
    const cost = block.open.length + block.close.length + 2;
    if (budget - cost < 0) break;
    const items: string[] = [];
    let used = cost;
    for (const item of block.items) {
      if (budget - used - item.length - 1 < 0) break;
      items.push(item);
      used += item.length + 1;
    }
    if (items.length === 0) break;
    parts.push(`${block.open}${items.join('\n')}${block.close}`);
    budget -= used;
    shown += items.length;
    if (items.length < block.items.length) break;
  }
  if (shown < problems) {
    parts.push(`> [!NOTE]\n> Cut to fit a GitHub comment: ${shown} of ${plural(problems, 'problem')} shown. `
      + 'Run `resilience audit --format html` (or `json`) for the full report.');
  }
  return `${parts.join('\n\n')}\n`;
}

function verdictLines(report: AuditReport, cwd: string | undefined): string[] {
  const problems = report.findings.length + report.errors.length;
  const suppressed = report.suppressed.length;
  const suppressedNote = suppressed > 0 ? ` ${plural(suppressed, 'finding')} suppressed by \`eslint-disable\` comments.` : '';
  const out = ['## resilience-kit audit', ''];
  if (problems === 0) {
    out.push(`✅ No problems found in ${plural(report.fileCount, 'file')}.${suppressedNote}`);
  } else {
    const files = new Set([...report.findings.map((f) => f.file), ...report.errors.map((e) => e.file)]);
    const { errors, warnings } = severityCounts(report);
    const fixableCount = report.findings.filter((f) => f.fixable).length;
    const details = [warnings > 0 ? `${plural(errors, 'error')}, ${plural(warnings, 'warning')}` : '', fixableCount > 0 ? `${fixableCount} fixable with \`resilience fix\`` : '']
      .filter(Boolean).join('; ');
    out.push(`**${plural(problems, 'problem')}**${details ? ` (${details})` : ''} in ${files.size} of ${plural(report.fileCount, 'file')}.${suppressedNote}`);
  }
  // As in the text report: inside the working directory the root goes without saying.
  if (cwd !== undefined && report.root !== cwd) out.push('', `Paths are relative to ${code(report.root)}.`);
  return out;
}

/** The table per rule (with the parse errors as a row), when there are problems. */
function ruleTableLines(report: AuditReport): string[] {
  if (report.findings.length + report.errors.length === 0) return [];
  const out = ['| Rule | Severity | Problems | Fixable | Suppressed |', '| --- | --- | ---: | ---: | ---: |'];
  for (const row of ruleRows(report)) {
    const name = row.info ? `[${code(row.id)}](${row.info.docsUrl})` : code(row.id);
    out.push(`| ${name} | ${severityWord(row.severity)} | ${row.problems} | ${row.fixable} | ${row.suppressed} |`);
  }
  if (report.errors.length > 0) out.push(`| parse errors | error | ${report.errors.length} | 0 | 0 |`);
  return out;
}

interface FileBlock {
  readonly open: string;
  readonly items: readonly string[];
  readonly close: string;
}

function fileBlocks(report: AuditReport): FileBlock[] {
  const byFile = new Map<string, string[]>();
  const add = (file: string, item: string): void => {
    byFile.set(file, [...(byFile.get(file) ?? []), item]);
  };
  for (const e of report.errors) add(e.file, `- ${code(`${e.file}:${e.line}:${e.column}`)} **error** Parsing error: ${inline(e.message)}`);
  for (const f of report.findings) {
    // The rule's docs link is in the table: not repeated here, where it would eat the size limit.
    add(f.file, `- ${code(`${f.file}:${f.line}:${f.column}`)} **${severityWord(f.severity)}** ${inline(f.message)} (${code(f.ruleId)})`);
  }
  const problems = report.findings.length + report.errors.length;
  const fold = problems > FOLD_PROBLEMS || byFile.size > FOLD_FILES;
  return [...byFile].sort(([a], [b]) => compareStrings(a, b)).map(([file, items]) => (fold
    ? { open: `<details>\n<summary><code>${escapeHtml(file)}</code>: ${plural(items.length, 'problem')}</summary>\n\n`, items, close: '\n\n</details>' }
    : { open: `### ${code(file)}\n\n`, items, close: '' }));
}

/**
 * The dependency map: a row per dependency (calls, files, each policy's coverage), in the map's
 * order, within `room` characters and MAX_DEPENDENCIES rows; folded into <details> when there are
 * more than FOLD_DEPENDENCIES dependencies. None when there are no outbound calls.
 */
function dependencyMapBlock(report: AuditReport, room: number): string | undefined {
  const rows = dependencyRows(report);
  if (rows.length === 0) return undefined;
  const title = `${plural(callCount(report.dependencies), 'outbound call')} to ${plural(rows.length, 'dependency', 'dependencies')}`;
  const fold = rows.length > FOLD_DEPENDENCIES;
  const open = fold ? `<details>\n<summary>Dependency map: ${title}</summary>\n\n` : `**Dependency map**: ${title}\n\n`;
  const header = `| Dependency | Calls | Files | ${policyColumns.map((p) => p.label).join(' | ')} |\n| --- | ---: | ---: |${' --- |'.repeat(policyColumns.length)}`;
  const close = `\n\n✅ every call covered · ⚠️ some · ❌ none · — does not apply (calls not retried, or not a POST/PATCH)${fold ? '\n\n</details>' : ''}`;
  let used = open.length + header.length + close.length;
  const lines: string[] = [];
  for (const row of rows.slice(0, MAX_DEPENDENCIES)) {
    const cells = policyColumns.map((p) => cell(row.coverage[p.name], p.goal));
    // A display with its own code spans (`unresolved \`fetch\` target`) is Markdown already.
    const name = (row.display.includes('`') ? inline(row.display) : code(row.display)).replace(/\|/g, '\\|');
    const line = `| ${name} | ${row.calls.length} | ${row.files} | ${cells.join(' | ')} |`;
    if (used + line.length + 1 > room) break;
    lines.push(line);
    used += line.length + 1;
  }
  const more = rows.length - lines.length;
  const moreLine = more > 0 ? `\n\n${plural(more, 'more dependency', 'more dependencies')} not shown.` : '';
  return `${open}${header}\n${lines.join('\n')}${moreLine}${close}`;
}

function cell(c: Coverage, goal: boolean): string {
  const text = coverageText(c);
  if (!goal || c.status === 'n/a') return text;
  return `${c.status === 'full' ? '✅' : c.status === 'none' ? '❌' : '⚠️'} ${text}`;
}

/** An inline code span that survives backticks in its text. */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * One line of Markdown from a message: no line breaks; HTML-looking text shown as text; outside
 * code spans, `@scope/name` goes in a code span so GitHub does not mention a user or team.
 */
function inline(message: string): string {
  const flat = message.replace(/\s*\n\s*/g, ' ');
  return flat.split(/(`+[^`]*`+)/).map((part, i) => (i % 2 === 1 ? part
    : escapeHtml(part).replace(/(^|[^\w`])@([\w-]+(?:\/[\w.-]*[\w-])?)/g, (_, before: string, name: string) => `${before}\`@${name}\``))).join('');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
