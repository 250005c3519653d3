/** isRetryableError and parseRetryAfter (src/retryable.ts): what is worth retrying, and how long a server asks us to wait. */
import { describe, expect, it, vi } from 'vitest';
import { isRetryableError, parseRetryAfter, TimeoutError } from './index.ts';
import { axiosError, gotError, kyError, netError } from './test-support.ts';

describe('isRetryableError', () => {
  const cycle: Error & { cause?: unknown } = new Error('loop');
  cycle.cause = cycle;

  it.each<readonly [string, unknown]>([
    ...['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'EAI_AGAIN', 'ECONNABORTED'].map(
      (code) => [`code ${code}`, netError(code)] as const,
    ),
    ...['UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'].map(
      (code) => [`undici ${code} on error.cause`, Object.assign(new TypeError('fetch failed'), { cause: netError(code) })] as const,
    ),
    ['a code two causes deep', new Error('wrapped', { cause: new Error('inner', { cause: netError('ECONNRESET') }) })],
    ['AggregateError with ECONNREFUSED', new AggregateError([netError('ECONNREFUSED')], 'all failed')],
    ['this package’s TimeoutError', new TimeoutError(100)],
    ['AbortSignal.timeout()’s DOMException', new DOMException('The operation was aborted due to timeout', 'TimeoutError')],
    ['fetch failed without a cause', new TypeError('fetch failed')],
    ['fetch failed caused by ENOTFOUND', Object.assign(new TypeError('fetch failed'), { cause: netError('ENOTFOUND') })],
    ['axios 503 (error.response.status)', axiosError(503)],
    ['axios 500 (error.status, axios >= 1.7)', Object.assign(new Error('x'), { status: 500 })],
    ['got 504 (error.response.statusCode)', gotError(504)],
    ['ky 429 (error.response is a Response)', kyError(429)],
    ['superagent 408 (error.status)', Object.assign(new Error('Request Timeout'), { status: 408, response: { status: 408 } })],
    ['statusCode 502', Object.assign(new Error('Bad Gateway'), { statusCode: 502 })],
    ['599', Object.assign(new Error('x'), { status: 599 })],
  ])('true for %s', (_label, error) => {
    expect(isRetryableError(error)).toBe(true);
  });

  it.each([
    ['400', axiosError(400)],
    ['404 (ky)', kyError(404)],
    ['409', gotError(409)],
    ['501 Not Implemented', axiosError(501)],
    ['505 HTTP Version Not Supported', gotError(505)],
    ['a 4xx even with a network code', Object.assign(netError('ECONNRESET'), { status: 403 })],
    ['a plain Error', new Error('boom')],
    ['a TypeError', new TypeError('x is not a function')],
    ['a RangeError', new RangeError('Invalid array length')],
    ['a DOMException AbortError', new DOMException('This operation was aborted', 'AbortError')],
    ['Node’s AbortError (ABORT_ERR)', Object.assign(new Error('aborted'), { name: 'AbortError', code: 'ABORT_ERR' })],
    ['axios CanceledError (ERR_CANCELED)', Object.assign(new Error('canceled'), { name: 'CanceledError', code: 'ERR_CANCELED' })],
    [
      'an AbortError whose cause is a network error',
      Object.assign(new DOMException('aborted', 'AbortError'), { cause: netError('ECONNRESET') }),
    ],
    ['fetch failed caused by a bad port', Object.assign(new TypeError('fetch failed'), { cause: new Error('bad port') })],
    ['fetch failed caused by an unknown scheme', Object.assign(new TypeError('fetch failed'), { cause: new Error('unknown scheme') })],
    [
      'fetch failed caused by a TLS certificate error',
      Object.assign(new TypeError('fetch failed'), { cause: netError('DEPTH_ZERO_SELF_SIGNED_CERT') }),
    ],
    ['another message with a 503-looking text', new Error('503 Service Unavailable')],
    ['status outside 100-599', Object.assign(new Error('x'), { status: 700 })],
    ['a cyclic cause chain', cycle],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'ECONNRESET'],
    ['a bare { code }', { code: 'ENOPE' }],
  ])('false for %s', (_label, error) => {
    expect(isRetryableError(error)).toBe(false);
  });

  it('tolerates throwing getters', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('getter');
        },
      },
    );
    expect(isRetryableError(hostile)).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 15, 12, 0, 0); // Thu, 15 Jan 2026 12:00:00 GMT

  it.each([
    ['"120"', '120', 120_000],
    ['" 5 " (trimmed)', ' 5 ', 5_000],
    ['"0"', '0', 0],
    ['"1.5" (fractional seconds, rounded up to whole ms)', '1.5', 1_500],
    ['2 (a number of seconds)', 2, 2_000],
    ['0.0004 s → 1 ms (never sooner than asked)', 0.0004, 1],
    ['IMF-fixdate 30 s ahead', 'Thu, 15 Jan 2026 12:00:30 GMT', 30_000],
    ['IMF-fixdate, any case', 'thu, 15 JAN 2026 12:00:30 gmt', 30_000],
    ['RFC 850 date 10 s ahead', 'Thursday, 15-Jan-26 12:00:10 GMT', 10_000],
    ['asctime date 1 min ahead (read as GMT)', 'Thu Jan 15 12:01:00 2026', 60_000],
    ['asctime with a one-digit day', 'Sun Feb  1 12:00:00 2026', Date.UTC(2026, 1, 1, 12) - now],
    ['a date in the past → 0 (retry now)', 'Sun, 06 Nov 1994 08:49:37 GMT', 0],
    ['RFC 850 two-digit year more than 50 years ahead is last century → past → 0', 'Sunday, 15-Jan-77 12:00:00 GMT', 0],
    ['RFC 850 two-digit year up to 50 years ahead is this century', 'Saturday, 15-Jan-76 12:00:00 GMT', Date.UTC(2076, 0, 15, 12) - now],
  ])('%s', (_label, value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['""', ''],
    ['"-1"', '-1'],
    ['-1 (number)', -1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['"1e3"', '1e3'],
    ['"soon"', 'soon'],
    ['"Aug 9" (Date.parse would say 2001)', 'Aug 9'],
    ['31 February', 'Tue, 31 Feb 2026 12:00:00 GMT'],
    ['hour 25', 'Thu, 15 Jan 2026 25:00:00 GMT'],
    ['a non-GMT zone', 'Thu, 15 Jan 2026 12:00:30 +0100'],
    ['ISO 8601', '2026-01-15T12:00:30Z'],
  ])('undefined for %s', (_label, value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it('measures a date from Date.now() by default', () => {
    vi.useFakeTimers({ now });
    try {
      expect(parseRetryAfter('Thu, 15 Jan 2026 12:00:42 GMT')).toBe(42_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('throws a RangeError for a non-finite now', () => {
    expect(() => parseRetryAfter('5', Number.NaN)).toThrow(RangeError);
  });
});
