import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixExitCode, runFix } from './fix.ts';
import { formatFixSummary } from './fix-summary.ts';
import { fakeRegistry, useTempDirs } from './test-helpers.ts';

const temp = useTempDirs();
const TSCONFIG = JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, types: [] }, include: ['*.ts'] });
const SIGNAL = ', { signal: AbortSignal.timeout(5000) }';

describe('resilience fix never adds a type error', () => {
  it('declines the fix that would (a hand fix, with the diagnostic) and applies the others in the file', async () => {
    const source = [
      "export const ok = fetch('https://a.example.com');",
      'export function inner() {',
      '  const fetch = (url: string) => Promise.resolve(url);',
      "  return fetch('https://b.example.com');",
      '}',
      '',
    ].join('\n');
    const dir = temp({ 'tsconfig.json': TSCONFIG, 'a.ts': source });
    const report = await runFix({ paths: ['.'], cwd: dir, registry: fakeRegistry });
    expect(readFileSync(path.join(dir, 'a.ts'), 'utf8')).toBe(source.replace("fetch('https://a.example.com')", `fetch('https://a.example.com'${SIGNAL})`));
    expect(report.remaining.map((f) => [f.line, f.fixable, f.noFixReason])).toEqual([
      [4, false, 'the fix would add a type error: TS2554: Expected 1 arguments, but got 2. (line 4)'],
    ]);
    expect(formatFixSummary(report)).toContain('      no automatic fix: the fix would add a type error: TS2554: Expected 1 arguments, but got 2. (line 4)\n');
    expect(fixExitCode(report)).toBe(1);
  });

  it('leaves a file untouched when its only fix would add one, and keeps errors the file already had', async () => {
    const broken = [
      'const fetch = (url: string) => Promise.resolve(url);',
      "export const r = fetch('https://b.example.com');",
      'export const n: number = "already wrong";',
      '',
    ].join('\n');
    const fine = "export const s: number = 'already wrong too';\nexport const r = fetch('https://a.example.com');\n";
    const dir = temp({ 'tsconfig.json': TSCONFIG, 'a.ts': broken, 'b.ts': fine });
    const report = await runFix({ paths: ['.'], cwd: dir, registry: fakeRegistry });
    expect(readFileSync(path.join(dir, 'a.ts'), 'utf8')).toBe(broken);
    // b.ts had a type error before; the fix adds none, so it is written.
    expect(readFileSync(path.join(dir, 'b.ts'), 'utf8')).toBe(fine.replace("fetch('https://a.example.com')", `fetch('https://a.example.com'${SIGNAL})`));
    expect(report.fixed.map((f) => f.file)).toEqual(['b.ts']);
    expect(report.remaining.map((f) => f.file)).toEqual(['a.ts']);
  });

  it('judges the fixes that import @resilience-kit/policies against the declarations of the CLI\'s copy when the project has none', async () => {
    const dir = temp({ 'tsconfig.json': TSCONFIG, 'package.json': '{ "name": "app" }\n', 'a.ts': 'export async function load(url: string) {\n  return fetch(url);\n}\n' });
    const report = await runFix({ paths: ['.'], cwd: dir, rules: ['require-timeout'] });
    expect(report.remaining).toEqual([]);
    expect(readFileSync(path.join(dir, 'a.ts'), 'utf8')).toContain('withTimeout(10_000, (signal) => fetch(url, { signal }))');
  });
});

describe('the type check on real dependency trees', () => {
  it('handles a package installed twice at one version (TypeScript deduplicates it with a redirect)', async () => {
    const dup = { 'package.json': JSON.stringify({ name: 'dup', version: '1.0.0', types: 'index.d.ts' }), 'index.d.ts': 'export declare class Thing { id: string }\n' };
    const files: Record<string, string> = {
      'tsconfig.json': TSCONFIG,
      'package.json': '{ "name": "app", "dependencies": { "@resilience-kit/policies": "^0.1.0" } }\n',
      'a.ts': "import { A } from 'lib-a';\nimport { B } from 'lib-b';\nexport const things = [new A(), new B()];\nexport const r = fetch('https://a.example.com');\n",
    };
    for (const lib of ['lib-a', 'lib-b']) {
      files[`node_modules/${lib}/package.json`] = JSON.stringify({ name: lib, version: '1.0.0', types: 'index.d.ts' });
      files[`node_modules/${lib}/index.d.ts`] = `import { Thing } from 'dup';\nexport declare class ${lib === 'lib-a' ? 'A' : 'B'} extends Thing {}\n`;
      for (const [name, text] of Object.entries(dup)) files[`node_modules/${lib}/node_modules/dup/${name}`] = text;
    }
    const dir = temp(files);
    const report = await runFix({ paths: ['a.ts'], cwd: dir, registry: fakeRegistry });
    expect(report.warnings).toEqual([]);
    expect(readFileSync(path.join(dir, 'a.ts'), 'utf8')).toContain(`fetch('https://a.example.com'${SIGNAL})`);
  });
});
