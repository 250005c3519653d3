/**
 * require-jitter: the delays of a retry must be randomised, or clients that failed together retry together.
 */
import { createRule, planRetryFix, retryAdvice, retryNoFixReason } from '@resilience-kit/core';

export interface Options {
  /** Also report retries whose randomness cannot be decided from the code. */
  readonly strict: boolean;
}

type MessageId = 'noJitter' | 'unknownJitter';

export default createRule<Options, MessageId>({
  meta: {
    id: 'require-jitter',
    description: 'Require randomised (jittered) retry delays, so clients that failed together do not retry in lockstep.',
    config: 'recommended',
    fixKind: 'suggestion',
    codemod: 'add-backoff',
    messages: {
      noJitter: '{{subject}} {{delay}} but never randomises the delays{{why}}: clients that failed together retry together, in lockstep. Fix: {{fix}}.',
      unknownJitter: '{{subject}} {{delay}}; whether the delays are randomised cannot be decided here. Fix: {{fix}}.',
    },
    schema: {
      type: 'object',
      properties: {
        strict: { type: 'boolean', description: 'Also report retries whose delays may or may not be randomised (delay computed by code the rule cannot see).' },
      },
      additionalProperties: false,
    },
    defaultOptions: { strict: false },
  },
  *check(context) {
    for (const scope of context.facts.retryScopes) {
      if (scope.delay.judgedElsewhere || scope.kind === 'poll') continue;
      const { delay } = scope;
      // No delay, or a constant one, is require-backoff's finding (one problem, one finding): its fix
      // brings jitter too. A single retry's one fixed wait is not a backoff problem, so it stays here.
      if (delay.kind === 'none' || (delay.kind === 'constant' && scope.cap.retries !== 1)) continue;
      const messageId: MessageId | undefined =
        delay.jitter === 'absent' && delay.kind !== 'unknown' && !delay.maybeNone ? 'noJitter' :
        context.options.strict && delay.maybeNone && delay.jitter === 'absent' ? 'unknownJitter' :
        context.options.strict && (delay.jitter === 'unknown' || delay.kind === 'unknown') && delay.jitter !== 'present' ? 'unknownJitter' : undefined;
      if (!messageId) continue;
      const fix = planRetryFix(scope, 'jitter');
      yield {
        messageId,
        data: { subject: capitalize(scope.subject), delay: delay.detail, why: delay.jitterDetail ?? '', fix: retryAdvice(scope, 'jitter') },
        start: scope.start,
        end: scope.end,
        evidence: delay.evidence ? [{ message: delay.detail, start: delay.evidence.getStart(), end: delay.evidence.end }] : [],
        ...(fix ? { fix } : { noFixReason: retryNoFixReason(scope, 'jitter') }),
      };
    }
  },
});

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
