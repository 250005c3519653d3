/**
 * Program loading: which files to analyse, and ONE `ts.Program` per tsconfig (or one inferred
 * program for everything without a tsconfig), so the checker resolves symbols across files.
 *
 * For each path: `--project` if given; else a directory with a tsconfig.json at its root uses
 * that tsconfig (its files under the directory); else the files are globbed and get inferred options.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import ts from 'typescript';
import { createProgram } from './compiler-host.ts';
import { UsageError } from './errors.ts';

export const SOURCE_GLOB = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}';
export const IGNORED = ['**/node_modules/**', '**/dist/**', '**/build/**', '**/coverage/**', '**/.git/**', '**/.yarn/**', '**/*.d.ts'];

export const INFERRED_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  noEmit: true,
  skipLibCheck: true,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  jsx: ts.JsxEmit.Preserve,
};

export interface ProgramGroup {
  /** Absolute path of the tsconfig, or undefined for the inferred program. */
  readonly configFile: string | undefined;
  readonly program: ts.Program;
  /** Absolute paths of the files to analyse with this program, sorted. */
  readonly files: readonly string[];
}

export interface LoadedPrograms {
  readonly groups: readonly ProgramGroup[];
  /** Non-fatal tsconfig problems, one line each. */
  readonly warnings: readonly string[];
}

export interface LoadOptions {
  readonly cwd: string;
  /** `--project`: a tsconfig file, or a directory holding tsconfig.json. */
  readonly project?: string | undefined;
}

interface Target {
  readonly path: string;
  readonly isDirectory: boolean;
}

export function loadPrograms(paths: readonly string[], options: LoadOptions): LoadedPrograms {
  const targets = paths.map((p) => resolveTarget(p, options.cwd));
  const loader = new Loader(options.cwd);
  if (options.project !== undefined) {
    loader.addConfig(resolveProject(options.project, options.cwd), targets, true);
  } else {
    const byConfig = new Map<string, Target[]>();
    for (const target of targets) {
      const config = target.isDirectory ? path.join(target.path, 'tsconfig.json') : undefined;
      if (config !== undefined && existsSync(config)) byConfig.set(config, [...(byConfig.get(config) ?? []), target]);
      else loader.addInferred(target);
    }
    for (const [config, configTargets] of byConfig) loader.addConfig(config, configTargets, false);
  }
  const loaded = loader.finish();
  const files = loaded.groups.flatMap((g) => g.files);
  const empty = targets.filter((t) => !files.some((f) => isUnder(f, [t])));
  const warnings = [...loaded.warnings, ...empty.map((t) => `no files to analyse in ${displayPath(t.path, options.cwd)}`)];
  return { groups: loaded.groups, warnings };
}

function resolveTarget(input: string, cwd: string): Target {
  const absolute = path.resolve(cwd, input);
  if (!existsSync(absolute)) throw new UsageError(`no such file or directory: ${input}`);
  return { path: absolute, isDirectory: statSync(absolute).isDirectory() };
}

function resolveProject(input: string, cwd: string): string {
  const absolute = path.resolve(cwd, input);
  const file = existsSync(absolute) && statSync(absolute).isDirectory() ? path.join(absolute, 'tsconfig.json') : absolute;
  if (!existsSync(file)) throw new UsageError(`tsconfig not found: ${input}`);
  return file;
}

class Loader {
  readonly #cwd: string;
  readonly #groups: ProgramGroup[] = [];
  readonly #warnings: string[] = [];
  readonly #inferred = new Set<string>();
  /** A file belongs to the first program that claims it. */
  readonly #claimed = new Set<string>();
  readonly #visitedConfigs = new Set<string>();

  constructor(cwd: string) {
    this.#cwd = cwd;
  }

  addInferred(target: Target): void {
    const files = target.isDirectory
      ? globSync(SOURCE_GLOB, { cwd: target.path, absolute: true, dot: true, ignore: IGNORED, followSymbolicLinks: false })
      : [target.path];
    for (const file of files) this.#inferred.add(path.resolve(file));
  }

  /**
   * One program for the tsconfig's own files (plus, with --project, files named explicitly that it
   * does not include), then its project references, each with its own program (solution-style configs).
   */
  addConfig(configFile: string, targets: readonly Target[], explicit: boolean): void {
    if (this.#visitedConfigs.has(configFile)) return;
    this.#visitedConfigs.add(configFile);
    const parsed = this.#parseConfig(configFile);
    const fileNames = parsed.fileNames.map((f) => path.resolve(f));
    const own = new Set(fileNames);
    const extra = explicit ? targets.filter((t) => !t.isDirectory && !own.has(t.path)).map((t) => t.path) : [];
    const files = [...fileNames, ...extra].filter((f) => isUnder(f, targets) && (!isDeclaration(f) || extra.includes(f)));
    if (files.length > 0) {
      const program = createProgram([...fileNames, ...extra], parsed.options, parsed.projectReferences);
      this.#addGroup(configFile, program, files);
    }
    for (const reference of parsed.projectReferences ?? []) {
      const referenced = ts.resolveProjectReferencePath(reference);
      if (existsSync(referenced)) this.addConfig(path.resolve(referenced), targets, false);
      else this.#warnings.push(`${this.#display(configFile)}: referenced project not found: ${this.#display(referenced)}`);
    }
  }

  finish(): LoadedPrograms {
    const inferred = [...this.#inferred].filter((f) => !this.#claimed.has(f));
    if (inferred.length > 0) this.#addGroup(undefined, createProgram(inferred, INFERRED_OPTIONS), inferred);
    return { groups: this.#groups, warnings: this.#warnings };
  }

  #addGroup(configFile: string | undefined, program: ts.Program, files: readonly string[]): void {
    const mine = [...new Set(files)].filter((f) => !this.#claimed.has(f)).sort();
    for (const file of mine) this.#claimed.add(file);
    if (mine.length > 0) this.#groups.push({ configFile, program, files: mine });
  }

  #parseConfig(configFile: string): ts.ParsedCommandLine {
    const read = ts.readConfigFile(configFile, ts.sys.readFile);
    if (read.error) throw new UsageError(`cannot read tsconfig ${this.#display(configFile)}: ${describe(read.error)}`);
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configFile), undefined, configFile);
    for (const error of parsed.errors) {
      if (error.code === NO_INPUTS_FOUND) continue;
      this.#warnings.push(`${this.#display(configFile)}: ${describe(error)}`);
    }
    return parsed;
  }

  #display(file: string): string {
    return displayPath(file, this.#cwd);
  }
}

function displayPath(file: string, cwd: string): string {
  return path.relative(cwd, file).split(path.sep).join('/') || '.';
}

/** TS18003 "No inputs were found in config file": fine for a solution-style tsconfig. */
const NO_INPUTS_FOUND = 18003;

function isUnder(file: string, targets: readonly Target[]): boolean {
  return targets.some((t) => file === t.path || (t.isDirectory && file.startsWith(t.path.endsWith(path.sep) ? t.path : t.path + path.sep)));
}

function isDeclaration(file: string): boolean {
  return /\.d\.[cm]?ts$/.test(file) || /\.d\.[^.]+\.ts$/.test(file);
}

function describe(diagnostic: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  if (diagnostic.file && diagnostic.start !== undefined) {
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${message} (line ${line + 1}, column ${character + 1})`;
  }
  return message;
}
