/**
 * `--concurrency`: the report does not depend on the number of workers. The fixture projects are
 * audited whole (five tsconfigs: the corpus, the example service, three packages of the
 * whole-program fixture) in one thread and in four workers, type-aware and syntax-only, and the JSON
 * reports must be byte-identical.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAudit, type AuditOptions } from './audit.ts';
import { analyseInWorkers, splitFiles, workerCount } from './parallel.ts';
import { getReporter } from './reporters/index.ts';
import { planSession } from './session.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures');
const paths = ['corpus', 'projects', 'whole-program'];

async function json(options: AuditOptions): Promise<string> {
  const report = await runAudit(options);
  return getReporter('json')!.report(report, { color: false, reportSuppressed: true, cwd: fixtures });
}

describe('audit --concurrency', () => {
  it('gives the same JSON report with four workers as with one, type-aware (a program group per tsconfig)', async () => {
    const plan = await planSession({ paths, cwd: fixtures });
    expect(plan.groups.map((g) => path.relative(fixtures, g.configFile ?? '(inferred)'))).toEqual([
      'projects/shop-service/tsconfig.json',
      'tsconfig.json',
      'whole-program/packages/billing/tsconfig.json',
      'whole-program/packages/web/tsconfig.json',
      'whole-program/packages/worker/tsconfig.json',
    ]);
    const one = await json({ paths, cwd: fixtures, concurrency: 1 });
    const four = await json({ paths, cwd: fixtures, concurrency: 4 });
    expect(JSON.parse(one).findings.length).toBeGreaterThan(100);
    expect(four).toBe(one);
  }, 300_000);

  it('gives the same JSON report with four workers as with one, syntax-only (slices of files), strict and with tests', async () => {
    const options = { paths, cwd: fixtures, syntaxOnly: true, strict: true, includeTests: true } as const;
    const one = await json({ ...options, concurrency: 1 });
    const four = await json({ ...options, concurrency: 4 });
    expect(JSON.parse(one).findings.length).toBeGreaterThan(100);
    expect(four).toBe(one);
  }, 300_000);

  it('gives the same shard with workers as without', async () => {
    const options = { paths, cwd: fixtures, shard: { index: 2, count: 3 } } as const;
    expect(await json({ ...options, concurrency: 3 })).toBe(await json({ ...options, concurrency: 1 }));
  }, 300_000);

  it('reports an error in a worker as the error it is, naming the file', async () => {
    const plan = await planSession({ paths: ['projects'], cwd: fixtures });
    const group = plan.groups[0]!;
    // A unit whose file does not exist: the worker fails reading it, and the run fails with that error.
    const missing = path.join(path.dirname(group.files[0]!), 'no-such-file.ts');
    const units = [{ ...group, files: [missing], rootNames: [missing] }, group];
    await expect(analyseInWorkers({ plan: { ...plan, syntaxOnly: true }, units, workers: 2, options: { paths: ['projects'], cwd: fixtures }, onFile: () => {} }))
      .rejects.toThrow(/no-such-file\.ts/);
  }, 120_000);

  it('runs in one thread unless asked, and never starts more workers than units', () => {
    expect(workerCount({}, 50)).toBe(1);
    expect(workerCount({ concurrency: 4 }, 5)).toBe(4);
    expect(workerCount({ concurrency: 4 }, 2)).toBe(2);
    expect(workerCount({ concurrency: 1 }, 50)).toBe(1);
  });

  it('splits syntax-only files into slices of consecutive paths that cover every file once', () => {
    const files = Array.from({ length: 50 }, (_, i) => `/r/f${String(i).padStart(2, '0')}.ts`);
    const slices = splitFiles([{ configFile: undefined, files, rootNames: files, options: {}, projectReferences: undefined }], 2);
    expect(slices.length).toBe(8); // 50 files in slices of ⌈50 / 8⌉ = 7
    expect(slices.flatMap((s) => s.files)).toEqual(files);
  });

  it('rejects a concurrency that is not a whole number ≥ 1', async () => {
    await expect(runAudit({ paths: ['projects'], cwd: fixtures, concurrency: 0 })).rejects.toThrow('invalid concurrency 0');
  });
});
