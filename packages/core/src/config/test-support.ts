/** Shared by the config tests. */
import type { ConfigRuleRegistry } from './types.ts';

/** Two rules with the shapes of the real ones (core does not depend on @resilience-kit/rules). */
export const testRules: ConfigRuleRegistry = {
  'require-timeout': {
    meta: {
      id: 'require-timeout',
      description: 'Require a deadline on every network call.',
      config: 'recommended',
      schema: {
        type: 'object',
        properties: {
          strict: { type: 'boolean', description: 'Report undecidable calls.' },
          timeoutMs: { type: 'integer', minimum: 1, maximum: 2147483647, description: 'Deadline the fix writes.' },
        },
        additionalProperties: false,
      },
    },
  },
  'no-unguarded-dependency': {
    meta: {
      id: 'no-unguarded-dependency',
      description: 'Require calls to a dependency to run behind a breaker.',
      config: 'recommended',
      schema: {
        type: 'object',
        properties: {
          strict: { type: 'boolean', description: 'Report every unguarded call.' },
          criticalDependencies: { type: 'array', items: { type: 'string' }, description: 'Origins that must be guarded.' },
        },
        additionalProperties: false,
      },
    },
  },
};
