/**
 * Effect's retries (`effect` 3.22; docs/verified-defaults.md §8.3): `Effect.retry(effect, policy)` and
 * `Effect.retryOrElse(effect, policy, orElse)`, data-first or piped (`effect.pipe(Effect.retry(policy))`).
 * The policy is a `Schedule` or options `{ times, schedule, while, until }`. The schedules' growth,
 * randomness and end are data here; facts/effect-retries.ts reads the expressions.
 */
import type { DelayKind } from './types.ts';

export interface ScheduleEntry {
  readonly delay: DelayKind;
  /** `argument`: stops after the number at that argument (`recurs(n)`); `never`: never stops on its own. */
  readonly stops: 'never' | { readonly argument: number } | { readonly after: number };
}

export interface EffectCatalogue {
  readonly module: string;
  readonly verified: string;
  /** `Effect.<name>(self, policy, …)`: the policy's argument when data-first, and how many arguments that form takes. */
  readonly retries: Readonly<Record<string, { readonly arity: number; readonly policy: number }>>;
  readonly effectNamespace: string;
  readonly scheduleNamespace: string;
  /** Schedules made from nothing else. */
  readonly schedules: Readonly<Record<string, ScheduleEntry>>;
  /** Combinators that randomise the delays (`jittered`, `jitteredWith`). */
  readonly jitter: readonly string[];
  /** Both must go on (`intersect`, `compose`): the longer delay, stops when either stops. */
  readonly both: readonly string[];
  /** Either may go on (`union`, `either`): the shorter delay, stops when both stop. */
  readonly either: readonly string[];
  /** Stop on elapsed time (`upTo`) or on a condition (`whileOutput`…): a cap. */
  readonly bounds: readonly string[];
  /** Options keys. */
  readonly options: { readonly times: string; readonly schedule: string; readonly conditions: readonly string[] };
  readonly advice: { readonly backoff: string; readonly jitter: string; readonly cap: string };
}

export const effect: EffectCatalogue = {
  module: 'effect',
  verified: 'effect 3.22.4 (internal/schedule.js), docs/verified-defaults.md §8.3',
  // Effect.js L3151, L3221: `retry` is dual(2), `retryOrElse` dual(3).
  retries: { retry: { arity: 2, policy: 1 }, retryOrElse: { arity: 3, policy: 1 } },
  effectNamespace: 'Effect',
  scheduleNamespace: 'Schedule',
  schedules: {
    // schedule.js L286-289: base · factor^n (factor 2), no max, never stops.
    exponential: { delay: 'exponential', stops: 'never' },
    fibonacci: { delay: 'exponential', stops: 'never' },
    linear: { delay: 'linear', stops: 'never' },
    spaced: { delay: 'constant', stops: 'never' },
    fixed: { delay: 'constant', stops: 'never' },
    // forever: unfold with no delay (L828, L525).
    forever: { delay: 'none', stops: 'never' },
    // recurs(n): n recurrences with no delay (L466); once = recurs(1), stop = recurs(0) (L830-832).
    recurs: { delay: 'none', stops: { argument: 0 } },
    once: { delay: 'none', stops: { after: 1 } },
    stop: { delay: 'none', stops: { after: 0 } },
  },
  // jittered: each delay uniform in [0.8d, 1.2d] (L380-397).
  jitter: ['jittered', 'jitteredWith'],
  // intersect and compose: done when either is done, the longer delay (L350-356, L186).
  both: ['intersect', 'compose', 'zipLeft', 'zipRight', 'zipWith'],
  // union/either: done when both are done, the shorter delay (L527-545).
  either: ['union', 'either'],
  bounds: ['upTo', 'whileInput', 'whileOutput', 'untilInput', 'untilOutput', 'whileInputEffect', 'whileOutputEffect', 'untilInputEffect', 'untilOutputEffect'],
  // fromRetryOptions (L777-792): the base is `schedule ?? forever`; `times` intersects `recurs(times)`.
  options: { times: 'times', schedule: 'schedule', conditions: ['while', 'until'] },
  advice: {
    backoff: 'retry on `Schedule.exponential(…)` piped through `Schedule.jittered`, intersected with `Schedule.recurs(n)`',
    jitter: 'pipe the schedule through `Schedule.jittered`',
    cap: 'intersect the schedule with `Schedule.recurs(n)` (or pass `times`), or bound it with `Schedule.upTo(…)`',
  },
};
