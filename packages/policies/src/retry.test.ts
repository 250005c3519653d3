import { getEventListeners } from 'node:events';
import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  fullJitterDelay,
  retry,
  TimeoutError,
  withTimeout,
  type RetryContext,
  type RetryInfo,
} from './index.ts';
import { axiosError, close, flushMicrotasks, gotError, kyError, listen, netError, never, runNodeScript, track, useFakeTimersEachTest } from './test-support.ts';

/** A `random` that returns the given values in turn (cycling). */
function sequence(values: readonly number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}


describe('retry (fake timers)', () => {
  useFakeTimersEachTest(() => {
    // Every test below also leaves no timer behind: whatever happened, nothing outlives the call.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits random() * min(maxDelayMs, initialDelayMs * 2**k) before retry k: not 1 ms before, exactly at it', async () => {
    const calledAt: number[] = [];
    const infos: RetryInfo[] = [];
    const fn = vi.fn(async ({ attempt }: RetryContext) => {
      calledAt.push(Date.now());
      if (attempt < 4) throw netError('ECONNRESET');
      return 'ok';
    });
    const result = track(
      retry(fn, {
        maxAttempts: 5,
        initialDelayMs: 100,
        maxDelayMs: 300,
        random: sequence([0.5, 0.25, 0.999, 0.75]),
        onRetry: (info) => infos.push(info),
      }),
    );
    // floor(0.5·100), floor(0.25·200), floor(0.999·min(300, 400)), floor(0.75·min(300, 800))
    const expected = [50, 50, 299, 225];
    expect(fn).toHaveBeenCalledTimes(1); // the first attempt starts synchronously, with no wait
    for (const [k, delay] of expected.entries()) {
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(fn).toHaveBeenCalledTimes(k + 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(fn).toHaveBeenCalledTimes(k + 2);
    }
    expect(result).toEqual({ settled: true, value: 'ok' });
    expect(calledAt.slice(1).map((t, i) => t - (calledAt[i] ?? 0))).toEqual(expected);
    expect(infos.map(({ attempt, delayMs }) => ({ attempt, delayMs }))).toEqual(
      expected.map((delayMs, k) => ({ attempt: k + 1, delayMs })),
    );
    expect(infos.every((info) => (info.error as { code?: string }).code === 'ECONNRESET' && !('value' in info))).toBe(
      true,
    );
  });

  it('defaults to 3 attempts, 100 ms base: waits < 100 ms then < 200 ms, and rejects with the last error', async () => {
    const errors = [netError('ECONNRESET'), netError('ETIMEDOUT'), netError('ECONNREFUSED')];
    const fn = vi.fn(({ attempt }: RetryContext) => Promise.reject(errors[attempt]));
    const result = track(retry(fn, { random: () => 0.999_999 }));
    await vi.advanceTimersByTimeAsync(98);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1); // floor(0.999999 · 100) = 99
    expect(fn).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(198);
    expect(fn).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1); // floor(0.999999 · 200) = 199
    expect(fn).toHaveBeenCalledTimes(3);
    expect(result).toEqual({ settled: true, error: errors[2] });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it.each([1, 2, 3, 5, 8])('makes exactly maxAttempts = %i calls, then rejects with the last error', async (maxAttempts) => {
    let calls = 0;
    const result = track(
      retry(
        () => {
          calls++;
          throw netError(`ECONNRESET`);
        },
        { maxAttempts, initialDelayMs: 1_000, maxDelayMs: 2_000 },
      ),
    );
    await vi.runAllTimersAsync();
    expect(calls).toBe(maxAttempts);
    expect(result.settled).toBe(true);
    expect(result.error).toMatchObject({ code: 'ECONNRESET' });
  });

  it.each([
    ['an axios 400', axiosError(400)],
    ['a ky 404', kyError(404)],
    ['a got 422', gotError(422)],
    ['a superagent-style 401 (error.status)', Object.assign(new Error('Unauthorized'), { status: 401 })],
    ['a 501 Not Implemented', axiosError(501)],
    ['a 505 HTTP Version Not Supported', kyError(505)],
    ['a plain Error', new Error('bug')],
    ['a TypeError (programming error)', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['an AbortError the caller did not cause', new DOMException('This operation was aborted', 'AbortError')],
    ['fetch failed caused by a bad port', Object.assign(new TypeError('fetch failed'), { cause: new Error('bad port') })],
  ])('does not retry %s: one call, rejects with it', async (_label, error) => {
    const fn = vi.fn(() => Promise.reject(error));
    await expect(retry(fn, { maxAttempts: 5 })).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['axios 503', axiosError(503)],
    ['ky 429', kyError(429)],
    ['got 502', gotError(502)],
    ['408 on error.statusCode', Object.assign(new Error('timeout'), { statusCode: 408 })],
    ['ECONNRESET', netError('ECONNRESET')],
    ['UND_ERR_SOCKET on the cause', Object.assign(new TypeError('terminated'), { cause: netError('UND_ERR_SOCKET') })],
    ['TimeoutError', new TimeoutError(1_000)],
    ['fetch failed', Object.assign(new TypeError('fetch failed'), { cause: netError('ECONNREFUSED') })],
  ])('retries %s by default', async (_label, error) => {
    const fn = vi.fn(({ attempt }: RetryContext) => (attempt === 0 ? Promise.reject(error) : Promise.resolve('ok')));
    const result = track(retry(fn, { random: () => 0 }));
    await vi.runAllTimersAsync();
    expect(result.value).toBe('ok');
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('honours Retry-After in seconds (axios headers): waits exactly that long when it exceeds the jitter', async () => {
    const infos: RetryInfo[] = [];
    const fn = vi.fn(({ attempt }: RetryContext) =>
      attempt === 0 ? Promise.reject(axiosError(503, { 'retry-after': '3' })) : Promise.resolve('ok'),
    );
    const result = track(retry(fn, { random: () => 0.5, onRetry: (info) => infos.push(info) }));
    await vi.advanceTimersByTimeAsync(2_999);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(result.value).toBe('ok');
    expect(infos).toMatchObject([{ attempt: 1, delayMs: 3_000 }]);
  });

  it('honours Retry-After as an HTTP date (ky Response headers), relative to the clock', async () => {
    vi.setSystemTime(Date.UTC(2026, 0, 15, 12, 0, 0));
    const retryAt = new Date(Date.now() + 7_000).toUTCString(); // 'Thu, 15 Jan 2026 12:00:07 GMT'
    const fn = vi.fn(({ attempt }: RetryContext) =>
      attempt === 0 ? Promise.reject(kyError(429, { 'Retry-After': retryAt })) : Promise.resolve('ok'),
    );
    const result = track(retry(fn, { random: () => 0 }));
    await vi.advanceTimersByTimeAsync(6_999);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(result.value).toBe('ok');
  });

  it('caps Retry-After at maxRetryAfterMs (default 60 s, and a custom cap), got headers', async () => {
    const oneHour = (): Error => gotError(503, { 'retry-after': '3600' });
    const fn = vi.fn(({ attempt }: RetryContext) => (attempt === 0 ? Promise.reject(oneHour()) : Promise.resolve(1)));
    const capped = track(retry(fn, { random: () => 0 }));
    await vi.advanceTimersByTimeAsync(59_999);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(capped.value).toBe(1);

    const fn2 = vi.fn(({ attempt }: RetryContext) => (attempt === 0 ? Promise.reject(oneHour()) : Promise.resolve(2)));
    const custom = track(retry(fn2, { random: () => 0, maxRetryAfterMs: 5_000 }));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(fn2).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(custom.value).toBe(2);
  });

  it('takes the jittered delay when it is longer than Retry-After: max(jitter, retryAfter)', async () => {
    const fn = vi.fn(({ attempt }: RetryContext) =>
      attempt === 0 ? Promise.reject(axiosError(503, { 'retry-after': '1' })) : Promise.resolve('ok'),
    );
    const result = track(retry(fn, { initialDelayMs: 4_000, random: () => 0.5 }));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(result.value).toBe('ok');
  });

  it('retries a Response with status 503 and resolves with the following 200; the dropped body is cancelled', async () => {
    const busy = new Response('busy', { status: 503 });
    const ok = new Response('fine', { status: 200 });
    const infos: RetryInfo<Response>[] = [];
    const fn = vi.fn(({ attempt }: RetryContext) => Promise.resolve(attempt === 0 ? busy : ok));
    const result = track(retry(fn, { random: () => 0.5, onRetry: (info) => infos.push(info) }));
    await vi.advanceTimersByTimeAsync(49);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toEqual({ settled: true, value: ok });
    expect(infos).toEqual([{ attempt: 1, delayMs: 50, value: busy }]);
    expect(busy.bodyUsed).toBe(true); // cancelled, so undici can release the connection
    expect(await ok.text()).toBe('fine');
  });

  it('honours Retry-After on a retried Response value', async () => {
    const fn = vi.fn(({ attempt }: RetryContext) =>
      Promise.resolve(attempt === 0 ? new Response(null, { status: 503, headers: { 'Retry-After': '2' } }) : 'ok'),
    );
    const result = track(retry<Response | string>(fn, { random: () => 0 }));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(result.value).toBe('ok');
  });

  it('resolves with the last Response, body intact, when every attempt returns a retryable status', async () => {
    const responses = [1, 2, 3].map((n) => new Response(`busy ${n}`, { status: 503 }));
    const fn = vi.fn(({ attempt }: RetryContext) => responses[attempt] as Response);
    const result = track(retry(fn, { random: () => 0.5 }));
    await vi.runAllTimersAsync();
    expect(fn).toHaveBeenCalledTimes(3);
    expect(result.value).toBe(responses[2]);
    expect(await responses[2]?.text()).toBe('busy 3');
  });

  it('does not retry a non-retryable status returned as a value (404, 501)', async () => {
    for (const status of [404, 501]) {
      const fn = vi.fn(() => new Response(null, { status }));
      const response = await retry(fn);
      expect(response.status).toBe(status);
      expect(fn).toHaveBeenCalledTimes(1);
    }
  });

  it('uses custom isRetryable and shouldRetryResult instead of the defaults', async () => {
    const custom = new Error('custom transient');
    const fn = vi.fn(({ attempt }: RetryContext) => {
      if (attempt === 0) throw custom;
      return attempt === 1 ? { state: 'pending' } : { state: 'done' };
    });
    const result = track(
      retry(fn, {
        random: () => 0,
        isRetryable: (error) => error === custom,
        shouldRetryResult: (value) => value.state === 'pending',
      }),
    );
    await vi.runAllTimersAsync();
    expect(result.value).toEqual({ state: 'done' });
    expect(fn).toHaveBeenCalledTimes(3);
    // ...and a custom isRetryable can refuse what the default accepts.
    const reset = netError('ECONNRESET');
    const once = vi.fn(() => Promise.reject(reset));
    await expect(retry(once, { isRetryable: () => false })).rejects.toBe(reset);
    expect(once).toHaveBeenCalledTimes(1);
  });

  it('rejects with the exception of a throwing isRetryable / shouldRetryResult / onRetry, without retrying', async () => {
    const bug = new Error('predicate bug');
    const thrower = (): never => {
      throw bug;
    };
    const failing = vi.fn(() => Promise.reject(netError('ECONNRESET')));
    await expect(retry(failing, { isRetryable: thrower })).rejects.toBe(bug);
    expect(failing).toHaveBeenCalledTimes(1);

    // cockatiel would classify this one with the error filter, and retry it with isRetryable: () => true.
    const value = vi.fn(() => 'value');
    await expect(retry(value, { shouldRetryResult: thrower, isRetryable: () => true })).rejects.toBe(bug);
    expect(value).toHaveBeenCalledTimes(1);

    const failing2 = vi.fn(() => Promise.reject(netError('ECONNRESET')));
    await expect(retry(failing2, { onRetry: thrower })).rejects.toBe(bug);
    expect(failing2).toHaveBeenCalledTimes(1);
  });

  it('caller abort during a wait rejects at once with its reason and starts no further attempt', async () => {
    const caller = new AbortController();
    const reason = new Error('user navigated away');
    const fn = vi.fn(() => Promise.reject(netError('ECONNRESET')));
    const result = track(retry(fn, { maxAttempts: 5, initialDelayMs: 10_000, random: () => 0.5, signal: caller.signal }));
    await vi.advanceTimersByTimeAsync(1_000); // 1 s into a 5 s wait
    expect(fn).toHaveBeenCalledTimes(1);
    const before = Date.now();
    caller.abort(reason);
    await flushMicrotasks(); // no timer fires, the clock does not move
    expect(Date.now()).toBe(before);
    expect(result).toEqual({ settled: true, error: reason });
    expect(vi.getTimerCount()).toBe(0); // the wait's timer was cleared, not left to run out
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('caller abort during an attempt aborts fn’s signal and rejects at once, even if fn ignores it', async () => {
    const caller = new AbortController();
    const reason = new Error('cancelled');
    let seen: AbortSignal | undefined;
    const fn = vi.fn(({ signal }: RetryContext) => {
      seen = signal;
      return never<string>();
    });
    const result = track(retry(fn, { signal: caller.signal }));
    await vi.advanceTimersByTimeAsync(500);
    expect(seen?.aborted).toBe(false);
    caller.abort(reason);
    await flushMicrotasks();
    expect(seen?.reason).toBe(reason);
    expect(result).toEqual({ settled: true, error: reason });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('reports the caller’s reason, not fn’s reaction to the abort (fetch AbortError, axios CanceledError)', async () => {
    const caller = new AbortController();
    const reason = new Error('shutdown');
    const fn = vi.fn(
      ({ signal }: RetryContext) =>
        new Promise<never>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' })));
        }),
    );
    const result = track(retry(fn, { signal: caller.signal }));
    caller.abort(reason);
    await flushMicrotasks();
    expect(result.error).toBe(reason);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('propagates a reasonless abort as the platform’s AbortError, and an already-aborted signal without calling fn', async () => {
    const caller = new AbortController();
    const fn = vi.fn(() => Promise.reject(netError('ECONNRESET')));
    const result = track(retry(fn, { signal: caller.signal, random: () => 0.5 }));
    caller.abort();
    await flushMicrotasks();
    expect(result.error).toBe(caller.signal.reason);
    expect(result.error).toMatchObject({ name: 'AbortError' });

    const reason = new Error('already cancelled');
    const never = vi.fn(() => 'value');
    await expect(retry(never, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(never).not.toHaveBeenCalled();
  });

  it('stops when onRetry aborts the caller’s signal: no further attempt', async () => {
    const caller = new AbortController();
    const reason = new Error('enough');
    const fn = vi.fn(() => Promise.reject(netError('ECONNRESET')));
    const result = track(retry(fn, { signal: caller.signal, onRetry: () => caller.abort(reason) }));
    await vi.runAllTimersAsync();
    expect(result.error).toBe(reason);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('rejects with the caller’s reason, not the value, when the abort comes as a retryable value is judged', async () => {
    const caller = new AbortController();
    const reason = new Error('gone');
    const busy = new Response(null, { status: 503 });
    const fn = vi.fn(() => Promise.resolve(busy));
    const result = track(
      retry(fn, {
        signal: caller.signal,
        // The abort lands after fn resolved and before cockatiel decides (RetryPolicy.js:62), where
        // cockatiel would stop and resolve with the 503.
        shouldRetryResult: (response) => {
          caller.abort(reason);
          return response.status === 503;
        },
      }),
    );
    await vi.runAllTimersAsync();
    expect(result).toEqual({ settled: true, error: reason });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('gives fn attempt 0, 1, 2... and one signal linked to the caller’s, left un-aborted after success', async () => {
    const caller = new AbortController();
    const contexts: RetryContext[] = [];
    const fn = vi.fn((context: RetryContext) => {
      contexts.push(context);
      return context.attempt < 2 ? Promise.reject(netError('EPIPE')) : Promise.resolve('done');
    });
    const result = track(retry(fn, { signal: caller.signal, random: () => 0.1 }));
    await vi.runAllTimersAsync();
    expect(result.value).toBe('done');
    expect(contexts.map((c) => c.attempt)).toEqual([0, 1, 2]);
    const [first] = contexts;
    expect(contexts.every((c) => c.signal === first?.signal)).toBe(true);
    expect(first?.signal).not.toBe(caller.signal); // composed, not the caller's own
    expect(first?.signal.aborted).toBe(false); // a Response body would still be readable
  });

  it('removes its listener from the caller’s signal once settled (success, exhaustion, non-retryable)', async () => {
    const caller = new AbortController();
    const listeners = (): number => getEventListeners(caller.signal, 'abort').length;
    const ok = track(retry(() => Promise.resolve(1), { signal: caller.signal }));
    expect(listeners()).toBe(1);
    await flushMicrotasks();
    expect(ok.value).toBe(1);
    expect(listeners()).toBe(0);

    const exhausted = track(retry(() => Promise.reject(netError('ECONNRESET')), { signal: caller.signal }));
    await vi.runAllTimersAsync();
    expect(exhausted.error).toMatchObject({ code: 'ECONNRESET' });
    expect(listeners()).toBe(0);

    await expect(retry(() => Promise.reject(new Error('bug')), { signal: caller.signal })).rejects.toThrow('bug');
    expect(listeners()).toBe(0);
  });

  it('turns a synchronous throw or return of fn into the promise’s outcome', async () => {
    const error = netError('ECONNRESET');
    let promise: Promise<number> | undefined;
    expect(() => {
      promise = retry(
        ({ attempt }) => {
          if (attempt === 0) throw error;
          return 42;
        },
        { random: () => 0 },
      );
    }).not.toThrow();
    await vi.runAllTimersAsync();
    await expect(promise).resolves.toBe(42);
  });

  it('rejects with a RangeError, without retrying, if random() returns something outside [0, 1]', async () => {
    const fn = vi.fn(() => Promise.reject(netError('ECONNRESET')));
    await expect(retry(fn, { random: () => 2 })).rejects.toThrow(RangeError);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['maxAttempts: 0', { maxAttempts: 0 }, /maxAttempts must be a finite integer >= 1, got 0/],
    ['maxAttempts: 1.5', { maxAttempts: 1.5 }, /maxAttempts .* got 1\.5/],
    ['maxAttempts: Infinity', { maxAttempts: Number.POSITIVE_INFINITY }, /maxAttempts .* got Infinity/],
    ['maxAttempts: NaN', { maxAttempts: Number.NaN }, /maxAttempts .* got NaN/],
    ['maxAttempts: -1', { maxAttempts: -1 }, /maxAttempts/],
    ['initialDelayMs: -1', { initialDelayMs: -1 }, /initialDelayMs must be a finite number of milliseconds between 0 and 2147483647, got -1/],
    ['maxDelayMs: -5', { maxDelayMs: -5 }, /maxDelayMs .* got -5/],
    ['maxRetryAfterMs: -1', { maxRetryAfterMs: -1 }, /maxRetryAfterMs .* got -1/],
    ['initialDelayMs: NaN', { initialDelayMs: Number.NaN }, /initialDelayMs/],
    ['maxDelayMs: Infinity', { maxDelayMs: Number.POSITIVE_INFINITY }, /maxDelayMs/],
    ['maxDelayMs: 2**31', { maxDelayMs: 2 ** 31 }, /maxDelayMs/],
  ])('throws a RangeError synchronously for %s, without calling fn', (_label, options, message) => {
    const fn = vi.fn(() => 'value');
    expect(() => retry(fn, options)).toThrow(RangeError);
    expect(() => retry(fn, options)).toThrow(message);
    expect(fn).not.toHaveBeenCalled();
  });

  it('throws a TypeError synchronously for a non-function fn or callback', () => {
    expect(() => retry('nope' as unknown as () => void)).toThrow(TypeError);
    expect(() => retry(() => 1, { onRetry: 'log' as unknown as () => void })).toThrow(/onRetry must be a function/);
    expect(() => retry(() => 1, { random: 0.5 as unknown as () => number })).toThrow(TypeError);
  });

  it('accepts 0 delays (retries one timer tick apart) and maxAttempts 1 (no retry)', async () => {
    const fn = vi.fn(() => Promise.reject(netError('ECONNRESET')));
    const started = Date.now();
    const zero = track(retry(fn, { initialDelayMs: 0, maxAttempts: 4 }));
    await vi.runAllTimersAsync();
    expect(fn).toHaveBeenCalledTimes(4);
    expect(zero.settled).toBe(true);
    expect(Date.now() - started).toBeLessThanOrEqual(3); // at most 1 ms per retry: cockatiel's setTimeout(0)
    const once = vi.fn(() => Promise.reject(netError('ECONNRESET')));
    await expect(retry(once, { maxAttempts: 1 })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(once).toHaveBeenCalledTimes(1);
  });
});

describe('retry: properties over whole runs (fake timers)', () => {
  useFakeTimersEachTest();

  type Outcome =
    | { readonly kind: 'ok' }
    | { readonly kind: 'fatal' }
    | { readonly kind: 'error' | 'response'; readonly retryAfterSeconds: number | undefined };
  const outcome: fc.Arbitrary<Outcome> = fc.oneof(
    { arbitrary: fc.constant({ kind: 'ok' as const }), weight: 1 },
    { arbitrary: fc.constant({ kind: 'fatal' as const }), weight: 1 },
    {
      arbitrary: fc.record({
        kind: fc.constantFrom('error' as const, 'response' as const),
        retryAfterSeconds: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
      }),
      weight: 6,
    },
  );

  it('observed delays respect the bounds and Retry-After, attempts never exceed maxAttempts, the outcome is the last one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 1, max: 30_000 }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.array(outcome, { maxLength: 8 }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 8 }),
        async (maxAttempts, initialDelayMs, maxDelayMs, maxRetryAfterMs, outcomes, randoms) => {
          const calledAt: number[] = [];
          const produced: unknown[] = [];
          const infos: RetryInfo[] = [];
          const promise = retry<unknown>(
            ({ attempt }) => {
              calledAt.push(Date.now());
              const o = outcomes[attempt] ?? { kind: 'error', retryAfterSeconds: undefined };
              const headers: Record<string, string> =
                'retryAfterSeconds' in o && o.retryAfterSeconds !== undefined
                  ? { 'retry-after': String(o.retryAfterSeconds) }
                  : {};
              const made =
                o.kind === 'ok'
                  ? { ok: attempt }
                  : o.kind === 'fatal'
                    ? axiosError(400)
                    : o.kind === 'error'
                      ? axiosError(503, headers)
                      : new Response(null, { status: 503, headers });
              produced.push(made);
              return o.kind === 'fatal' || o.kind === 'error' ? Promise.reject(made) : Promise.resolve(made);
            },
            {
              maxAttempts,
              initialDelayMs,
              maxDelayMs,
              maxRetryAfterMs,
              random: sequence(randoms),
              onRetry: (info) => infos.push(info),
            },
          );
          const result = track(promise);
          await vi.runAllTimersAsync();

          expect(result.settled).toBe(true);
          expect(calledAt.length).toBeLessThanOrEqual(maxAttempts);
          expect(vi.getTimerCount()).toBe(0);
          // Walk the run as the contract describes it.
          let expectedCalls = 0;
          for (let i = 0; i < maxAttempts; i++) {
            expectedCalls++;
            const o = outcomes[i] ?? { kind: 'error', retryAfterSeconds: undefined };
            if (o.kind === 'ok' || o.kind === 'fatal' || i === maxAttempts - 1) {
              const last = produced[i];
              expect(result).toEqual(
                o.kind === 'fatal' || o.kind === 'error'
                  ? { settled: true, error: last }
                  : { settled: true, value: last },
              );
              break;
            }
            const waited = (calledAt[i + 1] ?? Number.NaN) - (calledAt[i] ?? Number.NaN);
            const jitterBound = Math.min(maxDelayMs, initialDelayMs * 2 ** i);
            const honoured =
              o.retryAfterSeconds === undefined ? 0 : Math.min(o.retryAfterSeconds * 1_000, maxRetryAfterMs);
            const delayMs = infos[i]?.delayMs ?? Number.NaN;
            // Exactly the announced delay; a 0 ms delay may take one timer tick (1 ms), as in Node.
            expect(waited).toBeGreaterThanOrEqual(delayMs);
            expect(waited).toBeLessThanOrEqual(Math.max(delayMs, 1));
            expect(delayMs).toBeGreaterThanOrEqual(0);
            expect(waited).toBeGreaterThanOrEqual(honoured); // Retry-After honoured, up to the cap
            expect(waited).toBeLessThanOrEqual(Math.max(jitterBound, honoured));
            expect(waited).toBeLessThanOrEqual(Math.max(maxDelayMs, maxRetryAfterMs));
            if (honoured === 0) {
              expect(delayMs).toBe(Math.floor((randoms[i % randoms.length] ?? 0) * jitterBound));
            }
          }
          expect(calledAt).toHaveLength(expectedCalls);
          expect(infos).toHaveLength(expectedCalls - 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('fullJitterDelay', () => {
  it('is random() * min(maxDelayMs, initialDelayMs * 2**retryIndex)', () => {
    expect(fullJitterDelay(0, 100, 10_000, () => 0.5)).toBe(50);
    expect(fullJitterDelay(3, 100, 10_000, () => 0.5)).toBe(400);
    expect(fullJitterDelay(3, 100, 500, () => 0.5)).toBe(250);
    expect(fullJitterDelay(0, 100, 10_000, () => 0)).toBe(0);
    expect(fullJitterDelay(2_000, 100, 5_000, () => 1)).toBe(5_000); // 2**2000 overflows to Infinity: capped
    expect(fullJitterDelay(2_000, 0, 5_000, () => 1)).toBe(0); // 0 · Infinity would be NaN
  });

  it('uses Math.random by default, and nothing else', () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.25);
    try {
      expect(fullJitterDelay(1, 100, 10_000)).toBe(50);
      expect(random).toHaveBeenCalledTimes(1);
    } finally {
      random.mockRestore();
    }
  });

  it.each([
    ['retryIndex -1', () => fullJitterDelay(-1, 100, 1_000, () => 0.5)],
    ['retryIndex 1.5', () => fullJitterDelay(1.5, 100, 1_000, () => 0.5)],
    ['initialDelayMs -1', () => fullJitterDelay(0, -1, 1_000, () => 0.5)],
    ['maxDelayMs NaN', () => fullJitterDelay(0, 100, Number.NaN, () => 0.5)],
    ['random() = 1.5', () => fullJitterDelay(0, 100, 1_000, () => 1.5)],
    ['random() = NaN', () => fullJitterDelay(0, 100, 1_000, () => Number.NaN)],
  ])('throws a RangeError for %s', (_label, call) => {
    expect(call).toThrow(RangeError);
  });

  it('property: 0 <= fullJitterDelay(...) <= min(maxDelayMs, initialDelayMs * 2**retryIndex)', () => {
    const delay = fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 1, max: 10_000, noNaN: true }));
    const cap = fc.oneof(fc.integer({ min: 1, max: 120_000 }), fc.double({ min: 1, max: 120_000, noNaN: true }));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        delay,
        cap,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retryIndex, initialDelayMs, maxDelayMs, r) => {
          const value = fullJitterDelay(retryIndex, initialDelayMs, maxDelayMs, () => r);
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(Math.min(maxDelayMs, initialDelayMs * 2 ** retryIndex));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('retry (real I/O on loopback)', () => {
  async function closedPortUrl(): Promise<string> {
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return `http://127.0.0.1:${port}/`;
  }

  it('retries a real 503 with Retry-After: 1 after about a second, and resolves with the 200', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      if (requests === 1) {
        res.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' });
        res.end('busy');
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      }
    });
    const url = await listen(server);
    try {
      const retried: Response[] = [];
      const started = performance.now();
      const response = await retry(
        ({ signal }) =>
          // eslint-disable-next-line resilience/require-timeout -- withTimeout comes from source here; the rule knows it by its package name
          withTimeout(2_000, (attemptSignal) => fetch(url, { signal: attemptSignal }), { signal }),
        { random: () => 0, onRetry: ({ value }) => value && retried.push(value) },
      );
      const elapsed = performance.now() - started;
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('ok');
      expect(requests).toBe(2);
      expect(elapsed).toBeGreaterThanOrEqual(950);
      expect(elapsed).toBeLessThan(3_000);
      expect(retried.map((r) => r.status)).toEqual([503]);
      expect(retried[0]?.bodyUsed).toBe(true); // the dropped 503's body was cancelled
    } finally {
      await close(server);
    }
  });

  it('retries a real ECONNREFUSED maxAttempts times and rejects with fetch’s TypeError', async () => {
    const url = await closedPortUrl();
    let calls = 0;
    const error = await retry(
      () => {
        calls++;
        // eslint-disable-next-line resilience/require-timeout -- nothing listens: the connection is refused at once
        return fetch(url);
      },
      { maxAttempts: 3, initialDelayMs: 5 },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(calls).toBe(3);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
  });

  it('does not retry fetch’s "fetch failed" for a bad port (a request mistake, not a network fault)', async () => {
    let calls = 0;
    const error = await retry(() => {
      calls++;
      // eslint-disable-next-line resilience/require-timeout -- fetch refuses port 1 before any I/O
      return fetch('http://127.0.0.1:1/');
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(calls).toBe(1);
    expect(error).toMatchObject({ message: 'fetch failed', cause: { message: 'bad port' } });
  });

  it('leaves nothing behind: a node process that retries, and aborts a 60 s wait, exits promptly', async () => {
    const indexUrl = new URL('./index.ts', import.meta.url).href;
    const script = `
      const { retry } = await import(${JSON.stringify(indexUrl)});
      const reset = () => Object.assign(new Error('reset'), { code: 'ECONNRESET' });
      const value = await retry(async ({ attempt }) => { if (attempt === 0) throw reset(); return 'ok'; }, { initialDelayMs: 20 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('stop')), 20);
      const aborted = await retry(() => { throw reset(); }, {
        initialDelayMs: 60_000, maxDelayMs: 60_000, random: () => 0.999, signal: controller.signal,
      }).then(() => 'resolved', (e) => e.message);
      const resources = process.getActiveResourcesInfo();
      process.stdout.write(JSON.stringify({ value, aborted, resources }) + '\\n');
    `;
    const { stdout, stderr, code, signal, settledAt, exitedAt } = await runNodeScript(
      script,
      10_000, // a leaked 60 s timer would be killed here and fail the assertions below
    );

    expect(stderr).toBe('');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const report = JSON.parse(stdout) as { value: string; aborted: string; resources: string[] };
    expect(report.value).toBe('ok');
    expect(report.aborted).toBe('stop');
    expect(report.resources).not.toContain('Timeout');
    expect(settledAt).toBeDefined();
    expect(exitedAt - (settledAt ?? exitedAt)).toBeLessThan(500);
  });
});
