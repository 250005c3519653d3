/**
 * What `audit` and `fix` share: validate the request, pick the rules, load the programs, and hand
 * out each file once with its source file and program.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { cachedFileSystem, createIsolatedProgram, getSyntaxErrors, moduleContextFor, parseSource, setModuleContextProvider } from '@resilience-kit/core';
import type { CatalogueExtensions, ModuleContext, ResolvedConfig, RuleRun } from '@resilience-kit/core';
import { sessionGlobs } from './config.ts';
import { UsageError } from './errors.ts';
import { SourceLines } from './lines.ts';
import { listFiles, type SkippedByRole } from './files.ts';
import type { NonProductionRole } from './report.ts';
import { buildGroup, planPrograms } from './program.ts';
import type { LoadOptions, PlannedGroup, ProgramPlan } from './program.ts';
import { compareStrings } from './report.ts';
import type { ParseError } from './report.ts';
import { loadRegistry, selectRules } from './rules.ts';
import type { RuleRegistry } from './rules.ts';

export interface SessionOptions {
  /** Files and directories to analyse, relative to `cwd`. */
  readonly paths: readonly string[];
  /** Defaults to `process.cwd()`; report paths are relative to it. */
  readonly cwd?: string | undefined;
  /** `--rule`: limit the run to these rules (turned on even outside the recommended set). */
  readonly rules?: readonly string[] | undefined;
  /** `--project`: the tsconfig to use for every path. */
  readonly project?: string | undefined;
  /**
   * `--include-tests`: also analyse test files (`*.test.*`, `*.spec.*`, `__tests__/`, `__mocks__/`, `test/`, `tests/`).
   * Off by default: a test runner bounds every test with its own timeout, so a request in a test is
   * not the production hang the rules look for. A test file named explicitly is always analysed.
   */
  readonly includeTests?: boolean | undefined;
  /** `--include-scripts`: also analyse CI, release, seed and code-generation scripts (files.ts's role patterns). */
  readonly includeScripts?: boolean | undefined;
  /** `--include-examples`: also analyse examples, templates, demos and stories. */
  readonly includeExamples?: boolean | undefined;
  /** Globs (relative to `cwd`, `!` re-includes) of files never analysed unless named. */
  readonly ignores?: readonly string[] | undefined;
  /** Globs (relative to `cwd`) that make a file a test file, instead of the default test patterns. */
  readonly testPatterns?: readonly string[] | undefined;
  /**
   * `--syntax-only`: the same files, each parsed alone; no tsconfig is read and no `ts.Program` is
   * built (`SessionFile.program` is undefined). Faster, and cross-file facts are lost.
   */
  readonly syntaxOnly?: boolean | undefined;
  /**
   * The config file, resolved: rule severities and options, `ignores` and `tests` (added to the
   * options above, rebased to `cwd`), and the catalogue additions handed to the engine.
   */
  readonly config?: ResolvedConfig | undefined;
  /** Rules to choose from instead of @resilience-kit/rules (tests, custom rule sets). */
  readonly registry?: RuleRegistry | undefined;
}

export interface Session {
  readonly cwd: string;
  /** Posix form of `cwd`. */
  readonly root: string;
  readonly runs: readonly RuleRun[];
  readonly warnings: readonly string[];
  readonly files: readonly SessionFile[];
  /** Files left out by their role. */
  readonly skipped: SkippedByRole;
  /** The user's catalogue additions from the config file, handed to the engine. */
  readonly catalogue?: CatalogueExtensions | undefined;
}

export interface SessionFile {
  readonly absolutePath: string;
  /** Posix path relative to the root. */
  readonly file: string;
  readonly sourceFile: ts.SourceFile;
  /** The program `sourceFile` belongs to (undefined when the file had to be parsed alone). */
  readonly program: ts.Program | undefined;
  /** Whether fixes may import packages here (a package's module, not Deno, browser-served or CI scripts). */
  readonly moduleContext?: ModuleContext | undefined;
  /** Set when the file is not production code (audited on request). */
  readonly role?: NonProductionRole | undefined;
}

/**
 * A session before any file is parsed: the rules, the files and their roles, every warning, and the
 * program groups (type-aware) or the one group of files parsed alone (`syntaxOnly`). `loadFiles`
 * turns groups into SessionFiles, so a run can build one program at a time, or hand groups to workers.
 */
export interface SessionPlan extends Omit<Session, 'files'> {
  readonly syntaxOnly: boolean;
  /** Roles of the files that are not production code, by absolute path. */
  readonly roles: ReadonlyMap<string, NonProductionRole>;
  readonly groups: readonly PlannedGroup[];
}

export async function planSession(options: SessionOptions, extra: { strict?: boolean | undefined } = {}): Promise<SessionPlan> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  if (options.paths.length === 0) throw new UsageError('no paths given');
  const registry = options.registry ?? await loadRegistry();
  const config = options.config;
  const runs = selectRules(registry, { ruleIds: options.rules, strict: extra.strict, settings: config?.rules });
  const fromConfig = config ? sessionGlobs(config, cwd) : undefined;
  // Which files (ignores, test files) is listFiles' decision (files.ts); which program, program.ts's.
  const root = auditedRoot(options.paths, cwd);
  const selection: LoadOptions = {
    cwd,
    project: options.project,
    ignores: [...options.ignores ?? [], ...fromConfig?.ignores ?? []],
    testPatterns: options.testPatterns ?? fromConfig?.testPatterns,
    includeTests: options.includeTests === true || config?.tests.include === true,
    scriptPatterns: fromConfig?.scriptPatterns,
    includeScripts: options.includeScripts === true || config?.scripts.include === true,
    examplePatterns: fromConfig?.examplePatterns,
    includeExamples: options.includeExamples === true || config?.examples.include === true,
    productionPatterns: fromConfig?.productionPatterns,
  };
  const syntaxOnly = options.syntaxOnly === true;
  let listed: Pick<ProgramPlan, 'groups' | 'warnings' | 'roles' | 'skipped'>;
  if (syntaxOnly) {
    const { files, warnings, roles, skipped } = listFiles(options.paths, selection);
    listed = { groups: [{ configFile: undefined, files, rootNames: files, options: {}, projectReferences: undefined }], warnings, roles, skipped };
  } else {
    listed = planPrograms(options.paths, selection);
  }
  const roles = new Map<string, NonProductionRole>();
  for (const [file, role] of listed.roles) if (role !== 'production') roles.set(file, role);
  return { cwd, root: toPosix(root), runs, warnings: listed.warnings, skipped: listed.skipped, catalogue: config?.catalogue, syntaxOnly, roles, groups: listed.groups };
}

export async function openSession(options: SessionOptions, extra: { strict?: boolean | undefined } = {}): Promise<Session> {
  const plan = await planSession(options, extra);
  return sessionOf(plan, loadFiles(plan, plan.groups));
}

/** The session of a plan, with the files loaded from (some of) its groups. */
export function sessionOf(plan: SessionPlan, files: readonly SessionFile[]): Session {
  return { cwd: plan.cwd, root: plan.root, runs: plan.runs, warnings: plan.warnings, skipped: plan.skipped, catalogue: plan.catalogue, files };
}

/**
 * The SessionFiles of some groups of a plan, sorted by path, each with its program and module
 * context. Syntax-only: a read and a parse per file, then one isolated program over them (no lib, no
 * module resolution: each file binds as if alone) so the engine shares one checker, not one per file.
 */
export function loadFiles(plan: Pick<SessionPlan, 'root' | 'roles' | 'syntaxOnly'>, groups: readonly PlannedGroup[], declarations = new Map<string, ts.SourceFile>()): SessionFile[] {
  const root = path.resolve(plan.root);
  const files: SessionFile[] = [];
  for (const group of groups) {
    if (plan.syntaxOnly) {
      const parsed = group.files.map((absolutePath) => ({ absolutePath, file: toPosix(path.relative(root, absolutePath)), sourceFile: parseAlone(absolutePath) }));
      const program = createIsolatedProgram(parsed.map((p) => p.sourceFile));
      for (const p of parsed) files.push({ ...p, program });
      continue;
    }
    const { program } = buildGroup(group, declarations);
    for (const absolutePath of group.files) {
      const fromProgram = program.getSourceFile(absolutePath);
      files.push({
        absolutePath,
        file: toPosix(path.relative(root, absolutePath)),
        sourceFile: fromProgram ?? parseAlone(absolutePath),
        program: fromProgram ? program : undefined,
      });
    }
  }
  for (const file of files) {
    const role = plan.roles.get(file.absolutePath);
    if (role !== undefined) (file as { role?: NonProductionRole }).role = role;
  }
  files.sort((a, b) => compareStrings(a.file, b.file));
  const view = cachedFileSystem(existsSync, (file) => readFileSync(file, 'utf8'));
  // Any file's context (a file summarised while another is analysed), from the same view.
  setModuleContextProvider((fileName) => moduleContextFor(fileName, view));
  return files.map((f) => ({ ...f, moduleContext: moduleContextFor(f.absolutePath, view, f.sourceFile.text) }));
}

/**
 * The folder the report's paths are relative to: the working directory when everything audited lies
 * inside it; otherwise the deepest folder that holds every audited path (so `resilience audit
 * ../other-repo` reports `src/app.ts`, not `../other-repo/src/app.ts`).
 */
export function auditedRoot(paths: readonly string[], cwd: string): string {
  const absolute = paths.map((p) => path.resolve(cwd, p));
  const inside = (p: string): boolean => {
    const rel = path.relative(cwd, p);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  if (absolute.every(inside)) return cwd;
  const folders = absolute.map((p) => (existsSync(p) && !statSync(p).isDirectory() ? path.dirname(p) : p));
  let common = folders[0]!;
  for (const folder of folders.slice(1)) {
    while (path.relative(common, folder).startsWith('..') || path.isAbsolute(path.relative(common, folder))) {
      const parent = path.dirname(common);
      if (parent === common) break;
      common = parent;
    }
  }
  return common;
}

function parseAlone(file: string): ts.SourceFile {
  return parseSource(file, readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
}

/** The first syntax error of a file (later ones are usually consequences of it), if any. */
export function firstSyntaxError(entry: SessionFile): ParseError | undefined {
  const error = getSyntaxErrors(entry.sourceFile)[0];
  if (!error) return undefined;
  const { line, column } = new SourceLines(entry.sourceFile.text).positionAt(error.start);
  return { file: entry.file, line, column, message: ts.flattenDiagnosticMessageText(error.messageText, ' ') };
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Run `fn` for a file, labelling an unexpected error with the file it happened in. */
export function withFileContext<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${file}: ${message}`, { cause: error });
  }
}
