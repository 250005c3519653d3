/**
 * Retry loops: a `for`/`while`/`do` loop whose `try` awaits an operation and goes round again on
 * failure, with its delay, its cap, and the shape the codemod can rewrite into `retry(...)`.
 */
import ts from 'typescript';
import type { DelayContext } from './delay.ts';
import { skipOuterExpressions, type Resolver } from './resolve.ts';
import {
  allOwn, allOwnDeep, capComparison, delayFromWaits, exitsIn, identifiersIn, isCapComparison, selectsTarget, short, sleepArgument,
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
