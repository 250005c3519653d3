/**
 * The circuit-breaker fix: one breaker per dependency at module level (or the one the file already
 * guards the dependency with), and each flagged call wrapped in `<breaker>.execute(() => …)`.
 */
import ts from 'typescript';
import type { DependencyFact } from '../facts/dependency.ts';
import { fileUsesName } from '../facts/references.ts';
import type { Fix, TextEdit } from '../model.ts';
import { planNamedImport } from './imports.ts';
import { POLICIES_MODULE } from './retry-fix.ts';
import { containsOwn, usedAsMoreThanPromise, wrapTarget } from './signal-wrap.ts';
import type { Resolver } from '../facts/resolve.ts';

export const BREAKER_HELPER = 'circuitBreaker';

/** The breaker variable a fix would use for this dependency. */
export function breakerNameFor(fact: DependencyFact, siblings: readonly DependencyFact[]): { name: string; existing: boolean } {
  const reused = siblings.find((s) => s.id === fact.id && s.guard?.reusable)?.guard?.reusable;
  if (reused) return { name: reused, existing: true };
  return { name: `${fact.baseName}Breaker`, existing: false };
}

export function breakerAdvice(fact: DependencyFact, siblings: readonly DependencyFact[]): string {
  const { name, existing } = breakerNameFor(fact, siblings);
  return existing
    ? `run it through \`${name}.execute(() => …)\` like the other calls to ${fact.display}`
    : `run calls to it through one breaker, e.g. \`const ${name} = circuitBreaker()\` from ${POLICIES_MODULE} and \`${name}.execute(() => …)\``;
}

export function planBreakerFix(fact: DependencyFact, siblings: readonly DependencyFact[], resolver: Resolver): Fix | undefined {
  const { call } = fact;
  if (call.shape.returns !== 'promise') return undefined; // a ClientRequest, a chain, a stream: wrapping changes its type
  const sourceFile = call.node.getSourceFile();
  const target = wrapTarget(call);
  if (containsOwn(target, ts.SyntaxKind.YieldExpression) || usedAsMoreThanPromise(target, resolver)) return undefined;
  const { name, existing } = breakerNameFor(fact, siblings);
  const edits: TextEdit[] = [];
  if (!existing) {
    if (fileUsesName(sourceFile, name)) return undefined; // taken by something else
    const imported = planNamedImport(sourceFile, POLICIES_MODULE, BREAKER_HELPER, 'createCircuitBreaker');
    if ('refused' in imported) return undefined;
    edits.push(...imported.edits, declarationEdit(sourceFile, `const ${name} = ${imported.localName}();`));
  }
  const text = target.getText(sourceFile);
  const asyncKeyword = /\bawait\b/.test(text) ? 'async ' : '';
  edits.push({ start: target.getStart(sourceFile), end: target.end, text: `${name}.execute(${asyncKeyword}() => ${text})` });
  return { description: `Run it through \`${name}\`, ${existing ? `the breaker already guarding ${fact.display}` : `a circuit breaker for ${fact.display}`}`, edits };
}

/** Module level, right after the imports (the import edit, if any, lands at the same point first). */
function declarationEdit(sourceFile: ts.SourceFile, text: string): TextEdit {
  const imports = sourceFile.statements.filter(ts.isImportDeclaration);
  const last = imports.at(-1);
  if (last) return { start: last.end, end: last.end, text: `\n${text}` };
  const first = sourceFile.statements[0];
  const at = first ? first.getStart(sourceFile) : 0;
  return { start: at, end: at, text: `${text}\n` };
}
