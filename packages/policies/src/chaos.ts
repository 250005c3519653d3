/**
 * `chaos`: controlled failures, injected on purpose, to prove that the other policies work before a
 * real incident does. Polly's chaos strategies (fault, latency, outcome, behavior) for TypeScript:
 *
 * - a **fault**: the call rejects with an error instead of running (by default an `InjectedFaultError`
 *   with code `ECONNRESET`, which `retry` retries as it would a dropped connection);
 * - **latency**: the call waits before it runs; the wait ends early, with the signal's reason, when
 *   the attempt's deadline or the caller aborts (so `withTimeout` cuts it as it would a slow server);
 * - an **outcome**: the call answers with a value instead of running (a 503 `Response`, say);
 * - a **behavior**: something runs before the call (drop a cache, kill a connection pool).
 *
 * Each happens at its own rate, decided per call by a seeded random source: the same seed and the
 * same calls replay the same injections, so a failing test can be run again exactly. Chaos is off
 * unless enabled, by `enabled` or the `RESILIENCE_CHAOS` environment variable; off, `policy()` does
 * not add it at all.
 *
 * The random source is pure-rand's xoroshiro128+ (fast-check's generator), read as 53-bit floats.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { invoke, sleep, untilAborted } from './signals.ts';

/** The largest delay `setTimeout` honours, as in `withTimeout`. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Seeds are 32-bit: what xoroshiro128+ is seeded with. */
const MAX_SEED = 2 ** 32 - 1;

/** The environment variable that turns chaos on when `enabled` is not given: `1`, `true`, `on` or `yes`. */
export const CHAOS_ENV = 'RESILIENCE_CHAOS';
/** The environment variable that gives the seed when `seed` is not: an integer in [0, 2**32 - 1]. */
export const CHAOS_SEED_ENV = 'RESILIENCE_CHAOS_SEED';

/** The error a fault injects unless told otherwise: a connection reset, as Node reports one. */
export class InjectedFaultError extends Error {
  override readonly name = 'InjectedFaultError';
  readonly code = 'ECONNRESET';

  constructor(message = 'chaos: injected fault (connection reset)') {
    super(message);
  }
}

/** What a chaos strategy's generator receives. */
export interface ChaosContext {
  /** The call's signal (the attempt's deadline, inside `policy()`). */
  readonly signal: AbortSignal;
  /** Which call to this chaos policy this is: 0 for the first. */
  readonly call: number;
}

export interface ChaosOptions<T = unknown> {
  /**
   * Whether anything is injected: a boolean, or a function asked at every call (a feature flag).
   * Default: the `RESILIENCE_CHAOS` environment variable is `1`, `true`, `on` or `yes` (read once, here).
   */
  readonly enabled?: boolean | (() => boolean) | undefined;
  /**
   * The random source's seed, an integer in [0, 2**32 - 1]: the same seed replays the same
   * injections. Default: `RESILIENCE_CHAOS_SEED`, else a random one (read it back from `.seed`).
   */
  readonly seed?: number | undefined;
  /** Reject instead of running, at `rate` (0 to 1). `error` makes the error (default `InjectedFaultError`). */
  readonly fault?: { readonly rate: number; readonly error?: ((context: ChaosContext) => unknown) | undefined } | undefined;
  /** Wait `ms` before running, at `rate` (0 to 1). */
  readonly latency?: { readonly rate: number; readonly ms: number | ((context: ChaosContext) => number) } | undefined;
  /** Answer `value(context)` instead of running, at `rate` (0 to 1). */
  readonly outcome?: { readonly rate: number; readonly value: (context: ChaosContext) => T | PromiseLike<T> } | undefined;
  /** Run `run(context)` before the call, at `rate` (0 to 1); what it throws is the call's outcome. */
  readonly behavior?: { readonly rate: number; readonly run: (context: ChaosContext) => unknown } | undefined;
  /** Told of each injection as it happens (to log it, or to count it in a test). */
  readonly onInjection?: ((injection: ChaosInjection) => void) | undefined;
}

export type ChaosKind = 'behavior' | 'latency' | 'fault' | 'outcome';

export interface ChaosInjection {
  readonly kind: ChaosKind;
  /** Which call to the chaos policy it happened in (0 for the first). */
  readonly call: number;
  /** The injected wait, for latency. */
  readonly ms?: number;
}

export interface Chaos<T = unknown> {
  /** False when chaos is off for good (`enabled: false`, or no environment variable): `execute` only runs `fn`. */
  readonly enabled: boolean;
  /** The seed in use: print it with a failing test and pass it back as `seed` to replay the run. */
  readonly seed: number;
  /**
   * Runs `fn`, or instead injects what the draws for this call say, in this order: the behavior,
   * the latency, then a fault or (if no fault) an outcome. Every configured strategy draws once per
   * call, whatever happens, so the n-th call gets the same draws however the earlier ones ended.
   * `signal` aborting rejects at once with its reason, during an injected wait as anywhere else.
   */
  execute<R extends T = T>(fn: (context: { readonly signal: AbortSignal }) => PromiseLike<R> | R, signal?: AbortSignal): Promise<R>;
}

/** The order in which strategies draw and act within one call. */
const ORDER: readonly ChaosKind[] = ['behavior', 'latency', 'fault', 'outcome'];

/**
 * Creates a chaos policy. Pass it to `policy({ chaos })`, where it runs innermost, inside the
 * per-attempt deadline, as the dependency itself would fail; or call its `execute` directly.
 *
 * Everything is validated here, synchronously: a `RangeError` for a rate outside [0, 1], a latency
 * outside [0, 2**31 - 1] ms or a seed outside [0, 2**32 - 1] (from the option or the environment), a
 * `TypeError` for a generator that is not a function or an environment value that is not one of
 * the accepted words.
 */
export function chaos<T = unknown>(options: ChaosOptions<T> = {}): Chaos<T> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`chaos: options must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  const { fault, latency, outcome, behavior, onInjection } = options;
  checkRate('fault', fault);
  checkRate('latency', latency);
  checkRate('outcome', outcome);
  checkRate('behavior', behavior);
  if (fault?.error !== undefined) checkFunction('fault.error', fault.error);
  if (latency !== undefined && typeof latency.ms !== 'function') checkMs(latency.ms);
  if (outcome !== undefined) checkFunction('outcome.value', outcome.value);
  if (behavior !== undefined) checkFunction('behavior.run', behavior.run);
  if (onInjection !== undefined) checkFunction('onInjection', onInjection);
  const enabled = options.enabled ?? enabledFromEnvironment();
  if (typeof enabled !== 'boolean') checkFunction('enabled', enabled);
  const seed = options.seed ?? seedFromEnvironment() ?? Math.floor(Math.random() * (MAX_SEED + 1));
  checkSeed(seed, 'seed');

  const strategies = ORDER.filter((kind) => ({ behavior, latency, fault, outcome })[kind] !== undefined);
  const off = enabled === false || strategies.length === 0;
  const rng = xoroshiro128plus(seed);
  let calls = 0;

  return {
    enabled: !off,
    seed,
    execute<R extends T = T>(fn: (context: { readonly signal: AbortSignal }) => PromiseLike<R> | R, signal?: AbortSignal): Promise<R> {
      if (typeof fn !== 'function') throw new TypeError(`chaos: fn must be a function, got ${typeof fn}`);
      const callSignal = signal ?? new AbortController().signal;
      if (callSignal.aborted) return Promise.reject(callSignal.reason);
      if (off || (typeof enabled === 'function' && !enabled())) return untilAborted(invoke(fn, { signal: callSignal }), callSignal);
      const call = calls++;
      const drawn = new Set<ChaosKind>();
      for (const kind of strategies) {
        const rate = ({ behavior, latency, fault, outcome })[kind]!.rate;
        if (uniformFloat64(rng) < rate) drawn.add(kind);
      }
      const context: ChaosContext = { signal: callSignal, call };
      return untilAborted(inject(), callSignal);

      async function inject(): Promise<R> {
        if (drawn.has('behavior')) {
          onInjection?.({ kind: 'behavior', call });
          await behavior!.run(context);
        }
        if (drawn.has('latency')) {
          const ms = typeof latency!.ms === 'function' ? latency!.ms(context) : latency!.ms;
          checkMs(ms);
          onInjection?.({ kind: 'latency', call, ms });
          await sleep(ms, callSignal);
        }
        if (drawn.has('fault')) {
          onInjection?.({ kind: 'fault', call });
          throw fault!.error ? fault!.error(context) : new InjectedFaultError();
        }
        if (drawn.has('outcome')) {
          onInjection?.({ kind: 'outcome', call });
          return (await outcome!.value(context)) as R;
        }
        return fn({ signal: callSignal });
      }
    },
  };
}

function environment(name: string): string | undefined {
  // No Node built-in: `process` is read only where the runtime has one.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function enabledFromEnvironment(): boolean {
  const value = environment(CHAOS_ENV);
  if (value === undefined) return false;
  const word = value.toLowerCase();
  if (['1', 'true', 'on', 'yes'].includes(word)) return true;
  if (['0', 'false', 'off', 'no'].includes(word)) return false;
  throw new TypeError(`chaos: ${CHAOS_ENV} must be 1, true, on or yes (or 0, false, off, no), got ${JSON.stringify(value)}`);
}

function seedFromEnvironment(): number | undefined {
  const value = environment(CHAOS_SEED_ENV);
  if (value === undefined) return undefined;
  const seed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  checkSeed(seed, CHAOS_SEED_ENV);
  return seed;
}

function checkSeed(seed: unknown, from: string): void {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new RangeError(`chaos: ${from} must be an integer from 0 to ${MAX_SEED} (2**32 - 1), got ${String(seed)}`);
  }
}

function checkRate(name: string, strategy: { readonly rate: number } | undefined): void {
  if (strategy === undefined) return;
  if (typeof strategy !== 'object' || strategy === null) {
    throw new TypeError(`chaos: ${name} must be an object with a rate, got ${strategy === null ? 'null' : typeof strategy}`);
  }
  const { rate } = strategy;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new RangeError(`chaos: ${name}.rate must be a number from 0 to 1 (the share of calls it happens to), got ${String(rate)}`);
  }
}

function checkMs(ms: unknown): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > MAX_TIMER_MS) {
    throw new RangeError(`chaos: latency.ms must be a finite number of milliseconds from 0 to ${MAX_TIMER_MS} (2**31 - 1), got ${String(ms)}`);
  }
}

function checkFunction(name: string, value: unknown): void {
  if (typeof value !== 'function') throw new TypeError(`chaos: ${name} must be a function, got ${value === null ? 'null' : typeof value}`);
}
