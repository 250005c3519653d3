/**
 * Judging a call by its function's callers, across the program: a wrapper with no deadline whose every
 * caller runs it under a guard is bounded; a wrapper that forwards its callers' options or signal is
 * judged by what they pass, and reported here, in the wrapper, when one passes no deadline.
 */
import ts from 'typescript';
import { findTimeoutGuard } from './guards.ts';
import { propertyName, resolveObjectLiteral } from './network-calls.ts';
import { findReferences } from './references.ts';
import { callersOf, enclosingFunction, functionName } from './program-index.ts';
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
    const callers = callersOf(inner, index, { max: MAX_CALLERS });
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
  const callers = callersOf(fn, index, { max: MAX_CALLERS });
  if (!callers || callers.length === 0) return fact;
  const name = functionName(fn)!;
  const missing: ts.CallExpression[] = [];
  let unknown = false;
  for (const caller of callers) {
    if (isBoundedByCaller(caller, index, new Set([fn]), 0)) continue;
    const other = index.resolverFor(caller.getSourceFile());
    const argument = caller.arguments[forwarded.index];
    // `request(url, { timeout: 5_000 })` where the wrapper turns its own `timeout` into a signal.
    if (forwarded.extraKeys.length > 0 && argument && setsAnyKey(argument, forwarded.extraKeys, other)) continue;
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
      detail: `passes on \`${param}\` from the callers of \`${name}\`, and ${missing.length} of ${callers.length} pass${missing.length === 1 ? 'es' : ''} no deadline${forwarded.extraKeys.length > 0 ? ` (neither ${forwarded.extraKeys.map((k) => `\`${k}\``).join(' nor ')} nor a signal)` : ''} (${shown}); a default deadline here covers them all`,
      evidence: forwarded.node,
    };
  }
  if (unknown) return fact;
  return { state: 'present', cause: 'option', detail: `every caller of \`${name}\` (${callers.length}) passes a deadline in \`${param}\``, evidence: forwarded.node };
}

/** Is this call of a wrapper run under a deadline: inside a guard, or in a function all of whose callers are? */
function isBoundedByCaller(caller: ts.CallExpression, index: NonNullable<Resolver['index']>, seen: Set<ts.Node>, depth: number): boolean {
  const resolver = index.resolverFor(caller.getSourceFile());
  if (findTimeoutGuard(caller, resolver, false, false)) return true;
  if (depth >= 3) return false;
  const outer = enclosingFunction(caller);
  if (!outer || seen.has(outer)) return false;
  seen.add(outer);
  const callers = callersOf(outer, index, { max: MAX_CALLERS });
  return !!callers && callers.length > 0 && callers.every((c) => isBoundedByCaller(c, index, seen, depth + 1));
}

/** The parameter (of the function that declares it, around the call) the undecided options or signal come from, and how it is used. */
function forwardedParameter(
  evidence: ts.Node | undefined, call: CallInfo, resolver: Resolver,
): { fn: ts.SignatureDeclaration; index: number; name: string; role: 'options' | 'signal'; node: ts.Node; extraKeys: readonly string[] } | undefined {
  if (!evidence) return undefined;
  let node: ts.Node = evidence;
  let role: 'options' | 'signal' = 'options';
  let explicit: ts.ObjectLiteralElementLike[] = [];
  if (ts.isSpreadAssignment(node)) {
    // `{ ...init, signal: mine }`: an explicit deadline key next to the spread decides, not the callers,
    // unless it too comes from the same parameter (`signal: controller?.signal ?? rest.signal`).
    const spec = call.client.timeout;
    const keys = new Set([spec.signalOption, ...spec.options.map((o) => o.name)].filter((k): k is string => k !== undefined));
    if (ts.isObjectLiteralExpression(node.parent)) explicit = node.parent.properties.filter((p) => p !== node && !!p.name && keys.has(propertyName(p.name) ?? ''));
    node = node.expression;
  }
  else if (ts.isPropertyAssignment(node.parent) && node.parent.initializer === node && propertyName(node.parent.name) === call.client.timeout.signalOption) role = 'signal';
  else if (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node && node.parent.name.text === call.client.timeout.signalOption) role = 'signal';
  else if (!(call.options?.node && skipOuterExpressions(call.options.node) === node)) return undefined;
  node = skipOuterExpressions(node as ts.Expression);
  if (!ts.isIdentifier(node)) return undefined;
  const decl = parameterBehind(resolver.getSymbol(node)?.valueDeclaration, resolver);
  if (!decl || !ts.isParameter(decl) || !ts.isIdentifier(decl.name) || decl.dotDotDotToken) return undefined;
  const fn = decl.parent;
  if (!ts.isFunctionLike(fn) || !functionName(fn as ts.SignatureDeclaration) || !isAncestor(fn, call.node)) return undefined;
  const bindings = parameterBindings(decl, fn as ts.SignatureDeclaration, resolver);
  if (explicit.length > 0 && !explicit.every((p) => ts.isPropertyAssignment(p) && derivedFrom(p.initializer, bindings.symbols, resolver))) return undefined;
  return { fn: fn as ts.SignatureDeclaration, index: fn.parameters.indexOf(decl), name: decl.name.text, role, node: evidence, extraKeys: bindings.deadlineKeys };
}

/** `const { timeout, ...rest } = init ?? {}`: `rest` stands for the parameter `init`. */
function parameterBehind(decl: ts.Declaration | undefined, resolver: Resolver): ts.Declaration | undefined {
  if (!decl || !ts.isBindingElement(decl) || !decl.dotDotDotToken || !ts.isObjectBindingPattern(decl.parent)) return decl;
  const holder = decl.parent.parent;
  if (!ts.isVariableDeclaration(holder) || !holder.initializer) return undefined;
  const source = withoutFallback(holder.initializer);
  if (!ts.isIdentifier(source)) return undefined;
  const behind = resolver.getSymbol(source)?.valueDeclaration;
  return behind && ts.isParameter(behind) ? behind : undefined;
}

/** `init ?? {}`, `init || {}` → `init`. */
function withoutFallback(expression: ts.Expression): ts.Expression {
  const bare = skipOuterExpressions(expression);
  if (ts.isBinaryExpression(bare) && (bare.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || bare.operatorToken.kind === ts.SyntaxKind.BarBarToken) &&
      ts.isObjectLiteralExpression(skipOuterExpressions(bare.right))) {
    return skipOuterExpressions(bare.left);
  }
  return bare;
}

/**
 * What a wrapper makes of its options parameter: every value destructured from it (and controllers
 * created because of one), and the keys it turns into a deadline (`timeout` passed to `setTimeout` or
 * `AbortSignal.timeout`): a caller that sets one of them is bounded.
 */
function parameterBindings(param: ts.ParameterDeclaration, fn: ts.SignatureDeclaration, resolver: Resolver): { symbols: Set<ts.Symbol>; deadlineKeys: string[] } {
  const symbols = new Set<ts.Symbol>();
  const deadlineKeys: string[] = [];
  const own = resolver.getSymbol(param.name);
  if (own) symbols.add(own);
  const keyBindings = new Map<ts.Symbol, string>();
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return { symbols, deadlineKeys };
  const declarations: ts.VariableDeclaration[] = [];
  const collect = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node)) declarations.push(node);
    if (node !== body && ts.isFunctionLike(node)) return;
    ts.forEachChild(node, collect);
  };
  collect(body);
  for (const decl of declarations) {
    if (!ts.isObjectBindingPattern(decl.name) || !decl.initializer) continue;
    const source = withoutFallback(decl.initializer);
    if (!ts.isIdentifier(source) || !own || resolver.getSymbol(source) !== own) continue;
    for (const element of decl.name.elements) {
      const symbol = ts.isIdentifier(element.name) ? resolver.getSymbol(element.name) : undefined;
      if (!symbol) continue;
      symbols.add(symbol);
      const key = element.propertyName ? propertyName(element.propertyName) : ts.isIdentifier(element.name) ? element.name.text : undefined;
      if (!element.dotDotDotToken && key !== undefined) keyBindings.set(symbol, key);
    }
  }
  // A key is a deadline when its value reaches a timer or `AbortSignal.timeout`.
  for (const [symbol, key] of keyBindings) {
    const used = findReferences(symbol, param.getSourceFile(), resolver).some((ref) => isTimerDelay(ref, resolver));
    if (used) deadlineKeys.push(key);
  }
  // `const controller = timeout ? new AbortController() : undefined`: it stands for the parameter too.
  for (const decl of declarations) {
    if (!ts.isIdentifier(decl.name) || !decl.initializer || !mentionsNew(decl.initializer, 'AbortController')) continue;
    const symbol = resolver.getSymbol(decl.name);
    if (symbol) symbols.add(symbol);
  }
  return { symbols, deadlineKeys };
}

/** `setTimeout(fn, timeout)`, `AbortSignal.timeout(timeout)`. */
function isTimerDelay(ref: ts.Identifier, resolver: Resolver): boolean {
  const call = ref.parent;
  if (!ts.isCallExpression(call)) return false;
  const origin = resolver.resolve(call.expression);
  if (origin.kind !== 'global') return false;
  const name = origin.path.join('.');
  return (name === 'setTimeout' && call.arguments[1] === ref) || (name === 'AbortSignal.timeout' && call.arguments[0] === ref);
}

function mentionsNew(node: ts.Node, name: string): boolean {
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) return true;
  return ts.forEachChild(node, (child) => mentionsNew(child, name) || undefined) ?? false;
}

/** Every value `expression` reads comes from these symbols (`controller?.signal ?? rest.signal`). */
function derivedFrom(expression: ts.Expression, symbols: ReadonlySet<ts.Symbol>, resolver: Resolver): boolean {
  let ok = true;
  let any = false;
  const visit = (node: ts.Node): void => {
    if (!ok) return;
    if (ts.isPropertyAccessExpression(node)) {
      visit(node.expression);
      return;
    }
    if (ts.isIdentifier(node)) {
      if (node.text === 'undefined') return;
      const symbol = resolver.getSymbol(node);
      if (symbol && symbols.has(symbol)) any = true;
      else ok = false;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return ok && any;
}

/** Does this argument (an object literal, in place or a local constant) set one of these keys to a value? */
function setsAnyKey(argument: ts.Expression, keys: readonly string[], resolver: Resolver): boolean {
  const literal = resolveObjectLiteral(argument, resolver);
  return !!literal?.properties.some((p) => {
    const name = p.name ? propertyName(p.name) : undefined;
    if (name === undefined || !keys.includes(name)) return false;
    if (ts.isPropertyAssignment(p)) {
      const value = skipOuterExpressions(p.initializer);
      return !(value.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined'));
    }
    return ts.isShorthandPropertyAssignment(p);
  });
}

function isAncestor(ancestor: ts.Node, node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (n === ancestor) return true;
  return false;
}
