import { eslintRule, ruleTester } from '../rule-tester.ts';

const rule = eslintRule('require-backoff');

const PRELUDE = 'const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\ndeclare function op(): Promise<number>;\n';
const POLICY = 'use `retry` from @resilience-kit/policies (exponential backoff with full jitter and a cap on attempts)';

ruleTester.run('require-backoff', rule, {
  valid: [
    // Exponential, in its usual spellings.
    `${PRELUDE}export async function f() { for (let i = 0; i < 5; i++) { try { return await op(); } catch { await sleep(100 * 2 ** i); } } }`,
    `${PRELUDE}export async function f() { for (let i = 0; i < 5; i++) { try { return await op(); } catch { await sleep(Math.min(100 * Math.pow(2, i), 5000)); } } }`,
    `${PRELUDE}export async function f() { let d = 100; for (let i = 0; i < 5; i++) { try { return await op(); } catch { await sleep(d); d *= 2; } } }`,
    // Not retries: items, a catch that always exits, polling without try.
    `${PRELUDE}export async function f(ids: string[]) { for (const id of ids) { try { await op(); } catch { await sleep(10); } } }`,
    `${PRELUDE}export async function f() { for (let i = 0; i < 5; i++) { try { return await op(); } catch (e) { throw e; } } }`,
    `${PRELUDE}export async function f() { while (true) { const n = await op(); if (n > 0) return n; await sleep(1000); } }`,
    // Linear is only reported under strict.
    `${PRELUDE}export async function f() { for (let i = 0; i < 5; i++) { try { return await op(); } catch { await sleep(1000 * i); } } }`,
    // Libraries with a backoff.
    "import axiosRetry from 'axios-retry'; import axios from 'axios'; axiosRetry(axios, { retries: 3, retryDelay: axiosRetry.exponentialDelay });",
    "import { retry, handleAll, ExponentialBackoff } from 'cockatiel'; export const p = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });",
    "import pRetry from 'p-retry'; declare function op(): Promise<number>; export const f = () => pRetry(op);",
    // superagent .retry(0) retries nothing.
    "import superagent from 'superagent'; export const f = (u: string) => superagent.get(u).retry(0);",
    // A poll at a fixed interval is a poll, not a missing backoff.
    `${PRELUDE}export async function f() { let n = await op(); for (let i = 0; i < 30 && n === 0; i++) { await sleep(1000); n = await op(); } return n; }`,
    // A job with one attempt is not retried; an exponential backoff is a backoff.
    "import { Queue } from 'bullmq'; const q = new Queue('mail'); export const f = () => q.add('welcome', {}, { attempts: 1 });",
    "import Bull from 'bull'; const q = new Bull('mail'); export const f = () => q.add({ id: 1 }, { attempts: 4, backoff: { type: 'exponential', delay: 500 } });",
  ],
  invalid: [
    {
      code: `${PRELUDE}export async function f() {\n  for (let attempt = 0; attempt < 3; attempt++) {\n    try {\n      return await op();\n    } catch (error) {\n      if (attempt === 2) throw error;\n      await sleep(1000);\n    }\n  }\n  throw new Error('gave up');\n}\n`,
      errors: [{
        messageId: 'constantDelay',
        data: { subject: 'This loop retrying `op()`', delay: 'waits a constant 1000 ms between attempts', fix: POLICY },
        line: 4,
        column: 3,
        endLine: 4,
        endColumn: 48,
        suggestions: [{
          messageId: 'resilienceFix',
          data: { description: 'Replace the loop with `retry(…, { maxAttempts: 3 })` from @resilience-kit/policies' },
          output: `import { retry } from '@resilience-kit/policies';\n${PRELUDE}export async function f() {\n  return await retry(() => op(), { maxAttempts: 3 });\n}\n`,
        }],
      }],
    },
    {
      code: "import axiosRetry from 'axios-retry';\nimport axios from 'axios';\naxiosRetry(axios, { retries: 3 });\n",
      errors: [{
        messageId: 'noDelay',
        data: { subject: '`axiosRetry(…)`', delay: "waits nothing between attempts (axios-retry's default)", fix: 'set `retryDelay: axiosRetry.exponentialDelay`' },
        line: 3,
        suggestions: [{ messageId: 'resilienceFix', data: { description: 'Set `retryDelay: axiosRetry.exponentialDelay`' }, output: "import axiosRetry from 'axios-retry';\nimport axios from 'axios';\naxiosRetry(axios, { retries: 3, retryDelay: axiosRetry.exponentialDelay });\n" }],
      }],
    },
    {
      code: "import superagent from 'superagent';\nexport const f = (u: string) => superagent.post(u).send({}).retry(3);\n",
      errors: [{ messageId: 'noDelay', data: { subject: '`.retry(3)` on a superagent request', delay: "waits nothing between attempts (superagent's default)", fix: 'configure an exponential backoff with jitter, or use `retry` from @resilience-kit/policies' }, line: 2, suggestions: [] }],
    },
    {
      // Recursion from the catch block, constant delay; it has no counter, so no-unbounded-retry fires too (not this rule's business).
      code: `${PRELUDE}export async function load(): Promise<number> {\n  try {\n    return await op();\n  } catch {\n    await sleep(500);\n    return load();\n  }\n}\n`,
      errors: [{ messageId: 'constantDelay', data: { subject: '`load`, which calls itself again when it fails,', delay: 'waits a constant 500 ms between attempts', fix: POLICY }, line: 8, suggestions: [] }],
    },
    {
      // A busy poll: no wait between the questions.
      code: `${PRELUDE}export async function f() {\n  let n = 0;\n  do {\n    n = await op();\n  } while (n === 0);\n  return n;\n}\n`,
      errors: [{
        messageId: 'busyPoll',
        data: { subject: 'This loop, which polls `op()` until the answer changes,', delay: 'waits nothing between polls', fix: 'wait between polls (a fixed interval is fine for a poll) and stop at a deadline' },
        line: 5,
        suggestions: [],
      }],
    },
    {
      // A job queue's fixed backoff: the fix keeps its delay as the exponential's base.
      code: "import { Queue } from 'bullmq';\nconst q = new Queue('mail');\nexport const send = () => q.add('welcome', {}, { attempts: 5, backoff: 2000 });\n",
      errors: [{
        messageId: 'constantDelay',
        data: { subject: 'A job added by `q.add(…)` with `attempts: 5`', delay: 'waits a constant 2000 ms between attempts', fix: "set `backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 }` in the job options (BullMQ 5.54 or later for `jitter`)" },
        line: 3,
        column: 50,
        endColumn: 61,
        suggestions: [{
          messageId: 'resilienceFix',
          data: { description: "Set `backoff: { type: 'exponential', delay: 2000, jitter: 0.5 }`" },
          output: "import { Queue } from 'bullmq';\nconst q = new Queue('mail');\nexport const send = () => q.add('welcome', {}, { attempts: 5, backoff: { type: 'exponential', delay: 2000, jitter: 0.5 } });\n",
        }],
      }],
    },
    {
      // A queue's defaults with attempts and no backoff: every job is retried at once.
      code: "import Bull from 'bull';\nexport const q = new Bull('reports', { defaultJobOptions: { attempts: 3 } });\n",
      errors: [{
        messageId: 'noDelay',
        data: { subject: 'Every job of the queue `reports` (`defaultJobOptions` of `new Bull(…)`) with `attempts: 3`', delay: 'waits nothing between attempts (with no `backoff`, Bull retries a failed job at once)', fix: "set `backoff: { type: 'exponential', delay: 1_000 }` in the job options" },
        line: 2,
        suggestions: [{
          messageId: 'resilienceFix',
          data: { description: "Set `backoff: { type: 'exponential', delay: 1_000 }`" },
          output: "import Bull from 'bull';\nexport const q = new Bull('reports', { defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 1_000 } } });\n",
        }],
      }],
    },
    {
      code: `${PRELUDE}export async function f() { for (let i = 0; i < 5; i++) { try { return await op(); } catch { await sleep(1000 * i); } } }`,
      options: [{ strict: true }],
      errors: [{
        messageId: 'linearDelay',
        suggestions: [{
          messageId: 'resilienceFix',
          data: { description: 'Replace the loop with `retry(…, { maxAttempts: 5 })` from @resilience-kit/policies' },
          output: `import { retry } from '@resilience-kit/policies';\n${PRELUDE}export async function f() { return await retry(() => op(), { maxAttempts: 5 }); }`,
        }],
      }],
    },
  ],
});
