import { withTimeout } from '@resilience-kit/policies';
export async function chained(a: string) {
  // The outer call awaits the inner one in its arguments: only the inner one is wrapped.
  return fetch(await withTimeout(10_000, (signal) => fetch(a, { signal })).then((r) => r.text()));
}
