import { withTimeout } from '@resilience-kit/policies';
export function report(url: string, signal: 'red' | 'green') {
  return withTimeout(10_000, (timeoutSignal) => fetch(url, { method: 'POST', body: signal, signal: timeoutSignal }));
}
