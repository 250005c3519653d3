/**
 * RetryScope: a construct that repeats an operation after it failed, with what it waits between
 * attempts (delay, jitter) and what stops it (cap). One fact for require-backoff, require-jitter
 * and no-unbounded-retry. This file holds the types, the walk that collects scopes, and the helpers
 * (waits, delays, caps) shared by retry-loops.ts (loops) and retry-calls.ts (recursion, `.catch()`, timers).
 */
import ts from 'typescript';
import type { DelayKind } from '../catalogue/types.ts';
import { classifyDelay, hasRandomness, type DelayClass, type DelayContext } from './delay.ts';
import { short } from './text.ts';
import { findReferences } from './references.ts';
import { getStaticMemberName, skipOuterExpressions, type Resolver } from './resolve.ts';
import { callScope } from './retry-calls.ts';
import { loopScope } from './retry-loops.ts';
import { collectLibraryRetries } from './retry-libraries.ts';
import { collectJobRetries } from './job-queues.ts';
import { collectJobProcessors } from './job-processors.ts';
import { collectReconnectScopes } from './datastores.ts';
import { pollScope } from './polls.ts';
import { collectEffectRetries } from './effect-retries.ts';
import { collectRetryWhen } from './rxjs-retry-when.ts';
import { collectPgBossRetries, collectPgBossWorkers } from './pg-boss.ts';
import { collectRetryDecorators, decoratedMethods, decoratorOf } from './retry-decorators.ts';
import { calleeDeclaration, enclosingFunction, functionName } from './program-index.ts';
import { userRetryHelperFor } from './extensions.ts';

/** `helper`: a call of a function defined elsewhere that retries its callback (judged where it is defined). */
export type RetryScopeKind = 'loop' | 'recursion' | 'catch-chain' | 'timer' | 'library' | 'helper' | 'job' | 'reconnect' | 'poll';

export interface DelayFact {
  readonly kind: DelayKind | 'unknown';
  readonly jitter: 'present' | 'absent' | 'unknown';
  /** Completes "… waits …": `nothing between attempts`, `a constant 1000 ms between attempts`. */
  readonly detail: string;
  /** Where the missing jitter comes from, e.g. ` (p-retry's default)`; empty when nothing to add. */
  readonly jitterDetail?: string;
  /** The delay is a value we cannot read that is the same every round: constant, or maybe 0. */
  readonly maybeNone?: boolean | undefined;
  readonly evidence?: ts.Node | undefined;
  /**
   * The delay is configured, and judged, elsewhere (a job's backoff inherited from queue defaults that
   * are themselves a judged retry): the delay rules stay silent here (one problem, one finding).
   */
  readonly judgedElsewhere?: boolean | undefined;
}

export interface CapFact {
  readonly state: 'present' | 'absent' | 'unknown';
  /** How many retries at most, when known (a single retry needs no backoff). */
  readonly retries?: number | undefined;
  /** Completes "… retries …": `with no limit on attempts`. */
  readonly detail: string;
  readonly evidence?: ts.Node | undefined;
}

export interface RetryScope {
  readonly kind: RetryScopeKind;
  readonly node: ts.Node;
  /** The range to report (a loop's head, a library call's callee). */
  readonly start: number;
  readonly end: number;
  /** The subject of a message: "this loop retrying `callInventory()`", "`pRetry(…)`". */
  readonly subject: string;
  readonly delay: DelayFact;
  readonly cap: CapFact;
  /** Library retries: the configuration, for the fix. */
  readonly library?: import('./retry-libraries.ts').LibraryRetry | undefined;
  /** Job retries: the queue and the job options, for the fix. */
  readonly job?: import('./job-queues.ts').JobRetry | undefined;
  /** A client's reconnect schedule (`retryStrategy`): what to write instead. */
  readonly reconnect?: {
    readonly advice: string;
    /** The client's default schedule is the problem: the option to add where it is made. */
    readonly add?: {
      readonly call: ts.NewExpression | ts.CallExpression;
      readonly literal: ts.ObjectLiteralExpression | undefined;
      readonly index: number;
      readonly option: { readonly name: string; readonly value: string };
    } | undefined;
  } | undefined;
  /** A queue's processor, run again for each attempt of a retried job: the job parameter makes a stable key. */
  readonly processor?: { readonly queueName: string; readonly jobParameter: string | undefined } | undefined;
  /** What to do, per missing policy, when the scope's idiom has its own remedy (Effect schedules). */
  readonly advice?: { readonly backoff?: string; readonly jitter?: string; readonly cap?: string } | undefined;
  /** pg-boss options where the job's retries are written: for the fix (`retryBackoff: true`). */
  readonly pgBoss?: { readonly call: ts.CallExpression; readonly literal: ts.ObjectLiteralExpression | undefined; readonly fix: string; readonly backoffKey: string } | undefined;
  /** A decorator that runs the whole method again: no code of the method runs once, before the attempts. */
  readonly decorated?: boolean | undefined;
  /** A loop in the shape the codemod can turn into a `retry(...)` call. */
  readonly rewritable?: RewritableLoop | undefined;
  /** The code that runs again on failure: a loop's `try` block, the function a library retries. */
  readonly regions: readonly ts.Node[];
  /** The statement that holds the retry (where code that must run once, before it, goes). */
  readonly statement?: ts.Statement | undefined;
}

/** `for (…; attempt < N; …) { try { return await EXPR; } catch (e) { [if (…) throw e;] [await sleep(ms);] } }` */
export interface RewritableLoop {
  readonly loop: ts.IterationStatement;
  readonly operation: ts.Expression;
  readonly maxAttempts: number | undefined;
  /** A statement right after the loop that only runs when every attempt failed (`throw lastError`). */
  readonly trailingThrow: ts.Statement | undefined;
}

const scopeCache = new WeakMap<Resolver, RetryScope[]>();

/** The retries written in this file (what the retry rules judge), computed once per file and resolver. */
export function collectRetryScopes(sourceFile: ts.SourceFile, resolver: Resolver): RetryScope[] {
  let scopes = scopeCache.get(resolver);
  if (!scopes) {
    scopes = computeRetryScopes(sourceFile, resolver);
    scopeCache.set(resolver, scopes);
  }
  return scopes;
}

/** A function that retries the callback it receives: `withRetry(fn)` whose loop calls `fn()`. */
export interface RetryHelper {
  readonly fn: ts.SignatureDeclaration;
  readonly name: string;
  /** The retried callback's parameter; `decorator`: a method decorator that retries the method it decorates. */
  readonly parameter: number | 'decorator';
  readonly scope: RetryScope;
}

const helperCache = new WeakMap<object, RetryHelper[]>();
/**
 * Helpers per file, kept across programs: an editor makes a new program on every change, but the
 * files that did not change keep their SourceFile, so only the changed ones are looked at again.
 * (What a helper is depends on its own file: a retry that calls a parameter of its function.)
 */
const fileHelperCache = new WeakMap<ts.SourceFile, RetryHelper[]>();

/** Every retry helper of the program (of the file, without one), found once. */
function retryHelpers(index: NonNullable<Resolver['index']>): RetryHelper[] {
  let helpers = helperCache.get(index);
  if (helpers) return helpers;
  helpers = [];
  for (const file of index.files) {
    let own = fileHelperCache.get(file);
    if (!own) {
      own = helpersOfFile(file, index.resolverFor(file));
      fileHelperCache.set(file, own);
    }
    helpers.push(...own);
  }
  helperCache.set(index, helpers);
  return helpers;
}

function helpersOfFile(file: ts.SourceFile, resolver: Resolver): RetryHelper[] {
  // Cheap gate: a retry is a catch, a .catch, a timer or a library call; all mention one of these.
  if (!/catch|retry|Retry|backoff/.test(file.text)) return [];
  const helpers: RetryHelper[] = [];
  for (const scope of collectRetryScopes(file, resolver)) {
    const fn = enclosingFunction(scope.node);
    const name = fn && functionName(fn);
    const decorator = fn && decoratorOf(scope, fn, resolver);
    if (decorator) {
      helpers.push({ ...decorator, parameter: 'decorator', scope });
      continue;
    }
    if (!fn || !name) continue;
    const parameter = retriedParameter(scope, fn, resolver);
    if (parameter !== undefined) helpers.push({ fn, name, parameter, scope });
  }
  return helpers;
}

/** The parameter of `fn` that the scope runs again: `operation` in `await operation()`, or `fn` handed to a library. */
function retriedParameter(scope: RetryScope, fn: ts.SignatureDeclaration, resolver: Resolver): number | undefined {
  const parameterIndex = (node: ts.Node): number | undefined => {
    const target = ts.isIdentifier(node) ? node : undefined;
    const decl = target && resolver.getSymbol(target)?.valueDeclaration;
    return decl && ts.isParameter(decl) && decl.parent === fn ? fn.parameters.indexOf(decl) : undefined;
  };
  for (const region of scope.regions) {
    const direct = ts.isExpression(region) ? parameterIndex(skipOuterExpressions(region)) : undefined;
    if (direct !== undefined) return direct;
    let found: number | undefined;
    const visit = (node: ts.Node): void => {
      if (found !== undefined) return;
      if (ts.isCallExpression(node)) found = parameterIndex(skipOuterExpressions(node.expression));
      if (found === undefined && !ts.isFunctionLike(node)) ts.forEachChild(node, visit);
    };
    visit(region);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Calls in this file of retry helpers defined anywhere in the program: each is a retry scope for
 * the callback it passes (so a POST inside needs an idempotency key), but the helper's delay and cap
 * are judged once, where it is defined: the retry rules do not see these.
 */
export function collectInheritedRetries(sourceFile: ts.SourceFile, resolver: Resolver): RetryScope[] {
  const index = resolver.index;
  if (!index) return [];
  const scopes: RetryScope[] = [];
  const helpers = retryHelpers(index);
  scopes.push(...decoratedMethods(sourceFile, helpers.filter((h) => h.parameter === 'decorator'), resolver));
  for (const helper of helpers) {
    if (helper.parameter === 'decorator') continue;
    for (const call of index.callsNamed(helper.name)) {
      if (call.getSourceFile() !== sourceFile || calleeDeclaration(call, resolver) !== helper.fn) continue;
      const argument = call.arguments[helper.parameter];
      if (!argument) continue;
      const where = index.where(helper.scope.node, sourceFile);
      scopes.push({
        kind: 'helper',
        node: call,
        start: call.expression.getStart(sourceFile),
        end: call.expression.end,
        subject: `\`${helper.name}(…)\` (its retry is at ${where})`,
        delay: helper.scope.delay,
        cap: helper.scope.cap,
        regions: [argument],
        statement: enclosingStatement(call),
      });
    }
  }
  scopes.push(...userRetryHelperCalls(sourceFile, resolver));
  scopes.push(...collectJobProcessors(sourceFile, resolver));
  scopes.push(...collectPgBossWorkers(sourceFile, resolver));
  return scopes.sort((a, b) => a.start - b.start);
}

/** Calls of retry helpers the user declared (resilience.config `catalogue.retryHelpers`), with the policy they declare. */
function userRetryHelperCalls(sourceFile: ts.SourceFile, resolver: Resolver): RetryScope[] {
  const specs = resolver.catalogue?.retryHelpers;
  if (!specs?.length) return [];
  const scopes: RetryScope[] = [];
  const names = new Set(specs.map((h) => h.specifier.name));
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const written = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
      const spec = written !== undefined && (names.has(written) || names.has('default')) ? userRetryHelperFor(specs, node, resolver) : undefined;
      if (spec) {
        const cap = spec.maxAttempts === null
          ? { state: 'absent' as const, detail: 'with no limit on attempts (declared in resilience.config)' }
          : { state: 'present' as const, retries: Math.max(0, spec.maxAttempts - 1), detail: `at most ${spec.maxAttempts} attempts` };
        scopes.push({
          kind: 'helper',
          node,
          start: callee.getStart(sourceFile),
          end: callee.end,
          subject: `\`${spec.specifier.name}(…)\` (declared in resilience.config)`,
          delay: { kind: spec.backoff, jitter: spec.jitter ? 'present' : 'absent', detail: `${spec.backoff} delays (declared in resilience.config)` },
          cap,
          regions: [node.arguments[spec.callback ?? 0]!],
          statement: enclosingStatement(node),
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return scopes;
}

function computeRetryScopes(sourceFile: ts.SourceFile, resolver: Resolver): RetryScope[] {
  const scopes: RetryScope[] = [];
  const visit = (node: ts.Node): void => {
    if (isRetryLoopCandidate(node)) {
      const scope = loopScope(node, resolver) ?? pollScope(node, resolver);
      if (scope) scopes.push(scope);
    }
    if (ts.isCallExpression(node)) {
      const scope = callScope(node, resolver);
      if (scope) scopes.push(scope);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  scopes.push(...collectLibraryRetries(sourceFile, resolver));
  scopes.push(...collectJobRetries(sourceFile, resolver));
  scopes.push(...collectReconnectScopes(sourceFile, resolver));
  scopes.push(...collectEffectRetries(sourceFile, resolver));
  scopes.push(...collectRetryWhen(sourceFile, resolver));
  scopes.push(...collectPgBossRetries(sourceFile, resolver));
  scopes.push(...collectRetryDecorators(sourceFile, resolver));
  return scopes.sort((a, b) => a.start - b.start);
}

function isRetryLoopCandidate(node: ts.Node): node is ts.ForStatement | ts.WhileStatement | ts.DoStatement {
  // `for…of`/`for…in` walk different items (or mirrors): never a retry of one operation.
  return ts.isForStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node);
}

// ---------------------------------------------------------------- shared walks

export function allOwn<T extends ts.Node>(node: ts.Node, test: (n: ts.Node) => n is T): T[] {
  const out: T[] = [];
  const visit = (n: ts.Node): void => {
    if (test(n)) out.push(n);
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(node, visit);
  return out;
}

export function allOwnDeep<T extends ts.Node>(node: ts.Node, test: (n: ts.Node) => n is T): T[] {
  const out: T[] = [];
  const visit = (n: ts.Node): void => {
    if (test(n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

export function identifiersIn(node: ts.Node): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

// ---------------------------------------------------------------- caps

const COMPARISONS = new Set([
  ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken,
]);

/** A comparison on an attempt counter, or on the clock (a time budget). */
export function isCapComparison(node: ts.Node, counters: ReadonlySet<ts.Symbol>, resolver: Resolver): boolean {
  return capComparison(node, counters, resolver) !== undefined;
}

/**
 * `present` when a counter (or the clock) is compared with a bound the code fixes; `unknown` when the
 * bound comes from a parameter or a call (`attempt < maxAttempts`, `attempt >= limitFor(route)`):
 * it could be `Infinity`.
 */
export function capComparison(node: ts.Node, counters: ReadonlySet<ts.Symbol>, resolver: Resolver): 'present' | 'unknown' | undefined {
  let verdict: 'present' | 'unknown' | undefined;
  const visit = (n: ts.Node): void => {
    if (verdict === 'present') return;
    if (ts.isBinaryExpression(n) && COMPARISONS.has(n.operatorToken.kind)) {
      const mentioned = identifiersIn(n);
      const isCounter = (id: ts.Identifier) => { const s = resolver.getSymbol(id); return !!s && counters.has(s); };
      if (mentioned.some(isCounter) || mentionsClock(n)) {
        const bound = mentioned.filter((id) => !isCounter(id) && !isClockName(id));
        verdict = bound.some((id) => !isFixedValue(id, resolver)) || containsCall(n, resolver) ? (verdict ?? 'unknown') : 'present';
      }
    }
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && n.operator === ts.SyntaxKind.MinusMinusToken) verdict = 'present'; // while (retries--)
    // `if (!retriesRemaining) throw`, `retriesRemaining ? again(…) : fail()`: a counter tested against 0.
    if (ts.isIdentifier(n) && isTruthinessTest(n)) {
      const s = resolver.getSymbol(n);
      if (s && counters.has(s)) verdict = 'present';
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return verdict;
}

/** Is the value of `node` only tested for truthiness (`!x`, `if (x)`, `x ? … : …`, `x && …`)? */
function isTruthinessTest(node: ts.Expression): boolean {
  let child: ts.Node = node;
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent)) {
    child = parent;
    parent = parent.parent;
  }
  if (ts.isPrefixUnaryExpression(parent)) return parent.operator === ts.SyntaxKind.ExclamationToken;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    return (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) && (parent.left === child || isTruthinessTest(parent));
  }
  if (ts.isConditionalExpression(parent)) return parent.condition === child;
  if (ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent)) return parent.expression === child;
  if (ts.isForStatement(parent)) return parent.condition === child;
  return false;
}

function isClockName(id: ts.Identifier): boolean {
  return ['Date', 'now', 'performance', 'process', 'hrtime', 'start', 'startedAt', 'deadline'].includes(id.text) || ts.isPropertyAccessExpression(id.parent) && id.parent.name === id;
}

/** A literal-backed constant, or a local whose value the code fixes (not a parameter). */
function isFixedValue(id: ts.Identifier, resolver: Resolver): boolean {
  if (id.text === 'Infinity') return false;
  if (ts.isPropertyAccessExpression(id.parent) && id.parent.name === id) return true; // judged by its object
  const symbol = resolver.getSymbol(id);
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!decl) return true;
  if (ts.isParameter(decl)) return !!decl.initializer && !ts.isObjectBindingPattern(decl.name) && isLiteralish(decl.initializer);
  if (ts.isVariableDeclaration(decl)) {
    const init = decl.initializer && skipOuterExpressions(decl.initializer);
    // A module constant object's members (`defaultConfig.maxRetries`) are fixed by the code too.
    return !init || isLiteralish(init) || mentionsClock(init) || (ts.isObjectLiteralExpression(init) && (decl.parent.flags & ts.NodeFlags.Const) !== 0);
  }
  return true;
}

function isLiteralish(node: ts.Expression): boolean {
  const bare = skipOuterExpressions(node);
  return ts.isNumericLiteral(bare) || (ts.isPrefixUnaryExpression(bare) && ts.isNumericLiteral(bare.operand)) || (ts.isBinaryExpression(bare) && isLiteralish(bare.left) && isLiteralish(bare.right)) ||
    (ts.isConditionalExpression(bare) && isLiteralish(bare.whenTrue) && isLiteralish(bare.whenFalse));
}

function containsCall(node: ts.Node, resolver: Resolver): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && !mentionsClock(n)) {
      const name = ts.isIdentifier(n.expression) ? n.expression.text : getStaticMemberName(n.expression);
      if (name !== 'min' && name !== 'max') found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  void resolver;
  return found;
}

export function mentionsClock(node: ts.Node): boolean {
  return /\b(Date\.now|performance\.now|process\.hrtime)\b|new Date\(\)/.test(node.getText());
}

/**
 * Errors that mean the attempt lost a race, not that a dependency failed: a compare-and-swap or
 * version conflict, a duplicate key on insert, a serialization failure or deadlock. Names and codes
 * as drivers and ORMs spell them (MongoDB E11000, Postgres 23505 / 40001 / 40P01, Prisma P2002 / P2034,
 * DynamoDB ConditionalCheckFailed, HTTP 409 / 412).
 */
const LOST_RACE = /conflict|\bcas\b|stale|concurren|optimistic|version.?mismatch|duplicate|unique.?(constraint|violation)|\b11000\b|P2002|P2034|\b23505\b|\b40001\b|40P01|serializ|deadlock|ConditionalCheckFailed|TransactionCanceled|precondition|\b409\b|\b412\b/i;

/**
 * An optimistic-concurrency loop: the catch goes round again only when the error is a lost race
 * (`if (!(e instanceof CasConflictError)) throw e;`, `if (isDuplicateKeyError(e) && n < max) continue;
 * throw e;`). Re-reading and trying again is how such code is written; the dependency did not fail.
 */
export function retriesOnlyLostRaces(catchBlock: ts.Block, again?: ts.Node): boolean {
  // Recursion: `if (isConflict(e)) return await upsert(…); throw e;` retries only a lost race.
  if (again) {
    const guard = allOwn(catchBlock, ts.isIfStatement).find((i) => LOST_RACE.test(i.expression.getText()) && again.getStart() >= i.thenStatement.getStart() && again.end <= i.thenStatement.end);
    if (guard && !ts.isPrefixUnaryExpression(skipOuterExpressions(guard.expression))) return true;
  }
  const throws = allOwn(catchBlock, ts.isThrowStatement);
  const tests = allOwn(catchBlock, ts.isIfStatement).filter((i) => LOST_RACE.test(i.expression.getText()));
  if (throws.length === 0 || tests.length === 0) return false;
  const negated = (e: ts.Expression): boolean => {
    const bare = skipOuterExpressions(e);
    if (ts.isPrefixUnaryExpression(bare) && bare.operator === ts.SyntaxKind.ExclamationToken) return true;
    if (ts.isBinaryExpression(bare)) {
      const op = bare.operatorToken.kind;
      if (op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) return true;
      if (op === ts.SyntaxKind.BarBarToken) return negated(bare.left) || negated(bare.right);
    }
    return false;
  };
  const continues = (statement: ts.Statement): boolean =>
    ts.isContinueStatement(statement) || (ts.isBlock(statement) && statement.statements.some(ts.isContinueStatement));
  // Every throw is taken when the error is not a lost race (`if (!isConflict(e)) throw e;`, or after
  // `if (isConflict(e) && n < max) continue;`), or on a lost race once those are filtered (a cap).
  return throws.every((t) => tests.some((i) =>
    (t.getStart() >= i.thenStatement.getStart() && t.end <= i.thenStatement.end && negated(i.expression)) ||
    (t.getStart() > i.end && (continues(i.thenStatement) ? !negated(i.expression) : negated(i.expression) && exitsIn(i.thenStatement)))));
}

export function exitsIn(statement: ts.Statement): boolean {
  if (ts.isThrowStatement(statement) || ts.isReturnStatement(statement) || ts.isBreakStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.some((s) => ts.isThrowStatement(s) || ts.isReturnStatement(s) || ts.isBreakStatement(s));
}

/**
 * Does the counter choose what the operation asks for: in its callee or its first argument (the URL,
 * the target)? Used in a header or a body, it does not change the operation.
 */
export function selectsTarget(operation: ts.Expression, counters: ReadonlySet<ts.Symbol>, resolver: Resolver): boolean {
  const call = skipOuterExpressions(ts.isAwaitExpression(operation) ? operation.expression : operation);
  if (!ts.isCallExpression(call)) return usesAny(call, counters, resolver);
  return usesAny(call.expression, counters, resolver) || (!!call.arguments[0] && usesAny(call.arguments[0], counters, resolver));
}

/** Does `node` use one of `symbols`, other than as a count only reported to the server? */
export function usesAny(node: ts.Node, symbols: ReadonlySet<ts.Symbol>, resolver: Resolver): boolean {
  return identifiersIn(node).some((id) => { const s = resolver.getSymbol(id); return !!s && symbols.has(s) && !isReportedCount(id); });
}

const COUNT_NAME = /attempt|retr(y|ies)|tries|try/i;

/**
 * The counter only reported to the server (`?attempt=${attempt}`, `{ attempt }`, `'x-retry': n`), not
 * choosing what is asked: the request is still the same operation.
 */
function isReportedCount(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isShorthandPropertyAssignment(parent)) return COUNT_NAME.test(parent.name.text);
  if (ts.isPropertyAssignment(parent) && parent.initializer === id) return COUNT_NAME.test(parent.name.getText());
  if (ts.isTemplateSpan(parent) && parent.expression === id) {
    const before = parent.parent.templateSpans.indexOf(parent) === 0 ? parent.parent.head.text : parent.parent.templateSpans[parent.parent.templateSpans.indexOf(parent) - 1]!.literal.text;
    return new RegExp(`(${COUNT_NAME.source})[\\w-]*=$`, 'i').test(before);
  }
  return false;
}

// ---------------------------------------------------------------- delays

export function delayFromWaits(waits: readonly ts.Expression[], context: DelayContext): DelayFact {
  if (waits.length === 0) return { kind: 'none', jitter: 'absent', detail: 'waits nothing between attempts' };
  const classes = waits.map((w) => classifyDelay(w, context));
  const order = ['none', 'constant', 'linear', 'exponential'] as const;
  const unknown = classes.find((c) => c.kind === 'unknown');
  const best = classes.reduce<DelayClass>((a, b) => (b.kind !== 'unknown' && (a.kind === 'unknown' || order.indexOf(b.kind) > order.indexOf(a.kind)) ? b : a), classes[0]!);
  const jitter = classes.some((c) => c.jitter) ? 'present' : unknown ? 'unknown' : 'absent';
  const kind = unknown && best.kind !== 'exponential' ? 'unknown' : best.kind;
  const evidence = waits[classes.indexOf(best)] ?? waits[0];
  return { kind, jitter, detail: describeDelay(kind, best.ms, evidence), evidence, maybeNone: kind === 'constant' && !!best.maybeNone };
}

/**
 * Waits on alternative paths of one round (`if (rateLimited) { await sleep(5_000); continue; }` beside
 * `await sleep(base * 2 ** n)`): each path is judged on its own and the worst one is the loop's delay.
 * Waits on the same path add up, so within a path the most growing one counts.
 */
export function delayFromAlternativeWaits(waits: readonly ts.Expression[], within: ts.Node, context: DelayContext): DelayFact {
  const groups = new Map<ts.Node | undefined, ts.Expression[]>();
  for (const wait of waits) {
    const branch = exclusiveBranch(wait, within);
    groups.set(branch, [...(groups.get(branch) ?? []), wait]);
  }
  if (groups.size < 2) return delayFromWaits(waits, context);
  const facts = [...groups.values()].map((group) => delayFromWaits(group, context));
  const order = ['none', 'constant', 'linear', 'exponential'] as const;
  const known = facts.filter((f) => f.kind !== 'unknown');
  const worst = known.reduce<DelayFact | undefined>((a, b) => (!a || order.indexOf(b.kind as (typeof order)[number]) < order.indexOf(a.kind as (typeof order)[number]) ? b : a), undefined);
  if (!worst) return facts[0]!;
  // A path we cannot read may be worse than a growing one; a constant or missing wait is a finding anyway.
  if (known.length < facts.length && worst.kind !== 'none' && worst.kind !== 'constant') return facts.find((f) => f.kind === 'unknown')!;
  return worst;
}

/** The innermost `if` branch around `node` (inside `within`) that is an alternative path: it exits the round, or has a sibling branch. */
function exclusiveBranch(node: ts.Node, within: ts.Node): ts.Node | undefined {
  for (let child: ts.Node = node, parent = node.parent; parent && parent !== within; child = parent, parent = parent.parent) {
    if (ts.isFunctionLike(parent)) return undefined;
    if (!ts.isIfStatement(parent) || child === parent.expression) continue;
    const branch = child as ts.Statement;
    const last = ts.isBlock(branch) ? branch.statements.at(-1) : branch;
    const exits = !!last && (ts.isContinueStatement(last) || ts.isReturnStatement(last) || ts.isThrowStatement(last) || ts.isBreakStatement(last));
    if (exits || parent.elseStatement) return branch;
  }
  return undefined;
}

export function describeDelay(kind: DelayKind | 'unknown', ms: number | undefined, evidence?: ts.Node): string {
  switch (kind) {
    case 'none':
      return 'waits nothing between attempts';
    case 'constant':
      return ms !== undefined ? `waits a constant ${ms} ms between attempts` : `waits a constant \`${evidence ? short(evidence) : 'delay'}\` between attempts`;
    case 'linear':
      return `waits a linearly growing \`${evidence ? short(evidence) : 'delay'}\` between attempts`;
    case 'exponential':
      return 'backs off exponentially';
    case 'unknown':
      return `waits \`${evidence ? short(evidence) : 'a delay'}\` between attempts, which cannot be classified here`;
  }
}

/**
 * The delay an awaited expression waits for: `sleep(ms)`, `delay(ms)`, `setTimeout(ms)` from
 * timers/promises, `new Promise((r) => setTimeout(r, ms))`.
 */
export function sleepArgument(expression: ts.Expression, resolver: Resolver): ts.Expression | undefined {
  const node = skipOuterExpressions(expression);
  // `Promise.race([sleep(ms), aborted(signal)])`: still a wait of up to ms.
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === 'Promise' && (node.expression.name.text === 'race' || node.expression.name.text === 'any')) {
    const list = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
    if (list && ts.isArrayLiteralExpression(list)) {
      for (const element of list.elements) {
        const ms = sleepArgument(element, resolver);
        if (ms) return ms;
      }
    }
    return undefined;
  }
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Promise') {
    const executor = node.arguments?.[0];
    if (!executor) return undefined;
    const timer = firstOwnDeep(executor, (n): n is ts.CallExpression => ts.isCallExpression(n) && isGlobalTimer(n.expression, resolver));
    return timer?.arguments[1];
  }
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipOuterExpressions(node.expression);
  const origin = resolver.resolve(callee);
  if (origin.kind === 'module' && (origin.module === 'timers/promises') && origin.path.at(-1) === 'setTimeout') return node.arguments[0];
  const name = ts.isIdentifier(callee) ? callee.text : getStaticMemberName(callee);
  if (name && SLEEP_NAME.test(name) && node.arguments.length >= 1) return node.arguments[0];
  return undefined;
}

/**
 * The waits an awaited expression makes: a sleep (`sleepArgument`), the waits inside callbacks it is
 * handed (`tracer.startActiveSpan('wait', async () => { await sleep(ms) })`), and the waits inside
 * a function of this file it calls (`await waitForRetry(delay)`, `await this.pause(ms)`), whose
 * parameters are bound to the call's arguments in `bindings` (so `delay` is judged as the caller's
 * argument). Undefined when the call cannot be seen into; an empty list when it can and does not wait.
 */
export function waitsOf(expression: ts.Expression, resolver: Resolver, bindings: Map<ts.Symbol, ts.Expression[]>, depth = 0): ts.Expression[] | undefined {
  const ms = sleepArgument(expression, resolver);
  if (ms) return [ms];
  const node = skipOuterExpressions(expression);
  if (!ts.isCallExpression(node) || depth > 3) return undefined;
  const waits: ts.Expression[] = [];
  for (const argument of node.arguments) {
    const callback = skipOuterExpressions(argument);
    if (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) waits.push(...bodyWaits(callback, resolver, bindings, depth + 1));
  }
  const fn = visibleFunction(node, resolver);
  if (!fn) return waits.length > 0 ? waits : undefined;
  if (!node.arguments.some(ts.isSpreadElement)) {
    fn.parameters.forEach((parameter, index) => {
      const symbol = ts.isIdentifier(parameter.name) ? resolver.checker.getSymbolAtLocation(parameter.name) : undefined;
      const value = node.arguments[index] ?? parameter.initializer;
      if (!symbol || !value || parameter.dotDotDotToken) return;
      const bound = bindings.get(symbol) ?? [];
      if (!bound.includes(value)) bound.push(value);
      bindings.set(symbol, bound);
    });
  }
  waits.push(...bodyWaits(fn, resolver, bindings, depth + 1));
  return waits;
}

/** The waits in a function's body: its awaited sleeps (also in callbacks) and the sleep it returns. */
function bodyWaits(fn: ts.FunctionLikeDeclaration, resolver: Resolver, bindings: Map<ts.Symbol, ts.Expression[]>, depth: number): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return waitsOf(fn.body, resolver, bindings, depth) ?? [];
  const waits: ts.Expression[] = [];
  for (const a of allOwnDeep(fn.body, ts.isAwaitExpression)) waits.push(...(waitsOf(a.expression, resolver, bindings, depth) ?? []));
  for (const r of allOwn(fn.body, ts.isReturnStatement)) if (r.expression) waits.push(...(waitsOf(r.expression, resolver, bindings, depth) ?? []));
  return [...new Set(waits)];
}

/** The function of this program a call runs, when its body can be read: a declaration, a `const` arrow, `this.method`. */
function visibleFunction(call: ts.CallExpression, resolver: Resolver): ts.FunctionLikeDeclaration | undefined {
  const callee = skipOuterExpressions(call.expression);
  const symbol = ts.isIdentifier(callee) ? resolver.getSymbol(callee)
    : ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword ? resolver.getSymbol(callee.name) : undefined;
  const decl = symbol?.valueDeclaration;
  if (!decl) return undefined;
  const init = (ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer ? skipOuterExpressions(decl.initializer) : undefined;
  const fn = ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl) ? decl
    : init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
  return fn?.body && !fn.getSourceFile().isDeclarationFile ? fn : undefined;
}

const SLEEP_NAME = /^(sleep|delay|wait|pause|backoff|snooze|timeout|setTimeoutPromise|waitFor(Ms)?|sleepMs|delayMs)$/i;

export function isGlobalTimer(callee: ts.Expression, resolver: Resolver): boolean {
  // Cheap gate: resolving every callee of a file (fields, injected members) costs more than the audit.
  const bare = skipOuterExpressions(callee);
  const name = ts.isIdentifier(bare) ? bare.text : getStaticMemberName(bare);
  if (name !== 'setTimeout') return false;
  const origin = resolver.resolve(callee);
  return origin.kind === 'global' && origin.path.length === 1 && origin.path[0] === 'setTimeout';
}

function firstOwnDeep<T extends ts.Node>(node: ts.Node, test: (n: ts.Node) => n is T): T | undefined {
  let found: T | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (test(n)) found = n;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** The statement a node is part of (in a block or the file). */
export function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (n.parent && (ts.isBlock(n.parent) || ts.isSourceFile(n.parent) || ts.isModuleBlock(n.parent)) && ts.isStatement(n as ts.Node as ts.Statement)) return n as ts.Statement;
  }
  return undefined;
}

export { short } from './text.ts';

export { hasRandomness, findReferences };
