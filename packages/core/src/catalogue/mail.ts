import type { ClientEntry } from './types.ts';

/**
 * resend 6.38: no timeout (and no retries); a call's last argument takes `signal` and, for a POST,
 * `idempotencyKey`. An abort or network error resolves `{ data: null, error }` rather than throwing
 * (client catalogue §5).
 */
export const resendClient: ClientEntry = {
  id: 'resend',
  displayName: 'resend',
  verified: 'resend 6.38.0, §5.15',
  modules: ['resend'],
  calls: [
    { path: ['emails', 'send'], on: 'instance', args: { options: 1 }, returns: 'promise', method: 'POST' },
    { path: ['emails', 'create'], on: 'instance', args: { options: 1 }, returns: 'promise', method: 'POST' },
    { path: ['batch', 'send'], on: 'instance', args: { options: 1 }, returns: 'promise', method: 'POST' },
    { path: ['batch', 'create'], on: 'instance', args: { options: 1 }, returns: 'promise', method: 'POST' },
  ],
  factories: [{ path: ['Resend'], on: 'module', kind: 'new' }],
  types: [{ name: 'Resend', as: 'instance' }],
  // dist/index.cjs:1690 (6.38.0): `defaultBaseUrl = "https://api.resend.com"` (RESEND_BASE_URL overrides it).
  service: 'https://api.resend.com',
  idempotency: { sdkOption: { key: 'idempotencyKey' } },
  timeout: {
    default: { kind: 'none', note: 'resend sets no timeout' },
    options: [],
    signalOption: 'signal',
    advice: 'pass `{ signal: AbortSignal.timeout(ms) }` as the call\'s options (resend then resolves `{ error }` instead of hanging)',
  },
};

/**
 * @sendgrid/mail 8.1: the default export is a singleton that sends through the global axios instance
 * with no timeout; `sgMail.setTimeout(ms)` sets one for every send, and a per-call `timeout` is dropped
 * (client catalogue §5).
 */
export const sendgridClient: ClientEntry = {
  id: 'sendgrid',
  displayName: '@sendgrid/mail',
  verified: '@sendgrid/mail 8.1.6, §5.15',
  modules: ['@sendgrid/mail'],
  calls: [
    { path: ['send'], on: 'module', args: {}, returns: 'promise', method: 'POST' },
    { path: ['sendMultiple'], on: 'module', args: {}, returns: 'promise', method: 'POST' },
  ],
  timeout: {
    default: { kind: 'none', note: '@sendgrid/mail sets no timeout (it sends through axios with `timeout: 0`)' },
    options: [],
    defaultsCalls: [{ path: ['setTimeout'], argument: 0, form: 'ms' }],
    advice: 'call `sgMail.setTimeout(ms)` once where the API key is set',
  },
};
