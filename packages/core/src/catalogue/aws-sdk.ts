import type { ClientEntry } from './types.ts';

/**
 * AWS SDK for JavaScript v3: every `@aws-sdk/client-*` package, one shape (`new S3Client(config)`,
 * `client.send(command, { abortSignal })`). No request timeout by default: `defaultsMode` "legacy"
 * leaves the Node handler's `connectionTimeout`, `requestTimeout` and `socketTimeout` at 0 (client
 * catalogue §1.8, §5: @smithy/node-http-handler 4.14 `node-http-handler.js` L14, L185-195).
 * `requestTimeout` alone only logs a warning in current @smithy/node-http-handler (unless
 * `throwOnRequestTimeout: true`) and rejected in earlier ones: which one is installed is not in the code.
 */
export const awsSdkClient: ClientEntry = {
  id: 'aws-sdk',
  displayName: 'AWS SDK',
  verified: '@aws-sdk/client-s3 3.1178.0 (@smithy/node-http-handler 4.14.2), §1.8, §5.13',
  modules: ['@aws-sdk/client-*'],
  calls: [{ path: ['send'], on: 'instance', args: { options: 1 }, returns: 'promise' }],
  factories: [
    { path: ['*Client'], on: 'module', kind: 'new', options: 0 },
    // The aggregated client (`new S3({…})`, `new Athena({…})`): every other export is a command, an exception or a helper.
    { path: ['*'], on: 'module', kind: 'new', options: 0, exceptSuffixes: ['Command', 'Exception', 'Error', 'Paginator', 'Waiter'] },
  ],
  types: [{ name: '*Client', as: 'instance' }],
  timeout: {
    default: { kind: 'none', note: 'the AWS SDK sets no request timeout by default (its Node handler\'s timeouts are 0)' },
    options: [
      {
        name: 'requestHandler',
        form: 'object',
        constructed: true,
        disabledBy: [0],
        boundingKeys: ['socketTimeout'],
        connectOnlyKeys: ['connectionTimeout'],
        undecidableKeys: ['requestTimeout'],
        undecidableNote: 'current @smithy/node-http-handler only logs a warning when it passes (unless `throwOnRequestTimeout: true`); earlier versions rejected',
      },
    ],
    signalOption: 'abortSignal',
    undecidableOptions: ['httpAgent', 'httpsAgent'],
    advice: 'set `requestHandler: { socketTimeout, connectionTimeout }` on the client, or pass `{ abortSignal: AbortSignal.timeout(ms) }` to `send`',
  },
};
