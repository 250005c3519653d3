import { createTransform } from '../create-transform.ts';

/**
 * add-idempotency-key: for each retried POST/PATCH with no key, create one key before the retry with
 * `idempotencyKey()` from @resilience-kit/policies and send it with every attempt (an
 * `Idempotency-Key` header, or the SDK's own option such as stripe's `idempotencyKey`).
 *
 *   jscodeshift --no-babel -t codemods/add-idempotency-key/transform.cjs src/
 */
const transform = createTransform({
  name: 'add-idempotency-key',
  description: 'Send retried POST and PATCH requests with an idempotency key created once, before the retry.',
  rules: ['require-idempotency-key'],
});

export default transform;
export const parser = transform.parser;
export const meta = transform.meta;
