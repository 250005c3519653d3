import { getEventListeners } from 'node:events';
import { BrokenCircuitError as CockatielBrokenCircuitError, isBrokenCircuitError } from 'cockatiel';
import { describe, expect, it, vi } from 'vitest';
import { BrokenCircuitError, circuitBreaker, type BreakerState, type CircuitBreakerOptions } from './index.ts';
import { deferred, flushMicrotasks, netError, never, runNodeScript, track, useFakeTimersEachTest } from './test-support.ts';

const httpError = (status: number): Error => Object.assign(new Error(`HTTP ${status}`), { status });

/** A breaker that records its state changes. */
function recorded(options: CircuitBreakerOptions = {}): {
  breaker: ReturnType<typeof circuitBreaker>;
  changes: BreakerState[];
} {
  const changes: BreakerState[] = [];
  const breaker = circuitBreaker({ ...options, onStateChange: (state) => changes.push(state) });
  return { breaker, changes };
}

/** Runs one failing call (a retryable network error) through the breaker and returns its error. */
async function fail(breaker: ReturnType<typeof circuitBreaker>, error: unknown = netError()): Promise<unknown> {
  return breaker.execute(() => Promise.reject(error)).then(
    () => 'resolved',
    (e: unknown) => e,
  );
}

describe('circuitBreaker (fake timers)', () => {
  useFakeTimersEachTest(() => {
    // The breaker has no timer: whatever state it is left in, nothing is scheduled.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stays closed through consecutive - 1 failures and opens on the consecutive-th, passing each error through', async () => {
    const { breaker, changes } = recorded({ breaker: { consecutive: 3 } });
    const errors = [netError('ECONNRESET'), netError('ETIMEDOUT'), netError('ECONNREFUSED')];
    const fn = vi.fn(({ signal }: { signal: AbortSignal }) => {
      expect(signal).toBeInstanceOf(AbortSignal);
      return Promise.reject(errors[fn.mock.calls.length - 1]);
    });
    expect(await breaker.execute(fn).catch((e: unknown) => e)).toBe(errors[0]);
    expect(await breaker.execute(fn).catch((e: unknown) => e)).toBe(errors[1]);
    expect(breaker.state).toBe('closed');
    expect(changes).toEqual([]);
    expect(await breaker.execute(fn).catch((e: unknown) => e)).toBe(errors[2]); // the third still runs...
    expect(fn).toHaveBeenCalledTimes(3);
    expect(breaker.state).toBe('open'); // ...and opens the breaker
    expect(changes).toEqual(['open']);
  });

  it('counts consecutive failures only: a success in between starts the count again', async () => {
    const { breaker } = recorded({ breaker: { consecutive: 2 } });
    await fail(breaker);
    await breaker.execute(() => 'ok');
    await fail(breaker);
    expect(breaker.state).toBe('closed');
    await fail(breaker);
    expect(breaker.state).toBe('open');
  });

  it('defaults to opening after 5 consecutive failures and probing after 10 s', async () => {
    const { breaker, changes } = recorded();
    for (let i = 0; i < 4; i++) await fail(breaker);
    expect(breaker.state).toBe('closed');
    await fail(breaker);
    expect(breaker.state).toBe('open');
    await vi.advanceTimersByTimeAsync(9_999);
    expect(await fail(breaker)).toBeInstanceOf(BrokenCircuitError);
    await vi.advanceTimersByTimeAsync(1);
    await expect(breaker.execute(() => 'recovered')).resolves.toBe('recovered');
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('open: rejects at once with a BrokenCircuitError without calling fn; the error names the state and the failure that opened it', async () => {
    const { breaker } = recorded({ breaker: { consecutive: 1 } });
    const opener = netError('ECONNREFUSED');
    await fail(breaker, opener);
    const fn = vi.fn(() => 'should not run');
    const before = Date.now();
    const result = track(breaker.execute(fn));
    await flushMicrotasks(); // no timer fires, the clock does not move
    expect(Date.now()).toBe(before);
    expect(result.settled).toBe(true);
    expect(fn).not.toHaveBeenCalled();
    const error = result.error as BrokenCircuitError;
    expect(error).toBeInstanceOf(BrokenCircuitError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'BrokenCircuitError', state: 'open', message: 'Circuit breaker is open: the call was not made' });
    expect(error.cause).toBe(opener);
    expect(Object.keys(error)).not.toContain('cause'); // non-enumerable, like new Error(m, { cause })
    // Code written against cockatiel recognises it too.
    expect(error).toBeInstanceOf(CockatielBrokenCircuitError);
    expect(isBrokenCircuitError(error)).toBe(true);
  });

  it('half-open: after halfOpenAfterMs (not 1 ms before) ONE probe runs; other calls are rejected at once meanwhile; success closes', async () => {
    const { breaker, changes } = recorded({ breaker: { consecutive: 2 }, halfOpenAfterMs: 1_000 });
    await fail(breaker);
    await fail(breaker);
    expect(breaker.state).toBe('open');

    await vi.advanceTimersByTimeAsync(999);
    const early = vi.fn(() => 'early');
    await expect(breaker.execute(early)).rejects.toMatchObject({ name: 'BrokenCircuitError', state: 'open' });
    expect(early).not.toHaveBeenCalled();
    // No timer moves it: it reads 'open' until a call comes.
    await vi.advanceTimersByTimeAsync(1);
    expect(breaker.state).toBe('open');

    const probe = deferred<string>();
    const probeFn = vi.fn(() => probe.promise);
    const probed = track(breaker.execute(probeFn));
    expect(probeFn).toHaveBeenCalledTimes(1); // called synchronously
    expect(breaker.state).toBe('half-open');
    expect(changes).toEqual(['open', 'half-open']);

    // While the probe runs, other calls do not wait for it (cockatiel would make them): rejected now.
    const others = [vi.fn(() => 'a'), vi.fn(() => 'b')];
    const rejected = others.map((fn) => track(breaker.execute(fn)));
    await flushMicrotasks();
    for (const [i, fn] of others.entries()) {
      expect(fn).not.toHaveBeenCalled();
      expect(rejected[i]?.error).toMatchObject({ name: 'BrokenCircuitError', state: 'half-open' });
      expect((rejected[i]?.error as Error).cause).toMatchObject({ code: 'ECONNRESET' });
    }
    expect(probed.settled).toBe(false);

    probe.resolve('healthy');
    await flushMicrotasks();
    expect(probed).toEqual({ settled: true, value: 'healthy' });
    expect(breaker.state).toBe('closed');
    expect(changes).toEqual(['open', 'half-open', 'closed']);
    await expect(breaker.execute(() => 'flowing')).resolves.toBe('flowing');
    // Closed afresh: the failures before the probe are forgotten, it takes 2 new ones to open.
    await fail(breaker);
    expect(breaker.state).toBe('closed');
  });

  it('half-open: a failed probe opens it again, and the next probe is halfOpenAfterMs after that failure', async () => {
    const { breaker, changes } = recorded({ breaker: { consecutive: 1 }, halfOpenAfterMs: 1_000 });
    await fail(breaker);
    await vi.advanceTimersByTimeAsync(1_000);
    const probeError = netError('ETIMEDOUT');
    const probe = track(
      breaker.execute(() => new Promise<never>((_resolve, reject) => setTimeout(() => reject(probeError), 300))),
    );
    await vi.advanceTimersByTimeAsync(300); // the probe fails 1 300 ms after the breaker first opened
    expect(probe.error).toBe(probeError);
    expect(breaker.state).toBe('open');
    expect(changes).toEqual(['open', 'half-open', 'open']);

    // The pause starts again from the failed probe, not from the first opening.
    await vi.advanceTimersByTimeAsync(999);
    const fn = vi.fn(() => 'ok');
    const rejected = await breaker.execute(fn).catch((e: unknown) => e);
    expect(rejected).toMatchObject({ name: 'BrokenCircuitError', state: 'open' });
    expect((rejected as Error).cause).toBe(probeError); // the latest failure
    expect(fn).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await expect(breaker.execute(fn)).resolves.toBe('ok');
    expect(changes).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('does not count errors isFailure rejects (default: a 404, a plain Error, an AbortError): they pass through, neither failure nor success', async () => {
    const { breaker, changes } = recorded({ breaker: { consecutive: 2 } });
    const notFound = httpError(404);
    for (let i = 0; i < 20; i++) expect(await fail(breaker, notFound)).toBe(notFound);
    await fail(breaker, new Error('bug'));
    await fail(breaker, new DOMException('aborted', 'AbortError'));
    expect(breaker.state).toBe('closed');
    // Nor do they reset the count: failure, 404, failure is two failures in a row.
    await fail(breaker, httpError(503));
    await fail(breaker, notFound);
    expect(breaker.state).toBe('closed');
    await fail(breaker, httpError(503));
    expect(breaker.state).toBe('open');
    expect(changes).toEqual(['open']);
  });

  it('a probe that gets a 404 closes the breaker: the dependency answered', async () => {
    const { breaker, changes } = recorded({ breaker: { consecutive: 1 }, halfOpenAfterMs: 100 });
    await fail(breaker);
    await vi.advanceTimersByTimeAsync(100);
    const notFound = httpError(404);
    expect(await fail(breaker, notFound)).toBe(notFound);
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('counts a returned 503 Response as a failure (fetch does not reject) and still resolves with it; a 404 Response is not one', async () => {
    const { breaker } = recorded({ breaker: { consecutive: 2 } });
    const busy = new Response('busy', { status: 503 });
    await expect(breaker.execute(() => new Response(null, { status: 404 }))).resolves.toMatchObject({ status: 404 });
    await expect(breaker.execute(() => Promise.resolve(busy))).resolves.toBe(busy);
    expect(breaker.state).toBe('closed');
    await expect(breaker.execute(() => new Response(null, { status: 500 }))).resolves.toMatchObject({ status: 500 });
    expect(breaker.state).toBe('open');
    expect(await busy.text()).toBe('busy'); // the body is the caller's, untouched
    const rejected = await breaker.execute(() => 1).catch((e: unknown) => e);
    expect((rejected as Error).cause).toMatchObject({ status: 500 });
  });

  it('uses custom isFailure and isFailureResult instead of the defaults', async () => {
    const { breaker } = recorded({
      breaker: { consecutive: 2 },
      isFailure: (error) => (error as { status?: number }).status === 404,
      isFailureResult: (value) => value === 'degraded',
    });
    await fail(breaker, netError()); // not a failure any more
    await fail(breaker, netError());
    expect(breaker.state).toBe('closed');
    await fail(breaker, httpError(404));
    await expect(breaker.execute(() => 'degraded')).resolves.toBe('degraded');
    expect(breaker.state).toBe('open');
  });

  it('an exception from isFailure or isFailureResult is what the call rejects with, and counts as a failure', async () => {
    const bug = new Error('predicate bug');
    const thrower = (): never => {
      throw bug;
    };
    const a = circuitBreaker({ breaker: { consecutive: 1 }, isFailure: thrower });
    expect(await fail(a, netError())).toBe(bug);
    expect(a.state).toBe('open');
    const b = circuitBreaker({ breaker: { consecutive: 1 }, isFailureResult: thrower });
    await expect(b.execute(() => 'value')).rejects.toBe(bug);
    expect(b.state).toBe('open');
  });

  it('isolate() holds it open, past halfOpenAfterMs, until every handle is disposed; then it is closed with its count reset', async () => {
    const { breaker, changes } = recorded({ breaker: { consecutive: 2 }, halfOpenAfterMs: 100 });
    await fail(breaker);
    await fail(breaker);
    const first = breaker.isolate();
    const second = breaker.isolate();
    expect(breaker.state).toBe('isolated');
    await vi.advanceTimersByTimeAsync(10_000);
    const fn = vi.fn(() => 'ok');
    const error = await breaker.execute(fn).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokenCircuitError);
    expect(error).toMatchObject({ state: 'isolated', message: 'Circuit breaker is isolated (held open by isolate()): the call was not made' });
    expect(fn).not.toHaveBeenCalled();
    first.dispose();
    first.dispose(); // idempotent: does not release the second handle
    expect(breaker.state).toBe('isolated');
    second.dispose();
    expect(breaker.state).toBe('closed');
    // Counted afresh: cockatiel would keep the 2 failures that opened it, and reopen on the next one.
    await fail(breaker);
    expect(breaker.state).toBe('closed');
    await expect(breaker.execute(fn)).resolves.toBe('ok');
    await fail(breaker);
    await fail(breaker);
    expect(breaker.state).toBe('open');
    expect(changes).toEqual(['open', 'isolated', 'closed', 'open']);
  });

  it('isolate() from closed and during a probe: the probe’s outcome no longer matters', async () => {
    const { breaker, changes } = recorded({ breaker: { consecutive: 1 }, halfOpenAfterMs: 100 });
    const handle = breaker.isolate();
    expect(changes).toEqual(['isolated']);
    handle.dispose();
    await fail(breaker);
    await vi.advanceTimersByTimeAsync(100);
    const probe = deferred<string>();
    const probed = track(breaker.execute(() => probe.promise));
    const held = breaker.isolate();
    probe.resolve('late');
    await flushMicrotasks();
    expect(probed.value).toBe('late');
    expect(breaker.state).toBe('isolated');
    held.dispose();
    expect(changes).toEqual(['isolated', 'closed', 'open', 'half-open', 'isolated', 'closed']);
  });

  it('sampling: opens when more than threshold of the calls in the window failed, once the window holds durationMs/1000 * minimumRps calls', async () => {
    const { breaker, changes } = recorded({ breaker: { threshold: 0.5, durationMs: 10_000, minimumRps: 1 } });
    // 9 failures: 100 % failing, but under the minimum of 10 calls in the window.
    for (let i = 0; i < 9; i++) {
      await fail(breaker);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(breaker.state).toBe('closed');
    await fail(breaker); // the 10th call: 10 failures of 10
    expect(breaker.state).toBe('open');
    expect(changes).toEqual(['open']);
  });

  it('sampling: the ratio must exceed the threshold (5 of 10 does not open, 6 of 11 does), and successes count towards the throughput', async () => {
    const { breaker } = recorded({ breaker: { threshold: 0.5, durationMs: 10_000, minimumRps: 1 } });
    for (let i = 0; i < 5; i++) await breaker.execute(() => 'ok');
    for (let i = 0; i < 5; i++) await fail(breaker);
    expect(breaker.state).toBe('closed'); // 5/10 = 0.5, not more than 0.5
    await fail(breaker);
    expect(breaker.state).toBe('open'); // 6/11
  });

  it('sampling: calls older than the window no longer count, however quiet the dependency was (cockatiel’s SamplingBreaker kept them)', async () => {
    const { breaker } = recorded({ breaker: { threshold: 0.5, durationMs: 10_000, minimumRps: 1 } });
    for (let i = 0; i < 9; i++) await fail(breaker);
    await vi.advanceTimersByTimeAsync(600_000); // 10 minutes of silence
    await breaker.execute(() => 'ok');
    await fail(breaker);
    await fail(breaker);
    // 3 calls in the window, under the minimum of 10. cockatiel's SamplingBreaker rotates one
    // sub-window per call, still counts the 9 old failures (12 calls, 11 failing) and opens.
    expect(breaker.state).toBe('closed');
    // And partly: failures 9 s ago are in the 10 s window, failures 11 s ago are not.
    await vi.advanceTimersByTimeAsync(20_000);
    for (let i = 0; i < 6; i++) await fail(breaker);
    await vi.advanceTimersByTimeAsync(11_000);
    for (let i = 0; i < 5; i++) await breaker.execute(() => 'ok');
    for (let i = 0; i < 4; i++) await fail(breaker);
    expect(breaker.state).toBe('closed'); // 4 failures of 9: the 6 earlier ones have left the window
    await vi.advanceTimersByTimeAsync(9_000);
    await fail(breaker);
    await fail(breaker);
    expect(breaker.state).toBe('open'); // 6 of 11 within the last 10 s
  });

  it('sampling: defaults minimumRps to 5 / threshold, i.e. 5 failing calls a second', async () => {
    // threshold 0.5, 1 s window: at least 10 calls.
    const { breaker } = recorded({ breaker: { threshold: 0.5, durationMs: 1_000 } });
    for (let i = 0; i < 9; i++) await fail(breaker);
    expect(breaker.state).toBe('closed');
    await fail(breaker);
    expect(breaker.state).toBe('open');
  });

  it('sampling: a successful probe closes it with an empty window; a failed one reopens it', async () => {
    const { breaker, changes } = recorded({
      breaker: { threshold: 0.5, durationMs: 10_000, minimumRps: 0.2 },
      halfOpenAfterMs: 500,
    });
    await fail(breaker);
    await fail(breaker);
    expect(breaker.state).toBe('open');
    await vi.advanceTimersByTimeAsync(500);
    await fail(breaker);
    expect(breaker.state).toBe('open');
    await vi.advanceTimersByTimeAsync(500);
    await breaker.execute(() => 'ok');
    expect(breaker.state).toBe('closed');
    await fail(breaker); // 1 failure, 0 successes: under the minimum of 2 calls
    expect(breaker.state).toBe('closed');
    await fail(breaker);
    expect(breaker.state).toBe('open');
    expect(changes).toEqual(['open', 'half-open', 'open', 'half-open', 'closed', 'open']);
  });

  it('caller abort of a running call: rejects at once with the reason, even if fn ignores it, and is not counted', async () => {
    const { breaker } = recorded({ breaker: { consecutive: 1 } });
    const caller = new AbortController();
    // A reason isFailure would count (an outer deadline's TimeoutError): still the caller's decision.
    const reason = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    let seen: AbortSignal | undefined;
    const result = track(
      breaker.execute(({ signal }) => {
        seen = signal;
        return never<string>();
      }, caller.signal),
    );
    expect(seen).toBe(caller.signal);
    caller.abort(reason);
    await flushMicrotasks();
    expect(result).toEqual({ settled: true, error: reason });
    expect(breaker.state).toBe('closed');
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('removes its listener from the caller’s signal once settled (success, counted failure, uncounted error)', async () => {
    const breaker = circuitBreaker({ breaker: { consecutive: 5 } });
    const caller = new AbortController();
    const listeners = (): number => getEventListeners(caller.signal, 'abort').length;
    const ok = track(breaker.execute(() => Promise.resolve(1), caller.signal));
    expect(listeners()).toBe(1);
    await flushMicrotasks();
    expect(ok.value).toBe(1);
    expect(listeners()).toBe(0);
    await expect(breaker.execute(() => Promise.reject(netError()), caller.signal)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(listeners()).toBe(0);
    await expect(breaker.execute(() => Promise.reject(new Error('bug')), caller.signal)).rejects.toThrow('bug');
    expect(listeners()).toBe(0);
  });

  it('rejects at once when fn itself aborts the caller’s signal before returning work that never settles', async () => {
    const breaker = circuitBreaker();
    const caller = new AbortController();
    const reason = new Error('aborted from inside');
    const result = track(
      breaker.execute(() => {
        caller.abort(reason);
        return never<void>();
      }, caller.signal),
    );
    await flushMicrotasks();
    expect(result).toEqual({ settled: true, error: reason });
  });

  it('an already-aborted signal rejects with its reason without calling fn or consulting the breaker', async () => {
    const { breaker, changes } = recorded({ breaker: { consecutive: 1 }, halfOpenAfterMs: 100 });
    const reason = new Error('already cancelled');
    const fn = vi.fn(() => 'value');
    await expect(breaker.execute(fn, AbortSignal.abort(reason))).rejects.toBe(reason);
    await fail(breaker);
    await vi.advanceTimersByTimeAsync(100);
    await expect(breaker.execute(fn, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
    expect(changes).toEqual(['open']); // not moved to half-open by a call that never runs
  });

  it('a probe the caller aborts reopens the breaker: it proved nothing, and closing would let the full load through', async () => {
    const { breaker, changes } = recorded({ breaker: { consecutive: 1 }, halfOpenAfterMs: 100 });
    await fail(breaker);
    await vi.advanceTimersByTimeAsync(100);
    const caller = new AbortController();
    const reason = new Error('gone');
    const probe = track(breaker.execute(() => never<string>(), caller.signal));
    caller.abort(reason);
    await flushMicrotasks();
    expect(probe.error).toBe(reason);
    expect(changes).toEqual(['open', 'half-open', 'open']);
  });

  it('passes through, uncounted and unchanged, the BrokenCircuitError of another breaker that fn calls', async () => {
    const inner = circuitBreaker({ breaker: { consecutive: 1 } });
    await fail(inner);
    let innerError: unknown;
    const outer = circuitBreaker({ breaker: { consecutive: 1 } });
    const error = await outer
      .execute(() =>
        inner.execute(() => 'x').catch((e: unknown) => {
          innerError = e;
          throw e;
        }),
      )
      .catch((e: unknown) => e);
    expect(innerError).toBeInstanceOf(BrokenCircuitError);
    expect(error).toBe(innerError);
    expect(outer.state).toBe('closed');
  });

  it('turns a synchronous throw or return of fn into the promise’s outcome', async () => {
    const breaker = circuitBreaker({ breaker: { consecutive: 1 } });
    const error = netError();
    let promise: Promise<never> | undefined;
    expect(() => {
      promise = breaker.execute(() => {
        throw error;
      });
    }).not.toThrow();
    await expect(promise).rejects.toBe(error);
    expect(breaker.state).toBe('open');
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(breaker.execute(() => 42)).resolves.toBe(42);
  });

  it('an onStateChange that throws disturbs neither the breaker nor the call; the exception is rethrown from a microtask', async () => {
    const bug = new Error('listener bug');
    const reported: (() => void)[] = [];
    const queue = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) => {
      reported.push(callback);
    });
    try {
      const breaker = circuitBreaker({
        breaker: { consecutive: 1 },
        halfOpenAfterMs: 100,
        onStateChange: () => {
          throw bug;
        },
      });
      const error = netError();
      expect(await fail(breaker, error)).toBe(error); // not the listener's exception
      expect(breaker.state).toBe('open');
      await vi.advanceTimersByTimeAsync(100);
      // cockatiel notifies between entering half-open and running the probe: the probe still runs.
      await expect(breaker.execute(() => 'probe ran')).resolves.toBe('probe ran');
      expect(breaker.state).toBe('closed');
      expect(reported).toHaveLength(3); // open, half-open, closed
      for (const callback of reported) expect(callback).toThrow(bug);
    } finally {
      queue.mockRestore();
    }
  });

  it.each<[string, CircuitBreakerOptions, RegExp]>([
    ['halfOpenAfterMs: 0', { halfOpenAfterMs: 0 }, /halfOpenAfterMs must be a finite number of milliseconds greater than 0, got 0/],
    ['halfOpenAfterMs: -1', { halfOpenAfterMs: -1 }, /halfOpenAfterMs .* got -1/],
    ['halfOpenAfterMs: NaN', { halfOpenAfterMs: Number.NaN }, /halfOpenAfterMs .* got NaN/],
    ['halfOpenAfterMs: Infinity', { halfOpenAfterMs: Number.POSITIVE_INFINITY }, /halfOpenAfterMs .* got Infinity/],
    ['consecutive: 0', { breaker: { consecutive: 0 } }, /breaker.consecutive must be an integer >= 1, got 0/],
    ['consecutive: 2.5', { breaker: { consecutive: 2.5 } }, /consecutive .* got 2.5/],
    ['consecutive: NaN', { breaker: { consecutive: Number.NaN } }, /consecutive .* got NaN/],
    ['consecutive: Infinity', { breaker: { consecutive: Number.POSITIVE_INFINITY } }, /consecutive .* got Infinity/],
    ['threshold: 0', { breaker: { threshold: 0, durationMs: 1_000 } }, /threshold must be a number strictly between 0 and 1, got 0/],
    ['threshold: 1', { breaker: { threshold: 1, durationMs: 1_000 } }, /threshold .* got 1/],
    ['threshold: -0.5', { breaker: { threshold: -0.5, durationMs: 1_000 } }, /threshold .* got -0.5/],
    ['threshold: NaN', { breaker: { threshold: Number.NaN, durationMs: 1_000 } }, /threshold .* got NaN/],
    ['durationMs: 0', { breaker: { threshold: 0.5, durationMs: 0 } }, /durationMs must be a finite number of milliseconds greater than 0, got 0/],
    ['durationMs: Infinity', { breaker: { threshold: 0.5, durationMs: Number.POSITIVE_INFINITY } }, /durationMs .* got Infinity/],
    ['minimumRps: -1', { breaker: { threshold: 0.5, durationMs: 1_000, minimumRps: -1 } }, /minimumRps must be a finite number >= 0, got -1/],
    ['minimumRps: NaN', { breaker: { threshold: 0.5, durationMs: 1_000, minimumRps: Number.NaN } }, /minimumRps .* got NaN/],
  ])('throws a RangeError synchronously for %s', (_label, options, message) => {
    expect(() => circuitBreaker(options)).toThrow(RangeError);
    expect(() => circuitBreaker(options)).toThrow(message);
  });

  it('throws a TypeError synchronously for non-functions and a breaker of neither or both shapes', () => {
    expect(() => circuitBreaker({ isFailure: true as unknown as () => boolean })).toThrow(/isFailure must be a function, got boolean/);
    expect(() => circuitBreaker({ isFailureResult: 'x' as unknown as () => boolean })).toThrow(TypeError);
    expect(() => circuitBreaker({ onStateChange: {} as unknown as () => void })).toThrow(/onStateChange must be a function/);
    expect(() => circuitBreaker({ breaker: {} as unknown as { consecutive: number } })).toThrow(TypeError);
    expect(() =>
      circuitBreaker({ breaker: { consecutive: 3, threshold: 0.5, durationMs: 1 } as unknown as { consecutive: number } }),
    ).toThrow(/either \{ consecutive \} or \{ threshold, durationMs, minimumRps\? \}/);
    expect(() => circuitBreaker({ breaker: 5 as unknown as { consecutive: number } })).toThrow(TypeError);
    expect(() => circuitBreaker(null as unknown as CircuitBreakerOptions)).toThrow(TypeError);
    const breaker = circuitBreaker();
    expect(() => breaker.execute('nope' as unknown as () => void)).toThrow(/fn must be a function, got string/);
  });

  it('accepts the edges: consecutive 1, a tiny halfOpenAfterMs, threshold just inside (0, 1), minimumRps 0', async () => {
    expect(circuitBreaker({ breaker: { consecutive: 1 }, halfOpenAfterMs: 0.5 }).state).toBe('closed');
    expect(circuitBreaker({ breaker: { threshold: 0.001, durationMs: 1 } }).state).toBe('closed');
    const eager = circuitBreaker({ breaker: { threshold: 0.999, durationMs: 1_000, minimumRps: 0 } });
    await fail(eager); // no minimum: one failed call of one is over any threshold
    expect(eager.state).toBe('open');
  });
});

describe('circuitBreaker (real process)', () => {
  it('leaves nothing behind: a node process whose breaker opened (halfOpenAfterMs 60 s) exits promptly', async () => {
    const indexUrl = new URL('./index.ts', import.meta.url).href;
    const script = `
      const { circuitBreaker } = await import(${JSON.stringify(indexUrl)});
      const breaker = circuitBreaker({ halfOpenAfterMs: 60_000, breaker: { consecutive: 2 } });
      const reset = () => Object.assign(new Error('reset'), { code: 'ECONNRESET' });
      for (let i = 0; i < 2; i++) await breaker.execute(async () => { throw reset(); }).catch(() => {});
      const rejected = await breaker.execute(() => 'ran').then(() => 'ran', (e) => e.name);
      const sampling = circuitBreaker({ halfOpenAfterMs: 60_000, breaker: { threshold: 0.5, durationMs: 60_000, minimumRps: 0 } });
      await sampling.execute(async () => { throw reset(); }).catch(() => {});
      const resources = process.getActiveResourcesInfo();
      process.stdout.write(JSON.stringify({ state: breaker.state, rejected, sampling: sampling.state, resources }) + '\\n');
    `;
    const { stdout, stderr, code, signal, settledAt, exitedAt } = await runNodeScript(
      script,
      10_000, // a 60 s half-open timer keeping the loop alive would be killed here and fail below
    );

    expect(stderr).toBe('');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const report = JSON.parse(stdout) as { state: string; rejected: string; sampling: string; resources: string[] };
    expect(report).toMatchObject({ state: 'open', rejected: 'BrokenCircuitError', sampling: 'open' });
    expect(report.resources).not.toContain('Timeout');
    expect(settledAt).toBeDefined();
    expect(exitedAt - (settledAt ?? exitedAt)).toBeLessThan(500);
  });
});
