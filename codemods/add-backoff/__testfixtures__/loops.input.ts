import { setTimeout as sleep } from 'node:timers/promises';

declare function callInventory(sku: string): Promise<number>;
declare function chargeCard(id: string): Promise<void>;

export async function stock(sku: string): Promise<number> {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await callInventory(sku);
    } catch (error) {
      if (attempt === 3) throw error;
      await sleep(1000);
    }
  }
  throw new Error('unreachable');
}

export async function forever(id: string): Promise<void> {
  while (true) {
    try {
      return await chargeCard(id);
    } catch {
      await sleep(250);
    }
  }
}
