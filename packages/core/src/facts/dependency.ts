/**
 * Dependencies: which service each outbound call talks to (an instance's base URL or name, or the
 * origin of a literal URL), and whether the call runs inside a circuit breaker or a bulkhead.
 */
import ts from 'typescript';
import { dependencyGuards, policyCombinators } from '../catalogue/index.ts';
import type { DependencyGuardEntry } from '../catalogue/types.ts';
import { constInitializer, constantString, propertyName, resolveObjectLiteral, type NetworkCall } from './network-calls.ts';
import { isModuleExport, registerCataloguedModule, skipOuterExpressions, type Resolver } from './resolve.ts';
import { userGuardFor } from './extensions.ts';
import { identifierIndex } from './references.ts';

for (const guard of dependencyGuards) registerCataloguedModule(guard.module);

export interface DependencyGuard {
  readonly name: string;
  readonly node: ts.Node;
  /** A module-level const holding the guard (`payBreaker`), which another call to the dependency can reuse. */
  readonly reusable?: string | undefined;
}

export interface DependencyFact {
  readonly call: NetworkCall;
  /** Stable identity: an origin (`https://pay.example.com`) or `instance:<variable>`. */
  readonly id: string;
  /** For messages: the origin, or "`payments` (axios instance)". */
  readonly display: string;
  /** A name for a breaker of its own: `pay` for pay.example.com, `payments` for an instance. */
  readonly baseName: string;
  readonly guard: DependencyGuard | undefined;
}

const ORIGIN = /^(https?:\/\/[^/?#\s]+)/i;

export function collectDependencies(calls: readonly NetworkCall[], resolver: Resolver): DependencyFact[] {
  const out: DependencyFact[] = [];
  for (const call of calls) {
    const dependency = dependencyOf(call, resolver);
    if (!dependency) continue;
    out.push({ call, ...dependency, guard: findDependencyGuard(call.node, resolver) });
  }
  return out;
}

function dependencyOf(call: NetworkCall, resolver: Resolver): Omit<DependencyFact, 'call' | 'guard'> | undefined {
  if (call.origin.kind === 'instance') {
    // Innermost first: a child instance (`got.extend`) keeps its parent's base URL unless it sets one.
    const level = call.origin.levels[0];
    for (const l of call.origin.levels) {
      const base = baseUrlOf(l.node, l.options, call, resolver);
      const origin = base && originOf(base, resolver);
      if (origin) return fromOrigin(origin);
      if (base) break;
    }
    const variable = level?.variable?.name;
    if (variable) return { id: `instance:${variable}`, display: `\`${variable}\` (${call.client.displayName} instance)`, baseName: variable };
    return undefined;
  }
  const urlIndex = call.shape.args.url;
  const url = urlIndex === undefined ? undefined : call.node.arguments[urlIndex];
  const origin = url && originOf(url, resolver);
  return origin ? fromOrigin(origin) : undefined;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/i;
const IP = /^(\d+\.){3}\d+$|^\[/;

function fromOrigin(origin: string): Omit<DependencyFact, 'call' | 'guard'> | undefined {
  const host = origin.replace(/^https?:\/\//i, '').replace(/:\d+$/, '');
  // A server on this machine (a sidecar, a test server) is not an external dependency.
  if (LOOPBACK.test(host)) return undefined;
  if (IP.test(host)) return { id: origin.toLowerCase(), display: origin.toLowerCase(), baseName: 'service' };
  const labels = host.split('.').filter((l) => l && l !== 'www' && l !== 'api');
  const first = labels[0] ?? 'service';
  const baseName = first.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^\d/, '_$&');
  return { id: origin.toLowerCase(), display: origin.toLowerCase(), baseName };
}

function baseUrlOf(node: ts.CallExpression | ts.NewExpression, options: ts.Expression | undefined, call: NetworkCall, resolver: Resolver): ts.Expression | undefined {
  const spec = call.client.baseUrl;
  if (!spec) return undefined;
  if (spec.argument !== undefined) return node.arguments?.[spec.argument];
  const literal = options && resolveObjectLiteral(options, resolver);
  const prop = literal?.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && spec.options!.includes(propertyName(p.name) ?? ''));
  return prop?.initializer;
}

/** `'https://pay.example.com/x'`, `` `https://pay.example.com/${id}` ``, `` `${PAY_URL}/x` `` with a const PAY_URL. */
function originOf(expression: ts.Expression, resolver: Resolver, depth = 0): string | undefined {
  if (depth > 6) return undefined;
  const node = skipOuterExpressions(expression);
  const text = constantString(node, resolver);
  if (text !== undefined) return ORIGIN.exec(text)?.[1];
  if (ts.isTemplateExpression(node)) {
    if (node.head.text) return ORIGIN.exec(node.head.text)?.[1];
    const first = node.templateSpans[0];
    return first ? originOf(first.expression, resolver, depth + 1) : undefined;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return originOf(node.left, resolver, depth + 1);
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
    const [path, base] = node.arguments ?? [];
    return (path && originOf(path, resolver, depth + 1)) ?? (base ? originOf(base, resolver, depth + 1) : undefined);
  }
  return undefined;
}

// ------------------------------------------------------------------ guards

/** The breaker or bulkhead the call runs inside, if any. */
export function findDependencyGuard(call: ts.Node, resolver: Resolver): DependencyGuard | undefined {
  for (let node: ts.Node | undefined = call.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node) && !ts.isFunctionDeclaration(node) && !ts.isMethodDeclaration(node)) continue;
    const guard = guardOfFunction(node, resolver);
    if (guard) return guard;
  }
  return undefined;
}

type GuardableFunction = ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration | ts.MethodDeclaration;

const guardCache = new WeakMap<ts.Node, DependencyGuard | null>();

/** Is this function handed to a guard: `breaker.execute(fn)`, `new CircuitBreaker(fn)`, or by name? (Memoised.) */
function guardOfFunction(fn: GuardableFunction, resolver: Resolver, depth = 0): DependencyGuard | undefined {
  const cached = guardCache.get(fn);
  if (cached !== undefined) return cached ?? undefined;
  guardCache.set(fn, null); // recursion guard while computing
  const guard = computeGuardOfFunction(fn, resolver, depth);
  guardCache.set(fn, guard ?? null);
  return guard;
}

function computeGuardOfFunction(fn: GuardableFunction, resolver: Resolver, depth: number): DependencyGuard | undefined {
  const uses: ts.Expression[] = [];
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) uses.push(fn);
  // A class method handed over as `this.makeRequest` (or `this.makeRequest.bind(this)`).
  if (ts.isMethodDeclaration(fn) && ts.isIdentifier(fn.name)) {
    const symbol = resolver.checker.getSymbolAtLocation(fn.name);
    const methodName = fn.name.text;
    const visit = (n: ts.Node): void => {
      if (ts.isPropertyAccessExpression(n) && n.expression.kind === ts.SyntaxKind.ThisKeyword && n.name.text === methodName && resolver.getSymbol(n.name) === symbol) uses.push(bound(n));
      ts.forEachChild(n, visit);
    };
    visit(fn.parent);
  }
  // A named function: its uses as an argument anywhere in the file.
  const nameNode = ts.isFunctionDeclaration(fn) ? fn.name : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name : undefined;
  if (nameNode) {
    const symbol = resolver.checker.getSymbolAtLocation(nameNode);
    // Same-named identifiers only (the file's identifier index): the checker is asked about those alone.
    for (const n of identifierIndex(fn.getSourceFile()).get(nameNode.text) ?? []) {
      if (n !== nameNode && resolver.getSymbol(n) === symbol) uses.push(n);
    }
  }
  for (const use of uses) {
    let arg: ts.Node = use;
    while (ts.isParenthesizedExpression(arg.parent)) arg = arg.parent;
    const parent = arg.parent;
    if (ts.isNewExpression(parent) && parent.arguments?.[0] === arg) {
      const guard = dependencyGuards.find((g) => g.kind === 'constructor-callback' && isModuleExport(resolver.resolve(parent.expression), g.module, g.name));
      if (guard) return { name: guard.displayName, node: parent };
    }
    if (ts.isCallExpression(parent)) {
      const user = userGuardFor(resolver.catalogue?.dependencyGuards, parent, parent.arguments.indexOf(arg as ts.Expression), resolver);
      if (user) return { name: user.specifier.name, node: parent };
    }
    // Handed to a local wrapper that forwards it into a guard:
    // `function withResilience(fn) { return policy.execute(() => fn()); }` and `withResilience(() => fetch(…))`.
    if (ts.isCallExpression(parent) && depth < 2) {
      const forwarded = forwardedGuard(parent, parent.arguments.indexOf(arg as ts.Expression), resolver, depth);
      if (forwarded) return forwarded;
    }
    if (ts.isCallExpression(parent) && parent.arguments[0] === arg) {
      const callee = skipOuterExpressions(parent.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'execute') {
        const guard = policyGuard(callee.expression, resolver, 0);
        if (guard) {
          const receiver = skipOuterExpressions(callee.expression);
          const reusable = guard.reusable && ts.isIdentifier(receiver) && isModuleConst(receiver, resolver) ? receiver.text : breakerOption(receiver, resolver);
          return { name: guard.displayName, node: parent, reusable };
        }
      }
    }
  }
  return undefined;
}

/** `this.method.bind(this)` stands for the method. */
function bound(access: ts.PropertyAccessExpression): ts.Expression {
  const parent = access.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name.text === 'bind' && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) return parent.parent;
  return access;
}

/** The guard a same-file wrapper applies to its parameter at `index`, when it forwards it into one. */
function forwardedGuard(call: ts.CallExpression, index: number, resolver: Resolver, depth: number): DependencyGuard | undefined {
  if (index < 0) return undefined;
  const callee = skipOuterExpressions(call.expression);
  const decl = ts.isIdentifier(callee) ? resolver.getSymbol(callee)?.valueDeclaration : undefined;
  const wrapper = decl && (ts.isFunctionDeclaration(decl) ? decl
    : ts.isVariableDeclaration(decl) && decl.initializer && (ts.isArrowFunction(skipOuterExpressions(decl.initializer)) || ts.isFunctionExpression(skipOuterExpressions(decl.initializer)))
      ? (skipOuterExpressions(decl.initializer) as ts.ArrowFunction) : undefined);
  const param = wrapper?.parameters[index];
  if (!wrapper?.body || !param || !ts.isIdentifier(param.name) || wrapper.getSourceFile() !== call.getSourceFile()) return undefined;
  const symbol = resolver.checker.getSymbolAtLocation(param.name);
  let found: DependencyGuard | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n !== param.name && resolver.getSymbol(n) === symbol) {
      // `execute(fn)` directly, or `fn()` inside a guarded callback.
      const parent = n.parent;
      if (ts.isCallExpression(parent) && parent.arguments.includes(n)) {
        const receiver = skipOuterExpressions(parent.expression);
        const guard = ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'execute' ? policyGuard(receiver.expression, resolver, 0) : undefined;
        if (guard) found = { name: guard.displayName, node: parent };
      }
      found ??= findDependencyGuardFrom(n, resolver, depth + 1);
    }
    ts.forEachChild(n, visit);
  };
  visit(wrapper.body);
  return found;
}

function findDependencyGuardFrom(node: ts.Node, resolver: Resolver, depth: number): DependencyGuard | undefined {
  for (let n: ts.Node | undefined = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (!ts.isArrowFunction(n) && !ts.isFunctionExpression(n)) continue;
    const guard = guardOfFunction(n, resolver, depth);
    if (guard) return guard;
  }
  return undefined;
}

/** The guard a policy expression builds: directly, through a const, or inside `wrap(...)`. */
function policyGuard(expression: ts.Expression, resolver: Resolver, depth: number): DependencyGuardEntry | undefined {
  if (depth > 8) return undefined;
  const node = skipOuterExpressions(expression);
  if (ts.isIdentifier(node)) {
    const init = constInitializer(node, resolver);
    return init ? policyGuard(init, resolver, depth + 1) : undefined;
  }
  // `this.breaker` held in a readonly class field.
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const decl = resolver.getSymbol(node.name)?.valueDeclaration;
    return decl && ts.isPropertyDeclaration(decl) && decl.initializer ? policyGuard(decl.initializer, resolver, depth + 1) : undefined;
  }
  if (!ts.isCallExpression(node)) return undefined;
  const origin = resolver.resolve(node.expression);
  for (const guard of dependencyGuards) {
    if (guard.kind !== 'policy-execute' || !isModuleExport(origin, guard.module, guard.name)) continue;
    if (guard.requiresOption) {
      const options = node.arguments[0] && resolveObjectLiteral(node.arguments[0], resolver);
      if (!options?.properties.some((p) => p.name && guard.requiresOption!.includes(propertyName(p.name) ?? ''))) continue;
    }
    return guard;
  }
  if (origin.kind === 'module' && policyCombinators.some((c) => c.module === origin.module && origin.path.at(-1) === c.name)) {
    for (const arg of node.arguments) {
      const guard = policyGuard(arg, resolver, depth + 1);
      if (guard) return { ...guard, reusable: false };
    }
  }
  return undefined;
}

/** `policy({ circuitBreaker: payBreaker })`: the module-level breaker inside a policy, reusable on its own. */
function breakerOption(receiver: ts.Expression, resolver: Resolver): string | undefined {
  const init = ts.isIdentifier(receiver) ? constInitializer(receiver, resolver) : receiver;
  const call = init && skipOuterExpressions(init);
  if (!call || !ts.isCallExpression(call)) return undefined;
  // `wrap(retry(…), payBreaker)`: a module-level breaker among the combined policies.
  for (const arg of call.arguments) {
    const bare = skipOuterExpressions(arg);
    if (ts.isIdentifier(bare) && isModuleConst(bare, resolver) && policyGuard(bare, resolver, 0)?.reusable) return bare.text;
  }
  const options = call.arguments[0] && resolveObjectLiteral(call.arguments[0], resolver);
  const prop = options?.properties.find((p) => p.name && propertyName(p.name) === 'circuitBreaker');
  const value = prop && (ts.isPropertyAssignment(prop) ? skipOuterExpressions(prop.initializer) : ts.isShorthandPropertyAssignment(prop) ? prop.name : undefined);
  return value && ts.isIdentifier(value) && isModuleConst(value, resolver) ? value.text : undefined;
}

function isModuleConst(id: ts.Identifier, resolver: Resolver): boolean {
  const decl = resolver.getSymbol(id)?.valueDeclaration;
  return !!decl && ts.isVariableDeclaration(decl) && ts.isVariableStatement(decl.parent.parent) && ts.isSourceFile(decl.parent.parent.parent) &&
    (decl.parent.flags & ts.NodeFlags.Const) !== 0;
}
