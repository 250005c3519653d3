import { circuitBreaker } from '@resilience-kit/policies';

const PAY_URL = 'https://pay.example.com';
const payBreaker = circuitBreaker();

export const charge = (id: string) =>
  payBreaker.execute(() => fetch(`${PAY_URL}/charges/${id}`, { method: 'POST', signal: AbortSignal.timeout(5_000) }));

export const refund = (id: string) => fetch(`${PAY_URL}/refunds/${id}`, { method: 'POST', signal: AbortSignal.timeout(5_000) });

export async function receipt(id: string): Promise<string> {
  const res = await fetch(`${PAY_URL}/receipts/${id}`, { signal: AbortSignal.timeout(5_000) });
  return res.text();
}
