import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { runAudit } from './audit.ts';
import type { AuditOptions } from './audit.ts';
import { ImportGraph } from './cache.ts';
import type { AuditReport } from './report.ts';
import { fakeRegistry, useTempDirs } from './test-helpers.ts';
import { toolVersion } from './version.ts';

const temp = useTempDirs();

const FILES = {
  // api.ts and jobs.ts import the wrapper; standalone.ts imports nothing.
  'src/http.ts': "export function get(url: string) {\n  return fetch(url);\n}\n",
  'src/api.ts': "import { get } from './http';\nexport const load = (u: string) => [get(u), fetch(u)];\n",
  'src/jobs.ts': "import { load } from './api';\nexport const run = () => load('x');\n",
  'src/standalone.ts': 'export const ping = () => fetch(url);\n',
};

function audit(dir: string, extra: Partial<AuditOptions> = {}): Promise<AuditReport> {
  return runAudit({ paths: ['.'], cwd: dir, registry: fakeRegistry, cache: { location: 'cache.json' }, ...extra });
}

/** The report without what legitimately differs between a cached and an uncached run. */
function comparable(report: AuditReport): unknown {
  return { ...report, cacheStats: undefined };
}

describe('--cache', () => {
  it('replays every file on a second run, with the same report', async () => {
    const dir = temp(FILES);
    const first = await audit(dir);
    expect(first.cacheStats).toEqual({ analysed: 4, cached: 0 });
    const second = await audit(dir);
    // Nothing changed: replayed without building a program.
    expect(second.cacheStats).toEqual({ analysed: 0, cached: 4, unchangedTree: true });
    expect(comparable(second)).toEqual(comparable(first));
    expect(second.sources.get('src/api.ts')).toBe(FILES['src/api.ts']);
  });

  it('replays an unchanged tree without a program only while every file its programs held is unchanged', async () => {
    const dir = temp({ ...FILES, 'shared/types.d.ts': 'declare const url: string;\n', 'tsconfig.json': '{ "include": ["src", "shared"] }' });
    const first = await audit(dir, { paths: ['src'] });
    expect(first.cacheStats).toEqual({ analysed: 4, cached: 0 });
    expect((await audit(dir, { paths: ['src'] })).cacheStats).toEqual({ analysed: 0, cached: 4, unchangedTree: true });
    // A declaration file outside the audited paths, in the program: the tree changed, every file is keyed again (all hit).
    writeFileSync(path.join(dir, 'shared/types.d.ts'), 'declare const url: string | undefined;\n');
    expect((await audit(dir, { paths: ['src'] })).cacheStats).toEqual({ analysed: 0, cached: 4 });
    expect((await audit(dir, { paths: ['src'] })).cacheStats).toEqual({ analysed: 0, cached: 4, unchangedTree: true });
    // A new file in the tsconfig's include changes the plan.
    writeFileSync(path.join(dir, 'src/extra.ts'), 'export const two = 2;\n');
    expect((await audit(dir, { paths: ['src'] })).cacheStats).toEqual({ analysed: 1, cached: 4 });
    // Other rules, or no type information: not the same run.
    expect((await audit(dir, { paths: ['src'], rules: ['fake-timeout', 'fake-strict'] })).cacheStats?.unchangedTree).toBeUndefined();
    expect((await audit(dir, { paths: ['src'], syntaxOnly: true })).cacheStats?.unchangedTree).toBeUndefined();
  });

  it('re-analyses an edited file, and the files that import it (transitively), only', async () => {
    const dir = temp(FILES);
    await audit(dir);
    writeFileSync(path.join(dir, 'src/standalone.ts'), 'export const ping = () => fetch(url, {});\n');
    expect((await audit(dir)).cacheStats).toEqual({ analysed: 1, cached: 3 });
    // The wrapper changes: http.ts, api.ts (imports it) and jobs.ts (imports api.ts) are re-analysed.
    writeFileSync(path.join(dir, 'src/http.ts'), "export function get(url: string) {\n  return fetch(url, { signal: AbortSignal.timeout(1000) });\n}\n");
    const report = await audit(dir);
    expect(report.cacheStats).toEqual({ analysed: 3, cached: 1 });
    expect(report.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['src/api.ts:2']);
  });

  it('re-analyses the files a caller imports (a wrapper\'s verdict can depend on its callers)', async () => {
    const dir = temp(FILES);
    await audit(dir);
    // jobs.ts changes: it is re-analysed, and so are api.ts and http.ts, which it reaches through imports.
    writeFileSync(path.join(dir, 'src/jobs.ts'), "import { load } from './api';\nexport const run = () => load('y');\n");
    expect((await audit(dir)).cacheStats).toEqual({ analysed: 3, cached: 1 });
  });

  it('misses every file when a module sets a program-wide default, even one nothing imports', async () => {
    const dir = temp({ ...FILES, 'src/setup.ts': "import axios from 'axios';\naxios.defaults.timeout = 1000;\n" });
    await audit(dir);
    writeFileSync(path.join(dir, 'src/setup.ts'), "import axios from 'axios';\naxios.defaults.timeout = 0;\n");
    expect((await audit(dir)).cacheStats).toEqual({ analysed: 5, cached: 0 });
    writeFileSync(path.join(dir, 'src/setup.ts'), "import axios from 'axios';\naxios.defaults.timeout = 0;\nexport const x = 1;\n");
    expect((await audit(dir)).cacheStats).toEqual({ analysed: 1, cached: 4 });
  });

  it('misses every file when the configuration or the program-wide key changes', async () => {
    const dir = temp(FILES);
    await audit(dir);
    expect((await audit(dir, { strict: true, rules: ['fake-timeout', 'fake-strict'] })).cacheStats).toEqual({ analysed: 4, cached: 0 });
    expect((await audit(dir, { strict: true, rules: ['fake-timeout', 'fake-strict'] })).cacheStats).toEqual({ analysed: 0, cached: 4, unchangedTree: true });
    expect((await audit(dir, { cache: { location: 'cache.json', globalKey: 'axios.defaults.timeout=1000' } })).cacheStats).toEqual({ analysed: 4, cached: 0 });
  });

  it('ignores a corrupt or foreign cache file and rebuilds it', async () => {
    const dir = temp(FILES);
    for (const junk of ['{not json', '[]', JSON.stringify({ version: 1, tool: '0.0.0-other', files: {} }), JSON.stringify({ version: 1, tool: toolVersion, files: { 'src/api.ts': 3, 'src/http.ts': { key: 'k', result: {} } } })]) {
      writeFileSync(path.join(dir, 'cache.json'), junk);
      expect((await audit(dir)).cacheStats).toEqual({ analysed: 4, cached: 0 });
      expect((await audit(dir)).cacheStats).toEqual({ analysed: 0, cached: 4, unchangedTree: true });
    }
  });

  it('keeps findings, suppressed findings and parse errors', async () => {
    const dir = temp({
      'a.ts': '// eslint-disable-next-line resilience/fake-timeout -- bounded by the caller\nfetch(a);\nfetch(b);\n',
      'broken.ts': 'const = ;\n',
    });
    const first = await audit(dir);
    const second = await audit(dir);
    expect(second.cacheStats).toEqual({ analysed: 0, cached: 2, unchangedTree: true });
    expect(second.suppressed).toHaveLength(1);
    expect(second.errors).toHaveLength(1);
    expect(comparable(second)).toEqual(comparable(first));
  });

  it('defaults to no cache, and writes a deterministic file where asked', async () => {
    const dir = temp(FILES);
    expect((await runAudit({ paths: ['.'], cwd: dir, registry: fakeRegistry })).cacheStats).toBeUndefined();
    await audit(dir);
    const data = JSON.parse(readFileSync(path.join(dir, 'cache.json'), 'utf8')) as { version: number; files: Record<string, unknown> };
    expect(data.version).toBe(2);
    expect(Object.keys(data.files)).toEqual(['src/api.ts', 'src/http.ts', 'src/jobs.ts', 'src/standalone.ts']);
  });

  it('warns, and still reports, when the cache cannot be written', async () => {
    const dir = temp({ ...FILES, 'blocker': 'a file where a directory should be' });
    const report = await audit(dir, { cache: { location: 'blocker/cache.json' } });
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.warnings).toEqual([expect.stringMatching(/^cannot write the cache blocker\/cache\.json: /)]);
  });
});

describe('ImportGraph', () => {
  it('gives import cycles one hash that changes with any member or anything below it', () => {
    const files: Record<string, string> = {
      'a.ts': "import './b';\n",
      'b.ts': "import './a';\nimport './c';\n",
      'c.ts': 'export const c = 1;\n',
      'd.ts': "import './c';\n",
    };
    const hashes = (contents: Record<string, string>): Record<string, string> => {
      const dir = temp(contents);
      const names = Object.keys(contents).map((f) => path.join(dir, f));
      const program = ts.createProgram(names, { noEmit: true, noLib: true, types: [], moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext });
      const graph = new ImportGraph(program, (f) => path.relative(dir, f));
      return Object.fromEntries(Object.keys(contents).map((f) => [f, graph.closureHash(path.join(dir, f))]));
    };
    const base = hashes(files);
    expect(base['a.ts']).toBe(base['b.ts']);
    expect(base['c.ts']).not.toBe(base['d.ts']);
    const changedC = hashes({ ...files, 'c.ts': 'export const c = 2;\n' });
    for (const f of ['a.ts', 'b.ts', 'c.ts', 'd.ts']) expect(changedC[f]).not.toBe(base[f]);
    const changedD = hashes({ ...files, 'd.ts': "import './c';\nexport {};\n" });
    expect(changedD['a.ts']).toBe(base['a.ts']);
    expect(changedD['d.ts']).not.toBe(base['d.ts']);
  });
});
