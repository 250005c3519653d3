import type { CallShape, ClientEntry } from './types.ts';

const calls = ['request', 'get'].map(
  (m): CallShape => ({ path: [m], on: 'module', args: { url: 0, options: 1, optionsFirstUnlessUrl: true }, returns: 'request', ...(m === 'get' ? { method: 'GET' } : {}) }),
);

/**
 * node:http and node:https. `timeout` (option or `req.setTimeout`) is socket inactivity and only emits
 * 'timeout': Node aborts nothing (catalogue §1.9, probe httptimeout.js).
 */
export const nodeHttpClient: ClientEntry = {
  id: 'node-http',
  displayName: 'node:http',
  verified: 'Node 20.20.2, §1.9',
  modules: ['http', 'https'],
  calls,
  timeout: {
    default: { kind: 'none', note: 'Node\'s http client has no deadline' },
    options: [],
    signalOption: 'signal',
    eventOnly: { option: 'timeout', method: 'setTimeout', event: 'timeout', destroyers: ['destroy', 'abort'] },
    advice: 'pass `signal: AbortSignal.timeout(ms)`, or handle \'timeout\' with `req.destroy()`',
  },
};
