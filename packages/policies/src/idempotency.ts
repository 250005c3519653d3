/**
 * Idempotency keys. A key names one logical operation: create it ONCE, before any retry, and send the
 * same key with every attempt, so a server that already applied the first attempt recognises the
 * second and returns the first result instead of applying it again (a second charge, a duplicate
 * order). A key made inside the retried code is a new key per attempt and protects nothing.
 */

/** The header of the IETF draft (draft-ietf-httpapi-idempotency-key-header) and of Stripe, PayPal, Adyen… */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/**
 * A new idempotency key: a random UUID (v4, 122 random bits), optionally prefixed to say what it is for
 * (`idempotencyKey('refund')` → `refund-1b9d6bcd-…`). Uses the platform's `crypto.randomUUID`.
 */
export function idempotencyKey(prefix?: string): string {
  if (prefix !== undefined && !/^[A-Za-z0-9._:-]{1,64}$/.test(prefix)) {
    throw new RangeError(`idempotencyKey: prefix must be 1-64 characters of A-Z a-z 0-9 . _ : -, got ${JSON.stringify(prefix)}`);
  }
  const uuid = globalThis.crypto.randomUUID();
  return prefix === undefined ? uuid : `${prefix}-${uuid}`;
}
