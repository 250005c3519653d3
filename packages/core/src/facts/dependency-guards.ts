/**
 * Guards: whether a call runs inside a circuit breaker or a bulkhead. A library's (our policies,
 * cockatiel, opossum: catalogue data), the team's own read by what it does with its callback (a breaker
 * service's method, injected or imported; a hand-written open/half-open breaker), or every call of the
 * call's function running inside one (an adapter called only through its guarded wrapper).
 */
import ts from 'typescript';
import { dependencyGuards, policyCombinators } from '../catalogue/index.ts';
import type { DependencyGuardEntry } from '../catalogue/types.ts';
import { constInitializer, policyDefinition, propertyName, resolveObjectLiteral } from './network-calls.ts';
import { declaredTypeNames, isModuleExport, registerCataloguedModule, skipOuterExpressions, type Resolver } from './resolve.ts';
import { userGuardFor } from './extensions.ts';
import { identifierIndex } from './references.ts';
import { calleeDeclaration, callersOf, enclosingFunction, functionName } from './program-index.ts';

for (const guard of dependencyGuards) registerCataloguedModule(guard.module);

export interface DependencyGuard {
  readonly name: string;
  readonly node: ts.Node;
  /** A module-level const holding the guard (`payBreaker`), which another call to the dependency can reuse. */
  readonly reusable?: string | undefined;
  /** For a guard of the team's own (`BreakerRegistry.execute`): the library or hand-written breaker it runs. */
  readonly base?: string | undefined;
}

/**
 * The breaker or bulkhead the call runs inside, if any: around it in its function, or around every
 * call of its function in the program (an adapter whose callers all go through the breaker service;
 * a method called through the interface it implements counts those calls too).
 */
export function findDependencyGuard(call: ts.Node, resolver: Resolver): DependencyGuard | undefined {
  return lexicalGuard(call, resolver) ?? guardOfCallers(call, resolver);
}

function lexicalGuard(call: ts.Node, resolver: Resolver): DependencyGuard | undefined {
  for (let node: ts.Node | undefined = call.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node) && !ts.isFunctionDeclaration(node) && !ts.isMethodDeclaration(node)) continue;
    const guard = guardOfFunction(node, resolver);
    if (guard) return guard;
  }
  return undefined;
}

/** Callers looked at per function, at most (a name called from hundreds of places is not an adapter). */
const MAX_CALLERS = 100;

function guardOfCallers(node: ts.Node, resolver: Resolver): DependencyGuard | undefined {
  const fn = enclosingFunction(node);
  return fn && resolver.index && resolver.typeAware ? guardOfEveryCaller(fn, resolver.index) : undefined;
}

const callerGuards = new WeakMap<ts.Node, DependencyGuard | null>();

/**
 * Whether every call of `fn` runs inside a guard (directly, or in a function all of whose calls do).
 * Judged once per function, so a chain of wrappers costs one look at each; a recursion in progress
 * counts as unguarded.
 */
function guardOfEveryCaller(fn: ts.SignatureDeclaration, index: NonNullable<Resolver['index']>): DependencyGuard | undefined {
  const cached = callerGuards.get(fn);
  if (cached !== undefined) return cached ?? undefined;
  callerGuards.set(fn, null);
  const callers = callersOf(fn, index, { max: MAX_CALLERS, dispatch: true });
  let first: DependencyGuard | undefined;
  for (const caller of callers ?? []) {
    const other = index.resolverFor(caller.getSourceFile());
    const outer = enclosingFunction(caller);
    const guard = lexicalGuard(caller, other) ?? (outer ? guardOfEveryCaller(outer, index) : undefined);
    if (!guard) {
      first = undefined;
      break;
    }
    first ??= guard;
  }
  const result = first && callers && callers.length > 0
    ? { name: `every call of \`${functionName(fn) ?? 'its function'}\` (${callers.length}) running inside ${first.name}`, node: first.node, base: first.base ?? first.name }
    : undefined;
  callerGuards.set(fn, result ?? null);
  return result;
}

/**
 * Where the file runs code through a breaker or bulkhead, whatever the code calls (an SDK the
 * catalogue does not know, a network call whose target cannot be named): the evidence that the
 * service has adopted guards. Callbacks handed to a call whose name says it may run them guarded
 * (`execute`, `fire`, `run`, `guarded`, `withBreaker`…), confirmed by what the callee does.
 */
export function collectGuardedRegions(sourceFile: ts.SourceFile, resolver: Resolver): DependencyGuard[] {
  const out: DependencyGuard[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments) {
      const name = calleeName(node.expression);
      if (name && GUARDISH.test(name)) {
        for (const arg of node.arguments) {
          const fn = skipOuterExpressions(arg);
          if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) continue;
          const guard = guardOfFunction(fn, resolver);
          if (guard && !out.some((g) => g.node === guard.node)) out.push(guard);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return out;
}

const GUARDISH = /execute|fire|^run|^call$|invoke|protect|guard|breaker|circuit|bulkhead|resilien|attempt|perform|wrap|^with/i;

function calleeName(expression: ts.Expression): string | undefined {
  const node = skipOuterExpressions(expression);
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
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
    if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(arg as ts.Expression)) {
      const guard = guardCall(parent, parent.arguments.indexOf(arg as ts.Expression), resolver, depth);
      if (guard) return guard;
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

/**
 * The guard a function applies to its parameter at `index`, when it runs it through one: a breaker
 * service's method (`this.breakers.execute('stripe', fn)`, injected or imported), a helper
 * (`withBreaker(fn)`), or a hand-written breaker. Judged once per function and parameter, in the
 * function's own file, so every caller in the program shares the summary.
 */
function forwardedGuard(call: ts.CallExpression, index: number, resolver: Resolver, depth: number): DependencyGuard | undefined {
  if (index < 0) return undefined;
  const wrapper = calleeDeclaration(call, resolver);
  if (!wrapper || !('body' in wrapper) || !wrapper.body || wrapper.getSourceFile().isDeclarationFile) {
    return unresolvedGuardByName(call, resolver);
  }
  const inner = guardSummary(wrapper as GuardableFunction | ts.ArrowFunction, index, resolverOf(wrapper, resolver), depth);
  if (!inner) return undefined;
  const name = functionName(wrapper) ?? 'a helper';
  const owner = ts.isMethodDeclaration(wrapper) && ts.isClassLike(wrapper.parent) && wrapper.parent.name ? `${wrapper.parent.name.text}.` : '';
  const base = inner.base ?? inner.name;
  return { name: `\`${owner}${name}\` (${base})`, node: call, base };
}

const summaries = new WeakMap<ts.Node, Map<number, DependencyGuard | null>>();

function guardSummary(fn: ts.FunctionLikeDeclaration, index: number, resolver: Resolver, depth: number): DependencyGuard | undefined {
  let byIndex = summaries.get(fn);
  if (!byIndex) summaries.set(fn, (byIndex = new Map()));
  const cached = byIndex.get(index);
  if (cached !== undefined) return cached ?? undefined;
  byIndex.set(index, null); // recursion guard while computing
  const found = computeGuardSummary(fn, index, resolver, depth);
  byIndex.set(index, found ?? null);
  return found;
}

function computeGuardSummary(fn: ts.FunctionLikeDeclaration, index: number, resolver: Resolver, depth: number): DependencyGuard | undefined {
  const param = fn.parameters[index]?.name;
  if (!fn.body || !param || !ts.isIdentifier(param)) return undefined;
  const symbol = resolver.checker.getSymbolAtLocation(param);
  let found: DependencyGuard | undefined;
  let invoked = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n !== param && n.text === param.text && resolver.getSymbol(n) === symbol) {
      const parent = n.parent;
      // `execute(fn)` / `breaker.fire(fn)` / `new CircuitBreaker(fn)` / `otherHelper(fn)`: handed to a guard.
      if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(n)) {
        found = guardCall(parent, parent.arguments.indexOf(n), resolver, depth + 1);
      }
      if (ts.isCallExpression(parent) && parent.expression === n) invoked = true;
      // `fn()` inside a guarded callback.
      found ??= findDependencyGuardFrom(n, resolver, depth + 1);
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  if (!found && invoked) {
    const machine = handWrittenBreaker(fn);
    if (machine) found = { name: `a hand-written breaker that fails fast when \`${machine}\``, node: fn };
  }
  return found;
}

/**
 * A hand-written circuit breaker: before it runs the callback, it fails fast (throws or returns)
 * when its state says open (`if (this.state === 'OPEN') throw …`, `if (!this.canRequest()) return …`),
 * and it records failures (a `catch`, or a call or write that names a failure). The condition, for
 * the message.
 */
function handWrittenBreaker(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (!fn.body || !ts.isBlock(fn.body)) return undefined;
  let condition: string | undefined;
  for (const statement of fn.body.statements) {
    if (!ts.isIfStatement(statement)) continue;
    const text = statement.expression.getText();
    if (!OPEN_STATE.test(text) || !failsFast(statement.thenStatement)) continue;
    condition = text.length > 60 ? `${text.slice(0, 57)}…` : text;
    break;
  }
  if (!condition) return undefined;
  // Failures are recorded where they are caught: a counter or the state written in a `catch` (or a
  // `.catch` handler), or a method named for it (`this.recordFailure()`, `this.onFailure(e)`).
  let records = false;
  const inHandler = (n: ts.Node): void => {
    if (records) return;
    if ((ts.isPostfixUnaryExpression(n) || ts.isPrefixUnaryExpression(n)) && RECORDS.test(n.operand.getText())) records = true;
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && RECORDS.test(n.left.getText())) records = true;
    else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && FAILURE.test(n.expression.name.text)) records = true;
    ts.forEachChild(n, inHandler);
  };
  const visit = (n: ts.Node): void => {
    if (records || (ts.isFunctionLike(n) && n !== fn)) return;
    if (ts.isCatchClause(n)) inHandler(n.block);
    else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'catch' && n.arguments[0]) inHandler(n.arguments[0]);
    else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && FAILURE.test(n.expression.name.text)) records = true;
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return records ? condition : undefined;
}

const OPEN_STATE = /open|trip|canRequest|canExecute|canAttempt|isAvailable|allowRequest/i;
const FAILURE = /fail/i;
/** What a breaker writes when a call fails: its failure count, its state. */
const RECORDS = /fail|state|open|trip|count|error/i;

/** Throws or returns: directly, or in a nested `if` or its `else` (`if (open) { if (cooledDown) halfOpen(); else throw …; }`). */
function failsFast(statement: ts.Statement): boolean {
  if (ts.isThrowStatement(statement) || ts.isReturnStatement(statement)) return true;
  if (ts.isIfStatement(statement)) return failsFast(statement.thenStatement) || (!!statement.elseStatement && failsFast(statement.elseStatement));
  return ts.isBlock(statement) && statement.statements.some(failsFast);
}

/**
 * Whether `call` runs its argument at `index` under a guard: a policy's `.execute(fn)`, a guard
 * instance's method (by its type, or a `new CircuitBreaker` it holds), `new CircuitBreaker(fn)`, a
 * user guard from the config, or a function that forwards the argument into one of these.
 */
function guardCall(call: ts.CallExpression | ts.NewExpression, index: number, resolver: Resolver, depth: number): DependencyGuard | undefined {
  if (ts.isNewExpression(call)) {
    const guard = index === 0 ? dependencyGuards.find((g) => g.kind === 'constructor-callback' && isModuleExport(resolver.resolve(call.expression), g.module, g.name)) : undefined;
    return guard ? { name: guard.displayName, node: call } : undefined;
  }
  const user = userGuardFor(resolver.catalogue?.dependencyGuards, call, index, resolver);
  if (user) return { name: user.specifier.name, node: call };
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    if (callee.name.text === 'execute' && index === 0) {
      const guard = policyGuard(callee.expression, resolver, 0);
      if (guard) {
        const receiver = skipOuterExpressions(callee.expression);
        const reusable = guard.reusable && ts.isIdentifier(receiver) && isModuleConst(receiver, resolver) ? receiver.text : breakerOption(receiver, resolver);
        return { name: guard.displayName, node: call, reusable };
      }
    }
    const instance = guardInstance(callee, resolver);
    if (instance) return { name: instance.displayName, node: call };
  }
  return depth < 4 ? forwardedGuard(call, index, resolver, depth) : undefined;
}

/** `breaker.fire(…)`, `this.policies.get(name).execute(…)`: a method of a guard instance, known by its type or its `new`. */
function guardInstance(callee: ts.PropertyAccessExpression, resolver: Resolver): DependencyGuardEntry | undefined {
  const method = callee.name.text;
  const candidates = dependencyGuards.filter((g) => g.instanceTypes?.methods.includes(method));
  if (candidates.length === 0) return undefined;
  const receiver = skipOuterExpressions(callee.expression);
  const made = instanceInitializer(receiver, resolver);
  if (made) {
    const origin = resolver.resolve(made.expression);
    const byNew = candidates.find((g) => isModuleExport(origin, g.module, g.name));
    if (byNew) return byNew;
  }
  if (!resolver.typeAware && !ts.isIdentifier(receiver) && !ts.isPropertyAccessExpression(receiver)) return undefined;
  let type: ts.Type;
  try {
    type = resolver.checker.getTypeAtLocation(receiver);
  } catch {
    return undefined;
  }
  const names = declaredTypeNames(type);
  return candidates.find((g) => names.some((n) => n.module === g.module && g.instanceTypes!.names.includes(n.name)));
}

/** The `new X(…)` a receiver holds: a const, or a field initialised with one. */
function instanceInitializer(receiver: ts.Expression, resolver: Resolver): ts.NewExpression | undefined {
  let init: ts.Expression | undefined;
  if (ts.isIdentifier(receiver)) init = constInitializer(receiver, resolver);
  else if (ts.isPropertyAccessExpression(receiver) && receiver.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const decl = resolver.getSymbol(receiver.name)?.valueDeclaration;
    init = decl && ts.isPropertyDeclaration(decl) ? decl.initializer : undefined;
  }
  const bare = init && skipOuterExpressions(init);
  return bare && ts.isNewExpression(bare) ? bare : undefined;
}

/**
 * A callee the checker cannot resolve (no type information, or an interface injected by a DI
 * container) whose name says it is a breaker or a bulkhead (`this.circuitBreaker.fire(…)`,
 * `breakers.execute('stripe', …)`): taken as the guard it names, so a call written inside one is
 * never reported as bare.
 */
function unresolvedGuardByName(call: ts.CallExpression, resolver: Resolver): DependencyGuard | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !RUNS_CALLBACK.test(callee.name.text) || !isNameChain(callee.expression) || !GUARD_NAME.test(callee.expression.getText())) return undefined;
  // Known to be something else: a library's method (`breaker.fallback`, `.on`), or a function with a body.
  const decl = resolver.getSymbol(callee.name)?.declarations?.[0];
  if (decl && (decl.getSourceFile().isDeclarationFile || !(ts.isMethodSignature(decl) || ts.isPropertySignature(decl)))) return undefined;
  const text = callee.getText();
  return { name: `\`${text.length > 40 ? `${text.slice(0, 39)}…` : text}\``, node: call };
}

/** `breakers`, `this.breakers`, `this.deps.circuitBreaker`: names only, no calls. */
function isNameChain(node: ts.Expression): boolean {
  if (ts.isIdentifier(node) || node.kind === ts.SyntaxKind.ThisKeyword) return true;
  return ts.isPropertyAccessExpression(node) && isNameChain(node.expression);
}

const GUARD_NAME = /breaker|circuit|bulkhead/i;
/** Methods that run what they are given (not `fallback`, `on`, `then`: those run later, outside the guard). */
const RUNS_CALLBACK = /^(execute|fire|run|call|exec|invoke|protect|guard|wrap|attempt|perform)/i;

function resolverOf(node: ts.Node, resolver: Resolver): Resolver {
  const file = node.getSourceFile();
  if (file === resolver.sourceFile || !resolver.index || !resolver.index.files.includes(file)) return resolver;
  return resolver.index.resolverFor(file);
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
function policyGuard(expression: ts.Expression, resolver: Resolver, start: number): DependencyGuardEntry | undefined {
  // Through consts and `this.breaker` held in a class field.
  const found = policyDefinition(expression, resolver, start, 8);
  if (!found) return undefined;
  const { call: node, depth } = found;
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
