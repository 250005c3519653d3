import type { CallShape, ClientEntry } from './types.ts';

/** Resource methods that send a request, with the request options last: `client.chat.completions.create(body, options)`. */
const resourceCalls: CallShape[] = ['create', 'stream', 'parse'].flatMap((m): CallShape[] => [
  { path: ['*', m], on: 'instance', args: { options: 1 }, returns: 'promise', method: 'POST' },
  { path: ['*', '*', m], on: 'instance', args: { options: 1 }, returns: 'promise', method: 'POST' },
  { path: ['*', '*', '*', m], on: 'instance', args: { options: 1 }, returns: 'promise', method: 'POST' },
]);

/** openai 7.60: 600 s per attempt by default, in the client (`new OpenAI({ timeout })`) or per request (§1.10, §5). */
export const openaiClient: ClientEntry = {
  id: 'openai',
  displayName: 'openai',
  verified: 'openai 7.60.0, §1.10, §5.2',
  modules: ['openai'],
  calls: resourceCalls,
  factories: [
    { path: ['OpenAI'], on: 'module', kind: 'new', options: 0 },
    { path: ['AzureOpenAI'], on: 'module', kind: 'new', options: 0 },
    { path: [], on: 'module', kind: 'new', options: 0 },
    { path: ['withOptions'], on: 'instance', kind: 'call', options: 0 },
  ],
  types: [{ name: 'OpenAI', as: 'instance' }, { name: 'AzureOpenAI', as: 'instance' }],
  timeout: {
    default: { kind: 'finite', ms: 600_000, note: 'the openai SDK times out each attempt after 10 minutes by default' },
    // `timeout: 0` aborts at once: nothing turns the deadline off.
    options: [{ name: 'timeout', form: 'ms', disabledBy: [] }],
    signalOption: 'signal',
    advice: 'set `timeout` in the client or request options',
  },
};

/** @anthropic-ai/sdk 1.17: 600 s per attempt by default, until the headers arrive (client catalogue §5). */
export const anthropicClient: ClientEntry = {
  id: 'anthropic',
  displayName: '@anthropic-ai/sdk',
  verified: '@anthropic-ai/sdk 1.17.0, §5.1',
  modules: ['@anthropic-ai/sdk'],
  calls: resourceCalls,
  factories: [
    { path: ['Anthropic'], on: 'module', kind: 'new', options: 0 },
    { path: [], on: 'module', kind: 'new', options: 0 },
    { path: ['withOptions'], on: 'instance', kind: 'call', options: 0 },
  ],
  types: [{ name: 'Anthropic', as: 'instance' }],
  // client.js:144 (1.17.0): `baseURL || 'https://api.anthropic.com'` (ANTHROPIC_BASE_URL read at :95).
  service: 'https://api.anthropic.com',
  baseUrl: { options: ['baseURL'] },
  timeout: {
    default: { kind: 'finite', ms: 600_000, note: 'the Anthropic SDK times out each attempt after 10 minutes by default' },
    options: [{ name: 'timeout', form: 'ms', disabledBy: [] }],
    signalOption: 'signal',
    advice: 'set `timeout` in the client or request options',
  },
};
