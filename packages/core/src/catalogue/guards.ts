import type { TimeoutGuardEntry } from './types.ts';

/** Constructs that bound every call made inside them. */
export const timeoutGuards: readonly TimeoutGuardEntry[] = [
  { id: 'resilience-kit', displayName: 'withTimeout', module: '@resilience-kit/policies', name: 'withTimeout', kind: 'callback', argument: 1 },
  { id: 'cockatiel', displayName: 'cockatiel timeout', module: 'cockatiel', name: 'timeout', kind: 'policy-execute' },
  { id: 'p-timeout', displayName: 'p-timeout', module: 'p-timeout', name: 'default', kind: 'promise', argument: 0 },
];

/** cockatiel's `wrap(...policies)`: a policy that includes a timeout policy is one too. */
export const policyCombinators: readonly { readonly module: string; readonly name: string }[] = [
  { module: 'cockatiel', name: 'wrap' },
];
