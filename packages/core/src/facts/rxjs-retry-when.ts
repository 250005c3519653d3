/**
 * rxjs `retryWhen(notifier)` (deprecated in rxjs 7, still common): the notifier receives the stream of
 * errors, and each value it emits resubscribes. Read from the operators piped onto the errors:
 * `delay(ms)` and `delayWhen((e, i) => timer(…))` wait; `mergeMap`/`concatMap((e, i) => i >= n ?
 * throwError(…) : timer(…))` waits or stops; `take(n)` stops after n retries. Nothing that waits:
 * immediate retries; nothing that stops: no limit.
 */
import ts from 'typescript';
import type { DelayKind } from '../catalogue/types.ts';
import { classifyDelay, hasRandomness, type DelayContext } from './delay.ts';
import { constantNumber } from './network-calls.ts';
import { skipOuterExpressions, type Resolver } from './resolve.ts';
import { describeDelay, enclosingStatement, type RetryScope } from './retry.ts';
import { short } from './text.ts';

const MODULES = ['rxjs', 'rxjs/operators'];
const ORDER: readonly DelayKind[] = ['none', 'constant', 'linear', 'exponential'];
const MAPS = new Set(['mergeMap', 'concatMap', 'switchMap', 'exhaustMap', 'flatMap']);

const ADVICE = {
  backoff: 'use `retry({ count, delay: (error, n) => timer(Math.random() * Math.min(2 ** n * 100, 10_000)) })` (exponential backoff with full jitter)',
  jitter: 'randomise the delay the notifier waits (`timer(Math.random() * …)`), or use `retry({ count, delay })` with a jittered delay',
  cap: 'stop after a number of retries (`take(n)`, or `retry({ count: n, delay })`)',
};

export function collectRetryWhen(sourceFile: ts.SourceFile, resolver: Resolver): RetryScope[] {
  if (!sourceFile.text.includes('retryWhen')) return [];
  const scopes: RetryScope[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(skipOuterExpressions(node.expression)) && (skipOuterExpressions(node.expression) as ts.Identifier).text === 'retryWhen') {
      const origin = resolver.resolve(node.expression);
      if (origin.kind === 'module' && MODULES.includes(origin.module)) {
        const scope = retryWhenScope(node, resolver);
        if (scope) scopes.push(scope);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return scopes;
}

function retryWhenScope(call: ts.CallExpression, resolver: Resolver): RetryScope | undefined {
  const notifier = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  if (!notifier || !(ts.isArrowFunction(notifier) || ts.isFunctionExpression(notifier))) return undefined;
  const returned = ts.isBlock(notifier.body) ? lastReturn(notifier.body) : skipOuterExpressions(notifier.body);
  const piped = returned && ts.isCallExpression(returned) && ts.isPropertyAccessExpression(returned.expression) && returned.expression.name.text === 'pipe' ? returned.arguments : undefined;
  if (!piped) return undefined;
  let delay = 'none' as DelayKind | 'unknown';
  let jitter = false;
  let evidence: ts.Node | undefined;
  let cap: { retries?: number; node: ts.Node } | undefined;
  const raise = (kind: DelayKind | 'unknown', node: ts.Node, random: boolean): void => {
    if (kind === 'unknown' || delay === 'unknown') delay = 'unknown';
    else if (ORDER.indexOf(kind) >= ORDER.indexOf(delay)) delay = kind;
    evidence ??= node;
    jitter ||= random;
  };
  for (const step of piped) {
    const op = skipOuterExpressions(step);
    if (!ts.isCallExpression(op) || !ts.isIdentifier(op.expression)) continue;
    const name = op.expression.text;
    const arg = op.arguments[0] && skipOuterExpressions(op.arguments[0]);
    if (!arg) continue;
    if (name === 'take') {
      const n = constantNumber(arg, resolver);
      cap = { ...(n !== undefined ? { retries: n } : {}), node: op };
    } else if (name === 'delay') {
      const c = classifyDelay(arg, { resolver, counters: new Set(), scope: notifier });
      raise(c.kind === 'unknown' ? 'constant' : c.kind, arg, c.jitter);
    } else if ((name === 'delayWhen' || MAPS.has(name)) && (ts.isArrowFunction(arg) || ts.isFunctionExpression(arg))) {
      const counter = arg.parameters[1] && resolver.checker.getSymbolAtLocation(arg.parameters[1].name);
      const context: DelayContext = { resolver, counters: new Set(counter ? [counter] : []), scope: arg };
      for (const result of results(arg)) {
        if (isThrow(result)) {
          cap ??= { node: result };
          continue;
        }
        const waited = timerArgument(result);
        if (!waited) {
          raise('none', result, false);
          continue;
        }
        const c = classifyDelay(waited, context);
        raise(c.kind, waited, c.jitter || hasRandomness(waited));
      }
    }
  }
  const kind = delay as DelayKind | 'unknown';
  return {
    kind: 'library',
    node: call,
    start: call.getStart(),
    end: call.expression.end,
    subject: '`retryWhen(…)`',
    delay: {
      kind,
      jitter: kind === 'unknown' ? 'unknown' : jitter ? 'present' : 'absent',
      detail: kind === 'none' ? 'waits nothing between attempts' : kind === 'exponential' ? 'backs off exponentially' : kind === 'unknown' ? 'waits a delay that cannot be classified here'
        : describeDelay(kind, kind === 'constant' && evidence && ts.isExpression(evidence) ? constantNumber(evidence, resolver) : undefined, evidence),
      evidence,
    },
    cap: cap
      ? { state: 'present', ...(cap.retries !== undefined ? { retries: cap.retries } : {}), detail: `stops at \`${short(cap.node)}\``, evidence: cap.node }
      : { state: 'absent', detail: 'with no limit on attempts (its notifier never stops)', evidence: notifier },
    advice: ADVICE,
    regions: [],
    statement: enclosingStatement(call),
  };
}

function lastReturn(block: ts.Block): ts.Expression | undefined {
  const last = block.statements.at(-1);
  return last && ts.isReturnStatement(last) && last.expression ? skipOuterExpressions(last.expression) : undefined;
}

/** What a projection returns: the expression body, each `return`, through `?:`. */
function results(fn: ts.ArrowFunction | ts.FunctionExpression): ts.Expression[] {
  const out: ts.Expression[] = [];
  const add = (e: ts.Expression): void => {
    const bare = skipOuterExpressions(e);
    if (ts.isConditionalExpression(bare)) {
      add(bare.whenTrue);
      add(bare.whenFalse);
    } else {
      out.push(bare);
    }
  };
  if (!ts.isBlock(fn.body)) add(fn.body);
  else {
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n)) return;
      if (ts.isReturnStatement(n) && n.expression) add(n.expression);
      if (ts.isThrowStatement(n)) out.push(n.expression);
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(fn.body, visit);
  }
  return out;
}

function isThrow(expression: ts.Expression): boolean {
  const bare = skipOuterExpressions(expression);
  return (ts.isCallExpression(bare) && ts.isIdentifier(bare.expression) && bare.expression.text === 'throwError') || ts.isNewExpression(bare) || (ts.isThrowStatement(bare.parent) && bare.parent.expression === bare);
}

/** `timer(ms)`, `of(x).pipe(delay(ms))`: the wait. */
function timerArgument(expression: ts.Expression): ts.Expression | undefined {
  const bare = skipOuterExpressions(expression);
  if (!ts.isCallExpression(bare)) return undefined;
  if (ts.isIdentifier(bare.expression) && bare.expression.text === 'timer') return bare.arguments[0];
  if (ts.isPropertyAccessExpression(bare.expression) && bare.expression.name.text === 'pipe') {
    for (const op of bare.arguments) {
      const inner = skipOuterExpressions(op);
      if (ts.isCallExpression(inner) && ts.isIdentifier(inner.expression) && inner.expression.text === 'delay') return inner.arguments[0];
    }
  }
  return undefined;
}
