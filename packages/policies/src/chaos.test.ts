import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CHAOS_ENV,
  CHAOS_SEED_ENV,
  chaos,
  circuitBreaker,
  InjectedFaultError,
  isRetryableError,
  policy,
  TimeoutError,
  type ChaosInjection,
  type ChaosOptions,
} from './index.ts';
import { flushMicrotasks, track, useFakeTimersEachTest } from './test-support.ts';

/** Runs `n` calls one after another and returns what each injected (kinds, in order), '-' for none. */
async function injections(options: ChaosOptions, n: number): Promise<string[]> {
  const seen: ChaosInjection[] = [];
  const c = chaos({ ...options, onInjection: (i) => seen.push(i) });
  const out: string[] = [];
  for (let call = 0; call < n; call++) {
    await c.execute(() => 'ran').catch(() => undefined);
    const kinds = seen.filter((i) => i.call === call).map((i) => i.kind);
    out.push(kinds.length ? kinds.join('+') : '-');
  }
  return out;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('chaos', () => {
  it('is off unless enabled: no option and no environment variable runs fn as it is', async () => {
    vi.stubEnv(CHAOS_ENV, '');
    const c = chaos({ fault: { rate: 1 } });
    expect(c.enabled).toBe(false);
    await expect(c.execute(() => 'ran')).resolves.toBe('ran');
  });

  it('is turned on by RESILIENCE_CHAOS, and a bad value is a clear error', async () => {
    vi.stubEnv(CHAOS_ENV, 'on');
    const c = chaos({ fault: { rate: 1 } });
    expect(c.enabled).toBe(true);
    await expect(c.execute(() => 'ran')).rejects.toBeInstanceOf(InjectedFaultError);
    vi.stubEnv(CHAOS_ENV, 'maybe');
    expect(() => chaos({ fault: { rate: 1 } })).toThrow(new TypeError('chaos: RESILIENCE_CHAOS must be 1, true, on or yes (or 0, false, off, no), got "maybe"'));
    vi.stubEnv(CHAOS_ENV, 'off');
    expect(chaos({ fault: { rate: 1 } }).enabled).toBe(false);
  });

  it('the option wins over the environment, and a function is asked at every call', async () => {
    vi.stubEnv(CHAOS_ENV, '1');
    expect(chaos({ enabled: false, fault: { rate: 1 } }).enabled).toBe(false);
    let flag = false;
    const c = chaos({ enabled: () => flag, fault: { rate: 1 } });
    await expect(c.execute(() => 'ran')).resolves.toBe('ran');
    flag = true;
    await expect(c.execute(() => 'ran')).rejects.toThrow('chaos: injected fault (connection reset)');
  });

  it('a default fault is a connection reset, which the retry policy retries', async () => {
    const error = await chaos({ enabled: true, fault: { rate: 1 } }).execute(() => 'ran').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InjectedFaultError', code: 'ECONNRESET' });
    expect(isRetryableError(error)).toBe(true);
  });

  it('an outcome answers instead of fn; a fault wins over an outcome drawn in the same call', async () => {
    const fn = vi.fn(() => 'ran');
    const answer = chaos({ enabled: true, outcome: { rate: 1, value: ({ call }) => `injected ${call}` } });
    await expect(answer.execute(fn)).resolves.toBe('injected 0');
    await expect(answer.execute(fn)).resolves.toBe('injected 1');
    expect(fn).not.toHaveBeenCalled();
    const both = chaos({ enabled: true, seed: 7, fault: { rate: 1, error: () => new Error('boom') }, outcome: { rate: 1, value: () => 'x' } });
    await expect(both.execute(fn)).rejects.toThrow('boom');
  });

  it('a behavior runs before the call, and what it throws is the outcome', async () => {
    const order: string[] = [];
    const c = chaos({ enabled: true, behavior: { rate: 1, run: () => void order.push('behavior') } });
    await c.execute(() => order.push('fn'));
    expect(order).toEqual(['behavior', 'fn']);
    const failing = chaos({ enabled: true, behavior: { rate: 1, run: () => { throw new Error('pool drained'); } } });
    await expect(failing.execute(() => 'ran')).rejects.toThrow('pool drained');
  });

  it('validates everything when created', () => {
    expect(() => chaos({ enabled: true, fault: { rate: 1.5 } })).toThrow(new RangeError('chaos: fault.rate must be a number from 0 to 1 (the share of calls it happens to), got 1.5'));
    expect(() => chaos({ enabled: true, latency: { rate: 0.5, ms: -1 } })).toThrow(new RangeError('chaos: latency.ms must be a finite number of milliseconds from 0 to 2147483647 (2**31 - 1), got -1'));
    expect(() => chaos({ enabled: true, seed: 1.5 })).toThrow(new RangeError('chaos: seed must be an integer from 0 to 4294967295 (2**32 - 1), got 1.5'));
    expect(() => chaos({ enabled: true, outcome: { rate: 1, value: 'x' as never } })).toThrow(new TypeError('chaos: outcome.value must be a function, got string'));
    vi.stubEnv(CHAOS_SEED_ENV, 'abc');
    expect(() => chaos({ enabled: true })).toThrow(new RangeError('chaos: RESILIENCE_CHAOS_SEED must be an integer from 0 to 4294967295 (2**32 - 1), got NaN'));
    vi.stubEnv(CHAOS_SEED_ENV, '42');
    expect(chaos({ enabled: true }).seed).toBe(42);
  });

  it('without a seed picks one and says which, so the run can be replayed', async () => {
    vi.stubEnv(CHAOS_SEED_ENV, '');
    const options = { enabled: true, fault: { rate: 0.5 }, latency: { rate: 0.3, ms: 0 } } as const;
    const first = chaos(options);
    expect(Number.isInteger(first.seed)).toBe(true);
    const runs = await injections({ ...options, seed: first.seed }, 40);
    expect(await injections({ ...options, seed: first.seed }, 40)).toEqual(runs);
  });
});

describe('chaos (properties)', () => {
  const rate = fc.double({ min: 0, max: 1, noNaN: true });
  const seed = fc.integer({ min: 0, max: 2 ** 32 - 1 });

  it('the same seed replays the same injections, call for call', async () => {
    await fc.assert(
      fc.asyncProperty(seed, rate, rate, rate, async (s, f, l, o) => {
        const options = { enabled: true, seed: s, fault: { rate: f }, latency: { rate: l, ms: 0 }, outcome: { rate: o, value: () => 'x' } };
        expect(await injections(options, 30)).toEqual(await injections(options, 30));
      }),
      { numRuns: 60 },
    );
  });

  it('rate 0 never injects, rate 1 always does', async () => {
    await fc.assert(
      fc.asyncProperty(seed, fc.constantFrom(0, 1), async (s, r) => {
        const got = await injections({ enabled: true, seed: s, fault: { rate: r } }, 25);
        expect(got).toEqual(Array(25).fill(r === 1 ? 'fault' : '-'));
      }),
      { numRuns: 40 },
    );
  });

  it('a higher rate injects in every call a lower one did (same seed): the draws do not depend on the rates', async () => {
    await fc.assert(
      fc.asyncProperty(seed, rate, rate, async (s, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const lower = await injections({ enabled: true, seed: s, fault: { rate: low }, latency: { rate: 0.5, ms: 0 } }, 40);
        const higher = await injections({ enabled: true, seed: s, fault: { rate: high }, latency: { rate: 0.5, ms: 0 } }, 40);
        lower.forEach((kinds, call) => {
          if (kinds.includes('fault')) expect(higher[call]).toContain('fault');
          // The other strategy's draws are untouched by this one's rate.
          expect(kinds.includes('latency')).toBe(higher[call]!.includes('latency'));
        });
      }),
      { numRuns: 60 },
    );
  });

  it('injects at the rate asked for: within 5 standard deviations over 4,000 calls', async () => {
    await fc.assert(
      fc.asyncProperty(seed, fc.double({ min: 0.01, max: 0.99, noNaN: true }), async (s, r) => {
        const n = 4000;
        const got = await injections({ enabled: true, seed: s, fault: { rate: r } }, n);
        const faults = got.filter((k) => k === 'fault').length;
        const sd = Math.sqrt(n * r * (1 - r));
        expect(Math.abs(faults - n * r)).toBeLessThanOrEqual(5 * sd);
      }),
      { numRuns: 15 },
    );
  });
});

describe('chaos (fake timers)', () => {
  useFakeTimersEachTest(() => {
    expect(vi.getTimerCount()).toBe(0);
  });

  it('latency waits, then runs fn', async () => {
    const fn = vi.fn(() => 'ran');
    const result = track(chaos({ enabled: true, latency: { rate: 1, ms: 3_000 } }).execute(fn));
    await vi.advanceTimersByTimeAsync(2_999);
    expect(fn).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(result.value).toBe('ran');
  });

  it('the caller aborting ends an injected wait at once, with its reason, and clears the timer', async () => {
    const controller = new AbortController();
    const fn = vi.fn(() => 'ran');
    const result = track(chaos({ enabled: true, latency: { rate: 1, ms: 60_000 } }).execute(fn, controller.signal));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('caller gave up'));
    await flushMicrotasks();
    expect(result.error).toEqual(new Error('caller gave up'));
    expect(fn).not.toHaveBeenCalled();
  });

  it('inside policy(): the per-attempt deadline cuts injected latency, and the retry tries again', async () => {
    const seen: ChaosInjection[] = [];
    // Latency on the first call only: a slow dependency once, then a healthy one.
    let slow = true;
    const guarded = policy({
      timeoutMs: 1_000,
      retry: { maxAttempts: 3, initialDelayMs: 100, random: () => 0.5 },
      chaos: chaos({ enabled: () => { const was = slow; slow = false; return was; }, latency: { rate: 1, ms: 30_000 }, onInjection: (i) => seen.push(i) }),
    });
    const attempts: number[] = [];
    const result = track(guarded.execute(({ attempt }) => { attempts.push(attempt); return 'ok'; }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(attempts).toEqual([]);
    await vi.advanceTimersByTimeAsync(50);
    expect(result.value).toBe('ok');
    expect(attempts).toEqual([1]);
    expect(seen).toEqual([{ kind: 'latency', call: 0, ms: 30_000 }]);
  });

  it('inside policy(): injected faults open the breaker, and the fallback answers', async () => {
    const breaker = circuitBreaker({ breaker: { consecutive: 2 } });
    const fn = vi.fn(() => 'real');
    const guarded = policy({
      retry: { maxAttempts: 3, initialDelayMs: 10, random: () => 0 },
      circuitBreaker: breaker,
      chaos: chaos({ enabled: true, seed: 1, fault: { rate: 1 } }),
      fallback: (error) => `fallback after ${(error as Error).name}`,
    });
    const result = track(guarded.execute(fn));
    await vi.runAllTimersAsync();
    expect(result.value).toBe('fallback after BrokenCircuitError');
    expect(fn).not.toHaveBeenCalled();
    expect(breaker.state).toBe('open');
  });

  it('off, policy() leaves chaos out entirely: fn runs, nothing is drawn', async () => {
    const onInjection = vi.fn();
    const guarded = policy({ timeoutMs: 1_000, chaos: chaos({ enabled: false, fault: { rate: 1 }, onInjection }) });
    await expect(guarded.execute(() => 'ok')).resolves.toBe('ok');
    expect(onInjection).not.toHaveBeenCalled();
  });

  it('a timeout error from an injected wait is the policy timeout, not a chaos error', async () => {
    const guarded = policy({ timeoutMs: 500, retry: false, chaos: chaos({ enabled: true, latency: { rate: 1, ms: 5_000 } }) });
    const result = track(guarded.execute(() => 'ok'));
    await vi.advanceTimersByTimeAsync(500);
    expect(result.error).toBeInstanceOf(TimeoutError);
  });
});
