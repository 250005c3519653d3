/**
 * pg-boss (12.38; docs/verified-defaults.md §8.4): queues named by string on a `PgBoss` instance. A
 * failed job is retried `retryLimit` times (default 2: three runs), `retryDelay` seconds apart
 * (default 0: at once), or with `retryBackoff: true` exponentially with jitter (plans.js L3096-3105).
 * Options are resolved per job: the `send` options, then the queue's (`createQueue`), then these
 * defaults (plans.js L2866-2869).
 */
export interface PgBossEntry {
  readonly id: string;
  readonly displayName: string;
  readonly verified: string;
  readonly module: string;
  /** The class: the default export (pg-boss ≤ 11) or the named `PgBoss` (12). */
  readonly classPaths: readonly (readonly string[])[];
  readonly typeName: string;
  /** Methods that create or change a queue: the name and options arguments. */
  readonly queueMethods: readonly { readonly method: string; readonly name: number; readonly options: number }[];
  /** Methods that add jobs: the name and options arguments. */
  readonly sendMethods: readonly { readonly method: string; readonly name: number; readonly options: number }[];
  /** `work(name, [options,] handler)`: the handler is the last argument. */
  readonly workMethod: string;
  readonly keys: { readonly retries: string; readonly delay: string; readonly backoff: string };
  readonly defaults: { readonly retries: number; readonly delaySeconds: number; readonly backoff: boolean };
  readonly fix: string;
  readonly advice: { readonly backoff: string; readonly jitter: string; readonly cap: string };
}

export const pgBoss: PgBossEntry = {
  id: 'pg-boss',
  displayName: 'pg-boss',
  verified: 'pg-boss 12.38.1 (dist/plans.js), docs/verified-defaults.md §8.4',
  module: 'pg-boss',
  classPaths: [['default'], ['PgBoss']],
  typeName: 'PgBoss',
  queueMethods: [{ method: 'createQueue', name: 0, options: 1 }, { method: 'updateQueue', name: 0, options: 1 }],
  sendMethods: [
    { method: 'send', name: 0, options: 2 },
    { method: 'sendAfter', name: 0, options: 2 },
    { method: 'sendThrottled', name: 0, options: 2 },
    { method: 'sendDebounced', name: 0, options: 2 },
    { method: 'schedule', name: 0, options: 3 },
  ],
  workMethod: 'work',
  keys: { retries: 'retryLimit', delay: 'retryDelay', backoff: 'retryBackoff' },
  defaults: { retries: 2, delaySeconds: 0, backoff: false },
  fix: 'retryBackoff: true',
  advice: {
    backoff: 'set `retryBackoff: true` (exponential delays with jitter, from `retryDelay` seconds) in the queue or job options',
    jitter: 'set `retryBackoff: true`, which randomises the delays',
    cap: 'set `retryLimit` to a finite number',
  },
};
