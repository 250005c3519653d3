import { createTransform } from '../create-transform.ts';

/**
 * add-circuit-breaker: each flagged call runs through one breaker per dependency:
 * `const payBreaker = circuitBreaker();` at module level (from @resilience-kit/policies), or the
 * breaker the file already guards that dependency with, and `payBreaker.execute(() => …)`.
 *
 *   jscodeshift --no-babel -t codemods/add-circuit-breaker/transform.cjs src/
 */
const transform = createTransform({
  name: 'add-circuit-breaker',
  description: 'Run calls to a dependency through one circuit breaker per dependency.',
  rules: ['no-unguarded-dependency'],
});

export default transform;
export const parser = transform.parser;
export const meta = transform.meta;
