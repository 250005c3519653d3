import type { CallShape, ClientEntry } from './types.ts';

const methods = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'].map(
  (m): CallShape => ({ path: [m], on: 'both', args: { url: 0, options: 1 }, returns: 'promise', method: m.toUpperCase() }),
);

/** got: no timeout by default; `timeout` is an object of phases; `0` fires at once, `Infinity` disables. */
export const gotClient: ClientEntry = {
  id: 'got',
  displayName: 'got',
  verified: 'got 16.1.0, §1.4',
  modules: ['got'],
  rootExports: ['got'],
  calls: [
    { path: [], on: 'both', args: { url: 0, options: 1 }, returns: 'promise' },
    ...methods,
    { path: ['stream'], on: 'both', args: { url: 0, options: 1 }, returns: 'stream' },
    { path: ['paginate'], on: 'both', args: { url: 0, options: 1 }, returns: 'stream' },
  ],
  factories: [{ path: ['extend'], on: 'both', kind: 'call', options: 0 }],
  // `Got` types the default export and every `got.extend(…)` alike: from outside, its defaults are unknown.
  types: [{ name: 'Got', as: 'instance' }],
  timeout: {
    default: { kind: 'none', note: 'got sets no timeout by default' },
    options: [
      {
        name: 'timeout',
        form: 'object',
        disabledBy: [Infinity],
        boundingKeys: ['request', 'response', 'read', 'socket'],
        connectOnlyKeys: ['lookup', 'connect', 'secureConnect', 'send'],
      },
    ],
    signalOption: 'signal',
    // got 12.2.0 added `signal` (source/core/options.ts, PR #2020); 12.0-12.1 throw "Unexpected option: signal", 11 ignores it (its types reject it).
    signalSince: '12.2.0',
    advice: 'set `timeout: { request: ms }` or wrap the call in `withTimeout` from @resilience-kit/policies',
  },
  responseHelpers: ['json', 'text', 'buffer'],
  // limit 2, 1000 · 2^(n-1) + 0–100 ms noise; POST not retried.
  idempotency: { headersOption: 'headers' },
  baseUrl: { options: ['prefixUrl'] },
  retry: {
    option: 'retry',
    number: 'retries',
    defaults: { retries: 2, delay: 'exponential', jitter: true },
    // got 16.1.0 dist/source/core/options.js L349-359.
    defaultMethods: ['get', 'put', 'head', 'delete', 'options', 'trace', 'query'],
    keys: { attempts: ['limit'], methods: 'methods', methodsMerge: 'replace', noise: 'noise', delay: { key: 'calculateDelay', counterParam: 0 }, delayCap: ['backoffLimit'] },
  },
};
