import { withTimeout } from '@resilience-kit/policies';
export async function chained(a: string) {
  return withTimeout(10_000, async (timeoutSignal) => fetch(await withTimeout(10_000, (signal) => fetch(a, { signal })).then((r) => r.text()), { signal: timeoutSignal }));
}
