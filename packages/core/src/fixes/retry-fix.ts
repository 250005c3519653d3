/**
 * Fixes for retry scopes. A hand-written loop in the canonical shape becomes a call of the policies'
 * `retry` (exponential backoff, full jitter, capped attempts: all three rules fixed at once); a
 * library configuration gets the option it misses, in the library's own vocabulary.
 */
import ts from 'typescript';
import type { RetryKeys } from '../catalogue/types.ts';
import type { RetryScope } from '../facts/retry.ts';
import { propertyName } from '../facts/network-calls.ts';
import { skipOuterExpressions } from '../facts/resolve.ts';
import type { Fix, TextEdit } from '../model.ts';
import { planOptionsInsert } from './datastore-fix.ts';
import { planNamedImport } from './imports.ts';
import { insertProperty } from './signal-wrap.ts';

export type RetryNeed = 'backoff' | 'jitter' | 'cap';

export const POLICIES_MODULE = '@resilience-kit/policies';
const DEFAULT_ATTEMPTS = 5;

/** What the user should do, in the scope's own idiom (for messages). */
export function retryAdvice(scope: RetryScope, need: RetryNeed): string {
  if (scope.job) return need === 'cap' ? 'set `attempts` to a finite number' : scope.job.entry.advice[need];
  if (scope.reconnect) return scope.reconnect.advice;
  if (scope.kind === 'poll') {
    return need === 'cap'
      ? 'stop at a deadline (compare `Date.now()` with the time polling started, or count the rounds) and fail with a clear error'
      : 'wait between polls (a fixed interval is fine for a poll) and stop at a deadline';
  }
  const option = optionText(scope, need);
  if (option) return `set \`${option}\``;
  const written = scope.library && 'advice' in scope.library.spec ? scope.library.spec.advice?.[need] : scope.advice?.[need];
  if (written) return written;
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

const SHAPES: Record<RetryScope['kind'], string> = {
  loop: 'a loop the codemod cannot rewrite safely (it rewrites a loop whose body is one awaited operation in a try, whose catch only waits, with at most a counter cap)',
  recursion: 'a function that calls itself again on failure',
  'catch-chain': 'a `.catch()` chain that calls again',
  timer: 'a timer that schedules the call again',
  library: 'a retry library configuration',
  helper: 'a retry helper defined elsewhere (fixed where it is defined)',
  job: 'a job queue configuration',
  reconnect: 'a reconnect strategy of your own',
  poll: 'a poll, whose interval and deadline are yours to choose',
};

/** Why `planRetryFix` made no fix, for the hand-fix list. */
export function retryNoFixReason(scope: RetryScope, need: RetryNeed): string {
  if (scope.job) {
    if (need === 'jitter' && !scope.job.entry.fixes.jitter) return retryAdvice(scope, need);
    return `the job options are not an object written here that the codemod can change safely (a spread, a \`backoff\` from elsewhere or of your own, an inherited default, or ${need === 'cap' ? 'an explicit limit to choose' : 'options in another module'}); ${retryAdvice(scope, need)}`;
  }
  if (scope.pgBoss) return `its options are not an object written here that the codemod can change safely (a spread, a \`retryBackoff\` computed elsewhere, or options from another module); ${retryAdvice(scope, need)}`;
  if (scope.reconnect?.add) return `its options are not an object written here that the codemod can change safely (a spread, or options from elsewhere); ${retryAdvice(scope, need)}`;
  if (scope.kind !== 'library') return `it is ${SHAPES[scope.kind]}; ${retryAdvice(scope, need)}`;
  if (!optionText(scope, need)) return `the library has no option the codemod can set for ${need === 'cap' ? 'a cap' : need}; ${retryAdvice(scope, need)}`;
  return 'its configuration cannot be changed safely here (a spread, an explicit forever or Infinity, your own delay function, a constant schedule of many attempts: a poll), or the option comes from elsewhere; set it by hand';
}

export function planRetryFix(scope: RetryScope, need: RetryNeed): Fix | undefined {
  if (scope.rewritable) return planLoopRewrite(scope);
  if (scope.job) return planJobFix(scope, need);
  if (scope.library) return planOptionFix(scope, need);
  if (scope.reconnect?.add && need !== 'cap') return planReconnectFix(scope.reconnect.add);
  if (scope.pgBoss && need !== 'cap') return planPgBossFix(scope.pgBoss);
  return undefined;
}

/** pg-boss: `retryBackoff: true` in the options written here (exponential delays with jitter). */
function planPgBossFix(target: NonNullable<RetryScope['pgBoss']>): Fix | undefined {
  const sourceFile = target.call.getSourceFile();
  const description = `Set \`${target.fix}\` (exponential delays with jitter)`;
  const { literal } = target;
  if (literal) {
    if (literal.getSourceFile() !== sourceFile || literal.properties.some(ts.isSpreadAssignment)) return undefined;
    const existing = literal.properties.find((p) => p.name && propertyName(p.name) === target.backoffKey);
    if (existing) {
      if (!ts.isPropertyAssignment(existing) || existing.initializer.kind !== ts.SyntaxKind.FalseKeyword) return undefined;
      return { description, edits: [{ start: existing.getStart(sourceFile), end: existing.end, text: target.fix }] };
    }
    return { description, edits: insertProperty(literal, target.fix, sourceFile.text) };
  }
  // `boss.createQueue('email')` → `boss.createQueue('email', { retryBackoff: true })`.
  const args = target.call.arguments;
  if (args.length !== 1) return undefined;
  return { description, edits: [{ start: args[0]!.end, end: args[0]!.end, text: `, { ${target.fix} }` }] };
}

/** A client whose default reconnect schedule is the problem: write the option where it is made. */
function planReconnectFix(add: NonNullable<NonNullable<RetryScope['reconnect']>['add']>): Fix | undefined {
  const args = add.call.arguments ?? [];
  const text = `${add.option.name}: ${add.option.value}`;
  const planned = planOptionsInsert(add.call, { index: add.index, literal: add.literal, present: args.length > add.index }, text, `Add \`${add.option.name}\` with exponential, randomised delays where the client is made`, '');
  return 'refused' in planned ? undefined : planned;
}

function planLoopRewrite(scope: RetryScope): Fix | undefined {
  const loop = scope.rewritable!;
  // A cap we cannot carry over (a limit from a parameter or a field): replacing it with our default
  // would silently drop the caller's choice.
  if (scope.cap.state !== 'absent' && loop.maxAttempts === undefined) return undefined;
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
    // `{ factor: 1, retries: 300, minTimeout: 1000 }`: a constant schedule, most often a poll with a
    // promised window (once a second for five minutes); growing or randomising it would stretch that.
    if (need !== 'cap' && isPollSchedule(object, library.spec.keys)) return undefined;
    const existing = object.properties.find((p) => p.name && propertyName(p.name) === key);
    if (existing) {
      if (need === 'cap') return undefined; // an explicit `Infinity`/`forever`: what limit to pick is a human decision
      // The user's own delay (`retryDelay(n) { return backoff(n) * 1000 }`) may carry options of
      // theirs (an SDK's initialDelay, waitMax); replacing it would drop them silently.
      if (!isReplaceableValue(existing, library.localRoot, library.spec.keys)) return undefined;
      edits.push({ start: existing.getStart(sourceFile), end: existing.end, text });
    } else {
      if (need === 'cap' && library.spec.keys.forever && object.properties.some((p) => p.name && propertyName(p.name) === library.spec.keys.forever)) return undefined;
      edits.push(...insertProperty(object, text, sourceFile.text));
    }
  } else if (library.config === undefined && library.configArgument !== undefined) {
    const args = library.call.arguments ?? [];
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
  return { description: `Set \`${text}\``, edits };
}

/** Attempts above this, at a constant interval, are a poll with a window rather than a retry. */
const POLL_ATTEMPTS = 10;

/** A factor of 1 (or less), so every delay is the same, and many attempts (or `forever`). */
function isPollSchedule(object: ts.ObjectLiteralExpression, keys: RetryKeys): boolean {
  const valueOf = (key: string | undefined): ts.Expression | undefined => {
    const prop = key === undefined ? undefined : object.properties.find((p) => p.name && propertyName(p.name) === key);
    return prop && ts.isPropertyAssignment(prop) ? skipOuterExpressions(prop.initializer) : undefined;
  };
  const factor = valueOf(keys.factor);
  if (!factor || !ts.isNumericLiteral(factor) || Number(factor.text) > 1) return false;
  const forever = valueOf(keys.forever);
  if (forever?.kind === ts.SyntaxKind.TrueKeyword) return true;
  return (keys.attempts ?? []).some((key) => {
    const attempts = valueOf(key);
    return attempts !== undefined && ((ts.isNumericLiteral(attempts) && Number(attempts.text) > POLL_ATTEMPTS) || (ts.isIdentifier(attempts) && attempts.text === 'Infinity'));
  });
}

const PURE_GLOBALS = new Set(['Math', 'Number', 'Infinity', 'undefined', 'NaN']);

/**
 * A value the fix may replace: a literal, one of the library's own values (`axiosRetry.linearDelay`,
 * `linearDelay()`, `new ConstantBackoff(500)`), or a function of the attempt alone
 * (`(n) => 2 ** n * 100`). Not a function that reads anything of the user's (`backoff(n) * 1000`
 * with the SDK's initialDelay and waitMax in it): replacing it would drop those silently.
 */
function isReplaceableValue(property: ts.ObjectLiteralElementLike, libraryRoot: string | undefined, keys: RetryKeys): boolean {
  if (ts.isMethodDeclaration(property)) return property.body !== undefined && readsOnlyItsParameters(property);
  if (!ts.isPropertyAssignment(property)) return false;
  const value = skipOuterExpressions(property.initializer);
  if (ts.isNumericLiteral(value) || ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) return true;
  if (value.kind === ts.SyntaxKind.TrueKeyword || value.kind === ts.SyntaxKind.FalseKeyword || value.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isPrefixUnaryExpression(value) && ts.isNumericLiteral(value.operand)) return true;
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return readsOnlyItsParameters(value);
  const known = new Set([...Object.keys(keys.delay?.known ?? {}), ...Object.keys(keys.backoff?.constructors ?? {})]);
  const callee = ts.isCallExpression(value) || ts.isNewExpression(value) ? skipOuterExpressions(value.expression) : value;
  if (ts.isIdentifier(callee)) return known.has(callee.text);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && (callee.expression.text === libraryRoot || known.has(callee.name.text));
}

function readsOnlyItsParameters(fn: ts.FunctionLikeDeclaration): boolean {
  const own = new Set(fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
  let pure = true;
  const visit = (node: ts.Node): void => {
    if (!pure) return;
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      const isName = (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
      if (!isName && !own.has(node.text) && !PURE_GLOBALS.has(node.text)) pure = false;
      return;
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return pure;
}

/**
 * Job options: a missing or constant `backoff` becomes the queue library's exponential one (keeping a
 * fixed delay as its base); a missing jitter is added to an exponential `backoff` written in place.
 * Only options written as an object in this file, with no spread, are changed.
 */
function planJobFix(scope: RetryScope, need: RetryNeed): Fix | undefined {
  const job = scope.job!;
  if (need === 'cap') return undefined; // an explicit Infinity: what limit to pick is a human decision
  const options = job.options;
  const sourceFile = options.getSourceFile();
  if (scope.node !== options || options.properties.some(ts.isSpreadAssignment)) return undefined;
  const own = options.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && !!p.name && propertyName(p.name) === job.entry.keys.backoff);
  if (need === 'jitter') {
    const text = job.entry.fixes.jitter;
    const literal = own && skipOuterExpressions(own.initializer);
    if (!text || !literal || !ts.isObjectLiteralExpression(literal) || literal.properties.some(ts.isSpreadAssignment)) return undefined;
    if (job.entry.jitterKey && literal.properties.some((p) => p.name && propertyName(p.name) === job.entry.jitterKey)) return undefined;
    return { description: `Set \`${text}\` in the backoff`, edits: insertProperty(literal, text, sourceFile.text) };
  }
  let text = job.entry.fixes.backoff;
  if (!own) {
    // No backoff of its own: one inherited from the queue is kept unless it is the constant being reported.
    if (job.backoff.state !== 'none') return undefined;
    return { description: `Set \`${text}\``, edits: insertProperty(options, text, sourceFile.text) };
  }
  const value = skipOuterExpressions(own.initializer);
  // A fixed delay (`backoff: 5000`, `{ type: 'fixed', delay: 5000 }`) becomes the exponential's base.
  let base: ts.Expression | undefined;
  if (ts.isNumericLiteral(value)) base = value;
  else if (ts.isObjectLiteralExpression(value) && !value.properties.some(ts.isSpreadAssignment)) {
    const names = value.properties.map((p) => (p.name ? propertyName(p.name) : undefined));
    if (names.some((n) => n !== 'type' && n !== 'delay' && n !== job.entry.jitterKey)) return undefined;
    const delay = value.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && !!p.name && propertyName(p.name) === 'delay');
    base = delay?.initializer;
  } else {
    return undefined;
  }
  if (base && !(ts.isNumericLiteral(base) && Number(base.text) === 0)) text = text.replace(/delay: [^,}]+/, `delay: ${base.getText(sourceFile)}`);
  return { description: `Set \`${text}\``, edits: [{ start: own.getStart(sourceFile), end: own.end, text }] };
}
