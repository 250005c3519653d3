import { describe, expect, it } from 'vitest';
import { runAudit } from './audit.ts';
import { UsageError } from './errors.ts';
import { isInShard, parseShard, shardOf } from './shard.ts';
import { fakeRegistry, useTempDirs } from './test-helpers.ts';

const temp = useTempDirs();

describe('parseShard', () => {
  it('reads k/n, 1-based', () => {
    expect(parseShard('1/3')).toEqual({ index: 1, count: 3 });
    expect(parseShard('3/3')).toEqual({ index: 3, count: 3 });
    expect(parseShard(' 2 / 4 ')).toEqual({ index: 2, count: 4 });
  });

  it('rejects anything else with one line', () => {
    for (const bad of ['3/2', '0/2', '1/0', '2', 'a/b', '1/2/3', '-1/2', '1.5/2', '']) {
      expect(() => parseShard(bad)).toThrow(UsageError);
    }
    expect(() => parseShard('3/2')).toThrow('invalid --shard "3/2": expected k/n with 1 ≤ k ≤ n (e.g. --shard 2/3)');
  });
});

describe('shardOf', () => {
  const files = Array.from({ length: 600 }, (_, i) => `src/module-${i}/index.ts`);

  it('depends only on the path: the same on every call, unmoved when other files come and go', () => {
    const before = new Map(files.map((f) => [f, shardOf(f, 4)]));
    const fewer = files.filter((_, i) => i % 3 !== 0);
    for (const f of fewer) expect(shardOf(f, 4)).toBe(before.get(f));
    expect(shardOf('src/a.ts', 1)).toBe(1);
  });

  it('spreads files over the shards, each file in exactly one', () => {
    const counts = [0, 0, 0];
    for (const f of files) {
      const owners = [1, 2, 3].filter((index) => isInShard(f, { index, count: 3 }));
      expect(owners).toHaveLength(1);
      counts[owners[0]! - 1]! += 1;
    }
    for (const n of counts) expect(n).toBeGreaterThan(150); // 200 each on average
  });
});

describe('runAudit with a shard', () => {
  it('analyses only its files; the shards partition the run', async () => {
    const sources = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`src/f${i}.ts`, `fetch(a${i});\n`]));
    const dir = temp(sources);
    const whole = await runAudit({ paths: ['.'], cwd: dir, registry: fakeRegistry });
    expect(whole.shard).toBeUndefined();
    const shards = await Promise.all([1, 2, 3].map((index) => runAudit({ paths: ['.'], cwd: dir, registry: fakeRegistry, shard: { index, count: 3 } })));
    expect(shards.map((s) => s.shard)).toEqual([{ index: 1, count: 3 }, { index: 2, count: 3 }, { index: 3, count: 3 }]);
    expect(shards.reduce((n, s) => n + s.fileCount, 0)).toBe(12);
    expect(shards.flatMap((s) => s.files ?? []).sort()).toEqual(whole.files);
    expect(shards.flatMap((s) => s.findings.map((f) => f.file)).sort()).toEqual(whole.findings.map((f) => f.file).sort());
    for (const shard of shards) {
      for (const file of shard.files ?? []) expect(shardOf(file, 3)).toBe(shard.shard?.index);
    }
  });

  it('rejects an invalid shard given programmatically', async () => {
    const dir = temp({ 'a.ts': '' });
    await expect(runAudit({ paths: ['.'], cwd: dir, registry: fakeRegistry, shard: { index: 4, count: 3 } })).rejects.toThrow(UsageError);
  });
});
