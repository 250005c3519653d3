import type { CallShape, ClientEntry } from './types.ts';

const bodyless = ['get', 'delete', 'head'].map(
  (m): CallShape => ({ path: [m], on: 'instance', args: { url: 0, options: 1 }, returns: 'stream', method: m.toUpperCase() }),
);
const withBody = ['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm'].map(
  (m): CallShape => ({ path: [m], on: 'instance', args: { url: 0, options: 2 }, returns: 'stream', method: m.replace('Form', '').toUpperCase() }),
);

/**
 * @nestjs/axios 12 `HttpService`: axios behind an Observable, injected. Its deadline is set once in
 * `HttpModule.register({ timeout })` (or `registerAsync`'s factory) where the module imports it; a plain
 * `HttpModule` uses axios's global instance (`timeout: 0`). Unsubscribing cancels the request, so rxjs
 * `timeout(ms)` in `.pipe(…)` bounds it (client catalogue §5).
 */
export const nestHttpClient: ClientEntry = {
  id: 'nestjs-axios',
  displayName: '@nestjs/axios',
  verified: '@nestjs/axios 12.0.1, §5.5',
  modules: ['@nestjs/axios'],
  idempotency: { headersOption: 'headers' },
  calls: [
    { path: ['request'], on: 'instance', args: { options: 0 }, returns: 'stream' },
    ...bodyless,
    ...withBody,
    // `this.http.axiosRef.get(url)`: the axios instance itself, made from the same registration.
    { path: ['axiosRef'], on: 'instance', args: { url: 0, options: 1, optionsFirstUnlessUrl: true }, returns: 'promise' },
    { path: ['axiosRef', 'request'], on: 'instance', args: { options: 0 }, returns: 'promise' },
    ...bodyless.map((s): CallShape => ({ ...s, path: ['axiosRef', ...s.path], returns: 'promise' })),
    ...withBody.map((s): CallShape => ({ ...s, path: ['axiosRef', ...s.path], returns: 'promise' })),
  ],
  factories: [{ path: ['HttpService'], on: 'module', kind: 'new' }],
  types: [{ name: 'HttpService', as: 'instance' }],
  registration: { paths: [['HttpModule', 'register'], ['HttpModule', 'registerAsync']], options: 0, factoryKey: 'useFactory', plain: 'HttpModule' },
  timeout: {
    default: { kind: 'none', note: 'HttpService is axios, which defaults to `timeout: 0`, no timeout' },
    options: [{ name: 'timeout', form: 'ms', disabledBy: [0, false] }],
    signalOption: 'signal',
    observableTimeout: { modules: ['rxjs', 'rxjs/operators'], names: ['timeout'] },
    advice: 'set `timeout` in `HttpModule.register({ timeout })` (or its `registerAsync` factory); per call, set `timeout` in the config, or pipe the Observable through rxjs `timeout(ms)`',
  },
};
