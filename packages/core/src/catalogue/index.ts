import { axiosClient } from './axios.ts';
import { fetchClient } from './fetch.ts';
import { gotClient } from './got.ts';
import { kyClient } from './ky.ts';
import { nodeFetchClient } from './node-fetch.ts';
import { nodeHttpClient } from './node-http.ts';
import { stripeClient } from './stripe.ts';
import { superagentClient } from './superagent.ts';
import type { ClientEntry } from './types.ts';
import { undiciClient } from './undici.ts';

export const clients: readonly ClientEntry[] = [
  fetchClient,
  nodeFetchClient,
  undiciClient,
  axiosClient,
  gotClient,
  kyClient,
  superagentClient,
  nodeHttpClient,
  stripeClient,
];

/** `node:https` and `https` are one module. */
export function normalizeModule(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

const byModule = new Map<string, ClientEntry>();
for (const client of clients) for (const m of client.modules) byModule.set(m, client);

export function getClientForModule(specifier: string): ClientEntry | undefined {
  return byModule.get(normalizeModule(specifier));
}

export { timeoutGuards, policyCombinators, dependencyGuards } from './guards.ts';
export { retryLibraries } from './retry-libraries.ts';
export type * from './types.ts';
