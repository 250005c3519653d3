/**
 * The dependency inventory: every outbound call in a file, the dependency it talks to, and which
 * resilience policies cover it. Read from the same facts the rules judge, so the inventory and the
 * findings never disagree.
 */
import type ts from 'typescript';
import { getFileFacts, type DependencyFact, type NetworkCall } from './facts/index.ts';
import { findFallback } from './facts/fallback.ts';
import { findDependencyGuard } from './facts/dependency.ts';
import type { CatalogueExtensions } from './catalogue/extensions.ts';

export type PolicyState = 'present' | 'absent' | 'unknown' | 'n/a';

export interface InventoryCall {
  /** Offsets of the call expression in the file. */
  readonly start: number;
  readonly end: number;
  /** `https://pay.example.com`, `instance:payments`, or `unresolved:<client id>`. */
  readonly dependencyId: string;
  readonly dependencyDisplay: string;
  readonly client: string;
  readonly callee: string;
  readonly method: string | undefined;
  readonly policies: Policies;
}

/** The resilience policies around one call. */
export interface Policies {
  readonly timeout: PolicyState;
  /** Whether something re-sends the call on failure (a loop, a library, a helper, the client's own retry). */
  readonly retry: PolicyState;
  /** Exponential backoff between attempts (n/a when not retried). */
  readonly backoff: PolicyState;
  readonly jitter: PolicyState;
  /** An idempotency key that survives the retries (n/a unless a retried POST/PATCH). */
  readonly idempotencyKey: PolicyState;
  /** A circuit breaker or bulkhead around the call. */
  readonly breaker: PolicyState;
  /**
   * The caller handles the call's failure (or its breaker's rejection) where it is made: a catch that
   * does not rethrow, `.catch(handler)`, a fallback policy, an opossum `.fallback(…)`.
   */
  readonly fallback: PolicyState;
}

export interface InventoryOptions {
  readonly program?: ts.Program | undefined;
  readonly catalogue?: CatalogueExtensions | undefined;
}

/**
 * The map's row for a call. Instances named only by their variable are told apart by where it is
 * declared (two services' `httpClient` fields are two dependencies), as the rule tells them apart.
 */
function identity(dependency: DependencyFact | undefined, call: NetworkCall): { dependencyId: string; dependencyDisplay: string } {
  if (!dependency) return { dependencyId: `unresolved:${call.client.id}`, dependencyDisplay: `unresolved ${call.client.displayName} target` };
  if (!dependency.id.startsWith('instance:') || !dependency.home) return { dependencyId: dependency.id, dependencyDisplay: dependency.display };
  const file = dependency.home.getSourceFile();
  const where = `${file.fileName.slice(file.fileName.lastIndexOf('/') + 1)}:${file.getLineAndCharacterOfPosition(dependency.home.getStart()).line + 1}`;
  return { dependencyId: `${dependency.id}@${where}`, dependencyDisplay: `${dependency.display.replace(/ instance\)$/, ` instance, ${where})`)}` };
}

export function collectInventory(sourceFile: ts.SourceFile, options: InventoryOptions = {}): InventoryCall[] {
  const facts = getFileFacts(sourceFile, options.program, options.catalogue);
  const dependencyOf = new Map(facts.dependencies.map((d) => [d.call, d]));
  const idempotencyOf = new Map(facts.idempotency.map((f) => [f.call, f]));
  return facts.networkCalls.map((call) => {
    const dependency = dependencyOf.get(call);
    const exposure = facts.retried.get(call);
    const scope = exposure?.kind === 'scope' ? exposure.scope : undefined;
    const idempotency = idempotencyOf.get(call);
    const guard = dependency ? dependency.guard : findDependencyGuard(call.node, facts.resolver);
    const backoff: PolicyState = !exposure ? 'n/a' : !scope ? 'unknown'
      : scope.delay.kind === 'exponential' ? 'present' : scope.delay.kind === 'unknown' ? 'unknown' : 'absent';
    const jitter: PolicyState = !exposure ? 'n/a' : !scope ? 'unknown' : scope.delay.jitter;
    const key: PolicyState = !idempotency ? 'n/a'
      : idempotency.key.state === 'present' ? 'present' : idempotency.key.state === 'unknown' ? 'unknown' : 'absent';
    return {
      start: call.node.getStart(sourceFile),
      end: call.node.end,
      ...identity(dependency, call),
      client: call.client.displayName,
      callee: call.calleeText,
      method: call.method,
      policies: {
        timeout: call.timeout.state,
        retry: exposure ? 'present' : 'absent',
        backoff,
        jitter,
        idempotencyKey: key,
        // A call whose target cannot be named still runs inside a breaker or not.
        breaker: guard ? 'present' : 'absent',
        fallback: (dependency?.fallback ?? findFallback(call.node, guard, facts.resolver)).state,
      },
    };
  });
}
