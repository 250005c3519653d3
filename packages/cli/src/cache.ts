/**
 * `--cache`: each file's results (findings, suppressed findings, call sites) kept between runs,
 * replayed when nothing they depend on changed. When nothing in the tree changed at all (the run's
 * identity and every project file its programs held: `TreeStamp`), no program is built; otherwise the
 * programs are loaded (type information for the files that do need analysing) and a hit saves the
 * file's analysis.
 *
 * A file's key is a hash of: the cache format and tool version, the configuration (rules with
 * their options and severities, strict, catalogue additions), a program-wide `globalKey` from the
 * caller, the file's path and content, and the content of every project file it imports,
 * transitively: cross-file facts make a file's findings depend on the wrappers it imports.
 * Transitive imports are hashed Merkle-style over the import graph's strongly connected
 * components (Tarjan), so each file and edge is visited once however deep the graph.
 * node_modules and lib files are left out (their versions change with the lockfile, which
 * invalidates the cache through the tool version or not at all; see docs/audit.md).
 *
 * A cache file that is corrupt, from another tool version or another format is ignored and
 * rebuilt; one that cannot be written is a warning, never an error.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { programEffectsKey } from '@resilience-kit/core';
import { configHash as resolvedConfigHash } from '@resilience-kit/core';
import type { ResolvedConfig, RuleRun } from '@resilience-kit/core';
import type { FileResult } from './audit.ts';
import { compareStrings } from './report.ts';
import type { SessionFile } from './session.ts';
import { toolVersion } from './version.ts';
import { writeFileAtomic } from './write.ts';

export const CACHE_VERSION = 2;
export { DEFAULT_CACHE_LOCATION } from './cache-location.ts';

export interface CacheOptions {
  /** The cache file (absolute, or relative to the cwd). */
  readonly location: string;
  /** Program-wide facts that can change any file's findings (e.g. `axios.defaults` set elsewhere). */
  readonly globalKey?: string | undefined;
}

/** The cache as one audit run uses it. */
export interface CachedRun {
  /** The file's result from the cache, or from `analyse()` (then stored for next time). */
  readonly resultOf: (entry: Pick<SessionFile, 'file'>, analyse: () => FileResult) => FileResult;
  /** Write the cache back, with the tree's stamp when given; a warning to show when it cannot be written. */
  readonly save: (tree?: TreeStamp | undefined) => string | undefined;
  readonly stats: { analysed: number; cached: number };
}

export function openCachedRun(
  options: CacheOptions,
  session: { readonly cwd: string; readonly runs: readonly RuleRun[]; readonly catalogue?: unknown },
  files: readonly Pick<SessionFile, 'file' | 'sourceFile' | 'program'>[],
  config?: ResolvedConfig | undefined,
): CachedRun {
  const location = path.resolve(session.cwd, options.location);
  const cache = ResultCache.open(location);
  const hash = configHash(session.runs, session.catalogue, config === undefined ? undefined : resolvedConfigHash(config));
  const keys = fileKeys(files, { cwd: session.cwd, configHash: hash, globalKey: options.globalKey ?? '' });
  const stats = { analysed: 0, cached: 0 };
  return {
    stats,
    resultOf(entry, analyse) {
      const key = keys.get(entry.file);
      const hit = key === undefined ? undefined : cache.get(entry.file, key);
      if (hit) {
        stats.cached += 1;
        return hit;
      }
      const result = analyse();
      stats.analysed += 1;
      if (key !== undefined) cache.set(entry.file, key, result);
      return result;
    },
    save(tree) {
      try {
        cache.tree = tree;
        cache.save(session.cwd);
        return undefined;
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        return `cannot write the cache ${path.relative(session.cwd, location) || location}: ${reason}`;
      }
    },
  };
}

interface CacheEntry {
  readonly key: string;
  readonly result: FileResult;
}

/**
 * The whole tree as the last full run saw it: every project file its programs held (relative to the
 * cwd, sorted) and a key over the run's identity and those files' contents. When both still match,
 * the next run replays every result without building a program (`replayUnchangedTree`).
 */
export interface TreeStamp {
  readonly key: string;
  readonly files: readonly string[];
}

interface CacheFile {
  readonly version: typeof CACHE_VERSION;
  readonly tool: string;
  readonly files: Readonly<Record<string, CacheEntry>>;
  readonly tree?: TreeStamp | undefined;
}

/** The per-file results on disk, read once and written back once. */
export class ResultCache {
  readonly #file: string;
  readonly #entries: Map<string, CacheEntry>;
  #tree: TreeStamp | undefined;
  #dirty = false;

  private constructor(file: string, entries: Map<string, CacheEntry>, tree: TreeStamp | undefined) {
    this.#file = file;
    this.#entries = entries;
    this.#tree = tree;
  }

  /** Read the cache at `file`; anything unreadable gives an empty cache. */
  static open(file: string): ResultCache {
    const { entries, tree } = readEntries(file);
    return new ResultCache(file, entries, tree);
  }

  get tree(): TreeStamp | undefined {
    return this.#tree;
  }

  set tree(stamp: TreeStamp | undefined) {
    if (stamp?.key === this.#tree?.key) return;
    this.#tree = stamp;
    this.#dirty = true;
  }

  /** The stored result of a file, whatever its key (for a tree known to be unchanged). */
  stored(file: string): FileResult | undefined {
    const entry = this.#entries.get(file);
    return entry?.result.file === file ? entry.result : undefined;
  }

  get(file: string, key: string): FileResult | undefined {
    const entry = this.#entries.get(file);
    return entry?.key === key && entry.result.file === file ? entry.result : undefined;
  }

  set(file: string, key: string, result: FileResult): void {
    this.#entries.set(file, { key, result });
    this.#dirty = true;
  }

  /** Drop the entries of files that no longer exist (relative to `root`), then write if anything changed. */
  save(root: string): void {
    for (const file of this.#entries.keys()) {
      if (!existsSync(path.resolve(root, file))) {
        this.#entries.delete(file);
        this.#dirty = true;
      }
    }
    if (!this.#dirty) return;
    const files: Record<string, CacheEntry> = {};
    for (const file of [...this.#entries.keys()].sort(compareStrings)) files[file] = this.#entries.get(file)!;
    const data: CacheFile = { version: CACHE_VERSION, tool: toolVersion, files, ...(this.#tree ? { tree: this.#tree } : {}) };
    mkdirSync(path.dirname(this.#file), { recursive: true });
    writeFileAtomic(this.#file, JSON.stringify(data), { create: true });
    this.#dirty = false;
  }
}

function readEntries(file: string): { entries: Map<string, CacheEntry>; tree: TreeStamp | undefined } {
  const entries = new Map<string, CacheEntry>();
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { entries, tree: undefined }; // missing or corrupt: rebuilt
  }
  if (!isRecord(data) || data['version'] !== CACHE_VERSION || data['tool'] !== toolVersion || !isRecord(data['files'])) return { entries, tree: undefined };
  for (const [name, entry] of Object.entries(data['files'])) {
    if (isEntry(entry)) entries.set(name, entry);
  }
  const tree = data['tree'];
  const stamp = isRecord(tree) && typeof tree['key'] === 'string' && Array.isArray(tree['files']) && tree['files'].every((f) => typeof f === 'string')
    ? { key: tree['key'], files: tree['files'] as string[] } : undefined;
  return { entries, tree: stamp };
}

/**
 * The key of a tree: the run's identity (tool, configuration, the files and programs planned) and
 * the content of each file, read now; undefined when one of them cannot be read (deleted: changed).
 */
export function treeKey(identity: string, files: readonly string[], cwd: string, texts?: Map<string, string>): string | undefined {
  const hash = createHash('sha256').update(`${CACHE_VERSION}\0${toolVersion}\0${identity}\0`);
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(path.resolve(cwd, file), 'utf8');
    } catch {
      return undefined;
    }
    texts?.set(file, text);
    hash.update(`${file}\0${sha256(text)}\0`);
  }
  return hash.digest('hex');
}

/**
 * `--cache` on a tree that did not change since the last full run: every file's result from the
 * cache, with the texts read to check it (for code frames), and no program built. Undefined when
 * anything differs (then the run loads its programs and keys each file as usual).
 */
export function replayUnchangedTree(location: string, cwd: string, identity: string, files: readonly string[]): { results: FileResult[]; texts: Map<string, string> } | undefined {
  const cache = ResultCache.open(path.resolve(cwd, location));
  const tree = cache.tree;
  if (!tree) return undefined;
  const results = files.map((file) => cache.stored(file));
  if (results.some((r) => r === undefined)) return undefined;
  const texts = new Map<string, string>();
  if (treeKey(identity, tree.files, cwd, texts) !== tree.key) return undefined;
  return { results: results as FileResult[], texts };
}

/** A stable identity for a run's plan and configuration: what, besides file contents, a result depends on. */
export function runIdentity(parts: unknown): string {
  return sha256(stableStringify(parts));
}

function isEntry(value: unknown): value is CacheEntry {
  if (!isRecord(value) || typeof value['key'] !== 'string' || !isRecord(value['result'])) return false;
  const result = value['result'];
  return typeof result['file'] === 'string'
    && ['findings', 'suppressed', 'calls', 'callDependencies'].every((name) => Array.isArray(result[name]));
}

/**
 * The configuration part of every key: the rules that run with their options and severities
 * (`--rule` and `--strict` included), the user's catalogue additions, and the config file's own
 * hash (core's `configHash`) when there is one.
 */
export function configHash(runs: readonly RuleRun[], catalogue: unknown, configFileHash?: string): string {
  const rules = runs.map((run) => ({
    id: run.rule.meta.id,
    options: { ...(run.rule.meta.defaultOptions as object), ...run.options },
    severity: (run as { readonly severity?: unknown }).severity ?? 'error',
  }));
  return sha256(stableStringify({ rules, catalogue: catalogue ?? null, config: configFileHash ?? null }));
}

export interface KeyContext {
  /** Absolute directory paths in keys are relative to (so a cache restored elsewhere still hits). */
  readonly cwd: string;
  readonly configHash: string;
  readonly globalKey: string;
}

/** The cache key of each file, by its relative path. */
export function fileKeys(files: readonly Pick<SessionFile, 'file' | 'sourceFile' | 'program'>[], context: KeyContext): Map<string, string> {
  const graphs = new Map<ts.Program, ImportGraph>();
  const relative = (fileName: string): string => path.relative(context.cwd, fileName).split(path.sep).join('/');
  const keys = new Map<string, string>();
  for (const entry of files) {
    let closure: string;
    if (entry.program) {
      let graph = graphs.get(entry.program);
      if (!graph) graphs.set(entry.program, graph = new ImportGraph(entry.program, relative));
      // Imports (the wrappers and helpers it uses) and importers (its callers, which can decide a
      // wrapper's verdict), plus the program's global settings (axios.defaults, a global dispatcher).
      closure = `${graph.closureHash(entry.sourceFile.fileName)}\0${graph.importersHash(entry.sourceFile.fileName)}\0${graph.effectsKey()}`;
    } else {
      closure = sha256(entry.sourceFile.text);
    }
    keys.set(entry.file, sha256(`${CACHE_VERSION}\0${toolVersion}\0${context.configHash}\0${context.globalKey}\0${entry.file}\0${closure}`));
  }
  return keys;
}

/**
 * A program's project files and their imports, resolved as the program resolves them.
 * `closureHash(f)` changes when f or any project file it reaches through imports changes.
 */
export class ImportGraph {
  readonly #program: ts.Program;
  readonly #relative: (fileName: string) => string;
  readonly #resolution: ts.ModuleResolutionCache;
  readonly #imports = new Map<string, readonly string[]>();
  /** Closure hash of each file whose component is complete. */
  readonly #closures = new Map<string, string>();

  constructor(program: ts.Program, relative: (fileName: string) => string) {
    this.#program = program;
    this.#relative = relative;
    const canonical = ts.sys.useCaseSensitiveFileNames ? (s: string): string => s : (s: string): string => s.toLowerCase();
    this.#resolution = ts.createModuleResolutionCache(program.getCurrentDirectory(), canonical, program.getCompilerOptions());
  }

  #importers: Map<string, string[]> | undefined;
  readonly #importersHashes = new Map<string, string>();
  #effects: string | undefined;

  /** Settings made in one module that reach others (axios.defaults, setGlobalDispatcher), from the engine. */
  effectsKey(): string {
    this.#effects ??= programEffectsKey(this.#program);
    return this.#effects;
  }

  /**
   * Hash of the project files that import `fileName`, directly or not: a wrapper's verdict can depend
   * on its callers (whether they pass a deadline, or run it under one).
   */
  importersHash(fileName: string): string {
    const known = this.#importersHashes.get(fileName);
    if (known !== undefined) return known;
    if (!this.#importers) {
      this.#importers = new Map();
      for (const sf of this.#program.getSourceFiles()) {
        if (sf.isDeclarationFile || this.#program.isSourceFileFromExternalLibrary(sf) || /[\\/]node_modules[\\/]/.test(sf.fileName)) continue;
        for (const dep of this.importsOf(sf.fileName)) {
          const list = this.#importers.get(dep);
          if (list) list.push(sf.fileName);
          else this.#importers.set(dep, [sf.fileName]);
        }
      }
    }
    const seen = new Set<string>();
    const queue = [...(this.#importers.get(fileName) ?? [])];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (seen.has(next) || next === fileName) continue;
      seen.add(next);
      queue.push(...(this.#importers.get(next) ?? []));
    }
    const hash = sha256([...seen].map((f) => `${this.#relative(f)}\0${sha256(this.#program.getSourceFile(f)?.text ?? '')}`).sort(compareStrings).join('\n'));
    this.#importersHashes.set(fileName, hash);
    return hash;
  }

  closureHash(fileName: string): string {
    const known = this.#closures.get(fileName);
    if (known !== undefined) return known;
    this.#tarjan(fileName);
    return this.#closures.get(fileName)!;
  }

  /** The project files `fileName` imports (resolved, in the program, not node_modules or lib). */
  importsOf(fileName: string): readonly string[] {
    const known = this.#imports.get(fileName);
    if (known) return known;
    const sourceFile = this.#program.getSourceFile(fileName);
    const found = new Set<string>();
    if (sourceFile) {
      const options = this.#program.getCompilerOptions();
      const info = ts.preProcessFile(sourceFile.text, true, true);
      for (const ref of info.importedFiles) {
        const mode = ref.resolutionMode ?? sourceFile.impliedNodeFormat;
        const resolved = ts.resolveModuleName(ref.fileName, fileName, options, ts.sys, this.#resolution, undefined, mode).resolvedModule;
        if (resolved && !resolved.isExternalLibraryImport) this.#addProjectFile(found, resolved.resolvedFileName);
      }
      for (const ref of info.referencedFiles) this.#addProjectFile(found, path.resolve(path.dirname(fileName), ref.fileName));
    }
    const imports = [...found].sort(compareStrings);
    this.#imports.set(fileName, imports);
    return imports;
  }

  #addProjectFile(found: Set<string>, fileName: string): void {
    const target = this.#program.getSourceFile(fileName);
    if (!target || this.#program.isSourceFileFromExternalLibrary(target) || this.#program.isSourceFileDefaultLibrary(target)) return;
    if (/[\\/]node_modules[\\/]/.test(target.fileName)) return;
    found.add(target.fileName);
  }

  /** Tarjan's strongly connected components from `root`, iteratively; hashes each component as it completes. */
  #tarjan(root: string): void {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    let counter = 0;
    const visit = (v: string): { v: string; deps: readonly string[]; i: number } => {
      index.set(v, counter);
      low.set(v, counter);
      counter += 1;
      stack.push(v);
      onStack.add(v);
      return { v, deps: this.importsOf(v), i: 0 };
    };
    const work = [visit(root)];
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.i < frame.deps.length) {
        const w = frame.deps[frame.i]!;
        frame.i += 1;
        if (this.#closures.has(w)) continue; // a component finished earlier (this call or a previous one)
        if (!index.has(w)) work.push(visit(w));
        else if (onStack.has(w)) low.set(frame.v, Math.min(low.get(frame.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (low.get(frame.v) === index.get(frame.v)) {
        const members: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          members.push(w);
        } while (w !== frame.v);
        this.#hashComponent(members);
      }
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(frame.v)!));
    }
  }

  #hashComponent(members: readonly string[]): void {
    const inside = new Set(members);
    const contents = members.map((m) => `${this.#relative(m)}\0${sha256(this.#program.getSourceFile(m)?.text ?? '')}`).sort(compareStrings);
    const below = new Set<string>();
    for (const m of members) {
      for (const dep of this.importsOf(m)) if (!inside.has(dep)) below.add(this.#closures.get(dep)!);
    }
    const hash = sha256(`${contents.join('\n')}\n--\n${[...below].sort(compareStrings).join('\n')}`);
    for (const m of members) this.#closures.set(m, hash);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with sorted keys; regular expressions and functions by their source. */
function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RegExp || typeof v === 'function' || typeof v === 'bigint') return String(v);
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => compareStrings(a, b)));
    return v;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
