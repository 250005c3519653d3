import type { CallShape, ClientEntry } from './types.ts';

/** `client.request(QUERY, variables)` takes no signal; `client.request({ document, variables, signal })` does. */
const requestShapes = (on: CallShape['on']): CallShape[] =>
  ['request', 'rawRequest', 'batchRequests'].map((m): CallShape => ({ path: [m], on, args: { options: 0, optionsIfObject: true }, returns: 'promise', method: 'POST' }));

/**
 * graphql-request (7.4; 5.2 and 6.1 checked): no timeout by default. A `signal` in the object form of a
 * request bounds it; `new GraphQLClient(url, { timeout })` works in 5 and 6 (node-fetch 2 underneath)
 * and is ignored by 7 (client catalogue §5).
 */
export const graphqlRequestClient: ClientEntry = {
  id: 'graphql-request',
  displayName: 'graphql-request',
  verified: 'graphql-request 7.4.0 (5.2.0, 6.1.0), §5.6',
  modules: ['graphql-request'],
  calls: [
    ...requestShapes('instance'),
    { path: [], on: 'module', args: { options: 0, optionsIfObject: true }, returns: 'promise', method: 'POST' },
    ...requestShapes('module'),
  ],
  factories: [{ path: ['GraphQLClient'], on: 'module', kind: 'new', options: 1 }],
  types: [{ name: 'GraphQLClient', as: 'instance' }],
  timeout: {
    default: { kind: 'none', note: 'graphql-request sets no timeout by default' },
    options: [{ name: 'timeout', form: 'ms', disabledBy: [0], versionDependent: 'graphql-request 5 and 6 honour `timeout`, but 7 ignores it' }],
    signalOption: 'signal',
    undecidableOptions: ['fetch'],
    advice: 'pass `signal: AbortSignal.timeout(ms)` in the request\'s options (`client.request({ document, variables, signal })`)',
  },
};

/**
 * Apollo Client 4.3 (`new ApolloClient({ uri })` over HttpLink): no timeout by default; a deadline is a
 * signal in `context.fetchOptions` per query, or a link or fetch of the user's own (client catalogue §5).
 */
export const apolloClient: ClientEntry = {
  id: 'apollo-client',
  displayName: 'Apollo Client',
  verified: '@apollo/client 4.3.8, §5.7',
  modules: ['@apollo/client', '@apollo/client/core'],
  calls: [
    { path: ['query'], on: 'instance', args: { options: 0 }, returns: 'promise', method: 'POST' },
    { path: ['mutate'], on: 'instance', args: { options: 0 }, returns: 'promise', method: 'POST' },
  ],
  factories: [{ path: ['ApolloClient'], on: 'module', kind: 'new', options: 0 }],
  types: [{ name: 'ApolloClient', as: 'instance' }],
  timeout: {
    default: { kind: 'none', note: 'Apollo Client\'s HttpLink sets no timeout' },
    options: [],
    undecidableOptions: ['link', 'context', 'fetchOptions'],
    advice: 'pass `context: { fetchOptions: { signal: AbortSignal.timeout(ms) } }` to the query, or give the client a link whose `fetch` has a deadline',
  },
};
