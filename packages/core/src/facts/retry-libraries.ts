/**
 * Library retries: a retry library's call (p-retry, cockatiel, axios-retry…), an HTTP client's own
 * `retry` option (got, ky; judged only when written) or chained `.retry(n)` (superagent). What each
 * library does by default and which option changes what is catalogue data.
 */
import ts from 'typescript';
import { clients, retryLibraries } from '../catalogue/index.ts';
import type { ClientRetrySpec, DelayKind, KnownDelay, RetryCallEntry, RetryDefaults } from '../catalogue/types.ts';
import { classifyDelay, hasRandomness, type DelayContext } from './delay.ts';
import { constInitializer, literalNumber, propertyName, importedObjectLiteral, resolveObjectLiteral } from './network-calls.ts';
import { getStaticMemberName, normalizedPath, registerCataloguedModule, samePath, skipOuterExpressions, type Resolver } from './resolve.ts';
import { describeDelay, enclosingStatement, short, type CapFact, type DelayFact, type RetryScope } from './retry.ts';

for (const library of retryLibraries) registerCataloguedModule(library.module);

export interface LibraryRetry {
  readonly spec: RetryCallEntry | ClientRetrySpec;
  readonly displayName: string;
  /** The call (or `new WebClient(token, { retryConfig })`) that holds the retry. */
  readonly call: ts.CallExpression | ts.NewExpression;
  /** The configuration as written (an object literal, a number, an identifier…), if any. */
  readonly config: ts.Expression | undefined;
  /** The object literal to add an option to, when the configuration is one written in place. */
  readonly configObject: ts.ObjectLiteralExpression | undefined;
  /** Where a missing configuration argument would go. */
  readonly configArgument: number | undefined;
  /** The local name of the callee's root (`axiosRetry` in `axiosRetry(client, …)`). */
  readonly localRoot: string | undefined;
  /** Configurations this one is merged over (an instance's `retry`, outermost first). */
  readonly inherited?: readonly ts.Expression[] | undefined;
}

function moduleMatches(module: string, wanted: string): boolean {
  return module === wanted || module.startsWith(`${wanted}/`);
}

/** Module specifiers of the retry libraries as an import writes them: a library call needs one in its file. */
const LIBRARY_TEXTS = retryLibraries.flatMap((l) => [`'${l.module}`, `"${l.module}`]);

export function collectLibraryRetries(sourceFile: ts.SourceFile, resolver: Resolver): RetryScope[] {
  const scopes: RetryScope[] = [];
  // Cheap gate: resolving every callee of a file (through fields and the checker) costs more than the
  // rest of the audit; a retry library's call is imported in the file that makes it.
  const importsLibrary = LIBRARY_TEXTS.some((m) => sourceFile.text.includes(m));
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const scope = (importsLibrary ? libraryCallScope(node, resolver) : undefined) ?? clientOptionScope(node, resolver) ?? chainScope(node, resolver);
      if (scope) scopes.push(scope);
    } else if (ts.isNewExpression(node) && node.arguments?.length) {
      const scope = clientOptionScope(node, resolver);
      if (scope) scopes.push(scope);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return scopes;
}

/** `pRetry(upgradeOnce)`: the same-file function passed by name. */
function localFunction(id: ts.Identifier, resolver: Resolver): ts.Node | undefined {
  const decl = resolver.getSymbol(id)?.valueDeclaration;
  if (!decl || decl.getSourceFile() !== id.getSourceFile()) return undefined;
  if (ts.isFunctionDeclaration(decl)) return decl;
  if (ts.isVariableDeclaration(decl) && decl.initializer && isFunctionLike(skipOuterExpressions(decl.initializer))) return skipOuterExpressions(decl.initializer);
  return undefined;
}

function isFunctionLike(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

function callsParameter(fn: ts.ArrowFunction | ts.FunctionExpression, index: number, resolver: Resolver): boolean {
  const param = fn.parameters[index];
  if (!param || !ts.isIdentifier(param.name)) return false;
  const symbol = resolver.checker.getSymbolAtLocation(param.name);
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n !== param.name && resolver.getSymbol(n) === symbol) found = true;
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

function rootName(expression: ts.Expression): string | undefined {
  let node = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) node = skipOuterExpressions(node.expression);
  return ts.isIdentifier(node) ? node.text : undefined;
}

/** The member names a library call can end in (`retry.operation`, `axiosRetry.default`): a gate before resolving. */
const CALL_NAMES = new Set(retryLibraries.flatMap((l) => l.calls.map((c) => c.path.at(-1) ?? 'default')));

function libraryCallScope(call: ts.CallExpression, resolver: Resolver): RetryScope | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  if (ts.isPropertyAccessExpression(callee) && !CALL_NAMES.has(callee.name.text)) return undefined;
  const origin = resolver.resolve(callee);
  if (origin.kind !== 'module') return undefined;
  for (const library of retryLibraries) {
    if (!moduleMatches(origin.module, library.module)) continue;
    const entry = library.calls.find((c) => samePath(normalizedPath({ path: c.path }), normalizedPath(origin)));
    if (!entry) continue;
    let configArgument = entry.config.argument;
    if (entry.config.eitherOrder) {
      // promiseRetry(options, fn) as well as promiseRetry(fn, options).
      const first = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
      if (first && !isFunctionLike(first)) configArgument = 0;
    }
    const config = call.arguments[configArgument];
    if (entry.retryCallbackParam !== undefined) {
      const fn = call.arguments.map((a) => skipOuterExpressions(a)).find(isFunctionLike);
      if (fn && !callsParameter(fn, entry.retryCallbackParam, resolver)) continue; // runs once: not a retry
    }
    const retry: LibraryRetry = {
      spec: entry,
      displayName: library.displayName,
      call,
      config,
      configObject: config && ts.isObjectLiteralExpression(skipOuterExpressions(config)) ? (skipOuterExpressions(config) as ts.ObjectLiteralExpression) : undefined,
      configArgument,
      localRoot: rootName(callee),
    };
    return scopeFor(retry, call.getStart(), callee.end, `\`${short(callee)}(…)\``, resolver);
  }
  return undefined;
}

const keysWritten = new WeakMap<ts.SourceFile, Map<string, boolean>>();

/** Whether the call's file writes `key:` anywhere (searched once per file and key, not per call). */
function writesKey(call: ts.Node, key: string): boolean {
  const file = call.getSourceFile();
  let known = keysWritten.get(file);
  if (!known) keysWritten.set(file, (known = new Map()));
  let found = known.get(key);
  if (found === undefined) known.set(key, (found = file.text.includes(`${key}:`)));
  return found;
}

/** `got(url, { retry: {...} })`, `ky.create({ retry: {...} })`, `got.extend({ retry })`. */
function clientOptionScope(call: ts.CallExpression | ts.NewExpression, resolver: Resolver): RetryScope | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  const args = (call.arguments ?? []).map((a) => skipOuterExpressions(a));
  if (args.length === 0) return undefined;
  for (const client of clients) {
    const spec = client.retry;
    if (!spec?.option) continue;
    // Cheap gate: only calls with an object argument that has the option key: in place, or (in a file
    // that writes the key at all) a local constant (`const options = { retry: {…} }; got.post(url, options)`).
    const holder = args
      .map((a) => (ts.isIdentifier(a) && writesKey(call, spec.option!) ? resolveObjectLiteral(a, resolver) ?? a : a))
      .find((a): a is ts.ObjectLiteralExpression => ts.isObjectLiteralExpression(a) && a.properties.some((p) => p.name && propertyName(p.name) === spec.option));
    if (!holder) continue;
    const origin = resolver.resolve(callee);
    const own = (origin.kind === 'module' && client.modules.includes(origin.module)) || (origin.kind === 'instance' && origin.client === client);
    if (!own) continue;
    const prop = holder.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name) === spec.option);
    if (!prop) continue;
    const config = prop.initializer;
    const configObject = ts.isObjectLiteralExpression(skipOuterExpressions(config)) ? (skipOuterExpressions(config) as ts.ObjectLiteralExpression) : undefined;
    // got merges per-request `retry` into the instance's; ky's `extend` merges into the parent's.
    const inherited = origin.kind === 'instance'
      ? origin.levels.filter((l) => l.node !== call).map((l) => l.options && resolveObjectLiteral(l.options, resolver))
        .map((o) => o?.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name) === spec.option)?.initializer)
        .filter((e): e is ts.Expression => !!e).reverse()
      : [];
    // `ky.post(url, { retry: { limit: 3 } })`: a method the retry's methods leave out is sent once.
    if (!retriesMethod(callee, holder, [config, ...[...inherited].reverse()], spec, resolver)) continue;
    const retry: LibraryRetry = { spec, displayName: client.displayName, call, config, configObject, configArgument: undefined, localRoot: rootName(callee), inherited };
    return scopeFor(retry, call.getStart(), callee.end, `\`${ts.isNewExpression(call) ? 'new ' : ''}${short(callee)}(…)\` with its \`${spec.option}\` option`, resolver);
  }
  return undefined;
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace', 'query']);

/**
 * Whether a request's own retry can re-send it: false when the call's method is known (`ky.post`,
 * `{ method: 'POST' }`) and the methods in force (the innermost `methods`, or the library's default
 * list) leave it out. A client made with a retry (`ky.create`) has no method of its own: true.
 */
function retriesMethod(callee: ts.Expression, options: ts.ObjectLiteralExpression, configs: readonly ts.Expression[], spec: ClientRetrySpec, resolver: Resolver): boolean {
  const member = ts.isPropertyAccessExpression(callee) ? callee.name.text.toLowerCase() : undefined;
  const methodProp = options.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name) === 'method');
  const written = methodProp && ts.isStringLiteralLike(skipOuterExpressions(methodProp.initializer)) ? (skipOuterExpressions(methodProp.initializer) as ts.StringLiteral).text.toLowerCase() : undefined;
  const method = written ?? (member && HTTP_METHODS.has(member) ? member : undefined);
  if (method === undefined || !spec.defaultMethods || !spec.keys.methods) return true;
  if (methodProp && written === undefined) return true; // a method we cannot read
  for (const config of configs) {
    const literal = resolveObjectLiteral(config, resolver);
    const list = literal?.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name) === spec.keys.methods);
    if (!list) continue;
    const array = skipOuterExpressions(list.initializer);
    if (!ts.isArrayLiteralExpression(array) || !array.elements.every(ts.isStringLiteralLike)) return true;
    const names = array.elements.map((e) => (e as ts.StringLiteral).text.toLowerCase());
    if (names.includes(method)) return true;
    if (spec.keys.methodsMerge === 'replace') return false;
  }
  return spec.defaultMethods.includes(method);
}

/** `superagent.get(url).retry(3)`. */
function chainScope(call: ts.CallExpression, resolver: Resolver): RetryScope | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  for (const client of clients) {
    const spec = client.retry;
    if (!spec?.chainMethod || callee.name.text !== spec.chainMethod) continue;
    // The chain must start at a call of this client.
    let base: ts.Expression = skipOuterExpressions(callee.expression);
    while (ts.isCallExpression(base) && ts.isPropertyAccessExpression(skipOuterExpressions(base.expression))) {
      const inner = resolver.resolve(skipOuterExpressions(base.expression));
      if ((inner.kind === 'module' && client.modules.includes(inner.module)) || (inner.kind === 'instance' && inner.client === client)) break;
      base = skipOuterExpressions((skipOuterExpressions(base.expression) as ts.PropertyAccessExpression).expression);
    }
    if (!ts.isCallExpression(base)) continue;
    const origin = resolver.resolve(skipOuterExpressions(base.expression));
    const own = (origin.kind === 'module' && client.modules.includes(origin.module)) || (origin.kind === 'instance' && origin.client === client);
    if (!own) continue;
    const retry: LibraryRetry = { spec, displayName: client.displayName, call, config: call.arguments[0], configObject: undefined, configArgument: 0, localRoot: undefined };
    return scopeFor(retry, callee.name.getStart(), call.end, `\`.${spec.chainMethod}(${call.arguments.map((a) => a.getText()).join(', ')})\` on a ${client.displayName} request`, resolver);
  }
  return undefined;
}

interface Verdict {
  retries: number | null | 'unknown';
  delay: DelayKind | 'unknown';
  jitter: boolean | 'unknown';
  delayEvidence?: ts.Node;
  capEvidence?: ts.Node;
  timeCap?: ts.Node;
  delaySource: 'default' | 'option';
  /** `delay`: what a delay of the user's own computes (no switch was turned off). */
  jitterSource: 'default' | 'option' | 'delay';
  capSource: 'default' | 'option';
}

function scopeFor(retry: LibraryRetry, start: number, end: number, subject: string, resolver: Resolver): RetryScope | undefined {
  const verdict = evaluate(retry, resolver);
  if (verdict.retries === 0) return undefined; // `retries: 0`, `.retry(0)`: no retry at all
  // What runs again: the function handed to the library (pRetry(fn), backOff(fn)…), when it is one.
  const regions: ts.Node[] = (retry.call.arguments ?? []).map((a) => skipOuterExpressions(a)).map((a) => (ts.isIdentifier(a) ? localFunction(a, resolver) ?? a : a))
    .filter((a): a is ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration => isFunctionLike(a) || ts.isFunctionDeclaration(a));
  // `useMutation({ mutationFn, retry: 3 })`: the function under an options key runs again.
  const callbackKeys = 'callbackKeys' in retry.spec ? retry.spec.callbackKeys : undefined;
  if (callbackKeys && retry.configObject) {
    for (const prop of retry.configObject.properties) {
      if ((ts.isPropertyAssignment(prop) || ts.isMethodDeclaration(prop)) && prop.name && callbackKeys.includes(propertyName(prop.name) ?? '')) regions.push(ts.isPropertyAssignment(prop) ? prop.initializer : prop);
    }
  }
  const reconnects = 'reconnects' in retry.spec && retry.spec.reconnects;
  return {
    kind: reconnects ? 'reconnect' : 'library', node: retry.call, start, end, subject, delay: delayFact(verdict, retry),
    cap: reconnects ? { state: 'present', detail: 'for as long as the connection is wanted (a connection is meant to come back)' } : capFact(verdict, retry),
    library: retry, regions, statement: enclosingStatement(retry.call),
  };
}

function evaluate(retry: LibraryRetry, resolver: Resolver): Verdict {
  const { spec } = retry;
  const d: RetryDefaults = spec.defaults;
  const v: Verdict = { retries: d.retries, delay: d.delay, jitter: d.jitter, delaySource: 'default', jitterSource: 'default', capSource: 'default' };
  for (const config of [...(retry.inherited ?? []), ...(retry.config ? [retry.config] : [])]) apply(v, skipOuterExpressions(config), spec, resolver);
  // Options from another module (`pRetry(fn, RETRY_OPTIONS)`): evidence must lie in this file.
  const here = retry.call.getSourceFile();
  const local = (node: ts.Node | undefined): ts.Node | undefined => (node && node.getSourceFile() !== here ? retry.config : node);
  v.capEvidence = local(v.capEvidence);
  v.delayEvidence = local(v.delayEvidence);
  if (v.timeCap && v.timeCap.getSourceFile() !== here) v.timeCap = retry.config;
  return v;
}

function apply(v: Verdict, config: ts.Expression, spec: RetryCallEntry | ClientRetrySpec, resolver: Resolver): void {
  const number = literalNumber(config) ?? constNumber(config, resolver);
  if (number !== undefined) {
    v.retries = Number.isFinite(number) ? number : null;
    v.capSource = 'option';
    v.capEvidence = config;
    return;
  }
  const object = resolveObjectLiteral(config, resolver) ?? importedObjectLiteral(config, resolver);
  if (!object) {
    Object.assign(v, { retries: 'unknown', delay: 'unknown', jitter: 'unknown', delaySource: 'option', jitterSource: 'option', capSource: 'option' });
    return;
  }
  const keys = spec.keys;
  for (const prop of object.properties) {
    if (ts.isSpreadAssignment(prop)) {
      // What the spread may set is unknown; keys written after it still win.
      const inner = resolveObjectLiteral(prop.expression, resolver) ?? importedObjectLiteral(skipOuterExpressions(prop.expression), resolver);
      if (inner) apply(v, inner, spec, resolver);
      else Object.assign(v, { retries: 'unknown', delay: 'unknown', jitter: 'unknown', delaySource: 'option', jitterSource: 'option', capSource: 'option', capEvidence: prop });
      continue;
    }
    if (!ts.isPropertyAssignment(prop) && !ts.isShorthandPropertyAssignment(prop)) continue;
    const name = propertyName(prop.name);
    const value = skipOuterExpressions(ts.isPropertyAssignment(prop) ? prop.initializer : prop.name);
    if (name === undefined) continue;
    if (keys.attempts?.includes(name) && keys.booleanAttempts && (value.kind === ts.SyntaxKind.TrueKeyword || value.kind === ts.SyntaxKind.FalseKeyword)) {
      v.retries = value.kind === ts.SyntaxKind.TrueKeyword ? null : 0;
      v.capSource = 'option';
      v.capEvidence = prop;
    } else if (keys.attempts?.includes(name)) {
      const n = literalNumber(value) ?? constNumber(value, resolver);
      v.retries = n === undefined ? 'unknown' : Number.isFinite(n) ? n : null;
      v.capSource = 'option';
      v.capEvidence = prop;
    } else if (name === keys.forever && value.kind === ts.SyntaxKind.TrueKeyword) {
      v.retries = null;
      v.capSource = 'option';
      v.capEvidence = prop;
    } else if (keys.timeCap?.includes(name)) {
      const n = literalNumber(value);
      if (n === undefined || Number.isFinite(n)) v.timeCap = prop;
    } else if (keys.jitter && name === keys.jitter.key) {
      const literal = literalOf(value);
      v.jitter = literal === undefined ? 'unknown' : keys.jitter.on.includes(literal) ? true : keys.jitter.off.includes(literal) ? false : v.jitter;
      if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) v.jitter = true; // ky `jitter: (delay) => …`
      v.jitterSource = 'option';
    } else if (name === keys.factor && literalNumber(value) === 0 && v.delay === 'exponential') {
      // `factor: 0`: every delay after the first is 0 (`minTimeout · 0^n`): no backoff at all.
      v.delay = 'none';
      v.delaySource = 'option';
      v.delayEvidence = prop;
    } else if (name === keys.factor && literalNumber(value) === 1 && v.delay === 'exponential') {
      v.delay = 'constant';
      v.delaySource = 'option';
      v.delayEvidence = prop;
    } else if ((keys.initialDelay?.includes(name) || keys.delayCap?.includes(name)) && literalNumber(value) === 0) {
      v.delay = 'none';
      v.delaySource = 'option';
      v.delayEvidence = prop;
    } else if (name === keys.noise && literalNumber(value) === 0) {
      v.jitter = false;
      v.jitterSource = 'option';
    } else if (keys.delay && name === keys.delay.key) {
      const known = classifyDelayValue(value, keys.delay.counterParam, keys.delay.known, resolver);
      v.delay = known.delay;
      // ky applies its `jitter` on top of a custom `delay`: keep an explicit or inherited `jitter: true`.
      v.jitter = keys.jitter && v.jitter === true && known.jitter !== true ? true : known.jitter;
      v.delaySource = 'option';
      v.jitterSource = 'delay';
      v.delayEvidence = prop;
    } else if (keys.backoff && name === keys.backoff.key) {
      const known = classifyBackoff(value, keys.backoff.constructors);
      v.delay = known.delay;
      v.jitter = known.jitter;
      v.delaySource = v.jitterSource = 'option';
      v.delayEvidence = prop;
    }
  }
}

function constNumber(node: ts.Expression, resolver: Resolver): number | undefined {
  if (!ts.isIdentifier(node)) return undefined;
  const init = constInitializer(node, resolver);
  return init ? literalNumber(init) : undefined;
}

function literalOf(node: ts.Expression): string | number | boolean | undefined {
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

/** `retryDelay: axiosRetry.exponentialDelay`, `delay: 1000`, `delay: (_e, n) => timer(2 ** n * 100)`. */
function classifyDelayValue(value: ts.Expression, counterParam: number, known: Readonly<Record<string, KnownDelay>> | undefined, resolver: Resolver): { delay: DelayKind | 'unknown'; jitter: boolean | 'unknown' } {
  const n = literalNumber(value);
  if (n !== undefined) return { delay: n === 0 ? 'none' : 'constant', jitter: false };
  const named = getStaticMemberName(value) ?? (ts.isIdentifier(value) ? value.text : undefined);
  const calledName = ts.isCallExpression(value) ? getStaticMemberName(skipOuterExpressions(value.expression)) ?? (ts.isIdentifier(value.expression) ? value.expression.text : undefined) : undefined;
  const hit = known?.[named ?? ''] ?? known?.[calledName ?? ''];
  if (hit) return { delay: hit.delay, jitter: hit.jitter };
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) {
    // `(n, error) => exponentialDelay(n, error, 500)`: a known helper, called.
    const single = ts.isBlock(value.body) ? undefined : skipOuterExpressions(value.body);
    if (single && ts.isCallExpression(single)) {
      const inner = getStaticMemberName(skipOuterExpressions(single.expression)) ?? (ts.isIdentifier(single.expression) ? single.expression.text : undefined);
      const helper = inner ? known?.[inner] : undefined;
      if (helper) return { delay: helper.delay, jitter: helper.jitter };
    }
    const param = value.parameters[counterParam];
    const counter = param && resolver.checker.getSymbolAtLocation(param.name);
    const context: DelayContext = { resolver, counters: new Set(counter ? [counter] : []), scope: value };
    const body = ts.isBlock(value.body) ? returnedOf(value.body) : [value.body];
    if (body.length === 0) return { delay: 'unknown', jitter: 'unknown' };
    // rxjs delay functions return `timer(ms)`: look through it.
    const classes = body.map((e) => classifyDelay(unwrapTimer(e), context));
    const order = ['none', 'constant', 'linear', 'exponential'];
    const kinds = classes.map((c) => c.kind);
    const delay = kinds.includes('unknown') ? 'unknown' : kinds.reduce((a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a));
    return { delay: delay as DelayKind | 'unknown', jitter: classes.some((c) => c.jitter) || hasRandomness(value) };
  }
  return { delay: 'unknown', jitter: 'unknown' };
}

function unwrapTimer(expression: ts.Expression): ts.Expression {
  const node = skipOuterExpressions(expression);
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'timer' && node.arguments[0]) return node.arguments[0];
  return node;
}

function returnedOf(block: ts.Block): ts.Expression[] {
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(block, visit);
  return out;
}

/** `backoff: new ExponentialBackoff({ generator: noJitterGenerator })`, `new ConstantBackoff(0)`. */
function classifyBackoff(value: ts.Expression, constructors: Readonly<Record<string, KnownDelay>>): { delay: DelayKind | 'unknown'; jitter: boolean | 'unknown' } {
  if (!ts.isNewExpression(value)) return { delay: 'unknown', jitter: 'unknown' };
  const name = ts.isIdentifier(value.expression) ? value.expression.text : getStaticMemberName(value.expression);
  const known = name ? constructors[name] : undefined;
  if (!known) return { delay: 'unknown', jitter: 'unknown' };
  const first = value.arguments?.[0];
  if (known.zeroArgumentIsNone && first && literalNumber(first) === 0) return { delay: 'none', jitter: false };
  if (known.fromList) {
    const list = first && skipOuterExpressions(first);
    const values = list && ts.isArrayLiteralExpression(list) ? list.elements.map((e) => literalNumber(e)) : [];
    if (values.length < 2 || values.some((x) => x === undefined)) return { delay: 'unknown', jitter: false };
    const nums = values as number[];
    const doubling = nums.every((x, i) => i === 0 || x >= 2 * nums[i - 1]!);
    const growing = nums.every((x, i) => i === 0 || x > nums[i - 1]!);
    return { delay: doubling ? 'exponential' : growing ? 'linear' : nums.every((x) => x === 0) ? 'none' : 'constant', jitter: false };
  }
  let jitter: boolean = known.jitter;
  if (known.jitterOffKey && first && ts.isObjectLiteralExpression(skipOuterExpressions(first))) {
    const options = skipOuterExpressions(first) as ts.ObjectLiteralExpression;
    const prop = options.properties.find((p) => p.name && propertyName(p.name) === known.jitterOffKey?.key);
    if (prop && ts.isPropertyAssignment(prop)) {
      const generator = getStaticMemberName(skipOuterExpressions(prop.initializer)) ?? (ts.isIdentifier(prop.initializer) ? prop.initializer.text : undefined);
      if (generator && known.jitterOffKey.values.includes(generator)) jitter = false;
    }
  }
  return { delay: known.delay, jitter };
}

function delayFact(v: Verdict, retry: LibraryRetry): DelayFact {
  const fact = delayFactOf(v, retry);
  return v.delaySource === 'default' && retry.spec.defaults.delayNotJudged ? { ...fact, judgedElsewhere: true } : fact;
}

function delayFactOf(v: Verdict, retry: LibraryRetry): DelayFact {
  const byDefault = v.delaySource === 'default' ? ` (${retry.displayName}'s default)` : '';
  const jitter: DelayFact['jitter'] = v.jitter === 'unknown' ? 'unknown' : v.jitter ? 'present' : 'absent';
  if (v.delay === 'unknown') return { kind: 'unknown', jitter, detail: 'waits a delay that cannot be classified here', evidence: v.delayEvidence };
  const detail = v.delay === 'exponential' ? 'backs off exponentially' : `${describeDelay(v.delay, undefined, v.delayEvidence)}${byDefault}`;
  const jitterDetail = jitter !== 'absent' ? '' : v.jitterSource === 'default' ? ` (${('defaultsOf' in retry.spec && retry.spec.defaultsOf) || retry.displayName}'s default)` : v.jitterSource === 'option' && v.delay === 'exponential' ? ' (turned off in its options)' : '';
  return { kind: v.delay, jitter, detail, jitterDetail, evidence: v.delayEvidence };
}

function capFact(v: Verdict, retry: LibraryRetry): CapFact {
  if (v.timeCap) return { state: 'present', detail: `stops after \`${short(v.timeCap)}\``, evidence: v.timeCap };
  if (v.retries === 'unknown') {
    if ('finiteLimitOnly' in retry.spec && retry.spec.finiteLimitOnly) return { state: 'present', detail: `stops after a limit ${retry.displayName} requires to be finite` };
    return { state: 'unknown', detail: 'with a limit on attempts that cannot be read here', evidence: v.capEvidence };
  }
  if (v.retries === null) {
    const why = v.capSource === 'default' ? ` (${retry.displayName} is unbounded by default)` : v.capEvidence ? ` (\`${short(v.capEvidence)}\`)` : '';
    return { state: 'absent', detail: `with no limit on attempts${why}`, evidence: v.capEvidence };
  }
  return { state: 'present', detail: `stops after ${v.retries} ${v.retries === 1 ? 'retry' : 'retries'}`, evidence: v.capEvidence, retries: v.retries };
}
