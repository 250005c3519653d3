import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitIgnores, globMatcher, isInside } from './ignore.ts';
import { useTempDirs } from './test-helpers.ts';

const temp = useTempDirs();

describe('GitIgnores', () => {
  it('judges a path by every .gitignore from the base down, the deepest last, as git does', () => {
    const dir = temp({
      '.gitignore': '/top.ts\nlogs/\n*.gen.ts\n',
      'sub/.gitignore': '!keep.gen.ts\n*.local.ts\n',
    });
    const git = new GitIgnores();
    const why = (file: string, isDirectory = false) => {
      const source = git.whyIgnored(path.join(dir, file), isDirectory, dir);
      return source && path.relative(dir, source);
    };
    expect(why('top.ts')).toBe('.gitignore');
    expect(why('sub/top.ts')).toBeUndefined(); // anchored to the root
    expect(why('logs', true)).toBe('.gitignore');
    expect(why('logs')).toBeUndefined(); // a file named logs: `logs/` is for directories
    expect(why('sub/logs/a.ts')).toBe('.gitignore'); // inside an ignored directory
    expect(why('sub/a.gen.ts')).toBe('.gitignore');
    expect(why('sub/keep.gen.ts')).toBeUndefined(); // re-included deeper
    expect(why('keep.gen.ts')).toBe('.gitignore'); // the deeper rule does not reach up
    expect(why('sub/x.local.ts')).toBe(path.join('sub', '.gitignore'));
    expect(why('.')).toBeUndefined();
  });

  it('finds the root of the git work tree', () => {
    const dir = temp({ 'repo/.git/HEAD': '', 'repo/a/b/c.ts': '' });
    const git = new GitIgnores();
    expect(git.gitRoot(path.join(dir, 'repo/a/b'))).toBe(path.join(dir, 'repo'));
    expect(git.gitRoot(dir)).toBeUndefined();
  });
});

describe('globMatcher', () => {
  it('matches picomatch globs with dot files, the last matching glob deciding', () => {
    const ignored = globMatcher(['gen/**', '!gen/keep.ts', '**/*.d.ts', '.cache/**']);
    expect(['gen/a.ts', 'gen/keep.ts', 'src/x.d.ts', '.cache/a.js', 'src/a.ts'].filter(ignored)).toEqual(['gen/a.ts', 'src/x.d.ts', '.cache/a.js']);
    expect(globMatcher([])('a.ts')).toBe(false);
  });
});

describe('isInside', () => {
  it('is true for the directory itself and below, false for siblings that share a prefix', () => {
    expect(isInside('/a/b', '/a/b')).toBe(true);
    expect(isInside('/a/b/c', '/a/b')).toBe(true);
    expect(isInside('/a/bc', '/a/b')).toBe(false);
    expect(isInside('/a/..b/c', '/a')).toBe(true);
  });
});
