import type { CallShape, ClientEntry } from './types.ts';

/**
 * stripe-node's mutating resource methods: `create(params, options)`; the others act on an object and
 * take its id first: `confirm(id, params, options)` (the request options are the last argument).
 */
const MUTATIONS: readonly (readonly [string, number])[] = [
  ['create', 1],
  ...['update', 'del', 'cancel', 'capture', 'confirm', 'pay', 'refund', 'attach', 'detach', 'approve', 'finalizeInvoice', 'voidInvoice'].map((m) => [m, 2] as const),
];

const calls: CallShape[] = MUTATIONS.flatMap(([m, options]): CallShape[] => [
  { path: ['*', m], on: 'instance', args: { options }, returns: 'promise', method: 'POST' },
  { path: ['*', '*', m], on: 'instance', args: { options }, returns: 'promise', method: 'POST' },
]);

/**
 * stripe-node 23: 80 s socket-inactivity timeout and 2 network retries by default; every v1 POST
 * carries `Idempotency-Key: stripe-node-retry-<uuid>`, reused across its own retries (§1.11).
 */
export const stripeClient: ClientEntry = {
  id: 'stripe',
  displayName: 'stripe',
  verified: 'stripe 23.1.0, §1.11',
  modules: ['stripe'],
  calls,
  types: [{ name: 'Stripe', as: 'instance' }],
  // cjs/stripe.core.js:98 (stripe 23.2.0): `DEFAULT_HOST = 'api.stripe.com'`, replaced by the `host` option.
  service: 'https://api.stripe.com',
  baseUrl: { options: ['host'] },
  factories: [{ path: [], on: 'module', kind: 'new', options: 1 }, { path: [], on: 'module', kind: 'call', options: 1 }],
  timeout: {
    default: { kind: 'finite', ms: 80_000, note: 'stripe-node times out after 80 s of socket inactivity by default' },
    options: [{ name: 'timeout', form: 'ms', disabledBy: [0] }],
    advice: 'set `timeout` in the client or request options',
  },
  // `billing.meterEvents.create({ identifier })`: Stripe enforces the identifier's uniqueness for at
  // least 24 hours (types/Billing/MeterEventsResource.d.ts L24-27, stripe 17.4.0).
  idempotency: { sdkOption: { key: 'idempotencyKey' }, stableOnInternalRetries: true, paramKeys: [{ members: ['meterEvents', 'create'], argument: 0, key: 'identifier' }] },
};
