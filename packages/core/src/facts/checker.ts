import ts from 'typescript';

/**
 * A type checker for a file. With a program, the program's checker (symbols resolve across files).
 * Without one, the file is bound alone (no lib, no module resolution): locals, imports and shadowing
 * still resolve exactly, which is all the syntax-only mode needs.
 */
export function getCheckerFor(sourceFile: ts.SourceFile, program: ts.Program | undefined): ts.TypeChecker {
  if (program && program.getSourceFile(sourceFile.fileName) === sourceFile) return program.getTypeChecker();
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
    getSourceFile: (name) => (name === sourceFile.fileName ? sourceFile : undefined),
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (f) => f === sourceFile.fileName,
    readFile: () => undefined,
  };
  return ts.createProgram({ rootNames: [sourceFile.fileName], options, host }).getTypeChecker();
}
