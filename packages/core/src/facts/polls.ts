/**
 * Polls: a loop that asks a dependency for a state again and again until the answer changes
 * (`do { status = await getStatus(id) } while (status.active)`). A poll at a fixed interval within a
 * deadline is fine; one with no wait at all hammers the dependency (require-backoff), and one with no
 * deadline waits forever for a state that may never come (no-unbounded-retry). Loops that consume
 * (read a stream, take the next job, page through results) are not polls.
 */
import ts from 'typescript';
import { getStaticMemberName, skipOuterExpressions, type Resolver } from './resolve.ts';
import { loopCounters } from './retry-loops.ts';
import { allOwn, capComparison, delayFromWaits, identifiersIn, mentionsClock, short, sleepArgument, type CapFact, type RetryScope } from './retry.ts';

/** Calls that consume rather than ask: each round gets the next item, chunk or message. */
const CONSUMERS = /^(read|readLine|next|receive|recv|pop|shift|dequeue|take|consume|fetchNext|getNext|nextJob|poll|claim|lease|accept|waitFor\w*|listen)$/i;

export function pollScope(loop: ts.WhileStatement | ts.DoStatement | ts.ForStatement, resolver: Resolver): RetryScope | undefined {
  const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
  // The syntactic tests first: the symbols below are looked up only for a loop that could be a poll.
  const awaited = allOwn(loop.statement, ts.isAwaitExpression);
  if (awaited.length === 0) return undefined;
  // Anything that handles failures (a try) is the retry detector's business; a poll only asks.
  if (allOwn(loop.statement, ts.isTryStatement).length > 0) return undefined;
  // A poll ends on its answer: some condition that ends the loop must name a variable.
  const exits = exitConditions(loop, condition);
  if (!exits.some((e) => identifiersIn(e).length > 0)) return undefined;
  const sleeps = awaited.map((a) => sleepArgument(a.expression, resolver));
  const waits = sleeps.filter((w): w is ts.Expression => !!w);
  const asks = awaited.filter((_, i) => !sleeps[i]);
  if (asks.length === 0) return undefined;
  if (asks.some((a) => consumes(a.expression) || writes(a.expression))) return undefined;
  // The answer: variables written from what the loop awaits (and values derived from them in the loop).
  const results = resultSymbols(loop, asks, resolver);
  if (results.size === 0) return undefined;
  const decides = exits.some((e) => identifiersIn(e).some((id) => { const s = resolver.getSymbol(id); return !!s && results.has(s); }));
  if (!decides) return undefined;
  // The request changes every round (a cursor, an offset, the parent of the last answer, a redirect):
  // paging or walking, not polling. A poll asks the same question each time.
  const written = writtenInLoop(loop, resolver);
  if (asks.some((a) => !invariant(a, loop, written, resolver))) return undefined;
  const counters = loopCounters(loop, resolver);
  const cap = pollCap(loop, exits, counters, resolver);
  const operation = skipOuterExpressions(asks[0]!.expression);
  const delay = waits.length === 0
    ? { kind: 'none' as const, jitter: 'absent' as const, detail: 'waits nothing between polls' }
    : delayFromWaits(waits, { resolver, counters, bindings: new Map(), scope: loop });
  const start = loop.getStart();
  const end = ts.isDoStatement(loop) ? start + 2 : loop.getSourceFile().text.lastIndexOf(')', loop.statement.getStart()) + 1;
  return {
    kind: 'poll',
    node: loop,
    start,
    end,
    subject: `this loop, which polls \`${short(operation)}\` until the answer changes,`,
    delay,
    cap,
    regions: [],
    statement: loop,
  };
}

/** Work rather than a question: a poll reads a state; a loop of writes drains or migrates in batches. */
const WRITES = /^(\$?execute\w*|exec|run|delete\w*|remove\w*|update\w*|upsert\w*|insert\w*|create\w*|save\w*|send\w*|write\w*|put|post|patch|process\w*|flush|drain|purge|clean\w*|migrate\w*|backfill\w*|archive\w*|sync\w*|import\w*|export\w*|publish\w*|enqueue\w*|push)$/i;

function writes(expression: ts.Expression): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) || ts.isTaggedTemplateExpression(n)) {
      const callee = skipOuterExpressions(ts.isCallExpression(n) ? n.expression : n.tag);
      const name = getStaticMemberName(callee) ?? (ts.isIdentifier(callee) ? callee.text : undefined);
      if (name !== undefined && WRITES.test(name)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(expression);
  return found;
}

function consumes(expression: ts.Expression): boolean {
  let node = skipOuterExpressions(expression);
  // `Promise.all(queues.map((q) => status(q)))`: judged by what it maps.
  while (ts.isCallExpression(node)) {
    const name = getStaticMemberName(skipOuterExpressions(node.expression)) ?? (ts.isIdentifier(node.expression) ? node.expression.text : undefined);
    if (name !== undefined && CONSUMERS.test(name)) return true;
    const inner = node.expression;
    if (!ts.isPropertyAccessExpression(inner) || !ts.isCallExpression(skipOuterExpressions(inner.expression))) return false;
    node = skipOuterExpressions(inner.expression) as ts.CallExpression;
  }
  return false;
}

function resultSymbols(loop: ts.IterationStatement, asks: readonly ts.AwaitExpression[], resolver: Resolver): Set<ts.Symbol> {
  const out = new Set<ts.Symbol>();
  const holds = (value: ts.Node): boolean =>
    asks.some((a) => value.getStart() <= a.getStart() && a.end <= value.end) ||
    identifiersIn(value).some((id) => { const s = resolver.getSymbol(id); return !!s && out.has(s); });
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && n.initializer && holds(n.initializer)) {
      for (const id of identifiersIn(n.name)) { const s = resolver.getSymbol(id); if (s) out.add(s); }
    }
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && holds(n.right)) {
      for (const id of identifiersIn(n.left)) { const s = resolver.getSymbol(id); if (s) out.add(s); }
    }
    ts.forEachChild(n, visit);
  };
  // Twice, so a value derived from a result later in the body counts (`active = statuses.find(…)`).
  visit(loop.statement);
  visit(loop.statement);
  return out;
}

/** The conditions that end the loop: its own condition, and `if (…) break/return` in its body. */
function exitConditions(loop: ts.IterationStatement, condition: ts.Expression | undefined): ts.Expression[] {
  const out: ts.Expression[] = [];
  if (condition && condition.kind !== ts.SyntaxKind.TrueKeyword) out.push(condition);
  for (const statement of allOwn(loop.statement, ts.isIfStatement)) {
    const then = statement.thenStatement;
    const last = ts.isBlock(then) ? then.statements.at(-1) : then;
    if (last && (ts.isReturnStatement(last) || ts.isThrowStatement(last) || (ts.isBreakStatement(last) && !last.label))) out.push(statement.expression);
  }
  return out;
}

function writtenInLoop(loop: ts.IterationStatement, resolver: Resolver): Set<ts.Symbol> {
  const out = new Set<ts.Symbol>();
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      // `cursor = next`, and `current.parentId = parent.parentId` (the object the next ask reads).
      let target = skipOuterExpressions(n.left);
      while (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) target = skipOuterExpressions(target.expression);
      const s = ts.isIdentifier(target) ? resolver.getSymbol(target) : undefined;
      if (s) out.add(s);
    }
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && ts.isIdentifier(n.operand)) {
      const s = resolver.getSymbol(n.operand);
      if (s) out.add(s);
    }
    if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  visit(loop);
  return out;
}

/** Every value the ask reads is declared outside the loop and not written in it (callback parameters aside). */
function invariant(ask: ts.AwaitExpression, loop: ts.IterationStatement, written: ReadonlySet<ts.Symbol>, resolver: Resolver): boolean {
  for (const id of identifiersIn(ask.expression)) {
    if (ts.isPropertyAccessExpression(id.parent) && id.parent.name === id) continue;
    const symbol = resolver.getSymbol(id);
    if (!symbol) continue;
    if (written.has(symbol)) return false;
    const decl = symbol.valueDeclaration;
    if (!decl || decl.getSourceFile() !== loop.getSourceFile()) continue;
    const inLoop = decl.getStart() >= loop.statement.getStart() && decl.end <= loop.statement.end;
    const inAsk = decl.getStart() >= ask.getStart() && decl.end <= ask.end;
    if (inLoop && !inAsk) return false;
  }
  return true;
}

/** A counter or the clock compared with a bound (directly or through a value computed from it), or an abort signal: a deadline. */
function pollCap(loop: ts.IterationStatement, exits: readonly ts.Expression[], counters: ReadonlySet<ts.Symbol>, resolver: Resolver): CapFact {
  for (const exit of exits) {
    const verdict = capComparison(exit, counters, resolver);
    const fromClock = identifiersIn(exit).some((id) => {
      const decl = resolver.getSymbol(id)?.valueDeclaration;
      return !!decl && ts.isVariableDeclaration(decl) && !!decl.initializer && mentionsClock(decl.initializer);
    });
    if (verdict === 'present' || fromClock || mentionsClock(exit) || /\b(aborted|deadline|timedOut|expired)\b/i.test(exit.getText())) {
      return { state: 'present', detail: `stops at \`${short(exit)}\``, evidence: exit };
    }
    if (verdict === 'unknown') return { state: 'unknown', detail: `stops at \`${short(exit)}\`, whose bound cannot be read here`, evidence: exit };
  }
  // An abort signal handed to the waits or the asks ends the loop from outside.
  if (/\b(signal|abortSignal|AbortSignal)\b/.test(loop.statement.getText())) return { state: 'unknown', detail: 'until an abort signal ends it, which cannot be seen here' };
  return { state: 'absent', detail: 'with no deadline (nothing bounds the rounds or the time)' };
}
