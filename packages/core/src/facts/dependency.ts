/**
 * Dependencies: which service each outbound call talks to (an instance's base URL or name, or the
 * origin of a literal URL), where one fix for all of it goes, and the guard and fallback around each call
 * (guards: dependency-guards.ts).
 */
import ts from 'typescript';
import { constInitializer, constantString, importedConst, propertyName, resolveObjectLiteral, type NetworkCall } from './network-calls.ts';
import { fieldWrites, skipOuterExpressions, type Resolver } from './resolve.ts';
import { findDependencyGuard, type DependencyGuard } from './dependency-guards.ts';
import { findFallback, type FallbackFact } from './fallback.ts';

export interface DependencyFact {
  readonly call: NetworkCall;
  /** Stable identity: an origin (`https://pay.example.com`) or `instance:<variable>`. */
  readonly id: string;
  /** For messages: the origin, or "`payments` (axios instance)". */
  readonly display: string;
  /** A name for a breaker of its own: `pay` for pay.example.com, `payments` for an instance. */
  readonly baseName: string;
  readonly guard: DependencyGuard | undefined;
  /**
   * Where a fix for the whole dependency goes: the variable holding the client instance, or the
   * constant its URLs start with; undefined when only the calls name it (then the first call in the
   * module with most calls is its home).
   */
  readonly home: ts.Node | undefined;
  /** Whether the caller handles the failure (or the breaker's rejection) where the call is made. */
  readonly fallback: FallbackFact;
}

const ORIGIN = /^(https?:\/\/[^/?#\s]+)/i;

export function collectDependencies(calls: readonly NetworkCall[], resolver: Resolver): DependencyFact[] {
  const out: DependencyFact[] = [];
  for (const call of calls) {
    const dependency = dependencyOf(call, resolver);
    if (!dependency) continue;
    const guard = findDependencyGuard(call.node, resolver);
    out.push({ call, ...dependency, guard, home: homeOf(call, resolver), fallback: findFallback(call.node, guard, resolver) });
  }
  return out;
}

function dependencyOf(call: NetworkCall, resolver: Resolver): Omit<DependencyFact, 'call' | 'guard' | 'fallback' | 'home'> | undefined {
  if (call.origin.kind === 'instance') {
    // Innermost first: a child instance (`got.extend`) keeps its parent's base URL unless it sets one.
    const level = call.origin.levels[0];
    let written = false;
    for (const l of call.origin.levels) {
      const base = baseUrlOf(l.node, l.options, call, resolver);
      const origin = base && originOf(base, resolver);
      if (origin) return fromOrigin(origin);
      if (base) {
        written = true;
        break;
      }
    }
    // An SDK client with its default base URL: the service it always talks to (every Stripe client is Stripe).
    if (!written && call.client.service) return fromOrigin(call.client.service);
    const variable = level?.variable?.name ?? (level && assignedField(level.node, resolver)?.name.getText());
    if (variable) return { id: `instance:${variable}`, display: `\`${variable}\` (${call.client.displayName} instance)`, baseName: variable };
    return undefined;
  }
  const urlIndex = call.shape.args.url;
  const url = urlIndex === undefined ? undefined : call.node.arguments[urlIndex];
  const origin = url && originOf(url, resolver);
  return origin ? fromOrigin(origin) : undefined;
}

/** The instance's variable (innermost level that has one), or the constant the call's URL starts with. */
function homeOf(call: NetworkCall, resolver: Resolver): ts.Node | undefined {
  if (call.origin.kind === 'instance') {
    for (const level of call.origin.levels) {
      const decl = level.variable?.valueDeclaration ?? assignedField(level.node, resolver);
      if (decl && (ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) && ts.isIdentifier(decl.name)) return decl.name;
    }
    return call.origin.levels[0]?.node;
  }
  const urlIndex = call.shape.args.url;
  const url = urlIndex === undefined ? undefined : call.node.arguments[urlIndex];
  return url && urlConstant(url, resolver, 0);
}

/** `this.stripe = new Stripe(key)` in a constructor: the field's declaration. */
function assignedField(node: ts.Node, resolver: Resolver): ts.PropertyDeclaration | undefined {
  let parent = node.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent))) parent = parent.parent;
  if (!parent || !ts.isBinaryExpression(parent) || parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const left = skipOuterExpressions(parent.left);
  if (!ts.isPropertyAccessExpression(left) || left.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const decl = resolver.getSymbol(left.name)?.valueDeclaration;
  return decl && ts.isPropertyDeclaration(decl) ? decl : undefined;
}

/** The outermost `const` a URL expression starts with (`${PAY_URL}/x`, `PAY_URL + '/x'`, `new URL(path, BASE)`). */
function urlConstant(expression: ts.Expression, resolver: Resolver, depth: number): ts.Identifier | undefined {
  if (depth > 6) return undefined;
  const node = skipOuterExpressions(expression);
  if (ts.isIdentifier(node)) {
    const imported = importedConst(node, resolver);
    if (imported) return ts.isIdentifier(imported.name) ? imported.name : undefined;
    const decl = resolver.getSymbol(node)?.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name) || !constInitializer(node, resolver)) return undefined;
    return decl.name;
  }
  if (ts.isTemplateExpression(node) && !node.head.text && node.templateSpans[0]) return urlConstant(node.templateSpans[0].expression, resolver, depth + 1);
  const field = constantField(node, resolver);
  if (field && ts.isIdentifier(field.name)) return field.name;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return urlConstant(node.left, resolver, depth + 1);
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
    const [path, base] = node.arguments ?? [];
    return (path && urlConstant(path, resolver, depth + 1)) ?? (base ? urlConstant(base, resolver, depth + 1) : undefined);
  }
  return undefined;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/i;
const IP = /^(\d+\.){3}\d+$|^\[/;

function fromOrigin(origin: string): Omit<DependencyFact, 'call' | 'guard' | 'fallback' | 'home'> | undefined {
  const host = origin.replace(/^https?:\/\//i, '').replace(/:\d+$/, '');
  // A server on this machine (a sidecar, a test server) is not an external dependency.
  if (LOOPBACK.test(host)) return undefined;
  if (IP.test(host)) return { id: origin.toLowerCase(), display: origin.toLowerCase(), baseName: 'service' };
  const labels = host.split('.').filter((l) => l && l !== 'www' && l !== 'api');
  const first = labels[0] ?? 'service';
  const baseName = first.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^\d/, '_$&');
  return { id: origin.toLowerCase(), display: origin.toLowerCase(), baseName };
}

function baseUrlOf(node: ts.CallExpression | ts.NewExpression, options: ts.Expression | undefined, call: NetworkCall, resolver: Resolver): ts.Expression | undefined {
  const spec = call.client.baseUrl;
  if (!spec) return undefined;
  if (spec.argument !== undefined) return node.arguments?.[spec.argument];
  const literal = options && resolveObjectLiteral(options, resolver);
  const prop = literal?.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && spec.options!.includes(propertyName(p.name) ?? ''));
  return prop?.initializer;
}

/** `'https://pay.example.com/x'`, `` `https://pay.example.com/${id}` ``, `` `${PAY_URL}/x` `` with a const PAY_URL. */
function originOf(expression: ts.Expression, resolver: Resolver, depth = 0): string | undefined {
  if (depth > 6) return undefined;
  const node = skipOuterExpressions(expression);
  const text = constantString(node, resolver);
  if (text !== undefined) return ORIGIN.exec(text)?.[1];
  if (ts.isTemplateExpression(node)) {
    if (node.head.text) return ORIGIN.exec(node.head.text)?.[1];
    const first = node.templateSpans[0];
    return first ? originOf(first.expression, resolver, depth + 1) : undefined;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return originOf(node.left, resolver, depth + 1);
  // `process.env.PAY_URL ?? 'https://pay.example.com'`: the origin the code defaults to.
  if (ts.isBinaryExpression(node) && isDefaulting(node)) return originOf(node.left, resolver, depth + 1) ?? originOf(node.right, resolver, depth + 1);
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
    const [path, base] = node.arguments ?? [];
    return (path && originOf(path, resolver, depth + 1)) ?? (base ? originOf(base, resolver, depth + 1) : undefined);
  }
  const field = constantField(node, resolver);
  if (field) return originOf(field.initializer!, resolver, depth + 1);
  // A local `const url = process.env.X ?? 'https://…'`.
  if (ts.isIdentifier(node)) {
    const init = constInitializer(node, resolver);
    if (init) return originOf(init, resolver, depth + 1);
  }
  return undefined;
}

function isDefaulting(node: ts.BinaryExpression): boolean {
  return node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken;
}

/** `this.baseUrl` of a field initialised where it is declared and never assigned again (`private readonly baseUrl = 'https://…'`). */
function constantField(node: ts.Expression, resolver: Resolver): ts.PropertyDeclaration | undefined {
  if (!ts.isPropertyAccessExpression(node) || node.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const decl = resolver.getSymbol(node.name)?.valueDeclaration;
  if (!decl || !ts.isPropertyDeclaration(decl) || !decl.initializer || decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) return undefined;
  return fieldWrites(decl).length === 0 ? decl : undefined;
}

export { collectGuardedRegions, findDependencyGuard, type DependencyGuard } from './dependency-guards.ts';
