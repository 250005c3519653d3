/**
 * require-backoff: a retry must wait longer after each failure (exponential backoff).
 */
import { createRule, planRetryFix, retryAdvice, retryNoFixReason } from '@resilience-kit/core';

export interface Options {
  /** Also report delays that grow only linearly, and delays that cannot be classified. */
  readonly strict: boolean;
}

type MessageId = 'noDelay' | 'constantDelay' | 'linearDelay' | 'unknownDelay' | 'busyPoll';

export default createRule<Options, MessageId>({
  meta: {
    id: 'require-backoff',
    description: 'Require retries to back off exponentially, so a struggling dependency gets room to recover.',
    config: 'recommended',
    fixKind: 'suggestion',
    codemod: 'add-backoff',
    messages: {
      noDelay: '{{subject}} {{delay}}: every failure is retried at once, hammering a dependency that is already struggling. Fix: {{fix}}.',
      constantDelay: '{{subject}} {{delay}}: a constant delay keeps the same pressure on a dependency however long it stays down. Fix: {{fix}}.',
      linearDelay: '{{subject}} {{delay}}: a linear delay grows too slowly to relieve a dependency that stays down. Fix: {{fix}}.',
      unknownDelay: '{{subject}} {{delay}}; it may not back off. Fix: {{fix}}.',
      busyPoll: '{{subject}} {{delay}}: it asks again as fast as the dependency answers, keeping it busy for nothing. Fix: {{fix}}.',
    },
    schema: {
      type: 'object',
      properties: {
        strict: { type: 'boolean', description: 'Also report linear delays and delays that cannot be classified from the code.' },
      },
      additionalProperties: false,
    },
    defaultOptions: { strict: false },
  },
  *check(context) {
    for (const scope of context.facts.retryScopes) {
      if (scope.delay.judgedElsewhere) continue;
      // A poll at a fixed interval is a poll; one that never waits is a busy loop.
      if (scope.kind === 'poll' && scope.delay.kind !== 'none') continue;
      const kind = scope.delay.kind;
      // A single retry has nothing to grow: one fixed wait is fine; no wait at all is not.
      if (scope.cap.retries === 1 && kind !== 'none') continue;
      const messageId: MessageId | undefined =
        kind === 'none' ? (scope.kind === 'poll' ? 'busyPoll' : 'noDelay') : kind === 'constant' ? 'constantDelay' :
        kind === 'linear' && context.options.strict ? 'linearDelay' : kind === 'unknown' && context.options.strict ? 'unknownDelay' : undefined;
      if (!messageId) continue;
      const fix = planRetryFix(scope, 'backoff');
      yield {
        messageId,
        data: { subject: capitalize(scope.subject), delay: scope.delay.detail, fix: retryAdvice(scope, 'backoff') },
        start: scope.start,
        end: scope.end,
        evidence: scope.delay.evidence ? [{ message: scope.delay.detail, start: scope.delay.evidence.getStart(), end: scope.delay.evidence.end }] : [],
        ...(fix ? { fix } : { noFixReason: retryNoFixReason(scope, 'backoff') }),
      };
    }
  },
});

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
