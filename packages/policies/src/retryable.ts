/**
 * What `retry` retries by default (`isRetryableError`, `isRetryableResult`) and how it reads a
 * server's `Retry-After` (`parseRetryAfter`, `retryAfterMsOf`).
 *
 * The rule of thumb: retry what a second attempt can fix (the network dropped, the server was
 * busy or down for a moment, a deadline passed), never what it cannot (the caller gave up, the
 * request is wrong, the code has a bug). Whether repeating the request is *safe* (POST without an
 * idempotency key) is a separate question this module cannot answer; see docs/policies.md.
 */

/**
 * Error codes of transient network failures: Node's system errors, axios's timeout code
 * (`ECONNABORTED`) and undici's socket / connect / headers / body timeout errors. `ENETDOWN` and
 * `EHOSTDOWN` are in undici's own retry list (RetryHandler) as well.
 */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Codes of cancellations: Node's AbortError (`ABORT_ERR`) and axios's CanceledError (`ERR_CANCELED`). */
const CANCELLED_CODES: ReadonlySet<string> = new Set(['ABORT_ERR', 'ERR_CANCELED']);

/** How far down `cause` / `errors` chains to look. Real chains are 1-3 deep; this bounds hostile ones. */
const MAX_DEPTH = 8;

type Bag = Record<string, unknown>;

function isObject(value: unknown): value is Bag {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** Reads a property without letting a throwing getter escape. */
function prop(value: unknown, key: string): unknown {
  if (!isObject(value)) return undefined;
  try {
    return value[key];
  } catch {
    return undefined;
  }
}

function asStatus(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599 ? value : undefined;
}

/**
 * The HTTP status an error or a response carries: `status` (fetch Response, ky, superagent, newer
 * axios), `statusCode` (got's / Node's IncomingMessage), or the same on `.response` (axios, got, ky).
 */
function statusOf(value: unknown): number | undefined {
  const response = prop(value, 'response');
  return (
    asStatus(prop(value, 'status')) ??
    asStatus(prop(value, 'statusCode')) ??
    asStatus(prop(response, 'status')) ??
    asStatus(prop(response, 'statusCode'))
  );
}

/**
 * 408 Request Timeout, 429 Too Many Requests and 5xx, except 501 Not Implemented and 505 HTTP
 * Version Not Supported: those two describe the server's capabilities, and asking again cannot
 * change them.
 */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/**
 * The default `shouldRetryResult` of `retry`: a Response-like value (an object with a numeric
 * `status` or `statusCode`, e.g. a fetch `Response`) whose status `isRetryableStatus` accepts.
 */
export function isRetryableResult(value: unknown): boolean {
  const status = asStatus(prop(value, 'status')) ?? asStatus(prop(value, 'statusCode'));
  return status !== undefined && isRetryableStatus(status);
}

/**
 * Whether `error` is a rejection by a circuit breaker (open, half-open with its probe running, or
 * isolated) or a full bulkhead: this package's `BrokenCircuitError` / `BulkheadRejectedError`, or
 * cockatiel's, which they extend (cockatiel marks them with `isBrokenCircuitError` /
 * `isBulkheadRejectedError`, errors/Errors.js). No call was made: the policy refused it.
 */
export function isPolicyRejection(error: unknown): boolean {
  return prop(error, 'isBrokenCircuitError') === true || prop(error, 'isBulkheadRejectedError') === true;
}

/**
 * Whether a second attempt can plausibly succeed where this error failed. `true` for:
 *
 * - network errors, by `code`: ECONNRESET, ECONNREFUSED, ECONNABORTED (axios's timeout), ETIMEDOUT,
 *   EPIPE, ENOTFOUND, ENETUNREACH, ENETDOWN, EHOSTUNREACH, EHOSTDOWN, EAI_AGAIN, and undici's
 *   UND_ERR_SOCKET, UND_ERR_CONNECT_TIMEOUT, UND_ERR_HEADERS_TIMEOUT, UND_ERR_BODY_TIMEOUT;
 * - an error named `TimeoutError` (this package's, `AbortSignal.timeout()`'s DOMException, got's, ky's);
 * - fetch's `TypeError('fetch failed')` when its `cause` is itself retryable or absent (undici
 *   also wraps request mistakes such as 'bad port' or 'unknown scheme', and TLS certificate
 *   errors, in 'fetch failed'; retrying those cannot help);
 * - an HTTP error whose status (`status`, `statusCode`, `response.status`, `response.statusCode`:
 *   axios, got, ky, superagent) is 408, 429 or 5xx other than 501 and 505;
 * - any error whose `cause` (or AggregateError `errors` entry) is retryable, so wrapped errors
 *   such as fetch's `TypeError('terminated')` with an `UND_ERR_SOCKET` cause count too.
 *
 * `false` for everything else, in particular cancellations (`AbortError`, axios `CanceledError`),
 * rejections by a circuit breaker or bulkhead (`BrokenCircuitError`, `BulkheadRejectedError`, even
 * with a retryable `cause`), other 4xx statuses, and programming errors (TypeError, RangeError,
 * plain Error...).
 */
export function isRetryableError(error: unknown): boolean {
  return classify(error, 0, new Set());
}

function classify(error: unknown, depth: number, seen: Set<unknown>): boolean {
  if (!isObject(error) || depth > MAX_DEPTH || seen.has(error)) return false;
  seen.add(error);
  const name = prop(error, 'name');
  const code = prop(error, 'code');
  // A cancellation is somebody's decision, not a fault: never undo it by retrying.
  if (name === 'AbortError' || (typeof code === 'string' && CANCELLED_CODES.has(code))) return false;
  // So is a rejection by a circuit breaker or a bulkhead: it sheds load on purpose, and retrying
  // it defeats that. Decided here, before `cause`: a BrokenCircuitError's cause is the failure
  // that opened the breaker, often a retryable one.
  if (isPolicyRejection(error)) return false;
  // The server answered: its status is the whole story, whatever else the error says.
  const status = statusOf(error);
  if (status !== undefined) return isRetryableStatus(status);
  if (typeof code === 'string' && RETRYABLE_CODES.has(code)) return true;
  if (name === 'TimeoutError') return true;
  const cause = prop(error, 'cause');
  if (error instanceof TypeError && error.message === 'fetch failed') {
    return cause === undefined || classify(cause, depth + 1, seen);
  }
  if (classify(cause, depth + 1, seen)) return true;
  const errors = prop(error, 'errors');
  return Array.isArray(errors) && errors.some((inner) => classify(inner, depth + 1, seen));
}

// --- Retry-After -------------------------------------------------------------------------------

/** RFC 9110 §10.2.3: delay-seconds = 1*DIGIT. A fractional part is accepted too ("1.5"). */
const DELAY_SECONDS = /^\d+(?:\.\d+)?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// The three HTTP-date forms of RFC 9110 §5.6.7, which recipients must all accept.
/** IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT` (what servers send). */
const IMF_FIXDATE = /^(?:mon|tue|wed|thu|fri|sat|sun), (\d{2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) gmt$/i;
/** Obsolete RFC 850 form: `Sunday, 06-Nov-94 08:49:37 GMT`. */
const RFC850_DATE =
  /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday), (\d{2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) gmt$/i;
/** Obsolete asctime form: `Sun Nov  6 08:49:37 1994` (GMT, though it does not say so). */
const ASCTIME_DATE = /^(?:mon|tue|wed|thu|fri|sat|sun) ([a-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i;

/**
 * Parses a `Retry-After` value into milliseconds from `now`.
 *
 * - delay-seconds (`"120"`, or a number of seconds) → seconds × 1000, rounded up to a whole ms;
 * - an HTTP-date in any of the three forms of RFC 9110 §5.6.7 → the time from `now` to that date,
 *   or 0 if the date has passed (the server's "not before" moment has come: retry now);
 * - anything else (empty, negative, `"1e3"`, `"soon"`, an impossible date, `NaN`...) → `undefined`.
 *
 * Dates are matched strictly instead of with `Date.parse`, which accepts almost anything
 * (`Date.parse('Aug 9')` is a date in 2001) and reads the asctime form in local time.
 */
export function parseRetryAfter(value: string | number | null | undefined, now: number = Date.now()): number | undefined {
  if (typeof now !== 'number' || !Number.isFinite(now)) {
    throw new RangeError(`parseRetryAfter: now must be a finite number of milliseconds, got ${String(now)}`);
  }
  if (typeof value === 'number') return value >= 0 ? secondsToMs(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (DELAY_SECONDS.test(text)) return secondsToMs(Number(text));
  const date = parseHttpDate(text, now);
  return date === undefined ? undefined : Math.max(0, Math.ceil(date - now));
}

/** Whole milliseconds, rounded up (never sooner than asked); `undefined` if not finite (NaN, 1e308 s). */
function secondsToMs(seconds: number): number | undefined {
  const ms = Math.ceil(seconds * 1000);
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined; // Math.max turns -0 into 0
}

function parseHttpDate(text: string, now: number): number | undefined {
  let match = IMF_FIXDATE.exec(text);
  if (match) return utc(match[3], match[2], match[1], match[4], match[5], match[6]);
  match = RFC850_DATE.exec(text);
  if (match) {
    // RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is in the past century.
    const currentYear = new Date(now).getUTCFullYear();
    let year = currentYear - (currentYear % 100) + Number(match[3]);
    if (year > currentYear + 50) year -= 100;
    return utc(String(year), match[2], match[1], match[4], match[5], match[6]);
  }
  match = ASCTIME_DATE.exec(text);
  if (match) return utc(match[6], match[1], match[2], match[3], match[4], match[5]);
  return undefined;
}

function utc(
  yearText: string | undefined,
  monthText: string | undefined,
  dayText: string | undefined,
  hourText: string | undefined,
  minuteText: string | undefined,
  secondText: string | undefined,
): number | undefined {
  const year = Number(yearText);
  const month = MONTHS.indexOf((monthText ?? '').toLowerCase());
  const day = Number((dayText ?? '').trim());
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText); // 60 is a leap second (RFC 9110 allows it); Date rolls it over.
  if (month < 0 || !(day >= 1 && day <= 31) || !(hour <= 23) || !(minute <= 59) || !(second <= 60)) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month, day); // not Date.UTC, which maps years 0-99 to 1900-1999
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined; // 31 Feb, 29 Feb 2025...
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

function headerOf(headers: unknown, name: string): unknown {
  if (!isObject(headers)) return undefined;
  try {
    // fetch Headers, ky / got-via-fetch responses, AxiosHeaders: case-insensitive get().
    const get = headers['get'];
    if (typeof get === 'function') {
      const value: unknown = get.call(headers, name);
      if (value !== null && value !== undefined) return value;
    }
    // Node's IncomingHttpHeaders (got, superagent), axios's plain-object headers.
    for (const [key, value] of Object.entries(headers)) {
      if (key.toLowerCase() === name) return value;
    }
  } catch {
    // An exotic headers object that throws has no Retry-After we can use.
  }
  return undefined;
}

/**
 * The `Retry-After` of a failure, in ms from `now`: from a Response-like value's `headers`, or an
 * error's `headers` / `response.headers` (axios, got, ky, superagent, openai), looking down the
 * error's `cause` chain too. `undefined` when there is none or it does not parse.
 */
export function retryAfterMsOf(failure: unknown, now: number = Date.now()): number | undefined {
  const seen = new Set<unknown>();
  let current: unknown = failure;
  for (let depth = 0; isObject(current) && depth <= MAX_DEPTH && !seen.has(current); depth++) {
    seen.add(current);
    for (const headers of [prop(current, 'headers'), prop(prop(current, 'response'), 'headers')]) {
      let raw = headerOf(headers, 'retry-after');
      if (Array.isArray(raw)) raw = raw[0] as unknown;
      if (typeof raw === 'string' || typeof raw === 'number') {
        const ms = parseRetryAfter(raw, now);
        if (ms !== undefined) return ms;
      }
    }
    current = prop(current, 'cause');
  }
  return undefined;
}
