/**
 * The editor schema and the validator must agree: the schema is compiled by ajv (the reference
 * draft-07 implementation, strict mode: no unknown keywords) and run on the same configs.
 */
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildConfigSchema } from './schema.ts';
import { validateConfig } from './validate.ts';
import { testRules } from './test-support.ts';

const file = (extra: Record<string, unknown>) => ({ from: 'file', path: 'src/x.ts', name: 'x', ...extra });
const pkg = (extra: Record<string, unknown>) => ({ from: 'package', package: '@acme/x', name: 'x', ...extra });

const valid: unknown[] = [
  {},
  { $schema: './schema.json', rules: { 'require-timeout': 'warn', 'no-unguarded-dependency': ['error', { strict: true, criticalDependencies: ['payments'] }] } },
  { rules: { 'require-timeout': [0] } },
  { ignores: ['dist/**'], tests: { include: true, patterns: ['e2e/**'] } },
  {
    catalogue: {
      httpWrappers: [file({ timeout: 'bounded' }), pkg({ timeout: 'unbounded', url: 1, method: 'PUT' }), pkg({ timeout: 'unbounded', method: { argument: 0, property: 'method' } })],
      timeoutGuards: [file({ callback: 1 })],
      dependencyGuards: [pkg({})],
      retryHelpers: [file({ backoff: 'linear', jitter: false, maxAttempts: 3 }), pkg({ backoff: 'none', jitter: true, maxAttempts: null })],
    },
  },
];

const invalid: unknown[] = [
  [],
  { rule: {} },
  { $schema: 1 },
  { rules: { 'require-timout': 'error' } },
  { rules: { 'require-timeout': 'on' } },
  { rules: { 'require-timeout': [] } },
  { rules: { 'require-timeout': ['error', {}, {}] } },
  { rules: { 'require-timeout': ['error', { timeoutMs: 0 }] } },
  { rules: { 'require-timeout': ['error', { nope: true }] } },
  { ignores: 'dist/**' },
  { ignores: [''] },
  { tests: { include: 'yes' } },
  { catalogue: { httpWrapper: [] } },
  { catalogue: { httpWrappers: [file({})] } },
  { catalogue: { httpWrappers: [file({ timeout: 'bound' })] } },
  { catalogue: { httpWrappers: [pkg({ timeout: 'bounded', method: 'post' })] } },
  { catalogue: { httpWrappers: [pkg({ timeout: 'bounded', method: { property: 'method' } })] } },
  { catalogue: { timeoutGuards: [{ name: 'x', path: 'x.ts' }] } },
  { catalogue: { timeoutGuards: [pkg({ path: 'x.ts' })] } },
  { catalogue: { timeoutGuards: [file({ callback: -1 })] } },
  { catalogue: { retryHelpers: [pkg({ backoff: 'exponential', jitter: true })] } },
  { catalogue: { retryHelpers: [pkg({ backoff: 'exponential', jitter: true, maxAttempts: 0 })] } },
];

describe('buildConfigSchema', () => {
  const schema = buildConfigSchema(testRules);
  // strictTuples would insist that [severity, options] always has both items; options are optional.
  const check = new Ajv({ strict: true, strictTuples: false, allErrors: true }).compile(schema);

  it.each(valid.map((config) => [JSON.stringify(config), config]))('accepts what the validator accepts: %s', (_, config) => {
    expect(validateConfig(config, { rules: testRules, configDir: '/repo' }).ok).toBe(true);
    expect(check(config), JSON.stringify(check.errors)).toBe(true);
  });

  it.each(invalid.map((config) => [JSON.stringify(config), config]))('rejects what the validator rejects: %s', (_, config) => {
    expect(validateConfig(config, { rules: testRules, configDir: '/repo' }).ok).toBe(false);
    expect(check(config)).toBe(false);
  });

  it('describes every property, for editor hovers', () => {
    const undescribed: string[] = [];
    const visit = (node: unknown, at: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const properties = (node as { properties?: Record<string, unknown> }).properties;
      for (const [key, sub] of Object.entries(properties ?? {})) {
        if (!(sub as { description?: string }).description) undescribed.push(`${at}.${key}`);
      }
      for (const [key, sub] of Object.entries(node)) visit(sub, key === 'properties' ? at : `${at}/${key}`);
    };
    visit(schema, '#');
    expect(undescribed).toEqual([]);
  });
});
