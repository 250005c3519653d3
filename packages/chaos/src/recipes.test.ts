/**
 * docs/testing-resilience.md's recipes, run: each against a client written the way the rule's fix
 * writes it (so a recipe that could not pass is caught here), and each also against the unfixed
 * client, which it must fail.
 */
/* eslint-disable resilience/require-timeout, resilience/no-unbounded-retry, resilience/require-backoff, resilience/require-idempotency-key -- the unfixed clients are the point (the rules report each of them): the recipes must fail on them */
import { circuitBreaker, idempotencyKey, retry, withTimeout } from '@resilience-kit/policies';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { faults, injectFaults, type Injector } from './index.ts';

const PAYMENTS = 'https://api.payments.example';
let chaos: Injector;
beforeAll(async () => {
  chaos = await injectFaults({ unmatched: 'refuse' });
});
afterAll(() => chaos.stop());
let stopForever = new AbortController();
afterEach(async () => {
  stopForever.abort();
  stopForever = new AbortController();
  vi.useRealTimers();
  // Let what a test left in flight (an unfixed loop's last round) finish before the next one counts.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  chaos.clearAttempts();
});
const tick = (): Promise<unknown> => new Promise((resolve) => setImmediate(resolve));

type GetCharge = (id: string) => Promise<unknown>;
const json = async (res: Response): Promise<unknown> => {
  if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status });
  return res.json();
};

/** The recipes, as in the docs, parameterised by the client under test; each resolves to whether it passed. */
const recipes = {
  async 'require-timeout'(getCharge: GetCharge): Promise<void> {
    chaos.on(PAYMENTS, faults.hang());
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const outcome = getCharge('ch_1').then(() => 'answered', (error: unknown) => error);
    while (chaos.attempts(PAYMENTS).length === 0) await tick();
    await vi.advanceTimersByTimeAsync(30_000);
    for (let i = 0; i < 50; i++) await tick();
    expect(await Promise.race([outcome, Promise.resolve('still waiting')])).toMatchObject({ name: 'TimeoutError' });
  },
  async 'require-backoff'(getCharge: GetCharge): Promise<void> {
    chaos.on(PAYMENTS, faults.status(503), faults.status(503), faults.status(503), faults.ok({ id: 'ch_1' }));
    await getCharge('ch_1');
    const times = chaos.attempts(PAYMENTS).map((a) => a.time);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps).toHaveLength(3);
    expect(gaps[0]!).toBeGreaterThanOrEqual(10); // it waits at all
    expect(gaps[2]!).toBeGreaterThanOrEqual(2 * gaps[0]!); // and longer each time
  },
  async 'require-jitter'(getCharge: GetCharge): Promise<void> {
    chaos.on(PAYMENTS, ...(Array(10).fill(faults.status(503)) as ReturnType<typeof faults.status>[]), faults.ok({ id: 'ch_1' }));
    await Promise.all(Array.from({ length: 10 }, (_, i) => getCharge(`ch_${i}`)));
    const retries = chaos.attempts(PAYMENTS).slice(10).map((a) => a.time);
    expect(Math.max(...retries) - Math.min(...retries)).toBeGreaterThan(50); // spread out, not a herd
  },
  async 'no-unbounded-retry'(getCharge: GetCharge): Promise<void> {
    chaos.on(PAYMENTS, faults.reset());
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const outcome = getCharge('ch_1').then(() => 'answered', (error: unknown) => error);
    // The recipe's "advance until it settles, with a bound on the rounds".
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 20; i++) await tick();
      await vi.advanceTimersByTimeAsync(60_000);
    }
    expect(await Promise.race([outcome, Promise.resolve('still retrying')])).toBeInstanceOf(Error);
    expect(chaos.attempts(PAYMENTS).length).toBeLessThanOrEqual(5);
  },
  async 'require-idempotency-key'(createCharge: GetCharge): Promise<void> {
    chaos.on(PAYMENTS, faults.status(503), faults.reset(), faults.ok({ id: 'ch_1' }));
    await createCharge('order-1');
    const attempts = chaos.attempts(PAYMENTS);
    expect(attempts.map((a) => a.method)).toEqual(['POST', 'POST', 'POST']);
    const keys = new Set(attempts.map((a) => a.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toBeTruthy();
  },
  async 'no-unguarded-dependency'(getCharge: GetCharge): Promise<void> {
    chaos.on(PAYMENTS, faults.reset());
    const errors: unknown[] = [];
    for (let i = 0; i < 10; i++) errors.push(await getCharge(`ch_${i}`).catch((e: unknown) => e));
    expect(chaos.attempts(PAYMENTS).length).toBeLessThan(10);
    expect(errors.at(-1)).toMatchObject({ name: 'BrokenCircuitError' });
  },
};

const url = (id: string): string => `${PAYMENTS}/charges/${id}`;
/** Retries at once, a fixed number of times, the loop the retry rules report. */
async function atOnce<T>(fn: () => Promise<T>, attempts: number): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (error) {
      if (i >= attempts) throw error;
    }
  }
}

/** Per rule: the client as the fix writes it, and as the rule reports it. */
const clients: Record<keyof typeof recipes, { fixed: GetCharge; unfixed: GetCharge }> = {
  'require-timeout': {
    fixed: (id) => withTimeout(10_000, (signal) => fetch(url(id), { signal }).then(json)),
    unfixed: (id) => fetch(url(id)).then(json),
  },
  'require-backoff': {
    fixed: (id) => retry(() => fetch(url(id), { signal: AbortSignal.timeout(5_000) }).then(json), { maxAttempts: 4, initialDelayMs: 20, random: () => 0.99 }),
    unfixed: (id) => atOnce(() => fetch(url(id), { signal: AbortSignal.timeout(5_000) }).then(json), 4),
  },
  'require-jitter': {
    fixed: (id) => retry(() => fetch(url(id), { signal: AbortSignal.timeout(5_000) }).then(json), { maxAttempts: 3, initialDelayMs: 200 }),
    unfixed: async (id) => {
      // The same wait for every caller: those that failed together retry together.
      try {
        return await fetch(url(id), { signal: AbortSignal.timeout(5_000) }).then(json);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return fetch(url(id), { signal: AbortSignal.timeout(5_000) }).then(json);
      }
    },
  },
  'no-unbounded-retry': {
    fixed: (id) => retry(() => fetch(url(id), { signal: AbortSignal.timeout(5_000) }).then(json), { maxAttempts: 4, initialDelayMs: 100 }),
    unfixed: async (id) => {
      // Forever, as written; `stopForever` ends it after the test, so it does not outlive its file.
      for (const stop = stopForever.signal; !stop.aborted; ) {
        try {
          return await fetch(url(id), { signal: AbortSignal.timeout(5_000) }).then(json);
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      }
      throw new Error('stopped');
    },
  },
  'require-idempotency-key': {
    fixed: (order) => {
      const key = idempotencyKey();
      return retry(() => fetch(url(order), { method: 'POST', headers: { 'idempotency-key': key }, signal: AbortSignal.timeout(5_000) }).then(json), { maxAttempts: 3, initialDelayMs: 10 });
    },
    unfixed: (order) => retry(() => fetch(url(order), { method: 'POST', headers: { 'idempotency-key': idempotencyKey() }, signal: AbortSignal.timeout(5_000) }).then(json), { maxAttempts: 3, initialDelayMs: 10 }),
  },
  'no-unguarded-dependency': (() => {
    const breaker = circuitBreaker();
    return {
      fixed: (id: string) => breaker.execute(() => fetch(url(id), { signal: AbortSignal.timeout(5_000) }).then(json)),
      unfixed: (id: string) => fetch(url(id), { signal: AbortSignal.timeout(5_000) }).then(json),
    };
  })(),
};

describe.each(Object.keys(recipes) as (keyof typeof recipes)[])('the %s recipe', (rule) => {
  it('passes on the client as the fix writes it', async () => {
    await recipes[rule](clients[rule].fixed);
  });

  it('fails on the client the rule reports', async () => {
    await expect(recipes[rule](clients[rule].unfixed)).rejects.toThrow();
  });
});
