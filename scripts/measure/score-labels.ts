/**
 * Score a `resilience audit --format json` report against hand labels (measurements/labels/*.jsonl,
 * written by reading the code before running the tool; see shared/reference/labelling.md).
 *
 *   tsx scripts/measure/score-labels.ts <labels.jsonl> <report.json> [--rule require-timeout]
 *
 * The rule picks the labels it scores: `T` for require-timeout, `R-nobackoff` for require-backoff,
 * `R-nojitter` for require-jitter, `R-unbounded` for no-unbounded-retry, `I` for
 * require-idempotency-key; a NEGATIVE is a trap for the rule its `trap_for` names.
 *
 * A `T` label is found when a finding of the rule lies on its line (paths match by suffix: labels are
 * relative to the audited folder or the repository). A finding in a wrapper that names the label's
 * line as one of the callers that pass no deadline counts as found "via the wrapper". A NEGATIVE label
 * with a finding on its line is a trap hit; a NONPROD label with one is noise from code that does not ship.
 */
import { readFileSync } from 'node:fs';

interface Label { readonly path: string; readonly line: number; readonly category: string; readonly trap_for?: string; readonly reason: string }
interface Finding { readonly ruleId: string; readonly file: string; readonly line: number; readonly message: string }

const [labelsFile, reportFile, ...rest] = process.argv.slice(2);
if (!labelsFile || !reportFile) {
  process.stderr.write('usage: score-labels <labels.jsonl> <report.json> [--rule <id>]\n');
  process.exit(2);
}
const ruleAt = rest.indexOf('--rule');
const rule = ruleAt >= 0 ? rest[ruleAt + 1] : 'require-timeout';
const labels = readFileSync(labelsFile, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Label);
const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { findings: Finding[] };
const findings = report.findings.filter((f) => f.ruleId === rule);

const sameFile = (finding: string, label: string): boolean => finding === label || finding.endsWith(`/${label}`) || label.endsWith(`/${finding}`);
const on = (label: Label): Finding | undefined => findings.find((f) => sameFile(f.file, label.path) && f.line === label.line);
const viaWrapper = (label: Label): Finding | undefined =>
  findings.find((f) => (sameFile(f.file, label.path) && new RegExp(`\\bline ${label.line}\\b`).test(f.message)) || f.message.includes(`${label.path}:${label.line}`));

const CATEGORY: Record<string, string> = {
  'require-timeout': 'T', 'require-backoff': 'R-nobackoff', 'require-jitter': 'R-nojitter', 'no-unbounded-retry': 'R-unbounded', 'require-idempotency-key': 'I',
};
const category = CATEGORY[rule!] ?? 'T';
const t = labels.filter((l) => l.category === category);
const found = t.filter((l) => on(l));
const wrapped = t.filter((l) => !on(l) && viaWrapper(l));
const traps = labels.filter((l) => l.category === 'NEGATIVE' && (!l.trap_for || l.trap_for === category) && on(l));
const nonprod = labels.filter((l) => l.category === 'NONPROD' && on(l));
const labelled = new Set(labels.map((l) => `${l.path}:${l.line}`));
const unlabelled = findings.filter((f) => ![...labelled].some((k) => { const [p, n] = [k.slice(0, k.lastIndexOf(':')), Number(k.slice(k.lastIndexOf(':') + 1))]; return sameFile(f.file, p) && f.line === n; }));

const out = {
  findings: findings.length,
  category,
  labels: t.length,
  found: found.length,
  foundViaWrapper: wrapped.length,
  trapsHit: traps.length,
  negatives: labels.filter((l) => l.category === 'NEGATIVE' && (!l.trap_for || l.trap_for === category)).length,
  nonprodFlagged: nonprod.length,
  nonprod: labels.filter((l) => l.category === 'NONPROD').length,
  unlabelledFindings: unlabelled.length,
  missed: t.filter((l) => !on(l) && !viaWrapper(l)).map((l) => `${l.path}:${l.line}  ${l.reason.slice(0, 90)}`),
  traps: traps.map((l) => `${l.path}:${l.line}  ${l.reason.slice(0, 90)}`),
};
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
