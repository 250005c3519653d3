/**
 * DatastoreClient: every construction of a catalogued datastore or broker client (`new Pool(…)`,
 * `new Redis(…)`, `mongoose.connect(…)`), with whether its options bound a query or command. Judged
 * where the client is made: one finding per construction, not one per query.
 */
import ts from 'typescript';
import { datastores, type DatastoreConstruction, type DatastoreEntry, type ReconnectSpec } from '../catalogue/datastores.ts';
import { getModuleContext, isOlder } from '../fixes/module-context.ts';
import { pathMatches } from '../catalogue/index.ts';
import { constantNumber, importedObjectLiteral, propertyName, resolveObjectLiteral } from './network-calls.ts';
import { declaredTypeNames, normalizedPath, registerCataloguedModule, skipOuterExpressions, typeReferenceTarget, type Resolver } from './resolve.ts';
import { short, shortText } from './text.ts';
import { delayFromWaits, describeDelay, type DelayFact, type RetryScope } from './retry.ts';

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
    if (c.entry.judgesDeadlines === false) return [];
    const client = judge(c.node, c.entry, c.construction, c.calleeText, resolver);
    return client ? [client] : [];
  });
}

interface Construction {
  readonly node: ts.NewExpression | ts.CallExpression;
  /** The module the client is imported from. */
  readonly module: string;
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
    if (construction) return { node, module: origin.module, entry, construction, calleeText: shortText(`${kind === 'new' ? 'new ' : ''}${callee.getText()}`, 40) };
  }
  return undefined;
}

function judge(node: ts.NewExpression | ts.CallExpression, entry: DatastoreEntry, construction: DatastoreConstruction, calleeText: string, resolver: Resolver): DatastoreClient | undefined {
  const args = node.arguments ?? ts.factory.createNodeArray();
  const index = optionsIndex(args, construction);
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
 * Reconnect schedules of datastore clients (`new Redis({ retryStrategy: (times) => 1_000 })`): a retry
 * of the connection, judged by require-backoff and require-jitter. A long-lived connection is meant to
 * come back for as long as the process runs, so its lack of a cap is not a finding. Judged where the
 * schedule is written: in the construction's options (through spreads of local objects), or in a
 * settings object declared with the client's options type, once however many clients use it. A
 * construction that sets none gets the client's default for the installed version, when the catalogue
 * judges that default (ioredis 5's linear, unjittered schedule).
 */
export function collectReconnectScopes(sourceFile: ts.SourceFile, resolver: Resolver): RetryScope[] {
  const scopes: RetryScope[] = [];
  const seen = new Set<ts.Node>();
  for (const c of constructionsIn(sourceFile, resolver)) {
    const spec = c.entry.reconnect;
    if (!spec) continue;
    const found = reconnectOptionOf(c, spec, resolver);
    if (found.state === 'written') {
      if (found.property.getSourceFile() !== sourceFile) continue; // judged where it is written
      if (seen.has(found.property)) continue;
      seen.add(found.property);
      const arg = (c.node.arguments ?? [])[optionsIndex(c.node.arguments ?? ts.factory.createNodeArray(), c.construction)];
      const own = !!arg && found.property.pos >= arg.pos && found.property.end <= arg.end;
      const holder = own ? undefined : holderName(found.property);
      const scope = writtenReconnectScope(found.property, spec, `the \`${spec.option}\` of ${holder ? `\`${holder}\`` : `\`${c.calleeText}(…)\``}, which reconnects after a failure,`, c.node, resolver);
      if (scope) scopes.push(scope);
    } else if (found.state === 'absent') {
      const scope = defaultReconnectScope(c, spec, found.literal);
      if (scope) scopes.push(scope);
    }
  }
  // Settings objects declared with the options type (`const opts: Partial<RedisOptions> = { retryStrategy }`).
  if (MODULE_TEXTS.some((m) => sourceFile.text.includes(m)) || resolver.typeAware) {
    for (const entry of datastores) {
      const spec = entry.reconnect;
      if (!spec?.optionsTypes?.length || !sourceFile.text.includes(spec.option.split('.').at(-1)!)) continue;
      for (const property of typedReconnectProperties(sourceFile, entry, spec, resolver)) {
        if (seen.has(property)) continue;
        seen.add(property);
        const holder = holderName(property);
        const scope = writtenReconnectScope(property, spec, `the \`${spec.option}\` of ${holder ? `\`${holder}\`` : 'these'} (${entry.displayName} options), which reconnects after a failure,`, property, resolver);
        if (scope) scopes.push(scope);
      }
    }
  }
  return scopes;
}

type ReconnectOption =
  | { readonly state: 'written'; readonly property: ts.ObjectLiteralElementLike }
  | { readonly state: 'absent'; readonly literal: ts.ObjectLiteralExpression | undefined }
  | { readonly state: 'unknown' };

/** Where a construction's options set the reconnect option: in place, through local spreads, or not at all. */
function reconnectOptionOf({ node, construction }: Construction, spec: ReconnectSpec, resolver: Resolver): ReconnectOption {
  const args = node.arguments ?? ts.factory.createNodeArray();
  const index = optionsIndex(args, construction);
  const arg = args[index];
  // No options argument: nothing set (for ioredis's `(port, host)` forms, only when the others are a port, host or URL).
  if (!arg) return construction.options !== 'object' || args.every(isStringOrNumber) ? { state: 'absent', literal: undefined } : { state: 'unknown' };
  const literal = resolveObjectLiteral(arg, resolver);
  if (!literal) return { state: 'unknown' };
  const found = nestedOption(literal, spec.option.split('.'), resolver);
  if (found === 'unknown') return { state: 'unknown' };
  if (found) return { state: 'written', property: found };
  return { state: 'absent', literal: skipOuterExpressions(arg) === literal ? literal : undefined };
}

/** `socket.reconnectStrategy`: the last property on the path, through local objects and spreads. */
function nestedOption(literal: ts.ObjectLiteralExpression, path: readonly string[], resolver: Resolver): ts.ObjectLiteralElementLike | 'unknown' | undefined {
  const found = optionIn(literal, path[0]!, resolver, 0);
  if (path.length === 1 || found === undefined || found === 'unknown') return found;
  if (!ts.isPropertyAssignment(found)) return 'unknown';
  const inner = resolveObjectLiteral(found.initializer, resolver);
  return inner ? nestedOption(inner, path.slice(1), resolver) : 'unknown';
}

/** The last property named `name` in an object literal, through spreads of local objects (`...(cond ? {…} : {})` too). */
function optionIn(literal: ts.ObjectLiteralExpression, name: string, resolver: Resolver, depth: number): ts.ObjectLiteralElementLike | 'unknown' | undefined {
  let found: ts.ObjectLiteralElementLike | 'unknown' | undefined;
  for (const prop of literal.properties) {
    if (ts.isSpreadAssignment(prop)) {
      const inner = spreadOption(prop.expression, name, resolver, depth + 1);
      if (inner) found = inner;
    } else if (prop.name && propertyName(prop.name) === name) {
      found = prop;
    }
  }
  return found;
}

function spreadOption(expression: ts.Expression, name: string, resolver: Resolver, depth: number): ts.ObjectLiteralElementLike | 'unknown' | undefined {
  if (depth > 6) return 'unknown';
  const bare = skipOuterExpressions(expression);
  if (ts.isConditionalExpression(bare)) return spreadOption(bare.whenTrue, name, resolver, depth + 1) ?? spreadOption(bare.whenFalse, name, resolver, depth + 1);
  if (ts.isBinaryExpression(bare) && (bare.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)) return spreadOption(bare.right, name, resolver, depth + 1);
  const literal = resolveObjectLiteral(bare, resolver) ?? importedObjectLiteral(bare, resolver);
  return literal ? optionIn(literal, name, resolver, depth) : 'unknown';
}

function optionsIndex(args: ts.NodeArray<ts.Expression>, construction: DatastoreConstruction): number {
  if (construction.options !== 'object') return construction.options;
  // ioredis: `(port, host, options)`, `(url, options)`, `(options)`: the first argument that is not a port, host or URL.
  const at = args.findIndex((a) => !isStringOrNumber(a));
  return at < 0 ? args.length : at;
}

/** Reconnect options in objects declared with the client's options type (written type, or with a program, the contextual type). */
function typedReconnectProperties(sourceFile: ts.SourceFile, entry: DatastoreEntry, spec: ReconnectSpec, resolver: Resolver): ts.ObjectLiteralElementLike[] {
  const out: ts.ObjectLiteralElementLike[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const property = node.properties.find((p) => !ts.isSpreadAssignment(p) && p.name && propertyName(p.name) === spec.option.split('.').at(-1));
      if (property && isOptionsObject(node, entry, spec, resolver)) out.push(property);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return out;
}

function isOptionsObject(literal: ts.ObjectLiteralExpression, entry: DatastoreEntry, spec: ReconnectSpec, resolver: Resolver): boolean {
  let parent = literal.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isAsExpression(parent))) {
    if ((ts.isSatisfiesExpression(parent) || ts.isAsExpression(parent)) && namesOptionsType(parent.type, entry, spec, resolver)) return true;
    parent = parent.parent;
  }
  if (parent && ts.isVariableDeclaration(parent) && parent.type && namesOptionsType(parent.type, entry, spec, resolver)) return true;
  if (!resolver.typeAware) return false;
  try {
    const type = resolver.checker.getContextualType(literal);
    return !!type && typeIsOptions(type, entry, spec);
  } catch {
    return false;
  }
}

/** `RedisOptions`, `Partial<RedisOptions>`, `Readonly<…>`, `ioredis.RedisOptions`, `… | undefined`, imported from the client's module. */
function namesOptionsType(typeNode: ts.TypeNode, entry: DatastoreEntry, spec: ReconnectSpec, resolver: Resolver): boolean {
  if (ts.isUnionTypeNode(typeNode)) return typeNode.types.some((t) => namesOptionsType(t, entry, spec, resolver));
  if (!ts.isTypeReferenceNode(typeNode)) return false;
  if (ts.isIdentifier(typeNode.typeName) && WRAPPERS.has(typeNode.typeName.text) && typeNode.typeArguments?.length === 1) return namesOptionsType(typeNode.typeArguments[0]!, entry, spec, resolver);
  const target = typeReferenceTarget(typeNode, resolver);
  return !!target && entry.modules.includes(target.module) && !!spec.optionsTypes?.includes(target.name);
}

const WRAPPERS = new Set(['Partial', 'Readonly', 'Required']);

function typeIsOptions(type: ts.Type, entry: DatastoreEntry, spec: ReconnectSpec): boolean {
  return declaredTypeNames(type, { aliasArguments: true }).some((named) => entry.modules.includes(named.module) && !!spec.optionsTypes?.includes(named.name));
}

function holderName(property: ts.Node): string | undefined {
  let parent = property.parent.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isAsExpression(parent))) parent = parent.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && parent.name) return propertyName(parent.name);
  return undefined;
}

function writtenReconnectScope(prop: ts.ObjectLiteralElementLike, spec: ReconnectSpec, subject: string, node: ts.Node, resolver: Resolver): RetryScope | undefined {
  const value = ts.isPropertyAssignment(prop) ? skipOuterExpressions(prop.initializer) : ts.isMethodDeclaration(prop) ? prop : undefined;
  const fn = value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value) || ts.isMethodDeclaration(value)) ? value : undefined;
  // node-redis: a number is the same delay every time (`false` never reconnects: no schedule).
  const ms = value && !fn && ts.isExpression(value) ? constantNumber(value, resolver) : undefined;
  if (!fn?.body && ms === undefined) return undefined;
  const delay = fn ? strategyDelay(fn, spec.counterParam, resolver) : ms === 0
    ? { kind: 'none' as const, jitter: 'absent' as const, detail: describeDelay('none', 0) }
    : { kind: 'constant' as const, jitter: 'absent' as const, detail: describeDelay('constant', ms), evidence: value };
  if (!delay) return undefined;
  return {
    kind: 'reconnect',
    node,
    start: prop.getStart(),
    end: prop.name!.end,
    subject,
    delay,
    cap: RECONNECTS,
    reconnect: { advice: spec.advice },
    regions: [],
  };
}

const RECONNECTS = { state: 'present', detail: 'for as long as the process runs (a connection is meant to come back)' } as const;

/** A construction that sets no schedule gets the default of the installed version, when the catalogue judges it. */
function defaultReconnectScope(c: Construction, spec: ReconnectSpec, literal: ts.ObjectLiteralExpression | undefined): RetryScope | undefined {
  if (!spec.defaults?.length) return undefined;
  const sourceFile = c.node.getSourceFile();
  const version = getModuleContext(sourceFile).versionOf?.(c.module);
  const schedule = spec.defaults.find((d) => (d.module === undefined || d.module === c.module) && (d.below === undefined || (version !== undefined && isOlder(version, d.below))));
  if (!schedule) return undefined;
  const callee = c.node.expression;
  const args = c.node.arguments ?? ts.factory.createNodeArray();
  return {
    kind: 'reconnect',
    node: c.node,
    start: callee.getStart(sourceFile),
    end: callee.end,
    subject: `\`${c.calleeText}(…)\`, which reconnects after a failure,`,
    delay: {
      kind: schedule.delay,
      jitter: schedule.jitter ? 'present' : 'absent',
      detail: schedule.delay === 'linear' ? 'waits a linearly growing delay between attempts' : describeDelay(schedule.delay, undefined),
      jitterDetail: ` (with no \`${spec.option}\`, ${c.module}${schedule.below !== undefined && version ? ` ${version}` : ''} waits ${schedule.formula})`,
    },
    cap: RECONNECTS,
    reconnect: {
      advice: spec.fix ? `set \`${spec.option}\` where the client is made: ${spec.advice}` : spec.advice,
      ...(spec.fix ? { add: { call: c.node, literal, index: optionsIndex(args, c.construction), option: spec.fix } } : {}),
    },
    regions: [],
  };
}

/** The delay a strategy function returns, with its attempt parameter as the counter; non-numbers stop. */
function strategyDelay(fn: ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration, counterParam: number, resolver: Resolver): DelayFact | undefined {
  const param = fn.parameters[counterParam];
  const counters = new Set<ts.Symbol>();
  const symbol = param && ts.isIdentifier(param.name) ? resolver.getSymbol(param.name) : undefined;
  if (symbol) counters.add(symbol);
  const returned = (ts.isBlock(fn.body!) ? returnsOf(fn.body) : [fn.body as ts.Expression]).flatMap(branches);
  const waits = returned.filter((r) => !stops(r));
  if (waits.length === 0) return undefined;
  return delayFromWaits(waits, { resolver, counters, bindings: new Map(), scope: fn });
}

/** `retries > 10 ? new Error('…') : retries * 100`: each branch is a possible result. */
function branches(expression: ts.Expression): ts.Expression[] {
  const bare = skipOuterExpressions(expression);
  return ts.isConditionalExpression(bare) ? [...branches(bare.whenTrue), ...branches(bare.whenFalse)] : [expression];
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
