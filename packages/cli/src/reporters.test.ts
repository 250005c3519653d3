import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AuditReport } from './report.ts';
import { clean, report } from './reporters/fixtures/report.ts';
import { formatNames, getReporter, reporters } from './reporters/index.ts';
import { json } from './reporters/json.ts';
import { markdown } from './reporters/markdown.ts';
import { text } from './reporters/text.ts';

const cliVersion = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const DOCS = 'https://github.com/resilience-kit/resilience-kit/blob/main/docs/rules/';

/** The text report's dependency map of the fixture report. */
const MAP = [
  'Dependency map: 4 outbound calls to 2 dependencies',
  'Dependency                 Calls  Files   Timeout  Retried  Backoff  Jitter  Idem. key  Breaker  Fallback',
  'https://pay.example.com        3      2  2/3 (1?)      2/3      2/2     1/2        0/1      2/3       0/3',
  'unresolved `fetch` target      1      1       0/1      0/1        —       —          —      0/1       0/1',
  'n/m: calls with the policy / calls it applies to · (k?): k of them undecided · —: applies to none',
];

describe('registry', () => {
  it('has every format, each with a one-line description', () => {
    expect(formatNames).toEqual(['text', 'json', 'sarif', 'html', 'markdown']);
    for (const name of formatNames) expect(reporters[name]?.description).toMatch(/^\S[^\n]{10,90}$/);
    expect(getReporter('sarif')?.report).toBeTypeOf('function');
    expect(getReporter('toString')).toBeUndefined();
  });

  it('every reporter handles a full report and a clean one, ending with a newline', () => {
    for (const name of formatNames) {
      for (const r of [report, clean]) expect(getReporter(name)!.report(r, { color: false }).endsWith('\n')).toBe(true);
    }
  });
});

describe('json reporter', () => {
  it('follows the contract exactly: version 1 fields, then the extensions (the dependency map last)', () => {
    const parsed: unknown = JSON.parse(json(report, { color: true }));
    const call = (file: string, line: number, client: string, callee: string, method: string | null, policies: Record<string, string>) =>
      ({ file, line, column: 3, client, callee, method, policies });
    const cov = (present: number, applicable: number, unknown = 0) => ({ present, applicable, unknown });
    expect(parsed).toStrictEqual({
      version: 1,
      tool: { name: 'resilience-kit', version: cliVersion },
      root: '/work/project',
      summary: {
        files: 4, findings: 3, fixable: 1, errors: 1,
        byRule: { 'require-backoff': 1, 'require-idempotency-key': 0, 'require-timeout': 2 },
        suppressed: 1,
        bySeverity: { error: 3, warn: 1 },
        baselined: null,
        baselineFixed: null,
        skipped: null,
      },
      findings: [
        { ruleId: 'require-timeout', severity: 'error', file: 'src/api.ts', line: 2, column: 21, endLine: 2, endColumn: 31, message: '`fetch` call has no timeout.', fixable: true, fingerprint: '0f1e2d3c4b5a69788796a5b4c3d2e1f0:0' },
        { ruleId: 'require-timeout', severity: 'error', file: 'src/api.ts', line: 3, column: 10, endLine: 3, endColumn: 24, message: '`axios.get` call has no timeout.', fixable: false, fingerprint: '1f1e2d3c4b5a69788796a5b4c3d2e1f0:0' },
        { ruleId: 'require-backoff', severity: 'warn', file: 'src/jobs/sync.ts', line: 2, column: 10, endLine: 2, endColumn: 44, message: '`retry(…)` waits nothing between attempts.', fixable: false, fingerprint: '2f1e2d3c4b5a69788796a5b4c3d2e1f0:0' },
      ],
      errors: [{ file: 'src/broken.ts', line: 1, column: 11, message: 'Expression expected.' }],
      suppressed: [
        { ruleId: 'require-timeout', severity: 'error', file: 'src/legacy.ts', line: 5, column: 9, endLine: 5, endColumn: 19, message: '`fetch` call has no timeout.', fixable: true, fingerprint: '3f1e2d3c4b5a69788796a5b4c3d2e1f0:0', justification: 'the legacy client has its own watchdog' },
      ],
      dependencies: [
        {
          id: 'https://pay.example.com',
          display: 'https://pay.example.com',
          calls: [
            call('src/pay.ts', 4, 'axios', 'axios.post', 'POST', { timeout: 'present', retry: 'present', backoff: 'present', jitter: 'absent', idempotencyKey: 'absent', breaker: 'present', fallback: 'absent' }),
            call('src/pay.ts', 9, 'axios', 'axios.get', 'GET', { timeout: 'present', retry: 'present', backoff: 'present', jitter: 'present', idempotencyKey: 'n/a', breaker: 'present', fallback: 'absent' }),
            call('src/refund.ts', 3, 'axios', 'axios.post', 'POST', { timeout: 'unknown', retry: 'absent', backoff: 'n/a', jitter: 'n/a', idempotencyKey: 'n/a', breaker: 'absent', fallback: 'absent' }),
          ],
        },
        {
          id: 'unresolved:fetch',
          display: 'unresolved `fetch` target',
          calls: [call('src/api.ts', 2, 'fetch', 'fetch', null, { timeout: 'absent', retry: 'absent', backoff: 'n/a', jitter: 'n/a', idempotencyKey: 'n/a', breaker: 'absent', fallback: 'absent' })],
        },
      ],
      rules: [
        { id: 'require-timeout', description: 'Require a deadline on every network call.', docsUrl: `${DOCS}require-timeout.md`, fixKind: 'suggestion', codemod: 'add-timeout', severity: 'error' },
        { id: 'require-backoff', description: 'Require retries to back off exponentially.', docsUrl: `${DOCS}require-backoff.md`, fixKind: 'suggestion', codemod: 'add-backoff', severity: 'warn' },
        { id: 'require-idempotency-key', description: 'Require an idempotency key on retried POST requests.', docsUrl: `${DOCS}require-idempotency-key.md`, fixKind: 'none', codemod: null, severity: 'error' },
      ],
      baselined: null,
      shard: null,
      dependencyMap: [
        {
          id: 'https://pay.example.com', display: 'https://pay.example.com', unresolved: false, callSites: 3, files: 2,
          policies: {
            timeout: cov(2, 3, 1), retry: cov(2, 3), backoff: cov(2, 2), jitter: cov(1, 2), idempotencyKey: cov(0, 1), breaker: cov(2, 3), fallback: cov(0, 3),
          },
        },
        {
          id: 'unresolved:fetch', display: 'unresolved `fetch` target', unresolved: true, callSites: 1, files: 1,
          policies: {
            timeout: cov(0, 1), retry: cov(0, 1), backoff: cov(0, 0), jitter: cov(0, 0), idempotencyKey: cov(0, 0), breaker: cov(0, 1), fallback: cov(0, 1),
          },
        },
      ],
    });
  });

  it('orders the dependency map like every format: named dependencies by call sites, unresolved ones last', () => {
    const dependencies = [report.dependencies[1]!, { ...report.dependencies[0]!, id: 'https://a.example.com', calls: report.dependencies[0]!.calls.slice(0, 1) }, report.dependencies[0]!];
    const parsed = JSON.parse(json({ ...report, dependencies }, { color: false })) as { dependencies: { id: string }[]; dependencyMap: { id: string; callSites: number }[] };
    // `dependencies` keeps the report's order (by id); the map has its own.
    expect(parsed.dependencies.map((d) => d.id)).toEqual(['unresolved:fetch', 'https://a.example.com', 'https://pay.example.com']);
    expect(parsed.dependencyMap.map((d) => `${d.id} ${d.callSites}`)).toEqual(['https://pay.example.com 3', 'https://a.example.com 1', 'unresolved:fetch 1']);
    expect((JSON.parse(json(clean, { color: false })) as { dependencyMap: unknown }).dependencyMap).toEqual([]);
  });

  it('is deterministic, key order included, and ignores colour', () => {
    const reverse = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).reverse()) as T;
    const shuffled: AuditReport = {
      ...report,
      rules: [...report.rules].reverse(),
      findings: report.findings.map((f) => reverse(f)),
      suppressed: report.suppressed.map((f) => reverse(f)),
      dependencies: report.dependencies.map((d) => reverse({ ...d, calls: d.calls.map((c) => reverse({ ...c, policies: reverse(c.policies) })) })),
      ruleInfo: report.ruleInfo.map((r) => reverse(r)),
    };
    const output = json(report, { color: false });
    expect(json(shuffled, { color: true })).toBe(output);
    const parsed = JSON.parse(output) as Record<string, unknown> & { summary: object; findings: object[]; suppressed: object[]; dependencies: { calls: { policies: object }[] }[]; dependencyMap: { policies: Record<string, object> }[] };
    // Version 1's keys first, in their order; extensions after (extend, never break).
    expect(Object.keys(parsed)).toEqual(['version', 'tool', 'root', 'summary', 'findings', 'errors', 'suppressed', 'dependencies', 'rules', 'baselined', 'shard', 'dependencyMap']);
    expect(Object.keys(parsed.summary)).toEqual(['files', 'findings', 'fixable', 'errors', 'byRule', 'suppressed', 'bySeverity', 'baselined', 'baselineFixed', 'skipped']);
    expect(Object.keys(parsed.findings[0]!)).toEqual(['ruleId', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'fixable', 'fingerprint']);
    expect(Object.keys(parsed.suppressed[0]!)).toEqual(['ruleId', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'fixable', 'fingerprint', 'justification']);
    expect(Object.keys(parsed.dependencies[0]!.calls[0]!.policies)).toEqual(['timeout', 'retry', 'backoff', 'jitter', 'idempotencyKey', 'breaker', 'fallback']);
    expect(Object.keys(parsed.dependencyMap[0]!)).toEqual(['id', 'display', 'unresolved', 'callSites', 'files', 'policies']);
    expect(Object.keys(parsed.dependencyMap[0]!.policies)).toEqual(['timeout', 'retry', 'backoff', 'jitter', 'idempotencyKey', 'breaker', 'fallback']);
    expect(Object.keys(parsed.dependencyMap[0]!.policies['timeout']!)).toEqual(['present', 'applicable', 'unknown']);
    expect(output.endsWith('}\n')).toBe(true);
  });

  it('writes null, never leaves a key out, for a missing justification', () => {
    const parsed = JSON.parse(json({ ...report, suppressed: [{ ...report.suppressed[0]!, justification: undefined }] }, { color: false })) as { suppressed: Record<string, unknown>[] };
    expect(parsed.suppressed[0]!['justification']).toBeNull();
  });
});

describe('text reporter', () => {
  it('groups by file with severity and code frames, then a table per rule, the docs, the dependency map and a total', () => {
    expect(text(report, { color: false })).toBe([
      'src/api.ts',
      '  2:21  error  `fetch` call has no timeout.  require-timeout',
      '    > 2 |   const res = await fetch(url);',
      '        |                     ^^^^^^^^^^',
      '',
      '  3:10  error  `axios.get` call has no timeout.  require-timeout',
      '    > 3 |   return axios.get(url);',
      '        |          ^^^^^^^^^^^^^^',
      '',
      'src/broken.ts',
      '  1:11  error  Parsing error: Expression expected.',
      '    > 1 | const x = ;',
      '        |           ^',
      '',
      'src/jobs/sync.ts',
      '  2:10  warning  `retry(…)` waits nothing between attempts.  require-backoff',
      '    > 2 |   return retry(() => push(), { retries: 3 });',
      '        |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
      '',
      'Rule             Severity  Problems  Fixable  Suppressed',
      'require-backoff  warning          1        0           0',
      'require-timeout  error            2        1           1',
      '',
      `Rule docs: ${DOCS}<rule>.md`,
      '',
      ...MAP,
      '',
      '1 file could not be parsed.',
      '✖ 4 problems (3 errors, 1 warning), 1 fixable with `resilience fix`',
      '1 finding suppressed by eslint-disable comments (not counted).',
      '',
    ].join('\n'));
  });

  it('shows the dependency map on a clean run too, before the verdict, and no map without outbound calls', () => {
    expect(text({ ...clean, dependencies: report.dependencies }, { color: false })).toBe([...MAP, '', '✔ No problems found in 4 files.', ''].join('\n'));
    expect(text(clean, { color: false })).not.toContain('Dependency map');
  });

  it('keeps the map compact: long names cut with …, at most 20 rows, then how many more', () => {
    const long = `https://${'very-long-service-name.'.repeat(4)}example.com`;
    const deps = Array.from({ length: 23 }, (_, i) => ({
      id: `https://s${String(i).padStart(2, '0')}.example.com`,
      display: i === 0 ? long : `https://s${String(i).padStart(2, '0')}.example.com`,
      calls: report.dependencies[0]!.calls.slice(0, i === 0 ? 3 : 1),
    }));
    const lines = text({ ...clean, dependencies: deps }, { color: false }).split('\n');
    const start = lines.indexOf('Dependency map: 25 outbound calls to 23 dependencies');
    expect(start).toBe(0);
    const rows = lines.slice(2, lines.findIndex((l) => l.startsWith('…')));
    expect(rows).toHaveLength(20);
    expect(rows[0]).toBe(`${long.slice(0, 47)}…      3      2  2/3 (1?)      2/3      2/2     1/2        0/1      2/3       0/3`);
    expect(rows[0]!.indexOf('      3')).toBe(48);
    expect(rows[19]!.startsWith('https://s19.example.com ')).toBe(true);
    expect(lines).toContain('… 3 more dependencies (see --format html or --format json)');
  });

  it('colours coverage like the rest: green all, yellow some, red none, dim n/a; retry uncoloured', () => {
    const coloured = text({ ...clean, dependencies: report.dependencies }, { color: true });
    const row = coloured.split('\n').find((l) => l.startsWith('https://pay.example.com'))!;
    expect(row).toContain('\u001b[33m2/3 (1?)\u001b[39m  ' + '    2/3  \u001b[32m    2/2\u001b[39m');
    expect(row).toContain('\u001b[31m      0/1\u001b[39m');
    expect(coloured.split('\n').find((l) => l.startsWith('unresolved'))).toContain('\u001b[2m      —\u001b[22m');
    expect(coloured).toContain('\u001b[1mDependency map\u001b[22m: 4 outbound calls to 2 dependencies');
    expect(text({ ...clean, dependencies: report.dependencies }, { color: false })).not.toMatch(/\u001b\[/);
  });

  it('aligns severities within a file, and gives the one rule’s docs URL itself', () => {
    const mixed: AuditReport = {
      ...report,
      findings: [report.findings[0]!, { ...report.findings[1]!, severity: 'warn' }],
      suppressed: [],
      errors: [],
    };
    const output = text(mixed, { color: false });
    expect(output).toContain('  2:21  error    `fetch` call has no timeout.  require-timeout\n');
    expect(output).toContain('  3:10  warning  `axios.get` call has no timeout.  require-timeout\n');
    expect(output).toContain(`Rule docs: ${DOCS}require-timeout.md\n`);
    expect(output.endsWith('✖ 2 problems (1 error, 1 warning), 1 fixable with `resilience fix`\n')).toBe(true);
  });

  it('says so when there is nothing to report, counting suppressed findings apart', () => {
    expect(text(clean, { color: false })).toBe('✔ No problems found in 4 files.\n');
    expect(text({ ...clean, suppressed: report.suppressed }, { color: false }))
      .toBe('✔ No problems found in 4 files (1 finding suppressed by eslint-disable comments).\n');
  });

  it('uses ANSI colours only when asked: red errors, yellow warnings', () => {
    expect(text(report, { color: false })).not.toMatch(/\u001b\[/);
    const coloured = text(report, { color: true });
    expect(coloured).toContain('\u001b[31merror\u001b[39m');
    expect(coloured).toContain('\u001b[33mwarning\u001b[39m');
  });

  it('still lists a finding whose source text is missing', () => {
    const output = text({ ...report, errors: [], sources: new Map() }, { color: false });
    expect(output).toContain('src/api.ts\n  2:21  error  `fetch` call has no timeout.  require-timeout\n  3:10  ');
  });
});

describe('markdown reporter', () => {
  it('renders a PR comment: total, the dependency map, table by rule with docs links, findings per file', () => {
    expect(markdown(report, { color: true })).toBe([
      '## resilience-kit audit',
      '',
      '**4 problems** (3 errors, 1 warning; 1 fixable with `resilience fix`) in 3 of 4 files. 1 finding suppressed by `eslint-disable` comments.',
      '',
      '**Dependency map**: 4 outbound calls to 2 dependencies',
      '',
      '| Dependency | Calls | Files | Timeout | Retried | Backoff | Jitter | Idempotency key | Breaker | Fallback |',
      '| --- | ---: | ---: | --- | --- | --- | --- | --- | --- | --- |',
      '| `https://pay.example.com` | 3 | 2 | ⚠️ 2/3 (1 unknown) | 2/3 | ✅ 2/2 | ⚠️ 1/2 | ❌ 0/1 | ⚠️ 2/3 | ❌ 0/3 |',
      '| unresolved `fetch` target | 1 | 1 | ❌ 0/1 | 0/1 | — | — | — | ❌ 0/1 | ❌ 0/1 |',
      '',
      '✅ every call covered · ⚠️ some · ❌ none · — does not apply (calls not retried, or not a POST/PATCH)',
      '',
      '| Rule | Severity | Problems | Fixable | Suppressed |',
      '| --- | --- | ---: | ---: | ---: |',
      `| [\`require-backoff\`](${DOCS}require-backoff.md) | warning | 1 | 0 | 0 |`,
      `| [\`require-timeout\`](${DOCS}require-timeout.md) | error | 2 | 1 | 1 |`,
      '| parse errors | error | 1 | 0 | 0 |',
      '',
      '### `src/api.ts`',
      '',
      '- `src/api.ts:2:21` **error** `fetch` call has no timeout. (`require-timeout`)',
      '- `src/api.ts:3:10` **error** `axios.get` call has no timeout. (`require-timeout`)',
      '',
      '### `src/broken.ts`',
      '',
      '- `src/broken.ts:1:11` **error** Parsing error: Expression expected.',
      '',
      '### `src/jobs/sync.ts`',
      '',
      '- `src/jobs/sync.ts:2:10` **warning** `retry(…)` waits nothing between attempts. (`require-backoff`)',
      '',
    ].join('\n'));
  });

  it('names the root when it is not the working directory, as the text report does', () => {
    expect(markdown(report, { color: false, cwd: '/work/other' })).toContain('comments.\n\nPaths are relative to `/work/project`.\n\n**Dependency map**');
    expect(markdown(report, { color: false, cwd: '/work/project' })).not.toContain('Paths are relative to');
  });

  it('shows the map on a clean run with outbound calls, under the verdict', () => {
    expect(markdown({ ...clean, dependencies: report.dependencies }, { color: false }))
      .toMatch(/^## resilience-kit audit\n\n✅ No problems found in 4 files\.\n\n\*\*Dependency map\*\*: 4 outbound calls to 2 dependencies\n\n\| Dependency \|[\s\S]*— does not apply \(calls not retried, or not a POST\/PATCH\)\n$/);
  });

  it('reports a clean run in one line', () => {
    expect(markdown(clean, { color: false })).toBe('## resilience-kit audit\n\n✅ No problems found in 4 files.\n');
  });
});
