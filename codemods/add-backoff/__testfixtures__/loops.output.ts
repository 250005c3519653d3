import { setTimeout as sleep } from 'node:timers/promises';
import { retry } from '@resilience-kit/policies';

declare function callInventory(sku: string): Promise<number>;
declare function chargeCard(id: string): Promise<void>;

export async function stock(sku: string): Promise<number> {
  return await retry(() => callInventory(sku), { maxAttempts: 4 });
}

export async function forever(id: string): Promise<void> {
  return await retry(() => chargeCard(id), { maxAttempts: 5 });
}
