/**
 * Retry libraries: how each starts a retry, its verified defaults (shared/reference/client-catalogue.md
 * §2), and the option names that change them. Data only; facts/retry-libraries.ts interprets it.
 */
import type { KnownDelay, RetryCallEntry, RetryLibraryEntry } from './types.ts';

/** The `retry` package's option vocabulary, shared by p-retry, async-retry and promise-retry. */
export const nodeRetryKeys = {
  attempts: ['retries'],
  forever: 'forever',
  timeCap: ['maxRetryTime'],
  jitter: { key: 'randomize', on: [true], off: [false] },
  factor: 'factor',
  initialDelay: ['minTimeout'],
  delayCap: ['maxTimeout'],
} as const;

export const pRetry: RetryLibraryEntry = {
  id: 'p-retry',
  displayName: 'p-retry',
  module: 'p-retry',
  // 10 retries, 1 s · 2^n, no jitter (randomize: false). makeRetriable(fn, options) wraps the same.
  calls: [
    { path: ['default'], config: { argument: 1 }, defaults: { retries: 10, delay: 'exponential', jitter: false }, keys: nodeRetryKeys, fixes: { jitter: 'randomize: true' } },
    { path: ['makeRetriable'], config: { argument: 1 }, defaults: { retries: 10, delay: 'exponential', jitter: false }, keys: nodeRetryKeys, fixes: { jitter: 'randomize: true' } },
  ],
};

export const asyncRetry: RetryLibraryEntry = {
  id: 'async-retry',
  displayName: 'async-retry',
  module: 'async-retry',
  // async-retry turns randomize on unless the key is present.
  calls: [{ path: ['default'], config: { argument: 1 }, defaults: { retries: 10, delay: 'exponential', jitter: true }, keys: nodeRetryKeys, fixes: { jitter: 'randomize: true' } }],
};

export const nodeRetry: RetryLibraryEntry = {
  id: 'retry',
  displayName: 'retry',
  module: 'retry',
  calls: [{ path: ['operation'], config: { argument: 0 }, runsVia: 'attempt', defaults: { retries: 10, delay: 'exponential', jitter: false }, keys: nodeRetryKeys, fixes: { jitter: 'randomize: true' } }],
};

export const promiseRetry: RetryLibraryEntry = {
  id: 'promise-retry',
  displayName: 'promise-retry',
  module: 'promise-retry',
  // promiseRetry(fn, options) or promiseRetry(options, fn); fn retries only by calling its `retry(err)`.
  calls: [{
    path: ['default'],
    config: { argument: 1, eitherOrder: true },
    retryCallbackParam: 0,
    defaults: { retries: 10, delay: 'exponential', jitter: false },
    keys: nodeRetryKeys,
    fixes: { jitter: 'randomize: true' },
  }],
};

export const exponentialBackoff: RetryLibraryEntry = {
  id: 'exponential-backoff',
  displayName: 'exponential-backoff',
  module: 'exponential-backoff',
  // numOfAttempts 10 (total), startingDelay 100 · 2^k, jitter 'none'.
  calls: [{
    path: ['backOff'],
    config: { argument: 1 },
    defaults: { retries: 9, delay: 'exponential', jitter: false },
    keys: { attempts: ['numOfAttempts'], jitter: { key: 'jitter', on: ['full'], off: ['none'] }, factor: 'timeMultiple', initialDelay: ['startingDelay'], delayCap: ['maxDelay'] },
    fixes: { jitter: "jitter: 'full'" },
  }],
};

const axiosRetryDelays: Record<string, KnownDelay> = {
  exponentialDelay: { delay: 'exponential', jitter: true }, // 2^n · 100 ms + 0–20 %
  linearDelay: { delay: 'linear', jitter: false },
  noDelay: { delay: 'none', jitter: false },
};

export const axiosRetry: RetryLibraryEntry = {
  id: 'axios-retry',
  displayName: 'axios-retry',
  module: 'axios-retry',
  // retries 3, retryDelay noDelay (0 ms): only Retry-After is honoured.
  calls: [{
    path: ['default'],
    config: { argument: 1 },
    defaults: { retries: 3, delay: 'none', jitter: false },
    keys: { attempts: ['retries'], delay: { key: 'retryDelay', counterParam: 0, known: axiosRetryDelays } },
    fixes: { backoff: 'retryDelay: {local}.exponentialDelay' },
    // The default condition, isNetworkOrIdempotentRequestError, retries POST on network errors (§2.1).
    configures: { argument: 0, condition: { key: 'retryCondition', idempotentOnly: ['isIdempotentRequestError', 'isSafeRequestError'] } },
  }],
};

export const cockatielRetry: RetryLibraryEntry = {
  id: 'cockatiel',
  displayName: 'cockatiel retry',
  module: 'cockatiel',
  // maxAttempts Infinity, ConstantBackoff(0).
  calls: [{
    path: ['retry'],
    config: { argument: 1 },
    runsVia: 'execute',
    defaults: { retries: null, delay: 'none', jitter: false },
    keys: {
      attempts: ['maxAttempts'],
      backoff: {
        key: 'backoff',
        constructors: {
          ExponentialBackoff: { delay: 'exponential', jitter: true, jitterOffKey: { key: 'generator', values: ['noJitterGenerator'] } },
          ConstantBackoff: { delay: 'constant', jitter: false, zeroArgumentIsNone: true },
          // The listed delays: their growth is read from the array.
          IterableBackoff: { delay: 'constant', jitter: false, fromList: true },
        },
      },
    },
    fixes: { backoff: 'backoff: new ExponentialBackoff()', backoffImport: { module: 'cockatiel', name: 'ExponentialBackoff' }, cap: 'maxAttempts: 5' },
  }],
};

export const rxjsRetry: RetryLibraryEntry = {
  id: 'rxjs',
  displayName: 'rxjs retry',
  module: 'rxjs',
  // retry() = count Infinity, synchronous resubscription.
  calls: [{
    path: ['retry'],
    config: { argument: 0, number: 'retries' },
    defaults: { retries: null, delay: 'none', jitter: false },
    keys: { attempts: ['count'], delay: { key: 'delay', counterParam: 1 } },
  }],
};

/**
 * The Vercel AI SDK (`ai` 4.3, 5.0, 7.0; docs/verified-defaults.md §8.2): `generateText`, `streamText`,
 * `generateObject`, `streamObject`, `embed` and `embedMany` retry each model call twice by default
 * (`maxRetries: 2`), waiting 2 s then 4 s (`retryWithExponentialBackoff`, factor 2, no jitter; v5+
 * honours a Retry-After under 60 s). There is no jitter option: `maxRetries: 0` and a retry of your own.
 */
const aiSdkCall = (name: string): RetryCallEntry => ({
  path: [name],
  config: { argument: 0 },
  defaults: { retries: 2, delay: 'exponential', jitter: false },
  keys: { attempts: ['maxRetries'] },
  advice: {
    jitter: `set \`maxRetries: 0\` and retry the call with \`retry\` from @resilience-kit/policies (exponential backoff with full jitter); the AI SDK has no jitter option`,
    backoff: `set \`maxRetries: 0\` and retry the call with \`retry\` from @resilience-kit/policies (exponential backoff with full jitter)`,
  },
});

export const aiSdk: RetryLibraryEntry = {
  id: 'ai',
  displayName: 'the AI SDK',
  module: 'ai',
  calls: ['generateText', 'streamText', 'generateObject', 'streamObject', 'embed', 'embedMany'].map(aiSdkCall),
};

/**
 * TanStack Query 5 (@tanstack/query-core 5.108; docs/verified-defaults.md §8.1): a query retries 3 times
 * in the browser (0 on the server), `Math.min(1000 * 2 ** failureCount, 30_000)` ms apart, never
 * randomised; a mutation does not retry unless `retry` says so. `retry: true` never stops. Judged when
 * written: an unbounded `retry`, a `retryDelay` of your own; the library's default delay is its
 * considered choice for one user's browser and is not reported on every query that sets `retry`.
 */
const tanstackKeys = { attempts: ['retry'], booleanAttempts: true, delay: { key: 'retryDelay', counterParam: 0 } } as const;
const tanstackAdvice = {
  backoff: 'return a delay that grows and is randomised from `retryDelay` (`(n) => Math.random() * Math.min(1000 * 2 ** n, 30_000)`), or leave the default',
  jitter: 'randomise the `retryDelay` (`(n) => Math.random() * Math.min(1000 * 2 ** n, 30_000)`)',
  cap: 'give `retry` a number (the default is 3)',
};
const tanstackQuery = (module: string): RetryLibraryEntry => ({
  id: module,
  displayName: 'TanStack Query',
  module,
  calls: [
    ...['useQuery', 'useSuspenseQuery', 'useInfiniteQuery', 'useSuspenseInfiniteQuery', 'queryOptions', 'infiniteQueryOptions'].map((name): RetryCallEntry => ({
      path: [name], config: { argument: 0 }, callbackKeys: ['queryFn'], defaults: { retries: 3, delay: 'exponential', jitter: false, delayNotJudged: true }, keys: tanstackKeys, advice: tanstackAdvice,
    })),
    { path: ['useMutation'], config: { argument: 0 }, callbackKeys: ['mutationFn'], defaults: { retries: 0, delay: 'exponential', jitter: false, delayNotJudged: true }, keys: tanstackKeys, advice: tanstackAdvice },
  ],
});
export const tanstackQueries: readonly RetryLibraryEntry[] = ['@tanstack/react-query', '@tanstack/vue-query', '@tanstack/solid-query', '@tanstack/svelte-query', '@tanstack/angular-query-experimental'].map(tanstackQuery);

/**
 * socket.io-client 4.8 (docs/verified-defaults.md §8.1): reconnects without end by default, from
 * `reconnectionDelay` (1 s) doubling to `reconnectionDelayMax` (5 s), randomised by `randomizationFactor`
 * (0.5). A reconnect: no cap is asked for; `randomizationFactor: 0` turns the jitter off.
 */
export const socketIoClient: RetryLibraryEntry = {
  id: 'socket.io-client',
  displayName: 'socket.io-client',
  module: 'socket.io-client',
  calls: ['io', 'default', 'connect'].map((name): RetryCallEntry => ({
    path: [name],
    config: { argument: 1 },
    reconnects: true,
    defaults: { retries: null, delay: 'exponential', jitter: true },
    keys: { attempts: ['reconnectionAttempts', 'reconnection'], booleanAttempts: true, jitter: { key: 'randomizationFactor', on: [], off: [0] }, initialDelay: ['reconnectionDelay'], delayCap: ['reconnectionDelayMax'] },
    fixes: { jitter: 'randomizationFactor: 0.5' },
  })),
};

/** Our own policy: exponential backoff with full jitter and 3 attempts by default; `maxAttempts` must be finite. */
export const resilienceKitRetry: RetryLibraryEntry = {
  id: 'resilience-kit',
  displayName: 'retry (@resilience-kit/policies)',
  module: '@resilience-kit/policies',
  calls: [{ path: ['retry'], config: { argument: 1 }, defaults: { retries: 2, delay: 'exponential', jitter: true }, keys: { attempts: ['maxAttempts'], initialDelay: ['initialDelayMs'], delayCap: ['maxDelayMs'] } }],
};

export const retryLibraries: readonly RetryLibraryEntry[] = [resilienceKitRetry, pRetry, asyncRetry, nodeRetry, promiseRetry, exponentialBackoff, axiosRetry, cockatielRetry, rxjsRetry, aiSdk, ...tanstackQueries, socketIoClient];

/**
 * Method decorators from packages that retry the decorated method. typescript-retry-decorator 2.6
 * (docs/verified-defaults.md §8.3, dist/esm/retry.decorator.js): `@Retryable({ maxAttempts })` retries
 * `maxAttempts` times; no `backOffPolicy` and no `backOff`: at once; `backOff` alone or
 * `FixedBackOffPolicy`: constant; `ExponentialBackOffPolicy`: `backOff` (1000) times `multiplier` (2) up
 * to `maxInterval` (2000), randomised only with `exponentialOption.backoffStrategy` `FullJitter` or
 * `EqualJitter`.
 */
export interface RetryDecoratorEntry {
  readonly module: string;
  readonly name: string;
  readonly options: number;
  readonly keys: { readonly attempts: string; readonly policy: string; readonly delay: string; readonly exponential: string; readonly strategy: string };
  /** `BackOffPolicy.<member>` values and their growth. */
  readonly policies: Readonly<Record<string, 'constant' | 'exponential'>>;
  /** `ExponentialBackoffStrategy.<member>` values that randomise. */
  readonly jitterStrategies: readonly string[];
  readonly advice: { readonly backoff: string; readonly jitter: string; readonly cap: string };
}

export const retryDecorators: readonly RetryDecoratorEntry[] = [{
  module: 'typescript-retry-decorator',
  name: 'Retryable',
  options: 0,
  keys: { attempts: 'maxAttempts', policy: 'backOffPolicy', delay: 'backOff', exponential: 'exponentialOption', strategy: 'backoffStrategy' },
  policies: { ExponentialBackOffPolicy: 'exponential', FixedBackOffPolicy: 'constant' },
  jitterStrategies: ['FullJitter', 'EqualJitter'],
  advice: {
    backoff: 'set `backOffPolicy: BackOffPolicy.ExponentialBackOffPolicy` with `exponentialOption: { maxInterval, multiplier, backoffStrategy: ExponentialBackoffStrategy.FullJitter }`',
    jitter: 'set `exponentialOption.backoffStrategy: ExponentialBackoffStrategy.FullJitter`',
    cap: 'set `maxAttempts` to a finite number',
  },
}];
