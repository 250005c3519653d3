/**
 * `eslint-disable` comments, honoured by the audit exactly as ESLint honours them, so users have one
 * syntax for both front ends:
 *   // eslint-disable-next-line resilience/require-timeout -- the SDK bounds it
 *   fetch(url); // eslint-disable-line resilience/require-timeout
 *   /* eslint-disable resilience/no-unguarded-dependency *\/ … /* eslint-enable resilience/no-unguarded-dependency *\/
 *   /* eslint-disable *\/  (every rule, to the end of the file or the next eslint-enable)
 * A directive that lists rules only turns off those (named `resilience/<id>`); one that lists none
 * turns off every rule. The text after ` -- ` is the justification (SARIF `suppressions`).
 */
import ts from 'typescript';

export interface Directive {
  readonly kind: 'disable' | 'enable' | 'disable-line' | 'disable-next-line';
  /** Rule ids without the `resilience/` prefix; undefined for "every rule". Other plugins' rules are dropped. */
  readonly rules: readonly string[] | undefined;
  readonly justification: string | undefined;
  /** 1-based line of the comment's start (`disable-line`: the line of the comment's end). */
  readonly line: number;
  readonly endLine: number;
}

const DIRECTIVE = /^\s*(eslint-disable-next-line|eslint-disable-line|eslint-disable|eslint-enable)(?=\s|$)([\s\S]*)$/;
const PREFIX = 'resilience/';

export function parseDirectives(sourceFile: ts.SourceFile): Directive[] {
  const text = sourceFile.text;
  const directives: Directive[] = [];
  for (const range of commentRanges(sourceFile)) {
    const block = range.kind === ts.SyntaxKind.MultiLineCommentTrivia;
    const body = block ? text.slice(range.pos + 2, range.end - 2) : text.slice(range.pos + 2, range.end);
    const match = DIRECTIVE.exec(body);
    if (!match) continue;
    const kind = match[1]!.slice('eslint-'.length) as Directive['kind'];
    // ESLint: `eslint-disable`/`eslint-enable` only in block comments; `-line` directives on one line.
    if ((kind === 'disable' || kind === 'enable') && !block) continue;
    const [list = '', ...reason] = match[2]!.split(/\s--\s|\s--$/);
    const names = list.split(/[\s,]+/).map((n) => n.trim()).filter((n) => n !== '');
    const line = sourceFile.getLineAndCharacterOfPosition(range.pos).line + 1;
    const endLine = sourceFile.getLineAndCharacterOfPosition(range.end).line + 1;
    if (kind === 'disable-line' || kind === 'disable-next-line') {
      if (endLine !== line) continue; // ESLint reports a multi-line -line directive as a problem and ignores it
    }
    const justification = reason.join(' -- ').trim();
    directives.push({
      kind,
      rules: names.length === 0 ? undefined : names.filter((n) => n.startsWith(PREFIX)).map((n) => n.slice(PREFIX.length)),
      justification: justification === '' ? undefined : justification,
      line,
      endLine,
    });
  }
  return directives.sort((a, b) => a.line - b.line);
}

export interface Suppression {
  readonly justification: string | undefined;
}

/**
 * Which directive, if any, turns off a finding of `ruleId` that starts on `line` (1-based).
 * Returns undefined when the finding stands.
 */
export function suppressionFor(directives: readonly Directive[], ruleId: string, line: number): Suppression | undefined {
  const applies = (d: Directive): boolean => d.rules === undefined || d.rules.includes(ruleId);
  for (const d of directives) {
    if (d.kind === 'disable-line' && d.line === line && applies(d)) return { justification: d.justification };
    if (d.kind === 'disable-next-line' && d.endLine + 1 === line && applies(d)) return { justification: d.justification };
  }
  // Block directives: the last disable/enable for this rule before the finding decides.
  let state: Suppression | undefined;
  for (const d of directives) {
    if (d.line > line || (d.kind !== 'disable' && d.kind !== 'enable')) continue;
    if (d.kind === 'disable' && applies(d)) state = { justification: d.justification };
    if (d.kind === 'enable' && (d.rules === undefined || d.rules.includes(ruleId))) state = undefined;
  }
  return state;
}

const directivesOf = new WeakMap<ts.SourceFile, Directive[]>();

/** Whether an `eslint-disable` comment in its file turns off an engine finding. */
export function isSuppressed(finding: { readonly ruleId: string; readonly start: number }, sourceFile: ts.SourceFile): boolean {
  let directives = directivesOf.get(sourceFile);
  if (!directives) {
    directives = parseDirectives(sourceFile);
    directivesOf.set(sourceFile, directives);
  }
  if (directives.length === 0) return false;
  const line = sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1;
  return suppressionFor(directives, finding.ruleId, line) !== undefined;
}

/** Every comment in the file, once each (leading and trailing trivia of every token). */
function commentRanges(sourceFile: ts.SourceFile): ts.CommentRange[] {
  const text = sourceFile.text;
  const seen = new Map<number, ts.CommentRange>();
  const add = (ranges: ts.CommentRange[] | undefined): void => {
    for (const r of ranges ?? []) if (!seen.has(r.pos)) seen.set(r.pos, r);
  };
  const visit = (node: ts.Node): void => {
    add(ts.getLeadingCommentRanges(text, node.pos));
    add(ts.getTrailingCommentRanges(text, node.end));
    // Tokens are not nodes: comments between tokens of a node sit in the trivia of its children.
    node.getChildren(sourceFile).forEach(visit);
  };
  add(ts.getLeadingCommentRanges(text, 0));
  visit(sourceFile);
  return [...seen.values()].sort((a, b) => a.pos - b.pos);
}
