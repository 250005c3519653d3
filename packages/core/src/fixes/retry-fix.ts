/**
 * Fixes for retry scopes. A hand-written loop in the canonical shape becomes a call of the policies'
 * `retry` (exponential backoff, full jitter, capped attempts: all three rules fixed at once); a
 * library configuration gets the option it misses, in the library's own vocabulary.
 */
import ts from 'typescript';
import type { RetryScope } from '../facts/retry.ts';
import { propertyName } from '../facts/network-calls.ts';
import { skipOuterExpressions } from '../facts/resolve.ts';
import type { Fix, TextEdit } from '../model.ts';
import { planNamedImport } from './imports.ts';
import { insertProperty } from './signal-wrap.ts';

export type RetryNeed = 'backoff' | 'jitter' | 'cap';

export const POLICIES_MODULE = '@resilience-kit/policies';
const DEFAULT_ATTEMPTS = 5;

/** What the user should do, in the scope's own idiom (for messages). */
export function retryAdvice(scope: RetryScope, need: RetryNeed): string {
  const option = optionText(scope, need);
  if (option) return `set \`${option}\``;
  if (scope.kind !== 'library') return `use \`retry\` from ${POLICIES_MODULE} (exponential backoff with full jitter and a cap on attempts)`;
  switch (need) {
    case 'backoff': return `configure an exponential backoff with jitter, or use \`retry\` from ${POLICIES_MODULE}`;
    case 'jitter': return `randomise the delays (full jitter), or use \`retry\` from ${POLICIES_MODULE}`;
    case 'cap': return 'set a finite limit on attempts (or on total time)';
  }
}

function optionText(scope: RetryScope, need: RetryNeed): string | undefined {
  const library = scope.library;
  const fixes = library?.spec.fixes;
  if (!library || !fixes) return undefined;
  const text = need === 'jitter' ? fixes.jitter ?? fixes.backoff : need === 'backoff' ? fixes.backoff : fixes.cap;
  return text?.replace('{local}', library.localRoot ?? '');
}

export function planRetryFix(scope: RetryScope, need: RetryNeed): Fix | undefined {
  if (scope.rewritable) return planLoopRewrite(scope);
  if (scope.library) return planOptionFix(scope, need);
  return undefined;
}

function planLoopRewrite(scope: RetryScope): Fix | undefined {
  const loop = scope.rewritable!;
  if (scope.cap.state === 'present' && loop.maxAttempts === undefined) return undefined; // a cap we cannot carry over
  const sourceFile = loop.loop.getSourceFile();
  const imported = planNamedImport(sourceFile, POLICIES_MODULE, 'retry');
  if ('refused' in imported) return undefined;
  const attempts = loop.maxAttempts ?? DEFAULT_ATTEMPTS;
  const operation = loop.operation.getText(sourceFile);
  const asyncKeyword = /\bawait\b/.test(operation) ? 'async ' : '';
  const end = (loop.trailingThrow ?? loop.loop).end;
  const edit: TextEdit = {
    start: loop.loop.getStart(sourceFile),
    end,
    text: `return await ${imported.localName}(${asyncKeyword}() => ${operation}, { maxAttempts: ${attempts} });`,
  };
  return { description: `Replace the loop with \`${imported.localName}(…, { maxAttempts: ${attempts} })\` from ${POLICIES_MODULE}`, edits: [edit, ...imported.edits] };
}

function planOptionFix(scope: RetryScope, need: RetryNeed): Fix | undefined {
  const library = scope.library!;
  const fixes = library.spec.fixes;
  const raw = need === 'jitter' ? fixes?.jitter ?? fixes?.backoff : need === 'backoff' ? fixes?.backoff : fixes?.cap;
  if (!raw) return undefined;
  const text = raw.replace('{local}', library.localRoot ?? '');
  if (text.includes('{local}') || (raw.includes('{local}') && !library.localRoot)) return undefined;
  const usesBackoffImport = raw === fixes?.backoff && fixes?.backoffImport;
  const key = text.slice(0, text.indexOf(':')).trim();
  const edits: TextEdit[] = [];
  const sourceFile = library.call.getSourceFile();
  if (library.configObject) {
    const object = library.configObject;
    if (object.properties.some(ts.isSpreadAssignment)) return undefined;
    const existing = object.properties.find((p) => p.name && propertyName(p.name) === key);
    if (existing) {
      if (need === 'cap') return undefined; // an explicit `Infinity`/`forever`: what limit to pick is a human decision
      edits.push({ start: existing.getStart(sourceFile), end: existing.end, text });
    } else {
      if (need === 'cap' && library.spec.keys.forever && object.properties.some((p) => p.name && propertyName(p.name) === library.spec.keys.forever)) return undefined;
      edits.push(...insertProperty(object, text, sourceFile.text));
    }
  } else if (library.config === undefined && library.configArgument !== undefined) {
    const args = library.call.arguments;
    if (args.length !== library.configArgument) return undefined;
    const last = args[args.length - 1];
    const at = last ? last.end : library.call.end - 1;
    edits.push({ start: at, end: at, text: `${last ? ', ' : ''}{ ${text} }` });
  } else {
    return undefined;
  }
  if (usesBackoffImport) {
    const imported = planNamedImport(sourceFile, fixes.backoffImport!.module, fixes.backoffImport!.name);
    if ('refused' in imported) {
      // Already imported under that name by the library's own import: reuse it only if it is the same.
      return undefined;
    }
    if (imported.localName !== fixes.backoffImport!.name) return undefined;
    edits.push(...imported.edits);
  }
  void skipOuterExpressions;
  return { description: `Set \`${text}\``, edits };
}
