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
import { awsSdkClient } from './aws-sdk.ts';
import { octokitClient } from './octokit.ts';
import { slackClient } from './slack.ts';
import { googleapisClient } from './googleapis.ts';
import { apolloClient, graphqlRequestClient } from './graphql.ts';
import { crossFetchClient, fetchLikeClient, ofetchClient } from './ofetch.ts';
import { resendClient, sendgridClient } from './mail.ts';
import { anthropicClient, openaiClient } from './llm-sdks.ts';
import { nestHttpClient } from './nestjs-axios.ts';

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
  // SDKs and wrappers over HTTP (client catalogue §5).
  awsSdkClient,
  octokitClient,
  slackClient,
  googleapisClient,
  graphqlRequestClient,
  apolloClient,
  ofetchClient,
  crossFetchClient,
  fetchLikeClient,
  resendClient,
  sendgridClient,
  openaiClient,
  anthropicClient,
  nestHttpClient,
];

/**
 * Families of modules one entry covers, named by a prefix (`@aws-sdk/client-s3`, `@aws-sdk/client-ses`
 * … are all `@aws-sdk/client-*`): the clients of one SDK share their shape and their defaults.
 */
const MODULE_FAMILIES: readonly string[] = clients.flatMap((c) => c.modules.filter((m) => m.endsWith('*')).map((m) => m.slice(0, -1)));

/** `node:https` and `https` are one module; a module of a family is the family. */
export function normalizeModule(specifier: string): string {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  const family = MODULE_FAMILIES.find((prefix) => bare.startsWith(prefix) && !bare.slice(prefix.length).includes('/'));
  return family === undefined ? bare : `${family}*`;
}

/** A path segment pattern: `*` is any member, `*Client` any member ending in `Client`. */
export function segmentMatches(pattern: string, segment: string | undefined): boolean {
  if (segment === undefined) return false;
  if (pattern === '*') return true;
  return pattern.startsWith('*') ? segment.endsWith(pattern.slice(1)) && segment.length > pattern.length - 1 : pattern === segment;
}

export function pathMatches(pattern: readonly string[], path: readonly string[]): boolean {
  return pattern.length === path.length && pattern.every((p, i) => segmentMatches(p, path[i]));
}

const byModule = new Map<string, ClientEntry>();
for (const client of clients) for (const m of client.modules) byModule.set(m, client);

export function getClientForModule(specifier: string): ClientEntry | undefined {
  return byModule.get(normalizeModule(specifier));
}

export { timeoutGuards, policyCombinators, dependencyGuards, fallbackPolicies } from './guards.ts';
export { retryLibraries } from './retry-libraries.ts';
export type * from './types.ts';
