/**
 * Can a fix add `import … from '@resilience-kit/policies'` to this file? Only where a package
 * resolution exists: a module of a package (a package.json above it, within the repository), not
 * a Deno module, not a file served to browsers as is, not a CI script run by bare `node`. The engine
 * does no I/O: front ends answer `exists` from the file system (and cache it).
 */
import path from 'node:path';

export type ModuleContext = ({ readonly packageImports: true } | { readonly packageImports: false; readonly reason: string }) & {
  /**
   * The version of a package as this file gets it: installed (node_modules above the file), else the
   * lowest the nearest package.json allows; undefined when neither says.
   */
  readonly versionOf?: ((pkg: string) => string | undefined) | undefined;
};

export interface FileSystemView {
  /** Does this absolute path exist? */
  exists(file: string): boolean;
  /** The text of a file, or undefined; only for package versions (optional: without it, versions are unknown). */
  read?(file: string): string | undefined;
}

/** The installed version (node_modules/<pkg>/package.json above the file), else the declared range's lowest. */
function packageVersion(fileName: string, pkg: string, fs: FileSystemView): string | undefined {
  let declared: string | undefined;
  for (let dir = path.dirname(path.resolve(fileName)); ; dir = path.dirname(dir)) {
    const installed = readJson(fs, path.join(dir, 'node_modules', pkg, 'package.json')) as { version?: unknown } | undefined;
    if (typeof installed?.version === 'string') return installed.version;
    if (declared === undefined && fs.exists(path.join(dir, 'package.json'))) {
      const manifest = readJson(fs, path.join(dir, 'package.json')) as Record<string, Record<string, unknown> | undefined> | undefined;
      const range = manifest?.['dependencies']?.[pkg] ?? manifest?.['devDependencies']?.[pkg] ?? manifest?.['peerDependencies']?.[pkg];
      if (typeof range === 'string') declared = /\d+(?:\.\d+){0,2}/.exec(range)?.[0];
    }
    if (path.dirname(dir) === dir) return declared;
  }
}

function readJson(fs: FileSystemView, file: string): unknown {
  if (!fs.exists(file)) return undefined;
  const text = fs.read?.(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `a` is older than `b` (numeric major.minor.patch; missing parts are 0). */
export function isOlder(a: string, b: string): boolean {
  const pa = a.split(/[.+-]/).slice(0, 3).map(Number);
  const pb = b.split(/[.+-]/).slice(0, 3).map(Number);
  for (let i = 0; i < 3; i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

/** A view that asks `exists` once per path (the files of a run share their folders); the front end passes `existsSync`. */
export function cachedFileSystem(exists: (file: string) => boolean, read?: (file: string) => string): FileSystemView {
  const known = new Map<string, boolean>();
  const texts = new Map<string, string | undefined>();
  return {
    exists(file) {
      let found = known.get(file);
      if (found === undefined) known.set(file, (found = exists(file)));
      return found;
    },
    ...(read ? {
      read(file: string) {
        if (!texts.has(file)) {
          try {
            texts.set(file, read(file));
          } catch {
            texts.set(file, undefined);
          }
        }
        return texts.get(file);
      },
    } : {}),
  };
}

const ALLOWED = { packageImports: true } as const;
const DENO_CONFIGS = ['deno.json', 'deno.jsonc'];
const BROWSER_FOLDERS = new Set(['public', 'static', 'www', 'wwwroot']);
/** `import x from 'npm:…'`, `'jsr:…'`, `'https://…'`: resolved by Deno or the browser, not by a package manager. */
const URL_IMPORT = /\bfrom\s*['"](?:npm:|jsr:|https?:\/\/)|\bimport\s*\(\s*['"](?:npm:|jsr:|https?:\/\/)/;

export function moduleContextFor(fileName: string, fs: FileSystemView, text?: string): ModuleContext {
  const versionOf = fs.read ? (pkg: string) => packageVersion(fileName, pkg, fs) : undefined;
  return { ...packageImportsFor(fileName, fs, text), versionOf };
}

function packageImportsFor(fileName: string, fs: FileSystemView, text: string | undefined): ModuleContext {
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

let provider: ((fileName: string) => ModuleContext) | undefined;
const provided = new WeakMap<object, ModuleContext>();

/**
 * How front ends give the context of any file, not only the one being analysed: facts about one file
 * are sometimes computed while another is analysed (retry helpers are summarised across the program),
 * and must not depend on which file came first. The front end passes `moduleContextFor` over its view
 * of the file system.
 */
export function setModuleContextProvider(next: ((fileName: string) => ModuleContext) | undefined): void {
  provider = next;
}

export function getModuleContext(sourceFile: object): ModuleContext {
  const set = contexts.get(sourceFile);
  if (set) return set;
  const fileName = (sourceFile as { fileName?: unknown }).fileName;
  if (!provider || typeof fileName !== 'string' || fileName === '') return ALLOWED;
  let context = provided.get(sourceFile);
  if (!context) {
    context = provider(fileName);
    provided.set(sourceFile, context);
  }
  return context;
}
