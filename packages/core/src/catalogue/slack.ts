import { nodeRetryKeys } from './retry-libraries.ts';
import type { CallShape, ClientEntry } from './types.ts';

/** Web API method families (`client.chat.postMessage`, `client.admin.users.list`). */
const FAMILIES = [
  'admin', 'api', 'apps', 'assistant', 'auth', 'bookmarks', 'bots', 'calls', 'canvases', 'chat', 'conversations', 'dialog',
  'dnd', 'emoji', 'files', 'functions', 'migration', 'oauth', 'openid', 'pins', 'reactions', 'reminders', 'search', 'stars',
  'team', 'usergroups', 'users', 'views', 'workflows',
];

const calls: CallShape[] = FAMILIES.flatMap((f): CallShape[] => [
  { path: [f, '*'], on: 'instance', args: {}, returns: 'promise', method: 'POST' },
  { path: [f, '*', '*'], on: 'instance', args: {}, returns: 'promise', method: 'POST' },
]);

/**
 * @slack/web-api WebClient (8.2, 7.19): `timeout: 0` by default, so none; the timeout is set once in the
 * constructor (`new WebClient(token, { timeout })`); a method takes no per-call options (client catalogue §5).
 */
export const slackClient: ClientEntry = {
  id: 'slack-web-api',
  displayName: '@slack/web-api',
  verified: '@slack/web-api 8.2.0 and 7.19.0, §5.4',
  modules: ['@slack/web-api'],
  calls: [...calls, { path: ['apiCall'], on: 'instance', args: {}, returns: 'promise', method: 'POST' }],
  factories: [{ path: ['WebClient'], on: 'module', kind: 'new', options: 1 }],
  types: [{ name: 'WebClient', as: 'instance' }],
  // dist/WebClient.js:123 (8.2.0): `slackApiUrl = 'https://slack.com/api/'`.
  service: 'https://slack.com',
  baseUrl: { options: ['slackApiUrl'] },
  timeout: {
    default: { kind: 'none', note: 'the Slack WebClient defaults to `timeout: 0`, which means no timeout' },
    options: [{ name: 'timeout', form: 'ms', disabledBy: [0] }],
    undecidableOptions: ['fetch', 'adapter'],
    advice: 'set `timeout` where the client is made: `new WebClient(token, { timeout: ms })`',
  },
  // docs/verified-defaults.md §8.2: with no `retryConfig`, `tenRetriesInAboutThirtyMinutes` (10 retries,
  // factor 1.96821, randomised) runs every call through p-retry, retrying timeouts, network errors,
  // non-200 answers and 429s; a `retryConfig` written replaces it and takes p-retry's own defaults
  // (10 retries, factor 2, `randomize: false`).
  retry: {
    option: 'retryConfig',
    number: 'retries',
    defaults: { retries: 10, delay: 'exponential', jitter: false },
    keys: nodeRetryKeys,
    fixes: { jitter: 'randomize: true' },
    defaultsOf: 'p-retry',
    byDefault: { retries: 10, detail: 'the Slack WebClient on its own (10 retries by default, after timeouts and network errors too)' },
  },
  // No key and no `client_msg_id` is sent: a post whose answer was lost is posted again (§8.2).
  idempotency: {
    mutations: [
      ['chat', 'postMessage'], ['chat', 'postEphemeral'], ['chat', 'scheduleMessage'], ['chat', 'meMessage'],
      ['files', 'upload'], ['files', 'uploadV2'], ['files', 'completeUploadExternal'], ['reminders', 'add'],
    ],
    noKey: "Slack's Web API takes no idempotency key: post through a `WebClient` made with `retryConfig: { retries: 0 }` and retry a post only when it surely did not arrive (a refused connection, a 429), or accept an occasional duplicate message",
  },
};
