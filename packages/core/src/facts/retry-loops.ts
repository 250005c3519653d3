/**
 * Retry loops: a `for`/`while`/`do` loop whose `try` awaits an operation and goes round again on
 * failure, with its delay, its cap, and the shape the codemod can rewrite into `retry(...)`.
 */
import ts from 'typescript';
import type { DelayContext } from './delay.ts';
import { skipOuterExpressions, type Resolver } from './resolve.ts';
import {
  allOwn, capComparison, retriesOnlyLostRaces, delayFromAlternativeWaits, exitsIn, identifiersIn, isCapComparison, selectsTarget, short, sleepArgument, usesAny, waitsOf,
  type CapFact, type DelayFact, type RetryScope, type RewritableLoop,
} from './retry.ts';

export function loopScope(loop: ts.ForStatement | ts.WhileStatement | ts.DoStatement, resolver: Resolver): RetryScope | undefined {
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
  // Re-reading and writing again after a lost race (a version conflict, a duplicate key) is not a
  // retry of a failing dependency.
  if (retriesOnlyLostRaces(attempt.catchClause.block)) return undefined;

  const counters = loopCounters(loop, resolver);
  const bindings = new Map<ts.Symbol, ts.Expression[]>();
  const context: DelayContext = { resolver, counters, bindings, scope: loop };
  const operation = operationOf(awaited);
  // `fetch(`…?id=${i}`)`, `servers[i]`: each round asks something different (a search, a failover).
  if (selectsTarget(operation, counters, resolver)) return undefined;
  // A batch loop that logs a failed batch and goes on with the next one is not a retry.
  if (advancesCursor(loop, attempt, operation, resolver) || drainsBatches(attempt, awaited, resolver)) return undefined;
  const delay = delayOf(loop, attempt, awaited, context, bindings);
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

/**
 * `query(sql, [limit, offset])` with `offset += limit` outside the catch (`cursor = page.next`): every
 * round asks for other rows, whether the last round failed or not.
 */
function advancesCursor(loop: ts.IterationStatement, attempt: ts.TryStatement, operation: ts.Expression, resolver: Resolver): boolean {
  const cursors = new Set<ts.Symbol>();
  const visit = (n: ts.Node): void => {
    if (n === attempt.catchClause || ts.isFunctionLike(n)) return;
    if (ts.isBinaryExpression(n) && ts.isIdentifier(n.left) && isCursorStep(n)) {
      const s = resolver.getSymbol(n.left);
      if (s) cursors.add(s);
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(loop, visit);
  return cursors.size > 0 && usesAny(operation, cursors, resolver);
}

/** `offset += batchSize`, `offset = offset + rows.length`, `cursor = page.next`: not a step of 1 (an attempt counter). */
function isCursorStep(write: ts.BinaryExpression): boolean {
  const op = write.operatorToken.kind;
  const unit = (e: ts.Expression) => { const bare = skipOuterExpressions(e); return ts.isNumericLiteral(bare) && bare.text === '1'; };
  if (op === ts.SyntaxKind.PlusEqualsToken || op === ts.SyntaxKind.MinusEqualsToken) return !unit(write.right);
  if (op !== ts.SyntaxKind.EqualsToken) return false;
  const value = skipOuterExpressions(write.right);
  if (ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value)) return true;
  const name = (write.left as ts.Identifier).text;
  return ts.isBinaryExpression(value) && (value.operatorToken.kind === ts.SyntaxKind.PlusToken || value.operatorToken.kind === ts.SyntaxKind.MinusToken) &&
    ts.isIdentifier(skipOuterExpressions(value.left)) && (skipOuterExpressions(value.left) as ts.Identifier).text === name && !unit(value.right);
}

const BATCH_NAME = /batch|limit|page|size|chunk/i;

/**
 * `const updated = await processBatch(); if (updated < BATCH_SIZE) break; …` with the try going round
 * after a success: the loop works through batches until they run out (`rows.length === 0`), and a
 * failed round moves on to the next one.
 */
function drainsBatches(attempt: ts.TryStatement, awaited: ts.AwaitExpression, resolver: Resolver): boolean {
  const last = attempt.tryBlock.statements.at(-1);
  if (!last || ts.isReturnStatement(last) || ts.isThrowStatement(last) || ts.isBreakStatement(last)) return false;
  const holder = awaited.parent;
  if (!ts.isVariableDeclaration(holder) || holder.initializer !== awaited || !ts.isIdentifier(holder.name)) return false;
  const result = resolver.checker.getSymbolAtLocation(holder.name);
  if (!result) return false;
  const isResult = (e: ts.Expression) => { const bare = skipOuterExpressions(e); return ts.isIdentifier(bare) && resolver.getSymbol(bare) === result; };
  const isSize = (e: ts.Expression) => {
    const bare = skipOuterExpressions(e);
    return ts.isPropertyAccessExpression(bare) && /^(length|size|count|rowCount)$/.test(bare.name.text) && isResult(bare.expression);
  };
  const isBatchBound = (e: ts.Expression) => {
    const bare = skipOuterExpressions(e);
    return (ts.isNumericLiteral(bare) && bare.text === '0') || (ts.isIdentifier(bare) && BATCH_NAME.test(bare.text)) || (ts.isPropertyAccessExpression(bare) && BATCH_NAME.test(bare.name.text));
  };
  const isDrained = (condition: ts.Expression): boolean => {
    const bare = skipOuterExpressions(condition);
    if (ts.isPrefixUnaryExpression(bare) && bare.operator === ts.SyntaxKind.ExclamationToken) return isSize(bare.operand);
    if (!ts.isBinaryExpression(bare)) return false;
    const op = bare.operatorToken.kind;
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken) return isDrained(bare.left) || isDrained(bare.right);
    const relational = [ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(op);
    if (!relational) return false;
    return ((isSize(bare.left) || isResult(bare.left)) && isBatchBound(bare.right)) || ((isSize(bare.right) || isResult(bare.right)) && isBatchBound(bare.left));
  };
  return allOwn(attempt.tryBlock, ts.isIfStatement).some((s) => exitsIn(s.thenStatement) && isDrained(s.expression));
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

/** Variables the loop increments or decrements (`attempt++`, `retries -= 1`, `attempt = attempt + 1`). */
export function loopCounters(loop: ts.IterationStatement, resolver: Resolver): Set<ts.Symbol> {
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
  // `if (timeouts++ < 3) continue; … throw err;`: every way round passes its own counter check.
  const guarded = guardedContinues(loop, attempt, counters, resolver);
  if (guarded?.state === 'present') return { state: 'present', detail: `goes round only when \`${short(guarded.guards[0]!)}\` allows it`, evidence: guarded.guards[0] };
  if (inCondition === 'unknown' || exits[0] || guarded) {
    const where = inCondition === 'unknown' ? condition! : exits[0] ? exits[0].expression : guarded!.guards[0]!;
    return { state: 'unknown', detail: `with a limit (\`${short(where)}\`) that comes from outside this code`, evidence: where };
  }
  // `const retriesRemaining = state.get(key)?.retriesRemaining ?? 0; if (!retriesRemaining) throw err;`:
  // a count read afresh every round, kept by code elsewhere.
  const kept = allOwn(loop.statement, ts.isIfStatement).find((s) => exitsIn(s.thenStatement) && identifiersIn(s.expression).some((id) => isCountReadEachRound(id, loop, resolver)));
  if (kept) return { state: 'unknown', detail: `with a limit (\`${short(kept.expression)}\`) counted outside this loop`, evidence: kept.expression };
  const forever = !condition || condition.kind === ts.SyntaxKind.TrueKeyword;
  void attempt;
  return { state: 'absent', detail: forever ? 'with no limit on attempts' : `as long as \`${short(condition)}\`, with no limit on attempts`, evidence: condition };
}

const KEPT_COUNT_NAME = /remaining|left|attempt|retr(y|ies)|tries/i;

function isCountReadEachRound(id: ts.Identifier, loop: ts.IterationStatement, resolver: Resolver): boolean {
  if (!KEPT_COUNT_NAME.test(id.text)) return false;
  const decl = resolver.getSymbol(id)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || decl.pos < loop.statement.pos || decl.end > loop.statement.end) return false;
  const init = skipOuterExpressions(decl.initializer);
  return !ts.isNumericLiteral(init) && !ts.isPrefixUnaryExpression(init);
}

/**
 * A catch that leaves the loop when it falls through (`throw err` last), after a try that leaves on
 * success: the only way round is a `continue`. When each is under an `if` that checks a counter, the loop is capped.
 */
function guardedContinues(loop: ts.IterationStatement, attempt: ts.TryStatement, counters: ReadonlySet<ts.Symbol>, resolver: Resolver): { state: 'present' | 'unknown'; guards: ts.Expression[] } | undefined {
  const body = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
  const leaves = (s: ts.Statement | undefined) => !!s && (ts.isThrowStatement(s) || ts.isReturnStatement(s) || (ts.isBreakStatement(s) && !s.label));
  if (body.at(-1) !== attempt || !leaves(attempt.catchClause?.block.statements.at(-1)) || !leaves(attempt.tryBlock.statements.at(-1))) return undefined;
  const continues: ts.ContinueStatement[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isContinueStatement(n)) continues.push(n);
    if (ts.isFunctionLike(n) || ts.isClassLike(n) || ts.isIterationStatement(n, false)) return;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(loop.statement, visit);
  if (continues.length === 0 || continues.some((c) => c.label)) return undefined;
  const guards: ts.Expression[] = [];
  let state: 'present' | 'unknown' = 'present';
  for (const statement of continues) {
    let verdict: 'present' | 'unknown' | undefined;
    for (let child: ts.Node = statement, parent = statement.parent; parent !== loop && !verdict; child = parent, parent = parent.parent) {
      if (ts.isIfStatement(parent) && parent.thenStatement === child) {
        verdict = capComparison(parent.expression, counters, resolver);
        if (verdict) guards.push(parent.expression);
      }
    }
    if (!verdict) return undefined;
    if (verdict === 'unknown') state = 'unknown';
  }
  return { state, guards };
}

/**
 * The waits between attempts: awaited sleeps anywhere in the loop body except the operation, and
 * waits inside a same-file helper awaited on the failure path (`await handleError(e)`). Another
 * awaited call there that we cannot see into makes the delay unknown, never "nothing".
 */
function delayOf(loop: ts.IterationStatement, attempt: ts.TryStatement, operation: ts.AwaitExpression, context: DelayContext, bindings: Map<ts.Symbol, ts.Expression[]>): DelayFact {
  const waits: ts.Expression[] = [];
  let opaque: ts.Expression | undefined;
  for (const a of allOwn(loop.statement, ts.isAwaitExpression)) {
    if (a === operation || (a.pos >= operation.pos && a.end <= operation.end)) continue;
    const ms = sleepArgument(a.expression, context.resolver);
    if (ms) {
      waits.push(ms);
      continue;
    }
    // What the try awaits besides the operation is more work, not a wait.
    if (a.pos >= attempt.tryBlock.pos && a.end <= attempt.tryBlock.end) continue;
    // A function of this program that waits (`await this.waitForRetry(delay)`), or a callback that does
    // (`await tracer.startActiveSpan('wait', async () => { await sleep(ms) })`). A helper with no wait
    // at all (it only logs) adds nothing; one we could not read is unknown on the failure path.
    const inner = waitsOf(a.expression, context.resolver, bindings);
    const inFailurePath = attempt.catchClause && a.pos >= attempt.catchClause.pos && a.end <= attempt.catchClause.end;
    if (inner) waits.push(...inner);
    else if (inFailurePath) opaque ??= a.expression;
  }
  if (waits.length === 0 && opaque) return { kind: 'unknown', jitter: 'unknown', detail: `awaits \`${short(opaque)}\` between attempts, which may or may not wait`, evidence: opaque };
  return delayFromAlternativeWaits(waits, loop, context);
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
