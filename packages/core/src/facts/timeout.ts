/**
 * TimeoutFact: is this network call bounded by a deadline, and what proves it?
 * The most specific evidence wins: an enclosing policy, the call's own options, the instance's
 * defaults, the module's defaults, the client's built-in default.
 */
import ts from 'typescript';
import type { ClientEntry, TimeoutOption } from '../catalogue/types.ts';
import { findTimeoutGuard } from './guards.ts';
import type { NetworkCall } from './network-calls.ts';
import { constInitializer, propertyName, resolveObjectLiteral } from './network-calls.ts';
import { getStaticMemberName, isModuleExport, normalizedPath, samePath, skipOuterExpressions, type InstanceLevel, type Resolver } from './resolve.ts';
import { findReferences, identifierIndex, isTimerCallback, usageOf } from './references.ts';
import { lineOf, short } from './text.ts';
import { refineByCallers } from './timeout-callers.ts';

export type TimeoutState = 'present' | 'absent' | 'unknown';

export type TimeoutCause =
  | 'guard' | 'option' | 'signal' | 'dispatcher' | 'chain' | 'handler'
  | 'instance-default' | 'module-default' | 'client-default'
  | 'none' | 'disabled' | 'connect-only' | 'event-only' | 'dynamic'
  /** Passes its caller's options or signal on, and a caller passes none (the fix goes in the wrapper). */
  | 'forwarded'
  /** No deadline of its own, but every caller of its function runs it under one. */
  | 'callers';

export interface TimeoutFact {
  readonly state: TimeoutState;
  readonly cause: TimeoutCause;
  /** A clause that completes "`fetch(…)` …", e.g. "sets `timeout: 0`, which turns axios's timeout off". */
  readonly detail: string;
  /** The node that proves the verdict (the option, the signal, the guard…). */
  readonly evidence?: ts.Node | undefined;
}

/** What one options object says about timeouts. */
type Verdict =
  | { readonly kind: 'present'; readonly cause: TimeoutCause; readonly node: ts.Node; readonly detail: string }
  | { readonly kind: 'disabled' | 'connect-only' | 'event-only'; readonly node: ts.Node; readonly detail: string }
  | { readonly kind: 'unknown'; readonly node: ts.Node; readonly detail: string }
  | { readonly kind: 'silent' };

const SILENT: Verdict = { kind: 'silent' };

export type CallInfo = Omit<NetworkCall, 'timeout'>;

export function evaluateTimeout(call: CallInfo, resolver: Resolver): TimeoutFact {
  const guard = findTimeoutGuard(call.node, resolver, receivesSignal(call, resolver));
  if (guard) return { state: 'present', cause: 'guard', detail: `runs inside ${guard.name}`, evidence: guard.node };

  const { client } = call;
  const spec = client.timeout;
  let verdict = evaluateOptions(call.options?.node, client, resolver);

  if (spec.chainMethod && verdict.kind === 'silent') verdict = evaluateChain(call.node, spec.chainMethod, resolver);

  if (spec.eventOnly && (verdict.kind === 'silent' || verdict.kind === 'event-only')) {
    return evaluateNodeRequest(call.node, verdict, client, resolver);
  }

  if (call.origin.kind === 'instance' && (verdict.kind === 'silent' || verdict.kind === 'connect-only')) {
    // got merges `timeout` objects key by key: a per-request `{ connect }` keeps the instance's `request`.
    const inherited = evaluateInstance(call.origin.levels, client, resolver);
    if (verdict.kind === 'silent' || inherited.kind === 'present') verdict = inherited;
    const external = call.origin.external;
    if (verdict.kind === 'silent' && external && client.registration) verdict = evaluateRegistrations(call, client.registration, resolver);
    if (verdict.kind === 'silent' && external && client.timeout.default.kind === 'none') {
      // Known only by its type: whoever made it may have set a timeout. Strict reports it.
      verdict = {
        kind: 'unknown',
        node: external.node,
        detail: `uses \`${short(external.node)}\`, ${/^[aeiou]/i.test(external.type) ? 'an' : 'a'} \`${external.type}\` made outside this code, whose defaults may or may not set a timeout`,
      };
    }
  }
  if (verdict.kind === 'silent') verdict = evaluateModuleDefaults(call, resolver);
  if (verdict.kind === 'silent') verdict = evaluateDefaultsCalls(call, resolver);
  if (verdict.kind !== 'present' && client.timeout.observableTimeout) {
    const piped = observableTimeout(call.node, client.timeout.observableTimeout, resolver);
    if (piped) return { state: 'present', cause: 'guard', detail: `is bounded by \`${short(piped)}\` on the Observable it returns (unsubscribing cancels the request)`, evidence: piped };
  }
  if (verdict.kind === 'silent' && call.origin.kind !== 'instance') verdict = evaluateGlobalDispatcher(call, resolver);
  const fact = toFact(verdict, client);
  return fact.state === 'present' ? fact : refineByCallers(call, fact, resolver);
}

/** Does the call pass a signal option (whatever its value)? A cooperative policy needs one. */
function receivesSignal(call: CallInfo, resolver: Resolver): boolean {
  const name = call.client.timeout.signalOption;
  const literal = call.options?.node && resolveObjectLiteral(call.options.node, resolver);
  return !!name && !!literal?.properties.some((p) => p.name && propertyName(p.name) === name);
}

export function toFact(verdict: Verdict, client: ClientEntry): TimeoutFact {
  switch (verdict.kind) {
    case 'present':
      return { state: 'present', cause: verdict.cause, detail: verdict.detail, evidence: verdict.node };
    case 'disabled':
    case 'connect-only':
    case 'event-only':
      return { state: 'absent', cause: verdict.kind === 'disabled' ? 'disabled' : verdict.kind, detail: verdict.detail, evidence: verdict.node };
    case 'unknown':
      return { state: 'unknown', cause: 'dynamic', detail: verdict.detail, evidence: verdict.node };
    case 'silent': {
      const fallback = client.timeout.default;
      return fallback.kind === 'finite'
        ? { state: 'present', cause: 'client-default', detail: fallback.note }
        : { state: 'absent', cause: 'none', detail: fallback.note };
    }
  }
}

/** The options object of a call or of an instance factory. */
export function evaluateOptions(expression: ts.Expression | undefined, client: ClientEntry, resolver: Resolver, depth = 0): Verdict {
  if (!expression || depth > 8) return SILENT;
  const node = skipOuterExpressions(expression);
  if (ts.isIdentifier(node) && node.text === 'undefined') return SILENT;
  // `google.drive('v3')`: a string where options may sit is not an options object.
  if (ts.isStringLiteralLike(node)) return SILENT;
  const literal = resolveObjectLiteral(node, resolver);
  if (!literal) {
    return { kind: 'unknown', node, detail: `takes its options from \`${short(node)}\`, which is not a local constant` };
  }
  const spec = client.timeout;
  const keyed = new Map<string, Verdict>();
  let spread: Verdict | undefined;
  for (const prop of literal.properties) {
    if (ts.isSpreadAssignment(prop)) {
      const inner = evaluateOptions(prop.expression, client, resolver, depth + 1);
      if (inner.kind === 'unknown') {
        const overridden = [...keyed.values()].find((v) => v.kind === 'present');
        keyed.clear();
        spread = {
          kind: 'unknown',
          node: prop,
          detail: overridden && overridden.kind === 'present'
            ? `${overridden.detail}, then spreads \`${short(prop.expression)}\` after it, which may override it`
            : `spreads \`${short(prop.expression)}\` into its options, which may or may not set a timeout`,
        };
      } else if (inner.kind !== 'silent') {
        keyed.set('…spread', inner);
      }
      continue;
    }
    const name = ts.isPropertyAssignment(prop) || ts.isShorthandPropertyAssignment(prop) ? propertyName(prop.name) : undefined;
    if (name === undefined) continue;
    const value = ts.isPropertyAssignment(prop) ? prop.initializer : (prop as ts.ShorthandPropertyAssignment).name;
    const option = spec.options.find((o) => o.name === name);
    if (option) keyed.set(name, evaluateTimeoutValue(option, value, prop, client, resolver));
    else if (name === spec.signalOption) keyed.set(name, evaluateSignal(value, resolver));
    else if (spec.undecidableOptions?.includes(name) && !isNullish(value)) {
      keyed.set(name, { kind: 'unknown', node: prop, detail: `sets \`${name}\`, a transport of its own whose deadline is not in view` });
    }
    else if (name === spec.dispatcherOption) keyed.set(name, evaluateDispatcher(value, resolver));
    else if (spec.eventOnly && name === spec.eventOnly.option && !isNullish(value)) {
      keyed.set(name, { kind: 'event-only', node: prop, detail: eventOnlyDetail(client) });
    }
  }
  const verdicts = [...keyed.values()];
  const first = (kind: Verdict['kind']) => verdicts.find((v) => v.kind === kind);
  // Phase timeouts (undici's headersTimeout and bodyTimeout) bound a request only together: one turned
  // off (`bodyTimeout: 0`) leaves a phase that can hang forever, unless a signal bounds the whole call.
  const present = first('present');
  const disabled = first('disabled');
  const signalled = verdicts.some((v) => v.kind === 'present' && v.cause === 'signal');
  if (spec.optionsArePhases && present && disabled && !signalled) return disabled;
  return present ?? spread ?? first('unknown') ?? disabled ?? first('connect-only') ?? first('event-only') ?? SILENT;
}

function evaluateTimeoutValue(option: TimeoutOption, value: ts.Expression, prop: ts.Node, client: ClientEntry, resolver: Resolver, depth = 0): Verdict {
  const node = skipOuterExpressions(value);
  const literal = literalValue(node);
  const shown = `\`${short(prop)}\``;
  if (literal === null) return SILENT;
  if (option.versionDependent && !(literal !== undefined && option.disabledBy.includes(literal))) {
    return { kind: 'unknown', node: prop, detail: `sets ${shown}: ${option.versionDependent}` };
  }
  if (literal !== undefined) {
    if (option.disabledBy.includes(literal)) {
      return { kind: 'disabled', node: prop, detail: `sets ${shown}, which turns ${client.displayName}'s timeout off` };
    }
    return { kind: 'present', cause: 'option', node: prop, detail: `sets ${shown}` };
  }
  if (option.form === 'object' && ts.isObjectLiteralExpression(node)) return evaluateTimeoutObject(option, node, prop, client, resolver);
  // `requestHandler: new NodeHttpHandler({ socketTimeout })`: the construction's options.
  if (option.form === 'object' && option.constructed && ts.isNewExpression(node)) {
    const first = node.arguments?.[0] && resolveObjectLiteral(node.arguments[0], resolver);
    if (first) return evaluateTimeoutObject(option, first, prop, client, resolver);
    if (!node.arguments?.length) return { kind: 'disabled', node: prop, detail: `sets \`${short(prop)}\` with no timeouts, so ${client.displayName} has none` };
  }
  if (ts.isIdentifier(node) && depth < 8) {
    const init = constInitializer(node, resolver);
    if (init) return evaluateTimeoutValue(option, init, prop, client, resolver, depth + 1);
  }
  // `timeout: this.options.timeout` typed `number | undefined` with no default: it may be left out.
  if (mayBeUndefined(node, resolver)) {
    return { kind: 'unknown', node: prop, detail: `sets ${shown}, which may be \`undefined\` (then ${client.displayName} has no timeout)` };
  }
  // A value we cannot compute (`config.timeoutMs`): someone chose a timeout. Count it, say so.
  return { kind: 'present', cause: 'option', node: prop, detail: `sets ${shown}` };
}

function evaluateTimeoutObject(option: TimeoutOption, object: ts.ObjectLiteralExpression, prop: ts.Node, client: ClientEntry, resolver: Resolver): Verdict {
  let connectOnly: ts.Node | undefined;
  let disabled: ts.Node | undefined;
  let undecidable: ts.PropertyAssignment | undefined;
  for (const p of object.properties) {
    if (ts.isSpreadAssignment(p)) return { kind: 'unknown', node: p, detail: `spreads \`${short(p.expression)}\` into \`${option.name}\`` };
    if (!ts.isPropertyAssignment(p)) continue;
    const key = propertyName(p.name);
    if (key === undefined) continue;
    const literal = literalValue(skipOuterExpressions(p.initializer));
    if (literal === null) continue;
    const isDisabled = literal !== undefined && option.disabledBy.includes(literal);
    if (option.undecidableKeys?.includes(key) && !isDisabled) {
      undecidable ??= p;
      continue;
    }
    if (option.boundingKeys?.includes(key)) {
      if (!isDisabled) return { kind: 'present', cause: 'option', node: p, detail: `sets \`${option.name}.${key}\`` };
      disabled ??= p;
    } else if (option.connectOnlyKeys?.includes(key) && !isDisabled) {
      connectOnly ??= p;
    }
  }
  void resolver;
  if (undecidable) {
    return { kind: 'unknown', node: undecidable, detail: `sets \`${option.name}.${propertyName(undecidable.name)!}\`: ${option.undecidableNote ?? 'whose effect is not in view'}` };
  }
  if (disabled) return { kind: 'disabled', node: disabled, detail: `sets \`${short(disabled)}\`, which turns ${client.displayName}'s timeout off` };
  if (connectOnly) {
    return {
      kind: 'connect-only',
      node: connectOnly,
      detail: `sets only \`${short(connectOnly)}\` in \`${option.name}\`, which bounds connecting but not the response`,
    };
  }
  return SILENT;
}

/** A value whose declared type admits `undefined` (an optional option, `number | undefined`), and no `??` default. */
function mayBeUndefined(node: ts.Expression, resolver: Resolver): boolean {
  if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return false;
  try {
    const type = resolver.checker.getTypeAtLocation(node);
    return type.isUnion() && type.types.some((t) => (t.flags & ts.TypeFlags.Undefined) !== 0) && type.types.some((t) => (t.flags & ts.TypeFlags.NumberLike) !== 0);
  } catch {
    return false;
  }
}

/** `undefined`: not a literal; `null`: null/undefined (no value); else the literal value. */
function literalValue(node: ts.Expression): number | boolean | null | undefined {
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isIdentifier(node) && node.text === 'undefined') return null;
  if (ts.isIdentifier(node) && node.text === 'Infinity') return Infinity;
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Number' && node.name.text === 'POSITIVE_INFINITY') return Infinity;
  return undefined;
}

function isNullish(node: ts.Expression): boolean {
  return literalValue(skipOuterExpressions(node)) === null;
}

/** An AbortSignal: `AbortSignal.timeout(ms)`, `AbortSignal.any([...])`, a timer-aborted controller's signal. */
export function evaluateSignal(value: ts.Expression, resolver: Resolver, depth = 0): Verdict {
  const node = skipOuterExpressions(value);
  if (isNullish(node)) return SILENT;
  if (ts.isCallExpression(node) && isAbortSignalMember(node.expression, 'timeout', resolver)) {
    return { kind: 'present', cause: 'signal', node, detail: `passes \`${short(node)}\`` };
  }
  if (ts.isCallExpression(node) && isAbortSignalMember(node.expression, 'any', resolver)) {
    let list = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
    // `const signals = [timer.signal, parent]; AbortSignal.any(signals)`
    if (list && ts.isIdentifier(list)) list = constInitializer(list, resolver) ?? list;
    if (list) list = skipOuterExpressions(list);
    if (!list || !ts.isArrayLiteralExpression(list)) return { kind: 'unknown', node, detail: `passes \`${short(node)}\`` };
    const parts = list.elements.map((e) => evaluateSignal(e, resolver, depth + 1));
    const present = parts.find((p) => p.kind === 'present');
    if (present) return { kind: 'present', cause: 'signal', node, detail: `passes \`${short(node)}\`` };
    return parts.find((p) => p.kind === 'unknown') ?? { kind: 'disabled', node, detail: `passes \`${short(node)}\`, whose signals are never aborted by a timer` };
  }
  if (ts.isIdentifier(node) && depth < 8) {
    const init = constInitializer(node, resolver);
    if (init) return evaluateSignal(init, resolver, depth + 1);
    return { kind: 'unknown', node, detail: `passes the signal \`${node.text}\`, which comes from outside this function` };
  }
  const member = getStaticMemberName(node);
  if (member === 'signal' && (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node))) {
    const controller = skipOuterExpressions(node.expression);
    if (ts.isIdentifier(controller)) return evaluateController(controller, node, resolver);
  }
  return { kind: 'unknown', node, detail: `passes the signal \`${short(node)}\`` };
}

function isAbortSignalMember(callee: ts.Expression, name: string, resolver: Resolver): boolean {
  const node = skipOuterExpressions(callee);
  if (getStaticMemberName(node) !== name || !(ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node))) return false;
  const origin = resolver.resolve(node.expression);
  return origin.kind === 'global' && origin.path.length === 1 && origin.path[0] === 'AbortSignal';
}

/** `const c = new AbortController(); setTimeout(() => c.abort(), ms)` → present. */
function evaluateController(controller: ts.Identifier, signalNode: ts.Expression, resolver: Resolver): Verdict {
  const init = constInitializer(controller, resolver);
  const created = init && skipOuterExpressions(init);
  const isController = created && ts.isNewExpression(created) && ts.isIdentifier(created.expression) && created.expression.text === 'AbortController';
  if (!isController) return { kind: 'unknown', node: signalNode, detail: `passes \`${short(signalNode)}\`` };
  const symbol = resolver.getSymbol(controller);
  let escapes = false;
  for (const ref of findReferences(symbol, controller.getSourceFile(), resolver)) {
    const parent = ref.parent;
    const member = ts.isPropertyAccessExpression(parent) && parent.expression === ref ? parent.name.text : undefined;
    if (member === 'abort') {
      if (isTimerCallback(parent, resolver)) {
        return { kind: 'present', cause: 'signal', node: signalNode, detail: `passes \`${short(signalNode)}\`, aborted by a timer` };
      }
    } else if (member !== 'signal') {
      escapes = true;
    }
  }
  if (escapes) return { kind: 'unknown', node: signalNode, detail: `passes \`${short(signalNode)}\`; the controller is handed elsewhere, which may abort it on a timer` };
  return {
    kind: 'disabled',
    node: signalNode,
    detail: `passes \`${short(signalNode)}\`, but \`${controller.text}\` is never aborted by a timer, so it sets no deadline`,
  };
}

/**
 * `setGlobalDispatcher(new Agent({ headersTimeout, bodyTimeout }))` anywhere in the program: every
 * call without a dispatcher of its own goes through it.
 */
function evaluateGlobalDispatcher(call: CallInfo, resolver: Resolver): Verdict {
  const installer = call.client.timeout.globalDispatcher;
  const index = resolver.index;
  if (!installer || !index) return SILENT;
  for (const install of index.callsNamed(installer.name)) {
    const file = install.getSourceFile();
    if (!index.linked(file, call.node.getSourceFile())) continue;
    const other = index.resolverFor(file);
    if (!isModuleExport(other.resolve(install.expression), installer.module, installer.name) || !install.arguments[0]) continue;
    const verdict = evaluateDispatcher(install.arguments[0], other);
    const where = index.where(install, call.node.getSourceFile());
    if (verdict.kind === 'present') return { ...verdict, cause: 'dispatcher', detail: `goes through the global dispatcher installed by \`${short(install, 40)}\` (${where}), which ${verdict.detail.replace(/^uses the dispatcher `[^`]*`, which /, '')}` };
  }
  return SILENT;
}

/** `dispatcher: new Agent({ headersTimeout, bodyTimeout })`. */
function evaluateDispatcher(value: ts.Expression, resolver: Resolver): Verdict {
  const origin = resolver.resolve(value);
  if (origin.kind !== 'instance' || origin.path.length > 0 || origin.external) return { kind: 'unknown', node: value, detail: `uses the dispatcher \`${short(value)}\`` };
  const verdict = evaluateInstance(origin.levels, origin.client, resolver);
  if (verdict.kind === 'present') return { ...verdict, cause: 'dispatcher', detail: `uses the dispatcher \`${short(value)}\`, which ${verdict.detail}` };
  return verdict;
}

/** Instance defaults: `api.defaults.timeout = …` assignments, then the factory options, innermost first. */
function evaluateInstance(levels: readonly InstanceLevel[], client: ClientEntry, resolver: Resolver): Verdict {
  for (const level of levels) {
    const assigned = (level.variable ? findDefaultsAssignment(level.variable, client.timeout.instanceDefaults, level.node.getSourceFile(), resolver) : undefined)
      ?? instanceDefaultsElsewhere(level, client, resolver);
    if (assigned) {
      const option = client.timeout.options[0]!;
      const verdict = evaluateTimeoutValue(option, assigned.right, assigned, client, resolver);
      if (verdict.kind !== 'silent') return withCause(verdict, 'instance-default');
    }
    const verdict = evaluateOptions(level.options, client, resolver);
    if (verdict.kind !== 'silent') return withCause(verdict, 'instance-default', level);
  }
  return SILENT;
}

function withCause(verdict: Verdict, cause: TimeoutCause, level?: InstanceLevel): Verdict {
  if (verdict.kind !== 'present') {
    if (verdict.kind === 'silent' || !level) return verdict;
    return { ...verdict, detail: `uses an instance (\`${short(level.node.expression)}(…)\`) that ${verdict.detail}` };
  }
  const where = level ? `its instance (\`${short(level.node.expression)}(…)\`) ` : 'its instance ';
  return { ...verdict, cause, detail: `${where}${verdict.detail}` };
}

/** `api.defaults.timeout = …` in another module, on an instance imported from where it is created. */
function instanceDefaultsElsewhere(level: InstanceLevel, client: ClientEntry, resolver: Resolver): ts.BinaryExpression | undefined {
  const index = resolver.index;
  const paths = client.timeout.instanceDefaults;
  if (!index || !paths?.length || !resolver.typeAware) return undefined;
  const home = level.node.getSourceFile();
  for (const assignment of defaultsAssignments(index, paths)) {
    if (assignment.file === home || !index.linked(assignment.file, home)) continue;
    const origin = index.resolverFor(assignment.file).resolve(assignment.root);
    if (origin.kind === 'instance' && origin.path.length === 0 && origin.levels[0]?.node === level.node) return assignment.node;
  }
  return undefined;
}

/** `<root>.defaults.timeout = value` as a statement; for instances, the variable is the root. */
function findDefaultsAssignment(
  symbol: ts.Symbol,
  paths: readonly (readonly string[])[] | undefined,
  sourceFile: ts.SourceFile,
  resolver: Resolver,
): ts.BinaryExpression | undefined {
  if (!paths?.length) return undefined;
  for (const ref of findReferences(symbol, sourceFile, resolver)) {
    const assignment = assignmentThroughPath(ref, paths);
    if (assignment) return assignment;
  }
  return undefined;
}

function assignmentThroughPath(ref: ts.Node, paths: readonly (readonly string[])[]): ts.BinaryExpression | undefined {
  for (const path of paths) {
    let node: ts.Node = ref;
    let ok = true;
    for (const segment of path) {
      const parent = node.parent;
      if (!parent || !(ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) || parent.expression !== node || getStaticMemberName(parent) !== segment) {
        ok = false;
        break;
      }
      node = parent;
    }
    const assign = node.parent;
    if (ok && assign && ts.isBinaryExpression(assign) && assign.left === node && assign.operatorToken.kind === ts.SyntaxKind.EqualsToken) return assign;
  }
  return undefined;
}

/**
 * `axios.defaults.timeout = 5000` at the top level of this file. It reaches module calls, and instances
 * created after it when the client copies defaults at creation (axios.create).
 */
function evaluateModuleDefaults(call: CallInfo, resolver: Resolver): Verdict {
  const spec = call.client.timeout;
  if (!spec.moduleDefaults?.length) return SILENT;
  const sourceFile = call.node.getSourceFile();
  const creation = call.origin.kind === 'instance' ? call.origin.levels.at(-1)?.node : undefined;
  for (const statement of sourceFile.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const expr = skipOuterExpressions(statement.expression);
    if (!ts.isBinaryExpression(expr) || expr.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const root = rootOfPath(expr.left, spec.moduleDefaults);
    if (!root) continue;
    const origin = resolver.resolve(root);
    if (origin.kind !== 'module' || !call.client.modules.includes(origin.module) || (origin.path.length > 0 && origin.path.join('.') !== 'default')) continue;
    const option = spec.options[0]!;
    const verdict = evaluateTimeoutValue(option, expr.right, expr, call.client, resolver);
    if (verdict.kind === 'silent') continue;
    if (creation && spec.instancesCopyModuleDefaults && isBeforeAtTopLevel(creation, statement)) {
      return {
        kind: 'disabled',
        node: expr,
        detail: `uses an instance created before \`${short(expr.left)}\` is set (line ${lineOf(expr)}); ${call.client.displayName} copies the defaults when the instance is created, so it has no timeout`,
      };
    }
    return verdict.kind === 'present' ? { ...verdict, cause: 'module-default', detail: `inherits \`${short(expr)}\` (line ${lineOf(expr)})` } : verdict;
  }
  return moduleDefaultsElsewhere(call, creation, resolver);
}

/**
 * `axios.defaults.timeout = …` in another module of the program (a bootstrap or setup file, at its top
 * level or in a setup function). It reaches calls on the module; an instance that copies the defaults
 * when it is created gets it only if that module ran first, which the import order decides.
 */
/**
 * `sgMail.setTimeout(10_000)`, `google.options({ timeout })`: a call that sets the default for the
 * module's own calls, in this file or (with a program) in a module linked to it.
 */
function evaluateDefaultsCalls(call: CallInfo, resolver: Resolver): Verdict {
  const specs = call.client.timeout.defaultsCalls;
  if (!specs?.length || call.origin.kind === 'opaque' || call.origin.kind === 'global') return SILENT;
  const here = call.node.getSourceFile();
  const index = resolver.index;
  for (const spec of specs) {
    const name = spec.path.at(-1)!;
    const candidates = index ? index.callsNamed(name) : callsNamedIn(here, name);
    for (const candidate of candidates) {
      const file = candidate.getSourceFile();
      if (index && file !== here && !index.linked(file, here)) continue;
      const other = index ? index.resolverFor(file) : resolver;
      const origin = other.resolve(candidate.expression);
      if (origin.kind !== 'module' || !call.client.modules.includes(origin.module) || !samePath(normalizedPath(origin), spec.path)) continue;
      const argument = candidate.arguments[spec.argument];
      if (!argument) continue;
      const verdict = spec.form === 'ms'
        ? evaluateTimeoutValue({ name: name, form: 'ms', disabledBy: [0] }, argument, candidate, call.client, other)
        : evaluateOptions(argument, call.client, other);
      if (verdict.kind === 'silent') continue;
      const where = index ? index.where(candidate, here) : `line ${lineOf(candidate)}`;
      return verdict.kind === 'present'
        ? { ...verdict, cause: 'module-default', detail: `inherits \`${short(candidate, 50)}\` (${where})` }
        : { ...verdict, detail: `${verdict.detail} (${where})` };
    }
  }
  return SILENT;
}

/**
 * `HttpModule.register({ timeout })` across the program: the options every injected instance is made
 * from. All bounded: present; none: the instance has none; some: unknown. Only a plain `HttpModule`
 * import: none.
 */
function evaluateRegistrations(call: CallInfo, spec: NonNullable<ClientEntry['registration']>, resolver: Resolver): Verdict {
  const here = call.node.getSourceFile();
  const index = resolver.index;
  const found: { verdict: Verdict; node: ts.CallExpression; where: string }[] = [];
  for (const path of spec.paths) {
    const name = path.at(-1)!;
    for (const candidate of index ? index.callsNamed(name) : callsNamedIn(here, name)) {
      const file = candidate.getSourceFile();
      if (index && file !== here && !index.linked(file, here)) continue;
      const other = index ? index.resolverFor(file) : resolver;
      const origin = other.resolve(candidate.expression);
      if (origin.kind !== 'module' || !call.client.modules.includes(origin.module) || !samePath(normalizedPath(origin), path)) continue;
      let options: ts.Expression | undefined = candidate.arguments[spec.options];
      const literal = options && resolveObjectLiteral(options, other);
      const factory = spec.factoryKey && literal?.properties.find((p) => p.name && propertyName(p.name) === spec.factoryKey);
      if (factory) options = ts.isPropertyAssignment(factory) ? returnedObject(factory.initializer) : undefined;
      const verdict: Verdict = options ? evaluateOptions(options, call.client, other) : { kind: 'unknown', node: candidate, detail: `is made by \`${short(candidate, 40)}\`, whose options are not in view` };
      found.push({ verdict, node: candidate, where: index ? index.where(candidate, here) : `line ${lineOf(candidate)}` });
    }
  }
  const first = found[0];
  if (!first) {
    const plain = spec.plain && plainImport(spec.plain, call, resolver);
    return plain
      ? { kind: 'disabled', node: plain, detail: `comes from \`${spec.plain}\` imported without options (${index ? index.where(plain, here) : `line ${lineOf(plain)}`}), which uses ${call.client.displayName}'s defaults: no timeout` }
      : SILENT;
  }
  if (found.every((f) => f.verdict.kind === 'present')) {
    return { kind: 'present', cause: 'instance-default', node: first.node, detail: `is made by \`${short(first.node, 40)}\` (${first.where}), which sets a timeout` };
  }
  if (found.every((f) => f.verdict.kind === 'silent' || f.verdict.kind === 'disabled')) {
    return { kind: 'disabled', node: first.node, detail: `is made by \`${short(first.node, 40)}\` (${first.where}), which sets no timeout` };
  }
  return { kind: 'unknown', node: first.node, detail: `is made by one of ${found.length} registrations (${found.map((f) => f.where).join(', ')}), not all of which set a timeout` };
}

/** `useFactory: () => ({ timeout })`, `useFactory: async (config) => { return { … } }`. */
function returnedObject(expression: ts.Expression): ts.Expression | undefined {
  const fn = skipOuterExpressions(expression);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  if (!ts.isBlock(fn.body)) return skipOuterExpressions(fn.body);
  const returns = fn.body.statements.filter(ts.isReturnStatement);
  return returns.length === 1 ? returns[0]!.expression : undefined;
}

/** `imports: [HttpModule]`: the module class listed without options, in a module linked to the call. */
function plainImport(name: string, call: CallInfo, resolver: Resolver): ts.Node | undefined {
  const here = call.node.getSourceFile();
  const index = resolver.index;
  const service = enclosingClassName(call.node);
  let first: ts.Node | undefined;
  for (const file of index ? index.files : [here]) {
    if (index && file !== here && !index.linked(file, here)) continue;
    for (const id of identifierIndex(file).get(name) ?? []) {
      if (!ts.isArrayLiteralExpression(id.parent)) continue;
      const origin = (index ? index.resolverFor(file) : resolver).resolve(id);
      if (origin.kind !== 'module' || !call.client.modules.includes(origin.module)) continue;
      // The module that provides the service (`@Module({ imports: [HttpModule], providers: [GeoService] })`) names it best.
      if (service !== undefined && providesClass(id.parent, service)) return id;
      first ??= id;
    }
  }
  return first;
}

function enclosingClassName(node: ts.Node): string | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isClassLike(n)) return n.name?.text;
  return undefined;
}

/** `{ imports: [<list>], providers: [..., Service] }`: the object holding this imports list provides the class. */
function providesClass(list: ts.ArrayLiteralExpression, service: string): boolean {
  const holder = list.parent;
  if (!ts.isPropertyAssignment(holder) || !ts.isObjectLiteralExpression(holder.parent)) return false;
  return holder.parent.properties.some((p) => ts.isPropertyAssignment(p) && propertyName(p.name) === 'providers' &&
    ts.isArrayLiteralExpression(p.initializer) && p.initializer.elements.some((e) => ts.isIdentifier(e) && e.text === service));
}

function callsNamedIn(sourceFile: ts.SourceFile, name: string): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  for (const id of identifierIndex(sourceFile).get(name) ?? []) {
    const access = id.parent;
    if (ts.isPropertyAccessExpression(access) && access.name === id && ts.isCallExpression(access.parent) && access.parent.expression === access) out.push(access.parent);
  }
  return out;
}

/** `this.http.get(url).pipe(timeout(5_000))`: an rxjs timeout operator on the returned Observable. */
function observableTimeout(node: ts.CallExpression, spec: NonNullable<ClientEntry['timeout']['observableTimeout']>, resolver: Resolver): ts.Node | undefined {
  let current: ts.Expression = node;
  for (let i = 0; i < 4; i++) {
    const access = current.parent;
    if (!access || !ts.isPropertyAccessExpression(access) || access.expression !== current || !ts.isCallExpression(access.parent)) return undefined;
    const chained = access.parent;
    if (access.name.text === 'pipe') {
      for (const operator of chained.arguments) {
        const op = skipOuterExpressions(operator);
        if (!ts.isCallExpression(op)) continue;
        const origin = resolver.resolve(op.expression);
        if (origin.kind === 'module' && spec.modules.includes(origin.module) && origin.path.length === 1 && spec.names.includes(origin.path[0]!)) return op;
      }
    }
    current = chained;
  }
  return undefined;
}

function moduleDefaultsElsewhere(call: CallInfo, creation: ts.Node | undefined, resolver: Resolver): Verdict {
  const spec = call.client.timeout;
  const index = resolver.index;
  if (!index || !spec.moduleDefaults?.length) return SILENT;
  const here = call.node.getSourceFile();
  for (const assignment of defaultsAssignments(index, spec.moduleDefaults)) {
    if (assignment.file === here || !index.linked(assignment.file, here)) continue;
    const other = index.resolverFor(assignment.file);
    const origin = other.resolve(assignment.root);
    if (origin.kind !== 'module' || !call.client.modules.includes(origin.module) || (origin.path.length > 0 && origin.path.join('.') !== 'default')) continue;
    const verdict = evaluateTimeoutValue(spec.options[0]!, assignment.node.right, assignment.node, call.client, other);
    if (verdict.kind === 'silent') continue;
    const where = index.where(assignment.node, here);
    if (creation && spec.instancesCopyModuleDefaults && isAtTopLevel(creation)) {
      return {
        kind: 'unknown',
        node: creation,
        detail: `uses an instance created when its module loads; \`${short(assignment.node.left)}\` is set in ${where}, and ${call.client.displayName} copies the defaults at creation, so whether it applies depends on the order modules load`,
      };
    }
    return verdict.kind === 'present' ? { ...verdict, cause: 'module-default', detail: `inherits \`${short(assignment.node)}\` (${where})` } : { ...verdict, detail: `${verdict.detail} (${where})` };
  }
  return SILENT;
}

interface DefaultsAssignment {
  readonly file: ts.SourceFile;
  readonly node: ts.BinaryExpression;
  /** The expression the path hangs from (`axios` in `axios.defaults.timeout`). */
  readonly root: ts.Expression;
}

const assignmentCache = new WeakMap<object, Map<string, DefaultsAssignment[]>>();

/** Every `<root>.<path> = value` in the program's files, for one of the paths (found by the path's first name). */
function defaultsAssignments(index: NonNullable<Resolver['index']>, paths: readonly (readonly string[])[]): DefaultsAssignment[] {
  const key = paths.map((p) => p.join('.')).join('|');
  let byKey = assignmentCache.get(index);
  if (!byKey) assignmentCache.set(index, (byKey = new Map()));
  const cached = byKey.get(key);
  if (cached) return cached;
  const found: DefaultsAssignment[] = [];
  const firstNames = new Set(paths.map((p) => p[0]).filter((n): n is string => n !== undefined));
  for (const file of index.files) {
    for (const name of firstNames) {
      for (const id of identifierIndex(file).get(name) ?? []) {
        const access = id.parent;
        if (!(ts.isPropertyAccessExpression(access) && access.name === id)) continue;
        const assign = assignmentThroughPath(access.expression, paths);
        if (assign) found.push({ file, node: assign, root: skipOuterExpressions(access.expression) });
      }
    }
  }
  byKey.set(key, found);
  return found;
}

function isAtTopLevel(node: ts.Node): boolean {
  for (let n = node.parent; n && !ts.isSourceFile(n); n = n.parent) if (ts.isFunctionLike(n)) return false;
  return true;
}

function rootOfPath(left: ts.Expression, paths: readonly (readonly string[])[]): ts.Expression | undefined {
  for (const path of paths) {
    let node = skipOuterExpressions(left);
    let ok = true;
    for (let i = path.length - 1; i >= 0; i--) {
      if (!(ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) || getStaticMemberName(node) !== path[i]) {
        ok = false;
        break;
      }
      node = skipOuterExpressions(node.expression);
    }
    if (ok) return node;
  }
  return undefined;
}

/** Is `node` evaluated at module load before `statement` runs? (Both at the top level, node first.) */
function isBeforeAtTopLevel(node: ts.Node, statement: ts.Statement): boolean {
  let top: ts.Node = node;
  while (top.parent && !ts.isSourceFile(top.parent)) {
    if (ts.isFunctionLike(top.parent)) return false;
    top = top.parent;
  }
  return top.end <= statement.getStart();
}

/** superagent: `.timeout(ms)` anywhere in the chain, or on the variable that holds the request. */
function evaluateChain(call: ts.CallExpression, method: string, resolver: Resolver): Verdict {
  for (const use of chainAndVariableCalls(call, resolver)) {
    if (use.name !== method) continue;
    const arg = use.call.arguments[0];
    const literal = arg ? literalValue(skipOuterExpressions(arg)) : undefined;
    if (literal === 0 || literal === false || literal === null) {
      return { kind: 'disabled', node: use.call, detail: `chains \`${short(use.call)}\`, which turns the timeout off` };
    }
    return { kind: 'present', cause: 'chain', node: use.call, detail: `chains \`.${method}(…)\`` };
  }
  return SILENT;
}

/** Calls made on the request object: chained (`x().a().b()`) or through a const holding it. */
function* chainAndVariableCalls(call: ts.CallExpression, resolver: Resolver): Generator<{ name: string; call: ts.CallExpression; args: readonly ts.Expression[] }> {
  let node: ts.Expression = call;
  for (;;) {
    const parent = node.parent;
    if (parent && ts.isPropertyAccessExpression(parent) && parent.expression === node && parent.parent && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
      yield { name: parent.name.text, call: parent.parent, args: parent.parent.arguments };
      node = parent.parent;
      continue;
    }
    break;
  }
  const holder = usageOf(node, resolver);
  if (holder.kind === 'const') {
    for (const ref of findReferences(holder.symbol, call.getSourceFile(), resolver)) {
      const parent = ref.parent;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === ref && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
        yield { name: parent.name.text, call: parent.parent, args: parent.parent.arguments };
      }
    }
  }
}

/** node:http: a deadline needs a signal, or a timeout plus a 'timeout' handler that destroys the request. */
function evaluateNodeRequest(call: ts.CallExpression, options: Verdict, client: ClientEntry, resolver: Resolver): TimeoutFact {
  const spec = client.timeout.eventOnly!;
  let timed: ts.Node | undefined = options.kind === 'event-only' ? options.node : undefined;
  let destroyingHandler: ts.Node | undefined;
  // The callback argument of http.get(url, cb) is the response handler, not a timeout handler.
  for (const use of chainAndVariableCalls(call, resolver)) {
    if (use.name === spec.method) {
      timed ??= use.call;
      const handler = use.args[1];
      if (handler && handlerDestroys(handler, spec.destroyers)) destroyingHandler = use.call;
    } else if (['on', 'once', 'addListener', 'prependListener'].includes(use.name)) {
      const event = use.args[0] && skipOuterExpressions(use.args[0]);
      const handler = use.args[1];
      if (event && ts.isStringLiteralLike(event) && event.text === spec.event && handler && handlerDestroys(handler, spec.destroyers)) {
        destroyingHandler = use.call;
      }
    }
  }
  if (timed && destroyingHandler) {
    return { state: 'present', cause: 'handler', detail: `destroys the request on 'timeout'`, evidence: destroyingHandler };
  }
  if (timed) return { state: 'absent', cause: 'event-only', detail: eventOnlyDetail(client), evidence: timed };
  if (usageOf(outermostChain(call)).kind === 'escapes') {
    return { state: 'unknown', cause: 'dynamic', detail: 'returns the request to code that may set a timeout on it' };
  }
  return { state: 'absent', cause: 'none', detail: client.timeout.default.note };
}

function outermostChain(call: ts.CallExpression): ts.Expression {
  let node: ts.Expression = call;
  while (node.parent && ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node && ts.isCallExpression(node.parent.parent) && node.parent.parent.expression === node.parent) {
    node = node.parent.parent;
  }
  return node;
}

function handlerDestroys(handler: ts.Expression, destroyers: readonly string[]): boolean {
  const fn = skipOuterExpressions(handler);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return true; // a named handler: give it the benefit of the doubt
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const name = getStaticMemberName(skipOuterExpressions(node.expression));
      if (name && destroyers.includes(name)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return found;
}

function eventOnlyDetail(client: ClientEntry): string {
  const spec = client.timeout.eventOnly;
  return `sets \`${spec?.option ?? 'timeout'}\`, but ${client.displayName} only emits '${spec?.event ?? 'timeout'}' and aborts nothing; nothing here destroys the request`;
}

