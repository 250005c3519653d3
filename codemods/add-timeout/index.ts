import { createTransform } from '../create-transform.ts';

/**
 * add-timeout: wraps every network call that `require-timeout` flags, and that can take a signal,
 * in `withTimeout(10_000, (signal) => …)` from @resilience-kit/policies, importing it once per file.
 *
 *   jscodeshift -t codemods/add-timeout/index.ts --extensions=ts,tsx,js src/
 */
const transform = createTransform({
  name: 'add-timeout',
  description: 'Bound network calls with a deadline: wrap them in withTimeout from @resilience-kit/policies.',
  rules: ['require-timeout'],
});

export default transform;
export const parser = transform.parser;
export const meta = transform.meta;
