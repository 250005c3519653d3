/**
 * What leaves files out: `.gitignore` files, with git's precedence, read with the `ignore` package
 * (the matcher ESLint and many other tools use) rather than a hand-written parser; and glob lists
 * (`ignores`, test patterns) in picomatch syntax, the config file's.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import picomatch from 'picomatch';

/**
 * The `.gitignore` files of every directory from a base (the git repository's root) down, and the
 * repository's `.git/info/exclude`. Rules are read once per directory; a directory's verdict is
 * kept, so walking a tree costs one rule test per entry and per `.gitignore` above it.
 */
export class GitIgnores {
  /** Ignore file → its rules (null: no such file). */
  readonly #rules = new Map<string, Ignore | null>();
  /** `${base}\0${dir}` → the ignore file that leaves the directory out, or null. */
  readonly #directories = new Map<string, string | null>();
  readonly #roots = new Map<string, string | null>();
  readonly #levelCache = new Map<string, readonly Level[]>();

  /** The root of the git work tree `dir` is in (the nearest directory above with a `.git`), if any. */
  gitRoot(dir: string): string | undefined {
    let cached = this.#roots.get(dir);
    if (cached === undefined) {
      const parent = path.dirname(dir);
      cached = existsSync(path.join(dir, '.git')) ? dir : parent === dir ? null : (this.gitRoot(parent) ?? null);
      this.#roots.set(dir, cached);
    }
    return cached ?? undefined;
  }

  /** Tell what a walk saw, to spare a failed read of a `.gitignore` that does not exist. */
  noteDirectory(dir: string, hasGitignore: boolean): void {
    const file = path.join(dir, '.gitignore');
    if (!hasGitignore && !this.#rules.has(file)) this.#rules.set(file, null);
  }

  /**
   * The ignore file (absolute path) that leaves `file` out, judged from `base` down, or undefined.
   * A path inside an ignored directory is ignored by the directory's file (as in git, nothing can
   * re-include it).
   */
  whyIgnored(file: string, isDirectory: boolean, base: string): string | undefined {
    if (file === base || !isInside(file, base)) return undefined;
    const parent = path.dirname(file);
    if (parent !== base && isInside(parent, base)) {
      const why = this.#directory(parent, base);
      if (why !== undefined) return why;
    }
    return this.#test(file, isDirectory, base);
  }

  #directory(dir: string, base: string): string | undefined {
    const key = `${base}\0${dir}`;
    let cached = this.#directories.get(key);
    if (cached === undefined) {
      cached = this.whyIgnored(dir, true, base) ?? null;
      this.#directories.set(key, cached);
    }
    return cached ?? undefined;
  }

  /** Git's precedence: info/exclude lowest, then each directory's .gitignore, the deepest last. */
  #test(file: string, isDirectory: boolean, base: string): string | undefined {
    let verdict: string | undefined;
    for (const level of this.#levels(path.dirname(file), base)) {
      const result = level.rules.test(toPosix(path.relative(level.dir, file)) + (isDirectory ? '/' : ''));
      if (result.ignored) verdict = level.source;
      else if (result.unignored) verdict = undefined;
    }
    return verdict;
  }

  /** The ignore files that apply to the entries of `dir`, lowest precedence first. */
  #levels(dir: string, base: string): readonly Level[] {
    const key = `${base}\0${dir}`;
    let levels = this.#levelCache.get(key);
    if (levels === undefined) {
      if (dir === base || !isInside(dir, base)) {
        const exclude = path.join(base, '.git', 'info', 'exclude');
        levels = [this.#level(base, exclude), this.#level(base, path.join(base, '.gitignore'))].filter((l) => l !== undefined);
      } else {
        const own = this.#level(dir, path.join(dir, '.gitignore'));
        levels = [...this.#levels(path.dirname(dir), base), ...(own ? [own] : [])];
      }
      this.#levelCache.set(key, levels);
    }
    return levels;
  }

  /** The rules of `source` (a `.gitignore` or info/exclude), relative to `dir`. */
  #level(dir: string, source: string): Level | undefined {
    const rules = this.#load(source);
    return rules ? { dir, rules, source } : undefined;
  }

  #load(file: string): Ignore | null {
    let rules = this.#rules.get(file);
    if (rules === undefined) {
      rules = null;
      try {
        if (statSync(file).isFile()) rules = ignore().add(readFileSync(file, 'utf8'));
      } catch {
        // No such file: nothing ignored at this level.
      }
      this.#rules.set(file, rules);
    }
    return rules;
  }
}

interface Level {
  /** The directory the rules are relative to. */
  readonly dir: string;
  readonly rules: Ignore;
  /** The ignore file. */
  readonly source: string;
}

/**
 * A predicate over posix paths relative to the globs' directory (picomatch, dot files matched):
 * true when the last glob that matches is not a negation (`["gen/**", "!gen/keep.ts"]` keeps
 * gen/keep.ts), as in .gitignore and ESLint's `ignores`.
 */
export function globMatcher(globs: readonly string[]): (file: string) => boolean {
  if (globs.length === 0) return () => false;
  const tests = globs.map((glob) => {
    const negated = glob.startsWith('!');
    return { negated, match: picomatch(negated ? glob.slice(1) : glob, { dot: true }) };
  });
  return (file) => {
    for (let i = tests.length - 1; i >= 0; i--) if (tests[i]!.match(file)) return !tests[i]!.negated;
    return false;
  };
}

/** `file` is `dir` or inside it. */
export function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
