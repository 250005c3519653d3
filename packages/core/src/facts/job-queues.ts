/**
 * Job retries: a queue job whose options set `attempts` is run again when it fails, waiting what its
 * `backoff` says (nothing, without one). The options are judged where they are written: where the job
 * is added (`queue.add(name, data, { attempts })`), on the queue (`defaultJobOptions`) or in a
 * registration (`BullModule.registerQueue`). A job's own options are merged over its queue's defaults,
 * so a job that sets `attempts` but no `backoff` takes the queue's, when that can be seen.
 */
import ts from 'typescript';
import { jobQueues, type JobOptionsSite, type JobQueueEntry } from '../catalogue/job-queues.ts';
import { constantNumber, constantString, propertyName, resolveObjectLiteral } from './network-calls.ts';
import { fieldWrites, normalizedPath, declaredTypeNames, registerCataloguedModule, samePath, skipOuterExpressions, typeReferenceTarget, type Resolver } from './resolve.ts';
import { describeDelay, enclosingStatement, type CapFact, type DelayFact, type RetryScope } from './retry.ts';
import { short, shortText } from './text.ts';

for (const entry of jobQueues) {
  registerCataloguedModule(entry.module);
  for (const module of entry.inject?.modules ?? []) registerCataloguedModule(module);
  for (const site of entry.sites) if (site.kind === 'defaults') registerCataloguedModule(site.module);
}

export interface JobRetry {
  readonly entry: JobQueueEntry;
  /** The job options as written (holding `attempts`). */
  readonly options: ts.ObjectLiteralExpression;
  /** The `backoff` the job runs with: its own, or its queue's default (`inherited`). */
  readonly backoff: { readonly state: 'written' | 'inherited' | 'none' | 'unseen'; readonly value?: ts.Expression | undefined };
  /** The queue the jobs go to, when its name is known: links the retry to the queue's processors. */
  readonly queueName?: string | undefined;
}

const METHOD_NAMES = new Set(jobQueues.flatMap((e) => e.sites.flatMap((s) => (s.kind === 'method' || s.kind === 'bulk' ? [s.method] : []))));
const DEFAULTS_NAMES = new Set(jobQueues.flatMap((e) => e.sites.flatMap((s) => (s.kind === 'defaults' ? [s.path.at(-1) ?? 'default'] : []))));
export const MODULE_TEXTS = [...new Set(jobQueues.flatMap((e) => [e.module, ...e.sites.flatMap((s) => (s.kind === 'defaults' ? [s.module] : []))]))]
  .flatMap((m) => [`'${m}'`, `"${m}"`]);

export function collectJobRetries(sourceFile: ts.SourceFile, resolver: Resolver): RetryScope[] {
  // Cheap gate: every judged job sets `attempts`, written in this file or in a constant it names.
  if (!sourceFile.text.includes('attempts')) return [];
  const scopes: RetryScope[] = [];
  const seen = new Set<ts.Node>();
  const add = (scope: RetryScope | undefined): void => {
    if (scope && !seen.has(scope.node)) {
      seen.add(scope.node);
      scopes.push(scope);
    }
  };
  // Queue constructions and registrations are imported here; an added job's queue may come from anywhere.
  const importsQueueModule = MODULE_TEXTS.some((m) => sourceFile.text.includes(m));
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(callee) && METHOD_NAMES.has(callee.name.text)) {
        for (const scope of methodScopes(node, callee, resolver)) add(scope);
      }
      if (importsQueueModule) for (const scope of defaultsScopes(node, resolver)) add(scope);
    }
    if (importsQueueModule && ts.isVariableDeclaration(node) && node.type && node.initializer) typed.push(node);
    if (resolver.typeAware && ts.isObjectLiteralExpression(node) && attemptsOf(node)) contextual.push(node);
    ts.forEachChild(node, visit);
  };
  const typed: ts.VariableDeclaration[] = [];
  const contextual: ts.ObjectLiteralExpression[] = [];
  visit(sourceFile);
  // `const OPTS: JobsOptions = { attempts: 3 }`: options for jobs added anywhere, judged once where
  // written (after the adds in this file, which know their queue's defaults).
  for (const decl of typed) add(typedOptionsScope(decl, resolver));
  // With a program: any other literal the checker types as job options (`config: QueueOptions` in a
  // settings object, handed to `BullModule.forRoot(config.bull)` elsewhere).
  for (const literal of contextual) if (!seen.has(literal)) add(contextualOptionsScope(literal, resolver));
  return scopes.sort((a, b) => a.start - b.start);
}

function contextualOptionsScope(literal: ts.ObjectLiteralExpression, resolver: Resolver): RetryScope | undefined {
  let type: ts.Type | undefined;
  try {
    type = resolver.checker.getContextualType(literal);
  } catch {
    return undefined;
  }
  const entry = type && entryOfType(type);
  if (!entry) return undefined;
  const holder = ts.isPropertyAssignment(literal.parent) && literal.parent.initializer === literal ? literal.parent : undefined;
  const isDefaults = !!holder?.name && propertyName(holder.name) === 'defaultJobOptions';
  const own = propertyOf(literal, entry.keys.backoff);
  const backoff: JobRetry['backoff'] = own ? { state: 'written', value: own } : isDefaults ? { state: 'none' } : { state: 'unseen' };
  return jobScope({ entry, options: literal, backoff }, literal, literal, isDefaults ? 'every job of these `defaultJobOptions`' : 'a job given these options', resolver);
}

/** A checker type that is a queue library's job options (`JobsOptions`, `DefaultJobOptions`, `Bull.JobOptions`). */
function entryOfType(type: ts.Type): JobQueueEntry | undefined {
  for (const named of declaredTypeNames(type)) {
    const entry = jobQueues.find((e) => e.module === named.module && e.optionsTypes.includes(named.name));
    if (entry) return entry;
  }
  return undefined;
}

/** Options declared with a job-options type in another module are judged there, once. */
function judgedWhereDeclared(literal: ts.ObjectLiteralExpression, from: ts.SourceFile, resolver: Resolver): boolean {
  const file = literal.getSourceFile();
  if (file === from) return false;
  let parent = literal.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent))) parent = parent.parent;
  if (!parent || !ts.isVariableDeclaration(parent) || !parent.type) return false;
  const fileResolver = resolver.index?.resolverFor(file);
  return !!fileResolver && !!typeEntry(parent.type, fileResolver, (e) => e.optionsTypes);
}

function typedOptionsScope(decl: ts.VariableDeclaration, resolver: Resolver): RetryScope | undefined {
  const literal = resolveObjectLiteral(decl.initializer!, resolver);
  if (!literal || !attemptsOf(literal)) return undefined;
  const entry = typeEntry(decl.type!, resolver, (e) => e.optionsTypes);
  if (!entry) return undefined;
  const own = propertyOf(literal, entry.keys.backoff);
  const name = ts.isIdentifier(decl.name) ? decl.name.text : 'options';
  return jobScope({ entry, options: literal, backoff: own ? { state: 'written', value: own } : { state: 'unseen' } }, decl, literal, `a job given \`${name}\``, resolver);
}

/** The queue library entry a written type names (`Queue`, `Bull.JobOptions`), by the names `pick` lists. */
function typeEntry(typeNode: ts.TypeNode, resolver: Resolver, pick: (e: JobQueueEntry) => readonly string[]): JobQueueEntry | undefined {
  let type = typeNode;
  if (ts.isUnionTypeNode(type)) {
    const members = type.types.filter((t) => !(t.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword)));
    if (members.length !== 1) return undefined;
    type = members[0]!;
  }
  if (!ts.isTypeReferenceNode(type)) return undefined;
  const target = typeReferenceTarget(type, resolver);
  return target && jobQueues.find((e) => e.module === target.module && pick(e).includes(target.name));
}

// ---------------------------------------------------------------- where jobs are added

function methodScopes(call: ts.CallExpression, callee: ts.PropertyAccessExpression, resolver: Resolver): RetryScope[] {
  const candidates: { site: JobOptionsSite; literal: ts.ObjectLiteralExpression; argument: ts.Expression }[] = [];
  for (const entry of jobQueues) {
    for (const site of entry.sites) {
      if ((site.kind !== 'method' && site.kind !== 'bulk') || site.method !== callee.name.text) continue;
      for (const found of optionsAt(call, site, resolver)) if (attemptsOf(found.literal)) candidates.push({ site, ...found });
    }
  }
  if (candidates.length === 0) return [];
  const queue = queueOf(callee.expression, resolver);
  if (!queue) return [];
  const scopes: RetryScope[] = [];
  for (const { site, literal, argument } of candidates) {
    if (!queue.entry.sites.includes(site)) continue;
    if (judgedWhereDeclared(literal, call.getSourceFile(), resolver)) continue;
    const own = propertyOf(literal, queue.entry.keys.backoff);
    const backoff: JobRetry['backoff'] = own ? { state: 'written', value: own }
      : queue.defaults === undefined ? { state: 'unseen' }
        : queue.defaults === null ? { state: 'none' }
          : propertyOf(queue.defaults, queue.entry.keys.backoff) ? { state: 'inherited', value: propertyOf(queue.defaults, queue.entry.keys.backoff) }
            : { state: 'none' };
    const subject = `a job added by \`${shortText(`${callee.getText()}(…)`, 40)}\``;
    // Defaults that set `attempts` are a retry of their own, judged where they are written.
    const judgedElsewhere = backoff.state === 'inherited' && !!queue.defaults && !!attemptsOf(queue.defaults);
    const scope = jobScope({ entry: queue.entry, options: literal, backoff, queueName: queue.name }, call, argument, subject, resolver, judgedElsewhere);
    if (scope) scopes.push(scope);
  }
  return scopes;
}

function optionsAt(call: ts.CallExpression, site: JobOptionsSite, resolver: Resolver): { literal: ts.ObjectLiteralExpression; argument: ts.Expression }[] {
  const args = call.arguments;
  if (site.kind === 'method') {
    // Bull's `add([name,] data, opts)`: with two arguments, the second is the options unless the first is a name.
    const index = site.options !== 'after-data' ? site.options : args.length >= 3 ? 2 : args.length === 2 && !isStringLike(args[0]!, resolver) ? 1 : -1;
    const argument = args[index];
    const literal = argument && optionsLiteral(argument, resolver);
    return literal && argument ? [{ literal, argument }] : [];
  }
  if (site.kind !== 'bulk') return [];
  const list = args[0] && skipOuterExpressions(args[0]);
  if (!list || !ts.isArrayLiteralExpression(list)) return [];
  const out: { literal: ts.ObjectLiteralExpression; argument: ts.Expression }[] = [];
  for (const element of list.elements) {
    const job = resolveObjectLiteral(element, resolver);
    const opts = job && propertyOf(job, site.key);
    const literal = opts && optionsLiteral(opts, resolver);
    if (literal && opts) out.push({ literal, argument: opts });
  }
  return out;
}

function isStringLike(node: ts.Expression, resolver: Resolver): boolean {
  const bare = skipOuterExpressions(node);
  if (ts.isStringLiteralLike(bare) || ts.isTemplateExpression(bare) || constantString(bare, resolver) !== undefined) return true;
  if (!resolver.typeAware) return false;
  try {
    return !!(resolver.checker.getTypeAtLocation(bare).flags & ts.TypeFlags.StringLike);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- queue defaults and registrations

interface DefaultsSite {
  readonly entry: JobQueueEntry;
  readonly site: JobOptionsSite & { kind: 'defaults' };
}

function defaultsSiteOf(node: ts.CallExpression | ts.NewExpression, resolver: Resolver): DefaultsSite | undefined {
  const callee = skipOuterExpressions(node.expression);
  const last = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (last === undefined) return undefined;
  // Cheap gate: a registration's last name (`BullModule.registerQueue`); a constructor may be imported under any name.
  if (ts.isPropertyAccessExpression(callee) && !DEFAULTS_NAMES.has(last)) return undefined;
  const origin = resolver.resolve(callee);
  if (origin.kind !== 'module') return undefined;
  const kind = ts.isNewExpression(node) ? 'new' : 'call';
  for (const entry of jobQueues) {
    for (const site of entry.sites) {
      if (site.kind !== 'defaults' || site.module !== origin.module || (site.call !== 'either' && site.call !== kind)) continue;
      if (samePath(normalizedPath(origin), normalizedPath({ path: site.path }))) return { entry, site };
    }
  }
  return undefined;
}

/** The options objects of a construction or registration (each queue of `registerQueue(a, b)`). */
function defaultsHolders(node: ts.CallExpression | ts.NewExpression, site: DefaultsSite['site'], resolver: Resolver): ts.ObjectLiteralExpression[] {
  const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  const literals = (site.options === 'each' ? [...args] : site.options === 'object' ? [...args] : [args[site.options]])
    .map((a) => (a ? resolveObjectLiteral(a, resolver) : undefined))
    .filter((l): l is ts.ObjectLiteralExpression => !!l);
  const holders = site.options === 'object' ? literals.slice(0, 1) : literals;
  if (!site.factory) return holders;
  // `registerQueueAsync({ name, useFactory: () => ({ defaultJobOptions }) })`
  return holders.flatMap((h) => {
    const factory = propertyOf(h, site.factory!);
    const fn = factory && skipOuterExpressions(factory);
    const body = fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ? returnedExpression(fn) : undefined;
    const literal = body && resolveObjectLiteral(body, resolver);
    return literal ? [literal] : [];
  });
}

function returnedExpression(fn: ts.ArrowFunction | ts.FunctionExpression): ts.Expression | undefined {
  if (!ts.isBlock(fn.body)) return fn.body;
  const returns = fn.body.statements.filter(ts.isReturnStatement);
  return returns.length === 1 ? returns[0]!.expression : undefined;
}

function defaultsScopes(node: ts.CallExpression | ts.NewExpression, resolver: Resolver): RetryScope[] {
  const found = defaultsSiteOf(node, resolver);
  if (!found) return [];
  const scopes: RetryScope[] = [];
  const callee = skipOuterExpressions(node.expression);
  const written = shortText(`${ts.isNewExpression(node) ? 'new ' : ''}${callee.getText()}(…)`, 40);
  for (const holder of defaultsHolders(node, found.site, resolver)) {
    const value = propertyOf(holder, found.site.key);
    const literal = value && resolveObjectLiteral(value, resolver);
    if (!literal || !value || !attemptsOf(literal)) continue;
    const own = propertyOf(literal, found.entry.keys.backoff);
    const name = propertyOf(holder, 'name');
    const firstArgument = ts.isNewExpression(node) || found.entry.id === 'bull' ? node.arguments?.[0] : undefined;
    const queueName = name ? stringAcross(name, resolver) : firstArgument && found.site.options !== 'each' ? stringAcross(firstArgument, resolver) : undefined;
    const subject = queueName !== undefined
      ? `every job of the queue \`${shortText(queueName, 30)}\` (\`${found.site.key}\` of \`${written}\`)`
      : `every job of \`${written}\` (its \`${found.site.key}\`)`;
    const scope = jobScope({ entry: found.entry, options: literal, backoff: own ? { state: 'written', value: own } : { state: 'none' }, queueName }, node, value, subject, resolver);
    if (scope) scopes.push(scope);
  }
  return scopes;
}

// ---------------------------------------------------------------- which queue a receiver is

interface QueueRef {
  readonly entry: JobQueueEntry;
  /** The queue's `defaultJobOptions`: a literal, `null` when the queue sets none, `undefined` when unseen. */
  readonly defaults: ts.ObjectLiteralExpression | null | undefined;
  readonly name?: string | undefined;
}

export function queueOf(receiver: ts.Expression, resolver: Resolver, depth = 0): QueueRef | undefined {
  if (depth > 4) return undefined;
  const bare = skipOuterExpressions(receiver);
  if (ts.isNewExpression(bare) || ts.isCallExpression(bare)) return constructedQueue(bare, resolver);
  const nameNode = ts.isPropertyAccessExpression(bare) ? bare.name : ts.isIdentifier(bare) ? bare : undefined;
  const symbol = nameNode && resolver.getSymbol(nameNode);
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (decl && !decl.getSourceFile().isDeclarationFile) {
    if (ts.isVariableDeclaration(decl)) {
      if (decl.initializer) {
        const made = queueOf(decl.initializer, resolver, depth + 1);
        if (made) return made;
      }
      if (decl.type) return typedQueue(decl.type, undefined, resolver);
    }
    if (ts.isPropertyDeclaration(decl)) {
      const writes = fieldWrites(decl);
      const made = decl.initializer && writes.length === 0 ? decl.initializer : !decl.initializer && writes.length === 1 ? writes[0] : undefined;
      const fromMade = made && queueOf(made, resolver, depth + 1);
      if (fromMade) return fromMade;
      if (decl.type) return typedQueue(decl.type, decl, resolver);
    }
    if (ts.isParameter(decl) && decl.type) return typedQueue(decl.type, decl, resolver);
  }
  if (!resolver.typeAware) return undefined;
  // Across files: the checker's type of the receiver, declared by the queue library.
  try {
    const type = resolver.checker.getTypeAtLocation(bare);
    const entry = declaredTypeNames(type).map((named) => jobQueues.find((e) => e.module === named.module && e.queueTypes.includes(named.name))).find((e) => e !== undefined);
    return entry ? { entry, defaults: undefined } : undefined;
  } catch {
    return undefined;
  }
}

function constructedQueue(node: ts.NewExpression | ts.CallExpression, resolver: Resolver): QueueRef | undefined {
  const origin = resolver.resolve(skipOuterExpressions(node.expression));
  if (origin.kind !== 'module') return undefined;
  const entry = jobQueues.find((e) => e.module === origin.module && samePath(normalizedPath(origin), normalizedPath({ path: e.queueClass })));
  if (!entry || (ts.isCallExpression(node) && entry.id !== 'bull')) return undefined;
  const site = entry.sites.find((s): s is DefaultsSite['site'] => s.kind === 'defaults' && s.module === entry.module);
  const holder = site ? defaultsHolders(node, site, resolver)[0] : undefined;
  const args = node.arguments ?? [];
  const name = args[0] ? stringAcross(args[0], resolver) : undefined;
  // Options from a value we cannot read may set defaults.
  if (!holder && args.slice(1).some((a) => !isStringLike(a, resolver))) return { entry, defaults: undefined, name };
  const value = holder && site && propertyOf(holder, site.key);
  if (holder && holder.properties.some(ts.isSpreadAssignment) && !value) return { entry, defaults: undefined, name };
  if (!value) return { entry, defaults: null, name };
  return { entry, defaults: resolveObjectLiteral(value, resolver), name };
}

/**
 * A declared queue type (`Queue` from bullmq, `Bull.Queue`). An injected queue (`@InjectQueue('mail')`)
 * takes its defaults from the registration of that name, when the program shows one.
 */
function typedQueue(typeNode: ts.TypeNode, holder: ts.ParameterDeclaration | ts.PropertyDeclaration | undefined, resolver: Resolver): QueueRef | undefined {
  const entry = typeEntry(typeNode, resolver, (e) => e.queueTypes);
  if (!entry) return undefined;
  const injected = holder && injectedName(holder, entry, resolver);
  return { entry, defaults: injected === undefined ? undefined : registeredDefaults(injected, entry, resolver), name: injected };
}

function injectedName(holder: ts.ParameterDeclaration | ts.PropertyDeclaration, entry: JobQueueEntry, resolver: Resolver): string | undefined {
  for (const decorator of ts.getDecorators(holder) ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call)) continue;
    const origin = resolver.resolve(call.expression);
    if (origin.kind !== 'module' || !entry.inject?.modules.includes(origin.module) || origin.path.at(-1) !== entry.inject.decorator) continue;
    const name = call.arguments[0];
    return name ? stringAcross(name, resolver) : 'default';
  }
  return undefined;
}

/** The `defaultJobOptions` of the registration of queue `name` in this program; `undefined` when none is seen. */
function registeredDefaults(name: string, entry: JobQueueEntry, resolver: Resolver): ts.ObjectLiteralExpression | null | undefined {
  const index = resolver.index;
  if (!index) return undefined;
  let found: ts.ObjectLiteralExpression | null | undefined;
  let count = 0;
  for (const site of entry.sites) {
    if (site.kind !== 'defaults' || site.options !== 'each') continue;
    for (const call of index.callsNamed(site.path.at(-1)!)) {
      const fileResolver = index.resolverFor(call.getSourceFile());
      const match = defaultsSiteOf(call, fileResolver);
      if (!match || match.site !== site) continue;
      for (const holder of registeredHolders(call, site, fileResolver)) {
        const nameValue = propertyOf(holder.queue, 'name');
        if ((nameValue ? stringAcross(nameValue, fileResolver) : 'default') !== name) continue;
        count++;
        const value = propertyOf(holder.options, site.key);
        found = value ? resolveObjectLiteral(value, fileResolver) : holder.options.properties.some(ts.isSpreadAssignment) ? undefined : null;
      }
    }
  }
  // Registered more than once (per module, per environment): which one applies is not ours to pick.
  return count === 1 ? found : undefined;
}

function registeredHolders(call: ts.CallExpression, site: DefaultsSite['site'], resolver: Resolver): { queue: ts.ObjectLiteralExpression; options: ts.ObjectLiteralExpression }[] {
  const queues = call.arguments.map((a) => resolveObjectLiteral(a, resolver)).filter((l): l is ts.ObjectLiteralExpression => !!l);
  if (!site.factory) return queues.map((q) => ({ queue: q, options: q }));
  const options = defaultsHolders(call, site, resolver);
  return queues.length === options.length ? queues.map((q, i) => ({ queue: q, options: options[i]! })) : [];
}

// ---------------------------------------------------------------- judging the options

/**
 * A `const` imported from another module of the program (`DATA_GATHERING_QUEUE`, shared job
 * options): its initializer. Without a program, imports stay unknown.
 */
function importedInitializer(node: ts.Expression, resolver: Resolver): { value: ts.Expression; resolver: Resolver } | undefined {
  const bare = skipOuterExpressions(node);
  if (!ts.isIdentifier(bare) || !resolver.typeAware || !resolver.index) return undefined;
  const symbol = resolver.getSymbol(bare);
  if (!symbol || !(symbol.flags & ts.SymbolFlags.Alias)) return undefined;
  const target = resolver.checker.getAliasedSymbol(symbol);
  const decl = target.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)) return undefined;
  const file = decl.getSourceFile();
  if (file.isDeclarationFile) return undefined;
  return { value: decl.initializer, resolver: resolver.index.resolverFor(file) };
}

export function stringAcross(node: ts.Expression, resolver: Resolver): string | undefined {
  const local = constantString(node, resolver);
  if (local !== undefined) return local;
  const imported = importedInitializer(node, resolver);
  return imported ? constantString(imported.value, imported.resolver) : undefined;
}

/** Job options written in place, in a local `const`, or in a `const` another module exports. */
function optionsLiteral(node: ts.Expression, resolver: Resolver): ts.ObjectLiteralExpression | undefined {
  const local = resolveObjectLiteral(node, resolver);
  if (local) return local;
  const imported = importedInitializer(node, resolver);
  return imported ? resolveObjectLiteral(imported.value, imported.resolver) : undefined;
}

export function propertyOf(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (!p.name || propertyName(p.name) !== key) continue;
    if (ts.isPropertyAssignment(p)) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p)) return p.name;
  }
  return undefined;
}

function attemptsOf(literal: ts.ObjectLiteralExpression): ts.ObjectLiteralElementLike | undefined {
  return literal.properties.find((p) => p.name && propertyName(p.name) === 'attempts' && (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)));
}

function jobScope(job: JobRetry, site: ts.Node, argument: ts.Expression, subject: string, resolver: Resolver, judgedElsewhere = false): RetryScope | undefined {
  const attempts = attemptsOf(job.options)!;
  const attemptsValue = ts.isPropertyAssignment(attempts) ? attempts.initializer : (attempts as ts.ShorthandPropertyAssignment).name;
  const count = constantNumber(attemptsValue, resolver);
  if (count !== undefined && count <= job.entry.defaultAttempts) return undefined; // runs once: no retry
  const cap: CapFact = count === Infinity
    ? { state: 'absent', detail: `with no limit on attempts (\`${short(attempts)}\`)`, evidence: attempts }
    : count !== undefined
      ? { state: 'present', retries: count - 1, detail: `stops after ${count - 1} ${count === 2 ? 'retry' : 'retries'}`, evidence: attempts }
      : { state: 'present', detail: `stops after \`${short(attempts)}\``, evidence: attempts };
  const delay = judgedElsewhere ? { ...delayOf(job, resolver), judgedElsewhere } : delayOf(job, resolver);
  // Report on `attempts` where the options are written in this file; else on the argument that names them.
  const here = job.options.getSourceFile() === site.getSourceFile();
  const at = here ? attempts : argument;
  return {
    kind: 'job',
    node: here ? job.options : argument,
    start: at.getStart(),
    end: at.end,
    subject: `${subject} with \`${short(attempts)}\``,
    delay,
    cap,
    job,
    regions: [],
    statement: enclosingStatement(site),
  };
}

function delayOf(job: JobRetry, resolver: Resolver): DelayFact {
  const { entry, backoff } = job;
  const from = backoff.state === 'inherited' ? " (the queue's default)" : '';
  if (backoff.state === 'none') {
    return { kind: 'none', jitter: 'absent', detail: `waits nothing between attempts (with no \`backoff\`, ${entry.displayName} retries a failed job at once)` };
  }
  if (backoff.state === 'unseen' || !backoff.value) {
    return { kind: 'unknown', jitter: 'unknown', detail: "waits whatever `backoff` its queue's `defaultJobOptions` set, which cannot be seen here" };
  }
  const value = backoff.value;
  const number = constantNumber(value, resolver);
  if (number !== undefined) {
    return number === 0
      ? { kind: 'none', jitter: 'absent', detail: `waits nothing between attempts (\`backoff: ${short(value)}\`${from})`, evidence: value }
      : { kind: 'constant', jitter: 'absent', detail: `${describeDelay('constant', number)}${from}`, evidence: value };
  }
  const literal = resolveObjectLiteral(value, resolver);
  if (!literal || literal.properties.some(ts.isSpreadAssignment)) {
    return { kind: 'unknown', jitter: 'unknown', detail: `waits what \`${short(value)}\` says${from}, which cannot be read here`, evidence: value };
  }
  const typeValue = propertyOf(literal, 'type');
  const type = typeValue && constantString(typeValue, resolver);
  const growth = type === undefined ? undefined : entry.backoffTypes[type];
  if (!growth) {
    return { kind: 'unknown', jitter: 'unknown', detail: `uses ${type === undefined ? 'a backoff type that cannot be read here' : `the custom backoff strategy \`${type}\``}${from}`, evidence: literal };
  }
  const delayValue = propertyOf(literal, 'delay');
  const ms = delayValue ? constantNumber(delayValue, resolver) : 0;
  if (ms === 0) return { kind: 'none', jitter: 'absent', detail: `waits nothing between attempts (a \`${type}\` backoff with no \`delay\`${from})`, evidence: literal };
  const jitterValue = entry.jitterKey ? propertyOf(literal, entry.jitterKey) : undefined;
  const jitterNumber = jitterValue && constantNumber(jitterValue, resolver);
  const jitter: DelayFact['jitter'] = !jitterValue ? 'absent' : jitterNumber === undefined ? 'unknown' : jitterNumber > 0 ? 'present' : 'absent';
  const detail = growth === 'constant'
    ? `${ms === undefined ? `waits a constant \`${short(delayValue!)}\` between attempts` : describeDelay('constant', ms)}${from}`
    : `${describeDelay('exponential', undefined)}${from}`;
  return { kind: growth, jitter, detail, jitterDetail: jitter === 'absent' ? entry.noJitter : undefined, evidence: literal };
}
