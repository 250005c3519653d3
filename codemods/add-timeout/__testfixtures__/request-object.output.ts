import { withTimeout } from '@resilience-kit/policies';
// A Request carries the caller's signal; a new signal in the options would replace it. The fix keeps
// both with AbortSignal.any when the Request is a variable, and refuses when it is made in place or
// only may be a Request.
export async function proxy(request: Request) {
  return withTimeout(10_000, (signal) => fetch(request, { signal: AbortSignal.any([request.signal, signal]) }));
}

export async function built(url: string, controller: AbortController) {
  const req = new Request(url, { signal: controller.signal });
  const res = await withTimeout(10_000, (signal) => fetch(req, { headers: { accept: 'application/json' }, signal: AbortSignal.any([req.signal, signal]) }));
  return res.json();
}

export async function inPlace(url: string, controller: AbortController) {
  return fetch(new Request(url, { signal: controller.signal }));
}

export async function either(input: RequestInfo | URL) {
  return fetch(input);
}
