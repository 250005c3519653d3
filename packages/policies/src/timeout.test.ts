import { getEventListeners } from 'node:events';
import { createServer } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { TimeoutError, withTimeout } from './index.ts';
import { close, listen, never, runNodeScript, track, useFakeTimersEachTest } from './test-support.ts';

describe('withTimeout (fake timers)', () => {
  useFakeTimersEachTest();

  it('resolves with fn’s value before the deadline, clears its timer and leaves fn’s signal alone', async () => {
    let seen: AbortSignal | undefined;
    const result = track(
      withTimeout(1_000, (signal) => {
        seen = signal;
        return new Promise<string>((resolve) => setTimeout(() => resolve('done'), 999));
      }),
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(result).toEqual({ settled: true, value: 'done' });
    expect(vi.getTimerCount()).toBe(0);
    // cockatiel's default (abortOnReturn) would abort it here and break e.g. a Response body.
    expect(seen?.aborted).toBe(false);
  });

  it('rejects with TimeoutError at the deadline and not 1 ms before, even if fn ignores the signal', async () => {
    const result = track(withTimeout(1_000, () => never<string>()));
    await vi.advanceTimersByTimeAsync(999);
    expect(result.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(result.settled).toBe(true);
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect(result.error).toBeInstanceOf(Error);
    expect(result.error).toMatchObject({
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
      ms: 1_000,
      message: 'Operation timed out after 1000 ms',
    });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborts fn’s signal with the very TimeoutError the promise rejects with', async () => {
    let seen: AbortSignal | undefined;
    const onAbort = vi.fn();
    const result = track(
      withTimeout(500, (signal) => {
        seen = signal;
        signal.addEventListener('abort', onAbort);
        return never<void>();
      }),
    );
    await vi.advanceTimersByTimeAsync(499);
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen?.aborted).toBe(true);
    expect(onAbort).toHaveBeenCalledTimes(1);
    expect(seen?.reason).toBeInstanceOf(TimeoutError);
    expect(result.error).toBe(seen?.reason);
  });

  it('reports the TimeoutError even when fn reacts to the abort by rejecting with its own error', async () => {
    const result = track(
      withTimeout(100, (signal) =>
        new Promise<never>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new DOMException('aborted by fn', 'AbortError')));
        }),
      ),
    );
    await vi.advanceTimersByTimeAsync(100);
    expect(result.error).toBeInstanceOf(TimeoutError);
  });

  it('passes through fn’s own rejection before the deadline unchanged', async () => {
    const boom = new Error('boom');
    const result = track(
      withTimeout(1_000, () => new Promise<never>((_resolve, reject) => setTimeout(() => reject(boom), 10))),
    );
    await vi.advanceTimersByTimeAsync(10);
    expect(result.error).toBe(boom);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('lets the caller’s abort win: fn’s signal is aborted and the promise rejects with the caller’s reason', async () => {
    const caller = new AbortController();
    const reason = new Error('user navigated away');
    let seen: AbortSignal | undefined;
    const result = track(
      withTimeout(
        1_000,
        (signal) => {
          seen = signal;
          return never<void>();
        },
        { signal: caller.signal },
      ),
    );
    await vi.advanceTimersByTimeAsync(300);
    caller.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(result.error).toBe(reason);
    expect(seen?.reason).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
    // The deadline passing later changes nothing.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(result.error).toBe(reason);
    expect(seen?.reason).toBe(reason);
  });

  it('propagates a reasonless caller abort as the platform’s AbortError, like fetch', async () => {
    const caller = new AbortController();
    const result = track(withTimeout(1_000, () => never<void>(), { signal: caller.signal }));
    caller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(result.error).toBe(caller.signal.reason);
    expect(result.error).toMatchObject({ name: 'AbortError' });
    expect(result.error).not.toBeInstanceOf(TimeoutError);
  });

  it('rejects with the reason of an already-aborted caller signal without calling fn', async () => {
    const reason = new Error('already cancelled');
    const fn = vi.fn(() => 'value');
    await expect(withTimeout(1_000, fn, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('removes its abort listener from the caller’s signal once settled (success, timeout, sync throw)', async () => {
    const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;
    const caller = new AbortController();

    const ok = withTimeout(1_000, () => new Promise<number>((resolve) => setTimeout(() => resolve(1), 10)), {
      signal: caller.signal,
    });
    expect(listeners(caller.signal)).toBe(1); // the link exists while the call runs...
    await vi.advanceTimersByTimeAsync(10);
    await expect(ok).resolves.toBe(1);
    expect(listeners(caller.signal)).toBe(0); // ...and not after.

    const late = track(withTimeout(50, () => never<void>(), { signal: caller.signal }));
    await vi.advanceTimersByTimeAsync(50);
    expect(late.error).toBeInstanceOf(TimeoutError);
    expect(listeners(caller.signal)).toBe(0);

    await expect(
      withTimeout(
        50,
        () => {
          throw new Error('sync');
        },
        { signal: caller.signal },
      ),
    ).rejects.toThrow('sync');
    expect(listeners(caller.signal)).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps the caller’s cancellation reaching fn’s signal after the call settled (a body still being read)', async () => {
    const caller = new AbortController();
    let seen: AbortSignal | undefined;
    await expect(withTimeout(1_000, (signal) => {
      seen = signal;
      return 'response';
    }, { signal: caller.signal })).resolves.toBe('response');
    expect(seen!.aborted).toBe(false);
    const reason = new Error('user navigated away');
    caller.abort(reason);
    expect(seen!.aborted).toBe(true);
    expect(seen!.reason).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([
    ['0', 0],
    ['-1', -1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['2**31', 2 ** 31],
  ])('throws a RangeError synchronously for ms = %s, without calling fn', (_label, ms) => {
    const fn = vi.fn(() => 'value');
    expect(() => withTimeout(ms, fn)).toThrow(RangeError);
    expect(() => withTimeout(ms, fn)).toThrow(/ms must be a finite number of milliseconds greater than 0/);
    expect(fn).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('accepts the largest delay setTimeout honours, 2**31 - 1', async () => {
    await expect(withTimeout(2 ** 31 - 1, () => 'fits')).resolves.toBe('fits');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('turns a synchronous throw from fn into a rejection, not a synchronous throw', async () => {
    const error = new TypeError('bad input');
    let promise: Promise<never> | undefined;
    expect(() => {
      promise = withTimeout(1_000, () => {
        throw error;
      });
    }).not.toThrow();
    await expect(promise).rejects.toBe(error);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('accepts a synchronous return value', async () => {
    await expect(withTimeout(1_000, () => 42)).resolves.toBe(42);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('withTimeout (real I/O on loopback)', () => {
  /** Resolves to true if `promise` settles within `ms`, false otherwise; leaves no timer behind. */
  async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    try {
      return await Promise.race([promise.then(() => true), expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  it('cancels a fetch to a server that never answers: TimeoutError, and the server sees the socket close', async () => {
    let requestSeen = false;
    let markClosed = (): void => {};
    const socketClosed = new Promise<void>((resolve) => {
      markClosed = resolve;
    });
    const server = createServer((req) => {
      requestSeen = true; // and never respond
      req.socket.once('close', markClosed);
    });
    const url = await listen(server);
    try {
      const started = performance.now();
      // eslint-disable-next-line resilience/require-timeout -- withTimeout comes from source here; the rule knows it by its package name
      const error = await withTimeout(200, (signal) => fetch(url, { signal })).then(
        () => 'resolved',
        (e: unknown) => e,
      );
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(TimeoutError);
      expect(elapsed).toBeGreaterThanOrEqual(150);
      expect(elapsed).toBeLessThan(1_500);
      expect(requestSeen).toBe(true);
      // The request was torn down, not just abandoned: the server's end of the socket closes.
      expect(await within(socketClosed, 1_000)).toBe(true);
    } finally {
      await close(server);
    }
  });

  it('keeps fn’s signal alive after success, so a Response body arriving later can still be read', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.flushHeaders();
      setTimeout(() => res.end('late body'), 100);
    });
    const url = await listen(server);
    try {
      // eslint-disable-next-line resilience/require-timeout -- withTimeout comes from source here; the rule knows it by its package name
      const response = await withTimeout(1_000, (signal) => fetch(url, { signal }));
      expect(await response.text()).toBe('late body');
    } finally {
      await close(server);
    }
  });

  it('leaves nothing behind: a node process running one successful withTimeout(60 s) exits promptly', async () => {
    const indexUrl = new URL('./index.ts', import.meta.url).href;
    const script = `
      const { withTimeout } = await import(${JSON.stringify(indexUrl)});
      const value = await withTimeout(60_000, async (signal) => (signal.aborted ? 'aborted' : 'ok'));
      const resources = process.getActiveResourcesInfo();
      process.stdout.write(JSON.stringify({ value, resources }) + '\\n');
    `;
    const { stdout, stderr, code, signal, settledAt, exitedAt } = await runNodeScript(
      script,
      5_000, // a leaked 60 s timer would be killed here and fail the assertions below
    );

    expect(stderr).toBe('');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const report = JSON.parse(stdout) as { value: string; resources: string[] };
    expect(report.value).toBe('ok');
    expect(report.resources).not.toContain('Timeout');
    expect(settledAt).toBeDefined();
    expect(exitedAt - (settledAt ?? exitedAt)).toBeLessThan(500);
  });
});
