/**
 * Method decorators from packages that retry the method they decorate (`@Retryable({ maxAttempts: 3,
 * backOffPolicy: BackOffPolicy.ExponentialBackOffPolicy })`): a retry judged at the decorator, whose
 * region is the method's body (so a POST inside needs an idempotency key from the caller).
 */
import ts from 'typescript';
import { retryDecorators, type RetryDecoratorEntry } from '../catalogue/retry-libraries.ts';
import { constantNumber, propertyName, resolveObjectLiteral } from './network-calls.ts';
import { getStaticMemberName, skipOuterExpressions, type Resolver } from './resolve.ts';
import { describeDelay, type CapFact, type DelayFact, type RetryScope } from './retry.ts';
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
