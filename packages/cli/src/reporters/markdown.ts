/**
 * A report to paste in a pull-request comment: a table of problems per rule, then the findings
 * of each file as a list of `path:line` and message (no links: the root differs between machines).
 */
import { compareStrings, summarize } from '../report.ts';
import { plural } from './plural.ts';
import type { Reporter } from './types.ts';

export const markdown: Reporter = (report) => {
  const summary = summarize(report);
  const problems = summary.findings + summary.errors;
  const out = ['## resilience-kit audit', ''];
  if (problems === 0) {
    out.push(`✅ No problems found in ${plural(summary.files, 'file')}.`);
    return `${out.join('\n')}\n`;
  }
  const files = new Set([...report.findings.map((f) => f.file), ...report.errors.map((e) => e.file)]);
  const fixable = summary.fixable > 0 ? ` (${summary.fixable} fixable with \`resilience fix\`)` : '';
  out.push(`**${plural(problems, 'problem')}**${fixable} in ${files.size} of ${plural(summary.files, 'file')}.`, '');
  out.push('| Rule | Problems | Fixable |', '| --- | ---: | ---: |');
  for (const [id, count] of Object.entries(summary.byRule)) {
    if (count === 0) continue;
    const fixableCount = report.findings.filter((f) => f.ruleId === id && f.fixable).length;
    out.push(`| \`${id}\` | ${count} | ${fixableCount} |`);
  }
  if (summary.errors > 0) out.push(`| parse errors | ${summary.errors} | 0 |`);
  for (const file of [...files].sort(compareStrings)) {
    out.push('', `### \`${file}\``, '');
    for (const error of report.errors.filter((e) => e.file === file)) {
      out.push(`- \`${file}:${error.line}\` Parsing error: ${inline(error.message)}`);
    }
    for (const finding of report.findings.filter((f) => f.file === file)) {
      out.push(`- \`${file}:${finding.line}\` ${inline(finding.message)} (\`${finding.ruleId}\`)`);
    }
  }
  return `${out.join('\n')}\n`;
};

/** One line of Markdown: no line breaks; HTML-looking text shown as text. */
function inline(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
