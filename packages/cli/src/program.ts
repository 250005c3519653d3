/**
 * Program loading: which `ts.Program` analyses each file (files.ts says which files), with ONE
 * program per tsconfig that owns files, and one inferred program for the files no tsconfig includes.
 *
 * A file's tsconfig, as in tsserver and typescript-eslint's project service: the nearest
 * tsconfig.json (or jsconfig.json) above the file that includes it, directly or through its project
 * references (solution-style configs); failing that, any other tsconfig of the run that includes it
 * (`"include": ["../shared"]`). With `--project`, only that tsconfig and the projects it references.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { createProgram } from './compiler-host.ts';
import { UsageError } from './errors.ts';
import { displayPath, listFiles, type FileList } from './files.ts';
import type { FileListOptions } from './files.ts';

export const INFERRED_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  noEmit: true,
  skipLibCheck: true,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  jsx: ts.JsxEmit.Preserve,
};

/** What tsserver assumes for a jsconfig.json before reading its compilerOptions. */
const JSCONFIG_DEFAULTS: ts.CompilerOptions = { allowJs: true, maxNodeModuleJsDepth: 2, allowSyntheticDefaultImports: true, skipLibCheck: true, noEmit: true };

export interface ProgramGroup {
  /** Absolute path of the tsconfig, or undefined for the inferred program. */
  readonly configFile: string | undefined;
  readonly program: ts.Program;
  /** Absolute paths of the files to analyse with this program, sorted. */
  readonly files: readonly string[];
}

export interface LoadedPrograms {
  readonly groups: readonly ProgramGroup[];
  /** Non-fatal problems, one line each. */
  readonly warnings: readonly string[];
  /** Roles of the files analysed that are not production code, and the files left out by role (files.ts). */
  readonly roles: FileList['roles'];
  readonly skipped: FileList['skipped'];
}

export interface LoadOptions extends FileListOptions {
  /** `--project`: a tsconfig file, or a directory holding tsconfig.json. */
  readonly project?: string | undefined;
}

/** How many files the "not in any tsconfig" warning names. */
const NAMED_IN_WARNING = 3;

export function loadPrograms(paths: readonly string[], options: LoadOptions): LoadedPrograms {
  const plan = planPrograms(paths, options);
  // Declaration files parsed once for the whole run, whatever the number of programs.
  const declarations = new Map<string, ts.SourceFile>();
  return { groups: plan.groups.map((group) => buildGroup(group, declarations)), warnings: plan.warnings, roles: plan.roles, skipped: plan.skipped };
}

/** A program group before its program is built: which tsconfig, and which files it analyses. */
export interface PlannedGroup {
  /** Absolute path of the tsconfig, or undefined for the inferred program. */
  readonly configFile: string | undefined;
  /** Absolute paths of the files to analyse with this program, sorted. */
  readonly files: readonly string[];
  /** The root names and options the program is built from. */
  readonly rootNames: readonly string[];
  readonly options: ts.CompilerOptions;
  readonly projectReferences: readonly ts.ProjectReference[] | undefined;
}

export interface ProgramPlan extends Omit<LoadedPrograms, 'groups'> {
  /** In the order the groups are analysed: by tsconfig path, the inferred program last. */
  readonly groups: readonly PlannedGroup[];
}

/**
 * Which files each program analyses, with every tsconfig read and every warning known, but no
 * program built: what workers split (a group each), and what lets a run build one program at a
 * time and release it when its files are done.
 */
export function planPrograms(paths: readonly string[], options: LoadOptions): ProgramPlan {
  const { cwd } = options;
  const list = listFiles(paths, options);
  const configs = new Configs(cwd);
  let ownerOf: (file: string) => Config | undefined;
  if (options.project !== undefined) {
    const project = configs.load(resolveProject(options.project, cwd), true)!;
    ownerOf = (file) => configs.including(project, file) ?? (list.named.has(file) ? project : undefined);
  } else {
    // A tsconfig at the root of a directory named is the user's: an unreadable one is an error.
    for (const target of list.targets) {
      const config = target.isDirectory ? configs.configIn(target.path) : undefined;
      if (config !== undefined) configs.load(config, true);
    }
    ownerOf = (file) => configs.nearestIncluding(file) ?? configs.anyIncluding(file);
  }
  const owned = new Map<Config, string[]>();
  const inferred: string[] = [];
  for (const file of list.files) {
    const owner = ownerOf(file);
    if (owner === undefined) inferred.push(file);
    else if (owned.has(owner)) owned.get(owner)!.push(file);
    else owned.set(owner, [file]);
  }

  const groups: PlannedGroup[] = [...owned]
    .sort(([a], [b]) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .map(([config, files]) => {
      // With --project, a file named explicitly that the tsconfig does not include joins its program.
      const extra = files.filter((f) => !config.fileSet.has(f));
      const { fileNames, options: compilerOptions, projectReferences } = config.parsed;
      return { configFile: config.file, files, rootNames: [...fileNames, ...extra], options: compilerOptions, projectReferences };
    });
  if (inferred.length > 0) groups.push({ configFile: undefined, files: inferred, rootNames: inferred, options: INFERRED_OPTIONS, projectReferences: undefined });

  const warnings = [...list.warnings, ...configs.warnings];
  // Without any tsconfig, inferred options are the plan, not a surprise worth a warning.
  if (inferred.length > 0 && configs.loadedCount > 0) warnings.push(notInAnyTsconfig(inferred.map((f) => displayPath(f, cwd))));
  return { groups, warnings, roles: list.roles, skipped: list.skipped };
}

/** Build a planned group's program; `declarations` shares parsed declaration files between programs. */
export function buildGroup(group: PlannedGroup, declarations: Map<string, ts.SourceFile>): ProgramGroup {
  return { configFile: group.configFile, files: group.files, program: createProgram([...group.rootNames], group.options, group.projectReferences, declarations) };
}

function notInAnyTsconfig(files: readonly string[]): string {
  const names = files.slice(0, NAMED_IN_WARNING).join(', ') + (files.length > NAMED_IN_WARNING ? ', …' : '');
  const count = files.length === 1 ? '1 file is' : `${files.length} files are`;
  return `${count} not in any tsconfig (${names}); analysed with inferred options`;
}

function resolveProject(input: string, cwd: string): string {
  const absolute = path.resolve(cwd, input);
  const file = existsSync(absolute) && statSync(absolute).isDirectory() ? path.join(absolute, 'tsconfig.json') : absolute;
  if (!existsSync(file)) throw new UsageError(`tsconfig not found: ${input}`);
  return file;
}

interface Config {
  /** Absolute path. */
  readonly file: string;
  readonly parsed: ts.ParsedCommandLine;
  /** The absolute paths of the files it includes. */
  readonly fileSet: ReadonlySet<string>;
  /** The tsconfigs it references that exist, absolute. */
  readonly references: readonly string[];
}

/** The tsconfigs of a run, each read once (a project reached twice, as a reference and as the nearest, included). */
class Configs {
  readonly warnings: string[] = [];
  readonly #cwd: string;
  /** null: unreadable (warned). */
  readonly #loaded = new Map<string, Config | null>();
  readonly #inDirectory = new Map<string, string | null>();

  constructor(cwd: string) {
    this.#cwd = cwd;
  }

  get loadedCount(): number {
    return [...this.#loaded.values()].filter((c) => c !== null).length;
  }

  /** The tsconfig.json (else jsconfig.json) of a directory. */
  configIn(dir: string): string | undefined {
    let config = this.#inDirectory.get(dir);
    if (config === undefined) {
      config = ['tsconfig.json', 'jsconfig.json'].map((name) => path.join(dir, name)).find((f) => existsSync(f)) ?? null;
      this.#inDirectory.set(dir, config);
    }
    return config ?? undefined;
  }

  /** The nearest tsconfig above `file` (up to the filesystem root) that includes it, or a project it references. */
  nearestIncluding(file: string): Config | undefined {
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      const found = this.configIn(dir);
      const config = found === undefined ? undefined : this.load(found, false);
      const owner = config && this.including(config, file);
      if (owner) return owner;
      if (path.dirname(dir) === dir) return undefined;
    }
  }

  /** A tsconfig read in this run that includes `file` (one that includes files outside its directory). */
  anyIncluding(file: string): Config | undefined {
    for (const config of this.#loaded.values()) if (config?.fileSet.has(file)) return config;
    return undefined;
  }

  /** `config` if it includes `file`, else the first project it references (depth first) that does. */
  including(config: Config, file: string, seen = new Set<Config>()): Config | undefined {
    if (seen.has(config)) return undefined;
    seen.add(config);
    if (config.fileSet.has(file)) return config;
    for (const reference of config.references) {
      const referenced = this.load(reference, false);
      const owner = referenced && this.including(referenced, file, seen);
      if (owner) return owner;
    }
    return undefined;
  }

  /** Read and parse a tsconfig once; `fatal`: an unreadable one is a UsageError, else a warning. */
  load(file: string, fatal: boolean): Config | undefined {
    const cached = this.#loaded.get(file);
    if (cached !== undefined) return cached ?? undefined;
    const read = ts.readConfigFile(file, ts.sys.readFile);
    if (read.error) {
      const message = `cannot read tsconfig ${this.#display(file)}: ${describe(read.error)}`;
      if (fatal) throw new UsageError(message);
      this.warnings.push(message);
      this.#loaded.set(file, null);
      return undefined;
    }
    const existing = path.basename(file) === 'jsconfig.json' ? JSCONFIG_DEFAULTS : undefined;
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(file), existing, file);
    for (const error of parsed.errors) {
      if (error.code === NO_INPUTS_FOUND) continue;
      this.warnings.push(`${this.#display(file)}: ${describe(error)}`);
    }
    const references: string[] = [];
    for (const reference of parsed.projectReferences ?? []) {
      const referenced = path.resolve(ts.resolveProjectReferencePath(reference));
      if (existsSync(referenced)) references.push(referenced);
      else this.warnings.push(`${this.#display(file)}: referenced project not found: ${this.#display(referenced)}`);
    }
    const config: Config = { file, parsed, fileSet: new Set(parsed.fileNames.map((f) => path.resolve(f))), references };
    this.#loaded.set(file, config);
    return config;
  }

  #display(file: string): string {
    return displayPath(file, this.#cwd);
  }
}

/** TS18003 "No inputs were found in config file": fine for a solution-style tsconfig. */
const NO_INPUTS_FOUND = 18003;

function describe(diagnostic: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  if (diagnostic.file && diagnostic.start !== undefined) {
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${message} (line ${line + 1}, column ${character + 1})`;
  }
  return message;
}
