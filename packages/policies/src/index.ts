export { TimeoutError, withTimeout } from './timeout.ts';
export { fullJitterDelay, retry } from './retry.ts';
export type { RetryContext, RetryInfo, RetryOptions } from './retry.ts';
export { isRetryableError, parseRetryAfter } from './retryable.ts';
export { IDEMPOTENCY_KEY_HEADER, idempotencyKey } from './idempotency.ts';
export { BrokenCircuitError, circuitBreaker } from './circuit-breaker.ts';
export type {
  BreakerContext,
  BreakerState,
  CircuitBreaker,
  CircuitBreakerOptions,
  ConsecutiveBreakerOptions,
  SamplingBreakerOptions,
} from './circuit-breaker.ts';
export { BulkheadRejectedError, bulkhead } from './bulkhead.ts';
export type { Bulkhead, BulkheadContext } from './bulkhead.ts';
export { policy } from './policy.ts';
export type { Policy, PolicyContext, PolicyOptions } from './policy.ts';
export { CHAOS_ENV, CHAOS_SEED_ENV, InjectedFaultError, chaos } from './chaos.ts';
export type { Chaos, ChaosContext, ChaosInjection, ChaosKind, ChaosOptions } from './chaos.ts';
