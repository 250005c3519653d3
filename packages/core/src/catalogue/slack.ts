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
  timeout: {
    default: { kind: 'none', note: 'the Slack WebClient defaults to `timeout: 0`, which means no timeout' },
    options: [{ name: 'timeout', form: 'ms', disabledBy: [0] }],
    undecidableOptions: ['fetch', 'adapter'],
    advice: 'set `timeout` where the client is made: `new WebClient(token, { timeout: ms })`',
  },
};
