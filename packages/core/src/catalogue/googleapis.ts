import type { ClientEntry } from './types.ts';

/**
 * googleapis (188, over googleapis-common 9 and gaxios 8): no timeout by default. `timeout: ms` in a
 * call's options (its second argument), in the API's options (`google.drive({ version, timeout })`) or
 * process-wide (`google.options({ timeout })`) becomes `AbortSignal.timeout(ms)` (client catalogue §1.12, §5).
 */
export const googleapisClient: ClientEntry = {
  id: 'googleapis',
  displayName: 'googleapis',
  verified: 'googleapis 188.0.0 (gaxios 8.3.3), §1.12, §5.12',
  modules: ['googleapis'],
  calls: [
    { path: ['*', '*'], on: 'instance', args: { options: 1 }, returns: 'promise' },
    { path: ['*', '*', '*'], on: 'instance', args: { options: 1 }, returns: 'promise' },
  ],
  factories: [{ path: ['google', '*'], on: 'module', kind: 'call', options: 0 }],
  timeout: {
    default: { kind: 'none', note: 'googleapis sets no timeout by default' },
    options: [{ name: 'timeout', form: 'ms', disabledBy: [0] }],
    signalOption: 'signal',
    defaultsCalls: [{ path: ['google', 'options'], argument: 0, form: 'options' }],
    advice: 'pass `{ timeout: ms }` as the call\'s second argument, or set it once with `google.options({ timeout })`',
  },
};
