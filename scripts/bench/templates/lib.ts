/**
 * The shared `src/lib/` modules every generated project has: base types, config, logging, errors,
 * retry helpers, the HTTP wrappers (axios instances, a got instance, fetch helpers) and breakers.
 * Fixed text: the domains vary, the plumbing they lean on does not.
 */
import { countLines, type GeneratedModule } from './shared.ts';

const types = `/** Shapes every domain shares. */
export interface Entity {
  readonly id: string;
  readonly createdAt: string;
  readonly amountCents: number;
  readonly tags: readonly string[];
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
  readonly total: number;
}

export type Result<T, E = Error> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

export function err<E>(error: E): Result<never, E> {
  return { ok: false, error };
}

export function isEntity(value: unknown): value is Entity {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.createdAt === 'string' && typeof v.amountCents === 'number' && Array.isArray(v.tags);
}
`;

const config = `/** Service configuration, read once from the environment. */
export interface RetrySettings {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface ServiceConfig {
  readonly httpTimeoutMs: number;
  readonly apiBaseUrl: string;
  readonly retry: RetrySettings;
}

function readNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export const config: ServiceConfig = {
  httpTimeoutMs: readNumber('HTTP_TIMEOUT_MS', 5_000),
  apiBaseUrl: process.env.API_BASE_URL ?? 'https://api.internal.example.com',
  retry: {
    maxAttempts: readNumber('RETRY_MAX_ATTEMPTS', 4),
    baseDelayMs: readNumber('RETRY_BASE_DELAY_MS', 200),
    maxDelayMs: readNumber('RETRY_MAX_DELAY_MS', 10_000),
  },
};

export function serviceUrl(domain: string): string {
  return \`https://\${domain}.internal.example.com\`;
}
`;

const logger = `/** A small structured logger. */
export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

const ORDER: Readonly<Record<Level, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(scope: string, minimum: Level = 'info'): Logger {
  const write = (level: Level, message: string, meta?: Record<string, unknown>): void => {
    if (ORDER[level] < ORDER[minimum]) return;
    const line = JSON.stringify({ level, scope, message, ...meta, time: new Date().toISOString() });
    if (level === 'error' || level === 'warn') console.error(line);
    else console.log(line);
  };
  return {
    debug: (message, meta) => write('debug', message, meta),
    info: (message, meta) => write('info', message, meta),
    warn: (message, meta) => write('warn', message, meta),
    error: (message, meta) => write('error', message, meta),
  };
}
`;

const errors = `/** Errors of the HTTP layer, and which of them are worth retrying. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
  ) {
    super(\`HTTP \${status} from \${url}\`);
    this.name = 'HttpError';
  }
}

export class ValidationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(\`\${field}: \${message}\`);
    this.name = 'ValidationError';
  }
}

const RETRYABLE_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EAI_AGAIN']);

export function isRetryable(error: unknown): boolean {
  if (error instanceof HttpError) return error.status === 429 || error.status >= 500;
  if (error instanceof Error && 'code' in error) return RETRYABLE_CODES.has(String((error as { code: unknown }).code));
  return false;
}
`;

const validation = `/** Input checks shared by the domain models. */
import { ValidationError } from './errors';

export function assertNonEmpty(value: string, field: string): void {
  if (value.trim() === '') throw new ValidationError(field, 'must not be empty');
}

export function assertPositive(value: number, field: string): void {
  if (!Number.isFinite(value) || value < 0) throw new ValidationError(field, 'must be a positive number');
}

export function assertOneOf<T extends string>(value: string, allowed: readonly T[], field: string): asserts value is T {
  if (!(allowed as readonly string[]).includes(value)) throw new ValidationError(field, \`must be one of \${allowed.join(', ')}\`);
}
`;

const collections = `/** Generic collection helpers. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function groupBy<T, K extends PropertyKey>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function sumBy<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((sum, item) => sum + value(item), 0);
}

export function partition<T>(items: readonly T[], predicate: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (predicate(item) ? yes : no).push(item);
  return [yes, no];
}
`;

const money = `/** Money in integer cents. */
export type Currency = 'USD' | 'EUR' | 'GBP';

const SYMBOLS: Readonly<Record<Currency, string>> = { USD: '$', EUR: '€', GBP: '£' };

export function formatCents(cents: number, currency: Currency = 'USD'): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  return \`\${sign}\${SYMBOLS[currency]}\${Math.floor(abs / 100)}.\${String(abs % 100).padStart(2, '0')}\`;
}

export function addTax(cents: number, rateBasisPoints: number): number {
  return Math.round(cents + (cents * rateBasisPoints) / 10_000);
}

export function splitEvenly(cents: number, parts: number): number[] {
  const base = Math.floor(cents / parts);
  const rest = cents - base * parts;
  return Array.from({ length: parts }, (_, i) => base + (i < rest ? 1 : 0));
}
`;

const retry = `/** Delays for retries: exponential backoff with full jitter, capped. */
import { config } from './config';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function backoffDelay(attempt: number, baseMs = config.retry.baseDelayMs, capMs = config.retry.maxDelayMs): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}
`;

const http = `/** HTTP plumbing shared by the domain clients. */
import axios from 'axios';
import got from 'got';
import { config } from './config';
import { HttpError } from './errors';

/** The shared axios instance: every request through it has the service-wide deadline. */
export const api = axios.create({
  baseURL: config.apiBaseUrl,
  timeout: config.httpTimeoutMs,
  headers: { 'user-agent': 'bench-service/1.0' },
});

/** The reporting endpoints are slow, so this instance was created without a timeout. */
export const legacyApi = axios.create({ baseURL: config.apiBaseUrl });

/** got with a request deadline and got's own retries off (the callers retry). */
export const http = got.extend({
  prefixUrl: config.apiBaseUrl,
  timeout: { request: config.httpTimeoutMs },
  retry: { limit: 0 },
});

export async function getJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, headers: { accept: 'application/json' }, signal: AbortSignal.timeout(config.httpTimeoutMs) });
  if (!res.ok) throw new HttpError(res.status, url);
  return (await res.json()) as T;
}

export async function postJson<T>(url: string, body: unknown, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (!res.ok) throw new HttpError(res.status, url);
  return (await res.json()) as T;
}

export async function isReachable(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { method: 'HEAD' });
    return res.ok;
  } catch {
    return false;
  }
}
`;

const breakers = `/** Circuit breakers and bulkheads around the partner APIs. */
import { ConsecutiveBreaker, bulkhead, circuitBreaker, handleAll } from 'cockatiel';

export const partnerBreaker = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });

export const reportingBreaker = circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(3) });

export const exportBulkhead = bulkhead(4, 16);
`;

/** Modules whose lines count as network code (requests, retries, breakers). */
const NETWORK = new Set(['http', 'retry', 'breakers']);

export function libModules(): GeneratedModule[] {
  const modules: Record<string, string> = { types, config, logger, errors, validation, collections, money, retry, http, breakers };
  return Object.entries(modules).map(([name, text]) => ({
    file: `src/lib/${name}.ts`,
    text,
    lines: countLines(text),
    networkLines: NETWORK.has(name) ? countLines(text) : 0,
  }));
}
