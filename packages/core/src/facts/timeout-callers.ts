/**
 * Judging a call by its function's callers, across the program: a wrapper with no deadline whose every
 * caller runs it under a guard is bounded; a wrapper that forwards its callers' options or signal is
 * judged by what they pass, and reported here, in the wrapper, when one passes no deadline.
 */
import ts from 'typescript';
import { findTimeoutGuard } from './guards.ts';
import { propertyName } from './network-calls.ts';
import { calleeDeclaration, enclosingFunction, functionName } from './program-index.ts';
import { skipOuterExpressions, type Resolver } from './resolve.ts';
import { evaluateOptions, evaluateSignal, toFact, type CallInfo, type TimeoutFact } from './timeout.ts';

/** Callers looked at per function, at most (a name called from thousands of places is not a wrapper). */
const MAX_CALLERS = 200;

/**
 * A call in a function whose callers decide its deadline, judged across the program:
 * - no deadline here, but every caller of the function runs it inside a timeout guard: bounded;
 * - the options (or signal) come from a parameter: bounded if every caller passes a deadline;
 *   if one passes none, it is reported HERE, where one default deadline fixes every caller.
 */
export function refineByCallers(call: CallInfo, fact: TimeoutFact, resolver: Resolver): TimeoutFact {
  const index = resolver.index;
  const inner = enclosingFunction(call.node);
  if (!index || !inner) return fact;
  const here = call.node.getSourceFile();
  if (fact.state === 'absent' && fact.cause === 'none') {
    const callers = callersOf(inner, index);
    if (!callers || callers.length === 0) return fact;
    if (!callers.every((c) => isBoundedByCaller(c, index, new Set([inner]), 0))) return fact;
    return {
      state: 'present',
      cause: 'callers',
      detail: `has no deadline of its own, but every call of \`${functionName(inner)!}\` (${callers.length}) runs under one, e.g. ${index.where(callers[0]!, here)}`,
    };
  }
  if (fact.state !== 'unknown') return fact;
  // The function whose parameter is forwarded: the innermost one, or an outer one whose parameter an
  // inner callback uses (`(url, init) => pRetry(() => fetch(url, init))`).
  const forwarded = forwardedParameter(fact.evidence, call, resolver);
  if (!forwarded) return fact;
  const fn = forwarded.fn;
  const callers = callersOf(fn, index);
  if (!callers || callers.length === 0) return fact;
  const name = functionName(fn)!;
  const missing: ts.CallExpression[] = [];
  let unknown = false;
  for (const caller of callers) {
    if (isBoundedByCaller(caller, index, new Set([fn]), 0)) continue;
    const other = index.resolverFor(caller.getSourceFile());
    const argument = caller.arguments[forwarded.index];
    const state = forwarded.role === 'options'
      ? toFact(evaluateOptions(argument, call.client, other), call.client).state
      : argument ? toFact(evaluateSignal(argument, other), call.client).state : 'absent';
    if (state === 'absent') missing.push(caller);
    else if (state === 'unknown') unknown = true;
  }
  const param = forwarded.name;
  if (missing.length > 0) {
    const shown = missing.slice(0, 3).map((c) => index.where(c, here)).join(', ') + (missing.length > 3 ? ', …' : '');
    return {
      state: 'absent',
      cause: 'forwarded',
      detail: `passes on \`${param}\` from the callers of \`${name}\`, and ${missing.length} of ${callers.length} pass${missing.length === 1 ? 'es' : ''} no deadline (${shown}); a default deadline here covers them all`,
      evidence: forwarded.node,
    };
  }
  if (unknown) return fact;
  return { state: 'present', cause: 'option', detail: `every caller of \`${name}\` (${callers.length}) passes a deadline in \`${param}\``, evidence: forwarded.node };
}

const callerCache = new WeakMap<ts.Node, ts.CallExpression[] | null>();

/** The calls of a function across the program, confirmed through the checker (null: too many to judge). */
function callersOf(fn: ts.SignatureDeclaration, index: NonNullable<Resolver['index']>): ts.CallExpression[] | null {
  const cached = callerCache.get(fn);
  if (cached !== undefined) return cached;
  const name = functionName(fn);
  let result: ts.CallExpression[] | null = [];
  if (name) {
    const candidates = index.callsNamed(name);
    if (candidates.length > MAX_CALLERS) result = null;
    else result = candidates.filter((c) => calleeDeclaration(c, index.resolverFor(c.getSourceFile())) === fn);
  }
  callerCache.set(fn, result);
  return result;
}

/** Is this call of a wrapper run under a deadline: inside a guard, or in a function all of whose callers are? */
function isBoundedByCaller(caller: ts.CallExpression, index: NonNullable<Resolver['index']>, seen: Set<ts.Node>, depth: number): boolean {
  const resolver = index.resolverFor(caller.getSourceFile());
  if (findTimeoutGuard(caller, resolver, false)) return true;
  if (depth >= 3) return false;
  const outer = enclosingFunction(caller);
  if (!outer || seen.has(outer)) return false;
  seen.add(outer);
  const callers = callersOf(outer, index);
  return !!callers && callers.length > 0 && callers.every((c) => isBoundedByCaller(c, index, seen, depth + 1));
}

/** The parameter (of the function that declares it, around the call) the undecided options or signal come from, and how it is used. */
function forwardedParameter(
  evidence: ts.Node | undefined, call: CallInfo, resolver: Resolver,
): { fn: ts.SignatureDeclaration; index: number; name: string; role: 'options' | 'signal'; node: ts.Node } | undefined {
  if (!evidence) return undefined;
  let node: ts.Node = evidence;
  let role: 'options' | 'signal' = 'options';
  if (ts.isSpreadAssignment(node)) {
    // `{ ...init, signal: mine }`: an explicit deadline key next to the spread decides, not the callers.
    const spec = call.client.timeout;
    const keys = new Set([spec.signalOption, ...spec.options.map((o) => o.name)].filter((k): k is string => k !== undefined));
    if (ts.isObjectLiteralExpression(node.parent) && node.parent.properties.some((p) => p !== node && p.name && keys.has(propertyName(p.name) ?? ''))) return undefined;
    node = node.expression;
  }
  else if (ts.isPropertyAssignment(node.parent) && node.parent.initializer === node && propertyName(node.parent.name) === call.client.timeout.signalOption) role = 'signal';
  else if (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node && node.parent.name.text === call.client.timeout.signalOption) role = 'signal';
  else if (!(call.options?.node && skipOuterExpressions(call.options.node) === node)) return undefined;
  node = skipOuterExpressions(node as ts.Expression);
  if (!ts.isIdentifier(node)) return undefined;
  const decl = resolver.getSymbol(node)?.valueDeclaration;
  if (!decl || !ts.isParameter(decl) || !ts.isIdentifier(decl.name) || decl.dotDotDotToken) return undefined;
  const fn = decl.parent;
  if (!ts.isFunctionLike(fn) || !functionName(fn as ts.SignatureDeclaration) || !isAncestor(fn, call.node)) return undefined;
  return { fn: fn as ts.SignatureDeclaration, index: fn.parameters.indexOf(decl), name: decl.name.text, role, node: evidence };
}

function isAncestor(ancestor: ts.Node, node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (n === ancestor) return true;
  return false;
}
