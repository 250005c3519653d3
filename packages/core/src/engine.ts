/**
 * The engine: run rules over one source file, and apply their planned fixes.
 * No I/O: front ends read and write files; this only computes.
 */
import ts from 'typescript';
import { getFileFacts } from './facts/index.ts';
import type { AnyRule, Finding, Fix, TextEdit } from './model.ts';
import type { CatalogueExtensions } from './catalogue/extensions.ts';
import { setModuleContext, type ModuleContext } from './fixes/module-context.ts';

export interface RuleRun {
  readonly rule: AnyRule;
  /** Merged over `rule.meta.defaultOptions`. */
  readonly options?: Readonly<Record<string, unknown>> | undefined;
}

export interface AnalyzeOptions {
  readonly rules: readonly RuleRun[];
  /**
   * A program that contains `sourceFile`. With it, identifiers resolve across files through the
   * type checker; without it, the engine binds the file alone (imports and same-file dataflow).
   */
  readonly program?: ts.Program | undefined;
  /** The user's catalogue additions (their HTTP wrappers, retry helpers and guards). */
  readonly catalogue?: CatalogueExtensions | undefined;
  /**
   * Whether fixes may import packages in this file (front ends compute it with `moduleContextFor`,
   * which needs the file system); allowed when absent.
   */
  readonly moduleContext?: ModuleContext | undefined;
}

export function formatMessage(template: string, data: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => data[key] ?? whole);
}

export function analyzeSourceFile(sourceFile: ts.SourceFile, options: AnalyzeOptions): Finding[] {
  setModuleContext(sourceFile, options.moduleContext);
  const facts = getFileFacts(sourceFile, options.program, options.catalogue);
  const findings: Finding[] = [];
  for (const { rule, options: ruleOptions } of options.rules) {
    const merged = { ...(rule.meta.defaultOptions as object), ...ruleOptions };
    for (const report of rule.check({ sourceFile, facts, options: merged })) {
      const data = report.data ?? {};
      const template = (rule.meta.messages as Record<string, string>)[report.messageId];
      if (template === undefined) throw new Error(`Rule ${rule.meta.id} reported unknown messageId ${report.messageId}`);
      findings.push({
        ruleId: rule.meta.id,
        messageId: report.messageId,
        data,
        message: formatMessage(template, data),
        start: report.start,
        end: report.end,
        evidence: report.evidence ?? [],
        ...(report.fix ? { fix: report.fix } : {}),
        ...(!report.fix && report.noFixReason ? { noFixReason: report.noFixReason } : {}),
      });
    }
  }
  return findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
}

export function scriptKindFor(fileName: string): ts.ScriptKind {
  const ext = fileName.slice(fileName.lastIndexOf('.')).toLowerCase();
  switch (ext) {
    case '.tsx': return ts.ScriptKind.TSX;
    case '.jsx': return ts.ScriptKind.JSX;
    case '.js': case '.mjs': case '.cjs': return ts.ScriptKind.JS;
    default: return ts.ScriptKind.TS;
  }
}

/** Parse one file the way the engine expects (parents set, script kind from the extension). */
export function parseSource(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindFor(fileName));
}

/** The file's syntax errors (TypeScript's parse diagnostics). */
export function getSyntaxErrors(sourceFile: ts.SourceFile): readonly ts.DiagnosticWithLocation[] {
  return (sourceFile as unknown as { parseDiagnostics: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
}

/** Apply non-overlapping edits. Identical edits (the same import added twice) are applied once. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const unique = dedupeEdits(edits).sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let cursor = 0;
  for (const edit of unique) {
    if (edit.start < cursor) throw new Error(`Overlapping edits at offset ${edit.start}`);
    out += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return out + text.slice(cursor);
}

function dedupeEdits(edits: readonly TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const key = `${e.start}:${e.end}:${e.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === b.start && a.end === b.end && a.text === b.text) return false; // shared import edit
  // Two insertions at the same point conflict too (their order would be a guess).
  return a.start < b.end && b.start < a.end || (a.start === a.end && b.start === b.end && a.start === b.start);
}

/**
 * Choose a set of fixes whose edits do not overlap, in source order (like ESLint's fix loop:
 * a fix that collides with one already chosen waits for the next pass).
 */
export function selectFixes(findings: readonly Finding[]): { chosen: Finding[]; deferred: Finding[] } {
  const chosen: Finding[] = [];
  const deferred: Finding[] = [];
  const taken: TextEdit[] = [];
  // Innermost first: `fetch(await fetch(a))` wraps the inner call, then the outer one next pass,
  // so each request gets its own signal.
  const bySize = [...findings].sort((a, b) => a.end - a.start - (b.end - b.start) || a.start - b.start);
  for (const finding of bySize) {
    if (!finding.fix) continue;
    const clash = finding.fix.edits.some((e) => taken.some((t) => overlaps(e, t)));
    if (clash) { deferred.push(finding); continue; }
    chosen.push(finding);
    taken.push(...finding.fix.edits);
  }
  return { chosen, deferred };
}

export interface FixResult {
  readonly output: string;
  /** Every fix applied, across all passes, with the pass it was applied in. */
  readonly applied: readonly { readonly finding: Finding; readonly pass: number }[];
  /** Findings of the requested rules still present after the last pass (no fix, or refused). */
  readonly remaining: readonly Finding[];
  readonly passes: number;
}

export class FixRefusedError extends Error {
  constructor(message: string, readonly fileName: string) {
    super(message);
    this.name = 'FixRefusedError';
  }
}

const MAX_PASSES = 10;

/**
 * Apply the rules' fixes to a file until none is left (at most 10 passes, as ESLint).
 * The first pass may use `program` (cross-file precision); later passes re-parse the new text.
 * Every intermediate output is re-parsed: a fix that introduces a syntax error is refused.
 */
export function fixSource(
  fileName: string,
  text: string,
  options: AnalyzeOptions & {
    readonly sourceFile?: ts.SourceFile | undefined;
    /** Keep only the findings this accepts (the CLI drops the ones an `eslint-disable` comment turns off). */
    readonly filter?: ((finding: Finding, sourceFile: ts.SourceFile) => boolean) | undefined;
    /**
     * Apply only the fixes this accepts; the others stay in `remaining` with their fix (the CLI
     * declines a fix that would add a type error).
     */
    readonly fixable?: ((finding: Finding, sourceFile: ts.SourceFile) => boolean) | undefined;
  },
): FixResult {
  const keep = (found: Finding[], file: ts.SourceFile): Finding[] => (options.filter ? found.filter((f) => options.filter!(f, file)) : found);
  // Fixes whose edit alone would break the syntax: left as hand fixes, the file's other fixes applied.
  const broken = new Map<string, string>();
  const applicable = (found: Finding[], file: ts.SourceFile): Finding[] =>
    found.filter((f) => !broken.has(findingKey(f, file.text)) && (!options.fixable || options.fixable(f, file)));
  const applied: { finding: Finding; pass: number }[] = [];
  let current = text;
  let sourceFile = options.sourceFile ?? parseSource(fileName, text);
  const baselineErrors = getSyntaxErrors(sourceFile).length;
  if (baselineErrors > 0) throw new FixRefusedError(`${fileName} has syntax errors; refusing to fix it`, fileName);
  let program = options.program;
  let findings = keep(analyzeSourceFile(sourceFile, { rules: options.rules, program, catalogue: options.catalogue, moduleContext: options.moduleContext }), sourceFile);
  // What the first pass judged, with the program: a later pass sees the file alone, and a finding only
  // it makes (a call guarded by its callers in other modules looks bare alone) is not a verdict.
  let judged = findings.map((f) => ({ ruleId: f.ruleId, start: f.start }));
  let pass = 0;
  let deferredBefore = true;
  // A later pass runs only to apply fixes that collided with an earlier one (nested calls):
  // it sees the file alone, so it must not start fixing what the program-wide pass judged fine.
  while (pass < MAX_PASSES && deferredBefore) {
    const { chosen, deferred } = selectFixes(applicable(findings, sourceFile));
    if (chosen.length === 0) break;
    deferredBefore = deferred.length > 0;
    pass++;
    let next = applyEdits(current, chosen.flatMap((f) => f.fix?.edits ?? []));
    let reparsed = parseSource(fileName, next);
    if (getSyntaxErrors(reparsed).length > 0) {
      // Which fix breaks it? Each alone: the ones that parse go on together, the others stay hand fixes.
      const good = chosen.filter((finding) => {
        const error = getSyntaxErrors(parseSource(fileName, applyEdits(current, finding.fix?.edits ?? [])))[0];
        if (error) broken.set(findingKey(finding, current), `the fix would produce a syntax error (${ts.flattenDiagnosticMessageText(error.messageText, ' ')})`);
        return !error;
      });
      next = applyEdits(current, good.flatMap((f) => f.fix?.edits ?? []));
      reparsed = parseSource(fileName, next);
      const first = getSyntaxErrors(reparsed)[0];
      if (first) {
        throw new FixRefusedError(
          `fixing ${fileName} would produce a syntax error (${ts.flattenDiagnosticMessageText(first.messageText, '\n')}); nothing was written`,
          fileName,
        );
      }
      chosen.splice(0, chosen.length, ...good);
      deferredBefore = true;
    }
    for (const finding of chosen) applied.push({ finding, pass });
    current = next;
    sourceFile = reparsed;
    program = undefined;
    // Where the first pass's findings are now: edits before them moved them.
    const edits = chosen.flatMap((f) => f.fix?.edits ?? []);
    judged = judged.map((j) => ({ ruleId: j.ruleId, start: movedBy(j.start, edits) }));
    findings = keep(analyzeSourceFile(sourceFile, { rules: options.rules, catalogue: options.catalogue, moduleContext: options.moduleContext }), sourceFile)
      .filter((f) => judged.some((j) => j.ruleId === f.ruleId && j.start === f.start));
  }
  // A fix found broken stays in `remaining` without its fix, and says why.
  const remaining = findings.map((f) => {
    const reason = f.fix ? broken.get(findingKey(f, current)) : undefined;
    return reason ? { ...f, fix: undefined, noFixReason: reason } : f;
  });
  return { output: current, applied, remaining, passes: pass };
}

/** Where an offset is after the edits (each applied once): moved by every edit that ends at or before it. */
function movedBy(offset: number, edits: readonly TextEdit[]): number {
  let delta = 0;
  for (const edit of dedupeEdits(edits)) if (edit.end <= offset) delta += edit.text.length - (edit.end - edit.start);
  return offset + delta;
}

/** A finding's identity that survives other fixes' edits elsewhere in the file: its rule and the code it covers. */
export function findingKey(finding: Finding, text: string): string {
  return `${finding.ruleId}\u0000${text.slice(finding.start, finding.end)}`;
}

export type { Finding, Fix, TextEdit };
