/**
 * `withTimeout`: a deadline that cancels the work, not one that merely races it.
 *
 * The deadline reaches `fn` as an AbortSignal. When it passes, that signal is aborted with a
 * `TimeoutError` as its reason (so `fetch`, axios, got, ky... tear the request down) and the
 * returned promise rejects with the same `TimeoutError` at once, even if `fn` ignores the signal.
 *
 * Built on cockatiel's `timeout(ms, { strategy: TimeoutStrategy.Aggressive })`, which supplies the
 * timer, the race against `fn`, the link from the caller's signal and the cleanup of both. Where
 * its behaviour does not match the contract, this file wraps it; each place says why (cockatiel
 * 4.0.0, `dist/TimeoutPolicy.js` and `dist/common/abort.js`).
 */
import { timeout, TimeoutStrategy } from 'cockatiel';

/** The largest delay `setTimeout` honours (2**31 - 1 ms, about 24.8 days). Node fires larger ones after 1 ms. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * The reason `fn`'s signal is aborted with, and the error `withTimeout` rejects with, when the
 * deadline passes. Same `name` as the DOMException of `AbortSignal.timeout()`, so
 * `err.name === 'TimeoutError'` recognises both.
 */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  readonly code = 'ETIMEDOUT';
  /** The deadline that passed, in milliseconds. */
  readonly ms: number;

  constructor(ms: number) {
    super(`Operation timed out after ${ms} ms`);
    this.ms = ms;
  }
}

/**
 * Runs `fn` with a deadline of `ms` milliseconds.
 *
 * - `fn` receives an AbortSignal; pass it on (`fetch(url, { signal })`). It is aborted with a
 *   `TimeoutError` when `ms` elapses, or with the caller's `signal.reason` if `options.signal`
 *   aborts first.
 * - The promise rejects with that same `TimeoutError` / caller reason as soon as the signal aborts,
 *   whether or not `fn` reacts to it. An already-aborted `options.signal` rejects without calling `fn`.
 * - `ms` must be a finite number in (0, 2**31 - 1]; anything else throws a `RangeError` synchronously.
 * - Once the promise settles, no timer or listener is left behind, and `fn`'s signal is left as it
 *   was (not aborted on success, so a `Response` body can still be read).
 */
export function withTimeout<T>(
  ms: number,
  fn: (signal: AbortSignal) => PromiseLike<T> | T,
  options?: { readonly signal?: AbortSignal | undefined },
): Promise<T> {
  // cockatiel validates nothing: setTimeout turns NaN, negatives and > 2**31-1 into 1 ms (the
  // last with a TimeoutOverflowWarning), and 0 means "no timeout" in some libraries. Refuse them.
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0 || ms > MAX_TIMEOUT_MS) {
    throw new RangeError(
      `withTimeout: ms must be a finite number of milliseconds greater than 0 and at most ${MAX_TIMEOUT_MS} (2**31 - 1), got ${String(ms)}`,
    );
  }
  if (typeof fn !== 'function') {
    throw new TypeError(`withTimeout: fn must be a function, got ${typeof fn}`);
  }
  const callerSignal = options?.signal;
  // cockatiel calls fn even when the outer signal is already aborted, and with a synchronous fn
  // even resolves with its value (TimeoutPolicy.js:75-79: fn is evaluated, and wins, before the
  // race against the already-fired abort event). fetch() rejects with the reason up front; so do we.
  if (callerSignal?.aborted) {
    return Promise.reject(callerSignal.reason);
  }
  return run(ms, fn, callerSignal);
}

async function run<T>(
  ms: number,
  fn: (signal: AbortSignal) => PromiseLike<T> | T,
  callerSignal: AbortSignal | undefined,
): Promise<T> {
  // fn does not get cockatiel's signal but one of ours, because cockatiel's
  // - aborts its signal on timeout with no reason (TimeoutPolicy.js:63, `aborter.abort()`), i.e. a
  //   generic DOMException AbortError instead of our TimeoutError;
  // - rejects with TaskCancelledError('Operation timed out after …ms') on timeout AND when the
  //   caller's signal aborts (TimeoutPolicy.js:68 and 77-78 listen to its derived signal), so the
  //   caller's reason would be lost and a cancellation reported as a timeout;
  // - by default aborts its signal when fn *returns* (TimeoutPolicy.js:86-87, `abortOnReturn`),
  //   which would kill the body stream of a fetch Response that resolved in time. Turned off below.
  // We mirror cockatiel's signal onto ours with the right reason, and map the rejection to it.
  const controller = new AbortController();
  let policySignal: AbortSignal | undefined;
  const onPolicyAbort = (): void => {
    // Abort events dispatch synchronously: cockatiel's signal aborts either through its link to
    // the caller's signal (then that one is aborted right now) or through its own timer.
    controller.abort(callerSignal?.aborted ? callerSignal.reason : new TimeoutError(ms));
  };
  const policy = timeout(ms, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
  try {
    // cockatiel calls this synchronously inside execute(), before any timer can fire, so the
    // listener is in place before cockatiel's signal can abort.
    return await policy.execute((_context, signal) => {
      policySignal = signal;
      signal.addEventListener('abort', onPolicyAbort, { once: true });
      return fn(forCall(controller.signal, callerSignal));
    }, callerSignal);
  } catch (error) {
    // Once the deadline or the caller has aborted, that reason is the outcome, whatever fn or
    // cockatiel rejected with (TaskCancelledError, or fn's own reaction to the abort).
    if (controller.signal.aborted) throw controller.signal.reason;
    throw error;
  } finally {
    // cockatiel has already cleared its timer and removed its listener on the caller's signal
    // (TimeoutPolicy.js:89-90: clearTimeout + disposeAbort). Remove ours from its signal.
    policySignal?.removeEventListener('abort', onPolicyAbort);
  }
}

/**
 * The signal fn gets: ours (the deadline), and, for as long as it lives, the caller's. Work that
 * outlasts the call itself (reading a fetch body after the Response resolved in time) must still
 * stop when the caller cancels, after our listeners are gone. `AbortSignal.any` links them without
 * holding either alive (where it is missing, the caller's cancellation reaches fn only until the
 * call settles).
 */
function forCall(deadline: AbortSignal, callerSignal: AbortSignal | undefined): AbortSignal {
  const any = (AbortSignal as { any?: (signals: AbortSignal[]) => AbortSignal }).any;
  return callerSignal && typeof any === 'function' ? any.call(AbortSignal, [deadline, callerSignal]) : deadline;
}
