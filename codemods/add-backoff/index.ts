import { createTransform } from '../create-transform.ts';

/**
 * add-backoff: retries that do not back off, do not jitter, or never stop. A hand-written loop of the
 * canonical shape becomes `retry(() => op(), { maxAttempts: N })` from @resilience-kit/policies;
 * a retry library's configuration gets the missing option (`randomize: true`, `jitter: 'full'`,
 * `retryDelay: axiosRetry.exponentialDelay`, `backoff: new ExponentialBackoff()`, `maxAttempts: 5`).
 *
 *   jscodeshift --no-babel -t codemods/add-backoff/transform.cjs src/
 */
const transform = createTransform({
  name: 'add-backoff',
  description: 'Make retries back off exponentially, with jitter and a cap on attempts.',
  rules: ['require-backoff', 'require-jitter', 'no-unbounded-retry'],
});

export default transform;
export const parser = transform.parser;
export const meta = transform.meta;
