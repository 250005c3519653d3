import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles } from './files.ts';
import type { FileListOptions } from './files.ts';
import { useTempDirs } from './test-helpers.ts';

const temp = useTempDirs();

/** The files (relative to `dir`) and warnings of a listing. */
function list(dir: string, paths: string[], options: Partial<FileListOptions> = {}): { files: string[]; warnings: readonly string[] } {
  const { files, warnings } = listFiles(paths, { cwd: dir, ...options });
  return { files: files.map((f) => path.relative(dir, f).split(path.sep).join('/')), warnings };
}

const repository = {
  '.git/info/exclude': 'local/\n',
  '.gitignore': 'generated/\n*.gen.ts\n',
  'src/a.ts': '',
  'src/b.gen.ts': '',
  'generated/client.ts': '',
  'local/scratch.ts': '',
  'pkg/.gitignore': 'out/\n!keep.gen.ts\n',
  'pkg/c.ts': '',
  'pkg/keep.gen.ts': '',
  'pkg/out/z.ts': '',
  'pkg/deep/generated/w.ts': '',
};

describe('listFiles and .gitignore', () => {
  it('honours the root and nested .gitignore files and .git/info/exclude, as git does', () => {
    const dir = temp(repository);
    expect(list(dir, ['.'])).toEqual({ files: ['pkg/c.ts', 'pkg/keep.gen.ts', 'src/a.ts'], warnings: [] });
  });

  it('applies the .gitignore files above the cwd, from the root of the repository', () => {
    const dir = temp(repository);
    // (list() shows paths relative to dir, whatever the cwd.)
    expect(list(dir, ['.'], { cwd: path.join(dir, 'pkg') }).files).toEqual(['pkg/c.ts', 'pkg/keep.gen.ts']);
    expect(list(dir, ['pkg'], { cwd: dir }).files).toEqual(['pkg/c.ts', 'pkg/keep.gen.ts']);
  });

  it('analyses an ignored file or directory named explicitly, with a warning naming the ignore file', () => {
    const dir = temp(repository);
    expect(list(dir, ['generated/client.ts', 'pkg/out/z.ts', 'local/scratch.ts', 'src/b.gen.ts'])).toEqual({
      files: ['generated/client.ts', 'local/scratch.ts', 'pkg/out/z.ts', 'src/b.gen.ts'],
      warnings: [
        'generated/client.ts is ignored by .gitignore; analysed because it was named explicitly',
        'pkg/out/z.ts is ignored by pkg/.gitignore; analysed because it was named explicitly',
        'local/scratch.ts is ignored by .git/info/exclude; analysed because it was named explicitly',
        'src/b.gen.ts is ignored by .gitignore; analysed because it was named explicitly',
      ],
    });
    expect(list(dir, ['generated'])).toEqual({
      files: ['generated/client.ts'],
      warnings: ['generated is ignored by .gitignore; analysed because it was named explicitly'],
    });
  });

  it('honours .gitignore outside a git repository too, from the cwd down', () => {
    const dir = temp({ '.gitignore': 'tmp/\n', 'a.ts': '', 'tmp/b.ts': '' });
    expect(list(dir, ['.']).files).toEqual(['a.ts']);
  });
});

describe('listFiles and the ignores globs', () => {
  const files = { 'src/a.ts': '', 'src/legacy/old.ts': '', 'src/legacy/keep.ts': '', 'src/api.generated.ts': '', 'lib/api.generated.ts': '' };

  it('leaves out what they match (picomatch, relative to the cwd, the last matching glob wins)', () => {
    const dir = temp(files);
    const ignores = ['src/legacy/**', '!src/legacy/keep.ts', '**/*.generated.ts'];
    expect(list(dir, ['.'], { ignores })).toEqual({ files: ['src/a.ts', 'src/legacy/keep.ts'], warnings: [] });
    expect(list(dir, ['.'], { ignores: ['*.generated.ts'] }).files).toHaveLength(5);
  });

  it('analyses a file or directory they match when it is named explicitly, with a warning', () => {
    const dir = temp(files);
    const ignores = ['src/legacy/**', '**/*.generated.ts'];
    expect(list(dir, ['src/api.generated.ts', 'src/legacy'], { ignores })).toEqual({
      files: ['src/api.generated.ts', 'src/legacy/keep.ts', 'src/legacy/old.ts'],
      warnings: [
        'src/api.generated.ts is ignored by the ignores globs; analysed because it was named explicitly',
        'src/legacy is ignored by the ignores globs; analysed because it was named explicitly',
      ],
    });
  });
});

describe('listFiles and test files', () => {
  const files = {
    'app.ts': '',
    'app.test.ts': '',
    'app.spec.mts': '',
    '__tests__/helper.ts': '',
    'src/__mocks__/api.ts': '',
    'integration/app.check.ts': '',
  };

  it('skips *.test.*, *.spec.*, __tests__/ and __mocks__/ by default; includeTests keeps them', () => {
    const dir = temp(files);
    expect(list(dir, ['.'])).toEqual({ files: ['app.ts', 'integration/app.check.ts'], warnings: [] });
    expect(list(dir, ['.'], { includeTests: true }).files).toEqual(['__tests__/helper.ts', 'app.spec.mts', 'app.test.ts', 'app.ts', 'integration/app.check.ts', 'src/__mocks__/api.ts']);
  });

  it('takes testPatterns instead of the defaults', () => {
    const dir = temp(files);
    expect(list(dir, ['.'], { testPatterns: ['integration/**'] }).files).toEqual(['__tests__/helper.ts', 'app.spec.mts', 'app.test.ts', 'app.ts', 'src/__mocks__/api.ts']);
  });

  it('analyses a test file named explicitly, without a warning', () => {
    const dir = temp(files);
    expect(list(dir, ['app.test.ts'])).toEqual({ files: ['app.test.ts'], warnings: [] });
  });

  it('recognises test files outside the cwd by the default patterns', () => {
    const dir = temp(files);
    expect(list(dir, ['..'], { cwd: path.join(dir, 'integration') }).files).toEqual(['app.ts', 'integration/app.check.ts']);
  });

  it('says so when a directory has nothing but test files', () => {
    const dir = temp(files);
    expect(list(dir, ['__tests__']).warnings).toEqual(['no files to analyse in __tests__']);
  });
});

describe('listFiles and file roles', () => {
  const files = {
    'src/app.ts': '',
    'src/app.e2e-spec.ts': '',
    'e2e/login.ts': '',
    'scripts/release.ts': '',
    'src/scripts/backfill.ts': '',
    'prisma/seed.ts': '',
    'vite.config.ts': '',
    'examples/basic/index.ts': '',
    'src/button.stories.tsx': '',
    'tools/lint-rules/package.json': '{ "name": "@acme/tools-lint", "private": true }',
    'tools/lint-rules/index.ts': '',
    'packages/api/package.json': '{ "name": "@acme/api", "private": true }',
    'packages/api/index.ts': '',
  };

  it('audits production code only, and counts what each role left out', () => {
    const dir = temp(files);
    const result = listFiles(['.'], { cwd: dir });
    expect(result.files.map((f) => path.relative(dir, f).split(path.sep).join('/'))).toEqual(['packages/api/index.ts', 'src/app.ts']);
    expect(result.skipped).toEqual({ test: 2, script: 5, example: 2 });
  });

  it('brings each role back with its flag, and names the role of each file it brings back', () => {
    const dir = temp(files);
    const result = listFiles(['.'], { cwd: dir, includeScripts: true, includeExamples: true });
    const roles = Object.fromEntries([...result.roles].map(([f, r]) => [path.relative(dir, f).split(path.sep).join('/'), r]));
    expect(roles).toEqual({
      'examples/basic/index.ts': 'example', 'src/button.stories.tsx': 'example',
      'prisma/seed.ts': 'script', 'scripts/release.ts': 'script', 'src/scripts/backfill.ts': 'script', 'tools/lint-rules/index.ts': 'script', 'vite.config.ts': 'script',
    });
    expect(result.skipped).toEqual({ test: 2, script: 0, example: 0 });
  });

  it('audits what a directory named holds: scripts/ named is not skipped', () => {
    const dir = temp(files);
    expect(list(dir, ['scripts']).files).toEqual(['scripts/release.ts']);
  });

  it('lets production globs win over every pattern', () => {
    const dir = temp(files);
    expect(list(dir, ['.'], { productionPatterns: ['src/scripts/**'] }).files).toEqual(['packages/api/index.ts', 'src/app.ts', 'src/scripts/backfill.ts']);
  });
});

describe('listFiles walks', () => {
  it('follow symbolic links to files, not to directories', () => {
    const dir = temp({ 'real/a.ts': '', 'src/b.ts': '' });
    symlinkSync(path.join(dir, 'real/a.ts'), path.join(dir, 'src/link.ts'));
    symlinkSync(path.join(dir, 'real'), path.join(dir, 'src/linked-dir'));
    expect(list(dir, ['src']).files).toEqual(['src/b.ts', 'src/link.ts']);
  });
});
