/**
 * Helpers shared by this package's test files. Not a test file itself (no `.test.ts`), and not
 * exported from `index.ts`: nothing outside the tests imports it.
 */
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, vi } from 'vitest';

/** Observes a promise without awaiting it, so fake-timer tests can look at it between ticks. */
export function track<T>(promise: Promise<T>): { settled: boolean; value?: T; error?: unknown } {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => {
      state.settled = true;
      state.value = value;
    },
    (error: unknown) => {
      state.settled = true;
      state.error = error;
    },
  );
  return state;
}

/** Lets every queued promise reaction run, without moving the (fake) clock or firing any timer. */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

/** A promise together with the functions that settle it, for work a test finishes by hand. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A promise that never settles: work that ignores its signal and never finishes. */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

/** A network error as Node reports it (`error.code`, ECONNRESET unless told), which the defaults count as transient. */
export function netError(code = 'ECONNRESET'): Error {
  return Object.assign(new Error(`connect ${code}`), { code });
}

/** Fake timers for each test of the enclosing describe; after each, runs `check` (if given), then restores real timers. */
export function useFakeTimersEachTest(check?: () => void): void {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    check?.();
    vi.useRealTimers();
  });
}

/** Starts `server` on an ephemeral loopback port and resolves to its base URL. */
export function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}/`);
    });
  });
}

/** Drops every connection of `server` and resolves once it has closed. */
export function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** What a child node process wrote, how it exited, and when (performance.now()) it first wrote to stdout and exited. */
export interface NodeScriptRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly settledAt: number | undefined;
  readonly exitedAt: number;
}

/** Runs `script` as an ES module in a child node process (tsx loaded, repo root as cwd), killed after `timeoutMs`. */
export async function runNodeScript(script: string, timeoutMs: number): Promise<NodeScriptRun> {
  const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
  });
  let stdout = '';
  let stderr = '';
  let settledAt: number | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    settledAt ??= performance.now();
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.on('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  const exitedAt = performance.now();
  return { stdout, stderr, code, signal, settledAt, exitedAt };
}

/** axios's shape: `error.response.{status,headers}` with lower-case plain-object headers. */
export const axiosError = (status: number, headers: Record<string, string> = {}): Error =>
  Object.assign(new Error(`Request failed with status code ${status}`), {
    name: 'AxiosError',
    code: status >= 500 ? 'ERR_BAD_RESPONSE' : 'ERR_BAD_REQUEST',
    response: { status, headers },
  });
/** ky's shape: `error.response` is a fetch Response (Headers#get). */
export const kyError = (status: number, headers: Record<string, string> = {}): Error =>
  Object.assign(new Error(`Request failed with status code ${status}`), {
    name: 'HTTPError',
    response: new Response(null, { status, headers }),
  });
/** got's shape: `error.response.statusCode`, Node IncomingHttpHeaders. */
export const gotError = (statusCode: number, headers: Record<string, string> = {}): Error =>
  Object.assign(new Error(`Response code ${statusCode}`), {
    name: 'HTTPError',
    code: 'ERR_NON_2XX_3XX_RESPONSE',
    response: { statusCode, headers },
  });
