import type { TimeoutGuardEntry } from './types.ts';

/** Constructs that bound every call made inside them. */
export const timeoutGuards: readonly TimeoutGuardEntry[] = [
  // Rejects at the deadline even if the callback ignores the signal (Aggressive underneath).
  { id: 'resilience-kit', displayName: 'withTimeout', module: '@resilience-kit/policies', name: 'withTimeout', kind: 'callback', argument: 1, deadline: { argument: 0 } },
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
