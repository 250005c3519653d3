/**
 * `circuitBreaker`: stop calling a dependency that keeps failing, fail fast instead, and after a
 * pause let one call through to find out whether it has recovered.
 *
 * Built on cockatiel's `circuitBreaker(handleWhen(...).orWhenResult(...), { halfOpenAfter, breaker })`,
 * which supplies the state machine (closed → open → half-open → closed or open again, and
 * `isolate()`), the open-state check and, for `{ consecutive: n }`, the `ConsecutiveBreaker`.
 * Where cockatiel's behaviour does not match the contract, this file wraps it; each place says why
 * (cockatiel 4.0.0, `dist/CircuitBreakerPolicy.js`, `dist/breaker/*.js`, `dist/common/Executor.js`).
 *
 * There is no timer. cockatiel does not schedule the move from open to half-open: the first call
 * after `halfOpenAfterMs` makes it (CircuitBreakerPolicy.js:166-182 compares `Date.now()` with the
 * time the breaker opened). An open breaker therefore never keeps the process alive, and `state`
 * reads `'open'` until that call arrives (as in Resilience4j, whose automatic transition is off by
 * default).
 */
import {
  BrokenCircuitError as CockatielBrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  IsolatedCircuitError,
  circuitBreaker as cockatielCircuitBreaker,
  handleWhen,
  type IBreaker,
} from 'cockatiel';
import { isRetryableError, isRetryableResult } from './retryable.ts';
import { invoke, neverAborted, untilAborted } from './signals.ts';

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

/** Open after `consecutive` failures in a row. */
export interface ConsecutiveBreakerOptions {
  /** An integer >= 1. */
  readonly consecutive: number;
}

/** Open when more than `threshold` of the calls in the last `durationMs` failed, given enough calls. */
export interface SamplingBreakerOptions {
  /** The failure ratio that must be exceeded, strictly between 0 and 1. */
  readonly threshold: number;
  /** The length of the sliding window, in ms (> 0). */
  readonly durationMs: number;
  /**
   * The throughput below which the breaker does not open, in calls per second averaged over the
   * window: it opens only once the window holds at least `durationMs / 1000 * minimumRps` calls.
   * A finite number >= 0. Default `5 / threshold` (cockatiel's: 5 failing calls per second).
   */
  readonly minimumRps?: number | undefined;
}

export interface CircuitBreakerOptions {
  /** How long the breaker stays open before a call may probe the dependency, in ms. Default 10_000. */
  readonly halfOpenAfterMs?: number | undefined;
  /** When to open. Default `{ consecutive: 5 }`. */
  readonly breaker?: ConsecutiveBreakerOptions | SamplingBreakerOptions | undefined;
  /**
   * Which errors count as failures of the dependency. Default `isRetryableError` (network errors,
   * timeouts, 408 / 429 / 5xx): a 404 is the caller's problem, not the dependency's.
   */
  readonly isFailure?: ((error: unknown) => boolean) | undefined;
  /**
   * Which returned values count as failures (the call still resolves with them). Default: a
   * Response-like value with status 408, 429 or 5xx other than 501 / 505, as `retry` retries;
   * `fetch` resolves with a 503 rather than rejecting.
   */
  readonly isFailureResult?: ((value: unknown) => boolean) | undefined;
  /**
   * Called synchronously on every change of state. If it throws, the breaker and the call are
   * unaffected and the exception is rethrown from a microtask, as an uncaught exception (as Node
   * does for an exception thrown by an AbortSignal listener).
   */
  readonly onStateChange?: ((state: BreakerState) => void) | undefined;
}

/** What `fn` receives. */
export interface BreakerContext {
  /** The caller's signal (a never-aborted one if none was given); pass it on to the work. */
  readonly signal: AbortSignal;
}

export interface CircuitBreaker {
  /**
   * Runs `fn` if the breaker lets it through; otherwise rejects with a `BrokenCircuitError`
   * without calling it. `signal` aborting rejects the call at once with its reason.
   */
  execute<T>(fn: (context: BreakerContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T>;
  /** The current state. `'open'` until the first call after `halfOpenAfterMs` (no timer moves it). */
  readonly state: BreakerState;
  /** Holds the breaker open (`'isolated'`) until every handle is disposed; then it is closed, with its counts reset. */
  isolate(): { dispose(): void };
}

/**
 * The rejection of a call the breaker did not let through; `fn` was not called. Extends
 * cockatiel's `BrokenCircuitError`, so `instanceof` and cockatiel's `isBrokenCircuitError()` hold
 * in code that already handles cockatiel's, and adds what cockatiel's lacks: a `name` (cockatiel's
 * is `'Error'`), the `state` that refused the call, and as `cause` the latest failure when the
 * breaker is open or half-open.
 */
export class BrokenCircuitError extends CockatielBrokenCircuitError {
  override readonly name = 'BrokenCircuitError';
  /** `'open'`, `'half-open'` (a probe call is running) or `'isolated'` (held open by `isolate()`). */
  readonly state: Exclude<BreakerState, 'closed'>;

  constructor(state: Exclude<BreakerState, 'closed'>, options?: { readonly cause?: unknown }) {
    super(MESSAGES[state]);
    this.state = state;
    if (options && 'cause' in options) {
      // Like `new Error(message, { cause })`, which cockatiel's constructor does not take.
      Object.defineProperty(this, 'cause', { value: options.cause, writable: true, configurable: true });
    }
  }
}

const MESSAGES: Readonly<Record<Exclude<BreakerState, 'closed'>, string>> = {
  open: 'Circuit breaker is open: the call was not made',
  'half-open': 'Circuit breaker is half-open and its probe call is still running: the call was not made',
  isolated: 'Circuit breaker is isolated (held open by isolate()): the call was not made',
};

const STATES: Readonly<Record<CircuitState, BreakerState>> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/** The most sampling buckets a window is cut into (cockatiel: one per second, unbounded). */
const MAX_BUCKETS = 60;

/**
 * A circuit breaker: closed (calls run; failures are counted), open (calls are rejected with a
 * `BrokenCircuitError` without running), half-open (the first call after `halfOpenAfterMs` runs
 * as a probe, and other calls are rejected until it settles: a success closes the breaker, a
 * failure opens it again for another `halfOpenAfterMs`), isolated (held open by `isolate()`).
 *
 * Create one per dependency, once (at module level), and run every call to that dependency
 * through it: a breaker created per call never sees more than one failure.
 *
 * Options are validated synchronously: a `RangeError` for a `halfOpenAfterMs` that is not a finite
 * number > 0, a `consecutive` that is not an integer >= 1, a `threshold` outside (0, 1), a
 * `durationMs` that is not a finite number > 0 or a `minimumRps` that is not a finite number >= 0;
 * a `TypeError` for a callback that is not a function or a `breaker` of neither shape.
 */
export function circuitBreaker(options?: CircuitBreakerOptions): CircuitBreaker {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`circuitBreaker: options must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  const halfOpenAfterMs = options?.halfOpenAfterMs ?? 10_000;
  if (typeof halfOpenAfterMs !== 'number' || !Number.isFinite(halfOpenAfterMs) || halfOpenAfterMs <= 0) {
    // cockatiel validates nothing: 0 or a negative number would make every call after the one that
    // opened the breaker a probe (CircuitBreakerPolicy.js:167), NaN would keep it open for ever.
    throw new RangeError(
      `circuitBreaker: halfOpenAfterMs must be a finite number of milliseconds greater than 0, got ${String(halfOpenAfterMs)}`,
    );
  }
  const isFailure = options?.isFailure ?? isRetryableError;
  const isFailureResult = options?.isFailureResult ?? isRetryableResult;
  const onStateChange = options?.onStateChange;
  checkFunction('isFailure', isFailure);
  checkFunction('isFailureResult', isFailureResult);
  checkFunction('onStateChange', onStateChange);
  const counter = makeCounter(options?.breaker);

  const policy = cockatielCircuitBreaker(
    // Every outcome reaches cockatiel boxed, judged by `attempt` below with what only the call
    // knows (whether the caller aborted, whether it was the probe), so the filters just read the box.
    handleWhen((error) => error instanceof Outcome && error.counts).orWhenResult(
      (result) => result instanceof Settled && result.failed,
    ),
    // halfOpenSampling is left at its default, { calls: 1, threshold: 0 }: one probe, which must succeed.
    { halfOpenAfter: halfOpenAfterMs, breaker: counter.breaker },
  );

  let previous = CircuitState.Closed;
  policy.onStateChange((next) => {
    // Leaving isolation, cockatiel goes straight to closed with the counts as they were
    // (CircuitBreakerPolicy.js:133-136); after an isolation from open, that is a full count, so
    // the next single failure would open the breaker again. Start afresh instead.
    if (previous === CircuitState.Isolated && next === CircuitState.Closed) counter.reset();
    previous = next;
    if (onStateChange) notify(onStateChange, STATES[next]);
  });

  /** The latest failure, for a BrokenCircuitError's cause (unboxed: cockatiel stores what it was given). */
  const latestFailure = (): { cause?: unknown } => {
    const failure = policy.lastFailure;
    if (failure === undefined) return {};
    if ('error' in failure) return { cause: failure.error instanceof Outcome ? failure.error.error : failure.error };
    return { cause: failure.value instanceof Settled ? failure.value.value : failure.value };
  };

  async function run<T>(fn: (context: BreakerContext) => PromiseLike<T> | T, signal: AbortSignal): Promise<T> {
    const attempt = async (): Promise<Settled<T>> => {
      // cockatiel has already moved to half-open when it calls this for the probe (CircuitBreakerPolicy.js:179-182).
      const probe = policy.state === CircuitState.HalfOpen;
      let value: T;
      try {
        // cockatiel passes fn its own signal, the module-wide neverAbortedSignal when execute()
        // gets none (CircuitBreakerPolicy.js:149); fn gets the caller's instead.
        value = await untilAborted(invoke(fn, { signal }), signal);
      } catch (error) {
        // The caller gave up: that says nothing about the dependency, so it is not counted,
        // except for a probe. cockatiel has no neutral outcome in half-open (an uncounted error
        // closes the breaker, CircuitBreakerPolicy.js:205-209), and closing on no evidence would
        // let the full load through to a dependency that may still be down: reopen instead.
        if (signal.aborted) throw new Outcome(signal.reason, probe);
        throw new Outcome(error, judge(isFailure, error));
      }
      return new Settled(value, judge(isFailureResult, value));
    };
    try {
      return (await policy.execute(attempt)).value;
    } catch (error) {
      if (error instanceof Outcome) throw error.error;
      // Thrown by cockatiel without calling fn: the breaker is open or isolated (IsolatedCircuitError
      // extends BrokenCircuitError). An error from fn is always boxed, so a BrokenCircuitError of
      // another breaker that fn called has passed through above, unchanged.
      if (error instanceof CockatielBrokenCircuitError) {
        throw error instanceof IsolatedCircuitError
          ? new BrokenCircuitError('isolated')
          : new BrokenCircuitError('open', latestFailure());
      }
      throw error;
    }
  }

  return {
    execute<T>(fn: (context: BreakerContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
      if (typeof fn !== 'function') {
        throw new TypeError(`circuitBreaker: fn must be a function, got ${typeof fn}`);
      }
      // Before the breaker is consulted: a cancelled call neither probes nor counts.
      if (signal?.aborted) return Promise.reject(signal.reason);
      // cockatiel lets one probe run in half-open and makes every other call *wait* for its outcome,
      // then run (CircuitBreakerPolicy.js:193-198), ignoring their signals meanwhile: if the probe
      // hangs, so does every caller. Reject them at once instead, as an open breaker would.
      if (policy.state === CircuitState.HalfOpen) {
        return Promise.reject(new BrokenCircuitError('half-open', latestFailure()));
      }
      return run(fn, signal ?? neverAborted());
    },
    get state(): BreakerState {
      return STATES[policy.state];
    },
    isolate(): { dispose(): void } {
      const handle = policy.isolate();
      return { dispose: () => handle.dispose() };
    },
  };
}

/** A call's error, with whether it counts as a failure of the dependency. */
class Outcome {
  constructor(
    readonly error: unknown,
    readonly counts: boolean,
  ) {}
}

/** A call's value, with whether it counts as a failure of the dependency. */
class Settled<T> {
  constructor(
    readonly value: T,
    readonly failed: boolean,
  ) {}
}

/**
 * Applies `isFailure` / `isFailureResult`. An exception from it becomes the call's outcome, counted
 * as a failure: a dependency the breaker cannot vouch for is not one to keep calling. (Left to
 * cockatiel, a throwing result filter would go through the error filter, Executor.js:96-109, and
 * in half-open an exception from either would count as a success, CircuitBreakerPolicy.js:205-209.)
 */
function judge(predicate: (subject: unknown) => boolean, subject: unknown): boolean {
  try {
    return Boolean(predicate(subject));
  } catch (error) {
    throw new Outcome(error, true);
  }
}

function notify(onStateChange: (state: BreakerState) => void, state: BreakerState): void {
  try {
    onStateChange(state);
  } catch (error) {
    // cockatiel calls its listeners in the middle of its transitions (CircuitBreakerPolicy.js:180-182:
    // after entering half-open, before running the probe), so an exception escaping here would
    // reject an unrelated call or strand the probe. Report it without disturbing either.
    queueMicrotask(() => {
      throw error;
    });
  }
}

function checkFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`circuitBreaker: ${name} must be a function, got ${typeof value}`);
  }
}

interface Counter {
  readonly breaker: IBreaker;
  /** Forgets every recorded call. */
  reset(): void;
}

function makeCounter(options: CircuitBreakerOptions['breaker']): Counter {
  if (options === undefined) return consecutive(5);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`circuitBreaker: breaker must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  const isConsecutive = 'consecutive' in options;
  if (isConsecutive === 'threshold' in options) {
    throw new TypeError(
      'circuitBreaker: breaker must be either { consecutive } or { threshold, durationMs, minimumRps? }, not both or neither',
    );
  }
  if (isConsecutive) {
    const n = options.consecutive;
    // cockatiel's ConsecutiveBreaker does not validate: 0 (or NaN, never reached) would open on the first failure.
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
      throw new RangeError(`circuitBreaker: breaker.consecutive must be an integer >= 1, got ${String(n)}`);
    }
    return consecutive(n);
  }
  const { threshold, durationMs, minimumRps } = options;
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold < 1)) {
    throw new RangeError(`circuitBreaker: breaker.threshold must be a number strictly between 0 and 1, got ${String(threshold)}`);
  }
  if (typeof durationMs !== 'number' || !Number.isFinite(durationMs) || durationMs <= 0) {
    throw new RangeError(
      `circuitBreaker: breaker.durationMs must be a finite number of milliseconds greater than 0, got ${String(durationMs)}`,
    );
  }
  if (minimumRps !== undefined && (typeof minimumRps !== 'number' || !Number.isFinite(minimumRps) || minimumRps < 0)) {
    // (cockatiel's SamplingBreaker reads 0 as "use the default", SamplingBreaker.js:71.)
    throw new RangeError(`circuitBreaker: breaker.minimumRps must be a finite number >= 0, got ${String(minimumRps)}`);
  }
  const breaker = new SlidingWindowBreaker(threshold, durationMs, minimumRps ?? 5 / threshold);
  return { breaker, reset: () => breaker.reset() };
}

function consecutive(n: number): Counter {
  const breaker = new ConsecutiveBreaker(n);
  return {
    breaker,
    reset: () => {
      breaker.state = 0; // its whole state: the failures in a row (ConsecutiveBreaker.js:6, 17-24)
    },
  };
}

/**
 * cockatiel's `IBreaker` for `{ threshold, durationMs, minimumRps }`, counting calls in a window
 * that slides with time. cockatiel's own `SamplingBreaker` has the same parameters and rule but
 * rotates at most one of its sub-windows per recorded call (SamplingBreaker.js:130-135 → 122-128):
 * after a quiet spell, calls from long before the window are still counted (9 failures, 10 minutes
 * of silence, then 1 success and 2 failures open a 10 s, minimumRps 1 breaker). Here each call
 * first expires every bucket that has left the window.
 *
 * The window is cut into `clamp(ceil(durationMs / 1000), 5, 60)` buckets (cockatiel: at least 5,
 * at most 1 s each); a call leaves the window between `durationMs - bucket` and `durationMs`
 * after it was recorded. Time is `performance.now()`, which does not jump with the wall clock.
 */
class SlidingWindowBreaker implements IBreaker {
  readonly #threshold: number;
  readonly #minimumCalls: number;
  readonly #bucketMs: number;
  readonly #failures: number[];
  readonly #successes: number[];
  /** The bucket of the latest recorded call: `floor(performance.now() / bucketMs)`. */
  #newest = Number.NEGATIVE_INFINITY;
  #totalFailures = 0;
  #totalSuccesses = 0;

  constructor(threshold: number, durationMs: number, minimumRps: number) {
    const buckets = Math.min(MAX_BUCKETS, Math.max(5, Math.ceil(durationMs / 1000)));
    this.#threshold = threshold;
    this.#bucketMs = durationMs / buckets;
    this.#minimumCalls = (durationMs / 1000) * minimumRps;
    this.#failures = new Array<number>(buckets).fill(0);
    this.#successes = new Array<number>(buckets).fill(0);
  }

  /** For cockatiel's `toJSON()` / `initialState`, which this package does not use. */
  get state(): unknown {
    return {
      newest: this.#newest,
      failures: [...this.#failures],
      successes: [...this.#successes],
    };
  }

  set state(value: unknown) {
    const { newest, failures, successes } = value as { newest: number; failures: number[]; successes: number[] };
    this.#newest = newest;
    this.#failures.splice(0, this.#failures.length, ...failures);
    this.#successes.splice(0, this.#successes.length, ...successes);
    this.#totalFailures = failures.reduce((a, b) => a + b, 0);
    this.#totalSuccesses = successes.reduce((a, b) => a + b, 0);
  }

  success(state: CircuitState): void {
    // A successful probe closes the breaker: start afresh, as cockatiel's SamplingBreaker does
    // (SamplingBreaker.js:83-87), or the failures that opened it would reopen it at once.
    if (state === CircuitState.HalfOpen) this.reset();
    this.#record(true);
  }

  failure(state: CircuitState): boolean {
    this.#record(false);
    // A failed probe: cockatiel reopens the breaker whatever this returns (CircuitBreakerPolicy.js:262-264
    // ignore it); answer as its own breakers do.
    if (state !== CircuitState.Closed) return true;
    const total = this.#totalFailures + this.#totalSuccesses;
    return total >= this.#minimumCalls && this.#totalFailures > this.#threshold * total;
  }

  reset(): void {
    this.#failures.fill(0);
    this.#successes.fill(0);
    this.#totalFailures = 0;
    this.#totalSuccesses = 0;
  }

  #record(success: boolean): void {
    const bucket = Math.floor(performance.now() / this.#bucketMs);
    this.#expire(bucket);
    const slot = bucket % this.#failures.length;
    if (success) {
      this.#successes[slot] = (this.#successes[slot] ?? 0) + 1;
      this.#totalSuccesses++;
    } else {
      this.#failures[slot] = (this.#failures[slot] ?? 0) + 1;
      this.#totalFailures++;
    }
  }

  /** Empties the buckets that `bucket` and those before it since the latest call take over. */
  #expire(bucket: number): void {
    if (bucket <= this.#newest) return;
    const count = this.#failures.length;
    const steps = Math.min(bucket - this.#newest, count);
    for (let i = bucket - steps + 1; i <= bucket; i++) {
      const slot = i % count;
      this.#totalFailures -= this.#failures[slot] ?? 0;
      this.#totalSuccesses -= this.#successes[slot] ?? 0;
      this.#failures[slot] = 0;
      this.#successes[slot] = 0;
    }
    this.#newest = bucket;
  }
}
