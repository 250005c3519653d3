/**
 * Job queues whose failed jobs are retried: the retry lives in the job's options (`attempts`,
 * `backoff`), written where a job is added, on the queue (`defaultJobOptions`) or in a framework's
 * registration of it. Defaults and backoff formulas verified from shipped source (docs/verified-defaults.md §7).
 */

/** Where job options are written. */
export type JobOptionsSite =
  /** `queue.add(name, data, opts)`: a method of a queue instance; `options` is the argument index, or
   * `after-data` for Bull's `add([name,] data, opts)` (the name is optional). */
  | { readonly kind: 'method'; readonly method: string; readonly options: number | 'after-data' }
  /** `queue.addBulk([{ name, data, opts }])`: each element's `key`. */
  | { readonly kind: 'bulk'; readonly method: string; readonly key: string }
  /**
   * `new Queue(name, { defaultJobOptions })`, `BullModule.registerQueue({ name, defaultJobOptions })`:
   * the `key` of the options object at `options` (`object`: the first object-literal
   * argument; `each`: every argument, each naming its queue with `name`).
   */
  | {
      readonly kind: 'defaults';
      readonly module: string;
      readonly path: readonly string[];
      readonly call: 'new' | 'call' | 'either';
      readonly options: number | 'object' | 'each';
      readonly key: string;
      /** `registerQueueAsync({ name, useFactory: () => ({ defaultJobOptions }) })`: the factory's returned object. */
      readonly factory?: string;
    };

/** Where the code that runs a queue's jobs is: everything it does runs again when a job is retried. */
export type JobProcessorSite =
  /** `new Worker(name, processor)`: the queue name and the processor function at these arguments. */
  | { readonly kind: 'worker'; readonly path: readonly string[]; readonly name: number; readonly processor: number }
  /** `queue.process([name], [concurrency], processor)`: a queue instance's method; the last argument. */
  | { readonly kind: 'method'; readonly method: string }
  /**
   * NestJS: `@Processor(name) class … { process(job) {…} }` (BullMQ's `WorkerHost`), or methods marked
   * `@Process()` (Bull).
   */
  | { readonly kind: 'class'; readonly modules: readonly string[]; readonly decorator: string; readonly method?: string; readonly methodDecorator?: string };

export interface JobQueueEntry {
  readonly id: string;
  readonly displayName: string;
  readonly verified: string;
  /** The module that exports the queue class. */
  readonly module: string;
  /** The queue class's path from the module (`['Queue']`; Bull's default export). */
  readonly queueClass: readonly string[];
  /** Type names that declare a queue instance (`private queue: Queue`). */
  readonly queueTypes: readonly string[];
  /** Type names that declare job options (`const OPTS: JobsOptions = { attempts: 3 }`): judged where written. */
  readonly optionsTypes: readonly string[];
  /** The decorator that injects a queue by name (`@InjectQueue('mail')`), and the modules exporting it. */
  readonly inject?: { readonly modules: readonly string[]; readonly decorator: string };
  readonly sites: readonly JobOptionsSite[];
  readonly processors: readonly JobProcessorSite[];
  /** Job option keys. */
  readonly keys: { readonly attempts: string; readonly backoff: string };
  /** With no `attempts`, a job runs once. */
  readonly defaultAttempts: number;
  /** Built-in backoff types and their growth; a number is the `fixed` type. Others are custom strategies. */
  readonly backoffTypes: Readonly<Record<string, 'constant' | 'exponential'>>;
  /** The backoff option that randomises a built-in type (BullMQ ≥ 5.54 `jitter`, 0 to 1), if any. */
  readonly jitterKey?: string;
  /** Completes "… never randomises the delays": where the missing jitter comes from. */
  readonly noJitter: string;
  /** Option texts the fix writes: a whole `backoff`, and the jitter option added to an exponential one. */
  readonly fixes: { readonly backoff: string; readonly jitter?: string };
  /** What to do when the fix is not mechanical (Bull has no jitter option). */
  readonly advice: { readonly backoff: string; readonly jitter: string };
}

/**
 * BullMQ 6.7 (and 5.x): `attempts` defaults to 1 (`shouldRetryJob`, dist/cjs/classes/job.js L448-463:
 * retried while `attemptsMade + 1 < opts.attempts`). No `backoff`: retried at once. A number is
 * `{ type: 'fixed', delay }` (classes/backoffs.js L5-14). `exponential` is `2^(attemptsMade-1) · delay`;
 * `jitter` (0..1, since 5.54.0) randomises `fixed` and `exponential` (backoffs.js L24-47); absent, no
 * jitter. Job options are merged over the queue's `defaultJobOptions` (classes/queue.js L42).
 */
export const bullmq: JobQueueEntry = {
  id: 'bullmq',
  displayName: 'BullMQ',
  verified: 'bullmq 6.7.6 (jitter from 5.54.0), docs/verified-defaults.md §7.1',
  module: 'bullmq',
  queueClass: ['Queue'],
  queueTypes: ['Queue'],
  optionsTypes: ['JobsOptions', 'DefaultJobOptions', 'BaseJobOptions'],
  inject: { modules: ['@nestjs/bullmq'], decorator: 'InjectQueue' },
  sites: [
    { kind: 'method', method: 'add', options: 2 },
    { kind: 'bulk', method: 'addBulk', key: 'opts' },
    { kind: 'defaults', module: 'bullmq', path: ['Queue'], call: 'new', options: 1, key: 'defaultJobOptions' },
    { kind: 'defaults', module: '@nestjs/bullmq', path: ['BullModule', 'registerQueue'], call: 'call', options: 'each', key: 'defaultJobOptions' },
    { kind: 'defaults', module: '@nestjs/bullmq', path: ['BullModule', 'registerQueueAsync'], call: 'call', options: 'each', key: 'defaultJobOptions', factory: 'useFactory' },
    { kind: 'defaults', module: '@nestjs/bullmq', path: ['BullModule', 'forRoot'], call: 'call', options: 'object', key: 'defaultJobOptions' },
  ],
  processors: [
    { kind: 'worker', path: ['Worker'], name: 0, processor: 1 },
    { kind: 'class', modules: ['@nestjs/bullmq'], decorator: 'Processor', method: 'process' },
  ],
  keys: { attempts: 'attempts', backoff: 'backoff' },
  defaultAttempts: 1,
  backoffTypes: { fixed: 'constant', exponential: 'exponential' },
  jitterKey: 'jitter',
  noJitter: ' (BullMQ randomises a backoff only when it sets `jitter`)',
  fixes: { backoff: "backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 }", jitter: 'jitter: 0.5' },
  advice: {
    backoff: "set `backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 }` in the job options (BullMQ 5.54 or later for `jitter`)",
    jitter: 'add `jitter: 0.5` to the backoff (BullMQ 5.54 or later)',
  },
};

/**
 * Bull 4.16: `attempts` defaults to 1 (lib/job.js L66; retried while `attemptsMade < opts.attempts`,
 * L298). No `backoff`: retried at once. A number is `fixed` (lib/backoffs.js L34-40); `exponential` is
 * `(2^attemptsMade - 1) · delay` with no jitter and no option for one (L5-17): only a custom strategy
 * in the queue's `settings.backoffStrategies` can randomise.
 */
export const bull: JobQueueEntry = {
  id: 'bull',
  displayName: 'Bull',
  verified: 'bull 4.16.5, docs/verified-defaults.md §7.2',
  module: 'bull',
  queueClass: ['default'],
  queueTypes: ['Queue'],
  optionsTypes: ['JobOptions'],
  inject: { modules: ['@nestjs/bull'], decorator: 'InjectQueue' },
  sites: [
    { kind: 'method', method: 'add', options: 'after-data' },
    { kind: 'bulk', method: 'addBulk', key: 'opts' },
    { kind: 'defaults', module: 'bull', path: ['default'], call: 'either', options: 'object', key: 'defaultJobOptions' },
    { kind: 'defaults', module: '@nestjs/bull', path: ['BullModule', 'registerQueue'], call: 'call', options: 'each', key: 'defaultJobOptions' },
    { kind: 'defaults', module: '@nestjs/bull', path: ['BullModule', 'registerQueueAsync'], call: 'call', options: 'each', key: 'defaultJobOptions', factory: 'useFactory' },
    { kind: 'defaults', module: '@nestjs/bull', path: ['BullModule', 'forRoot'], call: 'call', options: 'object', key: 'defaultJobOptions' },
  ],
  processors: [
    { kind: 'method', method: 'process' },
    { kind: 'class', modules: ['@nestjs/bull'], decorator: 'Processor', methodDecorator: 'Process' },
  ],
  keys: { attempts: 'attempts', backoff: 'backoff' },
  defaultAttempts: 1,
  backoffTypes: { fixed: 'constant', exponential: 'exponential' },
  noJitter: " (Bull's exponential backoff has no jitter option)",
  fixes: { backoff: "backoff: { type: 'exponential', delay: 1_000 }" },
  advice: {
    backoff: "set `backoff: { type: 'exponential', delay: 1_000 }` in the job options",
    jitter: "Bull cannot randomise a built-in backoff: register a custom strategy in the queue's `settings.backoffStrategies` that adds jitter, or move to BullMQ (`backoff.jitter`)",
  },
};

export const jobQueues: readonly JobQueueEntry[] = [bullmq, bull];
