/**
 * `ts.createProgram` with the host the CLI needs: parent pointers set, and the lib .d.ts files
 * parsed once per process however many programs (tsconfigs) a run creates.
 */
import path from 'node:path';
import ts from 'typescript';

const LIB_DIRECTORY = path.dirname(ts.getDefaultLibFilePath({})).split(path.sep).join('/') + '/';
const libCache = new Map<string, ts.SourceFile>();

export function createProgram(
  rootNames: readonly string[],
  options: ts.CompilerOptions,
  projectReferences?: readonly ts.ProjectReference[],
): ts.Program {
  // setParentNodes: the engine walks up from nodes without asking the checker to bind first.
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.startsWith(LIB_DIRECTORY)) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    // The lib .d.ts files are the same for every program: parse them once per process
    // (TypeScript's language service shares source files between programs the same way).
    const settings = typeof languageVersion === 'object' ? languageVersion : { languageVersion };
    const key = `${fileName}|${settings.languageVersion}|${settings.impliedNodeFormat}|${settings.jsDocParsingMode}`;
    let cached = libCache.get(key);
    if (!cached) {
      cached = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (cached) libCache.set(key, cached);
    }
    return cached;
  };
  return ts.createProgram({ rootNames, options, host, ...(projectReferences ? { projectReferences } : {}) });
}
