import { eslintRule, ruleTester } from '../rule-tester.ts';

const rule = eslintRule('require-idempotency-key');

const IMPORT = "import { idempotencyKey } from '@resilience-kit/policies';";
const SIGNAL = 'signal: AbortSignal.timeout(5000)';

ruleTester.run('require-idempotency-key', rule, {
  valid: [
    // Idempotent methods may be retried without a key.
    `import pRetry from 'p-retry'; export const f = (u: string) => pRetry(() => fetch(u, { method: 'PUT', ${SIGNAL} }), { randomize: true });`,
    `import pRetry from 'p-retry'; export const f = (u: string) => pRetry(() => fetch(u, { ${SIGNAL} }), { randomize: true });`,
    // A POST that nothing retries.
    `export const f = (u: string) => fetch(u, { method: 'POST', ${SIGNAL} });`,
    // A key made once, outside the retry.
    `import pRetry from 'p-retry'; import { randomUUID } from 'node:crypto'; export async function f(u: string) { const key = randomUUID(); return pRetry(() => fetch(u, { method: 'POST', headers: { 'Idempotency-Key': key }, ${SIGNAL} }), { randomize: true }); }`,
    `import pRetry from 'p-retry'; export const f = (u: string, key: string) => pRetry(() => fetch(u, { method: 'POST', headers: { 'x-idempotency-key': key }, ${SIGNAL} }), { randomize: true });`,
    // axios-retry limited to idempotent requests; got's default methods exclude POST.
    "import axios from 'axios'; import axiosRetry from 'axios-retry'; const api = axios.create({ timeout: 5000 }); axiosRetry(api, { retryDelay: axiosRetry.exponentialDelay, retryCondition: axiosRetry.isIdempotentRequestError }); export const f = () => api.post('/x', {});",
    "import got from 'got'; export const f = (u: string) => got.post(u, { timeout: { request: 5000 }, retry: { limit: 2 } });",
    // A client retry with an inline key: the client re-sends the same headers.
    "import got from 'got'; import { randomUUID } from 'node:crypto'; export const f = (u: string) => got.post(u, { timeout: { request: 5000 }, retry: { limit: 2, methods: ['POST'] }, headers: { 'Idempotency-Key': randomUUID() } });",
    // The method is not known here.
    `import pRetry from 'p-retry'; export const f = (u: string, method: string) => pRetry(() => fetch(u, { method, ${SIGNAL} }), { randomize: true });`,
  ],
  invalid: [
    {
      // A legacy (experimentalDecorators) method decorator that retries the method it decorates.
      code: [
        'const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));',
        'export function Retry(times = 3): MethodDecorator {',
        '  return (_target, _key, descriptor: PropertyDescriptor) => {',
        '    const original = descriptor.value;',
        '    descriptor.value = async function (this: unknown, ...args: unknown[]) {',
        '      for (let attempt = 0; attempt < times; attempt++) {',
        '        try { return await original.apply(this, args); } catch { await sleep(100 * 2 ** attempt + Math.random() * 100); }',
        '      }',
        '    };',
        '  };',
        '}',
        'export class Payments {',
        '  @Retry(5)',
        `  async charge(amount: number) { return fetch('https://pay.example.com/charges', { method: 'POST', body: String(amount), ${SIGNAL} }); }`,
        '}',
        '',
      ].join('\n'),
      errors: [{
        messageId: 'missingKey',
        data: {
          call: 'fetch',
          method: 'POST',
          retried: 'is retried by `@Retry` (its retry is at line 6)',
          reason: 'with no idempotency key',
          fix: "take the key from the caller (a parameter, made once with `idempotencyKey()` from @resilience-kit/policies) or derive it from the method's arguments, the same on every attempt, and send it as the `Idempotency-Key` header",
        },
        line: 14,
        suggestions: [],
      }],
    },
    {
      code: `import pRetry from 'p-retry';\nexport async function place(u: string) {\n  return pRetry(() => fetch(u, { method: 'POST', ${SIGNAL} }), { randomize: true });\n}\n`,
      errors: [{
        messageId: 'missingKey',
        data: {
          call: 'fetch',
          method: 'POST',
          retried: 'is retried by `pRetry(…)` (line 3)',
          reason: 'with no idempotency key',
          fix: 'create one key with `idempotencyKey()` from @resilience-kit/policies before the retry and send it as the `Idempotency-Key` header with every attempt',
        },
        line: 3,
        column: 23,
        suggestions: [{
          messageId: 'resilienceFix',
          data: { description: 'Send an idempotency key made once with `idempotencyKey()`' },
          output: `import pRetry from 'p-retry';\n${IMPORT}\nexport async function place(u: string) {\n  const idemKey = idempotencyKey();\n  return pRetry(() => fetch(u, { method: 'POST', ${SIGNAL}, headers: { 'Idempotency-Key': idemKey } }), { randomize: true });\n}\n`,
        }],
      }],
    },
    {
      // A new key per attempt defeats the point.
      code: `import pRetry from 'p-retry';\nimport { randomUUID } from 'node:crypto';\nexport const f = (u: string) => pRetry(() => {\n  const key = randomUUID();\n  return fetch(u, { method: 'POST', headers: { 'Idempotency-Key': key }, ${SIGNAL} });\n}, { randomize: true });\n`,
      errors: [{ messageId: 'perAttemptKey', data: { call: 'fetch', method: 'POST', retried: 'is retried by `pRetry(…)` (line 3)', reason: 'its idempotency key `key` is made inside the retried code, so every attempt sends a new one', fix: 'create one key with `idempotencyKey()` from @resilience-kit/policies before the retry and send it as the `Idempotency-Key` header with every attempt' }, line: 5, suggestions: [] }],
    },
    {
      // axios-retry's default condition retries POST on network errors.
      code: "import axios from 'axios';\nimport axiosRetry from 'axios-retry';\nconst api = axios.create({ timeout: 5000 });\naxiosRetry(api, { retryDelay: axiosRetry.exponentialDelay });\nexport const refund = (id: string) => api.post(`/refunds/${id}`, {});\n",
      errors: [{
        messageId: 'missingKey',
        data: { call: 'api.post', method: 'POST', retried: 'is retried by axios-retry (line 4), whose default condition retries POST on network errors', reason: 'with no idempotency key', fix: 'send it as the `Idempotency-Key` header with `idempotencyKey()` from @resilience-kit/policies (the client re-sends the same headers on its retries)' },
        line: 5,
        suggestions: [{ messageId: 'resilienceFix', data: { description: 'Send an idempotency key made once with `idempotencyKey()`' }, output: `import axios from 'axios';\nimport axiosRetry from 'axios-retry';\n${IMPORT}\nconst api = axios.create({ timeout: 5000 });\naxiosRetry(api, { retryDelay: axiosRetry.exponentialDelay });\nexport const refund = (id: string) => api.post(\`/refunds/\${id}\`, {}, { headers: { 'Idempotency-Key': idempotencyKey() } });\n` }],
      }],
    },
    {
      code: "import superagent from 'superagent';\nexport const f = (u: string) => superagent.post(u).timeout(5000).send({}).retry(2);\n",
      errors: [{ messageId: 'missingKey', data: { call: 'superagent.post', method: 'POST', retried: 'is retried by `.retry(2)`, which re-sends any method', reason: 'with no idempotency key', fix: 'send it as the `Idempotency-Key` header with `idempotencyKey()` from @resilience-kit/policies (the client re-sends the same headers on its retries)' }, line: 2, suggestions: [] }],
    },
    {
      code: `import pRetry from 'p-retry';\nexport const f = (u: string, init: RequestInit) => pRetry(() => fetch(u, { ...init, method: 'POST', ${SIGNAL} }), { randomize: true });\n`,
      options: [{ strict: true }],
      errors: [{ messageId: 'unknownKey', suggestions: [] }],
    },
    {
      // A retried job runs its processor again: the key comes from the job's id.
      code: `import { Queue, Worker } from 'bullmq';\nexport const q = new Queue('payouts', { defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 } } });\nexport const w = new Worker('payouts', async (job) => {\n  await fetch('https://bank.example.com/transfers', { method: 'POST', ${SIGNAL} });\n});\n`,
      errors: [{
        messageId: 'missingKey',
        data: {
          call: 'fetch',
          method: 'POST',
          retried: 'is retried by the processor of `new Worker(…)` for queue `payouts`, whose jobs are retried (`attempts: 3` at line 2)',
          fix: 'derive the key from the job, the same on every attempt (`` `payouts-${job.id}` ``), and send it as the `Idempotency-Key` header',
        },
        line: 4,
        suggestions: [{
          messageId: 'resilienceFix',
          data: { description: "Send an idempotency key derived from the job's id" },
          output: `import { Queue, Worker } from 'bullmq';\nexport const q = new Queue('payouts', { defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 } } });\nexport const w = new Worker('payouts', async (job) => {\n  await fetch('https://bank.example.com/transfers', { method: 'POST', ${SIGNAL}, headers: { 'Idempotency-Key': \`payouts-\${job.id}\` } });\n});\n`,
        }],
      }],
    },
  ],
});
