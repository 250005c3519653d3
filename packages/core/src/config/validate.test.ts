import { describe, expect, it } from 'vitest';
import { configHash } from './hash.ts';
import { didYouMean, unsupportedKeywords, validateSchema } from './json-schema.ts';
import { DEFAULT_EXAMPLE_PATTERNS, DEFAULT_SCRIPT_PATTERNS, DEFAULT_TEST_PATTERNS } from './types.ts';
import type { ConfigRuleRegistry } from './types.ts';
import { testRules } from './test-support.ts';
import { validateConfig } from './validate.ts';

const configDir = '/repo/app';

function errorsOf(value: unknown): readonly string[] {
  const result = validateConfig(value, { rules: testRules, configDir });
  return result.ok ? [] : result.errors;
}

function resolved(value: unknown) {
  const result = validateConfig(value, { rules: testRules, configDir });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.config;
}

describe('validateConfig', () => {
  it('resolves an empty config to the defaults', () => {
    expect(resolved({})).toEqual({
      baseDir: '/repo/app',
      rules: {},
      ignores: [],
      tests: { include: false, patterns: DEFAULT_TEST_PATTERNS },
      scripts: { include: false, patterns: DEFAULT_SCRIPT_PATTERNS },
      examples: { include: false, patterns: DEFAULT_EXAMPLE_PATTERNS },
      production: [],
      catalogue: {},
    });
  });

  it('normalises severities (numbers as ESLint) and keeps options', () => {
    expect(resolved({
      $schema: './node_modules/@resilience-kit/cli/schema/resilience.config.schema.json',
      rules: { 'require-timeout': ['warn', { timeoutMs: 5000 }], 'no-unguarded-dependency': 0 },
    }).rules).toEqual({
      'require-timeout': { severity: 'warn', options: { timeoutMs: 5000 } },
      'no-unguarded-dependency': { severity: 'off' },
    });
    expect(resolved({ rules: { 'require-timeout': [2] } }).rules).toEqual({ 'require-timeout': { severity: 'error' } });
    expect(resolved({ rules: { 'require-timeout': 1 } }).rules).toEqual({ 'require-timeout': { severity: 'warn' } });
  });

  it('names unknown rules with a did-you-mean, also for the ESLint prefix', () => {
    expect(errorsOf({ rules: { 'require-timout': 'error' } })).toEqual(['rules["require-timout"]: unknown rule (did you mean "require-timeout"?)']);
    expect(errorsOf({ rules: { 'resilience/require-timeout': 'error' } })).toEqual(['rules["resilience/require-timeout"]: unknown rule (did you mean "require-timeout"?)']);
    expect(errorsOf({ rules: { 'no-such-thing': 'error' } })).toEqual([
      'rules["no-such-thing"]: unknown rule (expected "require-timeout" or "no-unguarded-dependency")',
    ]);
  });

  it('checks severities and the entry shape', () => {
    expect(errorsOf({ rules: { 'require-timeout': 'on' } })).toEqual([
      'rules["require-timeout"]: expected a severity ("error", "warn", "off", 0, 1 or 2) or [severity, options], got "on"',
    ]);
    expect(errorsOf({ rules: { 'require-timeout': ['warning', {}] } })).toEqual(['rules["require-timeout"][0]: expected "error", "warn", "off", 0, 1 or 2']);
    expect(errorsOf({ rules: { 'require-timeout': [] } })).toEqual(['rules["require-timeout"]: expected [severity] or [severity, options], got an empty array']);
    expect(errorsOf({ rules: { 'require-timeout': ['error', {}, {}] } })).toEqual(['rules["require-timeout"]: expected [severity] or [severity, options], got 3 items']);
    expect(errorsOf({ rules: ['require-timeout'] })).toEqual(['rules: expected an object, got an array']);
  });

  it('validates rule options against the rule\'s meta.schema', () => {
    expect(errorsOf({ rules: { 'require-timeout': ['error', { timeoutMs: 0, strcit: true }] } })).toEqual([
      'rules["require-timeout"][1].timeoutMs: expected at least 1, got 0',
      'rules["require-timeout"][1].strcit: unknown key (did you mean "strict"?)',
    ]);
    expect(errorsOf({ rules: { 'require-timeout': ['error', { timeoutMs: '5000' }] } })).toEqual([
      'rules["require-timeout"][1].timeoutMs: expected an integer, got "5000"',
    ]);
    expect(errorsOf({ rules: { 'require-timeout': ['error', { timeoutMs: 1.5 }] } })).toEqual([
      'rules["require-timeout"][1].timeoutMs: expected an integer, got 1.5',
    ]);
    expect(errorsOf({ rules: { 'no-unguarded-dependency': ['error', { criticalDependencies: ['https://pay.example.com', 3] }] } })).toEqual([
      'rules["no-unguarded-dependency"][1].criticalDependencies[1]: expected a string, got 3',
    ]);
    expect(errorsOf({ rules: { 'require-timeout': ['error', 'strict'] } })).toEqual(['rules["require-timeout"][1]: expected an object, got "strict"']);
  });

  it('names unknown top-level keys with a did-you-mean, and lists them when nothing is close', () => {
    expect(errorsOf({ rule: {} })).toEqual(['rule: unknown key (did you mean "rules"?)']);
    expect(errorsOf({ ignore: ['x'] })).toEqual(['ignore: unknown key (did you mean "ignores"?)']);
    expect(errorsOf({ plugins: [] })).toEqual(['plugins: unknown key (expected "$schema", "rules", "ignores", "tests", "scripts", "examples", "production" or "catalogue")']);
    expect(errorsOf([])).toEqual(['(root): expected an object, got an empty array']);
    expect(errorsOf({ $schema: 1 })).toEqual(['$schema: expected a string, got 1']);
  });

  it('checks ignores and tests', () => {
    expect(errorsOf({ ignores: 'dist/**' })).toEqual(['ignores: expected an array, got "dist/**"']);
    expect(errorsOf({ ignores: ['dist/**', ''] })).toEqual(['ignores[1]: expected a non-empty string']);
    expect(errorsOf({ tests: { include: 'yes', pattern: [] } })).toEqual([
      'tests.include: expected a boolean, got "yes"',
      'tests.pattern: unknown key (did you mean "patterns"?)',
    ]);
    expect(resolved({ ignores: ['./generated/**', '!./generated/keep.ts'], tests: { include: true, patterns: ['./e2e/**'] } })).toMatchObject({
      ignores: ['generated/**', '!generated/keep.ts'],
      tests: { include: true, patterns: ['e2e/**'] },
    });
  });

  it('resolves flat catalogue entries to specifiers with absolute posix paths', () => {
    const config = resolved({
      catalogue: {
        httpWrappers: [
          { from: 'file', path: 'src/lib/http.ts', name: 'request', timeout: 'unbounded', method: { argument: 1, property: 'method' } },
          { from: 'package', package: '@acme/sdk', name: 'send', url: 1, method: 'POST', timeout: 'bounded' },
        ],
        timeoutGuards: [{ from: 'file', path: '../shared/deadline.ts', name: 'withDeadline', callback: 1 }],
        dependencyGuards: [{ from: 'package', package: '@acme/breakers', name: 'guarded' }],
        retryHelpers: [{ from: 'file', path: '/abs/retry.ts', name: 'retrying', backoff: 'exponential', jitter: true, maxAttempts: null }],
      },
    });
    expect(config.catalogue).toEqual({
      httpWrappers: [
        { specifier: { from: 'file', path: '/repo/app/src/lib/http.ts', name: 'request' }, timeout: 'unbounded', method: { argument: 1, property: 'method' } },
        { specifier: { from: 'package', package: '@acme/sdk', name: 'send' }, url: 1, method: 'POST', timeout: 'bounded' },
      ],
      timeoutGuards: [{ specifier: { from: 'file', path: '/repo/shared/deadline.ts', name: 'withDeadline' }, callback: 1 }],
      dependencyGuards: [{ specifier: { from: 'package', package: '@acme/breakers', name: 'guarded' } }],
      retryHelpers: [{ specifier: { from: 'file', path: '/abs/retry.ts', name: 'retrying' }, backoff: 'exponential', jitter: true, maxAttempts: null }],
    });
  });

  it('resolves file paths against a Windows config directory', () => {
    const result = validateConfig(
      { catalogue: { timeoutGuards: [{ from: 'file', path: 'src\\deadline.ts', name: 'withDeadline' }] } },
      { rules: testRules, configDir: 'C:\\work\\app\\' },
    );
    expect(result.ok && result.config.baseDir).toBe('C:/work/app');
    expect(result.ok && result.config.catalogue.timeoutGuards?.[0]?.specifier).toEqual({ from: 'file', path: 'C:/work/app/src/deadline.ts', name: 'withDeadline' });
  });

  it('explains bad catalogue entries by path', () => {
    expect(errorsOf({ catalogue: { httpWrappers: [{ from: 'file', path: 'src/http.ts', name: 'request', timeout: 'bound' }] } })).toEqual([
      'catalogue.httpWrappers[0].timeout: expected "bounded" or "unbounded"',
    ]);
    expect(errorsOf({ catalogue: { httpWrappers: [{ from: 'file', path: 'src/http.ts', name: 'request' }] } })).toEqual([
      'catalogue.httpWrappers[0].timeout: missing (expected "bounded" or "unbounded")',
    ]);
    expect(errorsOf({ catalogue: { retryHelpers: [{ from: 'package', package: 'p-retry', name: 'default', backoff: 'exponential', jitter: 'yes', maxAttempts: 0 }] } })).toEqual([
      'catalogue.retryHelpers[0].jitter: expected a boolean, got "yes"',
      'catalogue.retryHelpers[0].maxAttempts: expected at least 1, got 0',
    ]);
    expect(errorsOf({ catalogue: { timeoutGuards: [{ package: 'x', name: 'y' }, { from: 'npm', package: 'x', name: 'y' }] } })).toEqual([
      'catalogue.timeoutGuards[0].from: missing (expected "package" or "file")',
      'catalogue.timeoutGuards[1].from: expected "package" or "file"',
    ]);
    expect(errorsOf({ catalogue: { dependencyGuards: [{ from: 'package', path: 'src/x.ts', name: 'y' }] } })).toEqual([
      'catalogue.dependencyGuards[0].path: not allowed with "from": "package"',
      'catalogue.dependencyGuards[0].package: missing (expected a string)',
    ]);
    expect(errorsOf({ catalogue: { httpWrappers: [{ from: 'package', package: 'x', name: 'y', timeout: 'bounded', method: 'post' }] } })).toEqual([
      'catalogue.httpWrappers[0].method: expected "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE" or "OPTIONS"',
    ]);
    expect(errorsOf({ catalogue: { httpWrappers: [{ from: 'package', package: 'x', name: 'y', timeout: 'bounded', method: { argument: -1 } }] } })).toEqual([
      'catalogue.httpWrappers[0].method.argument: expected at least 0, got -1',
    ]);
    expect(errorsOf({ catalogue: { httpWrapper: [], retryHelpers: {} } })).toEqual([
      'catalogue.httpWrapper: unknown key (did you mean "httpWrappers"?)',
      'catalogue.retryHelpers: expected an array, got an object',
    ]);
    expect(errorsOf({ catalogue: { timeoutGuards: [{ from: 'file', path: 'x.ts', name: 'y', callbak: 1 }] } })).toEqual([
      'catalogue.timeoutGuards[0].callbak: unknown key (did you mean "callback"?)',
    ]);
  });

  it('reports every problem at once, in document order', () => {
    expect(errorsOf({ rules: { 'require-timout': 'error' }, ignores: [1], catalogue: { timeoutGuards: [1] } })).toEqual([
      'rules["require-timout"]: unknown rule (did you mean "require-timeout"?)',
      'ignores[0]: expected a string, got 1',
      'catalogue.timeoutGuards[0]: expected an object, got 1',
    ]);
  });

  it('refuses a rule schema it cannot check (our bug, not the user\'s)', () => {
    const rules: ConfigRuleRegistry = { odd: { meta: { id: 'odd', description: '', config: 'all', schema: { type: 'object', patternProperties: {} } } } };
    expect(() => validateConfig({ rules: { odd: ['error', {}] } }, { rules, configDir })).toThrow('rule odd: options schema uses unsupported keywords (#: patternProperties)');
  });

  it('requires an absolute configDir', () => {
    expect(() => validateConfig({}, { rules: testRules, configDir: 'relative' })).toThrow('configDir must be absolute');
  });
});

describe('validateSchema (the draft-04 subset)', () => {
  it('handles alternatives by the branch of the value\'s type', () => {
    const schema = { anyOf: [{ type: 'string', enum: ['a', 'b'] }, { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false }] };
    expect(validateSchema('c', schema, ['x'])).toEqual(['x: expected "a" or "b"']);
    expect(validateSchema({}, schema, ['x'])).toEqual(['x.n: missing (expected an integer)']);
    expect(validateSchema(3, schema, ['x'])).toEqual(['x: expected "a" or "b", or an object']);
    expect(validateSchema({ n: 1 }, schema, ['x'])).toEqual([]);
  });

  it('handles tuples, bounds and uniqueness', () => {
    const schema = { type: 'array', items: [{ type: 'string' }], additionalItems: false, uniqueItems: true };
    expect(validateSchema(['a', 'b'], schema)).toEqual(['[1]: unexpected item (expected at most 1)']);
    expect(validateSchema(['a', 'a'], { type: 'array', uniqueItems: true })).toEqual(['[1]: duplicate of an earlier item']);
    expect(validateSchema(5, { type: 'number', minimum: 5, exclusiveMinimum: true })).toEqual(['(root): expected more than 5, got 5']);
    expect(validateSchema(5, { type: 'number', exclusiveMaximum: 5 })).toEqual(['(root): expected less than 5, got 5']);
    expect(validateSchema('ab', { type: 'string', pattern: '^a+$' })).toEqual(['(root): expected a string matching /^a+$/']);
  });

  it('lists keywords it does not understand, at any depth', () => {
    expect(unsupportedKeywords({ type: 'object', properties: { a: { type: 'string', format: 'uri' } }, description: 'x' })).toEqual(['#/properties/a: format']);
    expect(unsupportedKeywords({ anyOf: [{ $ref: '#/x' }] })).toEqual(['#/anyOf/0: $ref']);
  });

  it('suggests only close names', () => {
    expect(didYouMean('timout', ['timeout', 'url'])).toBe('timeout');
    expect(didYouMean('xyz', ['timeout', 'url'])).toBeUndefined();
  });
});

describe('configHash', () => {
  it('is the same for the same config in any key order, and differs when a value does', () => {
    const a = resolved({ rules: { 'require-timeout': ['warn', { timeoutMs: 5000, strict: true }] }, ignores: ['x/**'] });
    const b = resolved({ ignores: ['x/**'], rules: { 'require-timeout': ['warn', { strict: true, timeoutMs: 5000 }] } });
    expect(configHash(a)).toBe(configHash(b));
    expect(configHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(configHash(resolved({ ignores: ['y/**'] }))).not.toBe(configHash(resolved({ ignores: ['x/**'] })));
  });
});
