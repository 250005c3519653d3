export function report(url: string, signal: 'red' | 'green') {
  return fetch(url, { method: 'POST', body: signal });
}
