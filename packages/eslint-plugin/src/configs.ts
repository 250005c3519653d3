/**
 * Shared configs, derived from each rule's `meta.config` (never kept by hand):
 * - `recommended`: the low-noise rules, at their default options;
 * - `strict`: recommended + strict rules, with `strict: true` wherever a rule has that option;
 * - `all`: every rule on.
 * The type-checked variants are the same rule sets: type information only adds precision
 * (cross-file resolution), it never changes a verdict, so they differ only by asking for a program.
 */
import type { AnyRule } from '@resilience-kit/core';
import type { TSESLint } from '@typescript-eslint/utils';

type RuleEntry = TSESLint.FlatConfig.RuleEntry;
export type FlatConfig = TSESLint.FlatConfig.Config & { name: string; rules: Record<string, RuleEntry> };
export type PluginConfigs = Record<'recommended' | 'strict' | 'all' | 'recommendedTypeChecked' | 'strictTypeChecked', FlatConfig>;

function hasStrictOption(rule: AnyRule): boolean {
  const props = (rule.meta.schema as { properties?: Record<string, unknown> }).properties;
  return !!props && 'strict' in props;
}

export function buildConfigs(plugin: TSESLint.FlatConfig.Plugin, rules: Readonly<Record<string, AnyRule>>): PluginConfigs {
  const entries = Object.entries(rules);
  const pick = (levels: readonly string[], strict: boolean): Record<string, RuleEntry> =>
    Object.fromEntries(
      entries
        .filter(([, r]) => levels.includes(r.meta.config))
        .map(([id, r]) => [`resilience/${id}`, strict && hasStrictOption(r) ? (['error', { strict: true }] as RuleEntry) : 'error']),
    );
  const make = (name: string, rulesMap: Record<string, RuleEntry>, typed = false): FlatConfig => ({
    name: `resilience/${name}`,
    plugins: { resilience: plugin },
    rules: rulesMap,
    ...(typed ? { languageOptions: { parserOptions: { projectService: true } } } : {}),
  });
  const recommended = pick(['recommended'], false);
  const strict = pick(['recommended', 'strict'], true);
  return {
    recommended: make('recommended', recommended),
    strict: make('strict', strict),
    all: make('all', pick(['recommended', 'strict', 'all'], false)),
    recommendedTypeChecked: make('recommended-type-checked', recommended, true),
    strictTypeChecked: make('strict-type-checked', strict, true),
  };
}
