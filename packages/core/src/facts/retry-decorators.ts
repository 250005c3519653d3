/**
 * Method decorators that retry the method they decorate:
 * - from packages (`@Retryable({ maxAttempts: 3, backOffPolicy: BackOffPolicy.ExponentialBackOffPolicy })`):
 *   a retry judged at the decorator, whose region is the method's body;
 * - written by hand (`@Retry(3)` whose replacement loops over `descriptor.value`): the loop is judged
 *   where it is written, and each decorated method is a retry region (a POST inside needs an
 *   idempotency key from the caller).
 */
import ts from 'typescript';
import { retryDecorators, type RetryDecoratorEntry } from '../catalogue/retry-libraries.ts';
import { constantNumber, propertyName, resolveObjectLiteral } from './network-calls.ts';
import { getStaticMemberName, skipOuterExpressions, type Resolver } from './resolve.ts';
import { describeDelay, type CapFact, type DelayFact, type RetryHelper, type RetryScope } from './retry.ts';
import { enclosingFunction, functionName } from './program-index.ts';
import { short } from './text.ts';

const MODULE_TEXTS = retryDecorators.flatMap((d) => [`'${d.module}'`, `"${d.module}"`]);

export function collectRetryDecorators(sourceFile: ts.SourceFile, resolver: Resolver): RetryScope[] {
  if (!MODULE_TEXTS.some((m) => sourceFile.text.includes(m))) return [];
  const scopes: RetryScope[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isMethodDeclaration(node) && node.body) {
      for (const decorator of ts.getDecorators(node) ?? []) {
        const expression = skipOuterExpressions(decorator.expression);
        if (!ts.isCallExpression(expression)) continue;
        const origin = resolver.resolve(expression.expression);
        const entry = origin.kind === 'module' ? retryDecorators.find((d) => d.module === origin.module && origin.path.at(-1) === d.name) : undefined;
        if (!entry) continue;
        const scope = decoratorScope(expression, node.body, entry, resolver);
        if (scope) scopes.push(scope);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return scopes;
}

function decoratorScope(call: ts.CallExpression, body: ts.Block, entry: RetryDecoratorEntry, resolver: Resolver): RetryScope | undefined {
  const arg = call.arguments[entry.options];
  const options = arg && resolveObjectLiteral(arg, resolver);
  const value = (literal: ts.ObjectLiteralExpression | undefined, key: string): ts.Expression | undefined => {
    const prop = literal?.properties.find((p) => p.name && propertyName(p.name) === key);
    return prop && ts.isPropertyAssignment(prop) ? skipOuterExpressions(prop.initializer) : undefined;
  };
  let delay: DelayFact;
  let cap: CapFact;
  if (!options || options.properties.some(ts.isSpreadAssignment)) {
    delay = { kind: 'unknown', jitter: 'unknown', detail: 'waits what its options say, which cannot be read here', evidence: arg };
    cap = { state: 'unknown', detail: 'with a limit that cannot be read here', evidence: arg };
  } else {
    const attempts = value(options, entry.keys.attempts);
    const n = attempts ? constantNumber(attempts, resolver) : undefined;
    if (n === 0) return undefined;
    // A missing `maxAttempts` makes `--maxAttempts` NaN: it never stops.
    cap = !attempts ? { state: 'absent', detail: `with no limit on attempts (no \`${entry.keys.attempts}\`)`, evidence: call }
      : n === undefined ? { state: 'unknown', detail: `with a limit (\`${short(attempts)}\`) that cannot be read here`, evidence: attempts }
        : Number.isFinite(n) ? { state: 'present', retries: n, detail: `stops after ${n} ${n === 1 ? 'retry' : 'retries'}`, evidence: attempts }
          : { state: 'absent', detail: `with no limit on attempts (\`${short(attempts)}\`)`, evidence: attempts };
    const policy = value(options, entry.keys.policy);
    const policyName = policy ? getStaticMemberName(policy) ?? (ts.isStringLiteralLike(policy) ? policy.text : undefined) : undefined;
    const growth = policyName ? entry.policies[policyName] : undefined;
    const backOff = value(options, entry.keys.delay);
    const ms = backOff ? constantNumber(backOff, resolver) : undefined;
    if (policy && !growth) {
      delay = { kind: 'unknown', jitter: 'unknown', detail: `waits what \`${short(policy)}\` decides, which cannot be read here`, evidence: policy };
    } else if (growth === 'exponential') {
      const strategy = value(value(options, entry.keys.exponential) && resolveObjectLiteral(value(options, entry.keys.exponential)!, resolver), entry.keys.strategy);
      const strategyName = strategy ? getStaticMemberName(strategy) ?? (ts.isStringLiteralLike(strategy) ? strategy.text : undefined) : undefined;
      const jitter = strategyName ? (entry.jitterStrategies.includes(strategyName) ? 'present' : 'absent') : strategy ? 'unknown' : 'absent';
      delay = { kind: 'exponential', jitter, detail: 'backs off exponentially', jitterDetail: jitter === 'absent' ? ' (its exponential policy is exact unless `backoffStrategy` randomises it)' : '', evidence: policy };
    } else if (!backOff || ms === 0) {
      delay = { kind: 'none', jitter: 'absent', detail: describeDelay('none', 0), evidence: backOff };
    } else {
      delay = { kind: 'constant', jitter: 'absent', detail: describeDelay('constant', ms, backOff), evidence: backOff, maybeNone: ms === undefined };
    }
  }
  return {
    kind: 'library',
    node: call,
    start: call.getStart(),
    end: call.expression.end,
    subject: `\`@${short(call.expression)}(…)\``,
    delay,
    cap,
    advice: entry.advice,
    regions: [body],
    decorated: true,
  };
}

// ---------------------------------------------------------------- hand-written decorators

/**
 * A method decorator that retries the method it decorates: the scope runs again the function it read
 * from the descriptor (`const original = descriptor.value; descriptor.value = async function (...args) {
 * for (…) { try { return await original.apply(this, args) } … } }`). Named by the function users write
 * after `@`: the decorator itself, or the factory that returns it (`@Retry(3)`).
 */
export function decoratorOf(scope: RetryScope, inner: ts.SignatureDeclaration, resolver: Resolver): { fn: ts.SignatureDeclaration; name: string } | undefined {
  for (const region of scope.regions) {
    let found: ts.SignatureDeclaration | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(node)) found = descriptorOwner(node, inner, resolver);
      if (!found && !ts.isFunctionLike(node)) ts.forEachChild(node, visit);
    };
    if (ts.isExpression(region) && ts.isCallExpression(skipOuterExpressions(region))) visit(skipOuterExpressions(region));
    else visit(region);
    if (!found) continue;
    // The decorator, or the named factory that returns it.
    for (let fn: ts.SignatureDeclaration | undefined = found; fn; fn = enclosingFunction(fn)) {
      const name = functionName(fn);
      if (name) return { fn, name };
    }
  }
  return undefined;
}

/** `original.apply(this, args)`, `original.call(this, …)`, `original(…)` where `original` is `descriptor.value` read in an enclosing function: that function. */
function descriptorOwner(call: ts.CallExpression, inner: ts.SignatureDeclaration, resolver: Resolver): ts.SignatureDeclaration | undefined {
  let callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'apply' || callee.name.text === 'call')) callee = skipOuterExpressions(callee.expression);
  // A standard decorator (`function (method, context: ClassMethodDecoratorContext)`) gets the method itself.
  if (ts.isIdentifier(callee)) {
    const param = resolver.getSymbol(callee)?.valueDeclaration;
    const owner = param && ts.isParameter(param) ? param.parent : undefined;
    if (owner && owner !== inner && ts.isFunctionLike(owner) && owner.parameters.length === 2 && owner.parameters[0] === param && isDecoratorContext(owner.parameters[1]!)) return owner as ts.SignatureDeclaration;
  }
  let read: ts.Expression | undefined = callee;
  if (ts.isIdentifier(callee)) {
    const decl = resolver.getSymbol(callee)?.valueDeclaration;
    read = decl && ts.isVariableDeclaration(decl) && decl.initializer ? skipOuterExpressions(decl.initializer) : undefined;
  }
  if (!read || !ts.isPropertyAccessExpression(read) || read.name.text !== 'value' || !ts.isIdentifier(read.expression)) return undefined;
  const param = resolver.getSymbol(read.expression)?.valueDeclaration;
  if (!param || !ts.isParameter(param)) return undefined;
  const owner = param.parent;
  // The descriptor belongs to a function around the retry, not to the retried function itself.
  return owner !== inner && ts.isFunctionLike(owner) && owner.parameters.length >= 3 && owner.parameters.indexOf(param) === 2 ? owner as ts.SignatureDeclaration : undefined;
}

/** Methods decorated with a retrying decorator (`@Retry(3) async charge()`): the method's body runs again. */
export function decoratedMethods(sourceFile: ts.SourceFile, decorators: readonly RetryHelper[], resolver: Resolver): RetryScope[] {
  if (decorators.length === 0 || !sourceFile.text.includes('@')) return [];
  const names = new Set(decorators.map((d) => d.name));
  const scopes: RetryScope[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isMethodDeclaration(node) && node.body) {
      for (const decorator of ts.getDecorators(node) ?? []) {
        const expression = skipOuterExpressions(decorator.expression);
        const callee = ts.isCallExpression(expression) ? skipOuterExpressions(expression.expression) : expression;
        if (!ts.isIdentifier(callee) || !names.has(callee.text)) continue;
        const helper = decorators.find((d) => d.name === callee.text && declarationOf(callee, resolver) === d.fn);
        if (!helper) continue;
        const where = resolver.index!.where(helper.scope.node, sourceFile);
        scopes.push({
          kind: 'helper',
          node: decorator,
          start: callee.getStart(sourceFile),
          end: expression.end,
          subject: `\`@${callee.text}\` (its retry is at ${where})`,
          delay: helper.scope.delay,
          cap: helper.scope.cap,
          regions: [node.body],
          decorated: true,
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return scopes;
}

/** `context: ClassMethodDecoratorContext` (or named `context`, untyped). */
function isDecoratorContext(param: ts.ParameterDeclaration): boolean {
  const type = param.type;
  if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) return type.typeName.text === 'ClassMethodDecoratorContext';
  return !type && ts.isIdentifier(param.name) && /^(context|ctx)$/.test(param.name.text);
}

function declarationOf(identifier: ts.Identifier, resolver: Resolver): ts.Node | undefined {
  let symbol = resolver.checker.getSymbolAtLocation(identifier) ?? resolver.getSymbol(identifier);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = resolver.checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer) {
    const init = skipOuterExpressions(decl.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return decl;
}

