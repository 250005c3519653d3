// A Request carries the caller's signal; a new signal in the options would replace it. The fix keeps
// both with AbortSignal.any when the Request is a variable, and refuses when it is made in place or
// only may be a Request.
export async function proxy(request: Request) {
  return fetch(request);
}

export async function built(url: string, controller: AbortController) {
  const req = new Request(url, { signal: controller.signal });
  const res = await fetch(req, { headers: { accept: 'application/json' } });
  return res.json();
}

export async function inPlace(url: string, controller: AbortController) {
  return fetch(new Request(url, { signal: controller.signal }));
}

export async function either(input: RequestInfo | URL) {
  return fetch(input);
}
