export { TimeoutError, withTimeout } from './timeout.ts';
export { fullJitterDelay, retry } from './retry.ts';
export type { RetryContext, RetryInfo, RetryOptions } from './retry.ts';
export { isRetryableError, parseRetryAfter } from './retryable.ts';
export { IDEMPOTENCY_KEY_HEADER, idempotencyKey } from './idempotency.ts';
