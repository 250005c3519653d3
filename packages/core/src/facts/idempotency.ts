/**
 * Idempotency: a non-idempotent request (POST, PATCH) that can be sent more than once, what re-sends
 * it, and whether it carries an idempotency key created once, outside the attempts.
 */
import ts from 'typescript';
import { policyCombinators, retryLibraries } from '../catalogue/index.ts';
import type { RetryCallEntry } from '../catalogue/types.ts';
import { constantNumber, constInitializer, propertyName, resolveObjectLiteral, type NetworkCall } from './network-calls.ts';
import { getStaticMemberName, skipOuterExpressions, type Resolver } from './resolve.ts';
import { collectRetryScopes, enclosingStatement, short, type RetryScope } from './retry.ts';
import { isReassigned } from './references.ts';
import { lineOf } from './text.ts';

/** RFC 9110 §9.2.2: GET, HEAD, OPTIONS, TRACE, PUT and DELETE are idempotent; POST and PATCH are not. */
export const NON_IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['POST', 'PATCH']);
const KEY_HEADER = /^(x-)?idempotency-key$/i;

export type RetryExposure =
  | {
      readonly kind: 'scope';
      readonly scope: RetryScope;
      readonly region: ts.Node;
      /** The statement that starts the retried work (where a key made once must go before). */
      readonly statement: ts.Statement | undefined;
      readonly detail: string;
    }
  | {
      readonly kind: 'client';
      readonly detail: string;
      readonly evidence: ts.Node;
      /** A client known only by its type, whose own retries may have been turned off where it was made. */
      readonly uncertain?: string | undefined;
    };

export interface KeyFact {
  /** `per-attempt`: a key is sent, but made inside the retried code, so each attempt has a new one. */
  readonly state: 'present' | 'absent' | 'per-attempt' | 'unknown';
  readonly detail: string;
  readonly node?: ts.Node | undefined;
}

export interface IdempotencyFact {
  readonly call: NetworkCall;
  readonly method: string;
  readonly exposure: RetryExposure;
  readonly key: KeyFact;
}

export function collectIdempotencyFacts(calls: readonly NetworkCall[], exposures: ReadonlyMap<NetworkCall, RetryExposure>, resolver: Resolver): IdempotencyFact[] {
  const mutations = calls.filter((c) => c.method !== undefined && NON_IDEMPOTENT_METHODS.has(c.method) && c.client.idempotency && isMutation(c) && !isGraphqlRead(c, resolver));
  const facts: IdempotencyFact[] = [];
  for (const call of mutations) {
    const exposure = exposures.get(call);
    if (!exposure) continue;
    const spec = call.client.idempotency!;
    const key: KeyFact = spec.noKey
      ? exposure.kind === 'client' && exposure.uncertain
        ? { state: 'unknown', detail: exposure.uncertain }
        : { state: 'absent', detail: 'with no idempotency key (the API takes none)' }
      : keyOf(call, exposure, resolver);
    facts.push({ call, method: call.method!, exposure, key });
  }
  return facts;
}

/** A client whose calls are all POST names the few that create something each time (`chat.postMessage`). */
function isMutation(call: NetworkCall): boolean {
  const listed = call.client.idempotency?.mutations;
  return !listed || listed.some((members) => calleeEndsWith(call.node, members));
}

/** What re-sends each call on failure (calls that nothing retries are absent). */
export function collectRetryExposures(calls: readonly NetworkCall[], scopes: readonly RetryScope[], sourceFile: ts.SourceFile, resolver: Resolver): Map<NetworkCall, RetryExposure> {
  const out = new Map<NetworkCall, RetryExposure>();
  if (calls.length === 0) return out;
  const regions = retriedRegions(scopes, sourceFile, resolver);
  for (const call of calls) {
    const exposure = exposureOf(call, regions, scopes, resolver);
    if (exposure) out.set(call, exposure);
  }
  return out;
}

/**
 * A POST that carries a GraphQL operation (`{ query, variables }`, in a body, `JSON.stringify(…)` or
 * axios `data`) is a read unless the operation is a mutation. Only a mutation whose text the code fixes
 * (a literal or a const) is reported: GraphQL APIs are POST for queries too (measured: 27 of 29 false
 * positives on held-out code were subgraph queries).
 */
function isGraphqlRead(call: NetworkCall, resolver: Resolver): boolean {
  let operation: ts.Expression | undefined;
  let graphql = false;
  const visit = (n: ts.Node): void => {
    if (ts.isObjectLiteralExpression(n)) {
      const query = n.properties.find((p) => p.name && propertyName(p.name) === 'query');
      if (query) {
        graphql = true;
        operation = ts.isPropertyAssignment(query) ? query.initializer : ts.isShorthandPropertyAssignment(query) ? query.name : undefined;
      }
    }
    if (!graphql) ts.forEachChild(n, visit);
  };
  for (const arg of call.node.arguments) visit(arg);
  if (!graphql) return false;
  const text = operation && operationText(operation, resolver);
  return !(text !== undefined && /^\s*mutation\b/.test(text));
}

function operationText(expression: ts.Expression, resolver: Resolver): string | undefined {
  const node = skipOuterExpressions(expression);
  if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isStringLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text;
  if (ts.isTaggedTemplateExpression(node)) return ts.isNoSubstitutionTemplateLiteral(node.template) ? node.template.text : node.template.head.text; // gql`…`
  if (ts.isIdentifier(node)) {
    const init = constInitializer(node, resolver);
    return init ? operationText(init, resolver) : undefined;
  }
  return undefined;
}

// ------------------------------------------------------------------ what re-sends the request

interface Region {
  readonly scope: RetryScope;
  readonly node: ts.Node;
  readonly statement: ts.Statement | undefined;
}

/** Every region of code that runs again on failure; policy-style retries run in `policy.execute(fn)`. */
function retriedRegions(scopes: readonly RetryScope[], sourceFile: ts.SourceFile, resolver: Resolver): Region[] {
  const regions: Region[] = scopes.flatMap((scope) => scope.regions.map((node) => ({ scope, node, statement: scope.statement })));
  const policies = scopes.filter((s) => s.library && 'runsVia' in s.library.spec && s.library.spec.runsVia);
  if (policies.length === 0) return regions;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const fn = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
      if (ts.isPropertyAccessExpression(callee) && fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
        for (const scope of policies) {
          const spec = scope.library!.spec as RetryCallEntry;
          // The work starts at `policy.execute(fn)`, not where the policy was built.
          if (callee.name.text === spec.runsVia && buildsFrom(callee.expression, scope.library!.call, resolver, 0)) regions.push({ scope, node: fn, statement: enclosingStatement(node) });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return regions;
}

/** Is `expression` the policy made by `call`: directly, through a const, or inside `wrap(...)`? */
function buildsFrom(expression: ts.Expression, call: ts.CallExpression | ts.NewExpression, resolver: Resolver, depth: number): boolean {
  if (depth > 8) return false;
  const node = skipOuterExpressions(expression);
  if (node === call) return true;
  if (ts.isIdentifier(node)) {
    const init = constInitializer(node, resolver);
    return !!init && buildsFrom(init, call, resolver, depth + 1);
  }
  if (ts.isCallExpression(node)) {
    const origin = resolver.resolve(node.expression);
    const isCombinator = origin.kind === 'module' && policyCombinators.some((c) => c.module === origin.module && origin.path.at(-1) === c.name);
    return isCombinator && node.arguments.some((a) => buildsFrom(a, call, resolver, depth + 1));
  }
  return false;
}

function within(node: ts.Node, region: ts.Node): boolean {
  return node.getStart() >= region.getStart() && node.end <= region.end;
}

function exposureOf(call: NetworkCall, regions: readonly Region[], scopes: readonly RetryScope[], resolver: Resolver): RetryExposure | undefined {
  // The innermost retried region around the call.
  const around = regions.filter((r) => within(call.node, r.node)).sort((a, b) => a.node.end - a.node.getStart() - (b.node.end - b.node.getStart()))[0];
  if (around) {
    const line = around.scope.node.getSourceFile().getLineAndCharacterOfPosition(around.scope.start).line + 1;
    const by = around.scope.kind === 'loop' ? 'the retry loop' : around.scope.subject.replace(/,$/, '');
    // A helper's subject already says where its retry is.
    const where = around.scope.kind === 'helper' || around.scope.processor ? '' : ` (line ${line})`;
    return { kind: 'scope', scope: around.scope, region: around.node, statement: around.statement, detail: `is retried by ${by}${where}` };
  }
  return configuredRetry(call, scopes, resolver);
}

/** Modules of the retry libraries that configure a client (axios-retry): a cheap gate on other files' text. */
const CONFIGURING_MODULES: readonly string[] = retryLibraries.filter((l) => l.calls.some((c) => c.configures)).map((l) => l.module);

/** The exposure a library scope that configures a client (axios-retry) gives `call`, if it targets its client. */
function configuredBy(scope: RetryScope, call: NetworkCall, scopeResolver: Resolver, callResolver: Resolver): RetryExposure | undefined {
  const spec = scope.library?.spec;
  if (!spec || !('configures' in spec) || !spec.configures) return undefined;
  const target = scope.library!.call.arguments?.[spec.configures.argument];
  if (!target || !sameClient(scopeResolver.resolve(target), call)) return undefined;
  const config = scope.library!.configObject;
  const condition = config?.properties.find((p) => p.name && propertyName(p.name) === spec.configures!.condition.key);
  if (condition && ts.isPropertyAssignment(condition)) {
    const value = skipOuterExpressions(condition.initializer);
    const name = getStaticMemberName(value) ?? (ts.isIdentifier(value) ? value.text : undefined);
    if (name && spec.configures.condition.idempotentOnly.includes(name)) return undefined;
  }
  const why = condition ? 'with a custom `retryCondition`' : 'whose default condition retries POST on network errors';
  const where = callResolver.index ? callResolver.index.where(scope.library!.call, call.node.getSourceFile()) : `line ${lineOf(scope.library!.call)}`;
  // Evidence must be in the call's own file (findings carry offsets into it).
  const evidence = scope.library!.call.getSourceFile() === call.node.getSourceFile() ? scope.library!.call : call.node;
  return { kind: 'client', detail: `is retried by ${scope.library!.displayName} (${where}), ${why}`, evidence };
}

/** A client configured to retry this request: axios-retry on its instance, got/ky retry.methods, superagent .retry(). */
function configuredRetry(call: NetworkCall, scopes: readonly RetryScope[], resolver: Resolver): RetryExposure | undefined {
  // axios-retry(instance, { retryCondition }) re-sends the instance's requests: here, or in a module
  // linked to this one by imports (a loader that configures the shared axios or instance at start-up).
  for (const scope of scopes) {
    const exposure = configuredBy(scope, call, resolver, resolver);
    if (exposure) return exposure;
  }
  const index = resolver.index;
  const here = call.node.getSourceFile();
  if (index && resolver.typeAware) {
    for (const file of index.filesMentioning(CONFIGURING_MODULES)) {
      if (file === here || !index.linked(file, here)) continue;
      const other = index.resolverFor(file);
      for (const scope of collectRetryScopes(file, other)) {
        const exposure = configuredBy(scope, call, other, resolver);
        if (exposure) return exposure;
      }
    }
  }
  // got/ky: retry.methods that include the method, on the call or on the instance it comes from.
  const methodsKey = call.client.retry?.keys.methods;
  if (methodsKey && call.client.retry?.option) {
    // Innermost first: the request's own options, then its instance's (got: a request's `methods`
    // replaces the instance's; ky: they concatenate). `limit: 0` retries nothing.
    const sources = [call.options?.node, ...(call.origin.kind === 'instance' ? call.origin.levels.map((l) => l.options) : [])];
    for (const source of sources) {
      const methods = source && retryMethods(source, call.client.retry.option, methodsKey, resolver);
      if (!methods) continue;
      if (methods.limitZero) return undefined;
      if (call.method !== undefined && methods.values.includes(call.method.toLowerCase())) {
        return { kind: 'client', detail: `is retried by ${call.client.displayName} (\`${short(methods.node)}\` includes ${call.method})`, evidence: methods.node };
      }
      if (call.client.retry.keys.methodsMerge === 'replace') break;
    }
  }
  // A client that retries every call unless told not to (the Slack WebClient).
  const byDefault = call.client.retry?.byDefault;
  const option = call.client.retry?.option;
  if (byDefault && option && call.origin.kind === 'instance') {
    if (call.origin.external) {
      return {
        kind: 'client', detail: `may be retried by ${byDefault.detail}`, evidence: call.node,
        uncertain: `\`${short(call.origin.external.node)}\` is made elsewhere, so whether its own retries were turned off (\`${option}: { retries: 0 }\`) cannot be seen here`,
      };
    }
    for (const level of call.origin.levels) {
      if (!level.options) continue;
      const literal = resolveObjectLiteral(level.options, resolver);
      if (!literal) return undefined; // options built elsewhere: not judged
      const written = literal.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name) === option);
      if (!written) continue;
      const config = resolveObjectLiteral(written.initializer, resolver);
      const retries = config?.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name) === 'retries');
      if (retries && constantNumber(retries.initializer, resolver) === 0) return undefined;
      const evidence = written.getSourceFile() === call.node.getSourceFile() ? written : call.node;
      return { kind: 'client', detail: `is retried by its \`${option}\` (\`${short(written)}\`)`, evidence };
    }
    return { kind: 'client', detail: `is retried by ${byDefault.detail}`, evidence: call.node };
  }
  // superagent: .retry(n) in the request's chain re-sends any method.
  const chainMethod = call.client.retry?.chainMethod;
  if (chainMethod) {
    for (const link of chain(call.node)) {
      if (link.name !== chainMethod) continue;
      const arg = link.call.arguments[0] && skipOuterExpressions(link.call.arguments[0]);
      if (arg && ts.isNumericLiteral(arg) && Number(arg.text) === 0) continue;
      return { kind: 'client', detail: `is retried by \`.${chainMethod}(${link.call.arguments.map((a) => a.getText()).join(', ')})\`, which re-sends any method`, evidence: link.call };
    }
  }
  return undefined;
}


/** Does a resolved axios-retry target (the default axios, or an instance) send this call? */
function sameClient(target: ReturnType<Resolver['resolve']>, call: NetworkCall): boolean {
  if (target.kind === 'module') return call.origin.kind === 'module' && call.client.modules.includes(target.module);
  if (target.kind === 'instance' && call.origin.kind === 'instance') return target.levels[0] !== undefined && target.levels[0].node === call.origin.levels[0]?.node;
  return false;
}

function retryMethods(options: ts.Expression, option: string, key: string, resolver: Resolver): { values: string[]; node: ts.Node; limitZero: boolean } | undefined {
  const literal = resolveObjectLiteral(options, resolver);
  const retry = literal?.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name) === option);
  if (retry && ts.isNumericLiteral(skipOuterExpressions(retry.initializer)) && Number((skipOuterExpressions(retry.initializer) as ts.NumericLiteral).text) === 0) {
    return { values: [], node: retry, limitZero: true };
  }
  const config = retry && resolveObjectLiteral(retry.initializer, resolver);
  const limit = config?.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name) === 'limit');
  const limitZero = !!limit && ts.isNumericLiteral(skipOuterExpressions(limit.initializer)) && Number((skipOuterExpressions(limit.initializer) as ts.NumericLiteral).text) === 0;
  const methods = config?.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name) === key);
  const list = methods && skipOuterExpressions(methods.initializer);
  if (!methods || !list || !ts.isArrayLiteralExpression(list)) return limitZero && limit ? { values: [], node: limit, limitZero } : undefined;
  return { values: list.elements.filter(ts.isStringLiteralLike).map((e) => e.text.toLowerCase()), node: methods, limitZero };
}

function* chain(call: ts.CallExpression): Generator<{ name: string; call: ts.CallExpression }> {
  let node: ts.Expression = call;
  while (node.parent && ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node && ts.isCallExpression(node.parent.parent) && node.parent.parent.expression === node.parent) {
    yield { name: node.parent.name.text, call: node.parent.parent };
    node = node.parent.parent;
  }
}

// ------------------------------------------------------------------ the key

function keyOf(call: NetworkCall, exposure: RetryExposure, resolver: Resolver): KeyFact {
  const spec = call.client.idempotency!;
  let value: ts.Expression | undefined;
  let unknown: ts.Node | undefined;
  if (spec.sdkOption && call.options) {
    const options = call.node.arguments[call.options.index];
    if (options) {
      const literal = resolveObjectLiteral(options, resolver);
      if (!literal) unknown = options;
      const prop = literal?.properties.find((p) => p.name && propertyName(p.name) === spec.sdkOption!.key);
      if (prop) value = ts.isPropertyAssignment(prop) ? prop.initializer : ts.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
    }
  }
  const paramKey = spec.paramKeys?.find((k) => calleeEndsWith(call.node, k.members));
  if (paramKey && !value) {
    const params = call.node.arguments[paramKey.argument];
    const literal = params && resolveObjectLiteral(params, resolver);
    const prop = literal?.properties.find((p) => p.name && propertyName(p.name) === paramKey.key);
    if (prop) value = ts.isPropertyAssignment(prop) ? prop.initializer : ts.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
    else if (params && (!literal || literal.properties.some(ts.isSpreadAssignment))) {
      return { state: 'unknown', detail: `its parameters come from \`${short(params)}\`, which may or may not set \`${paramKey.key}\` (the API's own deduplication key)`, node: params };
    }
  }
  if (spec.headersOption && call.options?.node && !value) {
    const options = resolveObjectLiteral(call.options.node, resolver);
    if (!options) unknown = call.options.node;
    const headers = options?.properties.find((p) => p.name && propertyName(p.name) === spec.headersOption);
    // `{ ...init, method: 'POST' }`: the spread may bring headers with a key.
    const spread = options?.properties.find((p) => ts.isSpreadAssignment(p) && !resolveObjectLiteral(p.expression, resolver));
    if (!headers && spread) unknown = spread;
    if (headers) {
      const headerValue = ts.isPropertyAssignment(headers) ? headers.initializer : ts.isShorthandPropertyAssignment(headers) ? headers.name : undefined;
      const object = headerValue && resolveObjectLiteral(headerValue, resolver);
      if (!object) unknown = headers;
      else if (object.properties.some(ts.isSpreadAssignment) && !findKeyProperty(object)) unknown = headers;
      const prop = object && findKeyProperty(object);
      if (prop) value = ts.isPropertyAssignment(prop) ? prop.initializer : ts.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
    }
  }
  if (spec.headerSetter && !value) {
    for (const link of chain(call.node)) {
      if (link.name !== spec.headerSetter) continue;
      const [name, v] = link.call.arguments;
      if (name && ts.isStringLiteralLike(skipOuterExpressions(name)) && KEY_HEADER.test((skipOuterExpressions(name) as ts.StringLiteral).text) && v) value = v;
      const object = name && !v ? resolveObjectLiteral(name, resolver) : undefined;
      const prop = object && findKeyProperty(object);
      if (prop && ts.isPropertyAssignment(prop)) value = prop.initializer;
      if (name && !v && !object) unknown = link.call; // `.set(headers)` built elsewhere
    }
  }
  if (value) return perAttempt(value, exposure, resolver);
  if (unknown) return { state: 'unknown', detail: `its headers come from \`${short(unknown)}\`, which may or may not carry a key`, node: unknown };
  return { state: 'absent', detail: 'with no idempotency key' };
}

/** `stripe.billing.meterEvents.create(…)` ends with `meterEvents.create`. */
function calleeEndsWith(call: ts.CallExpression, members: readonly string[]): boolean {
  let node: ts.Expression = skipOuterExpressions(call.expression);
  for (let i = members.length - 1; i >= 0; i--) {
    if (!ts.isPropertyAccessExpression(node) || node.name.text !== members[i]) return false;
    node = skipOuterExpressions(node.expression);
  }
  return true;
}

function varies(value: ts.Expression, exposure: Extract<RetryExposure, { kind: 'scope' }>, resolver: Resolver): boolean {
  const ids: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) ids.push(n);
    ts.forEachChild(n, visit);
  };
  visit(value);
  for (const id of ids) {
    const symbol = resolver.getSymbol(id);
    const decl = symbol?.valueDeclaration;
    if (!symbol || !decl) continue;
    if ((ts.isVariableDeclaration(decl) || ts.isParameter(decl)) && isReassigned(symbol, id.getSourceFile(), resolver)) return true;
    if (ts.isParameter(decl) && decl.initializer && isFresh(decl.initializer) && exposure.scope.kind === 'recursion') {
      const call = exposure.scope.node as ts.CallExpression;
      const index = decl.parent.parameters.indexOf(decl);
      if (call.arguments.length <= index) return true;
    }
  }
  return false;
}

const FRESH = /\b(randomUUID|uuid|v4|v7|nanoid|ulid|cuid|createId|idempotencyKey|newIdempotencyKey|random|randomBytes|randomInt|getRandomValues|now|hrtime)\s*\(|new Date\(/;

function isFresh(node: ts.Node): boolean {
  return FRESH.test(node.getText());
}

function findKeyProperty(object: ts.ObjectLiteralExpression): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find((p) => p.name && KEY_HEADER.test(propertyName(p.name) ?? ''));
}

/** A key made inside the retried code is a new key every attempt. */
function perAttempt(value: ts.Expression, exposure: RetryExposure, resolver: Resolver): KeyFact {
  if (exposure.kind !== 'scope') return { state: 'present', detail: 'with an idempotency key', node: value };
  const bare = skipOuterExpressions(value);
  // A value that changes between attempts: built from a variable the code reassigns (the loop counter,
  // a key replaced in the catch), or a fresh default parameter the recursive call leaves out.
  if (varies(bare, exposure, resolver)) {
    return { state: 'per-attempt', detail: `its idempotency key \`${short(value)}\` changes between attempts`, node: value };
  }
  let made: ts.Node = bare;
  if (ts.isIdentifier(bare)) {
    const symbol = resolver.getSymbol(bare);
    const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (!decl || decl.getSourceFile().isDeclarationFile || ts.isParameter(decl) && !within(decl, exposure.region)) return { state: 'present', detail: 'with an idempotency key', node: value };
    made = decl;
  } else if (ts.isStringLiteralLike(bare) || ts.isNoSubstitutionTemplateLiteral(bare)) {
    return { state: 'present', detail: 'with an idempotency key', node: value };
  }
  // Made inside the retried code from the request alone (a template of ids, a hash of the body), the
  // key is the same on every attempt; only a fresh value (a UUID, a random number, the clock) is not.
  const source = ts.isVariableDeclaration(made) ? made.initializer : made;
  if (within(made, exposure.region) && source && isFresh(source)) {
    return { state: 'per-attempt', detail: `its idempotency key \`${short(value)}\` is made inside the retried code, so every attempt sends a new one`, node: value };
  }
  return { state: 'present', detail: 'with an idempotency key', node: value };
}
