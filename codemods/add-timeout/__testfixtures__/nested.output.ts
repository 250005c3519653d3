import { withTimeout } from '@resilience-kit/policies';
export async function chained(a: string) {
  return withTimeout(10_000, async (signal) => fetch(await fetch(a).then((r) => r.text()), { signal }));
}
