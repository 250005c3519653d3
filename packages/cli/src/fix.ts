/**
 * `resilience fix`: apply the rules' planned fixes file by file (the engine's `fixSource`),
 * write the changed files atomically, or with `dryRun` only compute their diffs.
 */
import { readFileSync } from 'node:fs';
import { findingKey, FixRefusedError, fixSource, parseSource } from '@resilience-kit/core';
import type { Finding, FixResult } from '@resilience-kit/core';
import type ts from 'typescript';
import { toAuditFindings } from './audit.ts';
import { unifiedDiff } from './diff.ts';
import { findMissingDependencies, importsPolicies } from './fix-dependency.ts';
import { TypeCheck } from './fix-typecheck.ts';
import type { MissingDependency } from './fix-dependency.ts';
import { SourceLines } from './lines.ts';
import { compareErrors, compareFindings } from './report.ts';
import type { AuditFinding, ParseError } from './report.ts';
import { firstSyntaxError, openSession, withFileContext } from './session.ts';
import type { Session, SessionFile, SessionOptions } from './session.ts';
import { isSuppressed } from './suppressions.ts';
import { writeFileAtomic } from './write.ts';

export interface FixOptions extends SessionOptions {
  /** Compute the diffs, write nothing. */
  readonly dryRun?: boolean | undefined;
  /** Add @resilience-kit/policies to the dependencies of the packages whose fixed files import it. */
  readonly addDependency?: boolean | undefined;
}

export interface AppliedFix {
  readonly ruleId: string;
  /** The fix's description ("Wrap the call in withTimeout(…)"). */
  readonly description: string;
}

export interface FileFix {
  readonly file: string;
  readonly applied: readonly AppliedFix[];
  /** Unified diff of the change (always computed; printed by `--dry-run`). */
  readonly diff: string;
}

export interface RefusedFile {
  readonly file: string;
  readonly reason: string;
}

export interface FixReport {
  readonly root: string;
  readonly dryRun: boolean;
  readonly fileCount: number;
  /** Files that changed (or would change, with dryRun), sorted. */
  readonly fixed: readonly FileFix[];
  /**
   * Findings still present after the fixes ("needs a hand fix"); positions refer to the fixed
   * text (which is the file on disk unless dryRun).
   */
  readonly remaining: readonly AuditFinding[];
  /** Files the engine refused to fix (left untouched). */
  readonly refused: readonly RefusedFile[];
  /** Files that do not parse (left untouched). */
  readonly errors: readonly ParseError[];
  readonly warnings: readonly string[];
  /** Packages whose fixed files now import @resilience-kit/policies without depending on it. */
  readonly missingDependencies: readonly MissingDependency[];
}

export async function runFix(options: FixOptions): Promise<FixReport> {
  const session = await openSession(options);
  const dryRun = options.dryRun ?? false;
  const fixed: FileFix[] = [];
  const remaining: AuditFinding[] = [];
  const refused: RefusedFile[] = [];
  const errors: ParseError[] = [];
  const importing: string[] = [];
  const warnings = [...session.warnings];
  for (const entry of session.files) {
    const parseError = firstSyntaxError(entry);
    if (parseError) {
      errors.push(parseError);
      continue;
    }
    const outcome = withFileContext(entry.file, () => fixFile(entry, session, dryRun, warnings));
    if (outcome.kind === 'refused') {
      refused.push({ file: entry.file, reason: outcome.reason });
      continue;
    }
    if (outcome.fix) {
      fixed.push(outcome.fix);
      if (outcome.importsPolicies) importing.push(entry.absolutePath);
    }
    remaining.push(...outcome.remaining);
  }
  return {
    root: session.root,
    dryRun,
    fileCount: session.files.length,
    fixed,
    remaining: !dryRun && fixed.length > 0 ? await reaudit(options, remaining, refused) : remaining.sort(compareFindings),
    refused,
    errors: errors.sort(compareErrors),
    warnings,
    missingDependencies: findMissingDependencies(importing, session.root, { add: options.addDependency === true, dryRun }),
  };
}

/**
 * What still needs a hand fix, as `audit` would report it right after the fix: the written files are
 * analysed again with the whole program, so a cross-file finding in an edited file is not lost (a
 * file re-parsed alone after its edit no longer sees its callers). A fix declined because it would
 * add a type error keeps its reason.
 */
async function reaudit(options: FixOptions, perFile: readonly AuditFinding[], refused: readonly RefusedFile[]): Promise<AuditFinding[]> {
  const { runAudit } = await import('./audit.ts');
  const report = await runAudit({ ...options, cache: undefined, shard: undefined, onProgress: undefined });
  const declined = new Map(perFile.filter((f) => f.noFixReason !== undefined).map((f) => [f.fingerprint, f] as const));
  const refusedFiles = new Map(refused.map((r) => [r.file, r.reason]));
  return report.findings.map((f) => {
    const reason = declined.get(f.fingerprint)?.noFixReason ?? (f.fixable ? refusedFiles.get(f.file) : undefined);
    return reason ? { ...f, fixable: false, noFixReason: reason } : f;
  }).sort(compareFindings);
}

type FileOutcome =
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'done'; readonly fix: FileFix | undefined; readonly importsPolicies?: boolean; readonly remaining: readonly AuditFinding[] };

const BOM = '\uFEFF';

function fixFile(entry: SessionFile, { runs, catalogue }: Pick<Session, 'runs' | 'catalogue'>, dryRun: boolean, warnings: string[]): FileOutcome {
  const raw = readFileSync(entry.absolutePath, 'utf8');
  const bom = raw.startsWith(BOM) ? BOM : '';
  const text = raw.slice(bom.length);
  // The program's source file is only valid if it holds exactly what is on disk now.
  const current = entry.sourceFile.text === text;
  const sourceFile = current ? entry.sourceFile : parseSource(entry.absolutePath, text);
  const run = (fixable?: (finding: Finding, file: ts.SourceFile) => boolean): FixResult => fixSource(entry.file, text, {
    rules: runs,
    catalogue,
    program: current ? entry.program : undefined,
    sourceFile,
    moduleContext: entry.moduleContext,
    // An `eslint-disable` comment turns a finding off for `fix` as for `audit`.
    filter: (finding, file) => !isSuppressed(finding, file),
    fixable,
  });
  let result: FixResult;
  let declined = new Map<string, string>();
  try {
    result = run();
    if (current && entry.program && result.output !== text) {
      try {
        ({ result, declined } = withoutTypeErrors(result, text, sourceFile, new TypeCheck(entry.program, entry.sourceFile), run));
      } catch (error) {
        if (error instanceof FixRefusedError) throw error;
        // The compiler itself failed on this program: the edits are still syntax-checked; say so.
        warnings.push(`${entry.file}: could not type-check the fixes (${error instanceof Error ? error.message : String(error)}); written after the syntax check only`);
      }
    }
  } catch (error) {
    if (error instanceof FixRefusedError) return { kind: 'refused', reason: error.message };
    throw error;
  }
  const lines = new SourceLines(result.output);
  const remaining = toAuditFindings(result.remaining.map((f) => declinedFinding(f, result.output, declined)), entry.file, result.output, runs, lines);
  if (result.output === text) return { kind: 'done', fix: undefined, remaining };
  if (!dryRun) writeFileAtomic(entry.absolutePath, bom + result.output);
  const applied = result.applied.map(({ finding }) => ({ ruleId: finding.ruleId, description: finding.fix?.description ?? '' }));
  return { kind: 'done', fix: { file: entry.file, applied, diff: unifiedDiff(entry.file, text, result.output) }, importsPolicies: importsPolicies(result.output), remaining };
}

type Run = (fixable?: (finding: Finding, file: ts.SourceFile) => boolean) => FixResult;

/**
 * The fixes of a file that add no type error. When all of them together add one, each is tried
 * alone: those that add one are declined (kept as hand fixes, with the diagnostic), the others are
 * applied together, and if even that adds one, none is. `declined` maps a finding's key to why.
 */
function withoutTypeErrors(result: FixResult, text: string, original: ts.SourceFile, check: TypeCheck, run: Run): { result: FixResult; declined: Map<string, string> } {
  const declined = new Map<string, string>();
  if (check.added(result.output).length === 0) return { result, declined };
  const accepted: Finding[] = [];
  for (const { finding } of result.applied.filter((a) => a.pass === 1)) {
    const alone = run((f, file) => file === original && sameFinding(f, finding));
    const added = alone.output === text ? [] : check.added(alone.output);
    if (added.length > 0) declined.set(findingKey(finding, text), `the fix would add a type error: ${added[0]}`);
    else accepted.push(finding);
  }
  const isDeclined = (f: Finding, file: ts.SourceFile): boolean => declined.has(findingKey(f, file.text));
  let kept = run((f, file) => (file === original ? accepted.some((a) => sameFinding(f, a)) : !isDeclined(f, file)));
  const added = kept.output === text ? [] : check.added(kept.output);
  if (added.length > 0) {
    for (const { finding } of result.applied.filter((a) => a.pass === 1)) declined.set(findingKey(finding, text), `the fixes together would add a type error: ${added[0]}`);
    kept = run(() => false);
  }
  return { result: kept, declined };
}

function sameFinding(a: Finding, b: Finding): boolean {
  return a.ruleId === b.ruleId && a.start === b.start && a.end === b.end && a.messageId === b.messageId;
}

/** A remaining finding whose fix was declined: a hand fix, with the reason. */
function declinedFinding(finding: Finding, text: string, declined: ReadonlyMap<string, string>): Finding {
  const reason = finding.fix ? declined.get(findingKey(finding, text)) : undefined;
  if (!reason) return finding;
  return { ...finding, fix: undefined, noFixReason: reason };
}

/** 2 when a file was refused or does not parse, 1 when findings remain, else 0. */
export function fixExitCode(report: FixReport): 0 | 1 | 2 {
  if (report.refused.length > 0 || report.errors.length > 0) return 2;
  return report.remaining.length > 0 ? 1 : 0;
}
