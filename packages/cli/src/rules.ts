/**
 * Which rules run, with which options and severity: `--rule` (repeatable) or the recommended set
 * adjusted by the config file's `rules`, and `--strict`.
 */
import type { AnyRule, RuleRun, RuleSetting, Severity } from '@resilience-kit/core';
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
  /**
   * The config file's `rules`: `off` removes a rule, `warn`/`error` turn it on (even outside the
   * recommended set) with that severity, and options are merged over the rule's defaults.
   * `--rule` still decides which rules run when it is given.
   */
  readonly settings?: Readonly<Record<string, RuleSetting>> | undefined;
}

/** A rule to run, with the severity its findings get (`error` unless the config says `warn`). */
export interface SelectedRule extends RuleRun {
  readonly severity: Severity;
}

export function selectRules(registry: RuleRegistry, selection: RuleSelection): SelectedRule[] {
  const known = Object.keys(registry);
  const requested = selection.ruleIds ?? [];
  for (const id of requested) {
    if (!Object.hasOwn(registry, id)) {
      throw new UsageError(`unknown rule "${id}" (known rules: ${known.join(', ') || 'none'})`);
    }
  }
  const settings = selection.settings ?? {};
  const chosen = requested.length > 0
    ? known.filter((id) => requested.includes(id))
    : known.filter((id) => (settings[id] ? settings[id].severity !== 'off' : registry[id]?.meta.config === 'recommended'));
  return chosen.map((id) => {
    const rule = registry[id]!;
    const setting = settings[id];
    const severity: Severity = setting?.severity === 'warn' ? 'warn' : 'error';
    const options = { ...setting?.options, ...(selection.strict && hasOption(rule, 'strict') ? { strict: true } : {}) };
    return Object.keys(options).length > 0 ? { rule, options, severity } : { rule, severity };
  });
}

function hasOption(rule: AnyRule, name: string): boolean {
  const properties = rule.meta.schema['properties'];
  return typeof properties === 'object' && properties !== null && Object.hasOwn(properties, name);
}
