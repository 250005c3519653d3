import type { ClientEntry, TimeoutOption } from './types.ts';

const undiciTimeouts: TimeoutOption[] = [
  { name: 'headersTimeout', form: 'ms', disabledBy: [0] },
  { name: 'bodyTimeout', form: 'ms', disabledBy: [0] },
];

/** undici: fetch, request, stream, and dispatchers (Client, Pool, Agent…). */
export const undiciClient: ClientEntry = {
  id: 'undici',
  displayName: 'undici',
  verified: 'undici 8.12.4 (run on 7.30.2), §1.1',
  modules: ['undici'],
  idempotency: { headersOption: 'headers' },
  baseUrl: { argument: 0 },
  calls: [
    { path: ['fetch'], on: 'module', args: { url: 0, options: 1 }, returns: 'promise', acceptsRequest: true },
    { path: ['request'], on: 'module', args: { url: 0, options: 1 }, returns: 'promise' },
    { path: ['stream'], on: 'module', args: { url: 0, options: 1 }, returns: 'promise' },
    { path: ['request'], on: 'instance', args: { options: 0 }, returns: 'promise' },
    { path: ['stream'], on: 'instance', args: { options: 0 }, returns: 'promise' },
  ],
  factories: [
    { path: ['Client'], on: 'module', kind: 'new', options: 1 },
    { path: ['Pool'], on: 'module', kind: 'new', options: 1 },
    { path: ['BalancedPool'], on: 'module', kind: 'new', options: 1 },
    { path: ['Agent'], on: 'module', kind: 'new', options: 0 },
    { path: ['ProxyAgent'], on: 'module', kind: 'new', options: 0 },
    { path: ['EnvHttpProxyAgent'], on: 'module', kind: 'new', options: 0 },
  ],
  types: ['Dispatcher', 'Client', 'Pool', 'BalancedPool', 'Agent', 'ProxyAgent', 'EnvHttpProxyAgent', 'RetryAgent'].map((name) => ({ name, as: 'instance' as const })),
  timeout: {
    default: {
      kind: 'none',
      note: 'undici waits up to 300 s for headers and 300 s between body chunks, with no total deadline',
    },
    options: undiciTimeouts,
    optionsArePhases: true,
    signalOption: 'signal',
    // undici's fetch exists from 4.4.1 (the first on npm with it); request() took `signal` from 3.2.0.
    signalSince: '4.4.1',
    dispatcherOption: 'dispatcher',
    // Node's fetch reads the dispatcher undici's setGlobalDispatcher installs (Symbol.for('undici.globalDispatcher.1')).
    globalDispatcher: { module: 'undici', name: 'setGlobalDispatcher' },
    advice: 'pass `signal: AbortSignal.timeout(ms)` (or `headersTimeout`/`bodyTimeout`), or wrap the call in `withTimeout` from @resilience-kit/policies',
  },
};
