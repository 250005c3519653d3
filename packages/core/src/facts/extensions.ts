/**
 * The user's catalogue additions (resilience.config `catalogue`, ESLint `settings.resilience`):
 * their HTTP wrappers, timeout and dependency guards, and retry helpers, named by specifier.
 */
import ts from 'typescript';
import type { GuardSpec, HttpWrapperSpec, RetryHelperSpec, Specifier } from '../catalogue/extensions.ts';
import type { ClientEntry } from '../catalogue/types.ts';
import { isModuleExport, registerCataloguedModule, skipOuterExpressions, type Origin, type Resolver } from './resolve.ts';

/** The name a call uses for what a specifier names (`default` exports are called by any local name). */
function specifierName(spec: Specifier): string {
  return spec.name;
}

/** Does `callee` denote the export `spec` names? */
export function matchesSpecifier(callee: ts.Expression, spec: Specifier, resolver: Resolver): boolean {
  const node = skipOuterExpressions(callee);
  if (spec.from === 'package') {
    registerCataloguedModule(spec.package);
    return isModuleExport(resolver.resolve(node), spec.package, spec.name);
  }
  const target = ts.isPropertyAccessExpression(node) ? node.name : node;
  let symbol = resolver.checker.getSymbolAtLocation(target);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = resolver.checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!decl) return false;
  const file = decl.getSourceFile().fileName.split('\\').join('/');
  if (file !== spec.path) return false;
  return symbol!.name === specifierName(spec) || (spec.name === 'default' && symbol!.name === 'default');
}

/** A call that runs its callback argument under a user guard: the guard's entry, if `argument` is that callback. */
export function userGuardFor(specs: readonly GuardSpec[] | undefined, call: ts.CallExpression, argumentIndex: number, resolver: Resolver): GuardSpec | undefined {
  if (!specs?.length) return undefined;
  return specs.find((g) => (g.callback ?? 0) === argumentIndex && matchesSpecifier(call.expression, g.specifier, resolver));
}

export function userRetryHelperFor(specs: readonly RetryHelperSpec[] | undefined, call: ts.CallExpression, resolver: Resolver): RetryHelperSpec | undefined {
  if (!specs?.length) return undefined;
  return specs.find((h) => call.arguments[h.callback ?? 0] !== undefined && matchesSpecifier(call.expression, h.specifier, resolver));
}

const wrapperClients = new WeakMap<HttpWrapperSpec, ClientEntry>();

/** A user HTTP wrapper as a client entry, so every rule and fix treats its calls like any client's. */
export function wrapperClient(spec: HttpWrapperSpec): ClientEntry {
  let client = wrapperClients.get(spec);
  if (client) return client;
  const name = spec.specifier.name;
  const method = typeof spec.method === 'string' ? spec.method.toUpperCase() : undefined;
  client = {
    id: `wrapper:${name}`,
    displayName: name,
    modules: [],
    calls: [{ path: [], on: 'module', args: { url: spec.url ?? 0 }, returns: 'promise', ...(method ? { method } : {}) }],
    timeout: {
      default: spec.timeout === 'bounded'
        ? { kind: 'finite', ms: 0, note: `\`${name}\` sets a deadline of its own (resilience.config)` }
        : { kind: 'none', note: `\`${name}\` sends a request with no deadline (declared in resilience.config)` },
      options: [],
      advice: 'wrap the call in `withTimeout` from @resilience-kit/policies, or give `' + name + '` a deadline',
    },
  };
  wrapperClients.set(spec, client);
  return client;
}

/** The user wrapper a call goes through, with a synthetic origin for it. */
export function userWrapperFor(specs: readonly HttpWrapperSpec[] | undefined, call: ts.CallExpression, resolver: Resolver): { spec: HttpWrapperSpec; origin: Origin } | undefined {
  if (!specs?.length) return undefined;
  const callee = skipOuterExpressions(call.expression);
  const written = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (written === undefined) return undefined;
  for (const spec of specs) {
    // Cheap gate: a named export is called by its name (or through a namespace); a default by any name.
    if (spec.specifier.name !== 'default' && spec.specifier.name !== written) continue;
    if (!matchesSpecifier(callee, spec.specifier, resolver)) continue;
    const module = spec.specifier.from === 'package' ? spec.specifier.package : spec.specifier.path;
    return { spec, origin: { kind: 'module', module, path: [spec.specifier.name], node: callee } };
  }
  return undefined;
}

/** The HTTP method a wrapper call sends, from its spec. */
export function wrapperMethod(spec: HttpWrapperSpec, call: ts.CallExpression): string | undefined {
  if (typeof spec.method === 'string') return spec.method.toUpperCase();
  if (!spec.method) return undefined;
  const arg = call.arguments[spec.method.argument];
  if (!arg) return undefined;
  let value: ts.Expression = skipOuterExpressions(arg);
  const property = spec.method.property;
  if (property !== undefined) {
    if (!ts.isObjectLiteralExpression(value)) return undefined;
    const prop = value.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === property);
    if (!prop) return undefined;
    value = skipOuterExpressions(prop.initializer);
  }
  return ts.isStringLiteralLike(value) ? value.text.toUpperCase() : undefined;
}
