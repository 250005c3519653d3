import type { ClientEntry } from './types.ts';

/** The global fetch (Node's bundled undici, browsers). */
export const fetchClient: ClientEntry = {
  id: 'fetch',
  displayName: 'fetch',
  verified: 'Node 20.20 (undici 6.24), §1.1',
  modules: [],
  globals: [['fetch']],
  idempotency: { headersOption: 'headers' },
  calls: [{ path: [], on: 'module', args: { url: 0, options: 1 }, returns: 'promise', acceptsRequest: true }],
  timeout: {
    default: {
      kind: 'none',
      note: 'fetch has no deadline (on Node, undici waits up to 300 s for headers, then as long as the body keeps trickling in)',
    },
    options: [],
    signalOption: 'signal',
    dispatcherOption: 'dispatcher',
    // Node's fetch reads the dispatcher undici's setGlobalDispatcher installs (Symbol.for('undici.globalDispatcher.1')).
    globalDispatcher: { module: 'undici', name: 'setGlobalDispatcher' },
    advice: 'pass `signal: AbortSignal.timeout(ms)` or wrap the call in `withTimeout` from @resilience-kit/policies',
  },
};
