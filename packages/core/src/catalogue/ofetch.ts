import type { ClientEntry } from './types.ts';

/**
 * ofetch 1.5 (`ofetch`, `$fetch`): no timeout by default; `timeout: ms` aborts until the headers arrive
 * (the body read is not covered), per call or in `ofetch.create({ timeout })` (client catalogue §5).
 */
export const ofetchClient: ClientEntry = {
  id: 'ofetch',
  displayName: 'ofetch',
  verified: 'ofetch 1.5.1, §5.8',
  modules: ['ofetch'],
  rootExports: ['ofetch', '$fetch'],
  calls: [
    { path: [], on: 'both', args: { url: 0, options: 1 }, returns: 'promise', acceptsRequest: true },
    { path: ['raw'], on: 'both', args: { url: 0, options: 1 }, returns: 'promise', acceptsRequest: true },
  ],
  factories: [{ path: ['create'], on: 'both', kind: 'call', options: 0 }],
  types: [{ name: '$Fetch', as: 'instance' }],
  timeout: {
    default: { kind: 'none', note: 'ofetch sets no timeout by default' },
    options: [{ name: 'timeout', form: 'ms', disabledBy: [0] }],
    signalOption: 'signal',
    advice: 'set `timeout: ms` in the call\'s options or in `ofetch.create({ timeout })`',
  },
};

/**
 * cross-fetch 4 and isomorphic-fetch 3 are node-fetch 2.7 on Node, whose `timeout` is a real deadline
 * (headers, then the body); no default (client catalogue §5).
 */
export const crossFetchClient: ClientEntry = {
  id: 'cross-fetch',
  displayName: 'cross-fetch',
  verified: 'cross-fetch 4.1.0, isomorphic-fetch 3.0.0, §5.10',
  modules: ['cross-fetch', 'isomorphic-fetch'],
  rootExports: ['fetch'],
  idempotency: { headersOption: 'headers' },
  calls: [{ path: [], on: 'module', args: { url: 0, options: 1 }, returns: 'promise', acceptsRequest: true }],
  timeout: {
    default: { kind: 'none', note: 'cross-fetch (node-fetch 2 on Node) has no default timeout' },
    options: [{ name: 'timeout', form: 'ms', disabledBy: [0] }],
    signalOption: 'signal',
    advice: 'pass `signal: AbortSignal.timeout(ms)` or wrap the call in `withTimeout` from @resilience-kit/policies',
  },
};

/** isomorphic-unfetch on Node 18+ is the built-in fetch; @whatwg-node/fetch has its own; neither reads `timeout`. */
export const fetchLikeClient: ClientEntry = {
  id: 'fetch-ponyfill',
  displayName: 'fetch',
  verified: 'isomorphic-unfetch 4.0.2, @whatwg-node/fetch 0.12.1, §5.10',
  modules: ['isomorphic-unfetch', '@whatwg-node/fetch'],
  rootExports: ['fetch'],
  idempotency: { headersOption: 'headers' },
  calls: [{ path: [], on: 'module', args: { url: 0, options: 1 }, returns: 'promise', acceptsRequest: true }],
  timeout: {
    default: { kind: 'none', note: 'fetch has no deadline by default' },
    options: [],
    signalOption: 'signal',
    advice: 'pass `signal: AbortSignal.timeout(ms)` or wrap the call in `withTimeout` from @resilience-kit/policies',
  },
};
