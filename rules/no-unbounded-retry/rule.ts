/**
 * no-unbounded-retry: a retry must stop, after a number of attempts or a time budget.
 */
import { createRule, planRetryFix, retryAdvice, retryNoFixReason } from '@resilience-kit/core';

export interface Options {
  /** Also report retries whose limit cannot be read from the code. */
  readonly strict: boolean;
}

type MessageId = 'unbounded' | 'unknownCap' | 'unboundedPoll';

export default createRule<Options, MessageId>({
  meta: {
    id: 'no-unbounded-retry',
    description: 'Disallow retries with no cap on attempts or time, which never give up on a dependency that stays down.',
    config: 'recommended',
    fixKind: 'suggestion',
    codemod: 'add-backoff',
    messages: {
      unbounded: '{{subject}} retries {{cap}}: while the dependency stays down it never gives up, holding the caller and adding load. Fix: {{fix}}.',
      unknownCap: '{{subject}} retries {{cap}}. Fix: {{fix}}.',
      unboundedPoll: '{{subject}} runs {{cap}}: if the state it waits for never comes, it polls forever and holds its caller. Fix: {{fix}}.',
    },
    schema: {
      type: 'object',
      properties: {
        strict: { type: 'boolean', description: 'Also report retries whose limit comes from code the rule cannot see (a parameter, a spread).' },
      },
      additionalProperties: false,
    },
    defaultOptions: { strict: false },
  },
  *check(context) {
    for (const scope of context.facts.retryScopes) {
      const { cap } = scope;
      const messageId: MessageId | undefined = cap.state === 'absent' ? (scope.kind === 'poll' ? 'unboundedPoll' : 'unbounded') : cap.state === 'unknown' && context.options.strict ? 'unknownCap' : undefined;
      if (!messageId) continue;
      const fix = planRetryFix(scope, 'cap');
      yield {
        messageId,
        data: { subject: capitalize(scope.subject), cap: cap.detail, fix: retryAdvice(scope, 'cap') },
        start: scope.start,
        end: scope.end,
        evidence: cap.evidence ? [{ message: cap.detail, start: cap.evidence.getStart(), end: cap.evidence.end }] : [],
        ...(fix ? { fix } : { noFixReason: retryNoFixReason(scope, 'cap') }),
      };
    }
  },
});

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
