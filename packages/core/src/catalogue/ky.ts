import type { CallShape, ClientEntry } from './types.ts';

const methods = ['get', 'post', 'put', 'patch', 'delete', 'head'].map(
  (m): CallShape => ({ path: [m], on: 'both', args: { url: 0, options: 1 }, returns: 'promise', method: m.toUpperCase(), acceptsRequest: true }),
);

/** ky: a 10 s per-attempt timeout by default; only `timeout: false` turns it off (`0` fires at once). */
export const kyClient: ClientEntry = {
  id: 'ky',
  displayName: 'ky',
  verified: 'ky 2.1.0, §1.5',
  modules: ['ky'],
  calls: [{ path: [], on: 'both', args: { url: 0, options: 1 }, returns: 'promise', acceptsRequest: true }, ...methods],
  factories: [
    // `instance.create()` starts from ky's defaults; `instance.extend()` keeps the instance's options.
    { path: ['create'], on: 'both', kind: 'call', options: 0, inherits: false },
    { path: ['extend'], on: 'both', kind: 'call', options: 0 },
  ],
  types: [{ name: 'KyInstance', as: 'instance' }],
  timeout: {
    default: { kind: 'finite', ms: 10_000, note: 'ky times out each attempt after 10 s by default' },
    options: [
      { name: 'timeout', form: 'ms', disabledBy: [false] },
      { name: 'totalTimeout', form: 'ms', disabledBy: [false] },
    ],
    signalOption: 'signal',
    advice: 'remove `timeout: false` (ky defaults to 10 s), set a number, or set `totalTimeout`',
  },
  responseHelpers: ['json', 'text', 'blob', 'arrayBuffer', 'formData', 'bytes'],
  // limit 2, 0.3 s · 2^(n-1), jitter off.
  idempotency: { headersOption: 'headers' },
  baseUrl: { options: ['prefixUrl', 'prefix', 'baseUrl'] },
  retry: {
    option: 'retry',
    number: 'retries',
    // ky validates `limit` as a finite number.
    finiteLimitOnly: true,
    defaults: { retries: 2, delay: 'exponential', jitter: false },
    // ky 2.1.0 distribution/utils/normalize.js L3.
    defaultMethods: ['get', 'put', 'head', 'delete', 'options', 'trace', 'query'],
    keys: { attempts: ['limit'], methods: 'methods', methodsMerge: 'concat', jitter: { key: 'jitter', on: [true], off: [false] }, delay: { key: 'delay', counterParam: 0 }, delayCap: ['backoffLimit'] },
    fixes: { jitter: 'jitter: true' },
  },
};
