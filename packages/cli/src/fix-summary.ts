/**
 * The summary `resilience fix` prints: fixes per file and per rule, what still needs a hand fix,
 * and the files left untouched (refused, or not parseable).
 */
import { formatMissingDependencies } from './fix-dependency.ts';
import type { FixReport } from './fix.ts';
import { plural } from './reporters/plural.ts';
import { compareStrings } from './report.ts';

export function formatFixSummary(report: FixReport): string {
  const out: string[] = [];
  const total = report.fixed.reduce((n, f) => n + f.applied.length, 0);
  const verb = report.dryRun ? 'Would fix' : 'Fixed';
  if (total === 0) {
    out.push(`Nothing to fix in ${plural(report.fileCount, 'file')}.`);
  } else {
    out.push(`${verb} ${plural(total, 'problem')} in ${plural(report.fixed.length, 'file')}${report.dryRun ? ' (dry run: nothing written)' : ''}:`);
    for (const file of report.fixed) out.push(`  ${file.file}  ${describeCounts(file.applied.map((a) => a.ruleId))}`);
    out.push('', 'By rule:');
    const byRule = countBy(report.fixed.flatMap((f) => f.applied.map((a) => a.ruleId)));
    const width = Math.max(...[...byRule.keys()].map((id) => id.length));
    for (const [id, n] of byRule) out.push(`  ${id.padEnd(width)}  ${n}`);
  }
  if (report.remaining.length > 0) {
    out.push('', `Needs a hand fix (${report.remaining.length}):`);
    for (const f of report.remaining) {
      out.push(`  ${f.file}:${f.line}:${f.column}  ${f.message}  ${f.ruleId}`);
      if (f.noFixReason) out.push(`      no automatic fix: ${f.noFixReason}`);
    }
  }
  if (report.refused.length > 0) {
    out.push('', `Refused, left untouched (${report.refused.length}):`);
    for (const r of report.refused) out.push(`  ${r.file}: ${r.reason}`);
  }
  if (report.errors.length > 0) {
    out.push('', `Could not be parsed, left untouched (${report.errors.length}):`);
    for (const e of report.errors) out.push(`  ${e.file}:${e.line}:${e.column}  Parsing error: ${e.message}`);
  }
  return `${out.join('\n')}\n${formatMissingDependencies(report.missingDependencies)}`;
}

function countBy(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of [...ids].sort(compareStrings)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

function describeCounts(ids: readonly string[]): string {
  return [...countBy(ids)].map(([id, n]) => (n === 1 ? id : `${id} ×${n}`)).join(', ');
}
