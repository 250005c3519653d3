import { setTimeout as sleep } from 'node:timers/promises';

declare function fetchPage(page: number): Promise<string>;
declare function ping(): Promise<void>;

// The operation uses the counter: it is not the same operation each time, so no rewrite.
export async function pages(): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await fetchPage(attempt);
    } catch {
      await sleep(500);
    }
  }
  return '';
}

// The catch does more than wait (it logs): rewriting would drop that, so no rewrite.
export async function pingWithLog(): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await ping();
    } catch (error) {
      console.warn('ping failed', error);
      await sleep(500);
    }
  }
}
