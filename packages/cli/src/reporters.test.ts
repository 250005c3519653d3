import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AuditFinding, AuditReport } from './report.ts';
import { formatNames, getReporter, reporters } from './reporters/index.ts';
import { json } from './reporters/json.ts';
import { markdown } from './reporters/markdown.ts';
import { text } from './reporters/text.ts';

const cliVersion = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const apiSource = 'export async function load(url: string) {\n  const res = await fetch(url);\n  return axios.get(url);\n}\n';
const brokenSource = 'const x = ;\n';

const report: AuditReport = {
  root: '/work/project',
  fileCount: 3,
  rules: ['require-timeout', 'require-backoff'],
  findings: [
    { ruleId: 'require-timeout', severity: 'error', file: 'src/api.ts', line: 2, column: 21, endLine: 2, endColumn: 31, message: '`fetch` call has no timeout.', fixable: true },
    { ruleId: 'require-timeout', severity: 'error', file: 'src/api.ts', line: 3, column: 10, endLine: 3, endColumn: 24, message: '`axios.get` call has no timeout.', fixable: false },
  ],
  errors: [{ file: 'src/broken.ts', line: 1, column: 11, message: 'Expression expected.' }],
  warnings: [],
  sources: new Map([['src/api.ts', apiSource], ['src/broken.ts', brokenSource]]),
};

const clean: AuditReport = { ...report, findings: [], errors: [], sources: new Map() };

describe('registry', () => {
  it('has a description for every format, and no sarif/html yet', () => {
    expect(formatNames).toEqual(['text', 'json', 'markdown']);
    for (const name of formatNames) expect(reporters[name]?.description).toMatch(/^\S.{10,}$/);
    expect(getReporter('sarif')).toBeUndefined();
    expect(getReporter('toString')).toBeUndefined();
  });
});

describe('json reporter', () => {
  it('follows the contract exactly', () => {
    const parsed: unknown = JSON.parse(json(report, { color: true }));
    expect(parsed).toStrictEqual({
      version: 1,
      tool: { name: 'resilience-kit', version: cliVersion },
      root: '/work/project',
      summary: { files: 3, findings: 2, fixable: 1, errors: 1, byRule: { 'require-backoff': 0, 'require-timeout': 2 } },
      findings: [
        { ruleId: 'require-timeout', severity: 'error', file: 'src/api.ts', line: 2, column: 21, endLine: 2, endColumn: 31, message: '`fetch` call has no timeout.', fixable: true },
        { ruleId: 'require-timeout', severity: 'error', file: 'src/api.ts', line: 3, column: 10, endLine: 3, endColumn: 24, message: '`axios.get` call has no timeout.', fixable: false },
      ],
      errors: [{ file: 'src/broken.ts', line: 1, column: 11, message: 'Expression expected.' }],
    });
  });

  it('is deterministic, key order included, and ignores colour', () => {
    const shuffled: AuditReport = {
      ...report,
      rules: [...report.rules].reverse(),
      findings: report.findings.map((f) => Object.fromEntries(Object.entries(f).reverse()) as unknown as AuditFinding),
    };
    const output = json(report, { color: false });
    expect(json(shuffled, { color: true })).toBe(output);
    const parsed = JSON.parse(output) as Record<string, unknown> & { findings: Record<string, unknown>[] };
    expect(Object.keys(parsed)).toEqual(['version', 'tool', 'root', 'summary', 'findings', 'errors']);
    expect(Object.keys(parsed.findings[0]!)).toEqual(['ruleId', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'fixable']);
    expect(output.endsWith('}\n')).toBe(true);
  });
});

describe('text reporter', () => {
  it('groups by file with code frames, a table per rule and a total', () => {
    expect(text(report, { color: false })).toBe([
      'src/api.ts',
      '  2:21  `fetch` call has no timeout.  require-timeout',
      '    > 2 |   const res = await fetch(url);',
      '        |                     ^^^^^^^^^^',
      '',
      '  3:10  `axios.get` call has no timeout.  require-timeout',
      '    > 3 |   return axios.get(url);',
      '        |          ^^^^^^^^^^^^^^',
      '',
      'src/broken.ts',
      '  1:11  Parsing error: Expression expected.',
      '    > 1 | const x = ;',
      '        |           ^',
      '',
      'Rule             Problems  Fixable',
      'require-timeout         2        1',
      '',
      '1 file could not be parsed.',
      '✖ 3 problems (3 errors), 1 fixable with `resilience fix`',
      '',
    ].join('\n'));
  });

  it('says so when there is nothing to report', () => {
    expect(text(clean, { color: false })).toBe('✔ No problems found in 3 files.\n');
  });

  it('uses ANSI colours only when asked', () => {
    expect(text(report, { color: false })).not.toMatch(/\u001b\[/);
    expect(text(report, { color: true })).toMatch(/\u001b\[/);
  });

  it('still lists a finding whose source text is missing', () => {
    const output = text({ ...report, errors: [], sources: new Map() }, { color: false });
    expect(output).toContain('src/api.ts\n  2:21  `fetch` call has no timeout.  require-timeout\n  3:10  ');
  });
});

describe('markdown reporter', () => {
  it('renders a PR comment: table by rule, then findings per file', () => {
    expect(markdown(report, { color: true })).toBe([
      '## resilience-kit audit',
      '',
      '**3 problems** (1 fixable with `resilience fix`) in 2 of 3 files.',
      '',
      '| Rule | Problems | Fixable |',
      '| --- | ---: | ---: |',
      '| `require-timeout` | 2 | 1 |',
      '| parse errors | 1 | 0 |',
      '',
      '### `src/api.ts`',
      '',
      '- `src/api.ts:2` `fetch` call has no timeout. (`require-timeout`)',
      '- `src/api.ts:3` `axios.get` call has no timeout. (`require-timeout`)',
      '',
      '### `src/broken.ts`',
      '',
      '- `src/broken.ts:1` Parsing error: Expression expected.',
      '',
    ].join('\n'));
  });

  it('reports a clean run in one line', () => {
    expect(markdown(clean, { color: false })).toBe('## resilience-kit audit\n\n✅ No problems found in 3 files.\n');
  });
});
