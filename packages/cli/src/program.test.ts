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
      'bin/outside.ts': 'export {};',
    });
    const { groups, warnings } = loadPrograms(['.'], { cwd: dir });
    expect(groups.map((g) => g.configFile)).toEqual([path.join(dir, 'tsconfig.json'), undefined]);
    expect(relative(dir, groups[0]!.files)).toEqual(['src/a.ts', 'src/nested/b.ts']);
    expect(groups[0]!.program.getCompilerOptions().target).toBe(ts.ScriptTarget.ES2020);
    // A file the tsconfig does not include is analysed too, with inferred options, and said so.
    expect(relative(dir, groups[1]!.files)).toEqual(['bin/outside.ts']);
    expect(warnings).toEqual(['1 file is not in any tsconfig (bin/outside.ts); analysed with inferred options']);
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

/** `[tsconfig relative to dir (or undefined), files relative to dir]` per group. */
function layout(dir: string, groups: ReturnType<typeof loadPrograms>['groups']): [string | undefined, string[]][] {
  return groups.map((g) => [g.configFile && relative(dir, [g.configFile])[0], relative(dir, g.files)]);
}

const json = (value: unknown): string => JSON.stringify(value);

describe('loadPrograms in a monorepo', () => {
  it('without a root tsconfig, gives each package its own tsconfig; a cross-package import resolves', () => {
    const dir = temp({
      'packages/a/tsconfig.json': json({ compilerOptions: { strict: true }, include: ['src'] }),
      'packages/a/src/index.ts': 'import { b } from "../../b/src/index";\nexport const a = b;',
      'packages/b/tsconfig.json': json({ compilerOptions: { target: 'es2019' }, include: ['src'] }),
      'packages/b/src/index.ts': 'export const b = 1;',
      'bin/release.ts': 'export {};',
    });
    const { groups, warnings } = loadPrograms(['.'], { cwd: dir });
    expect(layout(dir, groups)).toEqual([
      ['packages/a/tsconfig.json', ['packages/a/src/index.ts']],
      ['packages/b/tsconfig.json', ['packages/b/src/index.ts']],
      [undefined, ['bin/release.ts']],
    ]);
    expect(warnings).toEqual(['1 file is not in any tsconfig (bin/release.ts); analysed with inferred options']);
    const [a, b] = groups;
    expect(b!.program.getCompilerOptions().target).toBe(ts.ScriptTarget.ES2019);
    // Package a's program holds b's file (its import), so the checker follows it.
    const checker = a!.program.getTypeChecker();
    const importA = a!.program.getSourceFile(path.join(dir, 'packages/a/src/index.ts'))!.statements[0] as ts.ImportDeclaration;
    const specifier = (importA.importClause!.namedBindings as ts.NamedImports).elements[0]!;
    const target = checker.getAliasedSymbol(checker.getSymbolAtLocation(specifier.name)!);
    expect(target.declarations![0]!.getSourceFile().fileName).toBe(path.join(dir, 'packages/b/src/index.ts'));
  });

  it('follows a solution-style root: each referenced project once, imports between them read from source', () => {
    const composite = (extra: object) => json({ compilerOptions: { composite: true, outDir: 'dist', rootDir: 'src' }, include: ['src'], ...extra });
    const dir = temp({
      'tsconfig.json': json({ files: [], references: [{ path: 'packages/a' }, { path: 'packages/b' }] }),
      'packages/a/tsconfig.json': composite({ references: [{ path: '../b' }] }),
      'packages/a/src/index.ts': 'import { b } from "../../b/src/index";\nexport const a = b;',
      'packages/b/tsconfig.json': composite({}),
      'packages/b/src/index.ts': 'export const b = 1;',
    });
    const { groups, warnings } = loadPrograms(['.'], { cwd: dir });
    expect(warnings).toEqual([]);
    expect(layout(dir, groups)).toEqual([
      ['packages/a/tsconfig.json', ['packages/a/src/index.ts']],
      ['packages/b/tsconfig.json', ['packages/b/src/index.ts']],
    ]);
    // b is not built (no dist/index.d.ts): a's program uses b's source, as tsserver does.
    expect(groups[0]!.program.getSourceFile(path.join(dir, 'packages/b/src/index.ts'))).toBeDefined();
  });

  it('gives a file to the nearest tsconfig that includes it, even under a root tsconfig that includes everything', () => {
    const dir = temp({
      'tsconfig.json': json({ compilerOptions: { strict: true } }),
      'tools/build.ts': 'export {};',
      'packages/a/tsconfig.json': json({ compilerOptions: { jsx: 'react-jsx' }, include: ['src'] }),
      'packages/a/src/view.tsx': 'export const v = 1;',
      'packages/a/vite.ts': 'export default {};',
    });
    const { groups, warnings } = loadPrograms(['.'], { cwd: dir });
    expect(warnings).toEqual([]);
    expect(layout(dir, groups)).toEqual([
      ['packages/a/tsconfig.json', ['packages/a/src/view.tsx']],
      // packages/a/tsconfig.json does not include it; the next tsconfig up does.
      ['tsconfig.json', ['packages/a/vite.ts', 'tools/build.ts']],
    ]);
  });

  it('warns once, naming the first three, about the files no tsconfig includes', () => {
    const dir = temp({
      'tsconfig.json': json({ include: ['src'] }),
      'src/a.ts': 'export {};',
      'bin/a.ts': 'export {};',
      'bin/b.ts': 'export {};',
      'bin/c.ts': 'export {};',
      'setup.js': 'export default [];',
    });
    const { groups, warnings } = loadPrograms(['.'], { cwd: dir });
    expect(warnings).toEqual(['4 files are not in any tsconfig (bin/a.ts, bin/b.ts, bin/c.ts, …); analysed with inferred options']);
    expect(layout(dir, groups)[1]).toEqual([undefined, ['bin/a.ts', 'bin/b.ts', 'bin/c.ts', 'setup.js']]);
  });

  it('does not let a tsconfig bring back a .gitignored directory', () => {
    const dir = temp({
      '.gitignore': 'generated/\n',
      'tsconfig.json': json({ include: ['**/*'] }),
      'src/a.ts': 'export {};',
      'generated/client.ts': 'export {};',
    });
    const { groups, warnings } = loadPrograms(['.'], { cwd: dir });
    expect(warnings).toEqual([]);
    expect(layout(dir, groups)).toEqual([['tsconfig.json', ['src/a.ts']]]);
  });

  it('uses a jsconfig.json, with the allowJs it implies', () => {
    const dir = temp({ 'jsconfig.json': json({ compilerOptions: { checkJs: true } }), 'src/a.js': 'export const a = 1;' });
    const { groups } = loadPrograms(['.'], { cwd: dir });
    expect(layout(dir, groups)).toEqual([['jsconfig.json', ['src/a.js']]]);
    expect(groups[0]!.program.getCompilerOptions()).toMatchObject({ allowJs: true, checkJs: true });
  });

  it('warns about an unreadable tsconfig found on the way and analyses its files with inferred options', () => {
    const dir = temp({
      'packages/a/tsconfig.json': json({ include: ['src'] }),
      'packages/a/src/a.ts': 'export {};',
      'packages/broken/tsconfig.json': '{ "include": [',
      'packages/broken/src/b.ts': 'export {};',
    });
    const { groups, warnings } = loadPrograms(['.'], { cwd: dir });
    expect(layout(dir, groups)).toEqual([['packages/a/tsconfig.json', ['packages/a/src/a.ts']], [undefined, ['packages/broken/src/b.ts']]]);
    expect(warnings).toEqual([
      expect.stringMatching(/^cannot read tsconfig packages\/broken\/tsconfig\.json: .+ \(line 1, column \d+\)$/),
      '1 file is not in any tsconfig (packages/broken/src/b.ts); analysed with inferred options',
    ]);
  });

  it('parses a declaration file once for all the programs of a run', () => {
    const dir = temp({
      'node_modules/dep/package.json': json({ name: 'dep', types: 'index.d.ts' }),
      'node_modules/dep/index.d.ts': 'export declare function get(url: string): Promise<string>;',
      'packages/a/tsconfig.json': json({ compilerOptions: { moduleResolution: 'bundler', module: 'esnext' }, include: ['src'] }),
      'packages/a/src/a.ts': 'import { get } from "dep";\nexport const a = get;',
      'packages/b/tsconfig.json': json({ compilerOptions: { moduleResolution: 'bundler', module: 'esnext', strict: true }, include: ['src'] }),
      'packages/b/src/b.ts': 'import { get } from "dep";\nexport const b = get;',
    });
    const [a, b] = loadPrograms(['packages'], { cwd: dir }).groups;
    const declaration = path.join(dir, 'node_modules/dep/index.d.ts');
    expect(a!.program.getSourceFile(declaration)).toBeDefined();
    expect(b!.program.getSourceFile(declaration)).toBe(a!.program.getSourceFile(declaration));
    // Not shared between runs: a file may change between two runs of one process.
    expect(loadPrograms(['packages'], { cwd: dir }).groups[0]!.program.getSourceFile(declaration)).not.toBe(a!.program.getSourceFile(declaration));
  });
});

describe('loadPrograms for a file', () => {
  const project = {
    'tsconfig.json': json({ files: [], references: [{ path: 'packages/a' }] }),
    'packages/a/tsconfig.json': json({ compilerOptions: { composite: true, target: 'es2020' }, include: ['src'] }),
    'packages/a/src/deep/x.ts': 'export {};',
    'packages/a/loose.ts': 'export {};',
  };

  it('finds the nearest tsconfig above it that includes it, from any cwd', () => {
    const dir = temp(project);
    const { groups, warnings } = loadPrograms(['packages/a/src/deep/x.ts'], { cwd: dir });
    expect(warnings).toEqual([]);
    expect(layout(dir, groups)).toEqual([['packages/a/tsconfig.json', ['packages/a/src/deep/x.ts']]]);
    const fromInside = loadPrograms(['x.ts'], { cwd: path.join(dir, 'packages/a/src/deep') }).groups;
    expect(layout(dir, fromInside)).toEqual([['packages/a/tsconfig.json', ['packages/a/src/deep/x.ts']]]);
  });

  it('is analysed with inferred options, with the warning, when no tsconfig above includes it', () => {
    const dir = temp(project);
    const { groups, warnings } = loadPrograms(['packages/a/loose.ts'], { cwd: dir });
    expect(layout(dir, groups)).toEqual([[undefined, ['packages/a/loose.ts']]]);
    expect(warnings).toEqual(['1 file is not in any tsconfig (packages/a/loose.ts); analysed with inferred options']);
  });

  it('uses the tsconfig above a directory named without one at its root', () => {
    const dir = temp(project);
    const { groups } = loadPrograms(['packages/a/src'], { cwd: dir });
    expect(layout(dir, groups)).toEqual([['packages/a/tsconfig.json', ['packages/a/src/deep/x.ts']]]);
  });
});
