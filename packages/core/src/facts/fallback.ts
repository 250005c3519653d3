/**
 * Fallbacks: whether the caller handles a call's failure (or its breaker's rejection) instead of
 * passing it on. A `catch` that does not rethrow, a `.catch(handler)` or `.then(_, handler)` on the
 * promise, a `fallback` policy (ours, cockatiel's inside `wrap`), or an opossum breaker with a
 * `.fallback(…)` registered: graceful degradation, the caller answers something when the dependency
 * cannot.
 *
 * Read within the function that makes the call (and through the guard it runs in): a caller of that
 * function that catches is not seen, so `absent` means "not handled where the call is made".
 */
import ts from 'typescript';
import type { DependencyGuard } from './dependency-guards.ts';
import { fallbackPolicies, policyCombinators } from '../catalogue/index.ts';
import { policyDefinition, propertyName, resolveObjectLiteral } from './network-calls.ts';
import { isModuleExport, skipOuterExpressions, type Resolver } from './resolve.ts';

export interface FallbackFact {
  readonly state: 'present' | 'absent';
  /** The handler: a catch clause, a `.catch` call, a fallback option or policy. */
  readonly node?: ts.Node | undefined;
}

export function findFallback(call: ts.Node, guard: DependencyGuard | undefined, resolver: Resolver): FallbackFact {
  if (guard) {
    const policy = guardFallback(guard, resolver);
    if (policy) return { state: 'present', node: policy };
  }
  // From the guard's call when there is one (its rejection is what the caller sees), else the call.
  const handler = handlerAround(guard && ts.isCallExpression(guard.node) ? guard.node : call) ?? (guard ? handlerAround(call) : undefined);
  return handler ? { state: 'present', node: handler } : { state: 'absent' };
}

/** The nearest handler of `node`'s failure within its function, crossing only callbacks handed to a guard. */
function handlerAround(node: ts.Node): ts.Node | undefined {
  let child = node;
  for (let parent = node.parent; parent && !ts.isSourceFile(parent); child = parent, parent = parent.parent) {
    if (ts.isFunctionLike(parent)) return undefined;
    if (ts.isTryStatement(parent) && parent.tryBlock === child && parent.catchClause && !alwaysThrows(parent.catchClause.block)) return parent.catchClause;
    // `promise.catch(handler)`, `promise.then(ok, handler)` where `promise` holds the call.
    if (ts.isPropertyAccessExpression(parent) && parent.expression === child && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
      const name = parent.name.text;
      const handlerArg = name === 'catch' ? parent.parent.arguments[0] : name === 'then' ? parent.parent.arguments[1] : undefined;
      if (handlerArg && !handlerRethrows(handlerArg)) return parent.parent;
    }
  }
  return undefined;
}

/** A block whose every path ends in `throw` (a catch that logs and rethrows is not a fallback). */
function alwaysThrows(block: ts.Block): boolean {
  const last = block.statements.at(-1);
  if (!last) return false;
  if (ts.isThrowStatement(last)) return true;
  if (ts.isIfStatement(last)) return !!last.elseStatement && branchThrows(last.thenStatement) && branchThrows(last.elseStatement);
  return false;
}

function branchThrows(statement: ts.Statement): boolean {
  return ts.isThrowStatement(statement) || (ts.isBlock(statement) && alwaysThrows(statement));
}

function handlerRethrows(handler: ts.Expression): boolean {
  const fn = skipOuterExpressions(handler);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  if (ts.isBlock(fn.body)) return alwaysThrows(fn.body);
  // `(e) => Promise.reject(e)`
  const body = skipOuterExpressions(fn.body);
  return ts.isCallExpression(body) && ts.isPropertyAccessExpression(body.expression) && body.expression.name.text === 'reject';
}

/** A fallback in the guard itself: `policy({ fallback })`, cockatiel `wrap(fallback(…), …)`, opossum `breaker.fallback(…)`. */
function guardFallback(guard: DependencyGuard, resolver: Resolver): ts.Node | undefined {
  const node = guard.node;
  if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return undefined;
  // opossum: `const breaker = new CircuitBreaker(fn); breaker.fallback(() => …)`.
  if (ts.isNewExpression(node)) return opossumFallback(node, resolver);
  const callee = skipOuterExpressions(node.expression);
  const receiver = ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
  return receiver ? policyFallback(receiver, resolver, 0) : undefined;
}

/** The fallback a policy expression holds: a fallback policy (the catalogue's), or one inside a combinator (`wrap(…)`). */
function policyFallback(expression: ts.Expression, resolver: Resolver, start: number): ts.Node | undefined {
  const found = policyDefinition(expression, resolver, start, 6);
  if (!found) return undefined;
  const { call: node, depth } = found;
  const origin = resolver.resolve(node.expression);
  for (const policy of fallbackPolicies) {
    if (!isModuleExport(origin, policy.module, policy.name)) continue;
    if (policy.option === undefined) return node;
    const options = node.arguments[0] && resolveObjectLiteral(node.arguments[0], resolver);
    return options?.properties.find((p) => p.name && propertyName(p.name) === policy.option);
  }
  if (policyCombinators.some((c) => isModuleExport(origin, c.module, c.name))) {
    for (const arg of node.arguments) {
      const inner = policyFallback(arg, resolver, depth + 1);
      if (inner) return inner;
    }
  }
  return undefined;
}

function opossumFallback(node: ts.NewExpression, resolver: Resolver): ts.Node | undefined {
  let holder: ts.Node = node;
  while (ts.isParenthesizedExpression(holder.parent) || ts.isAsExpression(holder.parent)) holder = holder.parent;
  const decl = holder.parent;
  const name = ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) ? decl.name
    : ts.isPropertyDeclaration(decl) && ts.isIdentifier(decl.name) ? decl.name
      : ts.isBinaryExpression(decl) && ts.isPropertyAccessExpression(decl.left) ? decl.left.name : undefined;
  if (!name) return undefined;
  const symbol = resolver.getSymbol(name);
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'fallback') {
      const target = skipOuterExpressions(n.expression.expression);
      const id = ts.isPropertyAccessExpression(target) ? target.name : target;
      if (ts.isIdentifier(id) && id.text === name.text && (!symbol || resolver.getSymbol(id) === symbol)) found = n;
    }
    ts.forEachChild(n, visit);
  };
  visit(node.getSourceFile());
  return found;
}
