/**
 * What a dependency does to a request, as a real server would do it: the faults the injector's
 * loopback server plays, over a real TCP connection, so each reaches the client exactly as it would
 * from the network (a reset is a TCP RST, a trickle is a body that really arrives a few bytes at a time).
 */

/** Accept the request and never answer (a hung dependency): only the client's own deadline ends it. */
export interface HangFault {
  readonly kind: 'hang';
}

/** Reset the connection as the request arrives (TCP RST): the client sees ECONNRESET, or its own name for it. */
export interface ResetFault {
  readonly kind: 'reset';
}

/** Answer, after `afterMs` when given (a dependency that answers slowly, headers included). */
export interface RespondFault {
  readonly kind: 'respond';
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: string | undefined;
  /** Wait this long (real time) before the status line. Default 0. */
  readonly afterMs?: number | undefined;
}

/** Send the status and headers at once, then the body `chunkBytes` at a time, one chunk every `everyMs`. */
export interface TrickleFault {
  readonly kind: 'trickle';
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body: string;
  readonly chunkBytes: number;
  readonly everyMs: number;
}

export type Fault = HangFault | ResetFault | RespondFault | TrickleFault;

/** At `rate` (0 to 1) of the attempts, `fault`; otherwise `otherwise`. Drawn from the injector's seeded random source. */
export interface SometimesFault {
  readonly kind: 'sometimes';
  readonly rate: number;
  readonly fault: Fault;
  readonly otherwise: Fault;
}

export type Step = Fault | SometimesFault;

/** The faults, built: `faults.status(503, { retryAfter: 2 })`, `faults.hang()`, `faults.trickle('…', { everyMs: 500 })`. */
export const faults = {
  hang: (): HangFault => ({ kind: 'hang' }),
  reset: (): ResetFault => ({ kind: 'reset' }),
  /**
   * An answer with this status. `retryAfter` (seconds, or an HTTP date) sets `Retry-After`, as a
   * 429 or 503 sends it.
   */
  status: (status: number, options: { readonly retryAfter?: number | string; readonly headers?: Readonly<Record<string, string>>; readonly body?: string; readonly afterMs?: number } = {}): RespondFault => ({
    kind: 'respond',
    status,
    headers: { ...(options.retryAfter !== undefined ? { 'retry-after': String(options.retryAfter) } : {}), ...options.headers },
    body: options.body,
    afterMs: options.afterMs,
  }),
  /** A healthy answer: 200 and this body (JSON when it is not a string). */
  ok: (body: unknown = '', headers: Readonly<Record<string, string>> = {}): RespondFault => ({
    kind: 'respond',
    status: 200,
    headers: typeof body === 'string' ? headers : { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }),
  /** The answer `response` (default `ok()`), after `ms`: a slow dependency. */
  slow: (ms: number, response: RespondFault = faults.ok()): RespondFault => ({ ...response, afterMs: ms }),
  /** Status and headers at once, then `body` a few bytes at a time. */
  trickle: (body: string, options: { readonly everyMs: number; readonly chunkBytes?: number; readonly status?: number; readonly headers?: Readonly<Record<string, string>> }): TrickleFault => ({
    kind: 'trickle',
    status: options.status ?? 200,
    headers: options.headers,
    body,
    chunkBytes: options.chunkBytes ?? 1,
    everyMs: options.everyMs,
  }),
  /** `fault` at `rate` of the attempts, else `otherwise` (default `ok()`). */
  sometimes: (rate: number, fault: Fault, otherwise: Fault = faults.ok()): SometimesFault => ({ kind: 'sometimes', rate, fault, otherwise }),
};

/** The largest delay `setTimeout` honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Refuses a step that the server could not play, with what is wrong (a TypeError or RangeError). */
export function checkStep(step: Step, where: string): void {
  if (typeof step !== 'object' || step === null) throw new TypeError(`chaos: ${where} must be a fault (faults.hang(), faults.status(503), …), got ${step === null ? 'null' : typeof step}`);
  switch (step.kind) {
    case 'hang':
    case 'reset':
      return;
    case 'respond':
      checkStatus(step.status, where);
      if (step.afterMs !== undefined) checkMs(step.afterMs, `${where}.afterMs`);
      return;
    case 'trickle':
      checkStatus(step.status, where);
      checkMs(step.everyMs, `${where}.everyMs`);
      if (!Number.isInteger(step.chunkBytes) || step.chunkBytes < 1) throw new RangeError(`chaos: ${where}.chunkBytes must be a whole number of bytes ≥ 1, got ${String(step.chunkBytes)}`);
      return;
    case 'sometimes':
      if (typeof step.rate !== 'number' || !Number.isFinite(step.rate) || step.rate < 0 || step.rate > 1) {
        throw new RangeError(`chaos: ${where}.rate must be a number from 0 to 1, got ${String(step.rate)}`);
      }
      checkStep(step.fault, `${where}.fault`);
      checkStep(step.otherwise, `${where}.otherwise`);
      return;
    default:
      throw new TypeError(`chaos: ${where} is not a fault: unknown kind ${JSON.stringify((step as { kind?: unknown }).kind)}`);
  }
}

function checkStatus(status: unknown, where: string): void {
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new RangeError(`chaos: ${where}.status must be an HTTP status from 100 to 599, got ${String(status)}`);
  }
}

function checkMs(ms: unknown, where: string): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > MAX_TIMER_MS) {
    throw new RangeError(`chaos: ${where} must be a finite number of milliseconds from 0 to ${MAX_TIMER_MS}, got ${String(ms)}`);
  }
}
