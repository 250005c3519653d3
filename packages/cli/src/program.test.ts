import path from 'node:path';
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { UsageError } from './errors.ts';
import { loadPrograms } from './program.ts';
import { useTempDirs } from './test-helpers.ts';

const temp = useTempDirs();

function relative(dir: string, files: readonly string[]): string[] {
  return files.map((f) => path.relative(dir, f).split(path.sep).join('/'));
}

describe('loadPrograms', () => {
  it('infers one program for a directory without tsconfig, skipping build output, deps and .d.ts', () => {
    const dir = temp({
      'src/a.ts': 'export const a = 1;',
      'src/b.tsx': 'export const b = <div />;',
      'src/c.mjs': 'export const c = 1;',
      'src/types.d.ts': 'declare const x: number;',
      'src/readme.md': '# no',
      '.config/tool.cjs': 'module.exports = {};',
      'node_modules/dep/index.js': 'module.exports = 1;',
      'packages/x/node_modules/dep/index.ts': 'export {};',
      'dist/a.js': '',
      'build/a.js': '',
      'coverage/a.js': '',
    });
    const { groups, warnings } = loadPrograms(['.'], { cwd: dir });
    expect(warnings).toEqual([]);
    expect(groups).toHaveLength(1);
    const group = groups[0]!;
    expect(group.configFile).toBeUndefined();
    expect(relative(dir, group.files)).toEqual(['.config/tool.cjs', 'src/a.ts', 'src/b.tsx', 'src/c.mjs']);
    expect(group.program.getCompilerOptions()).toMatchObject({
      allowJs: true, noEmit: true, skipLibCheck: true, jsx: ts.JsxEmit.Preserve,
      moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022,
    });
    for (const file of group.files) expect(group.program.getSourceFile(file)).toBeDefined();
  });

  it('uses the tsconfig at the root of a directory: its file list, its options, one program', () => {
    const dir = temp({
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'es2020' }, include: ['src'] }),
      'src/a.ts': 'export const a = 1;',
      'src/nested/b.ts': 'import { a } from "../a";\nexport const b = a;',
      'scripts/outside.ts': 'export {};',
    });
    const { groups } = loadPrograms([dir], { cwd: '/' });
    expect(groups).toHaveLength(1);
    expect(groups[0]!.configFile).toBe(path.join(dir, 'tsconfig.json'));
    expect(relative(dir, groups[0]!.files)).toEqual(['src/a.ts', 'src/nested/b.ts']);
    expect(groups[0]!.program.getCompilerOptions().target).toBe(ts.ScriptTarget.ES2020);
  });

  it('restricts the tsconfig files to the given path', () => {
    const dir = temp({
      'app/tsconfig.json': JSON.stringify({ include: ['src', '../shared'] }),
      'app/src/a.ts': 'export const a = 1;',
      'shared/s.ts': 'export const s = 1;',
    });
    const { groups } = loadPrograms(['app'], { cwd: dir });
    expect(relative(dir, groups[0]!.files)).toEqual(['app/src/a.ts']);
    expect(groups[0]!.program.getSourceFile(path.join(dir, 'shared/s.ts'))).toBeDefined();
  });

  it('with --project, analyses the given paths with that tsconfig, and named files it does not include', () => {
    const dir = temp({
      'tsconfig.build.json': JSON.stringify({ compilerOptions: { target: 'es2021' }, include: ['src'] }),
      'src/a.ts': 'export const a = 1;',
      'src/b.ts': 'export const b = 1;',
      'other/c.ts': 'export const c = 1;',
    });
    const { groups } = loadPrograms(['src/a.ts', 'other/c.ts'], { cwd: dir, project: 'tsconfig.build.json' });
    expect(groups).toHaveLength(1);
    expect(relative(dir, groups[0]!.files)).toEqual(['other/c.ts', 'src/a.ts']);
    expect(groups[0]!.program.getCompilerOptions().target).toBe(ts.ScriptTarget.ES2021);
  });

  it('follows the references of a solution-style tsconfig', () => {
    const dir = temp({
      'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './tsconfig.app.json' }] }),
      'tsconfig.app.json': JSON.stringify({ compilerOptions: { composite: true }, include: ['src'] }),
      'src/a.ts': 'export const a = 1;',
    });
    const { groups, warnings } = loadPrograms(['.'], { cwd: dir });
    expect(warnings).toEqual([]);
    expect(groups.map((g) => path.basename(g.configFile ?? ''))).toEqual(['tsconfig.app.json']);
    expect(relative(dir, groups[0]!.files)).toEqual(['src/a.ts']);
  });

  it('mixes a tsconfig directory, an inferred directory and a single file, each file once', () => {
    const dir = temp({
      'typed/tsconfig.json': JSON.stringify({ include: ['**/*.ts'] }),
      'typed/a.ts': 'export const a = 1;',
      'loose/b.js': 'export const b = 1;',
      'one.ts': 'export const one = 1;',
    });
    const { groups } = loadPrograms(['typed', 'loose', 'one.ts', 'typed/a.ts'], { cwd: dir });
    expect(groups.map((g) => [g.configFile && path.relative(dir, g.configFile), relative(dir, g.files)])).toEqual([
      ['typed/tsconfig.json', ['typed/a.ts']],
      [undefined, ['loose/b.js', 'one.ts']],
    ]);
  });

  it('warns about a path with nothing to analyse', () => {
    const dir = temp({ 'docs/readme.md': '# hi', 'a.ts': 'export {};' });
    const { groups, warnings } = loadPrograms(['docs', 'a.ts'], { cwd: dir });
    expect(relative(dir, groups.flatMap((g) => g.files))).toEqual(['a.ts']);
    expect(warnings).toEqual(['no files to analyse in docs']);
  });

  it('keeps going with a warning on tsconfig option errors', () => {
    const dir = temp({
      'tsconfig.json': JSON.stringify({ compilerOptions: { notAnOption: true } }),
      'a.ts': 'export {};',
    });
    const { groups, warnings } = loadPrograms(['.'], { cwd: dir });
    expect(groups).toHaveLength(1);
    expect(warnings).toEqual(["tsconfig.json: Unknown compiler option 'notAnOption'."]);
  });

  it('rejects a missing path, a missing --project and an unparsable tsconfig', () => {
    const dir = temp({ 'broken/tsconfig.json': '{ "compilerOptions": { ', 'a.ts': '' });
    expect(() => loadPrograms(['nope'], { cwd: dir })).toThrow(new UsageError('no such file or directory: nope'));
    expect(() => loadPrograms(['.'], { cwd: dir, project: 'missing.json' })).toThrow(new UsageError('tsconfig not found: missing.json'));
    expect(() => loadPrograms(['broken'], { cwd: dir })).toThrow(UsageError);
    expect(() => loadPrograms(['a.ts'], { cwd: dir, project: 'broken' })).toThrow(/^cannot read tsconfig broken\/tsconfig.json: .+ \(line 1, column \d+\)$/);
  });
});
