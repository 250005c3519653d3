/**
 * Value resolution: what does an expression denote? A module export (`import axios from 'axios'`,
 * `require('https').get`), a global (`fetch`, `globalThis.fetch`), an instance made by a client
 * factory (`axios.create({...})`, `new Pool(...)`), or something we cannot know.
 */
import ts from 'typescript';
import { clients, normalizeModule, pathMatches, segmentMatches } from '../catalogue/index.ts';
import type { ClientEntry, ClientType, FactoryShape } from '../catalogue/types.ts';
import { assignedValues, isReassigned } from './references.ts';
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
      /**
       * Known only by its declared type (`http: AxiosInstance`, a constructor parameter): it was made
       * where we cannot see, so its defaults are unknown. `levels` is empty.
       */
      readonly external?: { readonly node: ts.Node; readonly type: string } | undefined;
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
      if (base.kind !== 'opaque') return extend(base, member);
      // `this.http`, `deps.http`: the member's own declaration (a field, a parameter property, a typed property).
      return this.resolveMember(node, depth) ?? base;
    }
    if (ts.isCallExpression(node)) return this.resolveCall(node, depth);
    if (ts.isConditionalExpression(node)) return this.resolveConditional(node, depth);
    if (ts.isNewExpression(node)) return this.resolveConstruction(node, depth);
    if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      return this.resolveFallback(node, depth);
    }
    return OPAQUE_UNRESOLVED;
  }

  /**
   * `options.fetch ?? fetch`, `this.http || axios`: an injected value with a client as its fallback is
   * that client when the injected side is unknown (an injected fetch is still fetch); an instance from
   * outside keeps unknown defaults.
   */
  private resolveFallback(node: ts.BinaryExpression, depth: number): Origin {
    const left = this.resolve(node.left, depth + 1);
    const right = this.resolve(node.right, depth + 1);
    if (left.kind === 'opaque') return right.kind === 'instance' ? { ...right, levels: [], external: { node: node.left, type: right.client.displayName } } : right;
    if (right.kind === 'opaque') return left;
    if (left.kind === right.kind && (left.kind === 'global' || left.kind === 'module') && samePath(left.path, right.path)) return left;
    return OPAQUE_UNRESOLVED;
  }

  /** A member read through an object we cannot resolve: judged by the member's declaration. */
  private resolveMember(node: ts.PropertyAccessExpression | ts.ElementAccessExpression, depth: number): Origin | undefined {
    const nameNode = ts.isPropertyAccessExpression(node) ? node.name : node.argumentExpression;
    const symbol = this.checker.getSymbolAtLocation(nameNode);
    const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (!decl) return undefined;
    if (decl.getSourceFile().isDeclarationFile) return this.typeAware ? this.originFromChecker(node) : undefined;
    if (ts.isPropertyDeclaration(decl) && symbol) return this.resolveField(decl, depth);
    if (ts.isParameter(decl)) return this.resolveParameter(decl, depth);
    if ((ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl)) && decl.type) return this.originFromTypeNode(decl.type, node, depth);
    return undefined;
  }

  /**
   * A class field: its initializer, or its one assignment in the class (`this.http = axios.create(…)` in
   * the constructor or an init method), when nothing else in the class writes it; else its declared type.
   */
  private resolveField(decl: ts.PropertyDeclaration, depth: number): Origin {
    const writes = fieldWrites(decl);
    const made = decl.initializer && writes.length === 0 ? decl.initializer : !decl.initializer && writes.length === 1 ? writes[0]! : undefined;
    if (made) {
      const origin = this.resolve(made, depth + 1);
      if (origin.kind !== 'opaque') return origin;
    }
    if (decl.type) return this.originFromTypeNode(decl.type, decl.name, depth) ?? { kind: 'opaque', reason: made ? 'local' : 'mutable' };
    return { kind: 'opaque', reason: made ? 'local' : 'mutable' };
  }

  private singleValue(decl: ts.VariableDeclaration): ts.Expression | undefined {
    if (!ts.isIdentifier(decl.name)) return undefined;
    const symbol = this.checker.getSymbolAtLocation(decl.name);
    const written = symbol && assignedValues(symbol, decl.getSourceFile(), this);
    if (!written) return undefined;
    const values = [...(decl.initializer ? [decl.initializer] : []), ...written].filter((v) => !isNullish(v));
    return values.length === 1 ? values[0] : undefined;
  }

  /** A parameter (or parameter property): its declared type, else its default value. */
  private resolveParameter(decl: ts.ParameterDeclaration, depth: number): Origin {
    if (decl.dotDotDotToken) return { kind: 'opaque', reason: 'parameter' };
    if (decl.type) {
      const typed = this.originFromTypeNode(decl.type, decl.name, depth);
      if (typed) return typed;
    }
    if (decl.initializer) {
      // `fetchFn = globalThis.fetch`: the default is known; a caller may pass another instance.
      const origin = this.resolve(decl.initializer, depth + 1);
      if (origin.kind === 'instance') return { ...origin, levels: [], external: { node: decl.name, type: origin.client.displayName } };
      if (origin.kind !== 'opaque') return origin;
    }
    return { kind: 'opaque', reason: 'parameter' };
  }

  /**
   * A declared type that names a client: `AxiosInstance`, `typeof fetch`, `Got | undefined`, a local alias
   * of one. Without a program, imports name the module; with one, the checker resolves the rest.
   */
  originFromTypeNode(typeNode: ts.TypeNode, at: ts.Node, depth: number): Origin | undefined {
    if (depth > MAX_DEPTH) return undefined;
    let type = typeNode;
    while (ts.isParenthesizedTypeNode(type)) type = type.type;
    if (ts.isUnionTypeNode(type)) {
      const members = type.types.filter((t) => !(t.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword)));
      return members.length === 1 ? this.originFromTypeNode(members[0]!, at, depth + 1) : undefined;
    }
    if (ts.isTypeQueryNode(type)) {
      const origin = this.resolveEntityName(type.exprName, depth + 1);
      if (origin.kind === 'instance') return { ...origin, levels: [], external: { node: at, type: `typeof ${type.exprName.getText()}` } };
      return origin.kind === 'opaque' ? undefined : origin;
    }
    if (!ts.isTypeReferenceNode(type)) return undefined;
    const left = ts.isIdentifier(type.typeName) ? type.typeName : leftmost(type.typeName);
    const right = ts.isQualifiedName(type.typeName) ? type.typeName.right.text : undefined;
    const symbol = this.checker.getSymbolAtLocation(left);
    const decl = symbol?.declarations?.[0];
    if (decl && (ts.isImportSpecifier(decl) || ts.isImportClause(decl) || ts.isNamespaceImport(decl))) {
      const imported = this.moduleOfImport(decl);
      if (!imported) return undefined;
      const name = ts.isNamespaceImport(decl) ? right : ts.isImportClause(decl) ? 'default' : imported.path[0];
      const found = name === undefined ? undefined : clientForType(imported.module, name);
      if (found) return typedOrigin(found.client, found.type, at, right ?? (decl.name ?? decl).getText());
    }
    if (decl && ts.isTypeAliasDeclaration(decl) && !decl.getSourceFile().isDeclarationFile && !right) return this.originFromTypeNode(decl.type, at, depth + 1);
    if (!this.typeAware) return undefined;
    try {
      return this.originFromType(this.checker.getTypeFromTypeNode(typeNode), at);
    } catch {
      return undefined;
    }
  }

  /** With a program: the type of a value we could not follow (a parameter, a field without a type written). */
  private originFromChecker(node: ts.Expression): Origin | undefined {
    try {
      return this.originFromType(this.checker.getTypeAtLocation(node), node);
    } catch {
      return undefined;
    }
  }

  private originFromType(type: ts.Type, at: ts.Node): Origin | undefined {
    const nonNullable = type.isUnion() ? type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null))) : [type];
    if (nonNullable.length !== 1) return undefined;
    const only = nonNullable[0]!;
    for (const symbol of [only.aliasSymbol, only.getSymbol()]) {
      const decl = symbol?.declarations?.[0];
      if (!symbol || !decl) continue;
      const file = decl.getSourceFile();
      if (!file.isDeclarationFile) continue;
      const module = packageOfDeclarationFile(file.fileName);
      if (module === undefined) {
        // `typeof fetch`: the global function, declared by lib.dom or @types/node.
        if (symbol.name === 'fetch' && symbol.flags & ts.SymbolFlags.Function) return { kind: 'global', path: ['fetch'] };
        continue;
      }
      const found = clientForType(module, symbol.name);
      if (found) return typedOrigin(found.client, found.type, at, symbol.name);
    }
    return undefined;
  }

  private resolveEntityName(name: ts.EntityName, depth: number): Origin {
    if (ts.isIdentifier(name)) return this.resolve(name, depth);
    return extend(this.resolveEntityName(name.left, depth + 1), name.right.text);
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
    return this.instanceFrom(callee, node, 'call') ?? this.resolveReturned(node, depth) ?? OPAQUE_UNRESOLVED;
  }

  /**
   * `makeClient()` where `function makeClient() { return axios.create({…}) }`: a factory of our own whose
   * one return value is a client (in this file, or imported with a program).
   */
  private resolveReturned(node: ts.CallExpression, depth: number): Origin | undefined {
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isIdentifier(callee) || node.arguments.length > 3) return undefined;
    let symbol = this.getSymbol(callee);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) {
      if (!this.typeAware) return undefined;
      try {
        symbol = this.checker.getAliasedSymbol(symbol);
      } catch {
        return undefined;
      }
    }
    const decl = symbol?.valueDeclaration;
    if (!decl || decl.getSourceFile().isDeclarationFile) return undefined;
    const fn = ts.isFunctionDeclaration(decl) ? decl
      : ts.isVariableDeclaration(decl) && decl.initializer && (ts.isArrowFunction(decl.initializer) || ts.isFunctionExpression(decl.initializer)) ? decl.initializer
        : undefined;
    if (!fn?.body) return undefined;
    const returned = ts.isBlock(fn.body) ? singleReturn(fn.body) : fn.body;
    if (!returned) return undefined;
    const origin = this.resolve(returned, depth + 1);
    return origin.kind === 'instance' || origin.kind === 'module' || origin.kind === 'global' ? origin : undefined;
  }

  /** `secure ? https : http`: both branches the same client at the same path → that client. */
  private resolveConditional(node: ts.ConditionalExpression, depth: number): Origin {
    // `configured ? new S3({…}) : undefined`: the client, when there is one.
    if (isNullish(node.whenFalse)) return this.resolve(node.whenTrue, depth + 1);
    if (isNullish(node.whenTrue)) return this.resolve(node.whenFalse, depth + 1);
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
      if (!ts.isIdentifier(decl.name)) return { kind: 'opaque', reason: 'local' };
      if (decl.initializer && isEffectivelyConst(decl, this)) return this.resolve(decl.initializer, depth + 1);
      // A lazy singleton: `let s3: S3Client | null = null; … s3 ??= new S3Client({…})`: one value besides null.
      const lazy = this.singleValue(decl);
      if (lazy) {
        const origin = this.resolve(lazy, depth + 1);
        if (origin.kind !== 'opaque') return origin;
      }
      // `let http: AxiosInstance;` assigned later, or reassigned: its declared type still names the client.
      const typed = decl.type ? this.originFromTypeNode(decl.type, decl.name, depth) : this.typeAware ? this.originFromChecker(decl.name) : undefined;
      return typed ?? { kind: 'opaque', reason: decl.initializer ? 'mutable' : 'local' };
    }
    if (ts.isBindingElement(decl)) return this.resolveBindingElement(decl, depth);
    if (ts.isParameter(decl)) return this.resolveParameter(decl, depth);
    if (ts.isExportSpecifier(decl)) return this.followAlias(symbol, depth) ?? OPAQUE_UNRESOLVED;
    if (ts.isPropertyDeclaration(decl) && decl.initializer && isReadonly(decl)) return this.resolve(decl.initializer, depth + 1);
    if (ts.isPropertyDeclaration(decl)) return this.resolveField(decl, depth);
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

/** The one `return <expr>` of a function body (nested functions aside), if it has exactly one. */
function singleReturn(body: ts.Block): ts.Expression | undefined {
  const found: ts.ReturnStatement[] = [];
  const visit = (node: ts.Node): void => {
    if (found.length > 1 || ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found.length === 1 ? found[0]!.expression : undefined;
}

function isNullish(node: ts.Expression): boolean {
  const bare = skipOuterExpressions(node);
  return bare.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(bare) && bare.text === 'undefined');
}

function leftmost(name: ts.QualifiedName): ts.Identifier {
  let current: ts.EntityName = name;
  while (ts.isQualifiedName(current)) current = current.left;
  return current;
}

/** The client a type exported by a module names (`AxiosInstance` from axios), if any. */
function clientForType(specifier: string, name: string): { client: ClientEntry; type: ClientType } | undefined {
  const module = normalizeModule(specifier);
  for (const client of clients) {
    if (!client.modules.includes(module)) continue;
    const type = client.types?.find((t) => segmentMatches(t.name, name));
    if (type) return { client, type };
  }
  return undefined;
}

function typedOrigin(client: ClientEntry, type: ClientType, at: ts.Node, written: string): Origin {
  if (type.as === 'module') return { kind: 'module', module: client.modules[0]!, path: [], node: at };
  return { kind: 'instance', client, path: [], levels: [], external: { node: at, type: written } };
}

/**
 * The library types a checker type names, with the package that declares each: for each member of a
 * union, its alias and its symbol (with `aliasArguments`, also the arguments of a generic alias, so
 * `Partial<RedisOptions>` names `RedisOptions`). How a value typed elsewhere is recognised as a queue,
 * a client's options or an instance, wherever the type comes from.
 */
export function declaredTypeNames(type: ts.Type, options: { readonly aliasArguments?: boolean } = {}): { readonly module: string; readonly name: string }[] {
  const out: { module: string; name: string }[] = [];
  for (const member of type.isUnion() ? type.types : [type]) {
    const symbols = [member.aliasSymbol, member.getSymbol(), ...(options.aliasArguments ? (member.aliasTypeArguments ?? []).map((a) => a.aliasSymbol ?? a.getSymbol()) : [])];
    for (const symbol of symbols) {
      const decl = symbol?.declarations?.[0];
      const module = decl && declaringModule(decl);
      if (module) out.push({ module, name: symbol!.name });
    }
  }
  return out;
}

/** The package that declares something: an ambient `declare module 'x'` around it, or its node_modules path. */
export function declaringModule(decl: ts.Declaration): string | undefined {
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) return n.name.text;
  }
  return packageOfDeclarationFile(decl.getSourceFile().fileName.split('\\').join('/'));
}

/** `…/node_modules/@types/node/…` → `node`, `…/node_modules/.pnpm/axios@1/node_modules/axios/index.d.ts` → `axios`. */
export function packageOfDeclarationFile(fileName: string): string | undefined {
  const at = fileName.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const parts = fileName.slice(at + '/node_modules/'.length).split('/');
  const name = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  if (name === '@types/node' || name === 'typescript' || name === 'undici-types') return undefined;
  return name.startsWith('@types/') ? name.slice('@types/'.length).replace(/^(.+)__(.+)$/, '@$1/$2') : name;
}

const fieldWriteCache = new WeakMap<ts.PropertyDeclaration, ts.Expression[]>();

/** The values assigned to a field in its class (`this.x = …`), outside its declaration. */
/** The values a class assigns to this field outside its declaration (`this.http = …`). */
export function fieldWrites(decl: ts.PropertyDeclaration): ts.Expression[] {
  const cached = fieldWriteCache.get(decl);
  if (cached) return cached;
  const name = decl.name.getText();
  const writes: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const left = skipOuterExpressions(node.left);
      if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === name) writes.push(node.right);
    }
    ts.forEachChild(node, visit);
  };
  for (const member of decl.parent.members) if (member !== decl) visit(member);
  fieldWriteCache.set(decl, writes);
  return writes;
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
      const factory = client.factories?.find((f) => f.kind === kind && f.on !== 'instance' && pathMatches(f.path, path) &&
        !(f.exceptSuffixes?.some((s) => path.at(-1)?.endsWith(s))));
      if (factory) return { client, factory };
    }
  } else if (callee.kind === 'instance') {
    const factory = callee.client.factories?.find((f) => f.kind === kind && f.on !== 'module' && pathMatches(f.path, callee.path));
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

/**
 * The module and exported name a written type reference names, through its import (`RedisOptions`,
 * `Bull.JobOptions`, `ioredis.RedisOptions`): what a declared type says a value is.
 */
export function typeReferenceTarget(type: ts.TypeReferenceNode, resolver: Resolver): { readonly module: string; readonly name: string } | undefined {
  const parts: string[] = [];
  let name: ts.EntityName = type.typeName;
  while (ts.isQualifiedName(name)) {
    parts.unshift(name.right.text);
    name = name.left;
  }
  const origin = resolver.resolve(name);
  if (origin.kind !== 'module') return undefined;
  const last = [...origin.path, ...parts].at(-1);
  return last === undefined ? undefined : { module: origin.module, name: last };
}
