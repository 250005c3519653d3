import type { Report, RuleContext, RuleDefinition, RuleMeta } from './model.ts';

/**
 * Define a rule with typed options and message ids (typescript-eslint's `createRule` pattern).
 * The docs URL is derived from the id by the front ends.
 */
export function createRule<Options extends object, MessageId extends string>(definition: {
  meta: RuleMeta<Options, MessageId>;
  check(context: RuleContext<Options>): Iterable<Report<MessageId>>;
}): RuleDefinition<Options, MessageId> {
  return definition;
}
