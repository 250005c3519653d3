import { describe, expect, it } from 'vitest';
import { runAudit } from './audit.ts';
import { UsageError } from './errors.ts';
import { fromJsonReport, mergeDependencies, mergeShardReports, parseShardReport } from './merge.ts';
import type { ReportInput } from './merge.ts';
import type { AuditReport, CallSite } from './report.ts';
import { toJsonReport } from './reporters/json.ts';
import { fakeRegistry, useTempDirs } from './test-helpers.ts';

const temp = useTempDirs();

const policies: CallSite['policies'] = { timeout: 'absent', retry: 'absent', backoff: 'n/a', jitter: 'n/a', idempotencyKey: 'n/a', breaker: 'absent', fallback: 'absent' };

function call(file: string, line: number): CallSite {
  return { file, line, column: 3, client: 'fetch', callee: 'fetch', method: undefined, policies };
}

const report: AuditReport = {
  root: '/work/shop',
  fileCount: 2,
  rules: ['require-timeout'],
  ruleInfo: [{ id: 'require-timeout', description: 'd', docsUrl: 'https://x/require-timeout.md', fixKind: 'suggestion', codemod: undefined, severity: 'warn' }],
  findings: [{ ruleId: 'require-timeout', severity: 'warn', file: 'src/a.ts', line: 2, column: 3, endLine: 2, endColumn: 9, message: 'm', fixable: true, fingerprint: 'abc:0' }],
  suppressed: [{ ruleId: 'require-timeout', severity: 'error', file: 'src/a.ts', line: 4, column: 1, endLine: 4, endColumn: 9, message: 'm', fixable: true, fingerprint: 'def:0', justification: 'bounded' }],
  dependencies: [{ id: 'unresolved:fetch', display: 'fetch', calls: [call('src/a.ts', 2), call('src/a.ts', 4)] }],
  errors: [{ file: 'src/broken.ts', line: 1, column: 7, message: 'Variable declaration expected.' }],
  warnings: [],
  sources: new Map([['src/a.ts', 'source of a'], ['src/broken.ts', 'const = ;\n']]),
};

function shardJson(base: AuditReport, index: number, count: number, files: string[] = []): ReportInput {
  return toJsonReport({ ...base, shard: { index, count }, files });
}

describe('fromJsonReport', () => {
  it('gives back the report the JSON was written from, sources read through readSource', () => {
    const texts = new Map([['src/a.ts', 'source of a'], ['src/broken.ts', 'const = ;\n']]);
    const back = fromJsonReport(toJsonReport(report), { readSource: (file) => texts.get(file) });
    expect(back).toEqual(report);
  });

  it('leaves out the sources it cannot read (no code frame), and reads from the root by default', () => {
    expect(fromJsonReport(toJsonReport(report), { readSource: () => undefined }).sources.size).toBe(0);
    const dir = temp({ 'src/a.ts': 'from disk\n' });
    expect([...fromJsonReport(toJsonReport({ ...report, root: dir })).sources]).toEqual([['src/a.ts', 'from disk\n']]);
  });
});

describe('mergeShardReports', () => {
  const input = (label: string, json: ReportInput): { label: string; report: ReportInput } => ({ label, report: json });
  const clean: AuditReport = { ...report, findings: [], suppressed: [], dependencies: [], errors: [], sources: new Map() };

  it('requires shard reports, one of each 1..n, from one run', () => {
    const one = shardJson(clean, 1, 2);
    const two = shardJson(clean, 2, 2);
    const expectError = (inputs: { label: string; report: ReportInput }[], message: string): void => {
      expect(() => mergeShardReports(inputs)).toThrow(UsageError);
      expect(() => mergeShardReports(inputs)).toThrow(message);
    };
    expectError([input('a.json', one)], 'missing shard 2/2: merge needs all 2 shard reports');
    expectError([input('a.json', one), input('b.json', one)], 'shard 1/2 given twice: a.json, b.json');
    expectError([input('a.json', one), input('b.json', shardJson(clean, 2, 3))], 'a.json is shard 1/2 but b.json is shard 2/3: merge shards of one --shard k/n run');
    expectError([input('a.json', one), input('b.json', { ...two, tool: { name: 'resilience-kit', version: '9.9.9' } })], `a.json was written by resilience-kit ${one.tool.version}, b.json by 9.9.9: merge shards of one version`);
    expectError([input('a.json', one), input('b.json', { ...two, root: '/elsewhere' })], 'a.json and b.json audited different roots (/work/shop, /elsewhere)');
    expectError([input('a.json', one), input('b.json', { ...two, rules: [] })], 'a.json and b.json ran different rules (require-timeout; none)');
    expectError([], 'no shard reports given');
    expect(() => parseShardReport(JSON.stringify(toJsonReport(clean)), 'whole.json')).toThrow('whole.json is not a shard report: run audit with --shard k/n --format json');
    expect(() => parseShardReport('{"version":1}', 'x.json')).toThrow('x.json is not a resilience-kit JSON report (audit --format json)');
    expect(() => parseShardReport('nope', 'x.json')).toThrow(/^x\.json is not a JSON report: /);
  });

  it('merges findings, errors, suppressed findings, dependencies and counts', () => {
    const other: AuditReport = {
      ...clean,
      fileCount: 1,
      findings: [{ ...report.findings[0]!, file: 'src/0.ts' }],
      dependencies: [{ id: 'unresolved:fetch', display: 'fetch', calls: [call('src/0.ts', 9)] }, { id: 'https://pay.example', display: 'pay', calls: [call('src/0.ts', 1)] }],
    };
    const merged = mergeShardReports([input('2.json', shardJson(report, 2, 2, ['src/a.ts', 'src/broken.ts'])), input('1.json', shardJson(other, 1, 2, ['src/0.ts']))], { readSource: () => undefined });
    expect(merged.fileCount).toBe(3);
    expect(merged.findings.map((f) => f.file)).toEqual(['src/0.ts', 'src/a.ts']);
    expect(merged.errors).toEqual(report.errors);
    expect(merged.suppressed).toEqual(report.suppressed);
    expect(merged.dependencies.map((d) => [d.id, d.calls.map((c) => `${c.file}:${c.line}`)])).toEqual([
      ['https://pay.example', ['src/0.ts:1']],
      ['unresolved:fetch', ['src/0.ts:9', 'src/a.ts:2', 'src/a.ts:4']],
    ]);
    expect(merged.files).toEqual(['src/0.ts', 'src/a.ts', 'src/broken.ts']);
    expect(merged.shard).toBeUndefined();
  });
});

describe('mergeDependencies', () => {
  it('names a dependency after its first call in file order, as a single run does', () => {
    const merged = mergeDependencies([
      { id: 'x', display: 'from b', calls: [call('b.ts', 1)] },
      { id: 'x', display: 'from a', calls: [call('a.ts', 5)] },
    ]);
    expect(merged).toEqual([{ id: 'x', display: 'from a', calls: [call('a.ts', 5), call('b.ts', 1)] }]);
  });
});

describe('a sharded run, merged', () => {
  it('is the JSON report of the whole run', async () => {
    const files = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`src/m${i}.ts`, i % 3 === 0 ? 'export const x = 1;\n' : `fetch(a${i});\nfetch(b, {});\n`]));
    const dir = temp({ ...files, 'src/broken.ts': 'const = ;\n', 'src/quiet.ts': '// eslint-disable-next-line resilience/fake-timeout\nfetch(q);\n' });
    const whole = toJsonReport(await runAudit({ paths: ['.'], cwd: dir, registry: fakeRegistry }));
    const shards = await Promise.all([1, 2, 3].map(async (index) =>
      ({ label: `${index}.json`, report: toJsonReport(await runAudit({ paths: ['.'], cwd: dir, registry: fakeRegistry, shard: { index, count: 3 } })) })));
    const merged = toJsonReport(mergeShardReports(shards));
    expect(merged).toEqual(whole);
    expect(JSON.stringify(merged)).toBe(JSON.stringify(whole));
  });
});
