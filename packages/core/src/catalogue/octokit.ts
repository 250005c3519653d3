import type { CallShape, ClientEntry } from './types.ts';

/** `octokit.repos.get(…)` (before `.rest` existed) and `octokit.rest.repos.get(…)`. */
const NAMESPACES = [
  'actions', 'activity', 'apps', 'checks', 'codeScanning', 'dependabot', 'gists', 'git', 'issues', 'orgs', 'packages',
  'projects', 'pulls', 'reactions', 'repos', 'search', 'secretScanning', 'teams', 'users',
];

const restCalls: CallShape[] = [
  { path: ['rest', '*', '*'], on: 'instance', args: { options: 0 }, returns: 'promise' },
  ...NAMESPACES.map((ns): CallShape => ({ path: [ns, '*'], on: 'instance', args: { options: 0 }, returns: 'promise' })),
];

/**
 * Octokit (@octokit/rest 22, @octokit/core 7, @octokit/request 10): no timeout by default. The deadline
 * is `request: { signal }` in the constructor or in a call's parameters; `request.timeout` is honoured
 * only by @octokit/request 5 (node-fetch 2) and ignored from 6 on (client catalogue §5).
 */
export const octokitClient: ClientEntry = {
  id: 'octokit',
  displayName: 'Octokit',
  verified: '@octokit/rest 22.0.1, @octokit/request 10.0.16, §5.3',
  modules: ['@octokit/rest', '@octokit/core', 'octokit', '@octokit/action'],
  calls: [
    { path: ['request'], on: 'instance', args: { options: 1 }, returns: 'promise' },
    { path: ['graphql'], on: 'instance', args: { options: 1 }, returns: 'promise' },
    { path: ['paginate'], on: 'instance', args: { options: 1 }, returns: 'promise' },
    ...restCalls,
  ],
  factories: [{ path: ['Octokit'], on: 'module', kind: 'new', options: 0 }],
  types: [{ name: 'Octokit', as: 'instance' }],
  timeout: {
    default: { kind: 'none', note: 'Octokit sets no timeout by default' },
    options: [
      {
        name: 'request',
        form: 'object',
        disabledBy: [],
        boundingKeys: ['signal'],
        undecidableKeys: ['timeout', 'fetch'],
        undecidableNote: '@octokit/request 5 honours `request.timeout`, 6 and later ignore it; a custom `fetch` may bound the call itself',
      },
    ],
    advice: 'pass `request: { signal: AbortSignal.timeout(ms) }` in the call\'s parameters (Octokit ignores `request.timeout` from @octokit/request 6 on)',
  },
};
