/**
 * `resilience merge`: put the JSON reports of `audit --shard k/n` back together into the report a
 * single `audit` would have written, for any reporter and the same exit code. CI is the
 * distributed engine (a matrix of n jobs, then one merge job); we stay stateless and deterministic.
 *
 * The shards must come from the same tool version, root and rules, and be 1..n exactly once:
 * anything else is a UsageError (exit 2), never a silently partial report.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.ts';
import { compareErrors, compareFindings, compareStrings } from './report.ts';
import type { AuditFinding, AuditReport, CallSite, DependencyEntry, ParseError, RuleInfo, SuppressedFinding } from './report.ts';
import type { JsonCallSite, JsonFinding, JsonReport, JsonRule, JsonSuppressedFinding } from './reporters/json.ts';
import { formatShard } from './shard.ts';
import { toolName } from './version.ts';

/** A JSON report as read: written by this or an earlier 1.x version (keys added since may be missing). */
export type ReportInput = JsonReport;

export interface FromJsonOptions {
  /**
   * The text of a file (posix path relative to the report's root), for code frames; undefined when
   * it cannot be read (no code frame). Default: read it from disk under the report's root.
   */
  readonly readSource?: ((file: string) => string | undefined) | undefined;
}

/** The AuditReport a JSON report was written from (sources re-read from disk for code frames). */
export function fromJsonReport(json: ReportInput, options: FromJsonOptions = {}): AuditReport {
  const readSource = options.readSource ?? ((file: string) => readSourceUnder(json.root, file));
  const findings = (json.findings ?? []).map(toAuditFinding);
  const errors: ParseError[] = (json.errors ?? []).map((e) => ({ file: e.file, line: e.line, column: e.column, message: e.message }));
  const sources = new Map<string, string>();
  for (const file of new Set([...findings, ...errors].map((f) => f.file))) {
    const text = readSource(file);
    if (text !== undefined) sources.set(file, text);
  }
  const ruleInfo = Array.isArray(json.rules) ? json.rules.map(toRuleInfo) : [];
  const shard = json.shard ?? undefined;
  return {
    root: json.root,
    fileCount: json.summary.files,
    rules: ruleInfo.length > 0 ? ruleInfo.map((r) => r.id) : Object.keys(json.summary.byRule ?? {}),
    ruleInfo,
    findings,
    suppressed: (json.suppressed ?? []).map(toSuppressedFinding),
    dependencies: (json.dependencies ?? []).map((d) => ({ id: d.id, display: d.display, calls: d.calls.map(toCallSite) })),
    errors,
    warnings: [],
    sources,
    ...(json.baselined ? { baselined: json.baselined.map(toAuditFinding), baselineFixed: json.summary.baselineFixed ?? 0 } : {}),
    // Every shard lists the files before slicing, so each has the same counts.
    ...(json.summary.skipped ? { skipped: json.summary.skipped } : {}),
    ...(shard ? { shard: { index: shard.index, count: shard.count } } : {}),
    ...(shard?.files ? { files: [...shard.files] } : {}),
  };
}

/** Read and check one shard report; `label` is how errors name it (the path given). */
export function parseShardReport(text: string, label: string): ReportInput {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${label} is not a JSON report: ${(error as Error).message}`);
  }
  if (!isRecord(data) || data['version'] !== 1 || !isRecord(data['tool']) || data['tool']['name'] !== toolName
    || typeof data['root'] !== 'string' || !isRecord(data['summary']) || !Array.isArray(data['findings'])) {
    throw new UsageError(`${label} is not a ${toolName} JSON report (audit --format json)`);
  }
  const shard = data['shard'];
  if (!isRecord(shard) || typeof shard['index'] !== 'number' || typeof shard['count'] !== 'number') {
    throw new UsageError(`${label} is not a shard report: run audit with --shard k/n --format json`);
  }
  return data as unknown as ReportInput;
}

export function readShardReport(file: string, cwd: string): ReportInput {
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `shard report not found: ${file}` : `cannot read shard report ${file}: ${code ?? String(error)}`);
  }
  return parseShardReport(text, file);
}

/** Check that the reports are the n shards of one run, then merge them. */
export function mergeShardReports(inputs: readonly { readonly label: string; readonly report: ReportInput }[], options: FromJsonOptions = {}): AuditReport {
  if (inputs.length === 0) throw new UsageError('no shard reports given');
  const [first] = inputs as [typeof inputs[0]];
  const firstShard = first.report.shard!;
  const byIndex = new Map<number, string>();
  for (const { label, report } of inputs) {
    const shard = report.shard!;
    if (report.tool.version !== first.report.tool.version) {
      throw new UsageError(`${first.label} was written by ${toolName} ${first.report.tool.version}, ${label} by ${report.tool.version}: merge shards of one version`);
    }
    if (report.root !== first.report.root) {
      throw new UsageError(`${first.label} and ${label} audited different roots (${first.report.root}, ${report.root})`);
    }
    const rules = ruleIds(report).join(', ');
    if (rules !== ruleIds(first.report).join(', ')) {
      throw new UsageError(`${first.label} and ${label} ran different rules (${ruleIds(first.report).join(', ') || 'none'}; ${rules || 'none'})`);
    }
    if (shard.count !== firstShard.count) {
      throw new UsageError(`${first.label} is shard ${formatShard(firstShard)} but ${label} is shard ${formatShard(shard)}: merge shards of one --shard k/n run`);
    }
    if (!Number.isSafeInteger(shard.index) || shard.index < 1 || shard.index > shard.count) {
      throw new UsageError(`${label} has an invalid shard ${formatShard(shard)}`);
    }
    const seen = byIndex.get(shard.index);
    if (seen !== undefined) throw new UsageError(`shard ${formatShard(shard)} given twice: ${seen}, ${label}`);
    byIndex.set(shard.index, label);
  }
  const missing = Array.from({ length: firstShard.count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    const list = missing.map((i) => formatShard({ index: i, count: firstShard.count })).join(', ');
    throw new UsageError(`missing shard${missing.length === 1 ? '' : 's'} ${list}: merge needs all ${firstShard.count} shard reports`);
  }
  const ordered = [...inputs].sort((a, b) => a.report.shard!.index - b.report.shard!.index);
  return mergeReports(ordered.map(({ report }) => fromJsonReport(report, options)));
}

/** Merge reports of disjoint sets of files of one run (checked by the caller). */
export function mergeReports(reports: readonly AuditReport[]): AuditReport {
  const [first] = reports as [AuditReport];
  const sources = new Map<string, string>();
  for (const report of reports) for (const [file, text] of report.sources) sources.set(file, text);
  const anyBaseline = reports.some((r) => r.baselined !== undefined);
  const allFiles = reports.every((r) => r.files !== undefined);
  return {
    root: first.root,
    fileCount: reports.reduce((n, r) => n + r.fileCount, 0),
    rules: first.rules,
    ruleInfo: first.ruleInfo,
    findings: reports.flatMap((r) => r.findings).sort(compareFindings),
    suppressed: reports.flatMap((r) => r.suppressed).sort(compareFindings),
    dependencies: mergeDependencies(reports.flatMap((r) => r.dependencies)),
    errors: reports.flatMap((r) => r.errors).sort(compareErrors),
    warnings: [...new Set(reports.flatMap((r) => r.warnings))],
    sources,
    ...(anyBaseline ? {
      baselined: reports.flatMap((r) => r.baselined ?? []).sort(compareFindings),
      baselineFixed: reports.reduce((n, r) => n + (r.baselineFixed ?? 0), 0),
    } : {}),
    ...(allFiles ? { files: reports.flatMap((r) => r.files ?? []).sort(compareStrings) } : {}),
    ...(first.skipped ? { skipped: first.skipped } : {}),
  };
}

/** Entries with the same id become one, with every call site, sorted as a single run sorts them. */
export function mergeDependencies(entries: readonly DependencyEntry[]): DependencyEntry[] {
  const byId = new Map<string, { display: string; first: CallSite | undefined; calls: CallSite[] }>();
  for (const entry of entries) {
    const merged = byId.get(entry.id);
    const head = entry.calls[0];
    if (!merged) {
      byId.set(entry.id, { display: entry.display, first: head, calls: [...entry.calls] });
      continue;
    }
    merged.calls.push(...entry.calls);
    // A single run names the dependency after its first call in file order.
    if (head && (!merged.first || compareCalls(head, merged.first) < 0)) {
      merged.display = entry.display;
      merged.first = head;
    }
  }
  return [...byId]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([id, { display, calls }]) => ({ id, display, calls: calls.sort(compareCalls) }));
}

function compareCalls(a: CallSite, b: CallSite): number {
  return compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column;
}

function ruleIds(report: ReportInput): string[] {
  return Array.isArray(report.rules) ? report.rules.map((r) => r.id) : Object.keys(report.summary.byRule ?? {});
}

function toAuditFinding(f: JsonFinding): AuditFinding {
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
    fingerprint: f.fingerprint ?? '',
    ...(f.role ? { role: f.role } : {}),
  };
}

function toSuppressedFinding(f: JsonSuppressedFinding): SuppressedFinding {
  return { ...toAuditFinding(f), justification: f.justification ?? undefined };
}

function toCallSite(c: JsonCallSite): CallSite {
  return { file: c.file, line: c.line, column: c.column, client: c.client, callee: c.callee, method: c.method ?? undefined, policies: { ...c.policies, fallback: (c.policies as Partial<CallSite['policies']>).fallback ?? 'unknown' } };
}

function toRuleInfo(r: JsonRule): RuleInfo {
  return { id: r.id, description: r.description, docsUrl: r.docsUrl, fixKind: r.fixKind, codemod: r.codemod ?? undefined, severity: r.severity };
}

function readSourceUnder(root: string, file: string): string | undefined {
  try {
    return readFileSync(path.resolve(root, file), 'utf8').replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
