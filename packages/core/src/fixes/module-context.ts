/**
 * Can a fix add `import … from '@resilience-kit/policies'` to this file? Only where a package
 * resolution exists: a module of a package (a package.json above it, within the repository), not
 * a Deno module, not a file served to browsers as is, not a CI script run by bare `node`. The engine
 * does no I/O: front ends answer `exists` from the file system (and cache it).
 */
import path from 'node:path';

export type ModuleContext = { readonly packageImports: true } | { readonly packageImports: false; readonly reason: string };

export interface FileSystemView {
  /** Does this absolute path exist? */
  exists(file: string): boolean;
}

/** A view that asks `exists` once per path (the files of a run share their folders); the front end passes `existsSync`. */
export function cachedFileSystem(exists: (file: string) => boolean): FileSystemView {
  const known = new Map<string, boolean>();
  return {
    exists(file) {
      let found = known.get(file);
      if (found === undefined) known.set(file, (found = exists(file)));
      return found;
    },
  };
}

const ALLOWED: ModuleContext = { packageImports: true };
const DENO_CONFIGS = ['deno.json', 'deno.jsonc'];
const BROWSER_FOLDERS = new Set(['public', 'static', 'www', 'wwwroot']);
/** `import x from 'npm:…'`, `'jsr:…'`, `'https://…'`: resolved by Deno or the browser, not by a package manager. */
const URL_IMPORT = /\bfrom\s*['"](?:npm:|jsr:|https?:\/\/)|\bimport\s*\(\s*['"](?:npm:|jsr:|https?:\/\/)/;

export function moduleContextFor(fileName: string, fs: FileSystemView, text?: string): ModuleContext {
  const segments = path.resolve(fileName).split(path.sep);
  if (segments.includes('.github')) return { packageImports: false, reason: 'it is a CI script under .github/, run without the project\'s dependencies' };
  if (/\.(?:m?js)$/i.test(fileName) && segments.slice(0, -1).some((s) => BROWSER_FOLDERS.has(s))) {
    return { packageImports: false, reason: 'it is served to browsers as is (no bundler resolves a package import there)' };
  }
  if (text !== undefined && URL_IMPORT.test(text)) return { packageImports: false, reason: 'its imports are URLs or npm:/jsr: specifiers (Deno or a browser), not packages' };
  for (let dir = path.dirname(path.resolve(fileName)); ; dir = path.dirname(dir)) {
    if (DENO_CONFIGS.some((name) => fs.exists(path.join(dir, name)))) return { packageImports: false, reason: 'it is a Deno module (deno.json above it)' };
    if (fs.exists(path.join(dir, 'package.json'))) return ALLOWED;
    if (fs.exists(path.join(dir, '.git')) || path.dirname(dir) === dir) {
      return { packageImports: false, reason: 'no package.json is above it, so nothing would resolve the import' };
    }
  }
}

const contexts = new WeakMap<object, ModuleContext>();

/** Set by the engine for the file being analysed; read by the import planner. */
export function setModuleContext(sourceFile: object, context: ModuleContext | undefined): void {
  if (context) contexts.set(sourceFile, context);
  else contexts.delete(sourceFile);
}

export function getModuleContext(sourceFile: object): ModuleContext {
  return contexts.get(sourceFile) ?? ALLOWED;
}
