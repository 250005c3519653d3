/**
 * The injector: a loopback HTTP server that plays faults, and the interception that sends the
 * requests for chosen origins to it instead of the network, at the clients' transports:
 *
 * - `fetch` and undici (`request`, `fetch`, and the libraries on them: ky, ofetch, the SDKs on
 *   fetch): the global dispatcher (`Symbol.for('undici.globalDispatcher.1')`, shared by Node's own
 *   fetch and every copy of undici) is wrapped; a request for a chosen origin goes to the loopback
 *   server through the same dispatcher the client would have used, so its errors are that
 *   dispatcher's own;
 * - `node:http` and `node:https` (and the libraries on them: axios in Node, got, node-fetch,
 *   superagent, the SDKs with an agent of their own): every agent's connections to a chosen origin
 *   go to the loopback server (`createConnection` on the Agent prototypes). A client with a
 *   dispatcher or a socket factory of its own (an undici `Pool`, a proxy agent) is not intercepted.
 *
 * A request for an origin with no rule goes where it was going (or is refused, with `unmatched:
 * 'refuse'`). `stop()` puts every global back and closes every connection.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { setTimeout as realSetTimeout, clearTimeout as realClearTimeout } from 'node:timers';
import { runInThisContext } from 'node:vm';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { checkStep, type Fault, type Step } from './faults.ts';

/** One request that reached the injector for a chosen origin. */
export interface Attempt {
  /** The origin the client asked for (`https://api.stripe.com`). */
  readonly origin: string;
  /** The rule that played it: the origin itself, or the `https://*.suffix` pattern it matched. */
  readonly rule: string;
  readonly method: string;
  /** Path and query, as sent. */
  readonly path: string;
  /** The request's headers, names in lower case (`host` is the origin's host). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** `Date.now()` when it arrived: the test's clock, fake or real. */
  readonly time: number;
  /** The fault played for it. */
  readonly fault: Fault['kind'];
  /** Which attempt this is for its origin: 0 for the first. */
  readonly index: number;
}

export interface InjectorOptions {
  /**
   * What each origin does, attempt after attempt: one fault, or a list played in order (the last one
   * repeats). Keys are origins (`https://api.stripe.com`, `http://localhost:8080`), or every
   * subdomain of one (`https://*.amazonaws.com`: a region's or a bucket's host), which counts its
   * attempts together; an origin's own rule wins over a pattern.
   */
  readonly origins?: Readonly<Record<string, Step | readonly Step[]>> | undefined;
  /** A request for an origin with no rule: `'pass'` lets it through (default); `'refuse'` fails it as a refused connection. */
  readonly unmatched?: 'pass' | 'refuse' | undefined;
  /** The seed of `faults.sometimes` draws (an integer in [0, 2**32 - 1]). Default: a random one, read back from `.seed`. */
  readonly seed?: number | undefined;
}

export interface Injector {
  /** The seed of the `faults.sometimes` draws: print it with a failing test to replay the run. */
  readonly seed: number;
  /** Sets (or replaces) what an origin does, from its next attempt on; its attempt count starts again. */
  on(origin: string, ...steps: readonly Step[]): this;
  /** Every attempt so far, in arrival order; only those for `origin` (or played by that pattern's rule) when given. */
  attempts(origin?: string): readonly Attempt[];
  /** Forgets the attempts recorded so far (the rules stay). */
  clearAttempts(): void;
  /** Puts `fetch`'s dispatcher and the agents' `createConnection` back, closes every connection and the server. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const DISPATCHER = Symbol.for('undici.globalDispatcher.1');
/** Carries the origin a redirected undici request was for (removed before it is recorded). */
const ORIGIN_HEADER = 'x-resilience-chaos-origin';
const MAX_SEED = 2 ** 32 - 1;

/** The injector in place, or `'starting'` while one is being set up. */
let running: Injector | 'starting' | undefined;

/**
 * Starts the loopback server and intercepts `fetch`, undici and node's HTTP agents until `stop()`.
 * One injector at a time: a second `injectFaults()` before `stop()` (or while the first is starting)
 * is an error.
 */
export async function injectFaults(options: InjectorOptions = {}): Promise<Injector> {
  if (running) throw new Error('chaos: an injector is already running; stop() it first (one at a time: they share the global dispatcher and agents)');
  running = 'starting';
  try {
    const injector = await start(options);
    running = injector;
    return injector;
  } catch (error) {
    running = undefined;
    throw error;
  }
}

async function start(options: InjectorOptions): Promise<Injector> {
  const unmatched = options.unmatched ?? 'pass';
  if (unmatched !== 'pass' && unmatched !== 'refuse') throw new TypeError(`chaos: unmatched must be 'pass' or 'refuse', got ${String(unmatched)}`);
  const seed = options.seed ?? Math.floor(Math.random() * (MAX_SEED + 1));
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new RangeError(`chaos: seed must be an integer from 0 to ${MAX_SEED}, got ${String(seed)}`);

  const rules = new Map<string, { readonly key: string; readonly steps: readonly Step[]; next: number }>();
  /** The rule for an origin: its own, else the first `https://*.suffix` one whose suffix it ends with. */
  const ruleFor = (origin: string): { readonly key: string; readonly steps: readonly Step[]; next: number } | undefined => {
    const exact = rules.get(origin);
    if (exact) return exact;
    const url = new URL(origin);
    for (const [key, rule] of rules) {
      const pattern = new URL(key);
      if (!pattern.hostname.startsWith('*.') || pattern.protocol !== url.protocol || pattern.port !== url.port) continue;
      if (url.hostname.endsWith(pattern.hostname.slice(1))) return rule;
    }
    return undefined;
  };
  const setRule = (origin: string, steps: readonly Step[]): void => {
    const key = normalizeOrigin(origin);
    if (steps.length === 0) throw new TypeError(`chaos: ${origin} needs at least one fault`);
    steps.forEach((step, i) => checkStep(step, `the fault for ${key}${steps.length > 1 ? ` [${i}]` : ''}`));
    rules.set(key, { key, steps, next: 0 });
  };
  for (const [origin, value] of Object.entries(options.origins ?? {})) setRule(origin, Array.isArray(value) ? value : [value as Step]);

  const random = xoroshiro128plus(seed);
  const recorded: Attempt[] = [];
  const sockets = new Set<net.Socket>();
  const timers = new Set<ReturnType<typeof realSetTimeout>>();
  /** Client-side local port → origin, for connections made by the node:http agents. */
  const byLocalPort = new Map<number, string>();

  const later = (ms: number, fn: () => void): void => {
    const timer = realSetTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const server = http.createServer({ keepAlive: true }, (req, res) => {
    const header = req.headers[ORIGIN_HEADER];
    const origin = typeof header === 'string' ? header : byLocalPort.get(req.socket.remotePort ?? -1);
    const rule = origin === undefined ? undefined : ruleFor(origin);
    if (origin === undefined || !rule) {
      // Only redirected requests come here; one whose rule was removed meanwhile gets a plain 502.
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`chaos: no fault set for ${origin ?? 'this connection'}\n`);
      return;
    }
    const index = rule.next++;
    let step = rule.steps[Math.min(index, rule.steps.length - 1)]!;
    while (step.kind === 'sometimes') step = uniformFloat64(random) < step.rate ? step.fault : step.otherwise;
    const headers = { ...req.headers };
    delete headers[ORIGIN_HEADER];
    recorded.push({ origin, rule: rule.key, method: req.method ?? 'GET', path: req.url ?? '/', headers, time: Date.now(), fault: step.kind, index });
    play(step, req, res, later);
  });
  // A hung request is the point: no server-side timeout may answer it.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 0;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that gives up resets or closes its side; nothing to report.
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const serverOrigin = `http://127.0.0.1:${port}`;

  const decide = (origin: string): 'redirect' | 'pass' | 'refuse' => (ruleFor(origin) ? 'redirect' : unmatched);

  // fetch and undici.
  const restoreDispatcher = await interceptDispatcher(decide, serverOrigin);
  // node:http and node:https.
  const restoreAgents = interceptAgents(decide, port, (localPort, origin) => byLocalPort.set(localPort, origin));

  const injector: Injector = {
    seed,
    on(origin, ...steps) {
      setRule(origin, steps);
      return this;
    },
    attempts(origin) {
      if (origin === undefined) return [...recorded];
      const key = normalizeOrigin(origin);
      return recorded.filter((a) => a.origin === key || a.rule === key);
    },
    clearAttempts() {
      recorded.length = 0;
    },
    async stop() {
      if (running !== injector) return;
      running = undefined;
      restoreAgents();
      restoreDispatcher();
      for (const timer of timers) realClearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    [Symbol.asyncDispose]() {
      return injector.stop();
    },
  };
  return injector;
}

export function play(step: Fault, req: http.IncomingMessage, res: http.ServerResponse, later: (ms: number, fn: () => void) => void): void {
  switch (step.kind) {
    case 'hang':
      // Read the body so the client's upload completes, and answer nothing.
      req.resume();
      return;
    case 'reset':
      req.socket.resetAndDestroy();
      return;
    case 'respond': {
      const send = (): void => {
        const body = step.body ?? '';
        res.writeHead(step.status, { 'content-length': Buffer.byteLength(body), ...step.headers }).end(body);
      };
      req.resume();
      if (step.afterMs) later(step.afterMs, send);
      else send();
      return;
    }
    case 'trickle': {
      req.resume();
      const body = Buffer.from(step.body);
      res.writeHead(step.status, { 'content-length': body.length, ...step.headers });
      res.flushHeaders();
      let offset = 0;
      const next = (): void => {
        if (res.destroyed) return;
        const chunk = body.subarray(offset, offset + step.chunkBytes);
        offset += chunk.length;
        if (offset >= body.length) res.end(chunk);
        else {
          res.write(chunk);
          later(step.everyMs, next);
        }
      };
      if (body.length === 0) res.end();
      else later(step.everyMs, next);
      return;
    }
  }
}

/** `https://API.example.com:443/` → `https://api.example.com`; a clear error for anything else. */
export function normalizeOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new TypeError(`chaos: ${JSON.stringify(origin)} is not an origin (expected e.g. https://api.example.com)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`chaos: ${JSON.stringify(origin)} is not an http(s) origin`);
  return url.origin;
}

type Decide = (origin: string) => 'redirect' | 'pass' | 'refuse';

interface DispatchOptions {
  origin?: string | URL;
  headers?: unknown;
  [key: string]: unknown;
}

interface Dispatcher {
  dispatch(options: DispatchOptions, handler: { onError?(error: Error): void; [key: string]: unknown }): boolean;
}

/**
 * Wraps the global dispatcher: `dispatch` for a chosen origin goes, through the same dispatcher, to
 * the loopback server, with the origin in a header and its host as `host`. Node creates its
 * dispatcher when fetch is first used; a `data:` fetch makes it exist before it is wrapped.
 */
async function interceptDispatcher(decide: Decide, serverOrigin: string): Promise<() => void> {
  const all = realms();
  const main = all.at(-1)!;
  const mainFetch = (main as { fetch?: typeof fetch }).fetch;
  if ((main as Record<symbol, unknown>)[DISPATCHER] === undefined && typeof mainFetch === 'function') await mainFetch('data:,');
  const fallback = (main as Record<symbol, Dispatcher | undefined>)[DISPATCHER];
  const restores = all.map((realm) => wrapDispatcher(realm, fallback, decide, serverOrigin));
  return () => {
    for (const restore of restores) restore();
  };
}

/**
 * The global objects whose dispatcher slot a fetch may read: this module's, and Node's main one when
 * they differ (jest runs each test file in a vm context of its own, with Node's `fetch` copied in: it
 * reads the main context's slot, while undici loaded inside the test reads the test's).
 */
function realms(): object[] {
  const main = runInThisContext('globalThis') as object;
  // The main realm last.
  return main === globalThis ? [globalThis] : [globalThis, main];
}

/**
 * Wraps a realm's dispatcher (or, where the realm has none yet, the main one, so that an undici
 * loaded later in the realm finds the wrapper instead of making its own).
 */
function wrapDispatcher(realm: object, fallback: Dispatcher | undefined, decide: Decide, serverOrigin: string): () => void {
  const slot = realm as Record<symbol, Dispatcher | undefined>;
  const own = slot[DISPATCHER];
  const original = own ?? fallback;
  if (!original) return () => {};
  const wrapper = Object.create(original as object, {
    dispatch: {
      value(options: DispatchOptions, handler: Parameters<Dispatcher['dispatch']>[1]): boolean {
        const origin = options.origin === undefined ? undefined : safeOrigin(String(options.origin));
        const decision = origin === undefined ? 'pass' : decide(origin);
        if (decision === 'pass') return original.dispatch(options, handler);
        if (decision === 'refuse') {
          queueMicrotask(() => handler.onError?.(refused(origin!)));
          return true;
        }
        // The host the client meant stays its `host` (undici would otherwise name the loopback server).
        const headers = [...flatHeaders(options.headers), ORIGIN_HEADER, origin!];
        const withHost = hasHost(headers) ? headers : [...headers, 'host', new URL(origin!).host];
        return original.dispatch({ ...options, origin: serverOrigin, headers: withHost }, handler);
      },
    },
  }) as Dispatcher;
  Object.defineProperty(realm, DISPATCHER, { value: wrapper, writable: true, enumerable: false, configurable: false });
  return () => {
    if (slot[DISPATCHER] === wrapper) slot[DISPATCHER] = own;
  };
}

function hasHost(flat: readonly string[]): boolean {
  for (let i = 0; i < flat.length; i += 2) if (flat[i]!.toLowerCase() === 'host') return true;
  return false;
}

/** undici's dispatch headers (a flat array, an array of pairs, an object, or an iterable) as a flat array. */
function flatHeaders(headers: unknown): string[] {
  if (headers === undefined || headers === null) return [];
  const out: string[] = [];
  const add = (name: unknown, value: unknown): void => {
    if (Array.isArray(value)) for (const v of value) out.push(String(name), String(v));
    else if (value !== undefined) out.push(String(name), String(value));
  };
  if (Array.isArray(headers)) {
    if (headers.every((h) => Array.isArray(h))) for (const [name, value] of headers as unknown[][]) add(name, value);
    else for (let i = 0; i < headers.length; i += 2) add(headers[i], headers[i + 1]);
    return out;
  }
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const entry of headers as Iterable<[unknown, unknown]>) add(entry[0], entry[1]);
    return out;
  }
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) add(name, value);
  return out;
}

function safeOrigin(value: string): string | undefined {
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

/** The error a connection to a closed port gives, for `unmatched: 'refuse'`. */
function refused(origin: string): Error {
  return Object.assign(new Error(`connect ECONNREFUSED (chaos: no fault set for ${origin}, and unmatched is 'refuse')`), { code: 'ECONNREFUSED', syscall: 'connect' });
}

/**
 * Patches `createConnection` of node's `http.Agent` and `https.Agent` prototypes, which every agent
 * calls to open a connection (the global ones, and those an SDK or a keep-alive setup makes): a
 * connection to a chosen origin goes to the loopback server instead (a plain one, even for https:
 * the request is the same bytes either way).
 */
function interceptAgents(decide: Decide, port: number, tag: (localPort: number, origin: string) => void): () => void {
  const redirect = (protocol: 'http:' | 'https:', options: ConnectOptions): net.Socket | 'pass' | Error => {
    const host = options.hostname ?? options.host ?? 'localhost';
    const defaultPort = protocol === 'https:' ? 443 : 80;
    const origin = safeOrigin(`${protocol}//${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${options.port ?? defaultPort}`);
    const decision = origin === undefined ? 'pass' : decide(origin);
    if (decision === 'pass') return 'pass';
    if (decision === 'refuse') return refused(origin!);
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      tag(socket.localPort!, origin!);
      // The connection stands for a TLS one that has just been set up: clients that time the TLS
      // handshake (got's `timeout.secureConnect`) wait for this event, as a real server sends it.
      if (protocol === 'https:') process.nextTick(() => socket.emit('secureConnect'));
    });
    return socket;
  };
  const patch = (proto: AgentConnect, protocol: 'http:' | 'https:'): (() => void) => {
    const had = Object.prototype.hasOwnProperty.call(proto, 'createConnection');
    const original = proto.createConnection;
    proto.createConnection = function createConnection(this: unknown, options: unknown, callback?: (error: Error | null, socket: net.Socket) => void): net.Socket {
      // An https agent reaches http's method only through a subclass of its own: judge by the agent.
      const result = redirect(this instanceof https.Agent ? 'https:' : protocol, options as ConnectOptions);
      return result === 'pass' ? original.call(this, options, callback) : failOr(result);
    };
    return () => {
      if (had) proto.createConnection = original;
      else delete (proto as Partial<AgentConnect>).createConnection;
    };
  };
  const restoreHttps = patch(https.Agent.prototype as unknown as AgentConnect, 'https:');
  const restoreHttp = patch(http.Agent.prototype as unknown as AgentConnect, 'http:');
  return () => {
    restoreHttp();
    restoreHttps();
  };
}

interface ConnectOptions {
  readonly host?: string | null;
  readonly hostname?: string | null;
  readonly port?: number | string | null;
}

/** `Agent#createConnection`, which @types/node does not declare on the prototype. */
interface AgentConnect {
  createConnection(options: unknown, callback?: (error: Error | null, socket: net.Socket) => void): net.Socket;
}

/** A socket, or one that fails with `error` as soon as it is used (as a refused connection does). */
function failOr(result: net.Socket | Error): net.Socket {
  if (result instanceof net.Socket) return result;
  const socket = new net.Socket();
  process.nextTick(() => socket.destroy(result));
  return socket;
}

