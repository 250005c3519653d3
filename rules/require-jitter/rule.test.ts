import path from 'node:path';
import { eslintRule, ruleTester } from '../rule-tester.ts';

const rule = eslintRule('require-jitter');

/** Files of projects that declare ioredis 5 or 6: the default reconnect schedule is judged by version. */
const IOREDIS_5 = path.join(import.meta.dirname, 'fixtures/ioredis-5/src/redis.ts');
const IOREDIS_6 = path.join(import.meta.dirname, 'fixtures/ioredis-6/src/redis.ts');
const REDIS_4 = path.join(import.meta.dirname, 'fixtures/redis-4/src/cache.ts');
const REDIS_ADVICE = 'set `retryStrategy` where the client is made: return a delay that grows exponentially with the attempt and is randomised, as ioredis 6 does by default (`Math.min(2 ** (times - 1) * 50, 5_000) + Math.floor(Math.random() * 200)`)';
const STRATEGY = 'retryStrategy: (times) => Math.min(2 ** (times - 1) * 50, 5_000) + Math.floor(Math.random() * 200)';

const PRELUDE = 'const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\ndeclare function op(): Promise<number>;\n';

ruleTester.run('require-jitter', rule, {
  valid: [
    // ioredis 6's default reconnect schedule grows exponentially and is randomised.
    { code: "import Redis from 'ioredis';\nexport const r = new Redis(process.env.REDIS_URL!);\n", filename: IOREDIS_6 },
    // No version known (no package.json declares ioredis): the default is not judged.
    "import Redis from 'ioredis';\nexport const r = new Redis(process.env.REDIS_URL!);\n",
    // A schedule written by hand: judged as written, and this one is randomised.
    { code: "import Redis from 'ioredis';\nexport const r = new Redis({ retryStrategy: (n: number) => Math.random() * Math.min(2 ** n * 100, 10_000) });\n", filename: IOREDIS_5 },
    // Options from elsewhere may set one: undecided, silent.
    { code: "import Redis, { type RedisOptions } from 'ioredis';\ndeclare const options: RedisOptions;\nexport const r = new Redis(options);\n", filename: IOREDIS_5 },
    `${PRELUDE}export async function f() { for (let i = 0; i < 5; i++) { try { return await op(); } catch { await sleep(Math.random() * 100 * 2 ** i); } } }`,
    `${PRELUDE}export async function f() { let d = 100; for (let i = 0; i < 5; i++) { try { return await op(); } catch { await sleep(d + Math.random() * 50); d *= 2; } } }`,
    // No delay at all: require-backoff's finding, not this rule's.
    `${PRELUDE}export async function f() { for (let i = 0; i < 5; i++) { try { return await op(); } catch {} } }`,
    // A constant delay: require-backoff's finding too (one problem, one finding); its fix brings jitter.
    `${PRELUDE}export async function f() { for (let i = 0; i < 5; i++) { try { return await op(); } catch { await sleep(1000); } } }`,
    // Libraries that jitter (by default or by option).
    "import retry from 'async-retry'; declare function op(): Promise<number>; export const f = () => retry(op, { retries: 3 });",
    "import pRetry from 'p-retry'; declare function op(): Promise<number>; export const f = () => pRetry(op, { randomize: true });",
    "import { backOff } from 'exponential-backoff'; declare function op(): Promise<number>; export const f = () => backOff(op, { jitter: 'full' });",
    "import { retry, handleAll, ExponentialBackoff } from 'cockatiel'; export const p = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });",
    "import got from 'got'; export const f = (u: string) => got(u, { retry: { limit: 3 } });",
    "import ky from 'ky'; export const f = (u: string) => ky.get(u, { retry: { limit: 3, jitter: true } });",
  ],
  invalid: [
    {
      // node-redis 4's default reconnect schedule is linear and never randomised; no fix is planned for it.
      code: "import { createClient } from 'redis';\nexport const r = createClient({ url: process.env.REDIS_URL });\n",
      filename: REDIS_4,
      errors: [{
        messageId: 'noJitter',
        data: {
          subject: '`createClient(…)`, which reconnects after a failure,',
          delay: 'waits a linearly growing delay between attempts',
          why: ' (with no `socket.reconnectStrategy`, redis 4.7.1 waits `Math.min(retries * 50, 500)` ms)',
          fix: 'return a delay that grows exponentially with the attempt and is randomised, as node-redis 5 does by default (`Math.min(2 ** retries * 50, 2_000) + Math.floor(Math.random() * 200)`)',
        },
        line: 2,
        suggestions: [],
      }],
    },
    {
      code: "import Redis from 'ioredis';\nexport const r = new Redis(process.env.REDIS_URL!);\n",
      filename: IOREDIS_5,
      errors: [{
        messageId: 'noJitter',
        data: { subject: '`new Redis(…)`, which reconnects after a failure,', delay: 'waits a linearly growing delay between attempts', why: ' (with no `retryStrategy`, ioredis 5.10.1 waits `Math.min(times * 50, 2000)` ms)', fix: REDIS_ADVICE },
        line: 2,
        column: 22,
        endColumn: 27,
        suggestions: [{ messageId: 'resilienceFix', data: { description: 'Add `retryStrategy` with exponential, randomised delays where the client is made' }, output: `import Redis from 'ioredis';\nexport const r = new Redis(process.env.REDIS_URL!, { ${STRATEGY} });\n` }],
      }],
    },
    {
      code: "import Redis from 'ioredis';\nexport const r = new Redis({ host: 'cache', commandTimeout: 2_000 });\n",
      filename: IOREDIS_5,
      errors: [{
        messageId: 'noJitter',
        suggestions: [{ messageId: 'resilienceFix', data: { description: 'Add `retryStrategy` with exponential, randomised delays where the client is made' }, output: `import Redis from 'ioredis';\nexport const r = new Redis({ host: 'cache', commandTimeout: 2_000, ${STRATEGY} });\n` }],
      }],
    },
    {
      // A settings object declared with the options type, spread into the client: judged once, where it is written.
      code: "import Redis, { type RedisOptions } from 'ioredis';\nexport const reconnect: Partial<RedisOptions> = {\n  retryStrategy: (times: number) => Math.max(Math.min(Math.exp(times), 20_000), 1_000),\n};\nexport const r = new Redis({ commandTimeout: 2_000, ...reconnect });\n",
      filename: IOREDIS_5,
      errors: [{
        messageId: 'noJitter',
        data: { subject: 'The `retryStrategy` of `reconnect`, which reconnects after a failure,', delay: 'backs off exponentially', why: '', fix: 'return a delay that grows exponentially with the attempt and is randomised, as ioredis 6 does by default (`Math.min(2 ** (times - 1) * 50, 5_000) + Math.floor(Math.random() * 200)`)' },
        line: 3,
        suggestions: [],
      }],
    },
    {
      code: "import pRetry from 'p-retry';\ndeclare function op(): Promise<number>;\nexport const f = () => pRetry(op);\n",
      errors: [{
        messageId: 'noJitter',
        data: { subject: '`pRetry(…)`', delay: 'backs off exponentially', why: " (p-retry's default)", fix: 'set `randomize: true`' },
        line: 3,
        column: 24,
        endColumn: 30,
        suggestions: [{ messageId: 'resilienceFix', data: { description: 'Set `randomize: true`' }, output: "import pRetry from 'p-retry';\ndeclare function op(): Promise<number>;\nexport const f = () => pRetry(op, { randomize: true });\n" }],
      }],
    },
    {
      code: "import { backOff } from 'exponential-backoff';\ndeclare function op(): Promise<number>;\nexport const f = () => backOff(op, { jitter: 'none' });\n",
      errors: [{
        messageId: 'noJitter',
        data: { subject: '`backOff(…)`', delay: 'backs off exponentially', why: ' (turned off in its options)', fix: "set `jitter: 'full'`" },
        suggestions: [{ messageId: 'resilienceFix', data: { description: "Set `jitter: 'full'`" }, output: "import { backOff } from 'exponential-backoff';\ndeclare function op(): Promise<number>;\nexport const f = () => backOff(op, { jitter: 'full' });\n" }],
      }],
    },
    {
      code: "import { retry, handleAll, ExponentialBackoff, noJitterGenerator } from 'cockatiel';\nexport const p = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff({ generator: noJitterGenerator }) });\n",
      errors: [{ messageId: 'noJitter', data: { subject: '`retry(…)`', delay: 'backs off exponentially', why: ' (turned off in its options)', fix: 'set `backoff: new ExponentialBackoff()`' }, line: 2,
        suggestions: [{ messageId: 'resilienceFix', data: { description: 'Set `backoff: new ExponentialBackoff()`' }, output: "import { retry, handleAll, ExponentialBackoff, noJitterGenerator } from 'cockatiel';\nexport const p = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });\n" }] }],
    },
    {
      code: `${PRELUDE}export async function f() {\n  let delay = 100;\n  for (let i = 0; i < 5; i++) {\n    try {\n      return await op();\n    } catch {\n      await sleep(delay);\n      delay *= 2;\n    }\n  }\n}\n`,
      errors: [{ messageId: 'noJitter', data: { subject: 'This loop retrying `op()`', delay: 'backs off exponentially', why: '', fix: 'use `retry` from @resilience-kit/policies (exponential backoff with full jitter and a cap on attempts)' }, line: 5, suggestions: [] }],
    },
    {
      code: "import ky from 'ky';\nexport const api = ky.create({ retry: { limit: 4 } });\n",
      errors: [{ messageId: 'noJitter', data: { subject: '`ky.create(…)` with its `retry` option', delay: 'backs off exponentially', why: " (ky's default)", fix: 'set `jitter: true`' },
        suggestions: [{ messageId: 'resilienceFix', data: { description: 'Set `jitter: true`' }, output: "import ky from 'ky';\nexport const api = ky.create({ retry: { limit: 4, jitter: true } });\n" }] }],
    },
    {
      // BullMQ: the jitter option is added to the exponential backoff written in place.
      code: "import { Queue } from 'bullmq';\nconst q = new Queue('mail');\nexport const send = () => q.add('invoice', {}, { attempts: 6, backoff: { type: 'exponential', delay: 1000 } });\n",
      errors: [{
        messageId: 'noJitter',
        data: { subject: 'A job added by `q.add(…)` with `attempts: 6`', delay: 'backs off exponentially', why: ' (BullMQ randomises a backoff only when it sets `jitter`)', fix: 'add `jitter: 0.5` to the backoff (BullMQ 5.54 or later)' },
        line: 3,
        suggestions: [{
          messageId: 'resilienceFix',
          data: { description: 'Set `jitter: 0.5` in the backoff' },
          output: "import { Queue } from 'bullmq';\nconst q = new Queue('mail');\nexport const send = () => q.add('invoice', {}, { attempts: 6, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 } });\n",
        }],
      }],
    },
    {
      // Bull has no jitter option: no mechanical fix.
      code: "import Bull from 'bull';\nconst q = new Bull('thumbnails');\nexport const make = (id: string) => q.add({ id }, { attempts: 3, backoff: { type: 'exponential', delay: 2000 } });\n",
      errors: [{
        messageId: 'noJitter',
        data: { subject: 'A job added by `q.add(…)` with `attempts: 3`', delay: 'backs off exponentially', why: " (Bull's exponential backoff has no jitter option)", fix: "Bull cannot randomise a built-in backoff: register a custom strategy in the queue's `settings.backoffStrategies` that adds jitter, or move to BullMQ (`backoff.jitter`)" },
        line: 3,
        suggestions: [],
      }],
    },
  ],
});
