/**
 * `resilience audit`: analyse every file, collect findings, suppressions, the dependency inventory
 * and parse errors into an AuditReport.
 */
import path from 'node:path';
import type ts from 'typescript';
import { analyzeSourceFile, collectInventory, configHash as resolvedConfigHash, docsUrl } from '@resilience-kit/core';
import type { Finding, InventoryCall, RuleRun } from '@resilience-kit/core';
import { configHash, openCachedRun, replayUnchangedTree, runIdentity, treeKey } from './cache.ts';
import type { CacheOptions } from './cache.ts';
import { UsageError } from './errors.ts';
import { assignFingerprints } from './fingerprint.ts';
import { SourceLines } from './lines.ts';
import { compareErrors, compareFindings, compareStrings } from './report.ts';
import type { AuditFinding, AuditReport, CallSite, DependencyEntry, ParseError, RuleInfo, SuppressedFinding } from './report.ts';
import { analyseInWorkers, isTransferable, splitFiles, workerCount } from './parallel.ts';
import type { PlannedGroup } from './program.ts';
import { firstSyntaxError, loadFiles, planSession, sessionOf, toPosix, withFileContext } from './session.ts';
import type { Session, SessionFile, SessionOptions, SessionPlan } from './session.ts';
import type { ProgressCallback } from './progress.ts';
import { formatShard, isInShard, isValidShard } from './shard.ts';
import type { ShardSpec } from './shard.ts';
import { parseDirectives, suppressionFor } from './suppressions.ts';

export interface AuditOptions extends SessionOptions {
  /** `--strict`: report uncertain cases (sets `strict: true` on every rule that has the option). */
  readonly strict?: boolean | undefined;
  /** `--shard k/n`: analyse only the files of this shard (shard.ts); programs are still loaded whole. */
  readonly shard?: ShardSpec | undefined;
  /** `--cache`: replay the results of files whose content, imports and config did not change (cache.ts). */
  readonly cache?: CacheOptions | undefined;
  /** Files done / total, per phase: for a progress bar (progress.ts). */
  readonly onProgress?: ProgressCallback | undefined;
  /**
   * `--concurrency N`: analyse in N worker threads (parallel.ts): files for a syntax-only run, program
   * groups (one per tsconfig) for a type-aware one. Default 1 (parallel.ts says why). The report is
   * the same whatever N.
   */
  readonly concurrency?: number | undefined;
}

/**
 * What the audit learns from one file: everything a cache needs to replay it. cache.ts stores it as
 * JSON: bump its CACHE_VERSION when this shape changes.
 */
export interface FileResult {
  readonly file: string;
  readonly findings: readonly AuditFinding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly calls: readonly CallSite[];
  /** Index of each call's dependency into `dependencies` is by id: `[id, display]` per call. */
  readonly callDependencies: readonly (readonly [string, string])[];
  readonly parseError: ParseError | undefined;
}

export async function runAudit(options: AuditOptions): Promise<AuditReport> {
  const { shard, onProgress } = options;
  if (shard && !isValidShard(shard)) throw new UsageError(`invalid shard ${formatShard(shard)}: expected k/n with 1 ≤ k ≤ n`);
  if (options.concurrency !== undefined && !(Number.isSafeInteger(options.concurrency) && options.concurrency >= 1)) {
    throw new UsageError(`invalid concurrency ${String(options.concurrency)}: expected a whole number ≥ 1`);
  }
  onProgress?.(0, 0, 'loading programs');
  if (options.cache) return runCachedAudit(options);
  const plan = await planSession(options, { strict: options.strict });
  // The shard's slice is taken after every other filter, so the n slices partition the run.
  const groups = plan.groups
    .map((group) => (shard ? { ...group, files: group.files.filter((f) => isInShard(relativeTo(plan.root, f), shard)) } : group))
    .filter((group) => group.files.length > 0);
  const files = groups.flatMap((group) => group.files.map((f) => relativeTo(plan.root, f))).sort(compareStrings);
  onProgress?.(0, files.length, 'analysing');
  let done = 0;
  const onFile = () => onProgress?.(++done, files.length, 'analysing');
  const units = plan.syntaxOnly ? splitFiles(groups, workerCount(options, Infinity)) : groups;
  const workers = workerCount(options, units.length);
  const { results, sources } = workers > 1 && isTransferable(options)
    ? await analyseInWorkers({ plan, units, workers, options, onFile })
    : analyseGroups(plan, units, plan, onFile);
  // Worker results arrive in any order: the report is built from them in path order, as one thread does.
  results.sort((a, b) => compareStrings(a.file, b.file));
  return withRoles(assembleReport(plan, results, (file) => sources.get(file)), plan, files, shard);
}

/**
 * `--cache`. A tree unchanged since the last full run (the same plan and configuration, every project
 * file of its programs with the same content) is replayed without building a program: the cost of
 * reading the files. Otherwise every program is loaded at once, since a file's key hashes what it
 * imports and what imports it (cache.ts), and the tree is stamped again.
 */
async function runCachedAudit(options: AuditOptions): Promise<AuditReport> {
  const { shard, onProgress } = options;
  const plan = await planSession(options, { strict: options.strict });
  const cwd = plan.cwd;
  // Type information can change findings: a syntax-only run keeps cache entries of its own.
  const cacheOptions = options.syntaxOnly ? { ...options.cache!, globalKey: `syntax-only\0${options.cache!.globalKey ?? ''}` } : options.cache!;
  const inShard = (file: string) => !shard || isInShard(file, shard);
  const planned = plan.groups.flatMap((g) => g.files).map((f) => relativeTo(plan.root, f)).filter(inShard).sort(compareStrings);
  const identity = runIdentity({
    config: configHash(plan.runs, plan.catalogue, options.config === undefined ? undefined : resolvedConfigHash(options.config)),
    globalKey: cacheOptions.globalKey ?? '',
    root: plan.root,
    files: planned,
    groups: plan.groups.map((g) => ({ config: g.configFile ?? null, rootNames: [...g.rootNames].sort(compareStrings), options: g.options, references: g.projectReferences ?? null })),
    roles: [...plan.roles].sort(([a], [b]) => compareStrings(a, b)),
    warnings: plan.warnings,
    skipped: plan.skipped,
  });
  const replay = replayUnchangedTree(cacheOptions.location, cwd, identity, planned);
  if (replay) {
    onProgress?.(planned.length, planned.length, 'analysing');
    const report = assembleReport(plan, replay.results, (file) => replay.texts.get(path.relative(cwd, path.resolve(plan.root, file)).split(path.sep).join('/')));
    return withRoles(report, plan, planned, shard, { analysed: 0, cached: planned.length, unchangedTree: true });
  }
  const session = sessionOf(plan, loadFiles(plan, plan.groups));
  const files = session.files.filter((entry) => inShard(entry.file));
  const cache = openCachedRun(cacheOptions, session, files, options.config);
  onProgress?.(0, files.length, 'analysing');
  const results = files.map((entry, i) => {
    const result = cache.resultOf(entry, () => analyzeFile(entry, session));
    onProgress?.(i + 1, files.length, 'analysing');
    return result;
  });
  // Every project file the programs hold (not node_modules, not TypeScript's lib): what a result can depend on.
  const programs = new Set(session.files.flatMap((f) => (f.program ? [f.program] : [])));
  const treeFiles = new Set(session.files.map((f) => toPosix(path.relative(cwd, f.absolutePath))));
  for (const program of programs) {
    for (const sf of program.getSourceFiles()) {
      if (program.isSourceFileDefaultLibrary(sf) || program.isSourceFileFromExternalLibrary(sf) || /[\\/]node_modules[\\/]/.test(sf.fileName)) continue;
      treeFiles.add(toPosix(path.relative(cwd, sf.fileName)));
    }
  }
  const stampFiles = [...treeFiles].sort(compareStrings);
  const key = treeKey(identity, stampFiles, cwd);
  const cacheWarning = cache.save(key === undefined ? undefined : { key, files: stampFiles });
  const text = new Map(files.map((f) => [f.file, f.sourceFile.text]));
  const report = assembleReport(session, results, (file) => text.get(file));
  return withRoles(cacheWarning === undefined ? report : { ...report, warnings: [...report.warnings, cacheWarning] }, plan, files.map((f) => f.file), shard, { ...cache.stats });
}

/** The report with what the plan knows: each finding's file role, the files left out by role, the files, the shard. */
function withRoles(report: AuditReport, plan: SessionPlan, files: readonly string[], shard: ShardSpec | undefined, cacheStats?: AuditReport['cacheStats']): AuditReport {
  const roles = new Map([...plan.roles].map(([absolute, role]) => [relativeTo(plan.root, absolute), role] as const));
  return {
    ...report,
    findings: roles.size === 0 ? report.findings : report.findings.map((f) => (roles.has(f.file) ? { ...f, role: roles.get(f.file) } : f)),
    skipped: plan.skipped,
    files: [...files],
    ...(shard ? { shard: { index: shard.index, count: shard.count } } : {}),
    ...(cacheStats ? { cacheStats } : {}),
  };
}

/** What analysing some groups gives: each file's result, and the text of the files with findings (for code frames). */
export interface Analysed {
  readonly results: FileResult[];
  readonly sources: Map<string, string>;
}

/**
 * Analyse groups one at a time: a group's program is built, its files analysed, and the program
 * dropped before the next, so the peak is one program (declaration files are parsed once and shared).
 */
export function analyseGroups(
  plan: Pick<SessionPlan, 'root' | 'roles' | 'syntaxOnly'>,
  groups: readonly PlannedGroup[],
  session: Pick<Session, 'runs' | 'catalogue'>,
  onFile?: () => void,
  declarations = new Map<string, ts.SourceFile>(),
): Analysed {
  const results: FileResult[] = [];
  const sources = new Map<string, string>();
  for (const group of groups) {
    for (const entry of loadFiles(plan, [group], declarations)) {
      const result = analyzeFile(entry, session);
      results.push(result);
      if (result.findings.length > 0 || result.parseError) sources.set(entry.file, entry.sourceFile.text);
      onFile?.();
    }
  }
  return { results, sources };
}

function relativeTo(root: string, absolute: string): string {
  return toPosix(path.relative(path.resolve(root), absolute));
}

/** Analyse one file of a session. */
export function analyzeFile(entry: SessionFile, session: Pick<Session, 'runs'> & { readonly catalogue?: Session['catalogue'] }): FileResult {
  const parseError = firstSyntaxError(entry);
  if (parseError) return { file: entry.file, findings: [], suppressed: [], calls: [], callDependencies: [], parseError };
  return withFileContext(entry.file, () => {
    const options = { rules: session.runs, program: entry.program, catalogue: session.catalogue, moduleContext: entry.moduleContext };
    const found = analyzeSourceFile(entry.sourceFile, options);
    const lines = new SourceLines(entry.sourceFile.text);
    const all = toAuditFindings(found, entry.file, entry.sourceFile.text, session.runs);
    const findings: AuditFinding[] = [];
    const suppressed: SuppressedFinding[] = [];
    const directives = all.length > 0 ? parseDirectives(entry.sourceFile) : [];
    for (const finding of all) {
      const suppression = directives.length > 0 ? suppressionFor(directives, finding.ruleId, finding.line) : undefined;
      if (suppression) suppressed.push({ ...finding, justification: suppression.justification });
      else findings.push(finding);
    }
    const inventory = collectInventory(entry.sourceFile, options);
    return {
      file: entry.file,
      findings,
      suppressed,
      calls: inventory.map((call) => toCallSite(call, entry.file, lines)),
      callDependencies: inventory.map((call) => [call.dependencyId, call.dependencyDisplay] as const),
      parseError: undefined,
    };
  });
}

/** Put per-file results together into the report (in path order, for the dependencies' display names). */
export function assembleReport(
  session: Pick<Session, 'root' | 'runs' | 'warnings'>,
  results: readonly FileResult[],
  textOf: (file: string) => string | undefined,
): AuditReport {
  const sources = new Map<string, string>();
  const byDependency = new Map<string, { display: string; calls: CallSite[] }>();
  for (const result of results) {
    if (result.findings.length > 0 || result.parseError) {
      const source = textOf(result.file);
      if (source !== undefined) sources.set(result.file, source);
    }
    result.calls.forEach((call, i) => {
      const [id, display] = result.callDependencies[i]!;
      const entry = byDependency.get(id) ?? { display, calls: [] };
      entry.calls.push(call);
      byDependency.set(id, entry);
    });
  }
  const dependencies: DependencyEntry[] = [...byDependency]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([id, { display, calls }]) => ({ id, display, calls: calls.sort((a, b) => compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column) }));
  return {
    root: session.root,
    fileCount: results.length,
    rules: session.runs.map((run) => run.rule.meta.id),
    ruleInfo: session.runs.map((run) => ruleInfoOf(run)),
    findings: results.flatMap((r) => r.findings).sort(compareFindings),
    suppressed: results.flatMap((r) => r.suppressed).sort(compareFindings),
    dependencies,
    errors: results.flatMap((r) => (r.parseError ? [r.parseError] : [])).sort(compareErrors),
    warnings: session.warnings,
    sources,
  };
}

export function ruleInfoOf(run: RuleRun): RuleInfo {
  const { meta } = run.rule;
  return { id: meta.id, description: meta.description, docsUrl: docsUrl(meta.id), fixKind: meta.fixKind, codemod: meta.codemod, severity: severityOf(meta.id, [run]) };
}

function severityOf(ruleId: string, runs: readonly RuleRun[]): AuditFinding['severity'] {
  const run = runs.find((r) => r.rule.meta.id === ruleId) as (RuleRun & { severity?: AuditFinding['severity'] }) | undefined;
  return run?.severity ?? 'error';
}

export function toAuditFinding(finding: Finding, file: string, lines: SourceLines, severity: AuditFinding['severity'] = 'error'): Omit<AuditFinding, 'fingerprint'> {
  const start = lines.positionAt(finding.start);
  const end = lines.positionAt(Math.max(finding.start, finding.end));
  return {
    ruleId: finding.ruleId,
    severity,
    file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    message: finding.message,
    fixable: finding.fix !== undefined,
    ...(finding.noFixReason === undefined ? {} : { noFixReason: finding.noFixReason }),
  };
}

/** Findings of one file as the report has them: positions, severity and fingerprints. */
export function toAuditFindings(found: readonly Finding[], file: string, text: string, runs: readonly RuleRun[], lines = new SourceLines(text)): AuditFinding[] {
  return withFingerprints(found.map((f) => toAuditFinding(f, file, lines, severityOf(f.ruleId, runs))), found, text, lines);
}

function withFingerprints(findings: readonly Omit<AuditFinding, 'fingerprint'>[], raw: readonly Finding[], text: string, lines: SourceLines): AuditFinding[] {
  // Position order within the file, so occurrence numbers count from the top.
  const order = findings.map((_, i) => i).sort((a, b) => compareFindings({ ...findings[a]!, fingerprint: '' }, { ...findings[b]!, fingerprint: '' }));
  const prints = assignFingerprints(order.map((i) => ({
    ruleId: findings[i]!.ruleId,
    file: findings[i]!.file,
    rangeText: text.slice(raw[i]!.start, raw[i]!.end),
    lineText: lines.line(findings[i]!.line),
  })));
  const out: AuditFinding[] = new Array<AuditFinding>(findings.length);
  order.forEach((index, k) => {
    out[index] = { ...findings[index]!, fingerprint: prints[k]! };
  });
  return out;
}

function toCallSite(call: InventoryCall, file: string, lines: SourceLines): CallSite {
  const { line, column } = lines.positionAt(call.start);
  return { file, line, column, client: call.client, callee: call.callee, method: call.method, policies: call.policies };
}
