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
  mentionsClock, retriesOnlyLostRaces, selectsTarget, short, sleepArgument, usesAny, waitsOf, type CapFact, type RetryScope,
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
  if (ts.isBlock(path) && retriesOnlyLostRaces(path, call)) return undefined;
  // `dispatch()` after settling the failed job: a dispatcher taking the next item from its queue.
  if (call.arguments.length === 0 && owner.fn.parameters.length === 0 && takesNextItem(owner.fn, call)) return undefined;
  const { counters: params, growth, invariant } = parameterRoles(owner.fn, call, resolver);
  // Failover: `lookup({ index: index + 1 })` with `fetch(servers[index])` asks a different target each time.
  const tryOp = owner.fn.body && allOwnDeep(owner.fn.body, ts.isTryStatement)[0];
  const op = tryOp && allOwn(tryOp.tryBlock, ts.isAwaitExpression).find((a) => !sleepArgument(a.expression, resolver));
  if (op && selectsTarget(op.expression, params, resolver)) return undefined;
  // `if (cache !== 'reload') return load(url, 'reload')`: the second call cannot recurse again. When
  // what stops it also changes the request (the cache mode), the second call is a fallback, not a retry.
  const once = runsAtMostOnce(owner.fn, call, resolver);
  if (once && op && usesAny(op.expression, once.parameters, resolver)) return undefined;
  // The waits before the call on the failure path, also inside a function awaited there (`await waitForRetry(delay)`).
  const bindings = new Map<ts.Symbol, ts.Expression[]>();
  const waits = allOwnDeep(path, ts.isAwaitExpression).filter((a) => a.end <= call.getStart()).flatMap((a) => waitsOf(a.expression, resolver, bindings) ?? []);
  const context: DelayContext = { resolver, counters: params, growth, invariant, bindings, scope: owner.fn };
  return {
    kind: 'recursion',
    node: call,
    start: call.getStart(),
    end: call.end,
    subject: `\`${functionName(owner.fn)}\`, which calls itself again when it fails,`,
    delay: delayFromWaits(waits, context),
    cap: once ? onceCap(once.guard) : recursionCap(owner.fn, call, params, resolver),
    regions: owner.fn.body ? [owner.fn.body] : [],
  };
}

/** The function takes an item off a queue or list before the failing work (`queue.shift()`, `jobs.pop()`, `q.dequeue()`). */
function takesNextItem(fn: ts.FunctionLikeDeclaration, call: ts.CallExpression): boolean {
  if (!fn.body) return false;
  return allOwnDeep(fn.body, ts.isCallExpression).some((c) => {
    const name = getStaticMemberName(skipOuterExpressions(c.expression));
    return c.end < call.getStart() && c.arguments.length === 0 && (name === 'shift' || name === 'pop' || name === 'dequeue');
  });
}

function onceCap(guard: ts.Expression): CapFact {
  return { state: 'present', retries: 1, detail: `at most once (\`${short(guard)}\` stops the second call)`, evidence: guard };
}

// ---------------------------------------------------------------- at most once

const UNKNOWN = Symbol('unknown');
type Value = unknown;

/**
 * A guard on the way to the recursive call that the call's own arguments turn off: with
 * `load(url, 'reload')`, `if (cache !== 'reload')` is false in the second call, so it cannot recurse
 * again (also `if (retried) throw e;` before the call, with `again(url, true)`). The guard and the
 * parameters it reads, or undefined.
 */
function runsAtMostOnce(fn: ts.FunctionLikeDeclaration, call: ts.CallExpression, resolver: Resolver): { guard: ts.Expression; parameters: Set<ts.Symbol> } | undefined {
  if (!fn.body || call.arguments.some(ts.isSpreadElement)) return undefined;
  // The values the parameters have in the second call, when the call passes literals (or leaves them out).
  const env = new Map<ts.Symbol, Value>();
  fn.parameters.forEach((parameter, index) => {
    if (!ts.isIdentifier(parameter.name) || parameter.dotDotDotToken) return;
    const symbol = resolver.checker.getSymbolAtLocation(parameter.name);
    const argument = call.arguments[index] ?? parameter.initializer;
    const value = argument ? literalValue(argument) : undefined;
    if (symbol && value !== UNKNOWN && !isWritten(symbol, fn.body!, resolver)) env.set(symbol, value);
  });
  if (env.size === 0) return undefined;
  const truth = (condition: ts.Expression): boolean | undefined => truthiness(condition, env, resolver);
  const found = (guard: ts.Expression) => ({ guard, parameters: new Set(identifiersIn(guard).map((id) => resolver.getSymbol(id)).filter((s): s is ts.Symbol => !!s && env.has(s))) });
  for (let child: ts.Node = call, parent = call.parent; parent && child !== fn.body; child = parent, parent = parent.parent) {
    // The branch that holds the call is not taken the second time.
    if (ts.isIfStatement(parent) && child !== parent.expression) {
      if (truth(parent.expression) === (child === parent.elseStatement)) return found(parent.expression);
    }
    if (ts.isConditionalExpression(parent) && child !== parent.condition) {
      if (truth(parent.condition) === (child === parent.whenFalse)) return found(parent.condition);
    }
    if (ts.isBinaryExpression(parent) && parent.right === child && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && truth(parent.left) === false) return found(parent.left);
    // An exit before the call that is taken the second time: `if (retried) throw err;`.
    if (ts.isBlock(parent)) {
      for (const statement of parent.statements.slice(0, parent.statements.indexOf(child as ts.Statement))) {
        if (ts.isIfStatement(statement) && !statement.elseStatement && exitsIn(statement.thenStatement) && truth(statement.expression) === true) return found(statement.expression);
      }
    }
    if (ts.isFunctionLike(parent)) break;
  }
  return undefined;
}

function literalValue(node: ts.Expression): Value {
  const bare = skipOuterExpressions(node);
  if (ts.isStringLiteral(bare) || ts.isNoSubstitutionTemplateLiteral(bare)) return bare.text;
  if (ts.isNumericLiteral(bare)) return Number(bare.text);
  if (bare.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (bare.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (bare.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isIdentifier(bare) && bare.text === 'undefined') return undefined;
  return UNKNOWN;
}

function isWritten(symbol: ts.Symbol, body: ts.Node, resolver: Resolver): boolean {
  return allOwnDeep(body, (n): n is ts.Identifier => ts.isIdentifier(n) && resolver.getSymbol(n) === symbol).some((id) => {
    const parent = id.parent;
    return (ts.isBinaryExpression(parent) && parent.left === id && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) ||
      ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken));
  });
}

/** The value of a condition when the parameters in `env` have the given values; undefined when it depends on anything else. */
function truthiness(node: ts.Expression, env: ReadonlyMap<ts.Symbol, Value>, resolver: Resolver): boolean | undefined {
  const bare = skipOuterExpressions(node);
  if (ts.isPrefixUnaryExpression(bare) && bare.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = truthiness(bare.operand, env, resolver);
    return inner === undefined ? undefined : !inner;
  }
  if (ts.isBinaryExpression(bare)) {
    const op = bare.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
      const left = truthiness(bare.left, env, resolver);
      const right = truthiness(bare.right, env, resolver);
      const and = op === ts.SyntaxKind.AmpersandAmpersandToken;
      if (left === !and || right === !and) return !and;
      return left === undefined || right === undefined ? undefined : and;
    }
  }
  const value = evaluate(bare, env, resolver);
  return value === UNKNOWN ? undefined : Boolean(value);
}

function evaluate(node: ts.Expression, env: ReadonlyMap<ts.Symbol, Value>, resolver: Resolver): Value {
  const bare = skipOuterExpressions(node);
  if (ts.isIdentifier(bare) && bare.text !== 'undefined') {
    const symbol = resolver.getSymbol(bare);
    return symbol && env.has(symbol) ? env.get(symbol) : UNKNOWN;
  }
  if (ts.isBinaryExpression(bare)) {
    const op = bare.operatorToken.kind;
    const equality = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
    const inequality = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    if (!equality && !inequality) return UNKNOWN;
    const left = evaluate(bare.left, env, resolver);
    const right = evaluate(bare.right, env, resolver);
    if (left === UNKNOWN || right === UNKNOWN) return UNKNOWN;
    const strict = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken;
    const same = strict ? left === right : left == right;
    return equality ? same : !same;
  }
  return literalValue(bare);
}

/**
 * What each parameter is to the recursion: a counter (passed on as `attempt + 1`), or the delay itself
 * (passed on as `delayMs * 2`: exponential, `delayMs + 500`: linear).
 */
function parameterRoles(fn: ts.FunctionLikeDeclaration, call: ts.CallExpression, resolver: Resolver): { counters: Set<ts.Symbol>; growth: Map<ts.Symbol, DelayKind>; invariant: Set<ts.Symbol> } {
  const counters = new Set<ts.Symbol>();
  const growth = new Map<ts.Symbol, DelayKind>();
  const invariant = new Set<ts.Symbol>();
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
    if (text === name && ts.isIdentifier(param.name)) {
      if (!counters.has(symbol)) invariant.add(symbol);
      return;
    }
    const self = new RegExp(`\\b${name}\\b`);
    if (!self.test(text)) return;
    if (new RegExp(`(\\b${name}\\*|\\*${name}\\b|\\*\\*)`).test(text)) growth.set(symbol, 'exponential');
    else if (/^[\w$]+[+-]1$|^(\+\+|--)/.test(text) || /[+-]1\b/.test(text)) counters.add(symbol);
    else if (/[+-]/.test(text)) growth.set(symbol, 'linear');
  });
  return { counters, growth, invariant };
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
      allOwnDeep(fn.body, ts.isConditionalExpression).find((c) => isCapComparison(c.condition, changed, resolver)) ??
      enclosingGuard(fn, call, changed, resolver);
    if (guard) {
      const condition = ts.isIfStatement(guard) ? guard.expression : guard.condition;
      const state = capComparison(condition, changed, resolver) === 'present' ? 'present' : 'unknown';
      return { state, detail: state === 'present' ? `stops when \`${short(condition)}\`` : `with a limit (\`${short(condition)}\`) that comes from outside this code`, evidence: guard };
    }
    // `const delay = nextRetryDelay(options, attempt); if (delay) return again(…, attempt + 1);`: a function
    // handed the counter decides when to stop.
    const decided = decidedByCall(fn, call, changed, resolver);
    if (decided) return { state: 'unknown', detail: `with a limit (\`${short(decided)}\`) decided by code that cannot be seen here`, evidence: decided };
  }
  return { state: 'absent', detail: 'with no limit on attempts (nothing counts the calls)' };
}

/** A guard on the way to the call (around it, or an exit before it) that depends on a call given the counter. */
function decidedByCall(fn: ts.FunctionLikeDeclaration, call: ts.CallExpression, counters: ReadonlySet<ts.Symbol>, resolver: Resolver): ts.Expression | undefined {
  const givenCounter = (node: ts.Node): boolean =>
    allOwnDeep(node, ts.isCallExpression).some((c) => c.arguments.some((a) => identifiersIn(a).some((id) => { const s = resolver.getSymbol(id); return !!s && counters.has(s); })));
  const depends = (condition: ts.Expression): boolean => givenCounter(condition) || identifiersIn(condition).some((id) => {
    const decl = resolver.getSymbol(id)?.valueDeclaration;
    return !!decl && ts.isVariableDeclaration(decl) && !!decl.initializer && decl.pos >= fn.pos && decl.end <= fn.end && givenCounter(decl.initializer);
  });
  for (let child: ts.Node = call, parent = call.parent; parent && parent !== fn; child = parent, parent = parent.parent) {
    if (ts.isIfStatement(parent) && child !== parent.expression && depends(parent.expression)) return parent.expression;
    if (ts.isConditionalExpression(parent) && child !== parent.condition && depends(parent.condition)) return parent.condition;
    if (ts.isBlock(parent)) {
      const before = parent.statements.slice(0, parent.statements.indexOf(child as ts.Statement));
      const exit = before.find((s): s is ts.IfStatement => ts.isIfStatement(s) && exitsIn(s.thenStatement) && depends(s.expression));
      if (exit) return exit.expression;
    }
  }
  return undefined;
}

/** `if (n > 0) setTimeout(() => again(n - 1), ms); else reject(err);`: the call only runs while the counter allows it. */
function enclosingGuard(fn: ts.FunctionLikeDeclaration, call: ts.CallExpression, counters: ReadonlySet<ts.Symbol>, resolver: Resolver): ts.IfStatement | undefined {
  for (let child: ts.Node = call, parent = call.parent; parent && parent !== fn; child = parent, parent = parent.parent) {
    if (ts.isIfStatement(parent) && child !== parent.expression && isCapComparison(parent.expression, counters, resolver)) return parent;
  }
  return undefined;
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
  // `await sleep(ms)` or `sleep(ms).then(() => op())`; also a function of this file awaited (or chained with `.then`) that waits.
  const bindings = new Map<ts.Symbol, ts.Expression[]>();
  const waits = allOwnDeep(handler.body, ts.isCallExpression).filter((c) => c.getStart() < again.getStart()).flatMap((c) => {
    const ms = sleepArgument(c, resolver);
    if (ms) return [ms];
    const chained = c.end <= again.getStart() && (ts.isAwaitExpression(c.parent) || (ts.isPropertyAccessExpression(c.parent) && c.parent.name.text === 'then'));
    return chained ? waitsOf(c, resolver, bindings) ?? [] : [];
  });
  return {
    kind: 'catch-chain',
    node: call,
    start: callee.name.getStart(),
    end: call.end,
    subject: `\`.catch()\` retrying \`${short(original)}\``,
    delay: delayFromWaits(waits, { resolver, counters: new Set(), bindings, scope: handler }),
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
  const again = ts.isArrowFunction(target) || ts.isFunctionExpression(target) ? allOwnDeep(target.body, ts.isCallExpression).find((c) => calleeSymbol(c, resolver) === owner.symbol) : undefined;
  // What each parameter is to the next call: `attempt + 1` counts, `retryTimer` passed on unchanged is the same every time.
  const roles = again ? parameterRoles(owner.fn, again, resolver) : undefined;
  const params = roles?.counters ?? new Set<ts.Symbol>();
  const ms = call.arguments[1];
  const context: DelayContext = { resolver, counters: params, growth: roles?.growth, invariant: roles?.invariant, scope: owner.fn };
  const delay = ms ? delayFromWaits([ms], context) : { kind: 'none' as const, jitter: 'absent' as const, detail: 'waits nothing between attempts' };
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
