import { getEventListeners } from 'node:events';
import { BrokenCircuitError as CockatielBrokenCircuitError } from 'cockatiel';
import { describe, expect, it, vi } from 'vitest';
import {
  BrokenCircuitError,
  bulkhead,
  BulkheadRejectedError,
  circuitBreaker,
  isRetryableError,
  policy,
  TimeoutError,
  type BreakerState,
  type PolicyContext,
  type PolicyOptions,
  type RetryInfo,
} from './index.ts';
import { flushMicrotasks, netError, never, track, useFakeTimersEachTest } from './test-support.ts';

describe('policy (fake timers)', () => {
  useFakeTimersEachTest(() => {
    // Whatever happened, nothing outlives the call: no backoff, deadline or breaker timer.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the breaker is inside the retry: the attempts of ONE operation open it, and its rejection ends the retrying', async () => {
    const changes: BreakerState[] = [];
    const breaker = circuitBreaker({ breaker: { consecutive: 3 }, onStateChange: (s) => changes.push(s) });
    const infos: RetryInfo[] = [];
    const errors: Error[] = [];
    const fn = vi.fn(() => {
      const error = netError();
      errors.push(error);
      return Promise.reject(error);
    });
    const guarded = policy({
      circuitBreaker: breaker,
      retry: { maxAttempts: 6, initialDelayMs: 100, random: () => 0.5, onRetry: (info) => infos.push(info) },
    });
    const result = track(guarded.execute(fn));
    await vi.runAllTimersAsync();
    // Attempts 1-3 fail and open the breaker; attempt 4 is refused by it and not retried.
    expect(fn).toHaveBeenCalledTimes(3);
    expect(infos.map((i) => i.attempt)).toEqual([1, 2, 3]);
    expect(changes).toEqual(['open']);
    const error = result.error as BrokenCircuitError;
    expect(error).toBeInstanceOf(BrokenCircuitError);
    expect(error.state).toBe('open');
    expect(error.cause).toBe(errors[2]); // the failure that opened it
    // Outside the retry, the breaker would have seen one failure per operation, and stayed closed.
  });

  it('never retries a BrokenCircuitError, even when isRetryable says yes: rejects at once, no wait, fn not called', async () => {
    const breaker = circuitBreaker();
    const handle = breaker.isolate();
    const fn = vi.fn(() => 'never');
    const onRetry = vi.fn();
    const isRetryable = vi.fn(() => true);
    const guarded = policy({ circuitBreaker: breaker, retry: { maxAttempts: 5, isRetryable, onRetry } });
    const before = Date.now();
    const result = track(guarded.execute(fn));
    await flushMicrotasks();
    expect(Date.now()).toBe(before);
    expect(result.error).toMatchObject({ name: 'BrokenCircuitError', state: 'isolated' });
    expect(fn).not.toHaveBeenCalled();
    expect(onRetry).not.toHaveBeenCalled();
    expect(isRetryable).not.toHaveBeenCalled();
    handle.dispose();
  });

  it('never retries a rejection by a bulkhead (or breaker) that fn itself goes through', async () => {
    const inner = bulkhead(1);
    void inner.execute(() => never<void>());
    const fn = vi.fn(() => inner.execute(() => 'x'));
    const guarded = policy({ retry: { maxAttempts: 5, isRetryable: () => true } });
    await expect(guarded.execute(fn)).rejects.toBeInstanceOf(BulkheadRejectedError);
    expect(fn).toHaveBeenCalledTimes(1);
    // And by cockatiel's own breakers too.
    const cockatiel = vi.fn(() => Promise.reject(new CockatielBrokenCircuitError()));
    await expect(guarded.execute(cockatiel)).rejects.toBeInstanceOf(CockatielBrokenCircuitError);
    expect(cockatiel).toHaveBeenCalledTimes(1);
  });

  it('the timeout is per attempt: each attempt’s own signal aborts at its own deadline with a TimeoutError, and the retry goes on', async () => {
    const contexts: PolicyContext[] = [];
    const startedAt: number[] = [];
    const fn = vi.fn((context: PolicyContext) => {
      contexts.push(context);
      startedAt.push(Date.now());
      return context.attempt < 2 ? never<string>() : Promise.resolve(`ok on attempt ${context.attempt}`);
    });
    const t0 = Date.now();
    const guarded = policy({ timeoutMs: 1_000, retry: { maxAttempts: 3, initialDelayMs: 100, random: () => 0.5 } });
    const result = track(guarded.execute(fn));
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(contexts[0]?.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1); // attempt 0's deadline
    expect(contexts[0]?.signal.reason).toBeInstanceOf(TimeoutError);
    expect(contexts[0]?.signal.reason).toMatchObject({ ms: 1_000 });
    await vi.advanceTimersByTimeAsync(50); // the 50 ms backoff, then attempt 1
    expect(fn).toHaveBeenCalledTimes(2);
    expect(contexts[1]?.signal).not.toBe(contexts[0]?.signal); // a fresh signal, a fresh deadline
    expect(contexts[1]?.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(contexts[1]?.signal.reason).toBeInstanceOf(TimeoutError);
    await vi.runAllTimersAsync();
    expect(result).toEqual({ settled: true, value: 'ok on attempt 2' });
    expect(contexts.map((c) => c.attempt)).toEqual([0, 1, 2]);
    expect(startedAt.map((t) => t - t0)).toEqual([0, 1_050, 2_150]); // 1 000 deadline + 50 wait, + 100 wait
  });

  it('the timeout is inside the breaker: timed-out attempts count as failures and open it', async () => {
    const breaker = circuitBreaker({ breaker: { consecutive: 2 } });
    const fn = vi.fn(() => never<string>());
    const guarded = policy({ timeoutMs: 500, circuitBreaker: breaker, retry: { maxAttempts: 5, initialDelayMs: 0 } });
    const result = track(guarded.execute(fn));
    await vi.runAllTimersAsync();
    expect(fn).toHaveBeenCalledTimes(2);
    expect(breaker.state).toBe('open');
    expect(result.error).toBeInstanceOf(BrokenCircuitError);
    expect((result.error as Error).cause).toBeInstanceOf(TimeoutError);
    // (With the deadline outside the breaker, the breaker would see its caller abort: not counted.)
  });

  it('the bulkhead is outermost: a retrying operation keeps its slot through its waits, and a full bulkhead sheds a call before any attempt', async () => {
    const pool = bulkhead(1);
    const breakerChanges: BreakerState[] = [];
    const breaker = circuitBreaker({ breaker: { consecutive: 1 }, onStateChange: (s) => breakerChanges.push(s) });
    const shared = { bulkhead: pool, retry: { maxAttempts: 3, initialDelayMs: 2_000, random: () => 0.5 } } as const;
    const first = vi.fn(({ attempt }: PolicyContext) => (attempt === 0 ? Promise.reject(netError()) : Promise.resolve('first')));
    const a = track(policy(shared).execute(first));
    await vi.advanceTimersByTimeAsync(500); // a is in its 1 000 ms wait before attempt 1
    expect(first).toHaveBeenCalledTimes(1);
    expect(pool.executionSlots).toBe(0); // the slot is still a's

    const onRetry = vi.fn();
    const second = vi.fn(() => 'second');
    const b = track(policy({ ...shared, circuitBreaker: breaker, retry: { ...shared.retry, onRetry } }).execute(second));
    await flushMicrotasks();
    expect(b.error).toBeInstanceOf(BulkheadRejectedError);
    expect(second).not.toHaveBeenCalled();
    expect(onRetry).not.toHaveBeenCalled(); // shed before the retry layer
    expect(breakerChanges).toEqual([]); // ...and before the breaker: nothing counted

    await vi.advanceTimersByTimeAsync(500);
    expect(a).toEqual({ settled: true, value: 'first' });
    expect(pool.executionSlots).toBe(1);
    await expect(policy(shared).execute(second)).resolves.toBe('second');
  });

  it('the caller’s signal cancels the call in whichever layer it is: queued, waiting between attempts, or in an attempt', async () => {
    const pool = bulkhead(1, 1);
    const guarded = policy({ bulkhead: pool, timeoutMs: 10_000, retry: { maxAttempts: 3, initialDelayMs: 4_000, random: () => 0.5 } });
    const reasons = [new Error('r0'), new Error('r1'), new Error('r2')];
    const callers = reasons.map(() => new AbortController());
    // The first call waits between attempts; the second is queued in the bulkhead.
    const waitingFn = vi.fn(() => Promise.reject(netError()));
    const waiting = track(guarded.execute(waitingFn, callers[0]?.signal));
    const queuedFn = vi.fn(() => 'queued');
    const queued = track(guarded.execute(queuedFn, callers[1]?.signal));
    await vi.advanceTimersByTimeAsync(100);
    callers[1]?.abort(reasons[1]);
    await flushMicrotasks();
    expect(queued).toEqual({ settled: true, error: reasons[1] });
    expect(queuedFn).not.toHaveBeenCalled();
    expect(pool.queueSlots).toBe(1);
    callers[0]?.abort(reasons[0]);
    await flushMicrotasks();
    expect(waiting).toEqual({ settled: true, error: reasons[0] });
    expect(waitingFn).toHaveBeenCalledTimes(1);
    expect(pool.executionSlots).toBe(1);

    // In an attempt: fn's signal (the attempt's deadline signal) is aborted with the caller's reason.
    let seen: AbortSignal | undefined;
    const running = track(
      guarded.execute(({ signal }) => {
        seen = signal;
        return never<string>();
      }, callers[2]?.signal),
    );
    await vi.advanceTimersByTimeAsync(100);
    callers[2]?.abort(reasons[2]);
    await flushMicrotasks();
    expect(running).toEqual({ settled: true, error: reasons[2] });
    expect(seen?.reason).toBe(reasons[2]);
    for (const caller of callers) expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('an already-aborted signal rejects with its reason without calling fn or touching any layer', async () => {
    const pool = bulkhead(1);
    const breaker = circuitBreaker({ breaker: { consecutive: 1 } });
    const fn = vi.fn(() => 'x');
    const reason = new Error('already');
    await expect(policy({ bulkhead: pool, circuitBreaker: breaker }).execute(fn, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
    expect(pool.executionSlots).toBe(1);
    expect(breaker.state).toBe('closed');
    // With no layer to check it, policy does.
    await expect(policy({ retry: false }).execute(fn, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
  });

  it('retry defaults to on (3 attempts) when omitted; false makes a single attempt, numbered 0', async () => {
    const failing = vi.fn(() => Promise.reject(netError()));
    const defaulted = track(policy({}).execute(failing));
    await vi.runAllTimersAsync();
    expect(failing).toHaveBeenCalledTimes(3);
    expect(defaulted.error).toMatchObject({ code: 'ECONNRESET' });

    const once = vi.fn((context: PolicyContext) => Promise.reject(Object.assign(netError(), { attempt: context.attempt })));
    await expect(policy({ retry: false, timeoutMs: 1_000 }).execute(once)).rejects.toMatchObject({ code: 'ECONNRESET', attempt: 0 });
    expect(once).toHaveBeenCalledTimes(1);
  });

  it('with no layer at all, still gives fn a signal, turns a synchronous throw into a rejection, and honours the caller’s abort', async () => {
    const bare = policy({ retry: false });
    const signals: AbortSignal[] = [];
    await expect(bare.execute(({ signal, attempt }) => (signals.push(signal), attempt))).resolves.toBe(0);
    expect(signals[0]?.aborted).toBe(false);
    const error = new TypeError('sync');
    let promise: Promise<never> | undefined;
    expect(() => {
      promise = bare.execute(() => {
        throw error;
      });
    }).not.toThrow();
    await expect(promise).rejects.toBe(error);
    const caller = new AbortController();
    const reason = new Error('stop');
    const result = track(bare.execute(() => never<void>(), caller.signal));
    caller.abort(reason);
    await flushMicrotasks();
    expect(result).toEqual({ settled: true, error: reason });
  });

  it('retries a returned 503 and the breaker counts it: both judge values as well as errors', async () => {
    const breaker = circuitBreaker({ breaker: { consecutive: 2 } });
    const fn = vi.fn(() => new Response('busy', { status: 503 }));
    const result = track(policy({ circuitBreaker: breaker, retry: { maxAttempts: 5, initialDelayMs: 0 } }).execute(fn));
    await vi.runAllTimersAsync();
    expect(fn).toHaveBeenCalledTimes(2);
    expect(breaker.state).toBe('open');
    expect(result.error).toBeInstanceOf(BrokenCircuitError);
  });

  it('infers the result type from fn', async () => {
    const guarded = policy({ timeoutMs: 1_000 });
    const n: number = await guarded.execute(() => 1);
    const s: string = await guarded.execute(async () => 'x');
    expect([n, s]).toEqual([1, 'x']);
    const typed = policy<Response>({ retry: { shouldRetryResult: (r) => r.status === 503 } });
    const r: Response = await typed.execute(() => new Response(null, { status: 204 }));
    expect(r.status).toBe(204);
  });

  it.each<[string, PolicyOptions, RegExp]>([
    ['timeoutMs: 0', { timeoutMs: 0 }, /timeoutMs must be a finite number of milliseconds greater than 0 and at most 2147483647 \(2\*\*31 - 1\), got 0/],
    ['timeoutMs: -1', { timeoutMs: -1 }, /timeoutMs .* got -1/],
    ['timeoutMs: NaN', { timeoutMs: Number.NaN }, /timeoutMs .* got NaN/],
    ['timeoutMs: Infinity', { timeoutMs: Number.POSITIVE_INFINITY }, /timeoutMs .* got Infinity/],
    ['timeoutMs: 2**31', { timeoutMs: 2 ** 31 }, /timeoutMs .* got 2147483648/],
    ['retry.maxAttempts: 0', { retry: { maxAttempts: 0 } }, /retry: maxAttempts must be a finite integer >= 1, got 0/],
    ['retry.initialDelayMs: -1', { retry: { initialDelayMs: -1 } }, /initialDelayMs .* got -1/],
  ])('throws a RangeError at construction, not at the first call, for %s', (_label, options, message) => {
    expect(() => policy(options)).toThrow(RangeError);
    expect(() => policy(options)).toThrow(message);
  });

  it('throws a TypeError at construction for what is not a breaker, bulkhead or retry options, and for retry.signal', () => {
    expect(() => policy(null as unknown as PolicyOptions)).toThrow(/options must be an object, got null/);
    expect(() => policy({ circuitBreaker: {} as unknown as PolicyOptions['circuitBreaker'] })).toThrow(
      /circuitBreaker must be the object circuitBreaker\(\) returns/,
    );
    expect(() => policy({ bulkhead: 3 as unknown as PolicyOptions['bulkhead'] })).toThrow(/bulkhead must be the object bulkhead\(\) returns/);
    expect(() => policy({ retry: 'yes' as unknown as false })).toThrow(/retry must be an object of retry options or false/);
    expect(() => policy({ retry: { onRetry: 1 as unknown as () => void } })).toThrow(/onRetry must be a function/);
    expect(() => policy({ retry: { signal: new AbortController().signal } })).toThrow(/retry.signal is not supported/);
    expect(() => policy({}).execute('fn' as unknown as () => void)).toThrow(/fn must be a function, got string/);
  });
});

describe('policy fallback', () => {
  useFakeTimersEachTest(() => {
    expect(vi.getTimerCount()).toBe(0);
  });

  it('answers with the fallback once the retries are spent, given the error that ended the operation', async () => {
    const errors: Error[] = [];
    const fn = vi.fn(() => {
      const error = netError();
      errors.push(error);
      return Promise.reject(error);
    });
    const seen: unknown[] = [];
    const guarded = policy<string>({ retry: { maxAttempts: 3, initialDelayMs: 10, random: () => 0.5 }, fallback: (error) => (seen.push(error), 'cached') });
    const result = track(guarded.execute(fn));
    await vi.runAllTimersAsync();
    expect(fn).toHaveBeenCalledTimes(3);
    expect(result.value).toBe('cached');
    expect(seen).toEqual([errors[2]]);
  });

  it('answers at once, without calling fn, while the breaker is open; is not called on success', async () => {
    const breaker = circuitBreaker();
    const handle = breaker.isolate();
    const fn = vi.fn(() => 'fresh');
    const onFallback = vi.fn((error: unknown) => (error instanceof BrokenCircuitError ? 'stale' : 'other'));
    const guarded = policy<string>({ circuitBreaker: breaker, fallback: onFallback });
    expect(await guarded.execute(fn)).toBe('stale');
    expect(fn).not.toHaveBeenCalled();
    handle.dispose();
    expect(await guarded.execute(fn)).toBe('fresh');
    expect(onFallback).toHaveBeenCalledTimes(1);
  });

  it('answers when the bulkhead is full', async () => {
    const gate = bulkhead(1);
    const guarded = policy<string>({ bulkhead: gate, retry: false, fallback: (error) => (error instanceof BulkheadRejectedError ? 'busy' : 'other') });
    const controller = new AbortController();
    const first = track(guarded.execute(() => never<string>(), controller.signal));
    await flushMicrotasks();
    expect(await guarded.execute(() => 'second')).toBe('busy');
    expect(first.settled).toBe(false);
    controller.abort(new Error('done'));
    await flushMicrotasks();
    expect(first.error).toEqual(new Error('done'));
  });

  it('does not answer for the caller’s own abort: the call rejects with the caller’s reason', async () => {
    const onFallback = vi.fn(() => 'degraded');
    const guarded = policy<string>({ retry: false, fallback: onFallback });
    const controller = new AbortController();
    const result = track(guarded.execute(() => never<string>(), controller.signal));
    await flushMicrotasks();
    const reason = new Error('user left');
    controller.abort(reason);
    await flushMicrotasks();
    expect(result.error).toBe(reason);
    expect(onFallback).not.toHaveBeenCalled();
  });

  it('lets a fallback that throws decide the outcome, and refuses a fallback that is not a function', async () => {
    const refused = new Error('no cached value');
    const guarded = policy<string>({ retry: false, fallback: () => { throw refused; } });
    await expect(guarded.execute(() => Promise.reject(netError()))).rejects.toBe(refused);
    expect(() => policy({ fallback: 'cached' as never })).toThrow(new TypeError('policy: fallback must be a function that returns the answer, got string'));
  });
});

describe('isRetryableError and policy rejections', () => {
  it('is false for a BrokenCircuitError, even one caused by a retryable failure, and for cockatiel’s', () => {
    expect(isRetryableError(new BrokenCircuitError('open', { cause: netError() }))).toBe(false);
    expect(isRetryableError(new BrokenCircuitError('half-open'))).toBe(false);
    expect(isRetryableError(new CockatielBrokenCircuitError())).toBe(false);
    expect(isRetryableError(new Error('wrapped', { cause: new BrokenCircuitError('open', { cause: netError() }) }))).toBe(false);
  });

  it('is false for a BulkheadRejectedError', () => {
    expect(isRetryableError(new BulkheadRejectedError(2, 0))).toBe(false);
  });
});
