/**
 * no-unguarded-dependency: calls to an external dependency should run behind a circuit breaker or a
 * bulkhead, so a failing dependency is cut off instead of dragging its callers down with it.
 */
import { breakerAdvice, createRule, planBreakerFix } from '@resilience-kit/core';

export interface Options {
  /** Report every unguarded call to a known dependency, not only where the file guards it elsewhere. */
  readonly strict: boolean;
  /** Dependencies (origins such as `https://pay.example.com`, or instance names) always reported when unguarded. */
  readonly criticalDependencies: readonly string[];
}

type MessageId = 'inconsistent' | 'critical' | 'unguarded';

export default createRule<Options, MessageId>({
  meta: {
    id: 'no-unguarded-dependency',
    description: 'Require calls to an external dependency to run behind a circuit breaker or bulkhead, as the code already does elsewhere.',
    config: 'recommended',
    fixKind: 'suggestion',
    codemod: 'add-circuit-breaker',
    messages: {
      inconsistent: 'Calls to {{dependency}} are not behind a circuit breaker here, though this file guards them with {{guard}} (line {{line}}): when {{dependency}} fails, this call keeps waiting on it. Fix: {{fix}}.',
      critical: 'Calls to {{dependency}} are not behind a circuit breaker or bulkhead, and it is declared critical: when it fails, every caller keeps waiting on it. Fix: {{fix}}.',
      unguarded: 'Calls to {{dependency}} are not behind a circuit breaker or bulkhead: when it fails or slows down, every caller keeps waiting on it. Fix: {{fix}}.',
    },
    schema: {
      type: 'object',
      properties: {
        strict: { type: 'boolean', description: 'Report every unguarded call to a known dependency (not only dependencies this file guards elsewhere). Turn this on once a codebase adopts breakers.' },
        criticalDependencies: {
          type: 'array',
          items: { type: 'string' },
          description: 'Origins (`https://pay.example.com`) or instance names (`payments`) whose calls must always be guarded.',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { strict: false, criticalDependencies: [] },
  },
  *check(context) {
    const facts = context.facts.dependencies;
    const critical = new Set(context.options.criticalDependencies.map((d) => d.toLowerCase().replace(/\/+$/, '')));
    for (const fact of facts) {
      if (fact.guard) continue;
      const guarded = facts.find((f) => f.id === fact.id && f.guard);
      const isCritical = critical.has(fact.id) || critical.has(fact.id.replace(/^instance:/, ''));
      const messageId: MessageId | undefined = guarded ? 'inconsistent' : isCritical ? 'critical' : context.options.strict ? 'unguarded' : undefined;
      if (!messageId) continue;
      const fix = planBreakerFix(fact, facts, context.facts.resolver);
      const sourceFile = context.sourceFile;
      const line = guarded ? String(sourceFile.getLineAndCharacterOfPosition(guarded.call.node.getStart()).line + 1) : '';
      yield {
        messageId,
        data: { dependency: fact.display, guard: guarded?.guard?.name ?? '', line, fix: breakerAdvice(fact, facts) },
        start: fact.call.node.getStart(),
        end: fact.call.node.end,
        evidence: guarded?.guard ? [{ message: `guarded here by ${guarded.guard.name}`, start: guarded.guard.node.getStart(), end: guarded.guard.node.end }] : [],
        ...(fix ? { fix } : {}),
      };
    }
  },
});
