import got from 'got';
import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';
import { circuitBreaker as createCircuitBreaker } from '@resilience-kit/policies';
const inventoryBreaker = createCircuitBreaker();

// Guarded through a cockatiel breaker, but not a module-level const the codemod can reuse.
export const stock = (sku: string) =>
  circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) })
    .execute(() => got(`https://inventory.example.com/stock/${sku}`, { timeout: { request: 5_000 } }).json<number>());

export const reserve = (sku: string) => inventoryBreaker.execute(() => got.post(`https://inventory.example.com/reservations/${sku}`, { timeout: { request: 5_000 } }).json<{ id: string }>());
