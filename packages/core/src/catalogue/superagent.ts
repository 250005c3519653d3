import type { CallShape, ClientEntry } from './types.ts';

const methods = ['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options'].map(
  (m): CallShape => ({ path: [m], on: 'both', args: { url: 0 }, returns: 'chain', method: m === 'del' ? 'DELETE' : m.toUpperCase() }),
);

/** superagent: no timeout unless `.timeout(ms)` (a total deadline) is chained; `0`/`false` disable it. */
export const superagentClient: ClientEntry = {
  id: 'superagent',
  displayName: 'superagent',
  verified: 'superagent 10.4.2, §1.6',
  modules: ['superagent'],
  idempotency: { headerSetter: 'set' },
  calls: [{ path: [], on: 'both', args: { url: 1, method: 0 }, returns: 'chain' }, ...methods],
  factories: [{ path: ['agent'], on: 'module', kind: 'call' }],
  timeout: {
    default: { kind: 'none', note: 'superagent sets no timeout by default' },
    options: [],
    chainMethod: 'timeout',
    advice: 'chain `.timeout(ms)` (a total deadline) onto the request',
  },
  // `.retry()` = 1 retry, any method, re-issued at once.
  retry: { chainMethod: 'retry', number: 'retries', defaults: { retries: 1, delay: 'none', jitter: false }, keys: {} },
};
