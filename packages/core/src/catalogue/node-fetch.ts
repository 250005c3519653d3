import type { ClientEntry } from './types.ts';

/** node-fetch 3: no `timeout` option (v2 had one; v3 ignores the key). */
export const nodeFetchClient: ClientEntry = {
  id: 'node-fetch',
  displayName: 'node-fetch',
  modules: ['node-fetch'],
  calls: [{ path: [], on: 'module', args: { url: 0, options: 1 }, returns: 'promise' }],
  timeout: {
    default: { kind: 'none', note: 'node-fetch has no default timeout (and v3 ignores a `timeout` option)' },
    options: [],
    signalOption: 'signal',
    advice: 'pass `signal: AbortSignal.timeout(ms)` or wrap the call in `withTimeout` from @resilience-kit/policies',
  },
};
