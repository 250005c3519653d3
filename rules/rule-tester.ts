/**
 * The RuleTester every rule's test uses: vitest hooks wired in, and the plugin's rule by id.
 */
import { RuleTester } from '@typescript-eslint/rule-tester';
import plugin from 'eslint-plugin-resilience';
import { afterAll, describe, it } from 'vitest';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

export const ruleTester = new RuleTester();

/** The ESLint rule the plugin exposes for `id`. */
export function eslintRule(id: string): Parameters<RuleTester['run']>[1] {
  const rule = plugin.rules[id];
  if (!rule) throw new Error(`no rule ${id} in eslint-plugin-resilience`);
  // rule-tester's newest release (8.72) types its RuleModule against utils 8.72; the plugin uses 8.73.
  return rule as unknown as Parameters<RuleTester['run']>[1];
}
