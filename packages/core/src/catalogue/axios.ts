import type { CallShape, ClientEntry } from './types.ts';

const bodyless = ['get', 'delete', 'head', 'options'].map(
  (m): CallShape => ({ path: [m], on: 'both', args: { url: 0, options: 1 }, returns: 'promise', method: m.toUpperCase() }),
);
const withBody = ['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm'].map(
  (m): CallShape => ({
    path: [m],
    on: 'both',
    args: { url: 0, options: 2 },
    returns: 'promise',
    method: m.replace('Form', '').toUpperCase(),
  }),
);

/**
 * axios 1.x. Default `timeout: 0` (none). On Node's http adapter `timeout` is a socket-inactivity
 * timer plus a wall clock until headers: a trickling body is never cut off (catalogue §1.3).
 */
export const axiosClient: ClientEntry = {
  id: 'axios',
  displayName: 'axios',
  verified: 'axios 1.21.1, §1.3',
  modules: ['axios'],
  idempotency: { headersOption: 'headers' },
  baseUrl: { options: ['baseURL'] },
  calls: [
    { path: [], on: 'both', args: { url: 0, options: 1, optionsFirstUnlessUrl: true }, returns: 'promise' },
    { path: ['request'], on: 'both', args: { options: 0 }, returns: 'promise' },
    ...bodyless,
    ...withBody,
  ],
  factories: [{ path: ['create'], on: 'module', kind: 'call', options: 0 }],
  types: [{ name: 'AxiosInstance', as: 'instance' }, { name: 'AxiosStatic', as: 'module' }],
  timeout: {
    default: { kind: 'none', note: 'axios defaults to `timeout: 0`, which means no timeout' },
    options: [{ name: 'timeout', form: 'ms', disabledBy: [0, false] }],
    signalOption: 'signal',
    // axios 0.22.0 added `signal` (CHANGELOG.md, #3305); 0.21 ignores it silently.
    signalSince: '0.22.0',
    moduleDefaults: [['defaults', 'timeout']],
    instanceDefaults: [['defaults', 'timeout']],
    instancesCopyModuleDefaults: true,
    advice: 'set `timeout` (or `signal: AbortSignal.timeout(ms)`, a total deadline on Node) or wrap the call in `withTimeout` from @resilience-kit/policies',
  },
};
