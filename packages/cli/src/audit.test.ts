import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnyRule } from '@resilience-kit/core';
import { runAudit } from './audit.ts';
import { UsageError } from './errors.ts';
import { auditExitCode } from './report.ts';
import { text } from './reporters/text.ts';
import { fakeRegistry, useTempDirs } from './test-helpers.ts';

const temp = useTempDirs();

describe('runAudit', () => {
  it('reports findings sorted by file then position, with posix paths relative to the cwd', async () => {
    const dir = temp({
      'src/b.ts': 'fetch(a);\nfetch(b, {});\n',
      'src/a.ts': 'const x = 1;\n\n  fetch(x); fetch(y);\n',
      'clean.js': 'export const ok = 1;\n',
    });
    const report = await runAudit({ paths: ['.'], cwd: dir, registry: fakeRegistry });
    expect(report.root).toBe(dir.split('\\').join('/'));
    expect(report.fileCount).toBe(3);
    expect(report.rules).toEqual(['fake-timeout']);
    expect(report.findings.map((f) => [f.file, f.line, f.column, f.endLine, f.endColumn, f.fixable])).toEqual([
      ['src/a.ts', 3, 3, 3, 11, true],
      ['src/a.ts', 3, 13, 3, 21, true],
      ['src/b.ts', 1, 1, 1, 9, true],
    ]);
    expect(report.findings[0]).toMatchObject({ ruleId: 'fake-timeout', severity: 'error', message: '`fetch(…)` has no timeout.' });
    expect([...report.sources.keys()]).toEqual(['src/a.ts', 'src/b.ts']);
    expect(auditExitCode(report)).toBe(1);
  });

  it('audits a folder outside the working directory with paths relative to that folder, and names it as the root', async () => {
    const dir = temp({ 'svc/src/b.ts': 'fetch(a);\n', 'svc/src/a.ts': 'fetch(b);\n', 'tools/readme.md': '' });
    const cwd = path.join(dir, 'tools');
    const report = await runAudit({ paths: ['../svc'], cwd, registry: fakeRegistry });
    expect(report.root).toBe(path.join(dir, 'svc').split(path.sep).join('/'));
    expect(report.findings.map((f) => f.file)).toEqual(['src/a.ts', 'src/b.ts']);
    const textOut = text(report, { color: false, cwd: cwd.split(path.sep).join('/') });
    expect(textOut.split('\n')[0]).toBe(`Paths are relative to ${report.root}`);
    // Inside the working directory nothing changes: the root is the working directory.
    const inside = await runAudit({ paths: ['svc/src'], cwd: dir, registry: fakeRegistry });
    expect(inside.findings.map((f) => f.file)).toEqual(['svc/src/a.ts', 'svc/src/b.ts']);
    expect(text(inside, { color: false, cwd: dir.split(path.sep).join('/') })).not.toContain('Paths are relative to');
  });

  it('runs only the recommended rules by default; --rule turns on any rule; --strict sets the option where it exists', async () => {
    const dir = temp({ 'a.ts': 'fetch(a, {});\nfetch(b);\n' });
    const ids = async (options: { rules?: string[]; strict?: boolean }): Promise<string[]> =>
      (await runAudit({ paths: ['a.ts'], cwd: dir, registry: fakeRegistry, ...options })).findings.map((f) => `${f.ruleId}@${f.line}`);
    expect(await ids({})).toEqual(['fake-timeout@2']);
    expect(await ids({ strict: true })).toEqual(['fake-timeout@2']);
    expect(await ids({ rules: ['fake-strict'] })).toEqual([]);
    expect(await ids({ rules: ['fake-strict'], strict: true })).toEqual(['fake-strict@1']);
    expect(await ids({ rules: ['fake-strict', 'fake-timeout', 'fake-strict'], strict: true })).toEqual(['fake-strict@1', 'fake-timeout@2']);
  });

  it('reports a file that does not parse and analyses the others', async () => {
    const dir = temp({ 'broken.ts': 'fetch(a);\nconst = ;\n', 'ok.ts': 'fetch(a);\n' });
    const report = await runAudit({ paths: ['.'], cwd: dir, registry: fakeRegistry });
    expect(report.errors).toEqual([{ file: 'broken.ts', line: 2, column: 7, message: 'Variable declaration expected.' }]);
    expect(report.findings.map((f) => f.file)).toEqual(['ok.ts']);
    expect(report.sources.get('broken.ts')).toBe('fetch(a);\nconst = ;\n');
    expect(auditExitCode(report)).toBe(2);
  });

  it('is clean (exit code 0) when nothing is found', async () => {
    const dir = temp({ 'a.ts': 'export const a = 1;\n' });
    const report = await runAudit({ paths: ['a.ts'], cwd: dir, registry: fakeRegistry });
    expect(report.findings).toEqual([]);
    expect(auditExitCode(report)).toBe(0);
  });

  it('rejects unknown rules, listing the known ones', async () => {
    const dir = temp({ 'a.ts': '' });
    await expect(runAudit({ paths: ['.'], cwd: dir, registry: fakeRegistry, rules: ['fake-timeout', 'nope'] }))
      .rejects.toThrow(new UsageError('unknown rule "nope" (known rules: fake-timeout, fake-strict)'));
  });

  it('names the file when a rule crashes', async () => {
    const dir = temp({ 'src/a.ts': 'fetch(a);\n' });
    const crashing: AnyRule = {
      meta: { ...fakeRegistry['fake-timeout']!.meta, id: 'crash' },
      check() {
        throw new Error('boom');
      },
    };
    await expect(runAudit({ paths: ['.'], cwd: dir, registry: { crash: crashing } })).rejects.toThrow('src/a.ts: boom');
  });

  it('gives the rules the program (type-aware facts), inferred or from the tsconfig', async () => {
    const dir = temp({
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true }, include: ['src'] }),
      'src/a.ts': 'export const a = 1;\n',
      'src/b.ts': 'export const b = 1;\n',
      'loose.js': 'export const c = 1;\n',
    });
    const seen: string[] = [];
    const probe: AnyRule = {
      meta: { ...fakeRegistry['fake-timeout']!.meta, id: 'probe' },
      *check({ sourceFile, facts }) {
        seen.push(`${sourceFile.fileName.split('/').pop()}:${facts.typeAware ? 'type-aware' : 'syntax-only'}`);
      },
    };
    const report = await runAudit({ paths: ['.', 'loose.js'], cwd: dir, registry: { probe } });
    expect(report.fileCount).toBe(3);
    expect(seen.sort()).toEqual(['a.ts:type-aware', 'b.ts:type-aware', 'loose.js:type-aware']);
  });

  it('judges a client default by the version its package declares (ioredis 5 from package.json, nothing installed)', async () => {
    // `a.ts` holds a retry, so analysing it summarises the files of the program that mention retries.
    const dir = temp({
      'package.json': JSON.stringify({ name: 'svc', dependencies: { ioredis: '5.10.1' } }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, skipLibCheck: true, noEmit: true }, include: ['src'] }),
      'src/a.ts': 'export async function withRetry<T>(op: () => Promise<T>): Promise<T> {\n  for (let i = 0; ; i++) {\n    try { return await op(); } catch (e) { if (i >= 3) throw e; }\n  }\n}\n',
      'src/b.ts': "import Redis from 'ioredis';\n// The client retries its connection on its own.\nexport const cache = new Redis(process.env.REDIS_URL ?? 'redis://localhost');\n",
    });
    const report = await runAudit({ paths: ['src/a.ts', 'src/b.ts'], cwd: dir, rules: ['require-jitter'] });
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['src/b.ts:3 require-jitter']);
  });
});

describe('test files', () => {
  it('are skipped by default, analysed with includeTests, and always when named', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'rk-tests-'));
    mkdirSync(join(dir, '__tests__'));
    const call = 'export const f = (u: string) => fetch(u);\n';
    writeFileSync(join(dir, 'app.ts'), call);
    writeFileSync(join(dir, 'app.test.ts'), call);
    writeFileSync(join(dir, 'app.spec.mts'), call);
    writeFileSync(join(dir, '__tests__', 'helper.ts'), call);
    const files = async (opts: { paths: string[]; includeTests?: boolean }) =>
      [...new Set((await runAudit({ cwd: dir, ...opts })).findings.map((f) => f.file))].sort();
    expect(await files({ paths: ['.'] })).toEqual(['app.ts']);
    expect(await files({ paths: ['.'], includeTests: true })).toEqual(['__tests__/helper.ts', 'app.spec.mts', 'app.test.ts', 'app.ts']);
    expect(await files({ paths: ['app.test.ts'] })).toEqual(['app.test.ts']);
  });
});
