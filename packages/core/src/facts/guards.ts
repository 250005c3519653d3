/**
 * Timeout guards: a call made inside `withTimeout(ms, fn)`, a cockatiel `timeout(...).execute(fn)`
 * (directly or through `wrap`), or passed as the promise of `pTimeout(promise, …)` is bounded.
 */
import ts from 'typescript';
import { policyCombinators, timeoutGuards } from '../catalogue/index.ts';
import type { TimeoutGuardEntry } from '../catalogue/types.ts';
import { normalizedPath, registerCataloguedModule, samePath, skipOuterExpressions, type Origin, type Resolver } from './resolve.ts';
import { constInitializer } from './network-calls.ts';

for (const guard of timeoutGuards) registerCataloguedModule(guard.module);
for (const combinator of policyCombinators) registerCataloguedModule(combinator.module);

function isModuleExport(origin: Origin, module: string, name: string): boolean {
  if (origin.kind !== 'module' || origin.module !== module) return false;
  const path = name === 'default' ? origin.path : normalizedPath(origin);
  return name === 'default' ? samePath(path, ['default']) || samePath(path, []) : samePath(path, [name]);
}

export function findTimeoutGuard(call: ts.Node, resolver: Resolver): { name: string; node: ts.Node } | undefined {
  let child: ts.Node = call;
  for (let parent = call.parent; parent && !ts.isSourceFile(parent); child = parent, parent = parent.parent) {
    if (!ts.isCallExpression(parent)) continue;
    const index = parent.arguments.indexOf(child as ts.Expression);
    if (index < 0) continue;
    const origin = resolver.resolve(parent.expression);
    for (const guard of timeoutGuards) {
      if (guardMatches(guard, origin, parent, index, child, resolver)) return { name: guard.displayName, node: parent };
    }
  }
  return undefined;
}

function guardMatches(guard: TimeoutGuardEntry, origin: Origin, call: ts.CallExpression, index: number, argument: ts.Node, resolver: Resolver): boolean {
  switch (guard.kind) {
    case 'callback':
      return index === guard.argument && isFunction(argument) && isModuleExport(origin, guard.module, guard.name);
    case 'promise':
      return index === guard.argument && isModuleExport(origin, guard.module, guard.name);
    case 'policy-execute': {
      if (index !== 0 || !isFunction(argument)) return false;
      const callee = skipOuterExpressions(call.expression);
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'execute') return false;
      return isTimeoutPolicy(callee.expression, guard, resolver, 0);
    }
  }
}

function isFunction(node: ts.Node): boolean {
  const inner = ts.isExpression(node) ? skipOuterExpressions(node) : node;
  return ts.isArrowFunction(inner) || ts.isFunctionExpression(inner);
}

/** `timeout(ms, …)`, `wrap(retry, timeout(ms))`, or a const holding either. */
function isTimeoutPolicy(expression: ts.Expression, guard: TimeoutGuardEntry, resolver: Resolver, depth: number): boolean {
  if (depth > 8) return false;
  const node = skipOuterExpressions(expression);
  if (ts.isIdentifier(node)) {
    const init = constInitializer(node, resolver);
    return !!init && isTimeoutPolicy(init, guard, resolver, depth + 1);
  }
  if (!ts.isCallExpression(node)) return false;
  const origin = resolver.resolve(node.expression);
  if (isModuleExport(origin, guard.module, guard.name)) return true;
  if (policyCombinators.some((c) => c.module === guard.module && isModuleExport(origin, c.module, c.name))) {
    return node.arguments.some((a) => isTimeoutPolicy(a, guard, resolver, depth + 1));
  }
  return false;
}
