/**
 * `settings.resilience`: the config file's schema, validated with the same validator; a problem
 * stops the lint with a message that names every path.
 */
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import plugin from './index.ts';

const UNSAFE = 'export async function load(url: string) {\n  return await fetch(url);\n}\n';

function lint(settings: Record<string, unknown>, code = UNSAFE): Linter.LintMessage[] {
  const linter = new Linter({ configType: 'flat' });
  return linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser as Linter.Parser },
        plugins: { resilience: plugin as never },
        rules: { 'resilience/require-timeout': 'warn' },
        settings,
      },
    ],
    'src/load.ts',
  );
}

describe('settings.resilience', () => {
  it('accepts the config file\'s schema (rules and ignores too, which ESLint\'s own config governs)', () => {
    const messages = lint({
      resilience: {
        rules: { 'require-timeout': 'off' },
        ignores: ['src/**'],
        catalogue: {
          httpWrappers: [{ from: 'file', path: 'src/lib/http.ts', name: 'request', timeout: 'unbounded' }],
          timeoutGuards: [{ from: 'package', package: '@acme/deadline', name: 'withDeadline' }],
        },
      },
    });
    // `rules: { 'require-timeout': 'off' }` in settings does not turn the ESLint rule off.
    expect(messages.map((m) => [m.ruleId, m.severity, m.line])).toEqual([['resilience/require-timeout', 1, 2]]);
  });

  it('lints as before without settings', () => {
    expect(lint({}).map((m) => m.ruleId)).toEqual(['resilience/require-timeout']);
  });

  it('stops with every problem named by its path', () => {
    const settings = {
      resilience: {
        rules: { 'require-timout': 'warn' },
        catalogue: { httpWrappers: [{ from: 'file', path: 'src/http.ts', name: 'request', timeout: 'bound' }] },
      },
    };
    expect(() => lint(settings)).toThrow(
      'eslint-plugin-resilience: invalid settings.resilience:\n'
      + '  rules["require-timout"]: unknown rule (did you mean "require-timeout"?)\n'
      + '  catalogue.httpWrappers[0].timeout: expected "bounded" or "unbounded"',
    );
    // Validated once per settings object, and the verdict is kept: the second lint fails the same way.
    expect(() => lint(settings)).toThrow(/^eslint-plugin-resilience: invalid settings\.resilience:\n/);
    expect(() => lint({ resilience: 'on' })).toThrow('eslint-plugin-resilience: invalid settings.resilience:\n  (root): expected an object, got "on"');
  });
});
