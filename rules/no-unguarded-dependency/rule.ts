/**
 * no-unguarded-dependency: calls to an external dependency should run behind a circuit breaker or a
 * bulkhead, so a failing dependency is cut off instead of dragging its callers down with it.
 *
 * Judged per service, not per file: the dependencies of the modules linked to this file by imports
 * (the whole program with type information; the file alone without). One finding per dependency, at
 * its home (the client's variable, the constant its URLs start with, or the first call in the module
 * that calls it most), unless some of its calls are guarded already: then each call that slipped
 * past is reported where the fix (the same guard) goes. `strict` reports every bare call.
 */
import { breakerAdvice, createRule, planBreakerFix } from '@resilience-kit/core';
import type { DependencyFact, DependencyGuard, Fix, ProjectDependencies, ProjectDependency, TextEdit } from '@resilience-kit/core';

export interface Options {
  /** Report every unguarded call to a known dependency, each where it is made. */
  readonly strict: boolean;
  /** Dependencies (origins such as `https://pay.example.com`, or instance names) always reported when unguarded. */
  readonly criticalDependencies: readonly string[];
  /** Services of the same system (origins, instance names, `*.internal.example.com`): never asked to match the external ones. */
  readonly internalDependencies: readonly string[];
}

type MessageId = 'inconsistent' | 'unguardedInService' | 'critical' | 'unguarded';

export default createRule<Options, MessageId>({
  meta: {
    id: 'no-unguarded-dependency',
    description: 'Require calls to an external dependency to run behind a circuit breaker or bulkhead, as the service already does for others.',
    config: 'recommended',
    fixKind: 'suggestion',
    codemod: 'add-circuit-breaker',
    messages: {
      inconsistent: 'This call to {{dependency}} is not behind a circuit breaker, though the other calls to it run through {{guard}} ({{where}}): when {{dependency}} fails, this call keeps waiting on it. Fix: {{fix}}.',
      unguardedInService: '{{dependency}} has no circuit breaker or bulkhead on {{calls}}{{files}}, though this service {{guarded}}: when it fails or slows down, every caller keeps waiting on it. Fix: {{fix}}.',
      critical: '{{dependency}} is declared critical and has no circuit breaker or bulkhead on {{calls}}{{files}}: when it fails, every caller keeps waiting on it. Fix: {{fix}}.',
      unguarded: 'Calls to {{dependency}} are not behind a circuit breaker or bulkhead: when it fails or slows down, every caller keeps waiting on it. Fix: {{fix}}.',
    },
    schema: {
      type: 'object',
      properties: {
        strict: { type: 'boolean', description: 'Report every unguarded call to a known dependency, each where it is made (not only dependencies left bare where the service guards others). Turn this on once a codebase adopts breakers.' },
        criticalDependencies: {
          type: 'array',
          items: { type: 'string' },
          description: 'Origins (`https://pay.example.com`) or instance names (`payments`) whose calls must always be guarded.',
        },
        internalDependencies: {
          type: 'array',
          items: { type: 'string' },
          description: 'Services of the same system, never reported for lack of a breaker unless critical: origins, instance names, or host patterns (`*.svc.cluster.local`).',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { strict: false, criticalDependencies: [], internalDependencies: [] },
  },
  *check(context) {
    const { facts, options, sourceFile } = context;
    const critical = new Set(options.criticalDependencies.map(normalize));
    const internal = options.internalDependencies.map(normalize);
    const isCritical = (d: { id: string }): boolean => critical.has(d.id) || critical.has(d.id.replace(/^instance:/, ''));
    const isInternal = (d: { id: string }): boolean => !isCritical(d) && internal.some((pattern) => matches(pattern, d.id));
    const project = facts.project();
    // What the whole service guards is the same for each of its files: computed once per option set.
    const { guarded, internalGuards } = serviceGuards(project, `${[...critical].join('\u0000')}\u0001${internal.join('\u0000')}`, isInternal);
    // Only the dependencies this file calls or is the home of (a service has hundreds; a file, a few).
    const dependencies = project.forFile(sourceFile).filter((d) => !isInternal(d));
    const index = facts.resolver.index;
    const where = (node: import('typescript').Node): string => index?.where(node, sourceFile) ?? `line ${sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    for (const dependency of dependencies) {
      const bare = dependency.facts.filter((f) => !f.guard);
      if (bare.length === 0) continue;
      const here = bare.filter((f) => f.call.node.getSourceFile() === sourceFile);
      const siblings = facts.dependencies;
      const guardedCall = dependency.facts.find((f) => f.guard);
      if (guardedCall?.guard) {
        // The team guards this dependency: each call that slipped past, where the same guard goes.
        for (const fact of here) {
          const fix = planBreakerFix(fact, siblings, facts.resolver);
          const sameFile = guardedCall.guard.node.getSourceFile() === sourceFile;
          yield {
            messageId: 'inconsistent',
            data: { dependency: fact.display, guard: guardedCall.guard.name, where: where(guardedCall.guard.node), fix: breakerAdvice(fact, siblings) },
            start: fact.call.node.getStart(),
            end: fact.call.node.end,
            evidence: sameFile ? [{ message: `guarded here by ${guardedCall.guard.name}`, start: guardedCall.guard.node.getStart(), end: guardedCall.guard.node.end }] : [],
            ...(fix ? { fix } : {}),
          };
        }
        continue;
      }
      const others = guarded.filter((d) => d !== dependency);
      // The service runs code through a guard (an SDK the catalogue does not know, a target it cannot name).
      const region = others.length === 0 ? project.guardedRegions.find((r) => !internalGuards.has(r.node)) : undefined;
      const messageId: MessageId | undefined = isCritical(dependency) ? 'critical' : others.length > 0 || region ? 'unguardedInService' : options.strict ? 'unguarded' : undefined;
      if (!messageId) continue;
      const data: Record<string, string> = {
        dependency: dependency.display,
        calls: bare.length === 1 ? 'its only call site' : `any of its ${bare.length} call sites`,
        files: dependency.files > 1 ? ` in ${plural(dependency.files, 'file')}` : '',
        guarded: region ? `runs calls through ${region.name} (${where(region.node)})` : `guards ${guardedList(others, where)}`,
        fix: ownGuardAdvice(others, region) ?? breakerAdvice(bare[0]!, siblings),
      };
      if (options.strict) {
        // Editors: every bare call, each with its own fix.
        for (const fact of here) {
          const fix = planBreakerFix(fact, siblings, facts.resolver);
          yield { messageId, data: { ...data, fix: breakerAdvice(fact, siblings) } as Record<string, string>, start: fact.call.node.getStart(), end: fact.call.node.end, ...(fix ? { fix } : {}) };
        }
        continue;
      }
      const home = dependency.home;
      if (home.getSourceFile() !== sourceFile) continue;
      const fix = homeFix(dependency, bare, here, siblings, facts.resolver);
      yield {
        messageId,
        data,
        start: home.getStart(),
        end: home.end,
        evidence: here.filter((f) => f.call.node !== home).map((f) => ({ message: `a call to ${dependency.display}`, start: f.call.node.getStart(), end: f.call.node.end })),
        ...('edits' in fix ? { fix } : { noFixReason: fix.reason }),
      };
    }
  },
});

const serviceCache = new WeakMap<ProjectDependencies, Map<string, { guarded: ProjectDependency[]; internalGuards: Set<unknown> }>>();

function serviceGuards(
  project: ProjectDependencies, key: string, isInternal: (d: ProjectDependency) => boolean,
): { guarded: ProjectDependency[]; internalGuards: Set<unknown> } {
  let byOptions = serviceCache.get(project);
  if (!byOptions) serviceCache.set(project, (byOptions = new Map()));
  let found = byOptions.get(key);
  if (!found) {
    found = {
      guarded: project.dependencies.filter((d) => !isInternal(d) && d.facts.some((f) => f.guard)),
      // Guarding an internal service is not evidence about the external ones.
      internalGuards: new Set(project.dependencies.filter(isInternal).flatMap((d) => d.facts.flatMap((f) => (f.guard ? [f.guard.node] : [])))),
    };
    byOptions.set(key, found);
  }
  return found;
}

/** One fix for the whole dependency: every call wrapped in one breaker, when they are all in this file. */
function homeFix(
  dependency: ProjectDependency, bare: readonly DependencyFact[], here: readonly DependencyFact[], siblings: readonly DependencyFact[],
  resolver: Parameters<typeof planBreakerFix>[2],
): Fix | { reason: string } {
  if (here.length < bare.length) {
    return { reason: `its calls are in ${plural(dependency.files, 'file')}: export one breaker from the module that owns ${dependency.display} and run each call through it` };
  }
  const edits: TextEdit[] = [];
  for (const fact of here) {
    const fix = planBreakerFix(fact, siblings, resolver);
    if (!fix) return { reason: 'a call cannot be wrapped as it is (a stream, a request object, or a name already taken): run it through a breaker by hand' };
    // The import and the breaker's declaration are the same edit for every call: made once.
    for (const edit of fix.edits) if (!edits.some((e) => e.start === edit.start && e.end === edit.end && e.text === edit.text)) edits.push(edit);
  }
  const name = `${dependency.baseName}Breaker`;
  return { description: `Run ${here.length === 1 ? 'it' : `its ${here.length} calls`} through \`${name}\`, a circuit breaker for ${dependency.display}`, edits };
}

function guardedList(dependencies: readonly ProjectDependency[], where: (node: import('typescript').Node) => string): string {
  const shown = dependencies.slice(0, 2).map((d) => {
    const guard = d.facts.find((f) => f.guard)!.guard!;
    return `${d.display} with ${guard.name} (${where(guard.node)})`;
  });
  const more = dependencies.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${plural(more, 'other dependency', 'other dependencies')}`;
  return shown.join(' and ');
}

/**
 * The service's own guard (a breaker registry, a wrapper of the team's), named from a dependency it
 * guards: the fix a reviewer expects first. A library breaker is one circuit, never shared between
 * dependencies: then the advice is a breaker of its own.
 */
function ownGuardAdvice(guarded: readonly ProjectDependency[], region: DependencyGuard | undefined): string | undefined {
  // The guard by its own name (`CircuitBreakerService.execute`), without what it runs underneath.
  const own = (name: string, like: string): string => `run its calls through ${name.replace(/ \(.*\)$/, '')}${like}, or through one breaker of its own (\`circuitBreaker()\` from @resilience-kit/policies)`;
  for (const dependency of guarded) {
    const guard = dependency.facts.find((f) => f.guard?.base)?.guard;
    if (guard) return own(guard.name, `, as for ${dependency.display}`);
  }
  return region?.base ? own(region.name, ' like the service\'s other guarded calls') : undefined;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function normalize(entry: string): string {
  return entry.toLowerCase().replace(/\/+$/, '');
}

/** An origin, an instance name, or a host pattern `*.example.internal`. */
function matches(pattern: string, id: string): boolean {
  if (pattern === id || `instance:${pattern}` === id) return true;
  if (!pattern.startsWith('*.')) return false;
  const host = id.replace(/^https?:\/\//, '').replace(/:\d+$/, '');
  return host.endsWith(pattern.slice(1));
}
