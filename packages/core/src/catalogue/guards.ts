import type { DependencyGuardEntry, TimeoutGuardEntry } from './types.ts';

/** Constructs that bound every call made inside them. */
export const timeoutGuards: readonly TimeoutGuardEntry[] = [
  // Rejects at the deadline even if the callback ignores the signal (Aggressive underneath).
  { id: 'resilience-kit', displayName: 'withTimeout', module: '@resilience-kit/policies', name: 'withTimeout', kind: 'callback', argument: 1, deadline: { argument: 0 } },
  // `policy({ timeoutMs }).execute(fn)`: each attempt runs under withTimeout; without timeoutMs, no deadline.
  { id: 'resilience-kit-policy', displayName: 'policy with timeoutMs', module: '@resilience-kit/policies', name: 'policy', kind: 'policy-execute', deadline: { argument: 0, property: 'timeoutMs', required: true } },
  // Cooperative only aborts the signal and waits for the function (catalogue §2.2, probe cock.mjs).
  {
    id: 'cockatiel', displayName: 'cockatiel timeout', module: 'cockatiel', name: 'timeout', kind: 'policy-execute',
    deadline: { argument: 0 }, cooperative: { argument: 1, member: 'Cooperative' },
  },
  // p-timeout never times out for delays setTimeout cannot represent (Infinity).
  { id: 'p-timeout', displayName: 'p-timeout', module: 'p-timeout', name: 'default', kind: 'promise', argument: 0, deadline: { argument: 1, property: 'milliseconds' } },
];

/** cockatiel's `wrap(...policies)`: a policy that includes a timeout policy is one too. */
export const policyCombinators: readonly { readonly module: string; readonly name: string }[] = [
  { module: 'cockatiel', name: 'wrap' },
];

/**
 * Policies that answer when the call fails (graceful degradation): a call made through one has a
 * fallback. `option`: the policy has one only when its options name it (`policy({ fallback })`); without
 * it, the policy is a fallback itself (cockatiel's `fallback(handleAll, value)`).
 */
export const fallbackPolicies: readonly { readonly module: string; readonly name: string; readonly option?: string }[] = [
  { module: '@resilience-kit/policies', name: 'policy', option: 'fallback' },
  { module: 'cockatiel', name: 'fallback' },
];

/** Circuit breakers and bulkheads: a call inside one is isolated from its dependency's failures. */
export const dependencyGuards: readonly DependencyGuardEntry[] = [
  { displayName: 'circuitBreaker', module: '@resilience-kit/policies', name: 'circuitBreaker', kind: 'policy-execute', reusable: true, instanceTypes: { names: ['CircuitBreaker'], methods: ['execute'] } },
  { displayName: 'bulkhead', module: '@resilience-kit/policies', name: 'bulkhead', kind: 'policy-execute', instanceTypes: { names: ['Bulkhead'], methods: ['execute'] } },
  { displayName: 'policy', module: '@resilience-kit/policies', name: 'policy', kind: 'policy-execute', requiresOption: ['circuitBreaker', 'bulkhead'] },
  { displayName: 'cockatiel circuitBreaker', module: 'cockatiel', name: 'circuitBreaker', kind: 'policy-execute', reusable: true, instanceTypes: { names: ['CircuitBreakerPolicy'], methods: ['execute'] } },
  { displayName: 'cockatiel bulkhead', module: 'cockatiel', name: 'bulkhead', kind: 'policy-execute', instanceTypes: { names: ['BulkheadPolicy'], methods: ['execute'] } },
  // `breaker.fire(arg)` hands `arg` to the breaker's action: with a pass-through action
  // (`new CircuitBreaker((fn) => fn())`, the shape of a breaker service) the callback runs guarded.
  { displayName: 'opossum', module: 'opossum', name: 'default', kind: 'constructor-callback', instanceTypes: { names: ['CircuitBreaker'], methods: ['fire', 'call'] } },
];
