import { eslintRule, ruleTester } from '../rule-tester.ts';

const rule = eslintRule('no-unguarded-dependency');

const HEAD = "import { circuitBreaker } from '@resilience-kit/policies';\nconst PAY = 'https://pay.example.com';\nconst payBreaker = circuitBreaker();\n";
const GUARDED = 'export const a = (id: string) => payBreaker.execute(() => fetch(`${PAY}/charges/${id}`, { signal: AbortSignal.timeout(5000) }));\n';

ruleTester.run('no-unguarded-dependency', rule, {
  valid: [
    // Nothing guarded in the file: the recommended default stays quiet.
    "export const f = () => fetch('https://pay.example.com/x', { signal: AbortSignal.timeout(5000) });",
    // Guarded: our breaker, a cockatiel breaker through wrap, a bulkhead, opossum, a policy with a breaker.
    `${HEAD}${GUARDED}export const b = (id: string) => payBreaker.execute(() => fetch(\`\${PAY}/refunds/\${id}\`, { signal: AbortSignal.timeout(5000) }));`,
    "import { circuitBreaker, handleAll, retry, wrap, ConsecutiveBreaker, ExponentialBackoff } from 'cockatiel'; const p = wrap(retry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }), circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) })); export const f = () => p.execute(() => fetch('https://pay.example.com/x', { signal: AbortSignal.timeout(5000) }));",
    "import { bulkhead } from 'cockatiel'; const b = bulkhead(10); export const f = () => b.execute(() => fetch('https://pay.example.com/x', { signal: AbortSignal.timeout(5000) }));",
    "import CircuitBreaker from 'opossum'; const load = () => fetch('https://pay.example.com/x', { signal: AbortSignal.timeout(5000) }); export const breaker = new CircuitBreaker(load);",
    // Guarded in every call; an internal service named by the config; a dependency nobody guards in a service that guards none.
    { code: `${HEAD}${GUARDED}export const s = () => fetch('https://search.corp.example/q', { signal: AbortSignal.timeout(5000) });`, options: [{ internalDependencies: ['*.corp.example'] }] },
    { code: "import axios from 'axios';\nconst users = axios.create({ baseURL: 'http://users.svc.cluster.local', timeout: 2000 });\nexport const a = () => users.get('/a');\n", options: [{ internalDependencies: ['users'] }] },
    // A server on this machine is not an external dependency.
    "export const f = () => fetch('http://127.0.0.1:8080/health', { signal: AbortSignal.timeout(1000) });",
    // The dependency cannot be named (a URL from a parameter).
    `${HEAD}${GUARDED}export const u = (url: string) => fetch(url, { signal: AbortSignal.timeout(5000) });`,
  ],
  invalid: [
    {
      // Loopback is skipped even in strict mode; the external call is not.
      code: "export const f = () => fetch('http://localhost:3000/x', { signal: AbortSignal.timeout(1000) });\nexport const g = () => fetch('https://10.0.0.7/x', { signal: AbortSignal.timeout(1000) });\n",
      options: [{ strict: true }],
      errors: [{ messageId: 'unguarded', line: 2, data: { dependency: 'https://10.0.0.7', guard: '', line: '', fix: 'run calls to it through one breaker, e.g. `const serviceBreaker = circuitBreaker()` from @resilience-kit/policies and `serviceBreaker.execute(() => …)`' },
        suggestions: [{ messageId: 'resilienceFix', data: { description: 'Run it through `serviceBreaker`, a circuit breaker for https://10.0.0.7' }, output: "import { circuitBreaker } from '@resilience-kit/policies';\nconst serviceBreaker = circuitBreaker();\nexport const f = () => fetch('http://localhost:3000/x', { signal: AbortSignal.timeout(1000) });\nexport const g = () => serviceBreaker.execute(() => fetch('https://10.0.0.7/x', { signal: AbortSignal.timeout(1000) }));\n" }] }],
    },
    {
      code: `${HEAD}${GUARDED}export const b = (id: string) => fetch(\`\${PAY}/refunds/\${id}\`, { signal: AbortSignal.timeout(5000) });\n`,
      errors: [{
        messageId: 'inconsistent',
        data: { dependency: 'https://pay.example.com', guard: 'circuitBreaker', where: 'line 4', fix: 'run it through `payBreaker.execute(() => …)` like the other calls to https://pay.example.com' },
        line: 5,
        suggestions: [{
          messageId: 'resilienceFix',
          data: { description: 'Run it through `payBreaker`, the breaker already guarding https://pay.example.com' },
          output: `${HEAD}${GUARDED}export const b = (id: string) => payBreaker.execute(() => fetch(\`\${PAY}/refunds/\${id}\`, { signal: AbortSignal.timeout(5000) }));\n`,
        }],
      }],
    },
    {
      // Another dependency than the guarded one, in a service that guards: once, at its home (the call).
      code: `${HEAD}${GUARDED}export const s = () => fetch('https://search.example.com/q', { signal: AbortSignal.timeout(5000) });\n`,
      errors: [{
        messageId: 'unguardedInService',
        line: 5,
        data: {
          dependency: 'https://search.example.com', calls: 'its only call site', files: '', guarded: 'guards https://pay.example.com with circuitBreaker (line 4)',
          fix: 'run calls to it through one breaker, e.g. `const searchBreaker = circuitBreaker()` from @resilience-kit/policies and `searchBreaker.execute(() => …)`',
        },
        suggestions: [{
          messageId: 'resilienceFix',
          data: { description: 'Run it through `searchBreaker`, a circuit breaker for https://search.example.com' },
          output: `${HEAD.replace('\n', '\nconst searchBreaker = circuitBreaker();\n')}${GUARDED}export const s = () => searchBreaker.execute(() => fetch('https://search.example.com/q', { signal: AbortSignal.timeout(5000) }));\n`,
        }],
      }],
    },
    {
      // An instance: reported once, on its variable, and the fix wraps all of its calls.
      code: "import axios from 'axios';\nimport { bulkhead } from 'cockatiel';\nconst pool = bulkhead(4);\nexport const p = () => pool.execute(() => fetch('https://pay.example.com/x', { signal: AbortSignal.timeout(5000) }));\nconst search = axios.create({ baseURL: 'https://search.example.com', timeout: 5000 });\nexport const find = (q: string) => search.get('/q', { params: { q } });\nexport const suggest = (q: string) => search.get('/suggest', { params: { q } });\n",
      errors: [{
        messageId: 'unguardedInService',
        line: 5,
        column: 7,
        endColumn: 13,
        data: {
          dependency: 'https://search.example.com', calls: 'any of its 2 call sites', files: '', guarded: 'guards https://pay.example.com with cockatiel bulkhead (line 4)',
          fix: 'run calls to it through one breaker, e.g. `const searchBreaker = circuitBreaker()` from @resilience-kit/policies and `searchBreaker.execute(() => …)`',
        },
        suggestions: [{
          messageId: 'resilienceFix',
          data: { description: 'Run its 2 calls through `searchBreaker`, a circuit breaker for https://search.example.com' },
          output: "import axios from 'axios';\nimport { bulkhead } from 'cockatiel';\nimport { circuitBreaker } from '@resilience-kit/policies';\nconst searchBreaker = circuitBreaker();\nconst pool = bulkhead(4);\nexport const p = () => pool.execute(() => fetch('https://pay.example.com/x', { signal: AbortSignal.timeout(5000) }));\nconst search = axios.create({ baseURL: 'https://search.example.com', timeout: 5000 });\nexport const find = (q: string) => searchBreaker.execute(() => search.get('/q', { params: { q } }));\nexport const suggest = (q: string) => searchBreaker.execute(() => search.get('/suggest', { params: { q } }));\n",
        }],
      }],
    },
    {
      code: "import axios from 'axios';\nconst search = axios.create({ baseURL: 'https://search.example.com', timeout: 5000 });\nexport const find = (q: string) => search.get('/q', { params: { q } });\n",
      options: [{ strict: true }],
      errors: [{
        messageId: 'unguarded',
        data: { dependency: 'https://search.example.com', guard: '', line: '', fix: 'run calls to it through one breaker, e.g. `const searchBreaker = circuitBreaker()` from @resilience-kit/policies and `searchBreaker.execute(() => …)`' },
        suggestions: [{
          messageId: 'resilienceFix',
          data: { description: 'Run it through `searchBreaker`, a circuit breaker for https://search.example.com' },
          output: "import axios from 'axios';\nimport { circuitBreaker } from '@resilience-kit/policies';\nconst searchBreaker = circuitBreaker();\nconst search = axios.create({ baseURL: 'https://search.example.com', timeout: 5000 });\nexport const find = (q: string) => searchBreaker.execute(() => search.get('/q', { params: { q } }));\n",
        }],
      }],
    },
    {
      code: "export const f = () => fetch('https://api.stripe.com/v1/charges', { method: 'POST', signal: AbortSignal.timeout(5000) });\n",
      options: [{ criticalDependencies: ['https://api.stripe.com'] }],
      errors: [{ messageId: 'critical', suggestions: [{ messageId: 'resilienceFix', data: { description: 'Run it through `stripeBreaker`, a circuit breaker for https://api.stripe.com' }, output: "import { circuitBreaker } from '@resilience-kit/policies';\nconst stripeBreaker = circuitBreaker();\nexport const f = () => stripeBreaker.execute(() => fetch('https://api.stripe.com/v1/charges', { method: 'POST', signal: AbortSignal.timeout(5000) }));\n" }] }],
    },
    {
      // node:https returns a ClientRequest: reported, but no wrapping fix.
      code: "import https from 'node:https';\nexport function ping() {\n  https.get('https://status.example.com/ping', { signal: AbortSignal.timeout(5000) }, (r) => r.resume());\n}\n",
      options: [{ strict: true }],
      errors: [{ messageId: 'unguarded', line: 3, suggestions: [] }],
    },
  ],
});
