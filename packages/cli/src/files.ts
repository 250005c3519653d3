/**
 * Which files a run analyses: every file named, and the source files under every directory named,
 * found by walking it and leaving out dependencies and build output, what `.gitignore` and the
 * `ignores` globs ignore, and test files (unless they are wanted). Which program analyses each
 * file is program.ts's business.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import { DEFAULT_EXAMPLE_PATTERNS, DEFAULT_SCRIPT_PATTERNS, DEFAULT_TEST_PATTERNS, type FileRole } from '@resilience-kit/core';
import { readFileSync } from 'node:fs';
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
  /** Globs (relative to a directory named) that make a file a script; default `DEFAULT_SCRIPT_PATTERNS`. */
  readonly scriptPatterns?: readonly string[] | undefined;
  readonly includeScripts?: boolean | undefined;
  /** Globs (relative to a directory named) that make a file an example; default `DEFAULT_EXAMPLE_PATTERNS`. */
  readonly examplePatterns?: readonly string[] | undefined;
  readonly includeExamples?: boolean | undefined;
  /** Globs relative to `cwd` of files that ship whatever their path says (the config's `production`). */
  readonly productionPatterns?: readonly string[] | undefined;
}

/** Files left out because of their role, by role. */
export type SkippedByRole = Readonly<Record<Exclude<FileRole, 'production'>, number>>;

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
  /** The role of each file analysed that is not production code (with `--include-tests` and the like). */
  readonly roles: ReadonlyMap<string, FileRole>;
  /** How many files each role left out. */
  readonly skipped: SkippedByRole;
}

export function listFiles(paths: readonly string[], options: FileListOptions): FileList {
  const { cwd } = options;
  const targets = paths.map((p) => resolveTarget(p, cwd));
  const git = new GitIgnores();
  const isIgnored = globMatcher(options.ignores ?? []);
  const isTest = globMatcher(options.testPatterns ?? DEFAULT_TEST_PATTERNS);
  const isScript = globMatcher(options.scriptPatterns ?? DEFAULT_SCRIPT_PATTERNS);
  const isExample = globMatcher(options.examplePatterns ?? DEFAULT_EXAMPLE_PATTERNS);
  const isProduction = globMatcher(options.productionPatterns ?? []);
  const included = new Set<FileRole>(['production']);
  if (options.includeTests) included.add('test');
  if (options.includeScripts) included.add('script');
  if (options.includeExamples) included.add('example');
  const display = (file: string): string => displayPath(file, cwd);
  const packages = new PackageRoles();
  const skipped = { test: 0, script: 0, example: 0 };
  const roles = new Map<string, FileRole>();
  const roleOf = (file: string, root: string): FileRole => {
    const shown = display(file);
    if (isProduction(shown)) return 'production';
    // Tests by their path from the cwd (as before); scripts and examples from the directory named, so
    // that `resilience audit scripts/deploy` audits what it names.
    if (isTest(shown) || (!isInside(file, cwd) && isTest(fromRoot(file)))) return 'test';
    const inRoot = path.relative(root, file).split(path.sep).join('/');
    if (isScript(inRoot)) return 'script';
    if (isExample(inRoot)) return 'example';
    return packages.roleOf(file, root) ?? 'production';
  };
  const filters: Omit<WalkFilters, 'base' | 'root'> = {
    git,
    ignored: (file) => isIgnored(display(file)),
    role: roleOf,
    keep: (file, role) => {
      if (included.has(role)) {
        if (role !== 'production') roles.set(file, role);
        return true;
      }
      skipped[role as keyof typeof skipped]++;
      return false;
    },
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
      const role = roleOf(target.path, path.dirname(target.path));
      if (role !== 'production') roles.set(target.path, role);
      continue;
    }
    // Inside a directory named explicitly that is ignored, what ignores the directory does not
    // count: only the .gitignore files inside it apply (and no glob, if a glob ignores it).
    const found = walk(target.path, { ...filters, root: target.path, base: gitignore === undefined ? base : target.path, ignored: byGlobs ? () => false : filters.ignored });
    if (found.length === 0) warnings.push(`no files to analyse in ${display(target.path)}`);
    for (const file of found) files.add(file);
  }
  return { targets, files: [...files].sort(), named, warnings, roles, skipped };
}

const TOOLING_PACKAGE = /(?:^|[/@-])(scripts?|tools?|tooling|codegen|e2e|tests?|testing|test-utils|examples?|demos?|samples?)(?:$|[-/])/;
const ROLE_OF_NAME: Readonly<Record<string, FileRole>> = {
  script: 'script', scripts: 'script', tool: 'script', tools: 'script', tooling: 'script', codegen: 'script',
  e2e: 'test', test: 'test', tests: 'test', testing: 'test', 'test-utils': 'test',
  example: 'example', examples: 'example', demo: 'example', demos: 'example', sample: 'example', samples: 'example',
};

/**
 * A private workspace package named for tooling (`@acme/scripts`, `e2e-tests`, `examples`): its files
 * take its role. Only packages below the directory named count (naming a package audits it).
 */
class PackageRoles {
  /** Per directory: its package's role, null for a package that ships, 'none' without a package.json. */
  private readonly byDir = new Map<string, FileRole | null | 'none'>();

  roleOf(file: string, root: string): FileRole | undefined {
    for (let dir = path.dirname(file); isInside(dir, root) && dir !== root; dir = path.dirname(dir)) {
      let known = this.byDir.get(dir);
      if (known === undefined) {
        known = this.readPackage(dir) ?? 'none';
        this.byDir.set(dir, known);
      }
      if (known !== 'none') return known ?? undefined;
    }
    return undefined;
  }

  /** undefined: no package.json here; null: a package that ships. */
  private readPackage(dir: string): FileRole | null | undefined {
    let manifest: { name?: unknown; private?: unknown };
    try {
      manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as typeof manifest;
    } catch {
      return undefined;
    }
    if (manifest.private !== true || typeof manifest.name !== 'string') return null;
    const match = TOOLING_PACKAGE.exec(manifest.name);
    return match ? ROLE_OF_NAME[match[1]!] ?? null : null;
  }
}

interface WalkFilters {
  readonly git: GitIgnores;
  /** Where the .gitignore files that apply start (the git repository's root). */
  readonly base: string;
  /** The directory named. */
  readonly root: string;
  readonly ignored: (file: string) => boolean;
  readonly role: (file: string, root: string) => FileRole;
  /** Whether a file of this role is analysed (counts the ones left out). */
  readonly keep: (file: string, role: FileRole) => boolean;
}

/**
 * The source files under `root`. Symbolic links to files are followed, to
 * directories not. The globs are tested on files only (`globMatcher` semantics), so a walk enters a
 * directory they cover; .gitignore'd directories are not entered.
 */
function walk(root: string, filters: WalkFilters): string[] {
  const { git, base, ignored, role, keep, root: named } = filters;
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
      if (git.whyIgnored(full, false, base) !== undefined || ignored(full) || !keep(full, role(full, named))) continue;
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
