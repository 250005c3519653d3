// Spread arguments: where the options sit cannot be proven, so a signal added after them may be
// ignored (fetch takes two arguments) and the request never cancelled. Refused, byte for byte.
export async function forward(...args: Parameters<typeof fetch>) {
  return fetch(...args);
}

export async function forwardRest(url: string, ...rest: [RequestInit?]) {
  return fetch(url, ...rest);
}

// Awaited arguments (a reCAPTCHA token, the incoming body): inside the callback, that work would
// count against the deadline. Refused.
export async function verify(token: () => Promise<string>) {
  return fetch('https://www.google.com/recaptcha/api/siteverify', { method: 'POST', body: await token() });
}
