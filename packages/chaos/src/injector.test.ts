/* eslint-disable resilience/no-unguarded-dependency -- these tests call a made-up origin without a breaker on purpose, to see each injected fault as a bare client does; the last one puts a breaker in front. */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { circuitBreaker, idempotencyKey, policy, retry, TimeoutError, withTimeout } from '@resilience-kit/policies';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { faults, injectFaults, type Injector } from './index.ts';

const API = 'https://api.payments.example';
let current: Injector | undefined;

async function start(options?: Parameters<typeof injectFaults>[0]): Promise<Injector> {
  current = await injectFaults(options);
  return current;
}

afterEach(async () => {
  vi.useRealTimers();
  await current?.stop();
  current = undefined;
});

const statusOf = async (url: string, init?: RequestInit): Promise<number | string> => {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    return res.status;
  } catch (error) {
    return String((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name);
  }
};

describe('injectFaults', () => {
  it('plays an origin’s faults in order, the last one repeating, and records every attempt', async () => {
    const chaos = await start({ origins: { [API]: [faults.reset(), faults.status(503), faults.ok('fine')] } });
    expect(await statusOf(`${API}/a`)).toBe('ECONNRESET');
    expect(await statusOf(`${API}/b`)).toBe(503);
    expect(await statusOf(`${API}/c`)).toBe(200);
    expect(await statusOf(`${API}/d`)).toBe(200);
    expect(chaos.attempts(API).map((a) => [a.index, a.path, a.fault])).toEqual([[0, '/a', 'reset'], [1, '/b', 'respond'], [2, '/c', 'respond'], [3, '/d', 'respond']]);
    // `on` replaces the rule and starts its count again.
    chaos.on(`${API}:443/`, faults.status(429));
    expect(await statusOf(`${API}/e`)).toBe(429);
    expect(chaos.attempts(API).at(-1)).toMatchObject({ index: 0, fault: 'respond', path: '/e' });
  });

  it('a pattern takes every subdomain of a host (counted together); an origin’s own rule wins', async () => {
    const chaos = await start({ origins: { 'https://*.amazonaws.example': [faults.status(503), faults.ok()], 'https://sts.amazonaws.example': faults.status(403) } });
    expect(await statusOf('https://s3.eu-west-1.amazonaws.example/a')).toBe(503);
    expect(await statusOf('https://bucket.s3.us-east-1.amazonaws.example/b')).toBe(200);
    expect(await statusOf('https://sts.amazonaws.example/c')).toBe(403);
    expect(await statusOf('https://amazonaws.example/d')).not.toBe(503); // the bare host is not a subdomain
    expect(chaos.attempts('https://*.amazonaws.example').map((a) => [a.origin, a.index])).toEqual([
      ['https://s3.eu-west-1.amazonaws.example', 0],
      ['https://bucket.s3.us-east-1.amazonaws.example', 1],
    ]);
  });

  it('lets other origins through by default, and refuses them with unmatched: refuse', async () => {
    const server = http.createServer((_req, res) => res.end('real'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await start({ origins: { [API]: faults.hang() } });
      expect(await statusOf(local)).toBe(200);
      await current!.stop();
      await start({ origins: { [API]: faults.hang() }, unmatched: 'refuse' });
      expect(await statusOf(local)).toBe('ECONNREFUSED');
      const viaHttp = await new Promise<string>((resolve) => http.get(local, { signal: AbortSignal.timeout(5_000) }, () => resolve('answered')).on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message)));
      expect(viaHttp).toBe('ECONNREFUSED');
    } finally {
      server.close();
    }
  });

  it('puts fetch’s dispatcher and the agents’ createConnection back on stop, and runs one at a time', async () => {
    const symbol = Symbol.for('undici.globalDispatcher.1');
    await fetch('data:,');
    const dispatcher = (globalThis as Record<symbol, unknown>)[symbol];
    const connect = (agent: typeof http.Agent): unknown => (agent.prototype as unknown as { createConnection: unknown }).createConnection;
    const before = [connect(http.Agent), connect(https.Agent)];
    const chaos = await start({ origins: { [API]: faults.ok() } });
    expect((globalThis as Record<symbol, unknown>)[symbol]).not.toBe(dispatcher);
    expect([connect(http.Agent), connect(https.Agent)]).not.toContain(before[1]);
    await expect(injectFaults()).rejects.toThrow('chaos: an injector is already running; stop() it first');
    await chaos.stop();
    // Two started at once: one starts, the other is refused (not two wrappers on one dispatcher).
    const both = await Promise.allSettled([injectFaults(), injectFaults()]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    await (both.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Injector>).value.stop();
    expect((globalThis as Record<symbol, unknown>)[symbol]).toBe(dispatcher);
    expect([connect(http.Agent), connect(https.Agent)]).toEqual(before);
    expect(Object.prototype.hasOwnProperty.call(https.Agent.prototype, 'createConnection')).toBe(true);
    // Stopped: the origin is the real network's again (here: a name that does not resolve).
    expect(await statusOf(`${API}/x`)).not.toBe(200);
  });

  it('intercepts agents made before it started and agents of one’s own (an SDK’s keep-alive agent)', async () => {
    const own = new https.Agent({ keepAlive: true, maxSockets: 4 });
    await start({ origins: { [API]: faults.status(503, { retryAfter: 7 }) } });
    const got = await new Promise<[number | undefined, string | undefined]>((resolve, reject) =>
      https.get(`${API}/own`, { agent: own, signal: AbortSignal.timeout(5_000) }, (res) => {
        res.resume();
        resolve([res.statusCode, res.headers['retry-after']]);
      }).on('error', reject));
    expect(got).toEqual([503, '7']);
    expect(current!.attempts(API).map((a) => a.path)).toEqual(['/own']);
    own.destroy();
  });

  it('refuses what it could not play, with a clear error', async () => {
    await expect(injectFaults({ origins: { 'ftp://x': faults.ok() } })).rejects.toThrow('chaos: "ftp://x" is not an http(s) origin');
    await expect(injectFaults({ origins: { [API]: faults.status(99) } })).rejects.toThrow(`chaos: the fault for ${API}.status must be an HTTP status from 100 to 599, got 99`);
    await expect(injectFaults({ origins: { [API]: [faults.ok(), faults.sometimes(2, faults.reset())] } })).rejects.toThrow(`chaos: the fault for ${API} [1].rate must be a number from 0 to 1, got 2`);
    await expect(injectFaults({ seed: -1 })).rejects.toThrow('chaos: seed must be an integer from 0 to 4294967295, got -1');
  });
});

describe('https origins', () => {
  it('a client that times the TLS handshake sees it done (got timeout.secureConnect), as from a real server', async () => {
    const { default: got } = await import('got');
    await start({ origins: { [API]: faults.slow(300, faults.ok('late')) } });
    const res = await got(`${API}/x`, { timeout: { secureConnect: 100, request: 5_000 }, retry: { limit: 0 } });
    expect(res.body).toBe('late');
  });
});

describe('faults.sometimes (properties)', () => {
  const run = async (seed: number, rate: number, n: number): Promise<string[]> => {
    const chaos = await start({ seed, origins: { [API]: faults.sometimes(rate, faults.status(503)) } });
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(String(await statusOf(`${API}/${i}`)));
    await chaos.stop();
    current = undefined;
    return out;
  };

  it('the same seed replays the same faults; rate 0 never and rate 1 always fails', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), async (seed, rate) => {
        const first = await run(seed, rate, 12);
        expect(await run(seed, rate, 12)).toEqual(first);
        expect(await run(seed, 0, 4)).toEqual(['200', '200', '200', '200']);
        expect(await run(seed, 1, 4)).toEqual(['503', '503', '503', '503']);
      }),
      { numRuns: 8 },
    );
  });
});

describe('what resilience means, asserted on the attempts', () => {
  it('the call gives up at its deadline against a hung dependency', async () => {
    const chaos = await start({ origins: { [API]: faults.hang() } });
    const started = Date.now();
    const error = await withTimeout(300, (signal) => fetch(`${API}/charges`, { signal })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(chaos.attempts(API)).toHaveLength(1);
  });

  it('retries are spaced exponentially with jitter, honour Retry-After, and send the same idempotency key every time', async () => {
    const chaos = await start({ origins: { [API]: [faults.status(503), faults.status(503), faults.status(429, { retryAfter: 1 }), faults.ok({ id: 'ch_1' })] } });
    const key = idempotencyKey();
    const delays: number[] = [];
    const res = await retry(() => fetch(`${API}/charges`, { method: 'POST', headers: { 'idempotency-key': key }, body: '{}', signal: AbortSignal.timeout(5_000) }), {
      maxAttempts: 5,
      initialDelayMs: 40,
      random: () => 0.999,
      onRetry: (info) => delays.push(info.delayMs),
    });
    expect(res.status).toBe(200);
    const attempts = chaos.attempts(API);
    expect(attempts.map((a) => [a.method, a.headers['idempotency-key']])).toEqual(Array(4).fill(['POST', key]));
    // Full jitter below 40·2^k (random 0.999): 39 and 79 ms, then the server's Retry-After (1 s).
    expect(delays).toEqual([39, 79, 1_000]);
    const gaps = attempts.slice(1).map((a, i) => a.time - attempts[i]!.time);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(delays[i]! - 5));
  });

  it('under fake timers: the test’s clock spaces the attempts, and nothing waits on real time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const chaos = await start({ origins: { [API]: [faults.status(503), faults.status(503), faults.ok()] } });
    const done = retry(() => fetch(`${API}/status`, { signal: AbortSignal.timeout(5_000) }), { maxAttempts: 3, initialDelayMs: 1_000, random: () => 0.5 });
    const until = async (n: number): Promise<void> => {
      while (chaos.attempts(API).length < n) await new Promise((resolve) => setImmediate(resolve));
    };
    await until(1);
    await vi.advanceTimersByTimeAsync(500);
    await until(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await done).status).toBe(200);
    const times = chaos.attempts(API).map((a) => a.time);
    expect([times[1]! - times[0]!, times[2]! - times[1]!]).toEqual([500, 1_000]);
  });

  it('the breaker opens after the injected failures and the fallback answers, without calling the dependency', async () => {
    const chaos = await start({ origins: { [API]: faults.reset() } });
    const breaker = circuitBreaker({ breaker: { consecutive: 3 }, halfOpenAfterMs: 60_000 });
    const guarded = policy<string>({ retry: false, circuitBreaker: breaker, timeoutMs: 1_000, fallback: () => 'cached' });
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) answers.push(await guarded.execute(({ signal }) => fetch(`${API}/rates`, { signal }).then((r) => r.text())));
    expect(answers).toEqual(Array(5).fill('cached'));
    expect(breaker.state).toBe('open');
    expect(chaos.attempts(API)).toHaveLength(3);
  });
});
