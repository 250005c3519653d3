/**
 * `policy`: the package's helpers composed in the one order that makes each of them work.
 *
 *   caller → fallback → bulkhead → retry → circuit breaker → timeout (per attempt) → chaos → fn
 *
 * - The fallback is outermost: it answers for the whole operation once every other layer has given up
 *   (the retries are spent, the breaker is open, the bulkhead is full), on cockatiel's `fallback`. The
 *   caller's own abort is not a failure to degrade from: it still rejects with the caller's reason.
 * - The bulkhead is outermost. It limits concurrent *operations*: a retrying operation keeps its
 *   slot through its waits and attempts (otherwise each retry would queue behind new work and the
 *   limit would count attempts, not operations), and a full bulkhead sheds the load before any
 *   attempt is made.
 * - The retry comes next, and the breaker inside it, so the breaker sees every attempt: repeated
 *   failures of one operation count towards opening it. An open breaker's `BrokenCircuitError`
 *   is not retried (nothing was called, and the breaker is open precisely so that nothing is).
 * - The timeout comes next: each attempt gets its own deadline, its signal reaches `fn`, and a
 *   timed-out attempt is a failure the breaker counts and the retry retries.
 * - Chaos, when enabled, is innermost (as Polly places its chaos strategies): an injected fault,
 *   latency or outcome stands for the dependency's own, so every other layer meets it as it would
 *   meet the real failure (the deadline cuts injected latency; the retry retries an injected reset).
 *
 * This is cockatiel's `wrap(bulkhead, retry, breaker, timeout)` (Policy.js:199-212), built from
 * this package's helpers instead of cockatiel's policies, which each wrap cockatiel's for reasons
 * given in their own files.
 */
import { fallback as cockatielFallback, handleWhen } from 'cockatiel';
import type { Bulkhead } from './bulkhead.ts';
import type { Chaos } from './chaos.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { retry, settingsOf, type RetryOptions } from './retry.ts';
import { isPolicyRejection, isRetryableError } from './retryable.ts';
import { invoke, neverAborted, untilAborted } from './signals.ts';
import { withTimeout } from './timeout.ts';

/** The largest delay `setTimeout` honours, as in `withTimeout`. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface PolicyOptions<T = unknown> {
  /** A deadline for each attempt, in ms (`withTimeout`). Default: none. */
  readonly timeoutMs?: number | undefined;
  /**
   * How to retry (`retry`'s options; its default when omitted: 3 attempts), or `false` for a single
   * attempt. `retry.signal` is refused: pass the signal to `execute()`, per call.
   */
  readonly retry?: RetryOptions<T> | false | undefined;
  /** The breaker of the dependency, shared by every call to it (`circuitBreaker()`). Default: none. */
  readonly circuitBreaker?: CircuitBreaker | undefined;
  /** The bulkhead of the dependency, shared by every call to it (`bulkhead()`). Default: none. */
  readonly bulkhead?: Bulkhead | undefined;
  /**
   * What to answer when the operation fails for good (the retries are spent, the breaker is open, the
   * bulkhead is full, the last attempt timed out): a cached value, a default, a degraded answer. It gets
   * the error that ended the operation; what it returns (or throws) is the call's outcome. Not called
   * when the caller's own signal aborts. Default: none (the error is the outcome).
   */
  readonly fallback?: ((error: unknown) => T | PromiseLike<T>) | undefined;
  /**
   * Failures injected on purpose, innermost (`chaos()`): to test the other layers. Skipped entirely
   * when the chaos policy is off (`chaos.enabled` false). Default: none.
   */
  readonly chaos?: Chaos<T> | undefined;
}

/** What `fn` receives, per attempt. */
export interface PolicyContext {
  /** This attempt's signal: aborted at the attempt's deadline or when the caller aborts. Pass it on. */
  readonly signal: AbortSignal;
  /** 0 for the first attempt, 1 for the first retry, and so on. */
  readonly attempt: number;
}

export interface Policy<T = unknown> {
  /**
   * Runs `fn` through the bulkhead, the retries, the breaker and the per-attempt deadline.
   * `signal` aborting rejects at once with its reason, whichever layer the call is in.
   */
  execute<R extends T = T>(fn: (context: PolicyContext) => PromiseLike<R> | R, signal?: AbortSignal): Promise<R>;
}

/**
 * Composes the given layers, in this order from the outside in: fallback, bulkhead, retry, circuit
 * breaker, per-attempt timeout, chaos. Layers that are not given are skipped; `retry` is on (with its defaults)
 * unless it is `false`.
 *
 * The breaker and the bulkhead are passed in, not created: they hold state that every call to
 * the dependency must share, so create them once, next to the policy, at module level.
 *
 * Everything is validated here, synchronously: a `RangeError` for a `timeoutMs` that is not a
 * finite number in (0, 2**31 - 1] or for bad `retry` options (as `retry` would throw them), a
 * `TypeError` for a `circuitBreaker` / `bulkhead` without an `execute` method, a `retry` that is
 * not an object or `false`, or a `retry.signal`.
 */
export function policy<T = unknown>(options: PolicyOptions<T>): Policy<T> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`policy: options must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  const { timeoutMs, circuitBreaker, bulkhead } = options;
  if (
    timeoutMs !== undefined &&
    (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS)
  ) {
    throw new RangeError(
      `policy: timeoutMs must be a finite number of milliseconds greater than 0 and at most ${MAX_TIMEOUT_MS} (2**31 - 1), got ${String(timeoutMs)}`,
    );
  }
  checkExecutor('circuitBreaker', circuitBreaker);
  checkExecutor('bulkhead', bulkhead);
  checkExecutor('chaos', options.chaos);
  // Off for good, chaos costs nothing: the layer is not added.
  const injector = options.chaos?.enabled ? options.chaos : undefined;
  const { fallback } = options;
  if (fallback !== undefined && typeof fallback !== 'function') {
    throw new TypeError(`policy: fallback must be a function that returns the answer, got ${fallback === null ? 'null' : typeof fallback}`);
  }
  const retryOptions = options.retry ?? {};
  if (retryOptions !== false) {
    if (typeof retryOptions !== 'object' || retryOptions === null) {
      throw new TypeError(`policy: retry must be an object of retry options or false, got ${String(retryOptions)}`);
    }
    if (retryOptions.signal !== undefined) {
      throw new TypeError('policy: retry.signal is not supported; pass the signal to execute(fn, signal), per call');
    }
    settingsOf(retryOptions); // throws what retry() would, now rather than at the first call
  }
  // Rejections by a breaker or bulkhead are never retried, whatever `isRetryable` says.
  const isRetryable = retryOptions === false ? isRetryableError : (retryOptions.isRetryable ?? isRetryableError);
  const retryable = (error: unknown): boolean => !isPolicyRejection(error) && isRetryable(error);

  return {
    execute<R extends T = T>(fn: (context: PolicyContext) => PromiseLike<R> | R, signal?: AbortSignal): Promise<R> {
      if (typeof fn !== 'function') {
        throw new TypeError(`policy: fn must be a function, got ${typeof fn}`);
      }
      if (signal?.aborted) return Promise.reject(signal.reason);
      const callerSignal = signal ?? neverAborted();

      /** One attempt: through the breaker, under the deadline. */
      const attempt = (index: number, attemptSignal: AbortSignal): PromiseLike<R> | R => {
        const call = (callSignal: AbortSignal): PromiseLike<R> | R =>
          injector
            ? injector.execute<R>(({ signal: s }) => fn({ signal: s, attempt: index }), callSignal)
            : invoke(fn, { signal: callSignal, attempt: index });
        const run = (runSignal: AbortSignal): PromiseLike<R> | R =>
          timeoutMs === undefined ? call(runSignal) : withTimeout(timeoutMs, call, { signal: runSignal });
        return circuitBreaker ? circuitBreaker.execute(({ signal: s }) => run(s), attemptSignal) : run(attemptSignal);
      };
      /** The whole operation: every attempt, and the waits between them. */
      const operation = (operationSignal: AbortSignal): PromiseLike<R> | R =>
        retryOptions === false
          ? attempt(0, operationSignal)
          : retry<R>(({ attempt: index, signal: s }) => attempt(index, s), {
              ...(retryOptions as RetryOptions<R>),
              isRetryable: retryable,
              signal: operationSignal,
            });
      const guarded = (): Promise<R> => {
        const result = bulkhead ? bulkhead.execute(({ signal: s }) => operation(s), callerSignal) : invoke(operation, callerSignal);
        // Every layer already rejects at once on abort; with none but fn itself, this does.
        return untilAborted(result, callerSignal);
      };
      if (!fallback) return guarded();
      // cockatiel's fallback answers for every failure but the caller's abort; it calls its factory
      // without the error, so the error is kept here for the user's fallback.
      let failure: unknown;
      const degrade = cockatielFallback(handleWhen(() => !callerSignal.aborted), () => fallback(failure) as R | Promise<R>);
      return degrade.execute(() => guarded().catch((error: unknown) => {
        failure = error;
        throw error;
      }));
    },
  };
}

function checkExecutor(name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || typeof (value as { execute?: unknown }).execute !== 'function') {
    throw new TypeError(`policy: ${name} must be the object ${name}() returns (with an execute method), got ${String(value)}`);
  }
}
