/**
 * Value resolution: what does an expression denote? A module export (`import axios from 'axios'`,
 * `require('https').get`), a global (`fetch`, `globalThis.fetch`), an instance made by a client
 * factory (`axios.create({...})`, `new Pool(...)`), or something we cannot know.
 */
import ts from 'typescript';
import { clients, normalizeModule } from '../catalogue/index.ts';
import type { ClientEntry, FactoryShape } from '../catalogue/types.ts';
import { isReassigned } from './references.ts';
import type { ProgramIndex } from './program-index.ts';
import type { CatalogueExtensions } from '../catalogue/extensions.ts';

export interface InstanceLevel {
  /** The factory call or construction. */
  readonly node: ts.CallExpression | ts.NewExpression;
  /** Its options argument, if any. */
  readonly options: ts.Expression | undefined;
  /** The variable the instance is stored in, for `instance.defaults.timeout = …` assignments. */
  readonly variable?: ts.Symbol | undefined;
}

export type Origin =
  | { readonly kind: 'module'; readonly module: string; readonly path: readonly string[]; readonly node: ts.Node }
  | { readonly kind: 'global'; readonly path: readonly string[] }
  | {
      readonly kind: 'instance';
      readonly client: ClientEntry;
      readonly path: readonly string[];
      /** Innermost (the instance itself) first, then the instances it extends. */
      readonly levels: readonly InstanceLevel[];
    }
  /** A local declaration or a parameter: not a client we know. */
  | { readonly kind: 'opaque'; readonly reason: 'local' | 'parameter' | 'mutable' | 'unresolved' };

const OPAQUE_UNRESOLVED: Origin = { kind: 'opaque', reason: 'unresolved' };
const GLOBAL_OBJECTS = new Set(['globalThis', 'window', 'self', 'global']);
const MAX_DEPTH = 12;

export function skipOuterExpressions(node: ts.Expression): ts.Expression {
  let current = node;
  for (;;) {
    if (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current) ||
        ts.isSatisfiesExpression(current) || ts.isTypeAssertionExpression(current)) {
      current = current.expression;
    } else {
      return current;
    }
  }
}

export function getStaticMemberName(node: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node)) {
    const arg = skipOuterExpressions(node.argumentExpression);
    if (ts.isStringLiteralLike(arg)) return arg.text;
  }
  return undefined;
}

function isConstDeclaration(decl: ts.VariableDeclaration): boolean {
  const list = decl.parent;
  return ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
}

/**
 * `const`, or a `let`/`var` that is never written again in its file (`var axios = require('axios')`
 * in older CommonJS, `let req = superagent.get(u); req.timeout(5000)`).
 */
export function isEffectivelyConst(decl: ts.VariableDeclaration, resolver: Resolver): boolean {
  if (isConstDeclaration(decl)) return true;
  if (!ts.isIdentifier(decl.name)) return false;
  const symbol = resolver.checker.getSymbolAtLocation(decl.name);
  return !!symbol && !isReassigned(symbol, decl.getSourceFile(), resolver);
}

export class Resolver {
  private readonly cache = new Map<ts.Node, Origin>();
  /** The program this file belongs to (a one-file index without a program); set by getFileFacts. */
  index: ProgramIndex | undefined;

  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly checker: ts.TypeChecker,
    /** The user's catalogue additions (resilience.config `catalogue`). */
    readonly catalogue: CatalogueExtensions | undefined = undefined,
    /** Whether the checker is a whole program's (symbols resolve across files). */
    readonly typeAware = false,
  ) {}

  /** The declaration an identifier refers to, following imports from our own files when a program is present. */
  getSymbol(node: ts.Node): ts.Symbol | undefined {
    if (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node) {
      return this.checker.getShorthandAssignmentValueSymbol(node.parent) ?? undefined;
    }
    return this.checker.getSymbolAtLocation(node);
  }

  resolve(expression: ts.Expression, depth = 0): Origin {
    const cached = this.cache.get(expression);
    if (cached) return cached;
    const origin = depth > MAX_DEPTH ? OPAQUE_UNRESOLVED : this.compute(expression, depth);
    this.cache.set(expression, origin);
    return origin;
  }

  private compute(raw: ts.Expression, depth: number): Origin {
    const node = skipOuterExpressions(raw);
    if (ts.isAwaitExpression(node)) return this.resolve(node.expression, depth + 1);
    if (ts.isIdentifier(node)) return this.resolveIdentifier(node, depth);
    const member = getStaticMemberName(node);
    if (member !== undefined && (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node))) {
      const base = this.resolve(node.expression, depth + 1);
      return extend(base, member);
    }
    if (ts.isCallExpression(node)) return this.resolveCall(node, depth);
    if (ts.isConditionalExpression(node)) return this.resolveConditional(node, depth);
    if (ts.isNewExpression(node)) return this.resolveConstruction(node, depth);
    return OPAQUE_UNRESOLVED;
  }

  private resolveCall(node: ts.CallExpression, depth: number): Origin {
    const firstArg = node.arguments[0];
    // require('m') and import('m')
    if (firstArg && ts.isStringLiteralLike(firstArg)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require' && this.isRequireFunction(node.expression);
      if (isImport || isRequire) return { kind: 'module', module: normalizeModule(firstArg.text), path: [], node };
    }
    const callee = this.resolve(node.expression, depth + 1);
    return this.instanceFrom(callee, node, 'call') ?? OPAQUE_UNRESOLVED;
  }

  /** `secure ? https : http`: both branches the same client at the same path → that client. */
  private resolveConditional(node: ts.ConditionalExpression, depth: number): Origin {
    const a = this.resolve(node.whenTrue, depth + 1);
    const b = this.resolve(node.whenFalse, depth + 1);
    if (a.kind === 'module' && b.kind === 'module' && samePath(normalizedPath(a), normalizedPath(b))) {
      const clientOf = (m: string) => clients.find((c) => c.modules.includes(m));
      if (clientOf(a.module) && clientOf(a.module) === clientOf(b.module)) return a;
    }
    return OPAQUE_UNRESOLVED;
  }

  private resolveConstruction(node: ts.NewExpression, depth: number): Origin {
    const callee = this.resolve(node.expression, depth + 1);
    return this.instanceFrom(callee, node, 'new') ?? OPAQUE_UNRESOLVED;
  }

  private instanceFrom(callee: Origin, node: ts.CallExpression | ts.NewExpression, kind: 'call' | 'new'): Origin | undefined {
    const match = matchFactory(callee, kind);
    if (!match) return undefined;
    const { client, factory } = match;
    const options = factory.options === undefined ? undefined : node.arguments?.[factory.options];
    const variable = this.variableHolding(node);
    const level: InstanceLevel = { node, options, variable };
    const parents = callee.kind === 'instance' && factory.inherits !== false ? callee.levels : [];
    return { kind: 'instance', client, path: [], levels: [level, ...parents] };
  }

  /** `const api = axios.create()` → the symbol of `api`. */
  private variableHolding(node: ts.Node): ts.Symbol | undefined {
    let parent = node.parent;
    while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent))) parent = parent.parent;
    if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return this.checker.getSymbolAtLocation(parent.name);
    if (parent && ts.isPropertyDeclaration(parent)) return this.checker.getSymbolAtLocation(parent.name);
    return undefined;
  }

  /** The global `require`, or `const require = createRequire(import.meta.url)` in an ES module. */
  private isRequireFunction(identifier: ts.Identifier): boolean {
    const symbol = this.getSymbol(identifier);
    const local = symbol?.declarations?.find((d) => !d.getSourceFile().isDeclarationFile);
    if (!local) return true;
    if (!ts.isVariableDeclaration(local) || !local.initializer) return false;
    const init = skipOuterExpressions(local.initializer);
    return ts.isCallExpression(init) && getStaticMemberName(init.expression) === 'createRequire' ||
      (ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'createRequire');
  }

  isLocallyDeclared(identifier: ts.Identifier): boolean {
    const symbol = this.getSymbol(identifier);
    return !!symbol?.declarations?.some((d) => !d.getSourceFile().isDeclarationFile);
  }

  private resolveIdentifier(node: ts.Identifier, depth: number): Origin {
    const symbol = this.getSymbol(node);
    const declarations = symbol?.declarations ?? [];
    if (!symbol || declarations.length === 0) {
      // Unbound: a global (syntax-only mode has no lib, so `fetch` is unbound here).
      return node.text === 'undefined' ? OPAQUE_UNRESOLVED : { kind: 'global', path: [node.text] };
    }
    if (declarations.every((d) => d.getSourceFile().isDeclarationFile) && !(symbol.flags & ts.SymbolFlags.Alias)) {
      // Declared only in .d.ts files (lib.dom.d.ts, @types/node globals): a global.
      return { kind: 'global', path: [node.text] };
    }
    return this.resolveDeclaration(declarations[0]!, symbol, depth);
  }

  private resolveDeclaration(decl: ts.Declaration, symbol: ts.Symbol, depth: number): Origin {
    if (ts.isImportSpecifier(decl) || ts.isImportClause(decl) || ts.isNamespaceImport(decl) || ts.isImportEqualsDeclaration(decl)) {
      const moduleOrigin = this.moduleOfImport(decl);
      if (moduleOrigin && isCatalogued(moduleOrigin.module)) return moduleOrigin;
      return this.followAlias(symbol, depth) ?? moduleOrigin ?? OPAQUE_UNRESOLVED;
    }
    if (ts.isVariableDeclaration(decl)) {
      if (!ts.isIdentifier(decl.name) || !decl.initializer) return { kind: 'opaque', reason: 'local' };
      if (!isEffectivelyConst(decl, this)) return { kind: 'opaque', reason: 'mutable' };
      return this.resolve(decl.initializer, depth + 1);
    }
    if (ts.isBindingElement(decl)) return this.resolveBindingElement(decl, depth);
    if (ts.isParameter(decl)) return { kind: 'opaque', reason: 'parameter' };
    if (ts.isExportSpecifier(decl)) return this.followAlias(symbol, depth) ?? OPAQUE_UNRESOLVED;
    if (ts.isPropertyDeclaration(decl) && decl.initializer && isReadonly(decl)) return this.resolve(decl.initializer, depth + 1);
    return { kind: 'opaque', reason: 'local' };
  }

  /** `const { get } = require('https')`, `const { request: r } = await import('undici')`. */
  private resolveBindingElement(decl: ts.BindingElement, depth: number): Origin {
    if (decl.dotDotDotToken) return { kind: 'opaque', reason: 'local' };
    const pattern = decl.parent;
    if (!ts.isObjectBindingPattern(pattern)) return { kind: 'opaque', reason: 'local' };
    const key = decl.propertyName ?? decl.name;
    const name = ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : undefined;
    if (name === undefined) return OPAQUE_UNRESOLVED;
    const holder = pattern.parent;
    let base: Origin;
    if (ts.isVariableDeclaration(holder)) {
      if (!holder.initializer || !isEffectivelyConst(holder, this)) return { kind: 'opaque', reason: 'mutable' };
      base = this.resolve(holder.initializer, depth + 1);
    } else if (ts.isBindingElement(holder)) {
      base = this.resolveBindingElement(holder, depth + 1);
    } else {
      return { kind: 'opaque', reason: 'parameter' };
    }
    return extend(base, name);
  }

  private moduleOfImport(decl: ts.ImportSpecifier | ts.ImportClause | ts.NamespaceImport | ts.ImportEqualsDeclaration): (Origin & { kind: 'module' }) | undefined {
    if (ts.isImportEqualsDeclaration(decl)) {
      const ref = decl.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteralLike(ref.expression)) {
        return { kind: 'module', module: normalizeModule(ref.expression.text), path: [], node: decl };
      }
      return undefined;
    }
    const importDecl = ts.isImportSpecifier(decl) ? decl.parent.parent.parent : ts.isNamespaceImport(decl) ? decl.parent.parent : decl.parent;
    if (!ts.isStringLiteralLike(importDecl.moduleSpecifier)) return undefined;
    const module = normalizeModule(importDecl.moduleSpecifier.text);
    if (ts.isImportClause(decl)) return { kind: 'module', module, path: ['default'], node: decl };
    if (ts.isNamespaceImport(decl)) return { kind: 'module', module, path: [], node: decl };
    const imported = (decl.propertyName ?? decl.name).text;
    return { kind: 'module', module, path: [imported], node: decl };
  }

  /** Cross-file: follow an import to its declaration in one of the program's own (non-.d.ts) files. */
  private followAlias(symbol: ts.Symbol, depth: number): Origin | undefined {
    if (!(symbol.flags & ts.SymbolFlags.Alias)) return undefined;
    let target: ts.Symbol;
    try {
      target = this.checker.getAliasedSymbol(symbol);
    } catch {
      return undefined;
    }
    const decl = target.declarations?.[0];
    if (!decl || decl.getSourceFile().isDeclarationFile || target === symbol) return undefined;
    if (ts.isSourceFile(decl)) return undefined;
    return this.resolveDeclaration(decl, target, depth + 1);
  }
}

function isReadonly(decl: ts.PropertyDeclaration): boolean {
  return !!decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword);
}

function isCatalogued(module: string): boolean {
  return clients.some((c) => c.modules.includes(module)) || CATALOGUED_EXTRA.has(module);
}

/** Modules the guards come from; registered by the facts layer so resolution stops at them. */
const CATALOGUED_EXTRA = new Set<string>();
export function registerCataloguedModule(module: string): void {
  CATALOGUED_EXTRA.add(normalizeModule(module));
}

function extend(base: Origin, member: string): Origin {
  switch (base.kind) {
    case 'module':
      return { ...base, path: [...base.path, member] };
    case 'global':
      return { kind: 'global', path: base.path.length === 1 && GLOBAL_OBJECTS.has(base.path[0]!) ? [member] : [...base.path, member] };
    case 'instance':
      return { ...base, path: [...base.path, member] };
    default:
      return base;
  }
}

/** A module path with a leading `default` means the same as without it (ESM default vs CJS require). */
export function normalizedPath(origin: { readonly path: readonly string[]; readonly module?: string }): readonly string[] {
  const head = origin.path[0];
  if (head === 'default') return origin.path.slice(1);
  // `import { got } from 'got'`: a named export that is the client itself.
  if (head !== undefined && origin.module !== undefined && clients.some((c) => c.modules.includes(origin.module!) && c.rootExports?.includes(head))) {
    return origin.path.slice(1);
  }
  return origin.path;
}

export function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function matchFactory(callee: Origin, kind: 'call' | 'new'): { client: ClientEntry; factory: FactoryShape } | undefined {
  if (callee.kind === 'module') {
    const path = normalizedPath(callee);
    for (const client of clients) {
      if (!client.modules.includes(callee.module)) continue;
      const factory = client.factories?.find((f) => f.kind === kind && f.on !== 'instance' && samePath(f.path, path));
      if (factory) return { client, factory };
    }
  } else if (callee.kind === 'instance') {
    const factory = callee.client.factories?.find((f) => f.kind === kind && f.on !== 'module' && samePath(f.path, callee.path));
    if (factory) return { client: callee.client, factory };
  }
  return undefined;
}

/** Is `origin` the export `name` of `module` (`default`: the module's default export or the module itself)? */
export function isModuleExport(origin: Origin, module: string, name: string): boolean {
  if (origin.kind !== 'module' || origin.module !== module) return false;
  if (name === 'default') return samePath(origin.path, ['default']) || samePath(origin.path, []);
  return samePath(normalizedPath(origin), [name]);
}
