/**
 * DatastoreClient: every construction of a catalogued datastore or broker client (`new Pool(…)`,
 * `new Redis(…)`, `mongoose.connect(…)`), with whether its options bound a query or command. Judged
 * where the client is made: one finding per construction, not one per query.
 */
import ts from 'typescript';
import { datastores, type DatastoreConstruction, type DatastoreEntry } from '../catalogue/datastores.ts';
import { pathMatches } from '../catalogue/index.ts';
import { propertyName, resolveObjectLiteral } from './network-calls.ts';
import { normalizedPath, registerCataloguedModule, skipOuterExpressions, type Resolver } from './resolve.ts';
import { short, shortText } from './text.ts';
import { delayFromWaits, type DelayFact, type RetryScope } from './retry.ts';

for (const entry of datastores) for (const module of entry.modules) registerCataloguedModule(module);

export interface DatastoreClient {
  readonly node: ts.NewExpression | ts.CallExpression;
  readonly entry: DatastoreEntry;
  readonly construction: DatastoreConstruction;
  /** `new Pool`, `mongoose.connect`: how the user wrote it, shortened. */
  readonly calleeText: string;
  readonly state: 'present' | 'absent' | 'unknown';
  readonly cause: 'option' | 'url' | 'none' | 'connect-only' | 'disabled' | 'dynamic';
  /** Completes "`new Pool(…)` …" in a message. */
  readonly detail: string;
  readonly evidence?: ts.Node | undefined;
  /** The options argument: its index, and the object literal when it is one in place. */
  readonly options: { readonly index: number; readonly literal: ts.ObjectLiteralExpression | undefined; readonly present: boolean };
}

/** Last member names of every construction: a cheap gate before resolving a callee. */
const NAMES = new Set(datastores.flatMap((e) => e.constructions.map((c) => c.path.at(-1)).filter((n): n is string => n !== undefined)));

/** Module specifiers as they appear in an import or require (`'pg'`, `"ioredis"`). */
const MODULE_TEXTS = datastores.flatMap((e) => e.modules.flatMap((m) => [`'${m}'`, `"${m}"`]));

export function collectDatastoreClients(sourceFile: ts.SourceFile, resolver: Resolver): DatastoreClient[] {
  return constructionsIn(sourceFile, resolver).flatMap((c) => {
    const client = judge(c.node, c.entry, c.construction, c.calleeText, resolver);
    return client ? [client] : [];
  });
}

interface Construction {
  readonly node: ts.NewExpression | ts.CallExpression;
  readonly entry: DatastoreEntry;
  readonly construction: DatastoreConstruction;
  readonly calleeText: string;
}

/** Every construction of a catalogued datastore client in the file (`new Pool(…)`, `mongoose.connect(…)`). */
function constructionsIn(sourceFile: ts.SourceFile, resolver: Resolver): Construction[] {
  // Cheapest gate: a file that names no datastore module makes no datastore client (with a program, an
  // imported factory of ours is followed from the file that does).
  if (!MODULE_TEXTS.some((m) => sourceFile.text.includes(m))) return [];
  const out: Construction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
      const found = constructionOf(node, resolver);
      if (found) out.push(found);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return out;
}

function constructionOf(node: ts.NewExpression | ts.CallExpression, resolver: Resolver): Construction | undefined {
  const callee = skipOuterExpressions(node.expression);
  if (ts.isPropertyAccessExpression(callee) ? !NAMES.has(callee.name.text) : !ts.isIdentifier(callee)) return undefined;
  const origin = resolver.resolve(callee);
  if (origin.kind !== 'module') return undefined;
  const kind = ts.isNewExpression(node) ? 'new' : 'call';
  const path = normalizedPath(origin);
  for (const entry of datastores) {
    if (!entry.modules.includes(origin.module)) continue;
    const construction = entry.constructions.find((c) => c.kind === kind && pathMatches(c.path, path));
    if (construction) return { node, entry, construction, calleeText: shortText(`${kind === 'new' ? 'new ' : ''}${callee.getText()}`, 40) };
  }
  return undefined;
}

function judge(node: ts.NewExpression | ts.CallExpression, entry: DatastoreEntry, construction: DatastoreConstruction, calleeText: string, resolver: Resolver): DatastoreClient | undefined {
  const args = node.arguments ?? ts.factory.createNodeArray();
  let index: number;
  if (construction.options === 'object') {
    // ioredis: `(port, host, options)`, `(url, options)`, `(options)`: the first argument that is not a port, host or URL.
    const at = args.findIndex((a) => !isStringOrNumber(a));
    index = at < 0 ? args.length : at;
  } else {
    index = construction.options;
  }
  const arg = args[index];
  const literal = arg ? resolveObjectLiteral(arg, resolver) : undefined;
  const base = { node, entry, construction, calleeText, options: { index, literal: literal && skipOuterExpressions(arg!) === literal ? literal : undefined, present: !!arg } };

  const fromUrl = construction.url !== undefined ? urlDeadline(args[construction.url], entry) : undefined;
  if (fromUrl) return { ...base, state: 'present', cause: 'url', detail: `sets \`${fromUrl.param}\` in its connection string`, evidence: fromUrl.node };
  if (arg && !literal) {
    if (isStringOrNumber(arg)) return { ...base, state: 'absent', cause: 'none', detail: entry.note };
    return { ...base, state: 'unknown', cause: 'dynamic', detail: `takes its options from \`${short(arg)}\`, which is not a local constant`, evidence: arg };
  }
  if (!literal) return { ...base, state: 'absent', cause: 'none', detail: entry.note };

  let connectOnly: ts.Node | undefined;
  let disabled: ts.Node | undefined;
  let spread: ts.SpreadAssignment | undefined;
  for (const prop of literal.properties) {
    if (ts.isSpreadAssignment(prop)) {
      spread = prop;
      continue;
    }
    const name = prop.name ? propertyName(prop.name) : undefined;
    if (name === undefined || !(ts.isPropertyAssignment(prop) || ts.isShorthandPropertyAssignment(prop))) continue;
    const value = ts.isPropertyAssignment(prop) ? skipOuterExpressions(prop.initializer) : prop.name;
    const literalValue = valueOf(value);
    if (entry.notJudgedWith?.some((n) => n.name === name && n.value === literalValue)) return undefined;
    const off = literalValue !== undefined && literalValue !== null && entry.disabledBy.includes(literalValue);
    if (entry.deadlines.includes(name)) {
      if (off) disabled ??= prop;
      else return { ...base, state: 'present', cause: 'option', detail: `sets \`${short(prop)}\``, evidence: prop };
    } else if (entry.connectOnly?.includes(name) && !off) {
      connectOnly ??= prop;
    }
  }
  if (spread) return { ...base, state: 'unknown', cause: 'dynamic', detail: `spreads \`${short(spread.expression)}\` into its options, which may set a deadline`, evidence: spread };
  if (disabled) return { ...base, state: 'absent', cause: 'disabled', detail: `sets \`${short(disabled)}\`, which turns it off`, evidence: disabled };
  if (connectOnly) {
    return { ...base, state: 'absent', cause: 'connect-only', detail: `sets only \`${short(connectOnly)}\`, which bounds connecting but not a query on a stalled connection`, evidence: connectOnly };
  }
  return { ...base, state: 'absent', cause: 'none', detail: entry.note };
}

function isStringOrNumber(node: ts.Expression): boolean {
  const bare = skipOuterExpressions(node);
  // `process.env.REDIS_URL ?? 'redis://localhost'`
  if (ts.isBinaryExpression(bare) && (bare.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || bare.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return isStringOrNumber(bare.left) || isStringOrNumber(bare.right);
  }
  return ts.isStringLiteralLike(bare) || ts.isTemplateExpression(bare) || ts.isNumericLiteral(bare) ||
    (ts.isPropertyAccessExpression(bare) && /^(process\.env|import\.meta\.env)\./.test(bare.getText())) ||
    (ts.isElementAccessExpression(bare) && /^process\.env\[/.test(bare.getText()));
}

function valueOf(node: ts.Expression): number | boolean | null | undefined {
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  return undefined;
}

/** `postgres://…?statement_timeout=30000` written in place. */
function urlDeadline(arg: ts.Expression | undefined, entry: DatastoreEntry): { param: string; node: ts.Node } | undefined {
  if (!arg || !entry.urlParameters?.length) return undefined;
  const bare = skipOuterExpressions(arg);
  const text = ts.isStringLiteralLike(bare) ? bare.text : ts.isTemplateExpression(bare) ? bare.getText() : undefined;
  if (text === undefined) return undefined;
  const param = entry.urlParameters.find((p) => new RegExp(`[?&]${p}=(?!0(?:&|$))`, 'i').test(text));
  return param ? { param, node: bare } : undefined;
}

/**
 * Reconnect schedules written where a datastore client is made (`new Redis({ retryStrategy: (times) =>
 * 1_000 })`): a retry of the connection, judged by require-backoff and require-jitter. A long-lived
 * connection is meant to come back for as long as the process runs, so its lack of a cap is not a
 * finding. One scope per construction that writes the option.
 */
export function collectReconnectScopes(sourceFile: ts.SourceFile, resolver: Resolver): RetryScope[] {
  return constructionsIn(sourceFile, resolver).flatMap((c) => {
    const scope = reconnectScope(c, resolver);
    return scope ? [scope] : [];
  });
}

function reconnectScope({ node, entry, calleeText }: Construction, resolver: Resolver): RetryScope | undefined {
  const spec = entry.reconnect;
  if (!spec) return undefined;
  for (const arg of node.arguments ?? []) {
    const literal = resolveObjectLiteral(arg, resolver);
    const prop = literal?.properties.find((p) => p.name && propertyName(p.name) === spec.option);
    if (!prop) continue;
    const value = ts.isPropertyAssignment(prop) ? skipOuterExpressions(prop.initializer) : ts.isMethodDeclaration(prop) ? prop : undefined;
    const fn = value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value) || ts.isMethodDeclaration(value)) ? value : undefined;
    if (!fn?.body) return undefined;
    const delay = strategyDelay(fn, spec.counterParam, resolver);
    if (!delay) return undefined;
    return {
      kind: 'reconnect',
      node,
      start: prop.getStart(),
      end: prop.name!.end,
      subject: `the \`${spec.option}\` of \`${calleeText}(…)\`, which reconnects after a failure,`,
      delay,
      cap: { state: 'present', detail: 'for as long as the process runs (a connection is meant to come back)' },
      reconnect: { advice: spec.advice },
      regions: [],
    };
  }
  return undefined;
}

/** The delay a strategy function returns, with its attempt parameter as the counter; non-numbers stop. */
function strategyDelay(fn: ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration, counterParam: number, resolver: Resolver): DelayFact | undefined {
  const param = fn.parameters[counterParam];
  const counters = new Set<ts.Symbol>();
  const symbol = param && ts.isIdentifier(param.name) ? resolver.getSymbol(param.name) : undefined;
  if (symbol) counters.add(symbol);
  const returned = ts.isBlock(fn.body!) ? returnsOf(fn.body) : [fn.body as ts.Expression];
  const waits = returned.filter((r) => !stops(r));
  if (waits.length === 0) return undefined;
  return delayFromWaits(waits, { resolver, counters, bindings: new Map(), scope: fn });
}

function returnsOf(body: ts.Block): ts.Expression[] {
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return out;
}

/** `return null`, `return undefined`, `return new Error(…)`, `return false`: stop reconnecting. */
function stops(expression: ts.Expression): boolean {
  const bare = skipOuterExpressions(expression);
  return bare.kind === ts.SyntaxKind.NullKeyword || bare.kind === ts.SyntaxKind.FalseKeyword || (ts.isIdentifier(bare) && bare.text === 'undefined') || ts.isNewExpression(bare);
}
