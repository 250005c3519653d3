/**
 * require-idempotency-key: a POST or PATCH that can be sent more than once must carry an idempotency
 * key created once, outside the attempts.
 */
import { createRule, idempotencyAdvice, planIdempotencyFix } from '@resilience-kit/core';

export interface Options {
  /** Also report requests whose headers cannot be read (built elsewhere). */
  readonly strict: boolean;
}

type MessageId = 'missingKey' | 'perAttemptKey' | 'unknownKey';

export default createRule<Options, MessageId>({
  meta: {
    id: 'require-idempotency-key',
    description: 'Require an idempotency key, made once outside the attempts, on retried POST and PATCH requests.',
    config: 'recommended',
    fixKind: 'suggestion',
    codemod: 'add-idempotency-key',
    messages: {
      missingKey: '`{{call}}(…)` sends a {{method}} that {{retried}}, with no idempotency key: if an attempt reached the server before it failed, the retry applies it twice (a second charge, a duplicate order). Fix: {{fix}}.',
      perAttemptKey: '`{{call}}(…)` sends a {{method}} that {{retried}}, but {{reason}}: the server cannot tell a retry from a new request. Fix: create the key once, before the retry, and send the same key with every attempt.',
      unknownKey: '`{{call}}(…)` sends a {{method}} that {{retried}}; {{reason}}. Fix: {{fix}}.',
    },
    schema: {
      type: 'object',
      properties: {
        strict: { type: 'boolean', description: 'Also report retried mutations whose headers or options are built elsewhere, so the key cannot be seen.' },
      },
      additionalProperties: false,
    },
    defaultOptions: { strict: false },
  },
  *check(context) {
    const facts = context.facts.idempotency;
    for (const fact of facts) {
      const state = fact.key.state;
      if (state === 'present' || (state === 'unknown' && !context.options.strict)) continue;
      const messageId: MessageId = state === 'absent' ? 'missingKey' : state === 'per-attempt' ? 'perAttemptKey' : 'unknownKey';
      const fix = planIdempotencyFix(fact, facts);
      const evidence = fact.exposure.kind === 'scope' ? fact.exposure.scope.node : fact.exposure.evidence;
      yield {
        messageId,
        data: { call: fact.call.calleeText, method: fact.method, retried: fact.exposure.detail, reason: fact.key.detail, fix: idempotencyAdvice(fact) },
        start: fact.call.node.getStart(),
        end: fact.call.node.end,
        evidence: [{ message: fact.exposure.detail, start: evidence.getStart(), end: evidence.end }],
        ...(fix ? { fix } : {}),
      };
    }
  },
});
