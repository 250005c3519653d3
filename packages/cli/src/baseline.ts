/**
 * Baselines (`--baseline FILE`, `--update-baseline`): accept the findings a codebase has today so
 * that CI fails only on new ones, as ESLint's bulk suppressions do.
 *
 * An entry names a finding by its fingerprint (fingerprint.ts: `<hash>:<n>`, a hash of the rule,
 * the file and the code at the finding, n its occurrence among identical code in the file), so it
 * survives lines added above it. Matching is exact on the fingerprint, and tolerant on the count:
 * for one (file, rule, hash) group the baseline allows as many findings as it has entries, so
 * reordering or moving identical code creates nothing "new". Entries for analysed files that no
 * longer occur are "fixed": counted, and pruned by the next `--update-baseline`.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.ts';
import { compareFindings, compareStrings } from './report.ts';
import type { AuditFinding, AuditReport } from './report.ts';
import { plural } from './reporters/plural.ts';
import { toolName, toolVersion } from './version.ts';
import { writeFileAtomic } from './write.ts';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  readonly ruleId: string;
  /** Posix path relative to the directory the audit runs in. */
  readonly file: string;
  readonly fingerprint: string;
  /** For the humans reviewing the baseline file; not used for matching. */
  readonly message: string;
}

export interface Baseline {
  readonly version: typeof BASELINE_VERSION;
  readonly tool: { readonly name: string; readonly version: string };
  /** Sorted by file, rule and fingerprint: the file is deterministic and diffs well. */
  readonly findings: readonly BaselineEntry[];
}

/** Parse a baseline file's text; a UsageError naming `label` when it is not one. */
export function parseBaseline(text: string, label: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`invalid baseline ${label}: ${(error as Error).message}`);
  }
  if (!isRecord(data) || !Array.isArray(data['findings'])) {
    throw new UsageError(`invalid baseline ${label}: expected an object with a "findings" array (write one with --update-baseline)`);
  }
  if (data['version'] !== BASELINE_VERSION) {
    throw new UsageError(`invalid baseline ${label}: unsupported version ${JSON.stringify(data['version'])} (expected ${BASELINE_VERSION})`);
  }
  const findings = (data['findings'] as unknown[]).map((entry, i): BaselineEntry => {
    const field = (name: keyof BaselineEntry): string => {
      const value = isRecord(entry) ? entry[name] : undefined;
      if (typeof value !== 'string') throw new UsageError(`invalid baseline ${label}: findings[${i}].${name} must be a string`);
      return value;
    };
    return { ruleId: field('ruleId'), file: field('file'), fingerprint: field('fingerprint'), message: field('message') };
  });
  const tool = isRecord(data['tool']) ? data['tool'] : {};
  return {
    version: BASELINE_VERSION,
    tool: { name: String(tool['name'] ?? toolName), version: String(tool['version'] ?? '') },
    findings,
  };
}

/** Read `file` (relative to `cwd`); undefined when it does not exist and `allowMissing` is set. */
export function readBaseline(file: string, cwd: string, options: { readonly allowMissing?: boolean } = {}): Baseline | undefined {
  const absolute = path.resolve(cwd, file);
  if (!existsSync(absolute)) {
    if (options.allowMissing) return undefined;
    throw new UsageError(`baseline not found: ${file} (create it with --update-baseline)`);
  }
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read baseline ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseBaseline(text, file);
}

export function formatBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

export function writeBaseline(file: string, cwd: string, baseline: Baseline): void {
  const absolute = path.resolve(cwd, file);
  try {
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileAtomic(absolute, formatBaseline(baseline), { create: true });
  } catch (error) {
    throw new UsageError(`cannot write baseline ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/**
 * The baseline of a report's findings (baselined ones included). Entries of `previous` for files
 * this run did not analyse (another path, another shard, a file that does not parse right now)
 * are kept, so updating from a partial run does not forget the rest.
 */
export function createBaseline(report: AuditReport, previous?: Baseline): Baseline {
  const scope = analysedScope(report);
  const kept = previous && scope ? previous.findings.filter((entry) => !scope.has(entry.file)) : [];
  const current = [...report.findings, ...report.baselined ?? []].map((f): BaselineEntry => ({
    ruleId: f.ruleId,
    file: f.file,
    fingerprint: f.fingerprint,
    message: f.message,
  }));
  return {
    version: BASELINE_VERSION,
    tool: { name: toolName, version: toolVersion },
    findings: [...kept, ...current].sort(compareEntries),
  };
}

/**
 * Move the findings the baseline accepts from `findings` to `baselined`, and count the entries
 * that no longer occur. Applying to a report that already has `baselined` findings (merged shards
 * audited with a baseline) starts over from all of them.
 */
export function applyBaseline(report: AuditReport, baseline: Baseline): AuditReport {
  const all = [...report.findings, ...report.baselined ?? []].sort(compareFindings);
  const groups = new Map<string, { readonly file: string; allowed: number; used: number; readonly exact: Set<string> }>();
  for (const entry of baseline.findings) {
    const key = groupKey(entry);
    const group = groups.get(key) ?? { file: entry.file, allowed: 0, used: 0, exact: new Set<string>() };
    group.allowed += 1;
    group.exact.add(entry.fingerprint);
    groups.set(key, group);
  }
  const accepted = new Set<AuditFinding>();
  // Exact fingerprints first, then, up to each group's allowance, the same code anywhere in the file.
  for (const exactOnly of [true, false]) {
    for (const finding of all) {
      const group = groups.get(groupKey(finding));
      if (!group || accepted.has(finding) || group.used >= group.allowed) continue;
      if (exactOnly && !group.exact.has(finding.fingerprint)) continue;
      group.used += 1;
      accepted.add(finding);
    }
  }
  const scope = analysedScope(report);
  let fixed = 0;
  for (const group of groups.values()) if (!scope || scope.has(group.file)) fixed += group.allowed - group.used;
  return {
    ...report,
    findings: all.filter((f) => !accepted.has(f)),
    baselined: all.filter((f) => accepted.has(f)),
    baselineFixed: fixed,
  };
}

export interface BaselineRequest {
  /** `--baseline FILE`, relative to the cwd. */
  readonly file?: string | undefined;
  /** `--update-baseline`: write the current findings to `file` (created if need be). */
  readonly update?: boolean | undefined;
}

export interface BaselineStep {
  /** Apply (or first update, then apply) the baseline; `notes` are lines for stderr. */
  readonly finish: (report: AuditReport) => { readonly report: AuditReport; readonly notes: readonly string[] };
}

/**
 * Validate and read the baseline before the (long) run, so a bad file fails fast; undefined when
 * no baseline is asked for.
 */
export function prepareBaseline(request: BaselineRequest, cwd: string): BaselineStep | undefined {
  const { file, update } = request;
  if (file === undefined) {
    if (update) throw new UsageError('--update-baseline needs --baseline <file>: the file to write');
    return undefined;
  }
  const existing = readBaseline(file, cwd, { allowMissing: update === true });
  return {
    finish(report) {
      const notes: string[] = [];
      // `existing` is only missing with --update-baseline (readBaseline throws otherwise).
      const baseline = update || existing === undefined ? createBaseline(report, existing) : existing;
      if (baseline !== existing) {
        writeBaseline(file, cwd, baseline);
        notes.push(`Baseline ${file} written: ${plural(baseline.findings.length, 'finding')}.`);
      }
      const applied = applyBaseline(report, baseline);
      const hidden = applied.baselined?.length ?? 0;
      if (hidden > 0 && !update) notes.push(`${plural(hidden, 'baselined finding')} hidden (${file}).`);
      const fixed = applied.baselineFixed ?? 0;
      if (fixed > 0) {
        notes.push(`${plural(fixed, 'baselined finding')} ${fixed === 1 ? 'is' : 'are'} fixed: run --update-baseline to prune ${fixed === 1 ? 'it' : 'them'}.`);
      }
      return { report: applied, notes };
    },
  };
}

/** Files whose findings this report knows: analysed and parsed. Undefined when the report doesn't say. */
function analysedScope(report: AuditReport): Set<string> | undefined {
  if (report.files === undefined) return undefined;
  const broken = new Set(report.errors.map((e) => e.file));
  return new Set(report.files.filter((f) => !broken.has(f)));
}

function groupKey(entry: Pick<BaselineEntry, 'file' | 'ruleId' | 'fingerprint'>): string {
  return `${entry.file}\0${entry.ruleId}\0${splitFingerprint(entry.fingerprint).hash}`;
}

function splitFingerprint(fingerprint: string): { hash: string; occurrence: number } {
  const colon = fingerprint.lastIndexOf(':');
  if (colon < 0) return { hash: fingerprint, occurrence: 0 };
  return { hash: fingerprint.slice(0, colon), occurrence: Number(fingerprint.slice(colon + 1)) || 0 };
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  const fa = splitFingerprint(a.fingerprint);
  const fb = splitFingerprint(b.fingerprint);
  return compareStrings(a.file, b.file) || compareStrings(a.ruleId, b.ruleId) || compareStrings(fa.hash, fb.hash)
    || fa.occurrence - fb.occurrence || compareStrings(a.message, b.message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
