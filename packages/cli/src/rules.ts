/**
 * Which rules run, with which options: `--rule` (repeatable) or the recommended set, and `--strict`.
 */
import type { AnyRule, RuleRun } from '@resilience-kit/core';
import { UsageError } from './errors.ts';

export type RuleRegistry = Readonly<Record<string, AnyRule>>;

/** The registry of @resilience-kit/rules, loaded on first use (tests pass their own). */
export async function loadRegistry(): Promise<RuleRegistry> {
  const { rules } = await import('@resilience-kit/rules');
  return rules;
}

export interface RuleSelection {
  /** Ids given with `--rule`; empty or absent: every rule whose `meta.config` is `recommended`. */
  readonly ruleIds?: readonly string[] | undefined;
  /** Set `strict: true` on every selected rule whose options schema has `strict`. */
  readonly strict?: boolean | undefined;
}

export function selectRules(registry: RuleRegistry, selection: RuleSelection): RuleRun[] {
  const known = Object.keys(registry);
  const requested = selection.ruleIds ?? [];
  for (const id of requested) {
    if (!Object.hasOwn(registry, id)) {
      throw new UsageError(`unknown rule "${id}" (known rules: ${known.join(', ') || 'none'})`);
    }
  }
  const chosen = requested.length > 0
    ? known.filter((id) => requested.includes(id))
    : known.filter((id) => registry[id]?.meta.config === 'recommended');
  return chosen.map((id) => {
    const rule = registry[id]!;
    return selection.strict && hasOption(rule, 'strict') ? { rule, options: { strict: true } } : { rule };
  });
}

function hasOption(rule: AnyRule, name: string): boolean {
  const properties = rule.meta.schema['properties'];
  return typeof properties === 'object' && properties !== null && Object.hasOwn(properties, name);
}
