/**
 * `ts.createProgram` with the host the CLI needs: parent pointers set, declaration files parsed once
 * however many programs (tsconfigs) a run creates, and project references read from source.
 */
import path from 'node:path';
import ts from 'typescript';
import { isDeclaration } from './files.ts';

const LIB_DIRECTORY = path.dirname(ts.getDefaultLibFilePath({})).split(path.sep).join('/') + '/';
const libCache = new Map<string, ts.SourceFile>();

/**
 * @param declarations the run's cache of parsed declaration files (`.d.ts` of node_modules and of
 *   the project), shared by all the programs of the run; the lib files are shared per process.
 */
export function createProgram(
  rootNames: readonly string[],
  options: ts.CompilerOptions,
  projectReferences?: readonly ts.ProjectReference[],
  declarations?: Map<string, ts.SourceFile>,
): ts.Program {
  // setParentNodes: the engine walks up from nodes without asking the checker to bind first.
  const host: ts.CompilerHost & { useSourceOfProjectReferenceRedirect?: () => boolean } = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const cache = fileName.startsWith(LIB_DIRECTORY) ? libCache : declarations && isDeclaration(fileName) ? declarations : undefined;
    if (!cache) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    // What parsing a declaration file depends on is in the key; the options that also shape a source
    // file (jsx, moduleDetection, alwaysStrict, importHelpers) change nothing in a .d.ts. TypeScript's
    // language service shares source files between programs the same way (its DocumentRegistry).
    const settings = typeof languageVersion === 'object' ? languageVersion : { languageVersion };
    const key = `${fileName}|${settings.languageVersion}|${settings.impliedNodeFormat}|${settings.jsDocParsingMode}`;
    let cached = cache.get(key);
    if (!cached) {
      cached = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (cached) cache.set(key, cached);
    }
    return cached;
  };
  // As tsserver does: an import of a referenced project resolves to its source, not to its built
  // .d.ts output (which need not exist; tsc --build would make it). Internal to TypeScript's API.
  host.useSourceOfProjectReferenceRedirect = () => true;
  return ts.createProgram({ rootNames, options, host, ...(projectReferences ? { projectReferences } : {}) });
}

