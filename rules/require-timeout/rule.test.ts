import { eslintRule, ruleTester } from '../rule-tester.ts';

const rule = eslintRule('require-timeout');

const FETCH_REASON = 'fetch has no deadline (on Node, undici waits up to 300 s for headers, then as long as the body keeps trickling in)';
const FETCH_ADVICE = 'pass `signal: AbortSignal.timeout(ms)` or wrap the call in `withTimeout` from @resilience-kit/policies';
const AXIOS_ADVICE = 'set `timeout` (or `signal: AbortSignal.timeout(ms)`, a total deadline on Node) or wrap the call in `withTimeout` from @resilience-kit/policies';
const IMPORT = "import { withTimeout } from '@resilience-kit/policies';";
const suggestion = (output: string) => [{ messageId: 'resilienceFix', data: { description: 'Wrap in `withTimeout(10_000, …)` from @resilience-kit/policies (the default `timeoutMs`)' }, output }];

ruleTester.run('require-timeout', rule, {
  valid: [
    // A deadline on the call itself.
    'export const f = (url: string) => fetch(url, { signal: AbortSignal.timeout(5000) });',
    'export const f = (url: string, s: AbortSignal) => fetch(url, { signal: AbortSignal.any([s, AbortSignal.timeout(5000)]) });',
    "import axios from 'axios'; export const f = (url: string) => axios.get(url, { timeout: 5000 });",
    "import axios from 'axios'; declare const config: { ms: number }; export const f = (url: string) => axios.get(url, { timeout: config.ms });",
    "import got from 'got'; export const f = (url: string) => got(url, { timeout: { request: 5000 } });",
    // ky has a 10 s default; got/ky `0` fires immediately (not "no timeout").
    "import ky from 'ky'; export const f = (url: string) => ky.get(url).json();",
    "import ky from 'ky'; export const f = (url: string) => ky.get(url, { timeout: 0 });",
    // Instance and module defaults.
    "import axios from 'axios'; const api = axios.create({ timeout: 5000 }); export const f = (u: string) => api.get(u);",
    "import axios from 'axios'; const api = axios.create(); api.defaults.timeout = 5000; export const f = (u: string) => api.get(u);",
    "import axios from 'axios'; axios.defaults.timeout = 5000; const api = axios.create(); export const f = (u: string) => api.get(u);",
    "import axios from 'axios'; axios.defaults.timeout = 5000; export const f = (u: string) => axios.get(u);",
    // A timer-aborted controller.
    'export function f(url: string) { const c = new AbortController(); setTimeout(() => c.abort(), 5000); return fetch(url, { signal: c.signal }); }',
    // Enclosing policies.
    "import { withTimeout } from '@resilience-kit/policies'; export const f = (url: string) => withTimeout(5000, (signal) => fetch(url, { signal }));",
    "import { timeout, TimeoutStrategy } from 'cockatiel'; const t = timeout(5000, TimeoutStrategy.Aggressive); export const f = (url: string) => t.execute(({ signal }) => fetch(url, { signal }));",
    "import pTimeout from 'p-timeout'; export const f = (url: string) => pTimeout(fetch(url), { milliseconds: 5000 });",
    // node:http with a destroying handler, or a signal.
    "import https from 'node:https'; export function f(url: string) { const req = https.get(url, { timeout: 5000 }, (r) => r.resume()); req.on('timeout', () => req.destroy()); }",
    "import { get } from 'node:https'; export const f = (url: string) => get(url, { signal: AbortSignal.timeout(5000) });",
    // superagent's own deadline.
    "import superagent from 'superagent'; export const f = (url: string) => superagent.get(url).timeout(5000);",
    // Not requests at all.
    'declare const app: { get(p: string, h: () => void): void }; app.get("/x", () => {});',
    'const m = new Map<string, number>(); m.get("x");',
    'export function f(q: string) { return new URLSearchParams(q).get("a"); }',
    'function fetch(x: string) { return x; } fetch("/a");',
    'const axios = { get: (u: string) => u }; axios.get("/a");',
    'export function f(fetch: (u: string) => Promise<unknown>) { return fetch("/a"); }',
    // Undecidable: silent unless strict.
    'export const f = (url: string, init: RequestInit) => fetch(url, init);',
    // node-fetch 2 honours `timeout`, 3 ignores it: undecidable without the installed version.
    "import fetch from 'node-fetch'; export const f = (url: string) => fetch(url, { timeout: 5000 });",
    // A `let` that is never reassigned is followed like a const.
    "import superagent from 'superagent'; export function f(url: string) { let req = superagent.get(url); req.timeout(5000); return req; }",
  ],
  invalid: [
    {
      code: 'export async function load(url: string) {\n  return await fetch(url);\n}\n',
      errors: [
        {
          messageId: 'missingTimeout',
          data: { call: 'fetch', reason: FETCH_REASON, advice: FETCH_ADVICE },
          line: 2,
          column: 16,
          endLine: 2,
          endColumn: 26,
          suggestions: suggestion(`${IMPORT}\nexport async function load(url: string) {\n  return await withTimeout(10_000, (signal) => fetch(url, { signal }));\n}\n`),
        },
      ],
    },
    {
      code: "import axios from 'axios';\nexport const f = (url: string) => axios.post(url, { a: 1 }, {\n  headers: { x: '1' }, // keep\n});\n",
      errors: [
        {
          messageId: 'missingTimeout',
          data: { call: 'axios.post', reason: 'axios defaults to `timeout: 0`, which means no timeout', advice: AXIOS_ADVICE },
          line: 2,
          suggestions: suggestion(
            `import axios from 'axios';\n${IMPORT}\nexport const f = (url: string) => withTimeout(10_000, (signal) => axios.post(url, { a: 1 }, {\n  headers: { x: '1' }, // keep\n  signal,\n}));\n`,
          ),
        },
      ],
    },
    {
      code: "import axios from 'axios';\nconst api = axios.create({ timeout: 5000 });\nexport const f = (u: string) => api.get(u, { timeout: 0 });\n",
      errors: [
        {
          messageId: 'ineffectiveTimeout',
          data: { call: 'api.get', reason: "sets `timeout: 0`, which turns axios's timeout off", advice: AXIOS_ADVICE },
          line: 3,
          suggestions: suggestion(
            `import axios from 'axios';\n${IMPORT}\nconst api = axios.create({ timeout: 5000 });\nexport const f = (u: string) => withTimeout(10_000, (signal) => api.get(u, { timeout: 0, signal }));\n`,
          ),
        },
      ],
    },
    {
      // axios.create copies the defaults when called: a later axios.defaults.timeout does not reach `api`.
      code: "import axios from 'axios';\nconst api = axios.create();\naxios.defaults.timeout = 5000;\nexport const f = (u: string) => api.get(u);\n",
      errors: [{ messageId: 'ineffectiveTimeout', line: 4, suggestions: suggestion(`import axios from 'axios';\n${IMPORT}\nconst api = axios.create();\naxios.defaults.timeout = 5000;\nexport const f = (u: string) => withTimeout(10_000, (signal) => api.get(u, { signal }));\n`) }],
    },
    {
      code: "import got from 'got';\nexport const f = (u: string) => got(u).json();\n",
      errors: [{ messageId: 'missingTimeout', line: 2, suggestions: suggestion(`import got from 'got';\n${IMPORT}\nexport const f = (u: string) => withTimeout(10_000, (signal) => got(u, { signal }).json());\n`) }],
    },
    {
      code: "import got from 'got';\nexport const f = (u: string) => got(u, { timeout: { connect: 1000 } });\n",
      errors: [{ messageId: 'ineffectiveTimeout', data: { call: 'got', reason: 'sets only `connect: 1000` in `timeout`, which bounds connecting but not the response', advice: 'set `timeout: { request: ms }` or wrap the call in `withTimeout` from @resilience-kit/policies' }, line: 2, suggestions: suggestion(`import got from 'got';\n${IMPORT}\nexport const f = (u: string) => withTimeout(10_000, (signal) => got(u, { timeout: { connect: 1000 }, signal }));\n`) }],
    },
    {
      // Node only emits 'timeout'; nothing destroys the request. No automatic fix for a ClientRequest.
      code: "import https from 'node:https';\nexport function f(url: string) {\n  https.get(url, { timeout: 5000 }, (res) => res.resume());\n}\n",
      errors: [
        {
          messageId: 'ineffectiveTimeout',
          data: {
            call: 'https.get',
            reason: "sets `timeout`, but node:http only emits 'timeout' and aborts nothing; nothing here destroys the request",
            advice: "pass `signal: AbortSignal.timeout(ms)`, or handle 'timeout' with `req.destroy()`",
          },
          line: 3,
          suggestions: [],
        },
      ],
    },
    {
      // The name `signal` is taken inside the call: the callback parameter gets a fresh one.
      code: 'export const f = (url: string, signal: string) => fetch(url, { headers: { signal } });\n',
      errors: [{ messageId: 'missingTimeout', suggestions: suggestion(`${IMPORT}\nexport const f = (url: string, signal: string) => withTimeout(10_000, (timeoutSignal) => fetch(url, { headers: { signal }, signal: timeoutSignal }));\n`) }],
    },
    {
      // `await` inside the arguments: in the callback, that work would count against the deadline. No fix.
      code: 'export const f = async (g: () => Promise<string>) => fetch(await g());\n',
      errors: [{ messageId: 'missingTimeout', suggestions: [] }],
    },
    {
      // strict reports what cannot be decided, and composes the caller's signal.
      code: 'export const f = (url: string, s: AbortSignal) => fetch(url, { signal: s });\n',
      options: [{ strict: true }],
      errors: [{ messageId: 'unprovenTimeout', suggestions: suggestion(`${IMPORT}\nexport const f = (url: string, s: AbortSignal) => withTimeout(10_000, (signal) => fetch(url, { signal }), { signal: s });\n`) }],
    },
    {
      // Plain JS: an untyped parameter named like a URL is the URL, not the options.
      code: "const https = require('https');\nfunction ping(url, done) {\n  https.get(url, (res) => done(res.statusCode));\n}\nmodule.exports = { ping };\n",
      filename: 'ping.js',
      errors: [{ messageId: 'missingTimeout', data: { call: 'https.get', reason: "Node's http client has no deadline", advice: "pass `signal: AbortSignal.timeout(ms)`, or handle 'timeout' with `req.destroy()`" }, line: 3, suggestions: [] }],
    },
    {
      // A callee split over lines is named as written, without the line break.
      code: "import axios from 'axios';\nexport const f = (url: string) => axios\n  .get(url);\n",
      errors: [{ messageId: 'missingTimeout', data: { call: 'axios.get', reason: 'axios defaults to `timeout: 0`, which means no timeout', advice: AXIOS_ADVICE }, line: 2, suggestions: suggestion(`import axios from 'axios';\n${IMPORT}\nexport const f = (url: string) => withTimeout(10_000, (signal) => axios\n  .get(url, { signal }));\n`) }],
    },
    {
      code: "import fetch from 'node-fetch';\nexport const f = (url: string) => fetch(url, { timeout: 5000 });\n",
      options: [{ strict: true }],
      errors: [{ messageId: 'unprovenTimeout', data: { call: 'fetch', reason: 'sets `timeout: 5000`: node-fetch 2 honours `timeout`, but node-fetch 3 ignores it', advice: 'pass `signal: AbortSignal.timeout(ms)` or wrap the call in `withTimeout` from @resilience-kit/policies' }, line: 2, suggestions: suggestion(`import fetch from 'node-fetch';\n${IMPORT}\nexport const f = (url: string) => withTimeout(10_000, (signal) => fetch(url, { timeout: 5000, signal }));\n`) }],
    },
    {
      code: "import superagent from 'superagent';\nexport const f = (url: string) => superagent.post(url).send({ a: 1 }).timeout(0);\n",
      errors: [{ messageId: 'ineffectiveTimeout', line: 2, suggestions: [] }],
    },
    // One default deadline would cut these off: no fix unless `deadlines` gives them one (issue 11, kind 4).
    {
      // A language-model completion, by origin.
      code: "export const f = (body: string) => fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', body });\n",
      errors: [{ messageId: 'missingTimeout', suggestions: [] }],
    },
    {
      // … by path, behind a gateway; with a deadline for the kind, the fix writes it and says where it came from.
      code: "export const f = (gateway: string, body: string) => fetch(`${gateway}/v1/chat/completions`, { method: 'POST', body });\n",
      options: [{ deadlines: [{ kind: 'llm', timeoutMs: 120_000 }] }],
      errors: [{
        messageId: 'missingTimeout',
        suggestions: [{
          messageId: 'resilienceFix',
          data: { description: 'Wrap in `withTimeout(120_000, …)` from @resilience-kit/policies (the deadline for kind `llm` in `deadlines`)' },
          output: `${IMPORT}\nexport const f = (gateway: string, body: string) => withTimeout(120_000, (signal) => fetch(\`\${gateway}/v1/chat/completions\`, { method: 'POST', body, signal }));\n`,
        }],
      }],
    },
    {
      // The same hosts answer quick calls too: a model list (GET) and a path that only starts like one.
      code: "export const a = () => fetch('https://openrouter.ai/api/v1/models');\nexport const b = () => fetch('/api/generate-stack');\n",
      errors: [
        { messageId: 'missingTimeout', line: 1, suggestions: suggestion(`${IMPORT}\nexport const a = () => withTimeout(10_000, (signal) => fetch('https://openrouter.ai/api/v1/models', { signal }));\nexport const b = () => fetch('/api/generate-stack');\n`) },
        { messageId: 'missingTimeout', line: 2, suggestions: suggestion(`${IMPORT}\nexport const a = () => fetch('https://openrouter.ai/api/v1/models');\nexport const b = () => withTimeout(10_000, (signal) => fetch('/api/generate-stack', { signal }));\n`) },
      ],
    },
    {
      // Uploads: a presigned URL, a file body, a streamed body.
      code: [
        'export const a = (presignedUrl: string, data: string) => fetch(presignedUrl, { method: \'PUT\', body: data });',
        'export const b = (url: string, file: File) => fetch(url, { method: \'POST\', body: file });',
        'export const c = (url: string, body: ReadableStream) => fetch(url, { method: \'POST\', body, duplex: \'half\' } as RequestInit);',
        'export const d = (url: string) => { const form = new FormData(); return fetch(url, { method: \'POST\', body: form }); };',
        '',
      ].join('\n'),
      errors: [
        { messageId: 'missingTimeout', line: 1, suggestions: [] },
        { messageId: 'missingTimeout', line: 2, suggestions: [] },
        { messageId: 'missingTimeout', line: 3, suggestions: [] },
        { messageId: 'missingTimeout', line: 4, suggestions: [] },
      ],
    },
    {
      // A local agent, and a route that declares a long run.
      code: "export const maxDuration = 300;\nexport const a = () => fetch('http://localhost:11434/api/tags');\nexport const b = () => fetch('https://reports.example.com/export');\n",
      errors: [
        { messageId: 'missingTimeout', line: 2, suggestions: [] },
        { messageId: 'missingTimeout', line: 3, suggestions: [] },
      ],
    },
    {
      // A route whose declared run is shorter than the deadline is not long-running.
      code: "export const maxDuration = 5;\nexport const b = () => fetch('https://reports.example.com/export');\n",
      errors: [{ messageId: 'missingTimeout', suggestions: suggestion(`${IMPORT}\nexport const maxDuration = 5;\nexport const b = () => withTimeout(10_000, (signal) => fetch('https://reports.example.com/export', { signal }));\n`) }],
    },
    {
      // A deadline per origin wins over the default.
      code: "export const f = () => fetch('https://api.stripe.com/v1/balance');\n",
      options: [{ timeoutMs: 8000, deadlines: [{ origin: 'https://api.stripe.com', timeoutMs: 5000 }] }],
      errors: [{
        messageId: 'missingTimeout',
        suggestions: [{
          messageId: 'resilienceFix',
          data: { description: 'Wrap in `withTimeout(5000, …)` from @resilience-kit/policies (the deadline for https://api.stripe.com in `deadlines`)' },
          output: `${IMPORT}\nexport const f = () => withTimeout(5000, (signal) => fetch('https://api.stripe.com/v1/balance', { signal }));\n`,
        }],
      }],
    },
  ],
});
