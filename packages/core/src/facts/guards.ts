/**
 * Timeout guards: a call made inside `withTimeout(ms, fn)`, a cockatiel `timeout(...).execute(fn)`
 * (directly or through `wrap`), or passed as the promise of `pTimeout(promise, …)` is bounded.
 * What each guard is, and its caveats (Cooperative, Infinity), is catalogue data.
 */
import ts from 'typescript';
import { policyCombinators, timeoutGuards } from '../catalogue/index.ts';
import type { TimeoutGuardEntry } from '../catalogue/types.ts';
import { isModuleExport, registerCataloguedModule, skipOuterExpressions, getStaticMemberName, type Origin, type Resolver } from './resolve.ts';
import { constInitializer, propertyName, resolveObjectLiteral } from './network-calls.ts';
import { findReferences, usageOf } from './references.ts';
import { userGuardFor } from './extensions.ts';

for (const guard of timeoutGuards) registerCataloguedModule(guard.module);
for (const combinator of policyCombinators) registerCataloguedModule(combinator.module);

export interface GuardMatch {
  readonly name: string;
  readonly node: ts.Node;
}

/**
 * The guard that bounds `call`, if any. `receivesSignal` says whether the call is handed a signal
 * (its options carry one): a cooperative guard bounds only such calls.
 */
export function findTimeoutGuard(call: ts.CallExpression, resolver: Resolver, receivesSignal: boolean, raceCounts = true): GuardMatch | undefined {
  const direct = guardAround(call, resolver, receivesSignal, undefined, raceCounts);
  if (direct) return direct;
  // `const pending = fetch(url); … pTimeout(pending, …)`: the same promise reaches the guard.
  const usage = usageOf(call, resolver);
  if (usage.kind === 'const') {
    for (const ref of findReferences(usage.symbol, call.getSourceFile(), resolver)) {
      const match = guardAround(ref, resolver, receivesSignal, 'promise');
      if (match) return match;
    }
  }
  return undefined;
}

function guardAround(node: ts.Node, resolver: Resolver, receivesSignal: boolean, only?: TimeoutGuardEntry['kind'], raceCounts = true): GuardMatch | undefined {
  let child: ts.Node = node;
  for (let parent = node.parent; parent && !ts.isSourceFile(parent); child = parent, parent = parent.parent) {
    if (!ts.isCallExpression(parent)) continue;
    const index = parent.arguments.indexOf(child as ts.Expression);
    if (index < 0) continue;
    // A race ends the wait but cancels nothing: it bounds the promise raced, not the requests of a
    // function some caller races (they go on, and a fire-and-forget one was never waited for).
    if (raceCounts && (!only || only === 'promise')) {
      const raced = raceGuard(parent, child, resolver);
      if (raced) return raced;
    }
    if (!only && isFunction(child)) {
      const user = userGuardFor(resolver.catalogue?.timeoutGuards, parent, index, resolver);
      if (user) return { name: user.specifier.name, node: parent };
    }
    const origin = resolver.resolve(parent.expression);
    for (const guard of timeoutGuards) {
      if (only && guard.kind !== only) continue;
      if (guardMatches(guard, origin, parent, index, child, resolver, receivesSignal)) return { name: guard.displayName, node: parent };
    }
  }
  return undefined;
}

/**
 * `Promise.race([fetch(url), timeout(30_000)])`: the wait ends when a timer promise settles (the request
 * itself is abandoned, not cancelled). A timer promise is a `new Promise` whose executor starts a timer,
 * `setTimeout(ms)` from `node:timers/promises`, or a function of ours that returns one.
 */
function raceGuard(call: ts.CallExpression, argument: ts.Node, resolver: Resolver): GuardMatch | undefined {
  const list = skipOuterExpressions(argument as ts.Expression);
  if (call.arguments[0] !== argument || !ts.isArrayLiteralExpression(list)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  if (getStaticMemberName(callee) !== 'race' || !ts.isPropertyAccessExpression(callee)) return undefined;
  const origin = resolver.resolve(callee.expression);
  if (origin.kind !== 'global' || origin.path.join('.') !== 'Promise') return undefined;
  const timer = list.elements.find((e) => isTimerPromise(e, resolver, 0));
  return timer ? { name: `Promise.race with \`${timer.getText().slice(0, 40)}\``, node: call } : undefined;
}

const TIMER_NAMES = new Set(['setTimeout']);

function isTimerPromise(expression: ts.Expression, resolver: Resolver, depth: number): boolean {
  if (depth > 3) return false;
  const node = skipOuterExpressions(expression);
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Promise') {
    const executor = node.arguments?.[0];
    return !!executor && startsTimer(executor, resolver);
  }
  if (ts.isIdentifier(node)) {
    const init = constInitializer(node, resolver);
    return !!init && isTimerPromise(init, resolver, depth + 1);
  }
  if (!ts.isCallExpression(node)) return false;
  const origin = resolver.resolve(node.expression);
  // `setTimeout(ms)` from node:timers/promises resolves after ms.
  if (origin.kind === 'module' && origin.module === 'timers/promises' && origin.path.at(-1) === 'setTimeout') return true;
  // `.then(() => { throw … })` on a timer promise.
  const callee = skipOuterExpressions(node.expression);
  if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'then' || callee.name.text === 'catch' || callee.name.text === 'finally')) {
    return isTimerPromise(callee.expression, resolver, depth + 1);
  }
  const fn = functionOf(callee, resolver);
  if (!fn?.body) return false;
  if (!ts.isBlock(fn.body)) return isTimerPromise(fn.body, resolver, depth + 1);
  const returns: ts.ReturnStatement[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n)) returns.push(n);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return returns.length > 0 && returns.every((r) => !!r.expression && isTimerPromise(r.expression, resolver, depth + 1));
}

function startsTimer(executor: ts.Node, resolver: Resolver): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      const origin = resolver.resolve(n.expression);
      if (origin.kind === 'global' && origin.path.length === 1 && TIMER_NAMES.has(origin.path[0]!)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(executor);
  return found;
}

/** The function a callee names: a declaration or a `const f = () => …`, in this file or (with a program) imported. */
function functionOf(callee: ts.Expression, resolver: Resolver): ts.FunctionLikeDeclaration | undefined {
  if (!ts.isIdentifier(callee)) return undefined;
  let symbol = resolver.getSymbol(callee);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias && resolver.typeAware) {
    try {
      symbol = resolver.checker.getAliasedSymbol(symbol);
    } catch {
      return undefined;
    }
  }
  const decl = symbol?.valueDeclaration;
  if (!decl || decl.getSourceFile().isDeclarationFile) return undefined;
  if (ts.isFunctionDeclaration(decl)) return decl;
  if (ts.isVariableDeclaration(decl) && decl.initializer) {
    const init = skipOuterExpressions(decl.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return undefined;
}

function guardMatches(
  guard: TimeoutGuardEntry, origin: Origin, call: ts.CallExpression, index: number, argument: ts.Node, resolver: Resolver, receivesSignal: boolean,
): boolean {
  switch (guard.kind) {
    case 'callback':
      return index === guard.argument && isFunction(argument) && isModuleExport(origin, guard.module, guard.name) && hasDeadline(guard, call, resolver);
    case 'promise':
      return index === guard.argument && isModuleExport(origin, guard.module, guard.name) && hasDeadline(guard, call, resolver);
    case 'policy-execute': {
      if (index !== 0 || !isFunction(argument)) return false;
      const callee = skipOuterExpressions(call.expression);
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'execute') return false;
      const factory = findPolicyFactory(callee.expression, guard, resolver, 0);
      if (!factory || !hasDeadline(guard, factory, resolver)) return false;
      return receivesSignal || !isCooperative(guard, factory);
    }
  }
}

function isFunction(node: ts.Node): boolean {
  const inner = ts.isExpression(node) ? skipOuterExpressions(node) : node;
  return ts.isArrowFunction(inner) || ts.isFunctionExpression(inner);
}

/** False when the deadline is literally `Infinity`. */
function hasDeadline(guard: TimeoutGuardEntry, call: ts.CallExpression, resolver: Resolver): boolean {
  if (!guard.deadline) return true;
  let value: ts.Expression | undefined = call.arguments[guard.deadline.argument];
  if (value && guard.deadline.property) {
    const object = resolveObjectLiteral(value, resolver);
    const prop = object?.properties.find((p) => p.name && propertyName(p.name) === guard.deadline?.property);
    value = prop && ts.isPropertyAssignment(prop) ? prop.initializer : undefined;
  }
  if (!value) return guard.deadline.required !== true;
  const bare = skipOuterExpressions(value);
  const infinite = (ts.isIdentifier(bare) && bare.text === 'Infinity') || getStaticMemberName(bare) === 'POSITIVE_INFINITY';
  return !infinite;
}

function isCooperative(guard: TimeoutGuardEntry, factory: ts.CallExpression): boolean {
  if (!guard.cooperative) return false;
  const strategy = factory.arguments[guard.cooperative.argument];
  if (!strategy) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if ((ts.isPropertyAccessExpression(node) && node.name.text === guard.cooperative?.member) || (ts.isStringLiteral(node) && node.text === 'optimistic')) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(strategy);
  return found;
}

/** The guard's factory call in `timeout(ms, …)`, `wrap(retry, timeout(ms))`, or a const holding either. */
function findPolicyFactory(expression: ts.Expression, guard: TimeoutGuardEntry, resolver: Resolver, depth: number): ts.CallExpression | undefined {
  if (depth > 8) return undefined;
  const node = skipOuterExpressions(expression);
  if (ts.isIdentifier(node)) {
    const init = constInitializer(node, resolver);
    return init ? findPolicyFactory(init, guard, resolver, depth + 1) : undefined;
  }
  if (!ts.isCallExpression(node)) return undefined;
  const origin = resolver.resolve(node.expression);
  if (isModuleExport(origin, guard.module, guard.name)) return node;
  if (policyCombinators.some((c) => c.module === guard.module && isModuleExport(origin, c.module, c.name))) {
    for (const arg of node.arguments) {
      const found = findPolicyFactory(arg, guard, resolver, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}
