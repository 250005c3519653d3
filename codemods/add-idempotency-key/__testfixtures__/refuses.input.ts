import pRetry from 'p-retry';
import { randomUUID } from 'node:crypto';

// The key is made inside the retried function: moving it is a hand fix.
export const a = (amount: number) =>
  pRetry(() => fetch('https://pay.example.com/charges', {
    method: 'POST',
    headers: { 'Idempotency-Key': randomUUID() },
    body: JSON.stringify({ amount }),
    signal: AbortSignal.timeout(5_000),
  }), { randomize: true });

// Recursion: every call is a new attempt, there is no "before the retry".
export async function b(amount: number, attempt = 0): Promise<Response> {
  try {
    return await fetch('https://pay.example.com/charges', { method: 'POST', body: String(amount), signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    if (attempt >= 2) throw error;
    return b(amount, attempt + 1);
  }
}
