const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// A POST that the loop re-sends, with no idempotency key: a deadline would start the next attempt
// while the first may still be delivered (a payout marked failed that the provider paid). The key
// comes first (add-idempotency-key); add-timeout refuses.
export async function payout(id: string, amount: number) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch('https://api.payments.example.com/v1/payouts', { method: 'POST', body: JSON.stringify({ id, amount }) });
    } catch (error) {
      if (attempt >= 3) throw error;
      await sleep(Math.random() * 2 ** attempt * 100);
    }
  }
}

// With a key made once, before the attempts, the deadline is safe.
export async function keyedPayout(id: string, amount: number) {
  const key = crypto.randomUUID();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch('https://api.payments.example.com/v1/payouts', { method: 'POST', headers: { 'Idempotency-Key': key }, body: JSON.stringify({ id, amount }) });
    } catch (error) {
      if (attempt >= 3) throw error;
      await sleep(Math.random() * 2 ** attempt * 100);
    }
  }
}
