/**
 * What `audit` and `fix` share: validate the request, pick the rules, load the programs, and hand
 * out each file once with its source file and program.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { getSyntaxErrors, parseSource } from '@resilience-kit/core';
import type { CatalogueExtensions, RuleRun } from '@resilience-kit/core';
import { UsageError } from './errors.ts';
import { SourceLines } from './lines.ts';
import { loadPrograms } from './program.ts';
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
   * `--include-tests`: also analyse test files (`*.test.*`, `*.spec.*`, `__tests__/`, `__mocks__/`).
   * Off by default: a test runner bounds every test with its own timeout, so a request in a test is
   * not the production hang the rules look for. A test file named explicitly is always analysed.
   */
  readonly includeTests?: boolean | undefined;
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
}

export async function openSession(options: SessionOptions, extra: { strict?: boolean | undefined } = {}): Promise<Session> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  if (options.paths.length === 0) throw new UsageError('no paths given');
  const registry = options.registry ?? await loadRegistry();
  const runs = selectRules(registry, { ruleIds: options.rules, strict: extra.strict });
  const { groups, warnings } = loadPrograms(options.paths, { cwd, project: options.project });
  const files: SessionFile[] = [];
  const named = new Set(options.paths.map((p) => path.resolve(cwd, p)));
  for (const group of groups) {
    for (const absolutePath of group.files) {
      if (!options.includeTests && isTestFile(absolutePath) && !named.has(absolutePath)) continue;
      const fromProgram = group.program.getSourceFile(absolutePath);
      files.push({
        absolutePath,
        file: toPosix(path.relative(cwd, absolutePath)),
        sourceFile: fromProgram ?? parseSource(absolutePath, readFileSync(absolutePath, 'utf8').replace(/^\uFEFF/, '')),
        program: fromProgram ? group.program : undefined,
      });
    }
  }
  files.sort((a, b) => compareStrings(a.file, b.file));
  return { cwd, root: toPosix(cwd), runs, warnings, files };
}

const TEST_FILE = /(^|[\\/])(__tests__|__mocks__)[\\/]|\.(test|spec)\.[cm]?[jt]sx?$/;

export function isTestFile(file: string): boolean {
  return TEST_FILE.test(file);
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
