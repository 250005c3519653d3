import ts from 'typescript';

/**
 * A type checker for a file. With a program, the program's checker (symbols resolve across files).
 * Without one, the file is bound alone (no lib, no module resolution): locals, imports and shadowing
 * still resolve exactly, which is all the syntax-only mode needs.
 */
export function getCheckerFor(sourceFile: ts.SourceFile, program: ts.Program | undefined): ts.TypeChecker {
  if (program && program.getSourceFile(sourceFile.fileName) === sourceFile) return program.getTypeChecker();
  return createIsolatedProgram([sourceFile]).getTypeChecker();
}

/**
 * A program over files already parsed, with no lib and no module resolution: each file binds as it
 * would alone (imports stay unresolved). The CLI's `--syntax-only` makes one over all its files so the
 * run shares ONE checker instead of one per file (measured: per-file checkers were most of the
 * syntax-only audit's cost beyond parsing, and their memory).
 */
export function createIsolatedProgram(sourceFiles: readonly ts.SourceFile[]): ts.Program {
  const byName = new Map(sourceFiles.map((sf) => [sf.fileName, sf]));
  const options: ts.CompilerOptions = {
    noLib: true,
    noResolve: true,
    types: [],
    allowJs: true,
    checkJs: false,
    noEmit: true,
    target: ts.ScriptTarget.Latest,
    jsx: ts.JsxEmit.Preserve,
  };
  const host: ts.CompilerHost = {
    getSourceFile: (name) => byName.get(name),
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (f) => byName.has(f),
    readFile: () => undefined,
    // `noResolve` still links root files to each other; resolving nothing keeps every file alone.
    resolveModuleNameLiterals: (literals) => literals.map(() => ({ resolvedModule: undefined })),
  };
  return ts.createProgram({ rootNames: [...byName.keys()], options, host });
}
