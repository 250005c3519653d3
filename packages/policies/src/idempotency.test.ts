import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_KEY_HEADER, idempotencyKey } from './idempotency.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('idempotencyKey', () => {
  it('is a random v4 UUID, different every call', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => idempotencyKey()));
    expect(keys.size).toBe(1000);
    for (const key of keys) expect(key).toMatch(UUID_V4);
  });

  it('takes a prefix that says what the key is for', () => {
    const key = idempotencyKey('refund');
    expect(key.startsWith('refund-')).toBe(true);
    expect(key.slice('refund-'.length)).toMatch(UUID_V4);
  });

  it('refuses prefixes that would not survive a header', () => {
    for (const bad of ['', 'has space', 'new\nline', 'x'.repeat(65), 'é']) expect(() => idempotencyKey(bad)).toThrow(RangeError);
  });

  it('names the standard header', () => {
    expect(IDEMPOTENCY_KEY_HEADER).toBe('Idempotency-Key');
  });
});
