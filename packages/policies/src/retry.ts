/**
 * `retry`: bounded retries with exponential backoff and full jitter, that retry only what a second
 * attempt can fix, honour the server's `Retry-After`, and stop at once when the caller aborts.
 *
 * Built on cockatiel's `retry(handleWhen(...).orWhenResult(...), { maxAttempts, backoff })`, which
 * supplies the attempt loop, the error / result classification, the attempt count and the
 * backoff sequence (an `ExponentialBackoff` with a full-jitter generator, inside an `IBackoff` of
 * ours that adds `Retry-After`). Where cockatiel's behaviour does not match the contract, this
 * file wraps it; each place says why (cockatiel 4.0.0, `dist/RetryPolicy.js`, `dist/Policy.js`,
 * `dist/common/Executor.js`, `dist/backoff/*.js`).
 */
import {
  ExponentialBackoff,
  handleWhen,
  retry as cockatielRetry,
  type GeneratorFn,
  type IBackoff,
  type IRetryBackoffContext,
  type IRetryContext,
} from 'cockatiel';
import { isRetryableError, isRetryableResult, retryAfterMsOf } from './retryable.ts';
import { sleep, untilAborted } from './signals.ts';

/** The largest delay `setTimeout` honours (2**31 - 1 ms, about 24.8 days). Node fires larger ones after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What `fn` receives on each attempt. */
export interface RetryContext {
  /** 0 for the first attempt, 1 for the first retry, and so on. */
  readonly attempt: number;
  /** Aborted with the caller's `signal.reason` when `options.signal` aborts; pass it on to the work. */
  readonly signal: AbortSignal;
}

/** What `onRetry` receives, once per retry, before the wait. Exactly one of `error` / `value` is set. */
export interface RetryInfo<T = unknown> {
  /** The attempt that will run after the wait, as `fn` will see it in `context.attempt` (1 for the first retry). */
  readonly attempt: number;
  /** The wait before that attempt, in whole milliseconds. */
  readonly delayMs: number;
  /** The retryable error the previous attempt threw, if it threw. */
  readonly error?: unknown;
  /** The value the previous attempt returned and `shouldRetryResult` accepted, if it returned. */
  readonly value?: T;
}

export interface RetryOptions<T = unknown> {
  /** Total attempts, the first included. An integer >= 1 (Infinity is refused). Default 3. */
  readonly maxAttempts?: number | undefined;
  /** The base of the exponential, in ms: retry k waits up to `initialDelayMs * 2**k`. Default 100. */
  readonly initialDelayMs?: number | undefined;
  /** The cap on each jittered delay, in ms. Default 10_000. */
  readonly maxDelayMs?: number | undefined;
  /** The cap on an honoured `Retry-After`, in ms (0 ignores `Retry-After`). Default 60_000. */
  readonly maxRetryAfterMs?: number | undefined;
  /** Which errors to retry. Default `isRetryableError`. */
  readonly isRetryable?: ((error: unknown) => boolean) | undefined;
  /** Which returned values to retry. Default: a Response-like value with status 408, 429 or 5xx other than 501 / 505. */
  readonly shouldRetryResult?: ((value: T) => boolean) | undefined;
  /** Aborts the wait between attempts and the running attempt; passed on to `fn` (as `context.signal`). */
  readonly signal?: AbortSignal | undefined;
  /** Called before each wait. If it throws, `retry` rejects with that error and makes no further attempt. */
  readonly onRetry?: ((info: RetryInfo<T>) => void) | undefined;
  /** Source of randomness for the jitter, returning numbers in [0, 1). Default `Math.random`; for tests. */
  readonly random?: (() => number) | undefined;
}

/**
 * The full-jitter delay before retry `retryIndex` (0 for the first retry), per the AWS
 * "Exponential Backoff and Jitter" analysis: `random() * min(maxDelayMs, initialDelayMs * 2**retryIndex)`.
 * Pure apart from `random`; the result is in `[0, min(maxDelayMs, initialDelayMs * 2**retryIndex)]`.
 *
 * Throws a `RangeError` if `retryIndex` is not a non-negative integer, a delay is not a finite
 * number >= 0, or `random()` returns something outside [0, 1].
 */
export function fullJitterDelay(
  retryIndex: number,
  initialDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  if (!Number.isSafeInteger(retryIndex) || retryIndex < 0) {
    throw new RangeError(`fullJitterDelay: retryIndex must be an integer >= 0, got ${String(retryIndex)}`);
  }
  checkDelay('fullJitterDelay', 'initialDelayMs', initialDelayMs, Number.MAX_VALUE);
  checkDelay('fullJitterDelay', 'maxDelayMs', maxDelayMs, Number.MAX_VALUE);
  // 0 * 2**1024 would be 0 * Infinity = NaN.
  const ceiling = initialDelayMs === 0 ? 0 : Math.min(maxDelayMs, initialDelayMs * 2 ** retryIndex);
  const r = random();
  if (typeof r !== 'number' || !(r >= 0 && r <= 1)) {
    throw new RangeError(`fullJitterDelay: random() must return a number in [0, 1), got ${String(r)}`);
  }
  return r * ceiling;
}

function checkDelay(where: string, name: string, value: unknown, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw new RangeError(
      `${where}: ${name} must be a finite number of milliseconds between 0 and ${max}, got ${String(value)}`,
    );
  }
}

function checkFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`retry: ${name} must be a function, got ${typeof value}`);
  }
}

/**
 * Runs `fn` until it succeeds, fails with something not worth retrying, or has been called
 * `maxAttempts` times (default 3), waiting between attempts with exponential backoff and full
 * jitter: `random() * min(maxDelayMs, initialDelayMs * 2**k)` before retry k (k = 0 for the first),
 * or the server's `Retry-After` (capped at `maxRetryAfterMs`) if that is longer.
 *
 * - Errors are retried if `isRetryable` (default `isRetryableError`) says so; returned values if
 *   `shouldRetryResult` (default: Response-like with status 408, 429, 5xx but 501/505) says so.
 * - When the attempts run out, the promise rejects with the **last error**, or, if the last
 *   attempt returned a value that was to be retried, resolves with **that value** (a 503
 *   `Response`, say): it is an ordinary return value the caller already has to handle.
 * - `options.signal` aborting rejects the promise with its `reason` at once, whether `retry` is
 *   waiting or `fn` is running; `fn`'s `context.signal` is aborted with the same reason, and no
 *   attempt starts afterwards. An already-aborted signal rejects without calling `fn`.
 * - Options are validated synchronously: a `RangeError` for a `maxAttempts` that is not an
 *   integer >= 1 (0, 1.5, NaN, Infinity) or a delay that is negative, not finite or over
 *   2**31 - 1; a `TypeError` for a non-function `fn` or callback.
 * - Once the promise settles, no timer or listener of `retry` is left behind.
 */
export function retry<T>(fn: (context: RetryContext) => PromiseLike<T> | T, options?: RetryOptions<T>): Promise<T> {
  if (typeof fn !== 'function') {
    throw new TypeError(`retry: fn must be a function, got ${typeof fn}`);
  }
  const settings = settingsOf(options);
  const callerSignal = options?.signal;
  // cockatiel would call fn with an already-aborted signal (RetryPolicy.js:58 has no check).
  if (callerSignal?.aborted) {
    return Promise.reject(callerSignal.reason);
  }
  return run(fn, settings, callerSignal);
}

/**
 * Validates `options` as `retry` does and returns them with the defaults filled in. Throws a
 * `RangeError` / `TypeError` synchronously; used by `retry` and, at construction, by `policy`.
 * @internal Not exported from the package.
 */
export function settingsOf<T>(options: RetryOptions<T> | undefined): Settings<T> {
  const maxAttempts = options?.maxAttempts ?? 3;
  if (typeof maxAttempts !== 'number' || !Number.isSafeInteger(maxAttempts) || maxAttempts < 1) {
    // cockatiel takes Infinity (its default! Policy.js:233) and does not validate: NaN or 0.5 make
    // `retries < maxAttempts` (RetryPolicy.js:62) false or true in ways nobody means.
    throw new RangeError(`retry: maxAttempts must be a finite integer >= 1, got ${String(maxAttempts)}`);
  }
  const settings: Settings<T> = {
    maxAttempts,
    initialDelayMs: options?.initialDelayMs ?? 100,
    maxDelayMs: options?.maxDelayMs ?? 10_000,
    maxRetryAfterMs: options?.maxRetryAfterMs ?? 60_000,
    isRetryable: options?.isRetryable ?? isRetryableError,
    shouldRetryResult: options?.shouldRetryResult ?? isRetryableResult,
    onRetry: options?.onRetry,
    random: options?.random ?? Math.random,
  };
  // Bounded by setTimeout's maximum, so that no computed wait can overflow into a 1 ms timer.
  checkDelay('retry', 'initialDelayMs', settings.initialDelayMs, MAX_TIMER_MS);
  checkDelay('retry', 'maxDelayMs', settings.maxDelayMs, MAX_TIMER_MS);
  checkDelay('retry', 'maxRetryAfterMs', settings.maxRetryAfterMs, MAX_TIMER_MS);
  checkFunction('isRetryable', settings.isRetryable);
  checkFunction('shouldRetryResult', settings.shouldRetryResult);
  checkFunction('onRetry', settings.onRetry);
  checkFunction('random', settings.random);

  return settings;
}

interface Settings<T> {
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly isRetryable: (error: unknown) => boolean;
  readonly shouldRetryResult: (value: T) => boolean;
  readonly onRetry: ((info: RetryInfo<T>) => void) | undefined;
  readonly random: () => number;
}

/** Carries an exception thrown by `shouldRetryResult` past cockatiel's error filter (see below). */
class PredicateError {
  constructor(readonly error: unknown) {}
}

async function run<T>(
  fn: (context: RetryContext) => PromiseLike<T> | T,
  settings: Settings<T>,
  callerSignal: AbortSignal | undefined,
): Promise<T> {
  // fn's signal is ours, linked to the caller's: one per call, so that no listener ever lands on
  // cockatiel's module-wide `neverAbortedSignal` (what RetryPolicy.js:54 passes without a signal),
  // and so that the link can be removed when the call settles.
  const controller = new AbortController();
  const signal = controller.signal;
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

  // Called as plain functions, not as methods of `settings`.
  const { isRetryable, shouldRetryResult, onRetry } = settings;
  /** When the next attempt is due (performance.now() time), set by the backoff below, awaited by `attempt`. */
  let nextAttemptAt: number | undefined;
  /** Whether the last value fn returned was one to retry (so not a success). */
  let lastValueRetryable = false;

  // cockatiel's RetryPolicy sleeps between attempts on a bare `setTimeout` (RetryPolicy.js:4-9 and
  // 66-70) that ignores the signal and cannot be cleared: an abort during a wait would leave that
  // timer running (up to maxDelayMs, or a minute of Retry-After) and, when it fires, cockatiel
  // calls fn once more (RetryPolicy.js:71 → 58). So our backoff computes the real delay but
  // hands cockatiel a duration of 0, and the wait happens at the start of the next attempt, in
  // `sleep`, which the signal cuts short and which clears its timer. The wait runs to a due time
  // fixed when the delay is decided, so cockatiel's zero-length timer (which Node, like fake
  // timers, stretches to 1 ms when set from a timer callback) comes out of the delay instead of
  // adding to it: the gap between attempts is the delay, not delay + 1 ms.
  const jitter = new ExponentialBackoff<number>({
    generator: fullJitterGenerator(settings.random),
    initialDelay: settings.initialDelayMs,
    maxDelay: settings.maxDelayMs,
    exponent: 2,
  });
  let jitterStep: IBackoff<unknown> | undefined;
  const backoff: IBackoff<IRetryBackoffContext<unknown>> = {
    duration: 0,
    next(context) {
      // cockatiel calls this once per retry, after deciding to retry and before its own timer
      // (RetryPolicy.js:63-66): the place to compute the delay, and to run onRetry so that if
      // onRetry throws, execute() rejects with no timer of cockatiel's created yet.
      jitterStep = jitterStep ? jitterStep.next(context) : jitter.next();
      const { result } = context;
      const failure = 'error' in result ? result.error : result.value;
      const retryAfterMs = retryAfterMsOf(failure);
      const honouredMs = retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, settings.maxRetryAfterMs);
      const delayMs = Math.floor(Math.max(jitterStep.duration, honouredMs));
      nextAttemptAt = performance.now() + delayMs;
      onRetry?.(
        'error' in result
          ? { attempt: context.attempt, delayMs, error: result.error }
          : { attempt: context.attempt, delayMs, value: result.value as T },
      );
      if (!('error' in result)) discardBody(result.value);
      return backoff;
    },
  };

  // eslint-disable-next-line resilience/no-unbounded-retry, resilience/require-backoff, resilience/require-jitter -- this is the bounded, jittered backoff: maxAttempts is validated in retry(), and `backoff` computes full jitter + Retry-After, slept in `attempt`; cockatiel itself is handed 0 ms (see above)
  const policy = cockatielRetry(
    // Nothing is retried once the caller has aborted, whatever the error (fetch's AbortError,
    // axios's CanceledError, or our own rejection with the caller's reason).
    handleWhen((error) => !(error instanceof PredicateError) && !signal.aborted && isRetryable(error)).orWhenResult(
      (value) => {
        // cockatiel runs the result filter inside the try whose catch runs the error filter
        // (Executor.js:37-50), so an exception from shouldRetryResult would be classified, and
        // maybe retried, as if fn had thrown it. Wrapped, it is refused above and unwrapped below.
        try {
          lastValueRetryable = Boolean(shouldRetryResult(value as T));
        } catch (error) {
          throw new PredicateError(error);
        }
        return lastValueRetryable;
      },
    ),
    // cockatiel's maxAttempts counts retries, not attempts: `retries < maxAttempts` with retries
    // starting at 0 (RetryPolicy.js:57-62), so maxAttempts: 3 makes 4 calls.
    { maxAttempts: settings.maxAttempts - 1, backoff },
  );

  const attempt = async ({ attempt: index }: IRetryContext): Promise<T> => {
    if (nextAttemptAt !== undefined) {
      const remainingMs = Math.ceil(nextAttemptAt - performance.now());
      nextAttemptAt = undefined;
      // cockatiel starts the next attempt even if the signal aborted meanwhile (RetryPolicy.js:70-71
      // → 58). `sleep` rejects if it is aborted already, so no attempt starts after an abort. (The
      // first attempt runs synchronously, after `retry` has checked the signal.)
      await sleep(remainingMs, signal);
    }
    // cockatiel passes the signal of execute() on unchanged (RetryPolicy.js:58), i.e. ours.
    return untilAborted(fn({ attempt: index, signal }), signal);
  };

  try {
    const value = await policy.execute(attempt, signal);
    // cockatiel resolves with a retryable value when it stops because the signal aborted
    // (RetryPolicy.js:62 → 77); an abort is a rejection here.
    if (signal.aborted && lastValueRetryable) throw signal.reason;
    return value;
  } catch (error) {
    // Once the caller has aborted, that reason is the outcome, whatever fn rejected with.
    if (signal.aborted) throw signal.reason;
    if (error instanceof PredicateError) throw error.error;
    throw error;
  } finally {
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}

/**
 * cockatiel's own `fullJitterGenerator` has the same formula but calls `Math.random` directly and
 * floors the result (ExponentialBackoffGenerators.js:11-14); this one takes `random`, for tests.
 */
function fullJitterGenerator(random: () => number): GeneratorFn<number> {
  return (retryIndex = 0, options) => [
    fullJitterDelay(retryIndex, options.initialDelay, options.maxDelay, random),
    retryIndex + 1,
  ];
}

/**
 * A retried fetch `Response` is dropped. Cancelling its body lets undici release the connection
 * now rather than when the garbage collector finds it. Best effort: a body that is locked (onRetry
 * started reading it) or already used is left alone.
 */
function discardBody(value: unknown): void {
  try {
    if (typeof value !== 'object' || value === null) return;
    const { body, bodyUsed } = value as { body?: unknown; bodyUsed?: unknown };
    if (bodyUsed === true || typeof body !== 'object' || body === null) return;
    const { cancel, locked } = body as { cancel?: unknown; locked?: unknown };
    if (locked === true || typeof cancel !== 'function') return;
    Promise.resolve(cancel.call(body)).catch(() => {});
  } catch {
    // Not a Response after all; nothing to release.
  }
}
