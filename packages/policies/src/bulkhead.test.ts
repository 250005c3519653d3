import { getEventListeners } from 'node:events';
import { BulkheadRejectedError as CockatielBulkheadRejectedError, isBulkheadRejectedError } from 'cockatiel';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { BulkheadRejectedError, bulkhead } from './index.ts';
import { deferred, flushMicrotasks, track, useFakeTimersEachTest } from './test-support.ts';

describe('bulkhead (fake timers)', () => {
  useFakeTimersEachTest(() => {
    expect(vi.getTimerCount()).toBe(0);
  });

  it('runs up to limit calls at once (fn called synchronously) and rejects the next at once with a BulkheadRejectedError, fn not called', async () => {
    const gate = deferred<string>();
    const pool = bulkhead(2);
    expect({ executionSlots: pool.executionSlots, queueSlots: pool.queueSlots }).toEqual({ executionSlots: 2, queueSlots: 0 });
    const fns = [vi.fn(() => gate.promise), vi.fn(() => gate.promise)];
    const running = fns.map((fn) => track(pool.execute(fn)));
    for (const fn of fns) expect(fn).toHaveBeenCalledTimes(1);
    expect(pool.executionSlots).toBe(0);

    const extra = vi.fn(() => 'extra');
    const rejected = track(pool.execute(extra));
    await flushMicrotasks();
    expect(extra).not.toHaveBeenCalled();
    const error = rejected.error as BulkheadRejectedError;
    expect(error).toBeInstanceOf(BulkheadRejectedError);
    expect(error).toMatchObject({
      name: 'BulkheadRejectedError',
      limit: 2,
      queue: 0,
      message: 'Bulkhead is full (2 running, 0 queued): the call was not made',
    });
    // Code written against cockatiel recognises it too.
    expect(error).toBeInstanceOf(CockatielBulkheadRejectedError);
    expect(isBulkheadRejectedError(error)).toBe(true);

    gate.resolve('done');
    await flushMicrotasks();
    expect(running.map((r) => r.value)).toEqual(['done', 'done']);
    expect(pool.executionSlots).toBe(2);
  });

  it('queues up to queue calls, rejects beyond, and starts queued calls in arrival order as slots free', async () => {
    const pool = bulkhead(1, 2);
    const order: string[] = [];
    const gates = { a: deferred<string>(), b: deferred<string>(), c: deferred<string>() };
    const run = (name: keyof typeof gates) => () => {
      order.push(name);
      return gates[name].promise;
    };
    const a = track(pool.execute(run('a')));
    const b = track(pool.execute(run('b')));
    const c = track(pool.execute(run('c')));
    expect(order).toEqual(['a']);
    expect({ executionSlots: pool.executionSlots, queueSlots: pool.queueSlots }).toEqual({ executionSlots: 0, queueSlots: 0 });
    const d = vi.fn(() => 'd');
    await expect(pool.execute(d)).rejects.toMatchObject({ name: 'BulkheadRejectedError', limit: 1, queue: 2 });
    expect(d).not.toHaveBeenCalled();

    gates.a.resolve('A');
    await flushMicrotasks();
    expect(order).toEqual(['a', 'b']);
    expect({ executionSlots: pool.executionSlots, queueSlots: pool.queueSlots }).toEqual({ executionSlots: 0, queueSlots: 1 });
    gates.b.resolve('B');
    await flushMicrotasks();
    expect(order).toEqual(['a', 'b', 'c']);
    gates.c.resolve('C');
    await flushMicrotasks();
    expect([a.value, b.value, c.value]).toEqual(['A', 'B', 'C']);
    expect({ executionSlots: pool.executionSlots, queueSlots: pool.queueSlots }).toEqual({ executionSlots: 1, queueSlots: 2 });
  });

  it('releases the slot when fn rejects or throws synchronously, passing the error through', async () => {
    const pool = bulkhead(1, 1);
    const boom = new Error('boom');
    const failing = track(pool.execute(() => Promise.reject(boom)));
    const thrown = new TypeError('sync');
    const throwing = track(
      pool.execute(() => {
        throw thrown;
      }),
    );
    await flushMicrotasks();
    expect(failing.error).toBe(boom);
    expect(throwing.error).toBe(thrown);
    expect(pool.executionSlots).toBe(1);
    await expect(pool.execute(() => 'after')).resolves.toBe('after');
    expect(pool.executionSlots).toBe(1);
  });

  it('hands a freed slot straight to the first queued call: a newcomer cannot take it in between', async () => {
    const pool = bulkhead(1, 1);
    const order: string[] = [];
    const first = deferred<void>();
    const second = deferred<void>();
    void pool.execute(() => {
      order.push('a');
      return first.promise;
    });
    const b = track(
      pool.execute(() => {
        order.push('b');
        return second.promise;
      }),
    );
    // A newcomer that arrives the moment a's work settles (a reaction to the same promise, right
    // after the bulkhead's own) finds the slot already b's, and queues behind it. Were the slot
    // freed first and b started a tick later, the newcomer would take the slot in between, and b
    // would then start as well: 2 running in a bulkhead of 1.
    const newcomer = first.promise.then(() => pool.execute(() => order.push('newcomer')));
    first.resolve();
    await flushMicrotasks();
    expect(order).toEqual(['a', 'b']);
    expect({ executionSlots: pool.executionSlots, queueSlots: pool.queueSlots }).toEqual({ executionSlots: 0, queueSlots: 0 });
    second.resolve();
    await newcomer;
    expect(b.settled).toBe(true);
    expect(order).toEqual(['a', 'b', 'newcomer']);
  });

  it('caller abort of a queued call removes it at once (its queue place frees) and never runs it', async () => {
    const pool = bulkhead(1, 1);
    const gate = deferred<string>();
    const running = track(pool.execute(() => gate.promise));
    const caller = new AbortController();
    const reason = new Error('user left');
    const queuedFn = vi.fn(() => 'queued');
    const queued = track(pool.execute(queuedFn, caller.signal));
    expect(pool.queueSlots).toBe(0);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);

    caller.abort(reason);
    await flushMicrotasks();
    expect(queued).toEqual({ settled: true, error: reason });
    expect(pool.queueSlots).toBe(1); // cockatiel would keep it queued until a slot frees
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    // Its place is free for another call.
    const next = track(pool.execute(() => 'next'));
    gate.resolve('first');
    await flushMicrotasks();
    expect(running.value).toBe('first');
    expect(next.value).toBe('next');
    expect(queuedFn).not.toHaveBeenCalled();
  });

  it('removes the abort listener of a queued call once it starts', async () => {
    const pool = bulkhead(1, 1);
    const gate = deferred<void>();
    void pool.execute(() => gate.promise);
    const caller = new AbortController();
    const queued = pool.execute(({ signal }) => signal === caller.signal, caller.signal);
    gate.resolve();
    await expect(queued).resolves.toBe(true); // fn gets the caller's signal
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('caller abort of a running call rejects at once, but the slot is held until fn settles: it bounds the work, not the waiting', async () => {
    const pool = bulkhead(1);
    const caller = new AbortController();
    const reason = new Error('cancelled');
    const work = deferred<string>();
    let seen: AbortSignal | undefined;
    const call = track(
      pool.execute(({ signal }) => {
        seen = signal;
        return work.promise; // ignores the signal
      }, caller.signal),
    );
    caller.abort(reason);
    await flushMicrotasks();
    expect(call).toEqual({ settled: true, error: reason });
    expect(seen?.aborted).toBe(true);
    expect(pool.executionSlots).toBe(0);
    await expect(pool.execute(() => 'x')).rejects.toBeInstanceOf(BulkheadRejectedError);
    work.resolve('finally done');
    await flushMicrotasks();
    expect(pool.executionSlots).toBe(1);
    expect(call.error).toBe(reason);
  });

  it('an already-aborted signal rejects with its reason without calling fn or taking a slot', async () => {
    const pool = bulkhead(1);
    const reason = new Error('already cancelled');
    const fn = vi.fn(() => 'value');
    await expect(pool.execute(fn, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
    expect(pool.executionSlots).toBe(1);
  });

  it('gives fn a never-aborted signal of its own when the caller passes none', async () => {
    const pool = bulkhead(2);
    const signals: AbortSignal[] = [];
    await pool.execute(({ signal }) => signals.push(signal));
    await pool.execute(({ signal }) => signals.push(signal));
    expect(signals[0]?.aborted).toBe(false);
    expect(signals[0]).not.toBe(signals[1]); // one per call: no listener piles up on a shared one
  });

  it('a queued fn that throws synchronously rejects its call and passes the slot on', async () => {
    const pool = bulkhead(1, 2);
    const gate = deferred<void>();
    void pool.execute(() => gate.promise);
    const thrown = new Error('sync');
    const bad = track(
      pool.execute(() => {
        throw thrown;
      }),
    );
    const good = track(pool.execute(() => 'good'));
    gate.resolve();
    await flushMicrotasks();
    expect(bad.error).toBe(thrown);
    expect(good.value).toBe('good');
    expect({ executionSlots: pool.executionSlots, queueSlots: pool.queueSlots }).toEqual({ executionSlots: 1, queueSlots: 2 });
  });

  it.each([
    ['limit 0', () => bulkhead(0), /limit must be an integer >= 1, got 0/],
    ['limit -1', () => bulkhead(-1), /limit .* got -1/],
    ['limit 1.5', () => bulkhead(1.5), /limit .* got 1.5/],
    ['limit NaN', () => bulkhead(Number.NaN), /limit .* got NaN/],
    ['limit Infinity', () => bulkhead(Number.POSITIVE_INFINITY), /limit .* got Infinity/],
    ['queue -1', () => bulkhead(1, -1), /queue must be an integer >= 0, got -1/],
    ['queue 0.5', () => bulkhead(1, 0.5), /queue .* got 0.5/],
    ['queue NaN', () => bulkhead(1, Number.NaN), /queue .* got NaN/],
    ['queue Infinity (unbounded)', () => bulkhead(1, Number.POSITIVE_INFINITY), /queue .* got Infinity/],
  ])('throws a RangeError synchronously for %s', (_label, make, message) => {
    expect(make).toThrow(RangeError);
    expect(make).toThrow(message);
  });

  it('throws a TypeError synchronously for a non-function fn', () => {
    expect(() => bulkhead(1).execute(42 as unknown as () => void)).toThrow(/fn must be a function, got number/);
  });
});

describe('bulkhead: property under random concurrent load (fake timers)', () => {
  useFakeTimersEachTest();

  interface Call {
    readonly arrivalMs: number;
    readonly durationMs: number;
    readonly fails: boolean;
    /** Abort this long after arrival, if set. */
    readonly abortAfterMs: number | undefined;
  }
  const call: fc.Arbitrary<Call> = fc.record({
    arrivalMs: fc.integer({ min: 0, max: 200 }),
    durationMs: fc.integer({ min: 0, max: 120 }),
    fails: fc.boolean(),
    abortAfterMs: fc.option(fc.integer({ min: 0, max: 150 }), { nil: undefined, freq: 4 }),
  });

  it('never runs more than limit fns or queues more than queue calls; each call runs, is rejected as full, or is cancelled, as a model predicts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(call, { minLength: 1, maxLength: 30 }),
        async (limit, queue, calls) => {
          const pool = bulkhead(limit, queue);
          let running = 0;
          let maxRunning = 0;
          let maxQueued = 0;
          const started: number[] = []; // call indices, in the order their fn started
          const startedAt = new Map<number, number>(); // ms after t0
          const t0 = Date.now();
          const queuedOrder: number[] = []; // call indices, in the order they were queued
          const cancelledWhileQueued = new Set<number>();
          const outcomes: { kind: string; value?: unknown }[] = [];
          const settled: Promise<void>[] = [];
          const observe = (): void => {
            const queued = queue - pool.queueSlots;
            maxQueued = Math.max(maxQueued, queued);
            expect(pool.executionSlots).toBeGreaterThanOrEqual(0);
            expect(pool.executionSlots).toBeLessThanOrEqual(limit);
            expect(queued).toBeGreaterThanOrEqual(0);
            // The bulkhead's own count is the number of fns that have started and not settled.
            expect(limit - pool.executionSlots).toBe(running);
          };

          for (const [i, c] of calls.entries()) {
            setTimeout(() => {
              observe();
              const controller = new AbortController();
              const fullAtArrival = pool.executionSlots === 0 && pool.queueSlots === 0;
              const freeAtArrival = pool.executionSlots > 0;
              const before = started.length;
              const promise = pool.execute(() => {
                running++;
                maxRunning = Math.max(maxRunning, running);
                started.push(i);
                startedAt.set(i, Date.now() - t0);
                return new Promise<number>((resolve, reject) => {
                  setTimeout(() => {
                    running--;
                    if (c.fails) reject(new Error(`fail ${i}`));
                    else resolve(i);
                  }, c.durationMs);
                });
              }, controller.signal);
              // A call with a free slot starts at once; one that found everything taken never runs.
              expect(started.length - before).toBe(freeAtArrival ? 1 : 0);
              if (!freeAtArrival && !fullAtArrival) queuedOrder.push(i);
              outcomes[i] = { kind: 'pending' };
              settled.push(
                promise.then(
                  (value) => {
                    outcomes[i] = { kind: 'resolved', value };
                  },
                  (error: unknown) => {
                    outcomes[i] = { kind: error instanceof BulkheadRejectedError ? 'rejected' : 'error', value: error };
                    if (fullAtArrival) expect(error).toBeInstanceOf(BulkheadRejectedError);
                  },
                ),
              );
              if (c.abortAfterMs !== undefined) {
                setTimeout(() => {
                  if (!started.includes(i) && outcomes[i]?.kind === 'pending') cancelledWhileQueued.add(i);
                  controller.abort(new Error(`abort ${i}`));
                  observe();
                }, c.abortAfterMs);
              }
              observe();
            }, c.arrivalMs);
          }
          await vi.runAllTimersAsync();
          await Promise.all(settled);

          expect(maxRunning).toBeLessThanOrEqual(limit);
          expect(maxQueued).toBeLessThanOrEqual(queue);
          expect(vi.getTimerCount()).toBe(0);
          expect({ executionSlots: pool.executionSlots, queueSlots: pool.queueSlots }).toEqual({ executionSlots: limit, queueSlots: queue });
          for (const [i, c] of calls.entries()) {
            const outcome = outcomes[i];
            const ran = started.includes(i);
            if (outcome?.kind === 'rejected') {
              expect(ran).toBe(false); // rejected as full: fn never called
            } else if (cancelledWhileQueued.has(i)) {
              expect(ran).toBe(false); // left the queue: fn never called
              expect(outcome).toMatchObject({ kind: 'error', value: { message: `abort ${i}` } });
            } else {
              expect(ran).toBe(true); // every other call ran
              // ...and settled as fn did, or with the abort reason if the caller aborted first.
              const settleAt = (startedAt.get(i) ?? Number.NaN) + c.durationMs;
              const abortAt = c.abortAfterMs === undefined ? Number.POSITIVE_INFINITY : c.arrivalMs + c.abortAfterMs;
              const asFn = c.fails ? { kind: 'error', value: new Error(`fail ${i}`) } : { kind: 'resolved', value: i };
              const asAbort = { kind: 'error', value: new Error(`abort ${i}`) };
              // Within a millisecond either may win: a 0 ms timer set from a timer callback takes 1 ms.
              if (abortAt < settleAt - 1) expect(outcome).toEqual(asAbort);
              else if (abortAt > settleAt + 1) expect(outcome).toEqual(asFn);
              else expect([asFn, asAbort]).toContainEqual(outcome);
            }
          }
          // Queued calls that were not cancelled started in the order they were queued.
          expect(started.filter((i) => queuedOrder.includes(i))).toEqual(
            queuedOrder.filter((i) => !cancelledWhileQueued.has(i)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
