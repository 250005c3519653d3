/**
 * NetworkCall: every call site that provably sends a request through a catalogued client.
 */
import ts from 'typescript';
import { clients, pathMatches } from '../catalogue/index.ts';
import type { CallShape, ClientEntry } from '../catalogue/types.ts';
import { getStaticMemberName, isEffectivelyConst, normalizedPath, samePath, skipOuterExpressions, type Origin, type Resolver } from './resolve.ts';
import { evaluateTimeout, type TimeoutFact } from './timeout.ts';
import { shortText } from './text.ts';
import { identifierIndex } from './references.ts';
import { userWrapperFor, wrapperClient, wrapperMethod } from './extensions.ts';
import type { HttpWrapperSpec } from '../catalogue/extensions.ts';

export interface NetworkCall {
  readonly node: ts.CallExpression;
  readonly client: ClientEntry;
  readonly shape: CallShape;
  readonly origin: Origin;
  /** How the user wrote the callee, shortened for messages: `axios.get`, `api.post`, `fetch`. */
  readonly calleeText: string;
  /** Where the options object sits (it may be missing: then `node` is undefined). */
  readonly options: { readonly index: number; readonly node: ts.Expression | undefined } | undefined;
  /** Upper-case HTTP method, when the shape or a literal `method` option says it. */
  readonly method: string | undefined;
  readonly timeout: TimeoutFact;
}

/** Member names any call shape can end in: a cheap filter before resolving a callee. */
const memberNames = new Set<string>(clients.flatMap((c) => c.calls.map((s) => s.path.at(-1)).filter((n): n is string => !!n && !n.startsWith('*'))));
/**
 * Some SDKs' calls end in any member (Slack's `client.chat.postMessage`): a chain two deep may be one,
 * in a file that names such an SDK (an import, or a type it declares a field with).
 */
const anyMemberModules = clients.filter((c) => c.calls.some((s) => s.path.length >= 2 && s.path.at(-1)!.startsWith('*')));
const anyMemberTexts = anyMemberModules.flatMap((c) => [...c.modules.map((m) => m.replace(/\*$/, '')), ...(c.types ?? []).map((t) => t.name.replace(/^\*/, ''))]);
const anyMemberCache = new WeakMap<ts.SourceFile, boolean>();
function mayCallAnyMember(sourceFile: ts.SourceFile): boolean {
  // A gate, not a proof: resolving every `a.b.c()` would type-check every member chain of the program.
  let known = anyMemberCache.get(sourceFile);
  if (known === undefined) {
    known = anyMemberTexts.some((t) => sourceFile.text.includes(t));
    anyMemberCache.set(sourceFile, known);
  }
  return known;
}

export function collectNetworkCalls(sourceFile: ts.SourceFile, resolver: Resolver): NetworkCall[] {
  const calls: NetworkCall[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const call = toNetworkCall(node, resolver);
      if (call) calls.push(call);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return calls;
}

function toNetworkCall(node: ts.CallExpression, resolver: Resolver): NetworkCall | undefined {
  const callee = skipOuterExpressions(node.expression);
  const wrapper = userWrapperFor(resolver.catalogue?.httpWrappers, node, resolver);
  if (wrapper) return wrapperCall(node, callee, wrapper.spec, wrapper.origin, resolver);
  // Cheap syntactic gate first: `x.foo()` can only be a client call if `foo` ends some call shape, or if
  // `foo` is declared in this file with a client's type (`private readonly fetchFn: typeof fetch`).
  if (ts.isPropertyAccessExpression(callee) && !memberNames.has(callee.name.text) && !clientTypedNames(node.getSourceFile()).has(callee.name.text) &&
      !(ts.isPropertyAccessExpression(callee.expression) && mayCallAnyMember(node.getSourceFile()))) return undefined;
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee) && !ts.isElementAccessExpression(callee) && !isFallback(callee)) return undefined;
  const origin = resolver.resolve(callee);
  const match = matchCallShape(origin);
  if (!match) return undefined;
  const { client, shape } = match;
  if (isLocalUrl(shape.args.url === undefined ? undefined : node.arguments[shape.args.url], resolver)) return undefined;
  const options = locateOptions(node, shape, resolver);
  if (isBeacon(node, options?.node, resolver)) return undefined;
  const partial = {
    node,
    client,
    shape,
    origin,
    calleeText: shortText((isFallback(callee) ? node.expression : callee).getText(), 40),
    options,
    method: shape.method ?? (shape.args.method !== undefined ? methodArgument(node.arguments[shape.args.method], resolver) : undefined) ?? literalMethod(options?.node, resolver),
  };
  return { ...partial, timeout: evaluateTimeout(partial, resolver) };
}

/**
 * `void fetch(url, { method: 'POST', keepalive: true, body })`, its promise dropped: a beacon. Nobody
 * waits for it, so it cannot hang the caller (the browser or runtime sends it on its own).
 */
function isBeacon(node: ts.CallExpression, options: ts.Expression | undefined, resolver: Resolver): boolean {
  const literal = options && resolveObjectLiteral(options, resolver);
  const keepalive = literal?.properties.some((p) => ts.isPropertyAssignment(p) && propertyName(p.name) === 'keepalive' && p.initializer.kind === ts.SyntaxKind.TrueKeyword);
  if (!keepalive) return false;
  let outer: ts.Node = node;
  // `fetch(…).catch(() => {})`: still dropped.
  while (ts.isPropertyAccessExpression(outer.parent) && ts.isCallExpression(outer.parent.parent) && ['catch', 'then', 'finally'].includes(outer.parent.name.text)) outer = outer.parent.parent;
  return ts.isExpressionStatement(outer.parent) || ts.isVoidExpression(outer.parent);
}

/** `options.fetch ?? fetch`, `this.http || axios`. */
function isFallback(node: ts.Expression): boolean {
  return ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken);
}

/** Type names that identify a client in a declaration's type (`AxiosInstance`, `typeof fetch`). */
const CLIENT_TYPE_NAMES = [...new Set(['fetch', ...clients.flatMap((c) => (c.types ?? []).map((t) => t.name))])];
const typedNamesCache = new WeakMap<ts.SourceFile, Set<string>>();

/** Names of the fields, parameters and properties this file declares with a client's type. */
function clientTypedNames(sourceFile: ts.SourceFile): Set<string> {
  let names = typedNamesCache.get(sourceFile);
  if (names) return names;
  names = new Set();
  const index = identifierIndex(sourceFile);
  for (const typeName of CLIENT_TYPE_NAMES) {
    for (const id of index.get(typeName) ?? []) {
      let node: ts.Node = id;
      while (node.parent && ts.isTypeNode(node.parent)) node = node.parent;
      if (!ts.isTypeNode(node) && !ts.isTypeNode(id.parent)) continue;
      const decl = node.parent;
      if (decl && (ts.isParameter(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertySignature(decl) || ts.isVariableDeclaration(decl)) && decl.type === node && ts.isIdentifier(decl.name)) {
        names.add(decl.name.text);
      }
    }
  }
  typedNamesCache.set(sourceFile, names);
  return names;
}

/**
 * URLs that read memory or the module's own files, not the network: `data:` and `blob:` (a canvas's
 * `toDataURL()`, `URL.createObjectURL(…)`), and assets next to the module (`new URL(…, import.meta.url)`).
 */
const LOCAL_SCHEME = /^[`'"](?:data|blob|file|about|chrome-extension|moz-extension|safari-web-extension):/i;
const LOCAL_URL_CALLS = new Set(['toDataURL', 'createObjectURL']);

function isLocalUrl(arg: ts.Expression | undefined, resolver: Resolver, depth = 0): boolean {
  if (!arg || depth > 3) return false;
  const node = skipOuterExpressions(arg);
  if (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node)) return LOCAL_SCHEME.test(node.getText());
  if (ts.isCallExpression(node)) {
    const callee = skipOuterExpressions(node.expression);
    return ts.isPropertyAccessExpression(callee) && LOCAL_URL_CALLS.has(callee.name.text);
  }
  // `new URL('./font.ttf', import.meta.url)`: a file shipped with the module (bundlers inline it).
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
    const base = node.arguments?.[1];
    return base !== undefined && ts.isPropertyAccessExpression(base) && ts.isMetaProperty(base.expression) && base.name.text === 'url';
  }
  if (!ts.isIdentifier(node)) return false;
  const decl = resolver.checker.getSymbolAtLocation(node)?.valueDeclaration;
  const isConst = decl && ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
  return isConst && decl.initializer !== undefined ? isLocalUrl(decl.initializer, resolver, depth + 1) : false;
}

/** A call of a user-declared HTTP wrapper (resilience.config `catalogue.httpWrappers`). */
function wrapperCall(node: ts.CallExpression, callee: ts.Expression, spec: HttpWrapperSpec, origin: Origin, resolver: Resolver): NetworkCall {
  const client = wrapperClient(spec);
  const partial = {
    node,
    client,
    shape: client.calls[0]!,
    origin,
    calleeText: shortText(callee.getText(), 40),
    options: undefined,
    method: wrapperMethod(spec, node),
  };
  return { ...partial, timeout: evaluateTimeout(partial, resolver) };
}


export function matchCallShape(origin: Origin): { client: ClientEntry; shape: CallShape } | undefined {
  switch (origin.kind) {
    case 'module': {
      const path = normalizedPath(origin);
      for (const client of clients) {
        if (!client.modules.includes(origin.module)) continue;
        const shape = client.calls.find((s) => s.on !== 'instance' && pathMatches(s.path, path));
        if (shape) return { client, shape };
      }
      return undefined;
    }
    case 'global': {
      for (const client of clients) {
        for (const global of client.globals ?? []) {
          if (!samePath(global, origin.path.slice(0, global.length))) continue;
          const rest = origin.path.slice(global.length);
          const shape = client.calls.find((s) => s.on !== 'instance' && samePath(s.path, rest));
          if (shape) return { client, shape };
        }
      }
      return undefined;
    }
    case 'instance': {
      const shape = origin.client.calls.find((s) => s.on !== 'module' && pathMatches(s.path, origin.path));
      return shape ? { client: origin.client, shape } : undefined;
    }
    default:
      return undefined;
  }
}

function locateOptions(node: ts.CallExpression, shape: CallShape, resolver: Resolver): NetworkCall['options'] {
  const { args } = shape;
  if (args.options === undefined) return undefined;
  let index = args.options;
  if (args.optionsFirstUnlessUrl) {
    // axios(config) vs axios(url, config); http.get(options, cb) vs http.get(url, options?, cb)
    const first = node.arguments[0];
    if (!first) return { index: 0, node: undefined };
    if (!isUrlLike(first, resolver)) index = 0;
  }
  const arg = node.arguments[index];
  if (args.optionsIfObject && !(arg && resolveObjectLiteral(arg, resolver))) return { index, node: undefined };
  // A function is a callback (http.get(url, res => …)), never an options object.
  if (arg && isFunctionExpression(arg)) return { index, node: undefined };
  return { index, node: arg };
}

function isFunctionExpression(node: ts.Expression): boolean {
  const bare = skipOuterExpressions(node);
  return ts.isArrowFunction(bare) || ts.isFunctionExpression(bare);
}

const URL_NAME = /^(url|uri|href|endpoint|link|address|target|location)$|(Url|Uri|Href|Endpoint)$/;

/** Syntactic evidence that an argument is a URL rather than an options object. */
export function isUrlLike(expression: ts.Expression, resolver: Resolver, depth = 0): boolean {
  const node = skipOuterExpressions(expression);
  if (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node)) return true;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return true;
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') return true;
  if ((ts.isPropertyAccessExpression(node) && ['href', 'url', 'uri'].includes(node.name.text.toLowerCase()))) return true;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'toString') return true;
  if (ts.isIdentifier(node) && depth < 8) {
    const symbol = resolver.getSymbol(node);
    const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (decl && (ts.isParameter(decl) || ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) && decl.type) {
      const type = decl.type;
      if (type.kind === ts.SyntaxKind.StringKeyword) return true;
      if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'URL') return true;
      if (ts.isUnionTypeNode(type) && type.types.every((t) => t.kind === ts.SyntaxKind.StringKeyword || (ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && t.typeName.text === 'URL'))) return true;
      return false;
    }
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return isUrlLike(decl.initializer, resolver, depth + 1);
    // An untyped parameter (plain JS) named like a URL.
    if (decl && ts.isParameter(decl) && !decl.type) return URL_NAME.test(node.text);
  }
  return false;
}

function literalMethod(options: ts.Expression | undefined, resolver: Resolver): string | undefined {
  if (!options) return undefined;
  const literal = resolveObjectLiteral(options, resolver);
  if (!literal) return undefined;
  for (const prop of literal.properties) {
    if (ts.isPropertyAssignment(prop) && propertyName(prop.name) === 'method') return constantString(prop.initializer, resolver)?.toUpperCase();
    if (ts.isShorthandPropertyAssignment(prop) && prop.name.text === 'method') return constantString(prop.name, resolver)?.toUpperCase();
  }
  return undefined;
}

function methodArgument(arg: ts.Expression | undefined, resolver: Resolver): string | undefined {
  return arg ? constantString(arg, resolver)?.toUpperCase() : undefined;
}

/** An object literal, directly or through a `const`. */
export function resolveObjectLiteral(expression: ts.Expression, resolver: Resolver, depth = 0): ts.ObjectLiteralExpression | undefined {
  const node = skipOuterExpressions(expression);
  if (ts.isObjectLiteralExpression(node)) return node;
  if (ts.isIdentifier(node) && depth < 8) {
    const init = constInitializer(node, resolver);
    return init ? resolveObjectLiteral(init, resolver, depth + 1) : undefined;
  }
  return undefined;
}

/** With a program: an object literal exported by another module (`...redisQueueRetryOptions`). */
export function importedObjectLiteral(expression: ts.Expression, resolver: Resolver): ts.ObjectLiteralExpression | undefined {
  if (!resolver.typeAware || !ts.isIdentifier(expression)) return undefined;
  let symbol = resolver.checker.getSymbolAtLocation(expression);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = resolver.checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)) return undefined;
  const init = skipOuterExpressions(decl.initializer);
  return ts.isObjectLiteralExpression(init) ? init : undefined;
}

/** The initializer of the `const` an identifier refers to, in this file. */
export function constInitializer(identifier: ts.Identifier, resolver: Resolver): ts.Expression | undefined {
  const symbol = resolver.getSymbol(identifier);
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return undefined;
  return isEffectivelyConst(decl, resolver) ? decl.initializer : undefined;
}

/**
 * The call that makes a policy held in `expression`: the expression itself, a `const` holding it, or
 * a class field set where it is declared (`this.breaker`), followed up to `maxDepth` steps. Returns
 * the call and how many steps it took (callers that recurse into its arguments count on from there).
 */
export function policyDefinition(expression: ts.Expression, resolver: Resolver, depth: number, maxDepth: number): { readonly call: ts.CallExpression; readonly depth: number } | undefined {
  for (let node = skipOuterExpressions(expression); depth <= maxDepth; depth++) {
    if (ts.isCallExpression(node)) return { call: node, depth };
    let next: ts.Expression | undefined;
    if (ts.isIdentifier(node)) next = constInitializer(node, resolver);
    else if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const decl = resolver.getSymbol(node.name)?.valueDeclaration;
      next = decl && ts.isPropertyDeclaration(decl) ? decl.initializer : undefined;
    }
    if (!next) return undefined;
    node = skipOuterExpressions(next);
  }
  return undefined;
}

/**
 * A number the code fixes: a literal, `Infinity` (also `Number.POSITIVE_INFINITY`, `MAX_SAFE_INTEGER`,
 * `MAX_VALUE`: no limit in practice), or a `const` holding one in this file.
 */
export function constantNumber(expression: ts.Expression, resolver: Resolver, depth = 0): number | undefined {
  const node = skipOuterExpressions(expression);
  const literal = literalNumber(node);
  if (literal !== undefined) return literal;
  if (ts.isIdentifier(node) && depth < 8) {
    const init = constInitializer(node, resolver);
    return init ? constantNumber(init, resolver, depth + 1) : undefined;
  }
  return undefined;
}

/** A number written in place (see `constantNumber`), without following constants. */
export function literalNumber(expression: ts.Expression): number | undefined {
  const node = skipOuterExpressions(expression);
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isIdentifier(node) && node.text === 'Infinity') return Infinity;
  const member = getStaticMemberName(node);
  if ((member === 'POSITIVE_INFINITY' || member === 'MAX_SAFE_INTEGER' || member === 'MAX_VALUE')) return Infinity;
  return undefined;
}

export function constantString(expression: ts.Expression, resolver: Resolver, depth = 0): string | undefined {
  const node = skipOuterExpressions(expression);
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isIdentifier(node) && depth < 8) {
    const init = constInitializer(node, resolver) ?? importedConst(node, resolver)?.initializer;
    return init ? constantString(init, resolver, depth + 1) : undefined;
  }
  return undefined;
}

/** With a program: the `const` declaration an imported name stands for (`import { PAY_URL } from './urls'`). */
export function importedConst(identifier: ts.Identifier, resolver: Resolver): ts.VariableDeclaration | undefined {
  if (!resolver.typeAware) return undefined;
  const symbol = resolver.getSymbol(identifier);
  if (!symbol || !(symbol.flags & ts.SymbolFlags.Alias)) return undefined;
  let target: ts.Symbol;
  try {
    target = resolver.checker.getAliasedSymbol(symbol);
  } catch {
    return undefined;
  }
  const decl = target.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || decl.getSourceFile().isDeclarationFile) return undefined;
  return ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const ? decl : undefined;
}

export function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

