/**
 * RetryScope: a construct that repeats an operation after it failed, with what it waits between
 * attempts (delay, jitter) and what stops it (cap). One fact for require-backoff, require-jitter
 * and no-unbounded-retry.
 */
import ts from 'typescript';
import type { DelayKind } from '../catalogue/types.ts';
import { classifyDelay, hasRandomness, type DelayClass, type DelayContext } from './delay.ts';
import { findReferences, isTimerCallback } from './references.ts';
import { getStaticMemberName, skipOuterExpressions, type Resolver } from './resolve.ts';
import { collectLibraryRetries } from './retry-libraries.ts';

export type RetryScopeKind = 'loop' | 'recursion' | 'catch-chain' | 'timer' | 'library';

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

export function collectRetryScopes(sourceFile: ts.SourceFile, resolver: Resolver): RetryScope[] {
  const scopes: RetryScope[] = [];
  const visit = (node: ts.Node): void => {
    if (isRetryLoopCandidate(node)) {
      const scope = loopScope(node, resolver);
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
  return scopes.sort((a, b) => a.start - b.start);
}

function isRetryLoopCandidate(node: ts.Node): node is ts.ForStatement | ts.WhileStatement | ts.DoStatement {
  // `for…of`/`for…in` walk different items (or mirrors): never a retry of one operation.
  return ts.isForStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node);
}

// ---------------------------------------------------------------- loops

function loopScope(loop: ts.ForStatement | ts.WhileStatement | ts.DoStatement, resolver: Resolver): RetryScope | undefined {
  const body: readonly ts.Statement[] = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
  const attempt = body.find((s): s is ts.TryStatement => ts.isTryStatement(s));
  if (!attempt || !attempt.catchClause) return undefined;
  // The operation: the first awaited call in the try that is not a wait (a delay-first loop sleeps first).
  const awaited = allOwn(attempt.tryBlock, ts.isAwaitExpression).find((a) => !sleepArgument(a.expression, resolver));
  if (!awaited) return undefined;
  const exitsOnSuccess = !!firstOwn(attempt.tryBlock, (n): n is ts.Node => ts.isReturnStatement(n) || (ts.isBreakStatement(n) && !n.label)) ||
    assignsConditionVariable(attempt.tryBlock, loop, resolver);
  if (!exitsOnSuccess) return undefined;
  if (alwaysExits(attempt.catchClause.block)) return undefined;

  const counters = loopCounters(loop, resolver);
  const context: DelayContext = { resolver, counters, scope: loop };
  const operation = operationOf(awaited);
  // `fetch(`…?id=${i}`)`, `servers[i]`: each round asks something different (a search, a failover).
  if (selectsTarget(operation, counters, resolver)) return undefined;
  const delay = delayOf(loop, attempt, awaited, context);
  const cap = loopCap(loop, attempt, counters, resolver);
  const head = loopHead(loop);
  return {
    kind: 'loop',
    node: loop,
    start: head.start,
    end: head.end,
    subject: `this loop retrying \`${short(operation)}\``,
    delay,
    cap,
    rewritable: rewritableLoop(loop, attempt, counters, resolver),
    regions: [attempt.tryBlock],
    statement: loop,
  };
}

function loopHead(loop: ts.ForStatement | ts.WhileStatement | ts.DoStatement): { start: number; end: number } {
  const start = loop.getStart();
  if (ts.isDoStatement(loop)) return { start, end: start + 2 };
  return { start, end: loop.statement.getStart() > start ? loop.getSourceFile().text.lastIndexOf(')', loop.statement.getStart()) + 1 : loop.end };
}

/** The first node of a kind in `node`, not inside nested functions. */
function firstOwn<T extends ts.Node>(node: ts.Node, test: (n: ts.Node) => n is T): T | undefined {
  let found: T | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (test(n)) {
      found = n;
      return;
    }
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}

function allOwn<T extends ts.Node>(node: ts.Node, test: (n: ts.Node) => n is T): T[] {
  const out: T[] = [];
  const visit = (n: ts.Node): void => {
    if (test(n)) out.push(n);
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(node, visit);
  return out;
}

/** `while (!done) { try { await op(); done = true; } catch {} }`. */
function assignsConditionVariable(block: ts.Block, loop: ts.IterationStatement, resolver: Resolver): boolean {
  const condition = ts.isForStatement(loop) ? loop.condition : ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? loop.expression : undefined;
  if (!condition) return false;
  const inCondition = new Set(identifiersIn(condition).map((id) => resolver.getSymbol(id)).filter(Boolean));
  return allOwn(block, ts.isBinaryExpression).some(
    (b) => b.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(b.left) && inCondition.has(resolver.getSymbol(b.left)),
  );
}

/** A catch block that always leaves the loop (its own top-level throw/return/break) is not a retry. */
function alwaysExits(block: ts.Block): boolean {
  const exits = block.statements.some((s) => ts.isThrowStatement(s) || ts.isReturnStatement(s) || (ts.isBreakStatement(s) && !s.label));
  // `if (isRetryable(err)) continue; throw err;` goes round again on some failures.
  return exits && !firstOwn(block, (n): n is ts.ContinueStatement => ts.isContinueStatement(n) && !n.label);
}

function identifiersIn(node: ts.Node): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

/** Variables the loop increments or decrements (`attempt++`, `retries -= 1`, `attempt = attempt + 1`). */
function loopCounters(loop: ts.IterationStatement, resolver: Resolver): Set<ts.Symbol> {
  const counters = new Set<ts.Symbol>();
  const visit = (n: ts.Node): void => {
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
        (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) && ts.isIdentifier(n.operand)) {
      const s = resolver.getSymbol(n.operand);
      if (s) counters.add(s);
    }
    if (ts.isBinaryExpression(n) && ts.isIdentifier(n.left) &&
        (n.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken || n.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken ||
         (n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isBinaryExpression(n.right) && identifiersIn(n.right).some((id) => id.text === (n.left as ts.Identifier).text) &&
          (n.right.operatorToken.kind === ts.SyntaxKind.PlusToken || n.right.operatorToken.kind === ts.SyntaxKind.MinusToken)))) {
      const s = resolver.getSymbol(n.left);
      if (s) counters.add(s);
    }
    if (ts.isFunctionLike(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(loop);
  return counters;
}

const COMPARISONS = new Set([
  ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken,
]);

/** A comparison on an attempt counter, or on the clock (a time budget). */
function isCapComparison(node: ts.Node, counters: ReadonlySet<ts.Symbol>, resolver: Resolver): boolean {
  return capComparison(node, counters, resolver) !== undefined;
}

/**
 * `present` when a counter (or the clock) is compared with a bound the code fixes; `unknown` when the
 * bound comes from a parameter or a call (`attempt < maxAttempts`, `attempt >= limitFor(route)`):
 * it could be `Infinity`.
 */
function capComparison(node: ts.Node, counters: ReadonlySet<ts.Symbol>, resolver: Resolver): 'present' | 'unknown' | undefined {
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
    ts.forEachChild(n, visit);
  };
  visit(node);
  return verdict;
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

function mentionsClock(node: ts.Node): boolean {
  return /\b(Date\.now|performance\.now|process\.hrtime)\b|new Date\(\)/.test(node.getText());
}

function loopCap(loop: ts.ForStatement | ts.WhileStatement | ts.DoStatement, attempt: ts.TryStatement, counters: ReadonlySet<ts.Symbol>, resolver: Resolver): CapFact {
  const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
  const retries = attemptsBound(loop);
  const inCondition = condition && capComparison(condition, counters, resolver);
  if (inCondition === 'present') {
    return { state: 'present', detail: `stops after \`${short(condition!)}\``, evidence: condition, retries: retries === undefined ? undefined : retries - 1 };
  }
  // A conditional exit on the counter or the clock anywhere in the loop (`if (attempt >= max) throw err`).
  const exits = allOwn(loop.statement, ts.isIfStatement).filter((s) => exitsIn(s.thenStatement) && capComparison(s.expression, counters, resolver));
  const known = exits.find((s) => capComparison(s.expression, counters, resolver) === 'present');
  if (known) return { state: 'present', detail: `stops when \`${short(known.expression)}\``, evidence: known };
  if (inCondition === 'unknown' || exits[0]) {
    const where = inCondition === 'unknown' ? condition! : exits[0]!.expression;
    return { state: 'unknown', detail: `with a limit (\`${short(where)}\`) that comes from outside this code`, evidence: where };
  }
  const forever = !condition || condition.kind === ts.SyntaxKind.TrueKeyword;
  void attempt;
  return { state: 'absent', detail: forever ? 'with no limit on attempts' : `as long as \`${short(condition)}\`, with no limit on attempts`, evidence: condition };
}

function exitsIn(statement: ts.Statement): boolean {
  if (ts.isThrowStatement(statement) || ts.isReturnStatement(statement) || ts.isBreakStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.some((s) => ts.isThrowStatement(s) || ts.isReturnStatement(s) || ts.isBreakStatement(s));
}

/**
 * Does the counter choose what the operation asks for: in its callee or its first argument (the URL,
 * the target)? Used in a header or a body, it does not change the operation.
 */
function selectsTarget(operation: ts.Expression, counters: ReadonlySet<ts.Symbol>, resolver: Resolver): boolean {
  const call = skipOuterExpressions(ts.isAwaitExpression(operation) ? operation.expression : operation);
  if (!ts.isCallExpression(call)) return usesAny(call, counters, resolver);
  return usesAny(call.expression, counters, resolver) || (!!call.arguments[0] && usesAny(call.arguments[0], counters, resolver));
}

function usesAny(node: ts.Node, symbols: ReadonlySet<ts.Symbol>, resolver: Resolver): boolean {
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

/**
 * The waits between attempts: awaited sleeps anywhere in the loop body except the operation, and
 * waits inside a same-file helper awaited on the failure path (`await handleError(e)`). Another
 * awaited call there that we cannot see into makes the delay unknown, never "nothing".
 */
function delayOf(loop: ts.IterationStatement, attempt: ts.TryStatement, operation: ts.AwaitExpression, context: DelayContext): DelayFact {
  const waits: ts.Expression[] = [];
  let opaque: ts.Expression | undefined;
  for (const a of allOwn(loop.statement, ts.isAwaitExpression)) {
    if (a === operation || (a.pos >= operation.pos && a.end <= operation.end)) continue;
    const ms = sleepArgument(a.expression, context.resolver);
    if (ms) {
      waits.push(ms);
      continue;
    }
    const inFailurePath = attempt.catchClause && a.pos >= attempt.catchClause.pos && a.end <= attempt.catchClause.end;
    if (!inFailurePath) continue;
    const helper = helperWaits(a.expression, context.resolver);
    if (helper === undefined) opaque ??= a.expression;
    else waits.push(...helper);
  }
  if (waits.length === 0 && opaque) return { kind: 'unknown', jitter: 'unknown', detail: `awaits \`${short(opaque)}\` between attempts, which may or may not wait`, evidence: opaque };
  return delayFromWaits(waits, context);
}

/** The waits inside a same-file function awaited on the failure path; undefined when it cannot be seen. */
function helperWaits(expression: ts.Expression, resolver: Resolver): ts.Expression[] | undefined {
  const call = skipOuterExpressions(expression);
  if (!ts.isCallExpression(call)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  const symbol = ts.isIdentifier(callee) ? resolver.getSymbol(callee) : ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword ? resolver.getSymbol(callee.name) : undefined;
  const decl = symbol?.valueDeclaration;
  const fn = decl && (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl) ? decl
    : ts.isVariableDeclaration(decl) && decl.initializer && (ts.isArrowFunction(skipOuterExpressions(decl.initializer)) || ts.isFunctionExpression(skipOuterExpressions(decl.initializer))) ? skipOuterExpressions(decl.initializer) as ts.ArrowFunction : undefined);
  if (!fn || !fn.body || fn.getSourceFile().isDeclarationFile) return undefined;
  const waits = allOwnDeep(fn.body, ts.isAwaitExpression).map((a) => sleepArgument(a.expression, resolver)).filter((x): x is ts.Expression => !!x);
  // A helper with no wait at all (it only logs) adds nothing; one we could not read is unknown.
  return waits;
}

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

const SLEEP_NAME = /^(sleep|delay|wait|pause|backoff|snooze|timeout|setTimeoutPromise|waitFor(Ms)?|sleepMs|delayMs)$/i;

function isGlobalTimer(callee: ts.Expression, resolver: Resolver): boolean {
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

function operationOf(awaited: ts.AwaitExpression): ts.Expression {
  return skipOuterExpressions(awaited.expression);
}

function rewritableLoop(loop: ts.ForStatement | ts.WhileStatement | ts.DoStatement, attempt: ts.TryStatement, counters: ReadonlySet<ts.Symbol>, resolver: Resolver): RewritableLoop | undefined {
  const body = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
  if (body.length !== 1 || body[0] !== attempt || attempt.finallyBlock) return undefined;
  const tryStatements = attempt.tryBlock.statements;
  const only = tryStatements[0];
  if (tryStatements.length !== 1 || !only || !ts.isReturnStatement(only) || !only.expression) return undefined;
  const returned = skipOuterExpressions(only.expression);
  const operation = ts.isAwaitExpression(returned) ? returned.expression : returned;
  if (identifiersIn(operation).some((id) => { const s = resolver.getSymbol(id); return !!s && counters.has(s); })) return undefined;
  // The catch may only hold the cap check and the wait.
  const errorName = attempt.catchClause?.variableDeclaration?.name;
  for (const statement of attempt.catchClause!.block.statements) {
    const isCapCheck = ts.isIfStatement(statement) && !statement.elseStatement && exitsIn(statement.thenStatement) && isCapComparison(statement.expression, counters, resolver) &&
      (ts.isThrowStatement(statement.thenStatement) || (ts.isBlock(statement.thenStatement) && statement.thenStatement.statements.length === 1 && ts.isThrowStatement(statement.thenStatement.statements[0]!)));
    const isWait = ts.isExpressionStatement(statement) && ts.isAwaitExpression(statement.expression) && !!sleepArgument(statement.expression.expression, resolver);
    if (!isCapCheck && !isWait) return undefined;
  }
  void errorName;
  const maxAttempts = attemptsBound(loop);
  if (maxAttempts === undefined && !ts.isForStatement(loop) && !(ts.isWhileStatement(loop) && loop.expression.kind === ts.SyntaxKind.TrueKeyword)) return undefined;
  const next = nextStatement(loop);
  const trailingThrow = next && ts.isThrowStatement(next) ? next : undefined;
  // The loop must be the last thing that runs: its failure path ends the function.
  if (next && !trailingThrow) return undefined;
  return { loop, operation, maxAttempts, trailingThrow };
}

/** `for (let attempt = 0; attempt < 3; attempt++)` / `attempt <= 2` → 3. */
function attemptsBound(loop: ts.IterationStatement): number | undefined {
  if (!ts.isForStatement(loop) || !loop.condition || !loop.initializer || !ts.isVariableDeclarationList(loop.initializer)) return undefined;
  const decl = loop.initializer.declarations[0];
  const start = decl?.initializer && ts.isNumericLiteral(decl.initializer) ? Number(decl.initializer.text) : undefined;
  const cond = loop.condition;
  if (start === undefined || !ts.isBinaryExpression(cond)) return undefined;
  const limit = numericValue(cond.right);
  if (limit === undefined) return undefined;
  if (cond.operatorToken.kind === ts.SyntaxKind.LessThanToken) return limit - start;
  if (cond.operatorToken.kind === ts.SyntaxKind.LessThanEqualsToken) return limit - start + 1;
  return undefined;
}

/** A numeric literal, directly or through a `const` (`attempt < MAX_ATTEMPTS`). */
function numericValue(node: ts.Expression): number | undefined {
  const bare = skipOuterExpressions(node);
  if (ts.isNumericLiteral(bare)) return Number(bare.text);
  if (ts.isIdentifier(bare)) {
    const decl = bare.getSourceFile().statements.flatMap((s) => (ts.isVariableStatement(s) && (s.declarationList.flags & ts.NodeFlags.Const) ? [...s.declarationList.declarations] : []))
      .find((d) => ts.isIdentifier(d.name) && d.name.text === bare.text);
    if (decl?.initializer && ts.isNumericLiteral(skipOuterExpressions(decl.initializer))) return Number((skipOuterExpressions(decl.initializer) as ts.NumericLiteral).text);
  }
  return undefined;
}

function nextStatement(statement: ts.Statement): ts.Statement | undefined {
  const parent = statement.parent;
  if (!ts.isBlock(parent) && !ts.isSourceFile(parent)) return undefined;
  const list = parent.statements;
  return list[list.indexOf(statement) + 1];
}

// ---------------------------------------------------------------- calls: recursion, catch chains, timers

function callScope(call: ts.CallExpression, resolver: Resolver): RetryScope | undefined {
  return catchChainScope(call, resolver) ?? recursionScope(call, resolver) ?? timerScope(call, resolver);
}

/** The function `node` is in, and its symbol (declarations, `const f = () => …`, methods). */
function enclosingFunction(node: ts.Node, resolver: Resolver): { fn: ts.FunctionLikeDeclaration; symbol: ts.Symbol } | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) {
      const symbol = n.name && resolver.checker.getSymbolAtLocation(n.name);
      if (symbol) return { fn: n, symbol };
    }
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name)) {
      const symbol = resolver.checker.getSymbolAtLocation(n.parent.name);
      if (symbol) return { fn: n, symbol };
    }
  }
  return undefined;
}

function calleeSymbol(call: ts.CallExpression, resolver: Resolver): ts.Symbol | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return resolver.getSymbol(callee);
  if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) return resolver.getSymbol(callee.name);
  return undefined;
}

/** Is `node` inside a catch block, or inside a `.catch(handler)` / `.then(_, handler)` handler, within `fn`? */
function failurePath(node: ts.Node, fn: ts.Node): ts.Node | undefined {
  for (let n: ts.Node | undefined = node.parent; n && n !== fn; n = n.parent) {
    if (ts.isCatchClause(n)) return n.block;
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isCallExpression(n.parent)) {
      const name = getStaticMemberName(skipOuterExpressions(n.parent.expression));
      const index = n.parent.arguments.indexOf(n);
      if ((name === 'catch' && index === 0) || (name === 'then' && index === 1)) return n;
    }
  }
  return undefined;
}

function recursionScope(call: ts.CallExpression, resolver: Resolver): RetryScope | undefined {
  const owner = enclosingFunction(call, resolver);
  if (!owner || calleeSymbol(call, resolver) !== owner.symbol) return undefined;
  // `setTimeout(() => again(n + 1), ms)`: the timer scope's, not a direct recursion.
  if (isTimerCallback(call, resolver)) return undefined;
  const path = failurePath(call, owner.fn);
  if (!path) return undefined;
  const { counters: params, growth } = parameterRoles(owner.fn, call, resolver);
  // Failover: `lookup({ index: index + 1 })` with `fetch(servers[index])` asks a different target each time.
  const tryOp = owner.fn.body && allOwnDeep(owner.fn.body, ts.isTryStatement)[0];
  const op = tryOp && allOwn(tryOp.tryBlock, ts.isAwaitExpression).find((a) => !sleepArgument(a.expression, resolver));
  if (op && selectsTarget(op.expression, params, resolver)) return undefined;
  const context: DelayContext = { resolver, counters: params, growth, scope: owner.fn };
  const waits = allOwnDeep(path, ts.isAwaitExpression).filter((a) => a.end <= call.getStart()).map((a) => sleepArgument(a.expression, resolver)).filter((x): x is ts.Expression => !!x);
  return {
    kind: 'recursion',
    node: call,
    start: call.getStart(),
    end: call.end,
    subject: `\`${functionName(owner.fn)}\`, which calls itself again when it fails,`,
    delay: delayFromWaits(waits, context),
    cap: recursionCap(owner.fn, call, params, resolver),
    regions: owner.fn.body ? [owner.fn.body] : [],
  };
}

function allOwnDeep<T extends ts.Node>(node: ts.Node, test: (n: ts.Node) => n is T): T[] {
  const out: T[] = [];
  const visit = (n: ts.Node): void => {
    if (test(n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

/**
 * What each parameter is to the recursion: a counter (passed on as `attempt + 1`), or the delay itself
 * (passed on as `delayMs * 2`: exponential, `delayMs + 500`: linear).
 */
function parameterRoles(fn: ts.FunctionLikeDeclaration, call: ts.CallExpression, resolver: Resolver): { counters: Set<ts.Symbol>; growth: Map<ts.Symbol, DelayKind> } {
  const counters = new Set<ts.Symbol>();
  const growth = new Map<ts.Symbol, DelayKind>();
  // Counters anywhere in the recursive call's arguments (`{ ...options, retryCount: retryCount + 1 }`),
  // and counters bumped as a statement, then passed on (`retries++; return again(retries)`).
  for (const arg of call.arguments) {
    for (const n of [arg, ...descendants(arg)]) {
      if (ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.PlusToken || n.operatorToken.kind === ts.SyntaxKind.MinusToken) &&
          ts.isIdentifier(skipOuterExpressions(n.left)) && ts.isNumericLiteral(skipOuterExpressions(n.right))) {
        const s = resolver.getSymbol(skipOuterExpressions(n.left));
        if (s) counters.add(s);
      }
      if (ts.isIdentifier(n) && fn.body) {
        const s = resolver.getSymbol(n);
        const bumped = s && allOwnDeep(fn.body, (x): x is ts.PrefixUnaryExpression | ts.PostfixUnaryExpression =>
          (ts.isPrefixUnaryExpression(x) || ts.isPostfixUnaryExpression(x)) && (x.operator === ts.SyntaxKind.PlusPlusToken || x.operator === ts.SyntaxKind.MinusMinusToken) &&
          ts.isIdentifier(x.operand) && resolver.getSymbol(x.operand) === s).length > 0;
        if (s && bumped) counters.add(s);
      }
    }
  }
  fn.parameters.forEach((param, index) => {
    const symbol = resolver.checker.getSymbolAtLocation(param.name);
    const arg = call.arguments[index];
    if (!symbol || !arg) return;
    const text = arg.getText().replace(/\s+/g, '');
    const name = param.name.getText();
    const self = new RegExp(`\\b${name}\\b`);
    if (!self.test(text)) return;
    if (new RegExp(`(\\b${name}\\*|\\*${name}\\b|\\*\\*)`).test(text)) growth.set(symbol, 'exponential');
    else if (/^[\w$]+[+-]1$|^(\+\+|--)/.test(text) || /[+-]1\b/.test(text)) counters.add(symbol);
    else if (/[+-]/.test(text)) growth.set(symbol, 'linear');
  });
  return { counters, growth };
}

/** A parameter passed on changed (`attempt + 1`, `retries - 1`) and compared somewhere with an exit. */
function descendants(node: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    out.push(n);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(node, visit);
  return out;
}

function recursionCap(fn: ts.FunctionLikeDeclaration, call: ts.CallExpression, params: ReadonlySet<ts.Symbol>, resolver: Resolver): CapFact {
  // A time budget carried through the calls (`if (Date.now() - startedAt > budget) throw`).
  const clock = fn.body && allOwnDeep(fn.body, ts.isIfStatement).find((s) => mentionsClock(s.expression) && exitsIn(s.thenStatement));
  if (clock) return { state: 'present', detail: `stops when \`${short(clock.expression)}\``, evidence: clock };
  const changed = new Set<ts.Symbol>(params);
  for (const arg of call.arguments) {
    const bare = skipOuterExpressions(arg);
    if (ts.isBinaryExpression(bare) && (bare.operatorToken.kind === ts.SyntaxKind.PlusToken || bare.operatorToken.kind === ts.SyntaxKind.MinusToken)) {
      for (const id of identifiersIn(bare)) {
        const s = resolver.getSymbol(id);
        if (s && params.has(s)) changed.add(s);
      }
    }
    if ((ts.isPrefixUnaryExpression(bare) || ts.isPostfixUnaryExpression(bare)) && ts.isIdentifier(bare.operand)) {
      const s = resolver.getSymbol(bare.operand);
      if (s && params.has(s)) changed.add(s);
    }
  }
  if (fn.body && changed.size > 0) {
    const guard = allOwnDeep(fn.body, ts.isIfStatement).find((s) => isCapComparison(s.expression, changed, resolver) && exitsIn(s.thenStatement)) ??
      allOwnDeep(fn.body, ts.isConditionalExpression).find((c) => isCapComparison(c.condition, changed, resolver));
    if (guard) {
      const condition = ts.isIfStatement(guard) ? guard.expression : guard.condition;
      const state = capComparison(condition, changed, resolver) === 'present' ? 'present' : 'unknown';
      return { state, detail: state === 'present' ? `stops when \`${short(condition)}\`` : `with a limit (\`${short(condition)}\`) that comes from outside this code`, evidence: guard };
    }
  }
  return { state: 'absent', detail: 'with no limit on attempts (nothing counts the calls)' };
}

function functionName(fn: ts.FunctionLikeDeclaration): string {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return 'the function';
}

/** `op().catch(() => op())`: the same call again when it fails. */
function catchChainScope(call: ts.CallExpression, resolver: Resolver): RetryScope | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'catch') return undefined;
  const original = skipOuterExpressions(callee.expression);
  const handler = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  if (!ts.isCallExpression(original) || !handler || !(ts.isArrowFunction(handler) || ts.isFunctionExpression(handler))) return undefined;
  const again = allOwnDeep(handler.body, ts.isCallExpression).find((c) => sameCall(c, original));
  if (!again) return undefined;
  // Recursion through `.catch(() => sameFunction())` is the recursion scope's, not this one's.
  const owner = enclosingFunction(call, resolver);
  if (owner && calleeSymbol(again, resolver) === owner.symbol) return undefined;
  // `await sleep(ms)` or `sleep(ms).then(() => op())`.
  const waits = allOwnDeep(handler.body, ts.isCallExpression).filter((c) => c.getStart() < again.getStart()).map((c) => sleepArgument(c, resolver)).filter((x): x is ts.Expression => !!x);
  return {
    kind: 'catch-chain',
    node: call,
    start: callee.name.getStart(),
    end: call.end,
    subject: `\`.catch()\` retrying \`${short(original)}\``,
    delay: delayFromWaits(waits, { resolver, counters: new Set(), scope: handler }),
    cap: { state: 'present', detail: 'once', retries: 1 },
    regions: [original],
    statement: enclosingStatement(call),
  };
}

function sameCall(a: ts.CallExpression, b: ts.CallExpression): boolean {
  const norm = (n: ts.Node) => n.getText().replace(/\s+/g, '');
  return norm(a) === norm(b);
}

/** `setTimeout(again, ms)` from the failure path of `again`: re-scheduling itself after a failure. */
function timerScope(call: ts.CallExpression, resolver: Resolver): RetryScope | undefined {
  if (!isGlobalTimer(call.expression, resolver)) return undefined;
  const owner = enclosingFunction(call, resolver);
  const target = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  if (!owner || !target) return undefined;
  const reschedules =
    (ts.isIdentifier(target) && resolver.getSymbol(target) === owner.symbol) ||
    ((ts.isArrowFunction(target) || ts.isFunctionExpression(target)) && allOwnDeep(target.body, ts.isCallExpression).some((c) => calleeSymbol(c, resolver) === owner.symbol));
  if (!reschedules || !failurePath(call, owner.fn)) return undefined;
  const params = new Set(owner.fn.parameters.map((p) => resolver.checker.getSymbolAtLocation(p.name)).filter((s): s is ts.Symbol => !!s));
  const ms = call.arguments[1];
  const context: DelayContext = { resolver, counters: params, scope: owner.fn };
  const delay = ms ? delayFromWaits([ms], context) : { kind: 'none' as const, jitter: 'absent' as const, detail: 'waits nothing between attempts' };
  const again = ts.isArrowFunction(target) || ts.isFunctionExpression(target) ? allOwnDeep(target.body, ts.isCallExpression).find((c) => calleeSymbol(c, resolver) === owner.symbol) : undefined;
  return {
    kind: 'timer',
    node: call,
    start: call.getStart(),
    end: call.end,
    subject: `\`${functionName(owner.fn)}\`, which re-schedules itself with \`setTimeout\` when it fails,`,
    delay,
    cap: again ? recursionCap(owner.fn, again, params, resolver) : { state: 'absent', detail: 'with no limit on attempts (nothing counts the calls)' },
    regions: owner.fn.body ? [owner.fn.body] : [],
  };
}

/** The statement a node is part of (in a block or the file). */
export function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (n.parent && (ts.isBlock(n.parent) || ts.isSourceFile(n.parent) || ts.isModuleBlock(n.parent)) && ts.isStatement(n as ts.Node as ts.Statement)) return n as ts.Statement;
  }
  return undefined;
}

export function short(node: ts.Node): string {
  const text = node.getText().replace(/\s*\n\s*\./g, '.').replace(/\s+/g, ' ');
  return text.length > 48 ? `${text.slice(0, 45)}...` : text;
}

export { hasRandomness, findReferences };
