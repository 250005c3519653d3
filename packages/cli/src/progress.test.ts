import { describe, expect, it } from 'vitest';
import { runAudit } from './audit.ts';
import type { AuditPhase } from './progress.ts';
import { createProgressBar, shouldShowProgress } from './progress.ts';
import { fakeRegistry, useTempDirs } from './test-helpers.ts';

const temp = useTempDirs();

describe('shouldShowProgress', () => {
  it('shows the bar only on a terminal, outside CI, unless turned off', () => {
    expect(shouldShowProgress({ stderrIsTTY: true, env: {} })).toBe(true);
    expect(shouldShowProgress({ stderrIsTTY: false, env: {} })).toBe(false);
    expect(shouldShowProgress({ stderrIsTTY: true, env: { CI: 'true' } })).toBe(false);
    expect(shouldShowProgress({ stderrIsTTY: true, env: { CI: '1' } })).toBe(false);
    expect(shouldShowProgress({ stderrIsTTY: true, env: { CI: 'false' } })).toBe(true);
    expect(shouldShowProgress({ stderrIsTTY: true, env: { CI: '' } })).toBe(true);
    expect(shouldShowProgress({ stderrIsTTY: true, env: { TERM: 'dumb' } })).toBe(false);
    expect(shouldShowProgress({ stderrIsTTY: true, env: {}, enabled: false })).toBe(false);
  });
});

describe('runAudit onProgress', () => {
  it('loads, then counts files up to the total', async () => {
    const dir = temp({ 'a.ts': 'fetch(a);\n', 'b.ts': 'export {};\n', 'c.ts': 'const = ;\n' });
    const calls: [number, number, AuditPhase][] = [];
    await runAudit({ paths: ['.'], cwd: dir, registry: fakeRegistry, onProgress: (done, total, phase) => calls.push([done, total, phase]) });
    expect(calls).toEqual([
      [0, 0, 'loading programs'],
      [0, 3, 'analysing'],
      [1, 3, 'analysing'],
      [2, 3, 'analysing'],
      [3, 3, 'analysing'],
    ]);
  });

  it('counts only the shard’s files', async () => {
    const dir = temp(Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`f${i}.ts`, 'export {};\n'])));
    let last: [number, number] | undefined;
    const report = await runAudit({ paths: ['.'], cwd: dir, registry: fakeRegistry, shard: { index: 2, count: 3 }, onProgress: (done, total) => { last = [done, total]; } });
    expect(last).toEqual([report.fileCount, report.fileCount]);
  });
});

describe('createProgressBar', () => {
  it('writes nothing when stopped before it started', () => {
    let written = '';
    createProgressBar((text) => { written += text; }).stop();
    expect(written).toBe('');
  });

  it('writes only through the function it is given, and can be stopped twice', () => {
    let written = '';
    const bar = createProgressBar((text) => { written += text; });
    bar.onProgress(0, 0, 'loading programs');
    bar.onProgress(0, 2, 'analysing');
    bar.onProgress(2, 2, 'analysing');
    bar.stop();
    bar.stop();
    expect(written).not.toBe('');
  });
});
