import type { ClientEntry } from './types.ts';

/**
 * node-fetch: no default timeout. v2's `timeout` is a real deadline (headers, and the body read);
 * v3 removed it and ignores the key. Which one is installed is not in the code: `timeout` is unknown.
 */
export const nodeFetchClient: ClientEntry = {
  id: 'node-fetch',
  displayName: 'node-fetch',
  verified: 'node-fetch 3.3.2, §1.2',
  modules: ['node-fetch'],
  idempotency: { headersOption: 'headers' },
  calls: [{ path: [], on: 'module', args: { url: 0, options: 1 }, returns: 'promise', acceptsRequest: true }],
  timeout: {
    default: { kind: 'none', note: 'node-fetch has no default timeout' },
    options: [{ name: 'timeout', form: 'ms', disabledBy: [0], versionDependent: 'node-fetch 2 honours `timeout`, but node-fetch 3 ignores it' }],
    signalOption: 'signal',
    // node-fetch 2.3.0 added `signal` (CHANGELOG.md, lib/index.js); 2.2 ignores it silently.
    signalSince: '2.3.0',
    // Its own `timeout` on node-fetch 2: a deadline on headers and body, and no AbortSignal type
    // (@types/node-fetch 2 declares its own, which the platform's does not satisfy).
    optionFix: { name: 'timeout', before: '3.0.0' },
    advice: 'pass `signal: AbortSignal.timeout(ms)` or wrap the call in `withTimeout` from @resilience-kit/policies',
  },
};
