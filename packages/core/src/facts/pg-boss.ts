/**
 * pg-boss retries: a failed job runs again `retryLimit` times (2 by default), at once unless
 * `retryDelay` (constant) or `retryBackoff: true` (exponential with jitter) says otherwise. Judged
 * where the options are written: on `createQueue(name, options)` (a queue created with no retry
 * options gets the defaults: two immediate retries), and on `send(name, data, options)` when those
 * options set a retry key. The handler given to `work(name, handler)` runs again for each retry, so it
 * is a retry region for require-idempotency-key unless the program shows its queue made with
 * `retryLimit: 0`.
 */
import ts from 'typescript';
import { pgBoss, type PgBossEntry } from '../catalogue/pg-boss.ts';
import { constantNumber, constantString, propertyName, resolveObjectLiteral } from './network-calls.ts';
import { declaredTypeNames, skipOuterExpressions, type Resolver } from './resolve.ts';
import { describeDelay, enclosingStatement, type CapFact, type DelayFact, type RetryScope } from './retry.ts';
import { short } from './text.ts';

const MODULE_TEXTS = [`'${pgBoss.module}'`, `"${pgBoss.module}"`];

interface QueueOptions {
  readonly retries: number | 'unknown';
  readonly delay: DelayFact;
  readonly capEvidence: ts.Node | undefined;
}

export function collectPgBossRetries(sourceFile: ts.SourceFile, resolver: Resolver): RetryScope[] {
  if (!mentionsPgBoss(sourceFile, resolver)) return [];
  const scopes: RetryScope[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const scope = queueScope(node, pgBoss, resolver) ?? sendScope(node, pgBoss, resolver);
      if (scope) scopes.push(scope);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return scopes;
}

/** A file that imports pg-boss, or (with a program) calls methods of an instance typed `PgBoss`. */
function mentionsPgBoss(sourceFile: ts.SourceFile, resolver: Resolver): boolean {
  return MODULE_TEXTS.some((m) => sourceFile.text.includes(m)) || (resolver.typeAware && /\.(createQueue|work|send)\b/.test(sourceFile.text));
}

function methodCall(call: ts.CallExpression, names: readonly string[]): { method: string; receiver: ts.Expression } | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !names.includes(callee.name.text)) return undefined;
  return { method: callee.name.text, receiver: callee.expression };
}

/** Is this expression a `PgBoss` instance: typed so (with a program), or made here by `new PgBoss(…)`? */
export function isPgBoss(expression: ts.Expression, entry: PgBossEntry, resolver: Resolver): boolean {
  if (resolver.typeAware) {
    try {
      const type = resolver.checker.getTypeAtLocation(expression);
      if (declaredTypeNames(type).some((named) => named.name === entry.typeName && named.module === entry.module)) return true;
    } catch {
      // fall through to the syntactic reading
    }
  }
  let node = skipOuterExpressions(expression);
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const decl = resolver.getSymbol(node.name)?.valueDeclaration;
    if (decl && (ts.isPropertyDeclaration(decl) || ts.isParameter(decl))) {
      if (decl.type && namesClass(decl.type, entry, resolver)) return true;
      if (decl.initializer) node = skipOuterExpressions(decl.initializer);
    }
  }
  if (ts.isIdentifier(node)) {
    const decl = resolver.getSymbol(node)?.valueDeclaration;
    if (decl && (ts.isVariableDeclaration(decl) || ts.isParameter(decl))) {
      if (decl.type && namesClass(decl.type, entry, resolver)) return true;
      if (decl.initializer) node = skipOuterExpressions(decl.initializer);
    }
  }
  if (ts.isAwaitExpression(node)) node = skipOuterExpressions(node.expression);
  return ts.isNewExpression(node) && isClass(node.expression, entry, resolver);
}

function isClass(expression: ts.Expression, entry: PgBossEntry, resolver: Resolver): boolean {
  const origin = resolver.resolve(expression);
  return origin.kind === 'module' && origin.module === entry.module && entry.classPaths.some((p) => p.length === origin.path.length && p.every((s, i) => s === origin.path[i]));
}

function namesClass(type: ts.TypeNode, entry: PgBossEntry, resolver: Resolver): boolean {
  if (!ts.isTypeReferenceNode(type)) return false;
  const name = ts.isIdentifier(type.typeName) ? type.typeName : type.typeName.right;
  return (ts.isIdentifier(type.typeName) ? isClass(type.typeName, entry, resolver) : false) || (name.text === entry.typeName && isClass(name, entry, resolver));
}

/** Retry options as written (an object literal, here or through a const); undefined when none is readable. */
function readOptions(options: ts.Expression | undefined, entry: PgBossEntry, resolver: Resolver): { literal: ts.ObjectLiteralExpression | undefined; unreadable: boolean } {
  if (!options || options.kind === ts.SyntaxKind.NullKeyword) return { literal: undefined, unreadable: false };
  const literal = resolveObjectLiteral(options, resolver);
  return { literal, unreadable: !literal || literal.properties.some(ts.isSpreadAssignment) };
}

function valueOf(literal: ts.ObjectLiteralExpression | undefined, key: string): ts.Expression | undefined {
  const prop = literal?.properties.find((p) => p.name && propertyName(p.name) === key);
  return prop && ts.isPropertyAssignment(prop) ? prop.initializer : prop && ts.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
}

/** What the options (over the defaults, or over a queue's) make of the retries. */
function judge(literal: ts.ObjectLiteralExpression | undefined, entry: PgBossEntry, resolver: Resolver, base?: QueueOptions): QueueOptions {
  const retriesValue = valueOf(literal, entry.keys.retries);
  const delayValue = valueOf(literal, entry.keys.delay);
  const backoffValue = valueOf(literal, entry.keys.backoff);
  const retries = retriesValue ? constantNumber(retriesValue, resolver) ?? 'unknown' : base?.retries ?? entry.defaults.retries;
  const capEvidence = retriesValue ?? base?.capEvidence;
  if (!delayValue && !backoffValue && base) return { retries, delay: base.delay, capEvidence };
  const backoff = backoffValue ? backoffValue.kind === ts.SyntaxKind.TrueKeyword ? true : backoffValue.kind === ts.SyntaxKind.FalseKeyword ? false : 'unknown' : entry.defaults.backoff;
  const seconds = delayValue ? constantNumber(delayValue, resolver) : entry.defaults.delaySeconds;
  let delay: DelayFact;
  if (backoff === 'unknown') delay = { kind: 'unknown', jitter: 'unknown', detail: `waits what \`${short(backoffValue!)}\` decides, which cannot be read here`, evidence: backoffValue };
  else if (backoff) delay = { kind: 'exponential', jitter: 'present', detail: 'backs off exponentially', evidence: backoffValue };
  else if (seconds === undefined) delay = { kind: 'unknown', jitter: 'absent', detail: `waits \`${short(delayValue!)}\` seconds between attempts, which cannot be read here`, evidence: delayValue, maybeNone: true };
  else if (seconds === 0) delay = { kind: 'none', jitter: 'absent', detail: delayValue ? describeDelay('none', 0) : 'waits nothing between attempts (pg-boss\'s default `retryDelay: 0`)', evidence: delayValue };
  else delay = { kind: 'constant', jitter: 'absent', detail: describeDelay('constant', seconds * 1000), evidence: delayValue };
  return { retries, delay, capEvidence };
}

function capOf(options: QueueOptions): CapFact {
  if (options.retries === 'unknown') return { state: 'unknown', detail: 'with a limit on attempts that cannot be read here', evidence: options.capEvidence };
  const written = options.capEvidence ? '' : ' (pg-boss\'s default `retryLimit: 2`)';
  return { state: 'present', retries: options.retries, detail: `stops after ${options.retries} ${options.retries === 1 ? 'retry' : 'retries'}${written}`, evidence: options.capEvidence };
}

/** `boss.createQueue('email', { retryLimit: 5 })`: the queue's retries, written here (or its defaults). */
function queueScope(call: ts.CallExpression, entry: PgBossEntry, resolver: Resolver): RetryScope | undefined {
  const found = methodCall(call, entry.queueMethods.map((m) => m.method));
  if (!found || !isPgBoss(found.receiver, entry, resolver)) return undefined;
  const spec = entry.queueMethods.find((m) => m.method === found.method)!;
  const { literal, unreadable } = readOptions(call.arguments[spec.options], entry, resolver);
  if (unreadable) return undefined;
  // updateQueue changes only what it names: judged only when it names a retry key.
  if (found.method !== 'createQueue' && !Object.values(entry.keys).some((k) => valueOf(literal, k))) return undefined;
  const options = judge(literal, entry, resolver);
  if (options.retries === 0) return undefined;
  const name = call.arguments[spec.name] ? constantString(call.arguments[spec.name]!, resolver) : undefined;
  return scopeFor(call, options, `a failed job of \`${short(call.expression)}(${name !== undefined ? `'${name}'` : '…'}, …)\``, entry, literal);
}

/** `boss.send('email', data, { retryLimit: 5, retryDelay: 10 })`: judged when the job's options set a retry key. */
function sendScope(call: ts.CallExpression, entry: PgBossEntry, resolver: Resolver): RetryScope | undefined {
  const found = methodCall(call, entry.sendMethods.map((m) => m.method));
  if (!found) return undefined;
  const spec = entry.sendMethods.find((m) => m.method === found.method)!;
  const { literal, unreadable } = readOptions(call.arguments[spec.options], entry, resolver);
  if (unreadable || !literal || !Object.values(entry.keys).some((k) => valueOf(literal, k))) return undefined;
  if (!isPgBoss(found.receiver, entry, resolver)) return undefined;
  const options = judge(literal, entry, resolver);
  if (options.retries === 0) return undefined;
  return scopeFor(call, options, `a failed job sent by \`${short(call.expression)}(…)\``, entry, literal);
}

function scopeFor(call: ts.CallExpression, options: QueueOptions, subject: string, entry: PgBossEntry, literal: ts.ObjectLiteralExpression | undefined): RetryScope {
  const callee = skipOuterExpressions(call.expression) as ts.PropertyAccessExpression;
  return {
    kind: 'job',
    node: call,
    start: callee.name.getStart(),
    end: callee.name.end,
    subject,
    delay: options.delay,
    cap: capOf(options),
    advice: entry.advice,
    regions: [],
    statement: enclosingStatement(call),
    pgBoss: { call, literal, fix: entry.fix, backoffKey: entry.keys.backoff },
  };
}

/**
 * Handlers of `work(name, [options,] handler)`: retried unless the program shows the queue made with
 * `retryLimit: 0` (pg-boss retries twice by default).
 */
export function collectPgBossWorkers(sourceFile: ts.SourceFile, resolver: Resolver): RetryScope[] {
  if (!mentionsPgBoss(sourceFile, resolver) || !sourceFile.text.includes(`.${pgBoss.workMethod}`)) return [];
  const scopes: RetryScope[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const found = methodCall(node, [pgBoss.workMethod]);
      const handler = found && node.arguments.length >= 2 ? skipOuterExpressions(node.arguments[node.arguments.length - 1]!) : undefined;
      if (found && handler && (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) && isPgBoss(found.receiver, pgBoss, resolver)) {
        const name = constantString(node.arguments[0]!, resolver);
        const queue = name !== undefined ? queueOptionsFor(name, resolver) : undefined;
        const options = queue ?? judge(undefined, pgBoss, resolver);
        if (options.retries !== 0) {
          const param = handler.parameters[0];
          scopes.push({
            kind: 'job',
            node,
            start: node.expression.getStart(),
            end: node.expression.end,
            subject: `the handler of \`${short(node.expression)}(${name !== undefined ? `'${name}'` : '…'}, …)\`, whose jobs pg-boss retries (${capOf(options).detail})`,
            delay: { ...options.delay, judgedElsewhere: true },
            cap: capOf(options),
            regions: [handler.body],
            statement: undefined,
            processor: { queueName: name ?? 'job', jobParameter: param && ts.isIdentifier(param.name) ? param.name.text : undefined },
          });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return scopes;
}

/** The options of `createQueue(name, …)` anywhere in the program (or this file), if written as a literal. */
function queueOptionsFor(name: string, resolver: Resolver): QueueOptions | undefined {
  const files = resolver.index?.filesMentioning(['createQueue']) ?? [];
  for (const file of files) {
    if (!file.text.includes(name)) continue;
    const fileResolver = resolver.index!.resolverFor(file);
    let found: QueueOptions | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(node)) {
        const call = methodCall(node, ['createQueue']);
        if (call && node.arguments[0] && constantString(node.arguments[0], fileResolver) === name) {
          const { literal, unreadable } = readOptions(node.arguments[1], pgBoss, fileResolver);
          if (!unreadable) found = judge(literal, pgBoss, fileResolver);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    if (found) return found;
  }
  return undefined;
}
