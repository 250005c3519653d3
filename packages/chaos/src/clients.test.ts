/**
 * The injector against every HTTP client the catalogue knows, on loopback: each fault must reach the
 * client as it would from a real server. Every case runs twice, once against a plain loopback
 * server that plays the fault itself (the reference: a real server doing it) and once through the
 * injector for an https origin that does not exist; the client must see the same thing both times.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import crossFetch from 'cross-fetch';
import got from 'got';
import ky from 'ky';
import nodeFetch from 'node-fetch';
import { ofetch } from 'ofetch';
import superagent from 'superagent';
import { fetch as undiciFetch, request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faults, injectFaults, type Fault, type Injector } from './index.ts';
import { play } from './injector.ts';

interface Outcome {
  readonly status?: number;
  readonly retryAfter?: string | undefined;
  readonly body?: string;
  /** The error's name and code, then its causes' (`TypeError:fetch failed > SocketError:UND_ERR_SOCKET`). */
  readonly error?: string;
}

type Client = (url: string, options: { readonly timeoutMs: number; readonly headers: Record<string, string> }) => Promise<Outcome>;

const text = async (r: { text(): Promise<string> }): Promise<string> => r.text();

/** How each client is called: its own way of taking a deadline, with HTTP errors not thrown, and no retries of its own. */
const clients: Record<string, Client> = {
  'fetch (Node)': async (url, { timeoutMs, headers }) => {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, retryAfter: res.headers.get('retry-after') ?? undefined, body: await text(res) };
  },
  'undici fetch': async (url, { timeoutMs, headers }) => {
    const res = await undiciFetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, retryAfter: res.headers.get('retry-after') ?? undefined, body: await text(res) };
  },
  'undici request': async (url, { timeoutMs, headers }) => {
    const res = await undiciRequest(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.statusCode, retryAfter: res.headers['retry-after'] as string | undefined, body: await res.body.text() };
  },
  'node:http(s)': (url, { timeoutMs, headers }) =>
    new Promise((resolve, reject) => {
      const req = (url.startsWith('https:') ? https : http).request(url, { headers, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'], body }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    }),
  axios: async (url, { timeoutMs, headers }) => {
    const res = await axios.get<string>(url, { headers, timeout: timeoutMs, validateStatus: () => true, responseType: 'text', transformResponse: (d: string) => d });
    return { status: res.status, retryAfter: res.headers['retry-after'] as string | undefined, body: res.data };
  },
  got: async (url, { timeoutMs, headers }) => {
    const res = await got(url, { headers, timeout: { request: timeoutMs }, throwHttpErrors: false, retry: { limit: 0 } });
    return { status: res.statusCode, retryAfter: res.headers['retry-after'], body: res.body };
  },
  ky: async (url, { timeoutMs, headers }) => {
    const res = await ky(url, { headers, timeout: timeoutMs, throwHttpErrors: false, retry: 0 });
    return { status: res.status, retryAfter: res.headers.get('retry-after') ?? undefined, body: await text(res) };
  },
  'node-fetch': async (url, { timeoutMs, headers }) => {
    const res = await nodeFetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, retryAfter: res.headers.get('retry-after') ?? undefined, body: await text(res) };
  },
  'cross-fetch': async (url, { timeoutMs, headers }) => {
    const res = await crossFetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) as never });
    return { status: res.status, retryAfter: res.headers.get('retry-after') ?? undefined, body: await text(res) };
  },
  superagent: async (url, { timeoutMs, headers }) => {
    const res = await superagent.get(url).set(headers).ok(() => true).timeout(timeoutMs).buffer(true).parse((r, done) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (d: string) => (body += d));
      r.on('end', () => done(null, body));
    });
    return { status: res.status, retryAfter: res.headers['retry-after'] as string | undefined, body: res.body as string };
  },
  ofetch: async (url, { timeoutMs, headers }) => {
    const res = await ofetch.raw<string, 'text'>(url, { headers, timeout: timeoutMs, ignoreResponseError: true, retry: 0, responseType: 'text' });
    return { status: res.status, retryAfter: res.headers.get('retry-after') ?? undefined, body: res._data ?? '' };
  },
};

/** An error as a chain of `name:code` (codes only where set), to compare the client's view of two failures. */
function signature(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const { name, code } = current as { name?: unknown; code?: unknown };
    parts.push(`${String(name)}${typeof code === 'string' ? `:${code}` : ''}`);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(' > ');
}

async function outcome(client: Client, url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<Outcome> {
  try {
    return await client(url, { timeoutMs, headers });
  } catch (error) {
    return { error: signature(error) };
  }
}

/** A loopback server that plays whichever fault the test set last: the real server the injector must match. */
let reference: http.Server;
let referenceFault: Fault = faults.ok();
let referenceUrl: string;
let injector: Injector;
const ORIGIN = 'https://api.payments.example';

beforeAll(async () => {
  reference = http.createServer((req, res) => play(referenceFault, req, res, (ms, fn) => void setTimeout(fn, ms)));
  reference.requestTimeout = 0;
  await new Promise<void>((resolve) => reference.listen(0, '127.0.0.1', resolve));
  referenceUrl = `http://127.0.0.1:${(reference.address() as AddressInfo).port}`;
  injector = await injectFaults();
});

afterAll(async () => {
  await injector.stop();
  reference.closeAllConnections();
  await new Promise<void>((resolve) => reference.close(() => resolve()));
});

const cases: readonly { readonly name: string; readonly fault: Fault; readonly timeoutMs: number; readonly expect: (o: Outcome) => void }[] = [
  {
    name: '503 with Retry-After',
    fault: faults.status(503, { retryAfter: 2, body: 'busy' }),
    timeoutMs: 2_000,
    expect: (o) => expect(o).toEqual({ status: 503, retryAfter: '2', body: 'busy' }),
  },
  {
    name: '429 with Retry-After',
    fault: faults.status(429, { retryAfter: 1 }),
    timeoutMs: 2_000,
    expect: (o) => expect(o).toMatchObject({ status: 429, retryAfter: '1' }),
  },
  {
    name: 'a connection reset',
    fault: faults.reset(),
    timeoutMs: 2_000,
    expect: (o) => expect(o.error).toContain('ECONNRESET'),
  },
  {
    name: 'a hang, ended by the client’s deadline',
    fault: faults.hang(),
    timeoutMs: 150,
    expect: (o) => expect(o.error).toBeDefined(),
  },
  {
    name: 'a slow answer, past the deadline',
    fault: faults.slow(600, faults.ok('late')),
    timeoutMs: 150,
    expect: (o) => expect(o.error).toBeDefined(),
  },
  {
    name: 'a trickled body, which arrives whole',
    fault: faults.trickle('abcdef', { everyMs: 20, chunkBytes: 2 }),
    timeoutMs: 2_000,
    expect: (o) => expect(o).toMatchObject({ status: 200, body: 'abcdef' }),
  },
];

describe.each(Object.entries(clients))('%s', (_name, client) => {
  it.each(cases)('$name reaches it as from a real server', async ({ fault, timeoutMs, expect: check }) => {
    referenceFault = fault;
    const direct = await outcome(client, `${referenceUrl}/v1/charges`, timeoutMs);
    injector.on(ORIGIN, fault);
    injector.clearAttempts();
    const injected = await outcome(client, `${ORIGIN}/v1/charges`, timeoutMs, { 'idempotency-key': 'k-1' });
    check(direct);
    expect(injected).toEqual(direct);
    const attempts = injector.attempts(ORIGIN);
    expect(attempts.map((a) => [a.method, a.path, a.headers['host'], a.headers['idempotency-key'], a.fault])).toEqual([['GET', '/v1/charges', 'api.payments.example', 'k-1', fault.kind]]);
  });
});
