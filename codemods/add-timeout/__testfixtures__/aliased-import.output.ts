import { withTimeout as deadline } from '@resilience-kit/policies';

export const a = (u: string) => deadline(1000, (signal) => fetch(u, { signal }));
export const b = (u: string) => deadline(10_000, (signal) => fetch(u, { signal }));
