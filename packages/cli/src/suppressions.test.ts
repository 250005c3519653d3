import { describe, expect, it } from 'vitest';
import { parseSource } from '@resilience-kit/core';
import { runAudit } from './audit.ts';
import { runFix } from './fix.ts';
import { parseDirectives, suppressionFor } from './suppressions.ts';
import { fakeRegistry, useTempDirs } from './test-helpers.ts';

const temp = useTempDirs();

function directives(text: string): ReturnType<typeof parseDirectives> {
  return parseDirectives(parseSource('a.ts', text));
}

describe('parseDirectives', () => {
  it('reads the four ESLint directives, their rules (resilience/ only) and justifications', () => {
    const found = directives([
      '// eslint-disable-next-line resilience/require-timeout -- the SDK bounds it',
      'fetch(a); // eslint-disable-line resilience/require-timeout, other/rule',
      '/* eslint-disable resilience/no-unguarded-dependency */',
      '/* eslint-enable */',
      '// eslint-disable-next-line',
      'const s = "// eslint-disable-line";',
    ].join('\n'));
    expect(found).toEqual([
      { kind: 'disable-next-line', rules: ['require-timeout'], justification: 'the SDK bounds it', line: 1, endLine: 1 },
      { kind: 'disable-line', rules: ['require-timeout'], justification: undefined, line: 2, endLine: 2 },
      { kind: 'disable', rules: ['no-unguarded-dependency'], justification: undefined, line: 3, endLine: 3 },
      { kind: 'enable', rules: undefined, justification: undefined, line: 4, endLine: 4 },
      { kind: 'disable-next-line', rules: undefined, justification: undefined, line: 5, endLine: 5 },
    ]);
  });

  it('ignores block directives in line comments, as ESLint does, and directive look-alikes', () => {
    expect(directives('// eslint-disable resilience/require-timeout\n// eslint-disabled\n/* eslint-disablement */\n')).toEqual([]);
  });
});

describe('suppressionFor', () => {
  const text = [
    '/* eslint-disable resilience/require-backoff -- legacy */', // 1
    'a();', // 2
    '/* eslint-enable resilience/require-backoff */', // 3
    'b();', // 4
    '// eslint-disable-next-line resilience/require-timeout', // 5
    'c();', // 6
    'd(); // eslint-disable-line', // 7
    '/* eslint-disable */', // 8
    'e();', // 9
  ].join('\n');
  const all = directives(text);

  it.each([
    ['require-backoff', 2, 'legacy'],
    ['require-timeout', 6, undefined],
    ['require-jitter', 7, undefined],
    ['require-timeout', 9, undefined],
  ])('turns off %s on line %i', (rule, line, justification) => {
    expect(suppressionFor(all, rule, line)).toEqual({ justification });
  });

  it.each([
    ['require-timeout', 2],
    ['require-backoff', 4],
    ['require-jitter', 6],
  ])('keeps %s on line %i', (rule, line) => {
    expect(suppressionFor(all, rule, line)).toBeUndefined();
  });
});

describe('suppressions in audit and fix', () => {
  const source = [
    'fetch(a);',
    '// eslint-disable-next-line resilience/fake-timeout -- bounded by the proxy',
    'fetch(b);',
    'fetch(c); // eslint-disable-line resilience/other-rule',
    '',
  ].join('\n');

  it('the audit moves suppressed findings out of the findings, with their justification', async () => {
    const dir = temp({ 'a.ts': source });
    const report = await runAudit({ paths: ['.'], cwd: dir, registry: fakeRegistry });
    expect(report.findings.map((f) => f.line)).toEqual([1, 4]);
    expect(report.suppressed.map((f) => [f.line, f.ruleId, f.justification])).toEqual([[3, 'fake-timeout', 'bounded by the proxy']]);
  });

  it('fix leaves a suppressed call alone', async () => {
    const dir = temp({ 'a.ts': source });
    const report = await runFix({ paths: ['.'], cwd: dir, registry: fakeRegistry, dryRun: true });
    const diff = report.fixed.map((f) => f.diff).join('');
    expect(diff).toContain('+fetch(a, { signal: AbortSignal.timeout(5000) });');
    expect(diff).toContain('+fetch(c, { signal: AbortSignal.timeout(5000) }); // eslint-disable-line resilience/other-rule');
    expect(diff).not.toContain('+fetch(b');
  });
});
