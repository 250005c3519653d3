/**
 * Effect retries: `Effect.retry(effect, policy)`, `Effect.retryOrElse(effect, policy, orElse)`, and the
 * piped forms (`effect.pipe(Effect.retry(policy))`, `pipe(effect, Effect.retry(policy))`). The policy is a
 * `Schedule` (built from `Schedule.exponential`, `spaced`, `recurs`… and combined with `jittered`,
 * `intersect`, `union`, `upTo`, data-first or piped) or options `{ times, schedule, while, until }`.
 * The schedule's growth, randomness and end are read from the expression, through local constants.
 */
import ts from 'typescript';
import { effect, type EffectCatalogue } from '../catalogue/effect.ts';
import type { DelayKind } from '../catalogue/types.ts';
import { constantNumber, constInitializer, propertyName, resolveObjectLiteral } from './network-calls.ts';
import { skipOuterExpressions, type Resolver } from './resolve.ts';
import { describeDelay, enclosingStatement, type CapFact, type DelayFact, type RetryScope } from './retry.ts';
import { short } from './text.ts';

interface ScheduleFact {
  readonly delay: DelayKind | 'unknown';
  readonly jitter: boolean;
  /** A number of retries, `bounded` (time or a condition), `never`, or `unknown`. */
  readonly cap: number | 'bounded' | 'never' | 'unknown';
  /** The constructor that sets the delay (`Schedule.exponential("100 millis")`). */
  readonly evidence: ts.Node | undefined;
  /** The expression that stops it (`Schedule.recurs(5)`, `times: 3`). */
  readonly capEvidence?: ts.Node | undefined;
}

const ORDER: readonly (DelayKind | 'unknown')[] = ['none', 'constant', 'linear', 'exponential'];
const UNKNOWN: ScheduleFact = { delay: 'unknown', jitter: false, cap: 'unknown', evidence: undefined };

const MODULE_TEXTS = [`'${effect.module}`, `"${effect.module}`];

export function collectEffectRetries(sourceFile: ts.SourceFile, resolver: Resolver): RetryScope[] {
  if (!MODULE_TEXTS.some((m) => sourceFile.text.includes(m)) || !sourceFile.text.includes('retry')) return [];
  const scopes: RetryScope[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const scope = retryScope(node, effect, resolver);
      if (scope) scopes.push(scope);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return scopes;
}

/** `Effect.retry` → ['Effect', 'retry'], also through `import * as Effect from 'effect/Effect'`. */
function effectPath(expression: ts.Expression, catalogue: EffectCatalogue, resolver: Resolver): readonly string[] | undefined {
  const origin = resolver.resolve(expression);
  if (origin.kind !== 'module') return undefined;
  if (origin.module === catalogue.module) return origin.path;
  if (origin.module.startsWith(`${catalogue.module}/`)) return [origin.module.slice(catalogue.module.length + 1), ...origin.path];
  return undefined;
}

function memberOf(expression: ts.Expression, namespace: string, catalogue: EffectCatalogue, resolver: Resolver): string | undefined {
  const bare = skipOuterExpressions(expression);
  const name = ts.isPropertyAccessExpression(bare) ? bare.name.text : ts.isIdentifier(bare) ? bare.text : undefined;
  if (!name) return undefined;
  const path = effectPath(bare, catalogue, resolver);
  return path && path.length === 2 && path[0] === namespace && path[1] === name ? name : undefined;
}

function retryScope(call: ts.CallExpression, catalogue: EffectCatalogue, resolver: Resolver): RetryScope | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !(callee.name.text in catalogue.retries)) return undefined;
  const name = memberOf(callee, catalogue.effectNamespace, catalogue, resolver);
  const form = name ? catalogue.retries[name] : undefined;
  if (!name || !form) return undefined;
  const dataFirst = call.arguments.length >= form.arity;
  const policy = call.arguments[dataFirst ? form.policy : form.policy - 1];
  if (!policy) return undefined;
  const fact = policyFact(policy, catalogue, resolver, 0);
  if (fact.cap === 0) return undefined; // `times: 0`, `Schedule.stop`: runs once
  const region = dataFirst ? call.arguments[0] : pipedEffect(call);
  const subject = `\`${short(callee)}(…)\``;
  return {
    kind: 'library',
    node: call,
    start: call.getStart(),
    end: callee.end,
    subject,
    delay: delayFact(fact),
    cap: capFact(fact),
    advice: catalogue.advice,
    regions: region ? [region] : [],
    statement: enclosingStatement(call),
  };
}

/** `effect.pipe(…, Effect.retry(p))` → `effect`; `pipe(effect, …, Effect.retry(p))` → `effect`. */
function pipedEffect(call: ts.CallExpression): ts.Expression | undefined {
  const parent = call.parent;
  if (!ts.isCallExpression(parent) || !parent.arguments.includes(call)) return undefined;
  const callee = skipOuterExpressions(parent.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'pipe') return callee.expression;
  if (ts.isIdentifier(callee) && callee.text === 'pipe' && parent.arguments[0] !== call) return parent.arguments[0];
  return undefined;
}

function policyFact(policy: ts.Expression, catalogue: EffectCatalogue, resolver: Resolver, depth: number): ScheduleFact {
  const literal = resolveObjectLiteral(policy, resolver);
  if (literal) return optionsFact(literal, catalogue, resolver, depth);
  return scheduleFact(policy, catalogue, resolver, depth);
}

/** `{ times, schedule, while, until }`: the base is `schedule ?? forever` (no delay); `times` caps it. */
function optionsFact(literal: ts.ObjectLiteralExpression, catalogue: EffectCatalogue, resolver: Resolver, depth: number): ScheduleFact {
  if (literal.properties.some(ts.isSpreadAssignment)) return UNKNOWN;
  const value = (key: string): ts.Expression | undefined => {
    const prop = literal.properties.find((p) => p.name && propertyName(p.name) === key);
    return prop && ts.isPropertyAssignment(prop) ? prop.initializer : prop && ts.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
  };
  const scheduleExpression = value(catalogue.options.schedule);
  let fact: ScheduleFact = scheduleExpression ? scheduleFact(scheduleExpression, catalogue, resolver, depth + 1) : { delay: 'none', jitter: false, cap: 'never', evidence: undefined };
  const conditions = catalogue.options.conditions.map(value).find((v) => v !== undefined);
  if (conditions && fact.cap === 'never') fact = { ...fact, cap: 'unknown', capEvidence: conditions };
  const times = value(catalogue.options.times);
  if (times) {
    const n = constantNumber(times, resolver);
    fact = n === undefined ? { ...fact, cap: fact.cap === 'never' ? 'bounded' : fact.cap, capEvidence: times } : both(fact, { delay: 'none', jitter: false, cap: n, evidence: undefined, capEvidence: times });
  }
  return fact;
}

function scheduleFact(expression: ts.Expression, catalogue: EffectCatalogue, resolver: Resolver, depth: number): ScheduleFact {
  if (depth > 12) return UNKNOWN;
  const node = skipOuterExpressions(expression);
  if (ts.isIdentifier(node)) {
    const init = constInitializer(node, resolver);
    if (init) return scheduleFact(init, catalogue, resolver, depth + 1);
    return schedulesConstant(node, catalogue, resolver) ?? UNKNOWN;
  }
  if (ts.isPropertyAccessExpression(node)) return schedulesConstant(node, catalogue, resolver) ?? UNKNOWN;
  if (!ts.isCallExpression(node)) return UNKNOWN;
  const callee = skipOuterExpressions(node.expression);
  // `schedule.pipe(Schedule.jittered, Schedule.intersect(Schedule.recurs(3)))`
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'pipe') {
    return node.arguments.reduce((fact, step) => applyStep(fact, step, catalogue, resolver, depth), scheduleFact(callee.expression, catalogue, resolver, depth + 1));
  }
  // `pipe(schedule, Schedule.jittered, …)`
  if (ts.isIdentifier(callee) && callee.text === 'pipe' && node.arguments[0]) {
    return node.arguments.slice(1).reduce((fact, step) => applyStep(fact, step, catalogue, resolver, depth), scheduleFact(node.arguments[0], catalogue, resolver, depth + 1));
  }
  const name = memberOf(callee, catalogue.scheduleNamespace, catalogue, resolver);
  if (!name) return UNKNOWN;
  const made = catalogue.schedules[name];
  if (made) {
    const stops = made.stops;
    const cap = stops === 'never' ? 'never' : 'after' in stops ? stops.after : (node.arguments[stops.argument] && constantNumber(node.arguments[stops.argument]!, resolver)) ?? 'bounded';
    return { delay: made.delay, jitter: false, cap, evidence: made.delay === 'none' ? undefined : node, capEvidence: stops === 'never' ? undefined : node };
  }
  // Data-first combinators: `Schedule.jittered(s)`, `Schedule.intersect(a, b)`, `Schedule.upTo(s, d)`.
  const [first, second] = node.arguments;
  if (!first) return UNKNOWN;
  const self = scheduleFact(first, catalogue, resolver, depth + 1);
  return combine(name, self, second, node, catalogue, resolver, depth, node.arguments.length >= 2);
}

/** `Schedule.forever`, `Schedule.once`, `Schedule.stop` used as values. */
function schedulesConstant(node: ts.Expression, catalogue: EffectCatalogue, resolver: Resolver): ScheduleFact | undefined {
  const name = memberOf(node, catalogue.scheduleNamespace, catalogue, resolver);
  const made = name ? catalogue.schedules[name] : undefined;
  if (!made || (made.stops !== 'never' && !('after' in made.stops))) return undefined;
  return { delay: made.delay, jitter: false, cap: made.stops === 'never' ? 'never' : made.stops.after, evidence: undefined, capEvidence: node };
}

/** One step of a pipe: a combinator given as a value (`Schedule.jittered`) or applied data-last (`Schedule.intersect(b)`). */
function applyStep(fact: ScheduleFact, step: ts.Expression, catalogue: EffectCatalogue, resolver: Resolver, depth: number): ScheduleFact {
  const bare = skipOuterExpressions(step);
  if (ts.isCallExpression(bare)) {
    const name = memberOf(bare.expression, catalogue.scheduleNamespace, catalogue, resolver);
    return name ? combine(name, fact, bare.arguments[0], bare, catalogue, resolver, depth, true) : UNKNOWN;
  }
  const name = memberOf(bare, catalogue.scheduleNamespace, catalogue, resolver);
  return name ? combine(name, fact, undefined, bare, catalogue, resolver, depth, false) : UNKNOWN;
}

function combine(name: string, self: ScheduleFact, other: ts.Expression | undefined, node: ts.Node, catalogue: EffectCatalogue, resolver: Resolver, depth: number, hasOther: boolean): ScheduleFact {
  if (catalogue.jitter.includes(name)) return { ...self, jitter: self.delay !== 'none' || self.jitter };
  if (catalogue.bounds.includes(name)) return { ...self, cap: self.cap === 'never' || self.cap === 'unknown' ? 'bounded' : self.cap, capEvidence: node };
  if (!hasOther || !other) return UNKNOWN;
  const that = scheduleFact(other, catalogue, resolver, depth + 1);
  if (catalogue.both.includes(name)) return both(self, that);
  if (catalogue.either.includes(name)) return either(self, that);
  return UNKNOWN;
}

function longer(a: ScheduleFact, b: ScheduleFact): ScheduleFact {
  if (a.delay === 'unknown' || b.delay === 'unknown') return a.delay === 'unknown' ? a : b;
  return ORDER.indexOf(b.delay) > ORDER.indexOf(a.delay) ? b : a;
}

/** Both go on: the longer delay wins; it stops when either stops. */
function both(a: ScheduleFact, b: ScheduleFact): ScheduleFact {
  const delay = longer(a, b);
  const caps = [a, b].filter((f) => f.cap !== 'never');
  const numbers = caps.map((f) => f.cap).filter((c): c is number => typeof c === 'number');
  const cap = caps.length === 0 ? 'never' : numbers.length ? Math.min(...numbers) : caps.some((f) => f.cap === 'bounded') ? 'bounded' : 'unknown';
  const capEvidence = caps.find((f) => f.cap === cap)?.capEvidence ?? caps[0]?.capEvidence;
  return { delay: delay.delay, jitter: delay.jitter, cap, evidence: delay.evidence, capEvidence };
}

/** Either goes on: the shorter delay; it stops only when both stop. */
function either(a: ScheduleFact, b: ScheduleFact): ScheduleFact {
  const shorter = a.delay === 'unknown' || b.delay === 'unknown' ? UNKNOWN : ORDER.indexOf(b.delay) < ORDER.indexOf(a.delay) ? b : a;
  const cap = a.cap === 'never' || b.cap === 'never' ? 'never' : typeof a.cap === 'number' && typeof b.cap === 'number' ? Math.max(a.cap, b.cap) : 'bounded';
  return { delay: shorter.delay, jitter: shorter.jitter, cap, evidence: shorter.evidence, capEvidence: a.capEvidence ?? b.capEvidence };
}

function delayFact(fact: ScheduleFact): DelayFact {
  if (fact.delay === 'unknown') return { kind: 'unknown', jitter: 'unknown', detail: 'waits what a schedule that cannot be read here says' };
  const jitter = fact.jitter ? 'present' : 'absent';
  const detail = fact.delay === 'none' ? 'waits nothing between attempts'
    : fact.delay === 'exponential' ? 'backs off exponentially'
      : describeDelay(fact.delay, undefined, fact.evidence);
  return { kind: fact.delay, jitter, detail, jitterDetail: fact.jitter ? '' : ' (an Effect schedule is randomised only through `Schedule.jittered`)', evidence: fact.evidence };
}

function capFact(fact: ScheduleFact): CapFact {
  if (typeof fact.cap === 'number') return { state: 'present', retries: fact.cap, detail: `stops after ${fact.cap} ${fact.cap === 1 ? 'retry' : 'retries'}`, evidence: fact.capEvidence };
  if (fact.cap === 'bounded') return { state: 'present', detail: `stops at \`${fact.capEvidence ? short(fact.capEvidence) : 'a bound'}\``, evidence: fact.capEvidence };
  if (fact.cap === 'never') return { state: 'absent', detail: 'with no limit on attempts (its schedule never stops on its own)', evidence: fact.evidence };
  return { state: 'unknown', detail: fact.capEvidence ? `with a stop condition (\`${short(fact.capEvidence)}\`) that may never hold` : 'with a limit that cannot be read here', evidence: fact.capEvidence };
}
