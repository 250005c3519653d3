/**
 * Job processors: the code that runs a queue's jobs (BullMQ `new Worker(name, fn)`, Bull
 * `queue.process(fn)`, NestJS `@Processor(name)`). When the program retries that queue's jobs (see
 * job-queues.ts), everything a processor does runs again on each attempt: a retried region for
 * require-idempotency-key. The delay and cap stay judged where the job options are written.
 */
import ts from 'typescript';
import { jobQueues, type JobProcessorSite, type JobQueueEntry } from '../catalogue/job-queues.ts';
import { resolveObjectLiteral } from './network-calls.ts';
import { MODULE_TEXTS, propertyOf, queueOf, stringAcross } from './job-queues.ts';
import { normalizedPath, samePath, skipOuterExpressions, type Resolver } from './resolve.ts';
import { collectRetryScopes, type RetryScope } from './retry.ts';
import { short, shortText } from './text.ts';


/** Every job retry of the program whose queue is known, by queue name (the first one seen). */
const retriesByQueueCache = new WeakMap<object, Map<string, RetryScope>>();

function jobRetriesByQueue(resolver: Resolver): Map<string, RetryScope> {
  const key: object = resolver.index ?? resolver;
  let map = retriesByQueueCache.get(key);
  if (map) return map;
  map = new Map();
  const files = resolver.index ? resolver.index.files : [resolver.sourceFile];
  for (const file of files) {
    if (!file.text.includes('attempts')) continue;
    const fileResolver = resolver.index ? resolver.index.resolverFor(file) : resolver;
    for (const scope of collectRetryScopes(file, fileResolver)) {
      const name = scope.job?.queueName;
      if (name !== undefined && !map.has(name)) map.set(name, scope);
    }
  }
  retriesByQueueCache.set(key, map);
  return map;
}

type FunctionLike = ts.FunctionLikeDeclaration;

/**
 * The processors of queues whose jobs are retried (`attempts` above 1 on the queue, its registration
 * or a job added to it, anywhere in the program): each is a retried region, so a POST it sends needs a
 * key that is the same on every attempt of the job. The delay and cap are judged at the options.
 */
export function collectJobProcessors(sourceFile: ts.SourceFile, resolver: Resolver): RetryScope[] {
  if (!MODULE_TEXTS.some((m) => sourceFile.text.includes(m))) return [];
  const found: { name: string; fn: FunctionLike; at: ts.Node; written: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node)) found.push(...workerProcessor(node, resolver));
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(skipOuterExpressions(node.expression))) found.push(...methodProcessor(node, resolver));
    if (ts.isClassDeclaration(node)) found.push(...classProcessors(node, resolver));
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  if (found.length === 0) return [];
  const retries = jobRetriesByQueue(resolver);
  const scopes: RetryScope[] = [];
  for (const { name, fn, at, written } of found) {
    const retry = retries.get(name);
    if (!retry || !fn.body) continue;
    const where = resolver.index ? resolver.index.where(retry.node, sourceFile) : `line ${sourceFile.getLineAndCharacterOfPosition(retry.start).line + 1}`;
    const param = fn.parameters[0];
    scopes.push({
      kind: 'job',
      node: at,
      start: at.getStart(),
      end: at.end,
      subject: `${written}, whose jobs are retried (\`${retry.cap.evidence ? short(retry.cap.evidence) : 'attempts'}\` at ${where})`,
      delay: retry.delay,
      cap: retry.cap,
      regions: [fn.body],
      statement: undefined,
      processor: { queueName: name, jobParameter: param && ts.isIdentifier(param.name) ? param.name.text : undefined },
    });
  }
  return scopes;
}

function processorsOf(kind: JobProcessorSite['kind']): { entry: JobQueueEntry; site: JobProcessorSite }[] {
  return jobQueues.flatMap((entry) => entry.processors.filter((p) => p.kind === kind).map((site) => ({ entry, site })));
}

function functionOf(node: ts.Expression | undefined, resolver: Resolver): FunctionLike | undefined {
  const bare = node && skipOuterExpressions(node);
  if (!bare) return undefined;
  if (ts.isArrowFunction(bare) || ts.isFunctionExpression(bare)) return bare;
  if (ts.isIdentifier(bare) || ts.isPropertyAccessExpression(bare)) {
    const symbol = resolver.getSymbol(ts.isPropertyAccessExpression(bare) ? bare.name : bare);
    const decl = symbol?.valueDeclaration;
    if (decl && (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl))) return decl;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return functionOf(decl.initializer, resolver);
  }
  return undefined;
}

function workerProcessor(node: ts.NewExpression, resolver: Resolver): { name: string; fn: FunctionLike; at: ts.Node; written: string }[] {
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return [];
  const origin = resolver.resolve(callee);
  if (origin.kind !== 'module') return [];
  for (const { entry, site } of processorsOf('worker')) {
    if (site.kind !== 'worker' || origin.module !== entry.module || !samePath(normalizedPath(origin), site.path)) continue;
    const nameArg = node.arguments?.[site.name];
    const name = nameArg && stringAcross(nameArg, resolver);
    const fn = functionOf(node.arguments?.[site.processor], resolver);
    if (name !== undefined && fn) return [{ name, fn, at: callee, written: `the processor of \`${shortText(`new ${callee.getText()}(…)`, 30)}\` for queue \`${shortText(name, 30)}\`` }];
  }
  return [];
}

function methodProcessor(call: ts.CallExpression, resolver: Resolver): { name: string; fn: FunctionLike; at: ts.Node; written: string }[] {
  const callee = skipOuterExpressions(call.expression) as ts.PropertyAccessExpression;
  const sites = processorsOf('method').filter(({ site }) => site.kind === 'method' && site.method === callee.name.text);
  if (sites.length === 0) return [];
  const fn = functionOf(call.arguments.at(-1), resolver);
  if (!fn) return [];
  const queue = queueOf(callee.expression, resolver);
  if (!queue || queue.name === undefined || !sites.some((s) => s.entry === queue.entry)) return [];
  return [{ name: queue.name, fn, at: callee, written: `the processor \`${shortText(`${callee.getText()}(…)`, 40)}\`` }];
}

function classProcessors(node: ts.ClassDeclaration, resolver: Resolver): { name: string; fn: FunctionLike; at: ts.Node; written: string }[] {
  const out: { name: string; fn: FunctionLike; at: ts.Node; written: string }[] = [];
  for (const decorator of ts.getDecorators(node) ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call)) continue;
    const origin = resolver.resolve(call.expression);
    if (origin.kind !== 'module') continue;
    for (const { site } of processorsOf('class')) {
      if (site.kind !== 'class' || !site.modules.includes(origin.module) || origin.path.at(-1) !== site.decorator) continue;
      // `@Processor('mail')` or `@Processor({ name: 'mail' })`.
      const arg = call.arguments[0];
      const object = arg && resolveObjectLiteral(arg, resolver);
      const nameNode = object ? propertyOf(object, 'name') : arg;
      const name = nameNode && stringAcross(nameNode, resolver);
      if (name === undefined) continue;
      for (const member of node.members) {
        if (!ts.isMethodDeclaration(member) || !member.body) continue;
        const byName = site.method !== undefined && member.name.getText() === site.method;
        const byDecorator = site.methodDecorator !== undefined && (ts.getDecorators(member) ?? []).some((d) => {
          const expression = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
          const o = resolver.resolve(expression);
          return o.kind === 'module' && site.modules.includes(o.module) && o.path.at(-1) === site.methodDecorator;
        });
        if (byName || byDecorator) out.push({ name, fn: member, at: member.name, written: `the processor \`${node.name?.text ?? 'class'}.${member.name.getText()}\` of queue \`${shortText(name, 30)}\`` });
      }
    }
  }
  return out;
}
