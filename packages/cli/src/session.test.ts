import { describe, expect, it } from 'vitest';
import { main } from './cli.ts';
import { openSession } from './session.ts';
import { fakeRegistry, useTempDirs } from './test-helpers.ts';

const temp = useTempDirs();

const project = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { bogus: true }, include: ['src'] }),
  'src/a.ts': 'import { b } from "./b";\nexport const a = b;\n',
  'src/b.ts': 'export const b = 1;\n',
  'src/a.test.ts': 'export {};\n',
  'bin/x.js': 'export {};\n',
};

describe('openSession', () => {
  it('hands out each file with its program, with the loading warnings', async () => {
    const dir = temp(project);
    const session = await openSession({ paths: ['.'], cwd: dir, registry: fakeRegistry });
    expect(session.files.map((f) => [f.file, f.program !== undefined])).toEqual([['bin/x.js', true], ['src/a.ts', true], ['src/b.ts', true]]);
    expect(session.warnings).toEqual([
      "tsconfig.json: Unknown compiler option 'bogus'.",
      '1 file is not in any tsconfig (bin/x.js); analysed with inferred options',
    ]);
  });

  it('with syntaxOnly, hands out the same files, each bound alone in one shared isolated program, and reads no tsconfig', async () => {
    const dir = temp(project);
    const session = await openSession({ paths: ['.'], cwd: dir, registry: fakeRegistry, syntaxOnly: true });
    expect(session.files.map((f) => f.file)).toEqual(['bin/x.js', 'src/a.ts', 'src/b.ts']);
    const program = session.files[0]!.program!;
    expect(session.files.every((f) => f.program === program && program.getSourceFile(f.sourceFile.fileName) === f.sourceFile)).toBe(true);
    expect(program.getCompilerOptions()).toMatchObject({ noLib: true, noResolve: true });
    // No module resolution: src/a.ts's import of ./b stays unresolved, as if the file were alone.
    const a = session.files[1]!.sourceFile;
    const specifier = (a.statements[0] as import('typescript').ImportDeclaration).moduleSpecifier;
    expect(program.getTypeChecker().getSymbolAtLocation(specifier)).toBeUndefined();
    expect(session.files[1]!.sourceFile.text).toBe(project['src/a.ts']);
    expect(session.warnings).toEqual([]);
  });

  it('works without any tsconfig, and without a warning about it', async () => {
    const dir = temp({ 'a.js': 'export const a = 1;\n', 'lib/b.ts': 'export const b = 1;\n' });
    const session = await openSession({ paths: ['.'], cwd: dir, registry: fakeRegistry });
    expect(session.files.map((f) => [f.file, f.program !== undefined])).toEqual([['a.js', true], ['lib/b.ts', true]]);
    expect(session.warnings).toEqual([]);
  });
});

describe('resilience audit --syntax-only', () => {
  it('reads no tsconfig (no warning about its options) and still reports', async () => {
    const dir = temp({ 'tsconfig.json': JSON.stringify({ compilerOptions: { bogus: true } }), 'a.ts': 'export const r = fetch(url);\n' });
    const run = async (...flags: string[]) => {
      let stderr = '';
      const code = await main(['audit', '.', '--rule', 'require-timeout', '--format', 'json', ...flags], {
        cwd: dir, env: {}, stdoutIsTTY: false, stdout: () => undefined, stderr: (text) => { stderr += text; },
      });
      return { code, stderr };
    };
    expect(await run()).toEqual({ code: 1, stderr: "warning: tsconfig.json: Unknown compiler option 'bogus'.\n" });
    expect(await run('--syntax-only')).toEqual({ code: 1, stderr: '' });
  });
});
