/**
 * Classify a delay expression: none, constant, linear or exponential in the attempt, with or without
 * jitter. `counters` are the variables that count attempts (a loop counter, a recursion parameter).
 */
import ts from 'typescript';
import type { DelayKind } from '../catalogue/types.ts';
import { constInitializer } from './network-calls.ts';
import { findReferences } from './references.ts';
import { fieldWrites, getStaticMemberName, skipOuterExpressions, type Resolver } from './resolve.ts';

export interface DelayClass {
  readonly kind: DelayKind | 'unknown';
  readonly jitter: boolean;
  /** For a constant delay, its value when known. */
  readonly ms?: number | undefined;
  /** A loop-invariant value we cannot read (a parameter): constant, or possibly 0 (no delay). */
  readonly maybeNone?: boolean | undefined;
}

const ORDER: Record<DelayKind, number> = { none: 0, constant: 1, linear: 2, exponential: 3 };

function max(a: DelayClass, b: DelayClass): DelayClass {
  const jitter = a.jitter || b.jitter;
  if (a.kind === 'unknown' || b.kind === 'unknown') {
    // A known exponential part dominates an unknown additive part (`base * 2 ** n + offset(x)`).
    const known = a.kind === 'unknown' ? b : a;
    return known.kind === 'exponential' ? { kind: 'exponential', jitter } : { kind: 'unknown', jitter };
  }
  return ORDER[a.kind] >= ORDER[b.kind] ? { ...a, jitter } : { ...b, jitter };
}

export interface DelayContext {
  readonly resolver: Resolver;
  /** Symbols that count attempts. */
  readonly counters: ReadonlySet<ts.Symbol>;
  /** Recursion: parameters that carry the delay itself, and how each call changes them. */
  readonly growth?: ReadonlyMap<ts.Symbol, DelayKind> | undefined;
  /** Where writes to a delay variable count (the loop, the function). */
  readonly scope: ts.Node;
  /** Parameters of a function the retry calls to wait (`waitForRetry(delay)`), bound to the arguments it is given. */
  readonly bindings?: ReadonlyMap<ts.Symbol, readonly ts.Expression[]> | undefined;
  /** Recursion: parameters passed on unchanged to the next call (the same value every attempt). */
  readonly invariant?: ReadonlySet<ts.Symbol> | undefined;
}

const RANDOM_CALLS = new Set(['random', 'randomInt', 'getRandomValues', 'randomUUID']);

export function hasRandomness(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      const callee = skipOuterExpressions(n.expression);
      const name = ts.isIdentifier(callee) ? callee.text : getStaticMemberName(callee);
      if (name && RANDOM_CALLS.has(name)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

export function classifyDelay(expression: ts.Expression, context: DelayContext, depth = 0): DelayClass {
  if (depth > 6) return { kind: 'unknown', jitter: false };
  const node = skipOuterExpressions(expression);
  const jitter = hasRandomness(node);
  if (ts.isNumericLiteral(node)) {
    const ms = Number(node.text);
    return { kind: ms === 0 ? 'none' : 'constant', jitter: false, ms };
  }
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) return classifyDelay(node.operand, context, depth + 1);
  if (ts.isIdentifier(node)) return classifyIdentifier(node, context, depth);
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    const left = classifyDelay(node.left, context, depth + 1);
    const right = classifyDelay(node.right, context, depth + 1);
    if (op === ts.SyntaxKind.AsteriskAsteriskToken || op === ts.SyntaxKind.LessThanLessThanToken) {
      const grows = right.kind === 'linear' || right.kind === 'exponential' || right.kind === 'unknown';
      return { kind: grows ? 'exponential' : max(left, right).kind, jitter };
    }
    if (op === ts.SyntaxKind.SlashToken) {
      // `x / 2`: dividing by a constant keeps the shape of x.
      return right.kind === 'constant' ? { ...left, jitter, ms: left.ms !== undefined && right.ms ? left.ms / right.ms : undefined } : { kind: 'unknown', jitter };
    }
    if (op === ts.SyntaxKind.AsteriskToken) {
      // `base * 2 ** n` with an unknown base may be 0: undecidable.
      if (left.kind === 'unknown' || right.kind === 'unknown') return { kind: 'unknown', jitter };
      if (left.kind === 'exponential' || right.kind === 'exponential') return { kind: 'exponential', jitter };
      if (left.kind === 'linear' || right.kind === 'linear') return { kind: 'linear', jitter };
      if (left.kind === 'none' || right.kind === 'none') return { kind: 'none', jitter };
      const ms = left.ms !== undefined && right.ms !== undefined ? left.ms * right.ms : undefined;
      return { ...max(left, right), jitter, ms };
    }
    if (op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.MinusToken) {
      const combined = max(left, right);
      const ms = left.ms !== undefined && right.ms !== undefined ? (op === ts.SyntaxKind.PlusToken ? left.ms + right.ms : left.ms - right.ms) : undefined;
      return { ...combined, jitter, ms: combined.kind === 'constant' ? ms : undefined };
    }
    return { kind: 'unknown', jitter };
  }
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    const object = constInitializer(node.expression, context.resolver);
    const literal = object && skipOuterExpressions(object);
    if (literal && ts.isObjectLiteralExpression(literal)) {
      const prop = literal.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === node.name.text);
      if (prop) return classifyDelay(prop.initializer, context, depth + 1);
    }
  }
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) return classifyField(node, context, depth);
  if (ts.isConditionalExpression(node)) return { ...max(classifyDelay(node.whenTrue, context, depth + 1), classifyDelay(node.whenFalse, context, depth + 1)), jitter };
  if (ts.isCallExpression(node)) return classifyCall(node, context, depth, jitter);
  return { kind: 'unknown', jitter };
}

function classifyCall(node: ts.CallExpression, context: DelayContext, depth: number, jitter: boolean): DelayClass {
  const callee = skipOuterExpressions(node.expression);
  const name = ts.isIdentifier(callee) ? callee.text : getStaticMemberName(callee);
  const objectName = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression.text : undefined;
  // `randomInt(250)` (node:crypto), `crypto.getRandomValues(…)`: a random amount.
  if (name && RANDOM_CALLS.has(name) && objectName !== 'Math') return { kind: 'constant', jitter: true };
  if (objectName === 'Math') {
    if (name === 'pow') {
      const exponent = node.arguments[1] ? classifyDelay(node.arguments[1], context, depth + 1) : undefined;
      const grows = exponent && exponent.kind !== 'none' && exponent.kind !== 'constant';
      return { kind: grows ? 'exponential' : 'constant', jitter };
    }
    // `Math.exp(times)`: e^n grows exponentially with a growing exponent.
    if (name === 'exp') {
      const exponent = node.arguments[0] ? classifyDelay(node.arguments[0], context, depth + 1) : undefined;
      const grows = exponent && exponent.kind !== 'none' && exponent.kind !== 'constant';
      return { kind: grows ? 'exponential' : 'constant', jitter };
    }
    if (name === 'random') return { kind: 'constant', jitter: true };
    if (name === 'min' || name === 'max' || name === 'round' || name === 'floor' || name === 'ceil' || name === 'trunc' || name === 'abs') {
      const parts = node.arguments.map((a) => classifyDelay(a, context, depth + 1));
      if (parts.length === 0) return { kind: 'unknown', jitter };
      const combined = parts.reduce(max);
      return { ...combined, jitter: jitter || combined.jitter, ms: undefined };
    }
  }
  // A same-file helper (`backoff(attempt)`): judge by what its body computes.
  if (ts.isIdentifier(callee)) {
    let symbol = context.resolver.getSymbol(callee);
    // A helper imported from another module (`import { backoffDelay } from './delays'`), with a program.
    if (symbol && symbol.flags & ts.SymbolFlags.Alias && context.resolver.typeAware) symbol = context.resolver.checker.getAliasedSymbol(symbol);
    const decl = symbol?.valueDeclaration;
    const fn = decl && (ts.isFunctionDeclaration(decl) ? decl : ts.isVariableDeclaration(decl) && decl.initializer && (ts.isArrowFunction(skipOuterExpressions(decl.initializer)) || ts.isFunctionExpression(skipOuterExpressions(decl.initializer))) ? skipOuterExpressions(decl.initializer) as ts.ArrowFunction : undefined);
    if (fn && fn.body && !fn.getSourceFile().isDeclarationFile) {
      const params = new Set(fn.parameters.map((p) => context.resolver.checker.getSymbolAtLocation(p.name)).filter((s): s is ts.Symbol => !!s));
      const returns = returnedExpressions(fn);
      if (returns.length > 0) {
        const inner: DelayContext = { ...context, counters: new Set([...context.counters, ...params]), scope: fn };
        const argumentsGrow = node.arguments.some((a) => {
          const c = classifyDelay(a, context, depth + 1);
          return c.kind === 'linear' || c.kind === 'exponential';
        });
        const body = returns.map((r) => classifyDelay(r, inner, depth + 1)).reduce(max);
        // `backoff(attempt)` computing `2 ** n`: exponential only if it is given a growing argument.
        if (!argumentsGrow && (body.kind === 'linear' || body.kind === 'exponential') && node.arguments.length > 0) return { kind: 'constant', jitter: jitter || body.jitter };
        return { ...body, jitter: jitter || body.jitter };
      }
    }
  }
  return { kind: 'unknown', jitter };
}

function returnedExpressions(fn: ts.SignatureDeclaration & { body?: ts.Node | undefined }): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body as ts.Expression];
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && n !== fn) return;
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return out;
}

function classifyIdentifier(node: ts.Identifier, context: DelayContext, depth: number): DelayClass {
  const symbol = context.resolver.getSymbol(node);
  if (!symbol) return { kind: 'unknown', jitter: false };
  // A parameter of the wait helper: what the retry passes it.
  const bound = context.bindings?.get(symbol);
  if (bound?.length) return bound.map((value) => classifyDelay(value, { ...context, bindings: withoutKey(context.bindings!, symbol) }, depth + 1)).reduce(max);
  const grows = context.growth?.get(symbol);
  if (grows) return { kind: grows, jitter: false };
  if (context.counters.has(symbol)) return { kind: 'linear', jitter: false };
  // A variable rewritten inside the retry: `delay *= 2` is exponential, `delay += 500` linear.
  // Writes anywhere in the file: a delay doubled in the loop, or in a helper the loop awaits.
  const writes = findReferences(symbol, node.getSourceFile(), context.resolver).filter((ref) => writeOf(ref));
  if (writes.length > 0) {
    let kind: DelayKind | 'unknown' = 'constant';
    let jitter = false;
    for (const ref of writes) {
      const write = writeOf(ref)!;
      jitter ||= hasRandomness(write);
      const growth = growthOf(write, symbol, context);
      if (growth === 'exponential' || (growth === 'linear' && kind !== 'exponential')) kind = growth;
      else if (growth === 'unknown' && kind === 'constant') kind = 'unknown';
    }
    const init = constInitializerOfAny(symbol);
    return { kind, jitter: jitter || (!!init && hasRandomness(init)) };
  }
  const init = constInitializer(node, context.resolver) ?? constInitializerOfAny(symbol);
  if (init) return classifyDelay(init, context, depth + 1);
  const decl = symbol.valueDeclaration;
  // A parameter never written in the retry: the same value every round (or 0).
  if (decl && ts.isParameter(decl) && !isWithin(decl, context.scope)) return { kind: 'constant', jitter: false, maybeNone: true };
  // A recursion parameter passed on unchanged: the first call's value every round. With a literal
  // non-zero default (`retryTimer = 1000`), a constant wait; without one, constant or maybe 0.
  if (decl && ts.isParameter(decl) && context.invariant?.has(symbol)) {
    const initial = decl.initializer && classifyDelay(decl.initializer, { ...context, invariant: undefined }, depth + 1);
    return { kind: 'constant', jitter: false, maybeNone: initial?.kind !== 'constant' || initial.ms === undefined };
  }
  return { kind: 'unknown', jitter: false };
}

/**
 * `this.retryDelay`: a field with a literal initializer that nothing reassigns is that value; one set
 * once in the constructor (or a parameter property) is the same every round, but may be 0.
 */
function classifyField(node: ts.PropertyAccessExpression, context: DelayContext, depth: number): DelayClass {
  const symbol = context.resolver.getSymbol(node.name);
  const decl = symbol?.valueDeclaration;
  if (!decl || decl.getSourceFile().isDeclarationFile) return { kind: 'unknown', jitter: false };
  if (ts.isParameter(decl)) return { kind: 'constant', jitter: false, maybeNone: true };
  if (!ts.isPropertyDeclaration(decl)) return { kind: 'unknown', jitter: false };
  const writes = fieldWrites(decl);
  if (writes.some((w) => isWithin(w, context.scope))) return { kind: 'unknown', jitter: false };
  if (decl.initializer && writes.length === 0) return classifyDelay(decl.initializer, context, depth + 1);
  return writes.length <= 1 ? { kind: 'constant', jitter: false, maybeNone: true } : { kind: 'unknown', jitter: false };
}

function withoutKey<K, V>(map: ReadonlyMap<K, V>, key: K): Map<K, V> {
  const copy = new Map(map);
  copy.delete(key);
  return copy;
}

function constInitializerOfAny(symbol: ts.Symbol): ts.Expression | undefined {
  const decl = symbol.valueDeclaration;
  return decl && ts.isVariableDeclaration(decl) ? decl.initializer : undefined;
}

function isWithin(node: ts.Node, scope: ts.Node): boolean {
  return node.pos >= scope.pos && node.end <= scope.end;
}

/** The assignment a reference is the target of, if any. */
function writeOf(ref: ts.Node): ts.BinaryExpression | ts.PrefixUnaryExpression | ts.PostfixUnaryExpression | undefined {
  const parent = ref.parent;
  if (ts.isBinaryExpression(parent) && parent.left === ref && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return parent;
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return parent;
  return undefined;
}

function growthOf(write: ts.BinaryExpression | ts.PrefixUnaryExpression | ts.PostfixUnaryExpression, symbol: ts.Symbol, context: DelayContext): DelayKind | 'unknown' {
  if (!ts.isBinaryExpression(write)) return 'linear';
  switch (write.operatorToken.kind) {
    case ts.SyntaxKind.AsteriskEqualsToken:
    case ts.SyntaxKind.AsteriskAsteriskEqualsToken:
    case ts.SyntaxKind.LessThanLessThanEqualsToken:
      return 'exponential';
    case ts.SyntaxKind.PlusEqualsToken:
    case ts.SyntaxKind.MinusEqualsToken:
      return 'linear';
    case ts.SyntaxKind.EqualsToken: {
      // `delay = Math.min(delay * 2, max)`: the new value in terms of the old one.
      const self: DelayContext = { ...context, counters: new Set([...context.counters, symbol]) };
      let multiplied = false;
      const visit = (n: ts.Node): void => {
        if (ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.AsteriskToken || n.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken)) {
          const mentions = (side: ts.Node) => ts.isIdentifier(skipOuterExpressions(side as ts.Expression)) && context.resolver.getSymbol(skipOuterExpressions(side as ts.Expression)) === symbol;
          if (mentions(n.left) || mentions(n.right)) multiplied = true;
        }
        ts.forEachChild(n, visit);
      };
      visit(write.right);
      if (multiplied) return 'exponential';
      const value = classifyDelay(write.right, self, 1);
      return value.kind === 'none' ? 'constant' : value.kind;
    }
    default:
      return 'unknown';
  }
}
