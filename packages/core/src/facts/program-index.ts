/**
 * What the engine knows about the whole program, computed once per ts.Program and shared by every
 * file's facts: the project's own files, a per-file resolver, and who calls a function (by name first,
 * then confirmed through the checker, so no file is type-checked for a name it does not mention).
 *
 * Without a program (syntax-only mode, ESLint without type information) the index covers the one
 * file: same code paths, smaller world.
 */
import ts from 'typescript';
import type { Resolver } from './resolve.ts';

export interface ProgramIndex {
  /** The files the project owns (no declaration files, nothing from node_modules). */
  readonly files: readonly ts.SourceFile[];
  /** The resolver of a file of this program (one per file). */
  resolverFor(sourceFile: ts.SourceFile): Resolver;
  /**
   * Calls anywhere in the project whose callee is written with this name (`name(…)`, `x.name(…)`),
   * not yet confirmed to be the function: compare declarations with `calleeDeclaration`.
   */
  callsNamed(name: string): readonly ts.CallExpression[];
  /** Where a node is, for a message about `from`: `line 12` in the same file, else `src/setup.ts:12`. */
  where(node: ts.Node, from: ts.SourceFile): string;
  /**
   * Whether two files are linked by imports (directly or through others, in either direction): the
   * modules of one process. A setting made in one module (`axios.defaults.timeout`, a global
   * dispatcher) reaches only calls in modules linked to it; unrelated scripts in the same tsconfig do
   * not share it.
   */
  linked(a: ts.SourceFile, b: ts.SourceFile): boolean;
  /**
   * The files whose text mentions any of these strings (module names, say): a cheap gate before a
   * file is looked at for a fact, computed once per program for each list asked for.
   */
  filesMentioning(needles: readonly string[]): readonly ts.SourceFile[];
  /** The project's files linked to this one by imports (itself included), in program order; `[file]` for a file outside the project. */
  linkedFiles(file: ts.SourceFile): readonly ts.SourceFile[];
}

export function createProgramIndex(files: readonly ts.SourceFile[], resolverFor: (sourceFile: ts.SourceFile) => Resolver): ProgramIndex {
  const calls = new Map<string, ts.CallExpression[]>();
  let callsBuilt = false;
  const root = commonDirectory(files.map((f) => f.fileName));
  let components: Map<ts.SourceFile, number> | undefined;
  const mentioning = new Map<string, readonly ts.SourceFile[]>();
  let members: Map<number, ts.SourceFile[]> | undefined;
  return {
    linkedFiles(file) {
      components ??= importComponents(files, resolverFor);
      const id = components.get(file);
      if (id === undefined) return [file];
      if (!members) {
        members = new Map();
        for (const f of files) {
          const c = components.get(f)!;
          const list = members.get(c);
          if (list) list.push(f);
          else members.set(c, [f]);
        }
      }
      return members.get(id)!;
    },
    filesMentioning(needles) {
      const key = needles.join('\0');
      let found = mentioning.get(key);
      if (!found) mentioning.set(key, (found = files.filter((file) => needles.some((n) => file.text.includes(n)))));
      return found;
    },
    linked(a, b) {
      if (a === b) return true;
      components ??= importComponents(files, resolverFor);
      const ca = components.get(a);
      return ca !== undefined && ca === components.get(b);
    },
    files,
    resolverFor,
    where(node, from) {
      const file = node.getSourceFile();
      const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
      if (file === from) return `line ${line}`;
      const name = file.fileName.startsWith(root) ? file.fileName.slice(root.length) : file.fileName;
      return `${name}:${line}`;
    },
    callsNamed(name) {
      // One walk of every file builds the whole index the first time a name is asked for.
      if (!callsBuilt) {
        callsBuilt = true;
        for (const file of files) {
          for (const [callee, list] of callsOf(file)) {
            const all = calls.get(callee);
            if (all) all.push(...list);
            else calls.set(callee, [...list]);
          }
        }
      }
      return calls.get(name) ?? NO_CALLS;
    },
  };
}

/** Connected components of the import graph among `files` (union-find over resolved imports). */
function importComponents(files: readonly ts.SourceFile[], resolverFor: (sourceFile: ts.SourceFile) => Resolver): Map<ts.SourceFile, number> {
  const parent = new Map<ts.SourceFile, ts.SourceFile>(files.map((f) => [f, f]));
  const find = (f: ts.SourceFile): ts.SourceFile => {
    let r = f;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(f, r);
    return r;
  };
  for (const file of files) {
    const checker = resolverFor(file).checker;
    // The module names the program collected while binding (imports, exports, require and import() calls).
    const specifiers = (file as unknown as { imports?: readonly ts.StringLiteralLike[] }).imports ?? [];
    for (const specifier of specifiers) {
      const target = checker.getSymbolAtLocation(specifier)?.valueDeclaration;
      if (target && ts.isSourceFile(target) && parent.has(target)) parent.set(find(target), find(file));
    }
  }
  const ids = new Map<ts.SourceFile, number>();
  const roots = new Map<ts.SourceFile, number>();
  for (const file of files) {
    const root = find(file);
    if (!roots.has(root)) roots.set(root, roots.size);
    ids.set(file, roots.get(root)!);
  }
  return ids;
}

/** The longest directory prefix (with its trailing slash) shared by all the paths. */
function commonDirectory(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  let prefix = paths[0]!.slice(0, paths[0]!.lastIndexOf('/') + 1);
  for (const p of paths) {
    while (prefix && !p.startsWith(prefix)) prefix = prefix.slice(0, prefix.lastIndexOf('/', prefix.length - 2) + 1);
  }
  return prefix;
}

/** The project's own files of a program. */
export function projectFiles(program: ts.Program): ts.SourceFile[] {
  return program.getSourceFiles().filter((f) => !f.isDeclarationFile && !program.isSourceFileFromExternalLibrary(f) && !/[\\/]node_modules[\\/]/.test(f.fileName));
}

const NO_CALLS: readonly ts.CallExpression[] = [];

/** Per file, kept across programs (an editor's new program reuses the SourceFiles that did not change). */
const fileCalls = new WeakMap<ts.SourceFile, Map<string, ts.CallExpression[]>>();

/** Every call of a file by the name its callee is written with (`name(…)`, `x.name(…)`). */
function callsOf(file: ts.SourceFile): Map<string, ts.CallExpression[]> {
  const cached = fileCalls.get(file);
  if (cached) return cached;
  const into = new Map<string, ts.CallExpression[]>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      let callee: ts.Expression = node.expression;
      while (ts.isParenthesizedExpression(callee) || ts.isNonNullExpression(callee)) callee = callee.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name) ? callee.name.text : undefined;
      if (name !== undefined) {
        const list = into.get(name);
        if (list) list.push(node);
        else into.set(name, [node]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  fileCalls.set(file, into);
  return into;
}

/** The declaration a call's callee denotes (imports and re-exports followed), if it is a function of the project. */
export function calleeDeclaration(call: ts.CallExpression, resolver: Resolver): ts.SignatureDeclaration | undefined {
  let callee: ts.Expression = call.expression;
  while (ts.isParenthesizedExpression(callee) || ts.isNonNullExpression(callee)) callee = callee.expression;
  const target = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
  let symbol = resolver.checker.getSymbolAtLocation(target);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = resolver.checker.getAliasedSymbol(symbol);
  return functionOfDeclaration(symbol?.valueDeclaration);
}

/** A function declaration, method, or a variable/property initialised with a function expression. */
export function functionOfDeclaration(decl: ts.Declaration | undefined): ts.SignatureDeclaration | undefined {
  if (!decl) return undefined;
  if (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) return decl;
  if ((ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertyAssignment(decl)) && decl.initializer) {
    let init = decl.initializer;
    while (ts.isParenthesizedExpression(init) || ts.isAsExpression(init) || ts.isSatisfiesExpression(init)) init = init.expression;
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return undefined;
}

/** The name callers use for a function: its declared name, or the variable/property holding it. */
export function functionName(fn: ts.SignatureDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const holder = fn.parent;
  if ((ts.isVariableDeclaration(holder) || ts.isPropertyDeclaration(holder) || ts.isPropertyAssignment(holder)) && ts.isIdentifier(holder.name)) return holder.name.text;
  return undefined;
}

/** The innermost function (declaration, method, arrow or function expression) that holds `node`. */
export function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let n = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n)) return n;
  }
  return undefined;
}

const callerCaches = { direct: new WeakMap<ts.Node, ts.CallExpression[] | null>(), dispatch: new WeakMap<ts.Node, ts.CallExpression[] | null>() };

/**
 * The calls of a function across the program, by name first, then confirmed through the checker; null
 * when more than `max` calls carry its name (a name called from everywhere is not a wrapper). With
 * `dispatch`, also the calls that may run it through what it implements: an interface or base-class
 * member (a call through `DexAdapter.getQuote` may run `JupiterAdapter.getQuote`), a union's member.
 */
export function callersOf(fn: ts.SignatureDeclaration, index: ProgramIndex, options: { readonly max: number; readonly dispatch?: boolean }): ts.CallExpression[] | null {
  const cache = options.dispatch ? callerCaches.dispatch : callerCaches.direct;
  const cached = cache.get(fn);
  if (cached !== undefined) return cached;
  const name = functionName(fn);
  let result: ts.CallExpression[] | null = [];
  if (name) {
    const candidates = index.callsNamed(name);
    if (candidates.length > options.max) result = null;
    else if (!options.dispatch) result = candidates.filter((c) => calleeDeclaration(c, index.resolverFor(c.getSourceFile())) === fn);
    else {
      const targets = new Set<ts.Node>([fn, ...implementedMembers(fn, index.resolverFor(fn.getSourceFile()))]);
      result = candidates.filter((c) => calledDeclarations(c, index.resolverFor(c.getSourceFile()))
        .some((decl) => targets.has(decl) || targets.has(functionOfDeclaration(decl) ?? decl)));
    }
  }
  cache.set(fn, result);
  return result;
}

/** Every declaration a call's callee may run: a function, a method, an interface's signature, each member of a union. */
function calledDeclarations(call: ts.CallExpression, resolver: Resolver): readonly ts.Declaration[] {
  let callee: ts.Expression = call.expression;
  while (ts.isParenthesizedExpression(callee) || ts.isNonNullExpression(callee)) callee = callee.expression;
  const target = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
  let symbol = resolver.checker.getSymbolAtLocation(target);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = resolver.checker.getAliasedSymbol(symbol);
  return symbol?.declarations ?? [];
}

/** The members of the interfaces a class implements (and of its base classes) that a method of it implements. */
function implementedMembers(fn: ts.SignatureDeclaration, resolver: Resolver): ts.Declaration[] {
  if (!ts.isMethodDeclaration(fn) || !ts.isIdentifier(fn.name) || !ts.isClassLike(fn.parent)) return [];
  const name = fn.name.text;
  const out: ts.Declaration[] = [];
  for (const clause of fn.parent.heritageClauses ?? []) {
    for (const type of clause.types) {
      let property: ts.Symbol | undefined;
      try {
        property = resolver.checker.getTypeAtLocation(type).getProperty(name);
      } catch {
        continue;
      }
      for (const decl of property?.declarations ?? []) if (decl !== fn) out.push(decl);
    }
  }
  return out;
}
