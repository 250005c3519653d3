/**
 * `bulkhead`: at most `limit` calls run at once, at most `queue` more wait for a slot, and any
 * call beyond that is rejected at once, so that one slow dependency cannot take every connection,
 * socket or worker the process has.
 *
 * Not built on cockatiel's `BulkheadPolicy` (cockatiel 4.0.0, `dist/BulkheadPolicy.js`), whose
 * queue does not fit the contract:
 * - a queued call whose signal aborts stays in the queue, holding its queue slot (so later calls
 *   are rejected as if the queue were full), until a running call finishes; only then is it
 *   rejected, and with a `TaskCancelledError` instead of the caller's reason (BulkheadPolicy.js:211-214
 *   queue it with no abort listener, 224-228 check the signal at dequeue time);
 * - an already-aborted signal is rejected with a `TaskCancelledError`, not its reason (198-199);
 * - `limit` and `queue` are not validated: `bulkhead(0)` or `bulkhead(NaN)` reject every call,
 *   `bulkhead(1, Infinity)` queues without bound (201, 211).
 * What is left, a counter and a FIFO queue, is written here. The error is cockatiel's, extended.
 */
import { BulkheadRejectedError as CockatielBulkheadRejectedError } from 'cockatiel';
import { invoke, neverAborted, untilAborted } from './signals.ts';

/** What `fn` receives. */
export interface BulkheadContext {
  /** The caller's signal (a never-aborted one if none was given); pass it on to the work. */
  readonly signal: AbortSignal;
}

export interface Bulkhead {
  /**
   * Runs `fn` in a free slot, or queues it until one frees, or, when the slots and the queue are
   * all taken, rejects with a `BulkheadRejectedError` without calling it.
   */
  execute<T>(fn: (context: BulkheadContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T>;
  /** Free execution slots now: `limit` minus the calls running. */
  readonly executionSlots: number;
  /** Free queue slots now: `queue` minus the calls waiting. */
  readonly queueSlots: number;
}

/**
 * The rejection of a call that found every slot and queue place taken; `fn` was not called.
 * Extends cockatiel's `BulkheadRejectedError`, so `instanceof` and cockatiel's
 * `isBulkheadRejectedError()` hold too, and adds a `name` (cockatiel's is `'Error'`), `limit` and `queue`.
 */
export class BulkheadRejectedError extends CockatielBulkheadRejectedError {
  override readonly name = 'BulkheadRejectedError';
  /** The bulkhead's `limit`: all of these were running. */
  readonly limit: number;
  /** The bulkhead's `queue`: all of these were waiting. */
  readonly queue: number;

  constructor(limit: number, queue: number) {
    super(limit, queue);
    this.message = `Bulkhead is full (${limit} running, ${queue} queued): the call was not made`;
    this.limit = limit;
    this.queue = queue;
  }
}

interface Waiter {
  /** Runs the call in the slot handed over by a finishing one. */
  start(): void;
}

/**
 * A bulkhead that runs at most `limit` calls at once and queues at most `queue` (default 0) more.
 *
 * - A call that finds a free slot starts at once (`fn` is called synchronously). Otherwise it
 *   waits in the queue if there is room, or is rejected with a `BulkheadRejectedError`.
 * - Queued calls start in arrival order. When a call finishes, its slot passes straight to the
 *   first queued call, so a newcomer cannot take it in between.
 * - A slot is held until `fn`'s promise settles, success or failure, even after the caller has
 *   stopped waiting for it: it limits the work actually running, not the callers still waiting.
 * - `signal` aborting rejects the call at once with its reason: a queued call leaves the queue
 *   (freeing its place) and is never started; a running call's `fn` sees the abort through its
 *   signal. An already-aborted signal rejects without calling `fn`.
 * - `limit` must be an integer >= 1 and `queue` an integer >= 0; anything else throws a
 *   `RangeError` synchronously (an unbounded queue is refused: it only moves the overload into
 *   memory and latency).
 */
export function bulkhead(limit: number, queue: number = 0): Bulkhead {
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`bulkhead: limit must be an integer >= 1, got ${String(limit)}`);
  }
  if (typeof queue !== 'number' || !Number.isSafeInteger(queue) || queue < 0) {
    throw new RangeError(`bulkhead: queue must be an integer >= 0, got ${String(queue)}`);
  }
  let running = 0;
  const waiting: Waiter[] = [];

  /** Called once per started call, when its `fn` settles. */
  const release = (): void => {
    const next = waiting.shift();
    if (next) next.start(); // the slot changes hands; `running` is unchanged
    else running--;
  };

  /** Runs `fn` in a slot already counted in `running`. */
  const run = <T>(fn: (context: BulkheadContext) => PromiseLike<T> | T, signal: AbortSignal): Promise<T> => {
    const work = Promise.resolve(invoke(fn, { signal }));
    work.then(release, release);
    return untilAborted(work, signal);
  };

  return {
    execute<T>(fn: (context: BulkheadContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
      if (typeof fn !== 'function') {
        throw new TypeError(`bulkhead: fn must be a function, got ${typeof fn}`);
      }
      if (signal?.aborted) return Promise.reject(signal.reason);
      const callSignal = signal ?? neverAborted();
      if (running < limit) {
        running++;
        return run(fn, callSignal);
      }
      if (waiting.length >= queue) {
        return Promise.reject(new BulkheadRejectedError(limit, queue));
      }
      return new Promise<T>((resolve, reject) => {
        const waiter: Waiter = {
          start: () => {
            callSignal.removeEventListener('abort', onAbort);
            run(fn, callSignal).then(resolve, reject);
          },
        };
        const onAbort = (): void => {
          const index = waiting.indexOf(waiter);
          if (index !== -1) waiting.splice(index, 1);
          reject(callSignal.reason);
        };
        callSignal.addEventListener('abort', onAbort, { once: true });
        waiting.push(waiter);
      });
    },
    get executionSlots(): number {
      return limit - running;
    },
    get queueSlots(): number {
      return queue - waiting.length;
    },
  };
}
