import pRetry from 'p-retry';
import { retry, handleAll, ExponentialBackoff } from 'cockatiel';
import Stripe from 'stripe';
import { setTimeout as sleep } from 'node:timers/promises';

const stripe = new Stripe('sk_test');
const policy = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });

export async function placeOrder(orderId: string): Promise<Response> {
  return pRetry(() => fetch('https://orders.example.com/orders', {
    method: 'POST',
    body: JSON.stringify({ orderId }),
    signal: AbortSignal.timeout(5_000),
  }), { retries: 3, randomize: true });
}

export async function charge(amount: number): Promise<unknown> {
  return policy.execute(() => stripe.charges.create({ amount, currency: 'usd' }));
}

export async function notify(url: string, event: unknown): Promise<Response> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event), signal: AbortSignal.timeout(5_000) });
    } catch (error) {
      if (attempt === 2) throw error;
      await sleep(Math.random() * 100 * 2 ** attempt);
    }
  }
  throw new Error('unreachable');
}
