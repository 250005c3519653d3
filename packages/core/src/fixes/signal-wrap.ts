/**
 * The wrap fix: `<call>` becomes `helper(arg, (signal) => <call with signal threaded into its options>)`.
 * Used for every policy that hands the call an AbortSignal (withTimeout today).
 */
import ts from 'typescript';
import type { NetworkCall } from '../facts/network-calls.ts';
import { resolveObjectLiteral, propertyName } from '../facts/network-calls.ts';
import { isEffectivelyConst, skipOuterExpressions, type Resolver } from '../facts/resolve.ts';
import { findReferences } from '../facts/references.ts';
import type { TextEdit } from '../model.ts';
import { getModuleContext, isOlder } from './module-context.ts';

export type WrapResult = { readonly edit: TextEdit } | { readonly refused: string };

export interface WrapOptions {
  /** Local name of the helper, e.g. `withTimeout`. */
  readonly helper: string;
  /** Source text of the arguments before the callback, e.g. `10_000`. */
  readonly leadingArgs: string;
}

/** The expression to wrap: the call plus the client's own response helpers (`got(url).json()`). */
export function wrapTarget(call: NetworkCall): ts.Expression {
  let node: ts.Expression = call.node;
  const helpers = call.client.responseHelpers ?? [];
  for (;;) {
    const parent = node.parent;
    if (parent && ts.isPropertyAccessExpression(parent) && parent.expression === node && helpers.includes(parent.name.text) &&
        ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
      node = parent.parent;
      continue;
    }
    return node;
  }
}

/**
 * Is the wrapped value used as more than a promise later (`const req = got(url); req.on('progress', …)`)?
 * Wrapping makes it a plain Promise, so those uses would break.
 */
export function usedAsMoreThanPromise(target: ts.Expression, resolver: Resolver): boolean {
  let node: ts.Node = target;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const decl = node.parent;
  if (!decl || !ts.isVariableDeclaration(decl) || decl.initializer !== node || !ts.isIdentifier(decl.name)) return false;
  const symbol = resolver.checker.getSymbolAtLocation(decl.name);
  return findReferences(symbol, target.getSourceFile(), resolver).some((ref) =>
    ts.isPropertyAccessExpression(ref.parent) && ref.parent.expression === ref && !['then', 'catch', 'finally'].includes(ref.parent.name.text));
}

export function planSignalWrap(call: NetworkCall, resolver: Resolver, options: WrapOptions): WrapResult {
  const signalOption = call.client.timeout.signalOption;
  if (call.shape.returns !== 'promise' || !signalOption) {
    return { refused: `${call.client.displayName} calls do not return a promise that can be wrapped; ${call.client.timeout.advice}` };
  }
  if (!call.options) return { refused: 'the call has no options argument to carry a signal' };
  if (call.shape.args.optionsIfObject && !call.options.node) {
    return { refused: `this form of the call takes no options; ${call.client.timeout.advice}` };
  }
  const pkg = call.client.modules[0];
  const since = call.client.timeout.signalSince;
  const version = pkg && since ? getModuleContext(call.node.getSourceFile()).versionOf?.(pkg) : undefined;
  if (since && version && isOlder(version, since)) {
    return { refused: `${pkg} ${version} has no \`${signalOption}\` option (it came in ${since}); ${call.client.timeout.advice}` };
  }
  const spread = call.node.arguments.findIndex(ts.isSpreadElement);
  if (spread >= 0 && spread <= call.options.index) {
    return { refused: 'its arguments are spread, so where its options sit cannot be proven (a signal added after them may be ignored); pass the signal by hand' };
  }
  const target = wrapTarget(call);
  if (containsOwn(target, ts.SyntaxKind.YieldExpression)) return { refused: 'the call contains `yield`, which cannot move into a callback' };
  // `fetch(url, { body: await token() })`: inside the callback, that work would count against the deadline.
  if (containsOwn(target, ts.SyntaxKind.AwaitExpression)) return { refused: 'its arguments `await`, and that work would then count against the deadline; compute them before the call' };
  const mutable = reassignedVariable(target, resolver);
  if (mutable) return { refused: `it reads \`${mutable}\`, a variable assigned elsewhere, whose narrowing TypeScript drops inside a callback; bound it by hand` };
  const request = call.shape.acceptsRequest ? requestInput(call, resolver) : undefined;
  if (request?.kind === 'refused') return request.refused;
  if (usedAsMoreThanPromise(target, resolver)) return { refused: 'its result is used as more than a promise later, and wrapping would make it one' };
  const param = freshName(target, 'signal');
  const sourceFile = target.getSourceFile();
  const text = sourceFile.text;
  const inner: TextEdit[] = [];
  let compose = '';
  // A Request's own signal (the caller's cancellation) is kept: both abort the call.
  const signalValue = request?.kind === 'request' ? `AbortSignal.any([${request.text}.${signalOption}, ${param}])` : param;
  const prop = signalValue === signalOption ? signalOption : `${signalOption}: ${signalValue}`;
  const optionsNode = call.options.node;
  if (!optionsNode) {
    const args = call.node.arguments;
    if (args.length === 0 && call.options.index === 0 && call.shape.args.url === undefined) {
      inner.push({ start: call.node.end - 1, end: call.node.end - 1, text: `{ ${prop} }` });
    } else if (args.length === 0) {
      return { refused: 'the call has no arguments' };
    } else {
      const padding = Array.from({ length: Math.max(0, call.options.index - args.length) }, () => 'undefined, ').join('');
      const last = args[args.length - 1]!;
      inner.push({ start: last.end, end: last.end, text: `, ${padding}{ ${prop} }` });
    }
  } else {
    const bare = skipOuterExpressions(optionsNode);
    if (ts.isObjectLiteralExpression(bare)) {
      if (bare.properties.some(ts.isSpreadAssignment)) return { refused: 'its options spread another object, which may already carry a signal' };
      const existing = bare.properties.find((p) => p.name && propertyName(p.name) === signalOption);
      if (existing) {
        if (!ts.isPropertyAssignment(existing) && !ts.isShorthandPropertyAssignment(existing)) return { refused: 'its signal option is not a plain property' };
        const value = ts.isPropertyAssignment(existing) ? skipOuterExpressions(existing.initializer) : existing.name;
        if (!isSimpleReference(value)) return { refused: 'its signal is computed in place; compose it with the deadline by hand' };
        compose = `, { ${signalOption}: ${value.getText(sourceFile)} }`;
        inner.push({ start: existing.getStart(sourceFile), end: existing.end, text: prop });
      } else {
        inner.push(...insertProperty(bare, prop, text));
      }
    } else if (ts.isIdentifier(bare)) {
      const literal = resolveObjectLiteral(bare, resolver);
      if (!literal) return { refused: `its options come from \`${bare.text}\`, which may already carry a signal` };
      if (literal.properties.some((p) => ts.isSpreadAssignment(p) || (p.name && propertyName(p.name) === signalOption))) {
        return { refused: `\`${bare.text}\` may already carry a signal; compose it with the deadline by hand` };
      }
      inner.push({ start: bare.getStart(sourceFile), end: bare.end, text: `{ ...${bare.text}, ${prop} }` });
    } else {
      return { refused: 'its options are computed in place' };
    }
  }
  const start = target.getStart(sourceFile);
  const body = applyRelative(text.slice(start, target.end), start, inner);
  return {
    edit: { start, end: target.end, text: `${options.helper}(${options.leadingArgs}, (${param}) => ${body}${compose})` },
  };
}

type RequestInput = { readonly kind: 'request'; readonly text: string } | { readonly kind: 'refused'; readonly refused: { readonly refused: string } };

/**
 * Is the URL argument a Fetch `Request`? Its signal (the caller's cancellation) would be replaced by
 * the one in the options, so the fix composes them with `AbortSignal.any` when the Request is a
 * plain reference, and refuses when it is made in place or only may be a Request (`RequestInfo`).
 * Undefined: a URL or a string, as far as the code shows.
 */
function requestInput(call: NetworkCall, resolver: Resolver): RequestInput | undefined {
  const index = call.shape.args.url;
  const arg = index === undefined ? undefined : call.node.arguments[index];
  if (!arg) return undefined;
  const bare = skipOuterExpressions(arg);
  const verdict = requestVerdict(bare, resolver);
  if (verdict === 'no') return undefined;
  if (verdict === 'maybe') return { kind: 'refused', refused: { refused: 'its input may be a `Request`, whose own signal a new one would replace; compose them with `AbortSignal.any` by hand' } };
  if (!isSimpleReference(bare)) return { kind: 'refused', refused: { refused: 'its `Request` is made in place, and its own signal would be replaced; make it a variable and compose the signals with `AbortSignal.any`' } };
  return { kind: 'request', text: bare.getText() };
}

const REQUEST_TYPES = new Set(['Request']);
const MAYBE_REQUEST_TYPES = new Set(['RequestInfo', 'Input', 'RequestInfo | URL']);

function requestVerdict(node: ts.Expression, resolver: Resolver): 'request' | 'maybe' | 'no' {
  if (ts.isNewExpression(node)) return ts.isIdentifier(node.expression) && REQUEST_TYPES.has(node.expression.text) ? 'request' : 'no';
  if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return 'no';
  // The declared type, syntactically first (`req: Request`, `const r = new Request(…)`), then the checker's.
  const symbol = resolver.checker.getSymbolAtLocation(node);
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (decl && (ts.isParameter(decl) || ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertySignature(decl))) {
    if (decl.type) return typeNodeVerdict(decl.type);
    if (ts.isVariableDeclaration(decl) && decl.initializer) {
      const init = skipOuterExpressions(decl.initializer);
      if (ts.isNewExpression(init)) return requestVerdict(init, resolver);
    }
  }
  if (!resolver.typeAware) return 'no';
  return typeVerdict(resolver.checker.getTypeAtLocation(node));
}

function typeNodeVerdict(type: ts.TypeNode): 'request' | 'maybe' | 'no' {
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText();
    if (REQUEST_TYPES.has(name)) return 'request';
    return MAYBE_REQUEST_TYPES.has(name) ? 'maybe' : 'no';
  }
  if (ts.isUnionTypeNode(type)) return type.types.some((t) => typeNodeVerdict(t) !== 'no') ? 'maybe' : 'no';
  return 'no';
}

function typeVerdict(type: ts.Type): 'request' | 'maybe' | 'no' {
  const isRequest = (t: ts.Type): boolean => REQUEST_TYPES.has(t.getSymbol()?.getName() ?? '') && t.getProperty('signal') !== undefined;
  if (type.isUnion()) return type.types.some(isRequest) ? 'maybe' : 'no';
  return isRequest(type) ? 'request' : 'no';
}

function applyRelative(text: string, offset: number, edits: readonly TextEdit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start - offset) + edit.text + out.slice(edit.end - offset);
  }
  return out;
}

/** Add `prop` as the last property, keeping one-line or multi-line layout and trailing-comma style. */
export function insertProperty(object: ts.ObjectLiteralExpression, prop: string, text: string): TextEdit[] {
  const props = object.properties;
  const last = props.at(-1);
  const open = object.getStart();
  if (!last) return [{ start: open + 1, end: object.end - 1, text: ` ${prop} ` }];
  const trailingComma = props.hasTrailingComma;
  const multiline = text.slice(open, object.end).includes('\n') && text.slice(open, last.getStart()).includes('\n');
  if (!multiline) {
    if (trailingComma) {
      const comma = text.indexOf(',', last.end);
      return [{ start: comma + 1, end: comma + 1, text: ` ${prop},` }];
    }
    return [{ start: last.end, end: last.end, text: `, ${prop}` }];
  }
  const lineStart = text.lastIndexOf('\n', last.getStart()) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  const afterLast = trailingComma ? text.indexOf(',', last.end) + 1 : last.end;
  // Keep a same-line comment after the last property with that property.
  const restOfLine = text.slice(afterLast, text.indexOf('\n', afterLast) === -1 ? text.length : text.indexOf('\n', afterLast));
  const lineEnd = /^\s*(\/\/.*|\/\*.*?\*\/\s*)?$/.test(restOfLine) && !restOfLine.includes('}') ? afterLast + restOfLine.length : afterLast;
  if (trailingComma) return [{ start: lineEnd, end: lineEnd, text: `\n${indent}${prop},` }];
  // One edit when both land at the same offset: two inserts there would be applied in either order.
  if (lineEnd === last.end) return [{ start: last.end, end: last.end, text: `,\n${indent}${prop}` }];
  return [
    { start: last.end, end: last.end, text: ',' },
    { start: lineEnd, end: lineEnd, text: `\n${indent}${prop}` },
  ];
}

/** A `let`/`var` the target reads that is written after its declaration (a lazy singleton, a narrowed optional). */
function reassignedVariable(target: ts.Node, resolver: Resolver): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node)) {
      visit(node.expression);
      return;
    }
    if (ts.isIdentifier(node)) {
      const decl = resolver.getSymbol(node)?.valueDeclaration;
      if (decl && ts.isVariableDeclaration(decl) && !isEffectivelyConst(decl, resolver)) found = node.text;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(target);
  return found;
}

function isSimpleReference(node: ts.Expression): boolean {
  if (ts.isIdentifier(node)) return true;
  if (ts.isPropertyAccessExpression(node)) return isSimpleReference(node.expression) || node.expression.kind === ts.SyntaxKind.ThisKeyword;
  return false;
}

/** Does `node` contain `kind` outside nested functions? */
export function containsOwn(node: ts.Node, kind: ts.SyntaxKind): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n.kind === kind) {
      found = true;
      return;
    }
    if (ts.isFunctionLike(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** `base`, or `timeoutSignal`, `timeoutSignal2`… if the name is used inside the wrapped code. */
function freshName(node: ts.Node, base: string): string {
  const used = new Set<string>();
  const visit = (n: ts.Node): void => {
    // Property names (`{ signal: x }`, `a.signal`) are not bindings; shorthand `{ signal }` is.
    const isName = n.parent && ((ts.isPropertyAssignment(n.parent) && n.parent.name === n) || (ts.isPropertyAccessExpression(n.parent) && n.parent.name === n));
    if (ts.isIdentifier(n) && !isName) used.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  if (!used.has(base)) return base;
  const alt = `timeout${base[0]!.toUpperCase()}${base.slice(1)}`;
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? alt : `${alt}${i}`;
    if (!used.has(candidate)) return candidate;
  }
}
