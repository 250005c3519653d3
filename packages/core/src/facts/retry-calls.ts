/**
 * Retries by calls: a function that calls itself again on failure (recursion), `op().catch(() => op())`,
 * and a function that re-schedules itself with `setTimeout` from its failure path.
 */
import ts from 'typescript';
import type { DelayKind } from '../catalogue/types.ts';
import type { DelayContext } from './delay.ts';
import { isTimerCallback } from './references.ts';
import { getStaticMemberName, skipOuterExpressions, type Resolver } from './resolve.ts';
import {
  allOwn, allOwnDeep, capComparison, delayFromWaits, enclosingStatement, exitsIn, identifiersIn, isCapComparison, isGlobalTimer,
  mentionsClock, selectsTarget, short, sleepArgument, type CapFact, type RetryScope,
} from './retry.ts';

export function callScope(call: ts.CallExpression, resolver: Resolver): RetryScope | undefined {
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

/** Every node under `node`, at any depth (not `node` itself). */
function descendants(node: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    out.push(n);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(node, visit);
  return out;
}

/** A parameter passed on changed (`attempt + 1`, `retries - 1`) and compared somewhere with an exit. */
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
