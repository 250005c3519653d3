import { eslintRule, ruleTester } from '../rule-tester.ts';

const rule = eslintRule('no-unbounded-retry');

const PRELUDE = 'const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\ndeclare function op(): Promise<number>;\ndeclare function isRetryable(e: unknown): boolean;\n';

ruleTester.run('no-unbounded-retry', rule, {
  valid: [
    `${PRELUDE}export async function f() { for (let i = 0; i < 5; i++) { try { return await op(); } catch { await sleep(Math.random() * 2 ** i); } } }`,
    `${PRELUDE}export async function f() { let attempt = 0; while (true) { try { return await op(); } catch (e) { if (++attempt >= 5) throw e; await sleep(Math.random() * 2 ** attempt); } } }`,
    `${PRELUDE}export async function f(budget: number) { const start = Date.now(); while (Date.now() - start < budget) { try { return await op(); } catch { await sleep(Math.random() * 100); } } }`,
    `${PRELUDE}export async function load(attempt = 0): Promise<number> { try { return await op(); } catch (e) { if (attempt >= 3) throw e; await sleep(Math.random() * 2 ** attempt); return load(attempt + 1); } }`,
    "import { retry, handleAll, ExponentialBackoff } from 'cockatiel'; export const p = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });",
    "import pRetry from 'p-retry'; declare function op(): Promise<number>; export const f = () => pRetry(op, { forever: true, maxRetryTime: 60_000, randomize: true });",
    "import { retry } from 'rxjs'; declare const source: { pipe(...a: unknown[]): unknown }; source.pipe(retry(3));",
    // A poll within a deadline.
    `${PRELUDE}export async function f(id: string) { const start = Date.now(); let n = await op(); while (n === 0) { if (Date.now() - start > 60_000) throw new Error(id); await sleep(1000); n = await op(); } return n; }`,
  ],
  invalid: [
    {
      code: `${PRELUDE}export async function f() {\n  while (true) {\n    try {\n      return await op();\n    } catch (e) {\n      if (!isRetryable(e)) throw e;\n      await sleep(Math.random() * 1000);\n    }\n  }\n}\n`,
      errors: [{ messageId: 'unbounded', data: { subject: 'This loop retrying `op()`', cap: 'with no limit on attempts', fix: 'use `retry` from @resilience-kit/policies (exponential backoff with full jitter and a cap on attempts)' }, line: 5, suggestions: [] }],
    },
    {
      code: "import { retry, handleAll, ExponentialBackoff } from 'cockatiel';\nexport const p = retry(handleAll, { backoff: new ExponentialBackoff() });\n",
      errors: [{
        messageId: 'unbounded',
        data: { subject: '`retry(…)`', cap: 'with no limit on attempts (cockatiel retry is unbounded by default)', fix: 'set `maxAttempts: 5`' },
        line: 2,
        suggestions: [{ messageId: 'resilienceFix', data: { description: 'Set `maxAttempts: 5`' }, output: "import { retry, handleAll, ExponentialBackoff } from 'cockatiel';\nexport const p = retry(handleAll, { backoff: new ExponentialBackoff(), maxAttempts: 5 });\n" }],
      }],
    },
    {
      code: "import pRetry from 'p-retry';\ndeclare function op(): Promise<number>;\nexport const f = () => pRetry(op, { retries: Infinity, randomize: true });\n",
      errors: [{ messageId: 'unbounded', data: { subject: '`pRetry(…)`', cap: 'with no limit on attempts (`retries: Infinity`)', fix: 'set a finite limit on attempts (or on total time)' }, suggestions: [] }],
    },
    {
      code: "import { retry } from 'rxjs';\ndeclare const source: { pipe(...a: unknown[]): unknown };\nsource.pipe(retry());\n",
      errors: [{ messageId: 'unbounded', data: { subject: '`retry(…)`', cap: 'with no limit on attempts (rxjs retry is unbounded by default)', fix: 'set a finite limit on attempts (or on total time)' }, suggestions: [] }],
    },
    {
      code: `${PRELUDE}export function poll(): void {\n  op().catch(() => setTimeout(poll, Math.random() * 1000));\n}\n`,
      errors: [{ messageId: 'unbounded', data: { subject: '`poll`, which re-schedules itself with `setTimeout` when it fails,', cap: 'with no limit on attempts (nothing counts the calls)', fix: 'use `retry` from @resilience-kit/policies (exponential backoff with full jitter and a cap on attempts)' }, line: 5, suggestions: [] }],
    },
    {
      // A poll with no deadline.
      code: `${PRELUDE}export async function f() {\n  let n = await op();\n  while (n === 0) {\n    await sleep(1000);\n    n = await op();\n  }\n  return n;\n}\n`,
      errors: [{
        messageId: 'unboundedPoll',
        data: { subject: 'This loop, which polls `op()` until the answer changes,', cap: 'with no deadline (nothing bounds the rounds or the time)', fix: 'stop at a deadline (compare `Date.now()` with the time polling started, or count the rounds) and fail with a clear error' },
        line: 6,
        suggestions: [],
      }],
    },
  ],
});
