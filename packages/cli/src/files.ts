/**
 * Which files a run analyses: every file named, and the source files under every directory named,
 * found by walking it and leaving out dependencies and build output, what `.gitignore` and the
 * `ignores` globs ignore, and test files (unless they are wanted). Which program analyses each
 * file is program.ts's business.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TEST_PATTERNS } from '@resilience-kit/core';
import { UsageError } from './errors.ts';
import { GitIgnores, globMatcher, isInside } from './ignore.ts';

/** The extensions a walk picks up (declaration files are left out: see `isDeclaration`). */
export const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** Directories a walk never enters (a directory named explicitly is still walked). */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', 'dist', 'build', 'coverage', '.git', '.yarn']);

export interface FileListOptions {
  readonly cwd: string;
  /** Globs relative to `cwd` (`globMatcher`'s syntax) of files never analysed unless named. */
  readonly ignores?: readonly string[] | undefined;
  /** Globs relative to `cwd` that make a file a test file; default `DEFAULT_TEST_PATTERNS`. */
  readonly testPatterns?: readonly string[] | undefined;
  /** Also analyse test files. A test file named explicitly is analysed in any case. */
  readonly includeTests?: boolean | undefined;
}

export interface Target {
  /** Absolute. */
  readonly path: string;
  readonly isDirectory: boolean;
}

export interface FileList {
  readonly targets: readonly Target[];
  /** Absolute paths, each once, sorted. */
  readonly files: readonly string[];
  /** The files named explicitly. */
  readonly named: ReadonlySet<string>;
  /** One line each: a named path that is ignored, a directory with nothing to analyse. */
  readonly warnings: readonly string[];
}

export function listFiles(paths: readonly string[], options: FileListOptions): FileList {
  const { cwd } = options;
  const targets = paths.map((p) => resolveTarget(p, cwd));
  const git = new GitIgnores();
  const isIgnored = globMatcher(options.ignores ?? []);
  const isTest = options.includeTests ? undefined : globMatcher(options.testPatterns ?? DEFAULT_TEST_PATTERNS);
  const display = (file: string): string => displayPath(file, cwd);
  const filters: Omit<WalkFilters, 'base'> = {
    git,
    ignored: (file) => isIgnored(display(file)),
    test: isTest && ((file) => isTest(display(file)) || (!isInside(file, cwd) && isTest(fromRoot(file)))),
  };
  const files = new Set<string>();
  const named = new Set<string>();
  const warnings: string[] = [];
  for (const target of targets) {
    const dir = target.isDirectory ? target.path : path.dirname(target.path);
    const base = git.gitRoot(dir) ?? (isInside(dir, cwd) ? cwd : dir);
    const gitignore = git.whyIgnored(target.path, target.isDirectory, base);
    // ESLint skips an ignored file named explicitly, with a warning; we analyse it, with a warning.
    const byGlobs = filters.ignored(target.path);
    const ignoredBy = gitignore !== undefined ? display(gitignore) : byGlobs ? 'the ignores globs' : undefined;
    if (ignoredBy !== undefined) warnings.push(`${display(target.path)} is ignored by ${ignoredBy}; analysed because it was named explicitly`);
    if (!target.isDirectory) {
      files.add(target.path);
      named.add(target.path);
      continue;
    }
    // Inside a directory named explicitly that is ignored, what ignores the directory does not
    // count: only the .gitignore files inside it apply (and no glob, if a glob ignores it).
    const found = walk(target.path, { ...filters, base: gitignore === undefined ? base : target.path, ignored: byGlobs ? () => false : filters.ignored });
    if (found.length === 0) warnings.push(`no files to analyse in ${display(target.path)}`);
    for (const file of found) files.add(file);
  }
  return { targets, files: [...files].sort(), named, warnings };
}

interface WalkFilters {
  readonly git: GitIgnores;
  /** Where the .gitignore files that apply start (the git repository's root). */
  readonly base: string;
  readonly ignored: (file: string) => boolean;
  /** Undefined when test files are analysed. */
  readonly test: ((file: string) => boolean) | undefined;
}

/**
 * The source files under `root`. Symbolic links to files are followed, to
 * directories not. The globs are tested on files only (`globMatcher` semantics), so a walk enters a
 * directory they cover; .gitignore'd directories are not entered.
 */
function walk(root: string, filters: WalkFilters): string[] {
  const { git, base, ignored, test } = filters;
  const found: string[] = [];
  const visit = (dir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable: nothing to analyse there
    }
    git.noteDirectory(dir, entries.some((e) => e.name === '.gitignore'));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && git.whyIgnored(full, true, base) === undefined) visit(full);
        continue;
      }
      // Cheapest first: the name, then the entry's kind, then the ignore rules.
      if (!SOURCE_FILE.test(entry.name) || isDeclaration(entry.name)) continue;
      if (!entry.isFile() && !(entry.isSymbolicLink() && isFile(full))) continue;
      if (git.whyIgnored(full, false, base) !== undefined || ignored(full) || test?.(full)) continue;
      found.push(full);
    }
  };
  visit(root);
  return found;
}

function resolveTarget(input: string, cwd: string): Target {
  const absolute = path.resolve(cwd, input);
  if (!existsSync(absolute)) throw new UsageError(`no such file or directory: ${input}`);
  return { path: absolute, isDirectory: statSync(absolute).isDirectory() };
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function isDeclaration(file: string): boolean {
  return /\.d\.[cm]?ts$/.test(file) || /\.d\.[^.]+\.ts$/.test(file);
}

/** Posix path from the filesystem root, so that test patterns (`**` globs) also match a file outside the cwd. */
function fromRoot(file: string): string {
  return file.slice(path.parse(file).root.length).split(path.sep).join('/');
}

/** Posix path relative to `cwd` (`.` for `cwd` itself). */
export function displayPath(file: string, cwd: string): string {
  return path.relative(cwd, file).split(path.sep).join('/') || '.';
}
