import { withTimeout } from '@resilience-kit/policies';
// Prettier's `trailingComma: "none"`: the last option has no comma after it.
export async function save(url: string, body: string) {
  const res = await withTimeout(10_000, (signal) => fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body,
    signal
  }));
  return res.ok;
}

export async function saveWithComment(url: string, body: string) {
  return withTimeout(10_000, (signal) => fetch(url, {
    method: 'PUT',
    body, // the serialised draft
    signal
  }));
}
