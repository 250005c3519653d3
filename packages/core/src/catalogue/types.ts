/**
 * The shape of detection knowledge. Each library is one small data module (see the sibling files);
 * the facts code interprets these entries and holds no library names of its own.
 */

/** Where the arguments of a call sit. Indexes are 0-based. */
export interface ArgLayout {
  readonly url?: number;
  /** Position of the options object. */
  readonly options?: number;
  /** axios(config) or axios(url, config): options at 0 when the first argument is not a string-like URL. */
  readonly optionsFirstUnlessUrl?: boolean;
  /** The HTTP method as an argument (`superagent('POST', url)`). */
  readonly method?: number;
  /**
   * The argument at `options` is an options object only when it is one (graphql-request's
   * `client.request({ document, signal })` vs `client.request(QUERY)`): anything else means no options.
   */
  readonly optionsIfObject?: boolean;
}

export interface CallShape {
  /** Member path from the client root: `[]` is the root called itself, `['get']` is `root.get(...)`. */
  readonly path: readonly string[];
  /** Applies to the module (or global) root, to instances made by a factory, or both. */
  readonly on: 'module' | 'instance' | 'both';
  readonly args: ArgLayout;
  /**
   * What the call returns: a promise (the fix can wrap it), a chainable request object
   * (superagent: configured by chained calls), a Node ClientRequest, or a stream.
   */
  readonly returns: 'promise' | 'chain' | 'request' | 'stream';
  /** The HTTP method the shape implies, upper case. */
  readonly method?: string;
  /**
   * The URL argument may be a Fetch `Request` (fetch, node-fetch, undici's fetch, ky). A Request
   * carries its own signal, which a `signal` in the options replaces: the fix must compose the two.
   */
  readonly acceptsRequest?: boolean;
}

export interface FactoryShape {
  readonly path: readonly string[];
  readonly on: 'module' | 'instance' | 'both';
  /** `axios.create(...)` is a call; `new Pool(...)` is a construction. */
  readonly kind: 'call' | 'new';
  /** Where the instance's default options sit. */
  readonly options?: number;
  /** Made from an instance, does the new one keep the parent's defaults? (ky: `extend` yes, `create` no.) */
  readonly inherits?: boolean;
  /** With a `*` path: names that match it but are no factory (the AWS SDK's `*Command` classes). */
  readonly exceptSuffixes?: readonly string[];
}

/** One option that bounds a request. */
export interface TimeoutOption {
  readonly name: string;
  /** `ms`: a number of milliseconds; `object`: got's `{ request, response, … }`. */
  readonly form: 'ms' | 'object';
  /** Literal values that turn the timeout off (`0` for axios, `false` for ky, `Infinity` for got). */
  readonly disabledBy: readonly (number | boolean)[];
  /** For `object` form: keys that bound the response (any one is enough). */
  readonly boundingKeys?: readonly string[];
  /** For `object` form: keys that bound only the connection phase. */
  readonly connectOnlyKeys?: readonly string[];
  /**
   * For `object` form: keys whose effect depends on the installed version (Octokit's `request.timeout`,
   * ignored since @octokit/request 6): the verdict is `unknown`, explained by `undecidableNote`.
   */
  readonly undecidableKeys?: readonly string[];
  readonly undecidableNote?: string;
  /** For `object` form: the value may also be a construction whose first argument holds these keys (`new NodeHttpHandler({…})`). */
  readonly constructed?: boolean;
  /**
   * The option works in some major versions and is ignored in others: the verdict is `unknown`
   * (we do not read the installed version), with this explanation.
   */
  readonly versionDependent?: string;
}

export interface TimeoutSpec {
  /** What happens when nothing is set. */
  readonly default: { readonly kind: 'none'; readonly note: string } | { readonly kind: 'finite'; readonly ms: number; readonly note: string };
  readonly options: readonly TimeoutOption[];
  /**
   * Each option bounds one phase of the request (undici: headers, then body), so one turned off
   * leaves a phase that can hang forever, whatever the others say (unless a signal bounds the call).
   */
  readonly optionsArePhases?: boolean;
  /** Name of the AbortSignal option, if the client accepts one. */
  readonly signalOption?: string;
  /**
   * Options that hand the client a transport of the user's own (a custom `fetch`, an Apollo `link`): its
   * deadline is not in view, so setting one makes the verdict unknown.
   */
  readonly undecidableOptions?: readonly string[];
  /**
   * Calls on the module root that set the default for the module's own calls, anywhere in the program
   * (`sgMail.setTimeout(ms)`, `google.options({ timeout })`): the argument is a number of ms or an options object.
   */
  readonly defaultsCalls?: readonly { readonly path: readonly string[]; readonly argument: number; readonly form: 'ms' | 'options' }[];
  /**
   * The call returns an Observable that an operator can bound (rxjs `timeout(ms)` in `.pipe(…)`):
   * unsubscribing cancels the request (@nestjs/axios).
   */
  readonly observableTimeout?: { readonly modules: readonly string[]; readonly names: readonly string[] };
  /**
   * The first version of the client's package (its first `modules` entry) that accepts the signal
   * option; the fix refuses when the installed (or declared) version is older.
   */
  readonly signalSince?: string;
  /**
   * A deadline option the fix writes instead of the wrapper for versions before `before` (node-fetch
   * 2's `timeout`, which bounds the body read too and needs no import); only when the installed or
   * declared version is known to be older.
   */
  readonly optionFix?: { readonly name: string; readonly before: string };
  /** Name of the option that takes an undici dispatcher (whose own timeouts then apply). */
  readonly dispatcherOption?: string;
  /**
   * A function that installs the process-wide dispatcher calls without a `dispatcher` option use
   * (undici's `setGlobalDispatcher`, which Node's built-in fetch reads too).
   */
  readonly globalDispatcher?: { readonly module: string; readonly name: string };
  /** A chained method that sets a deadline (`superagent.get(u).timeout(ms)`). */
  readonly chainMethod?: string;
  /**
   * Node's http: the `timeout` option and `req.setTimeout()` only emit an event; they bound the request
   * only with a `'timeout'` handler that destroys it.
   */
  readonly eventOnly?: {
    readonly option: string;
    readonly method: string;
    readonly event: string;
    readonly destroyers: readonly string[];
  };
  /** Member paths on the module root assigned to set a process-wide default (`axios.defaults.timeout`). */
  readonly moduleDefaults?: readonly (readonly string[])[];
  /** Member paths on an instance assigned to set its default (`api.defaults.timeout`). */
  readonly instanceDefaults?: readonly (readonly string[])[];
  /**
   * Whether an instance copies the module defaults when it is created (axios.create: yes, so a later
   * `axios.defaults.timeout = …` does not reach it).
   */
  readonly instancesCopyModuleDefaults?: boolean;
  /** How to tell the user to bound a call of this client, in its own idiom. */
  readonly advice: string;
}

export interface ClientEntry {
  readonly id: string;
  readonly displayName: string;
  /** The version whose shipped source verified the defaults, and where the notes are (`shared/reference/client-catalogue.md`). */
  readonly verified?: string;
  /** Module specifiers (without `node:`) that export the client. */
  readonly modules: readonly string[];
  /** Named exports that are the client itself (`import { got } from 'got'`). */
  readonly rootExports?: readonly string[];
  /** Global paths that are the client (`['fetch']`, `['globalThis', 'fetch']` is derived). */
  readonly globals?: readonly (readonly string[])[];
  readonly calls: readonly CallShape[];
  readonly factories?: readonly FactoryShape[];
  readonly timeout: TimeoutSpec;
  /**
   * Methods called on the promise a call returns that still belong to the client's API
   * (`got(url).json()`): a wrapping fix must keep them inside the wrapper.
   */
  readonly responseHelpers?: readonly string[];
  /** The client's own retry configuration, if it has one. */
  readonly retry?: ClientRetrySpec;
  /** How a request carries an idempotency key in this client. */
  readonly idempotency?: IdempotencySpec;
  /** Where an instance's base URL sits: a factory option (`baseURL`) or a constructor argument (`new Pool(origin)`). */
  readonly baseUrl?: { readonly options?: readonly string[]; readonly argument?: number };
  /**
   * The service an SDK's client talks to unless its `baseUrl` option says otherwise
   * (`https://api.stripe.com`): every client of it, in any module, is one dependency, named by it.
   */
  readonly service?: string;
  /**
   * Type names, exported by the client's modules, that identify a value as the client wherever it flows
   * (a constructor parameter typed `AxiosInstance`, a field typed `Got`): `module` is the module's own
   * root (`AxiosStatic`); `instance` is a value made by a factory elsewhere, whose defaults are unknown.
   */
  readonly types?: readonly ClientType[];
  /**
   * Instances made by a framework from options registered elsewhere in the program (NestJS
   * `HttpModule.register({ timeout })`, `registerAsync({ useFactory })`): an injected instance is judged
   * by every registration; `plain` names the module class imported without options (then: none).
   */
  readonly registration?: {
    readonly paths: readonly (readonly string[])[];
    readonly options: number;
    readonly factoryKey?: string;
    readonly plain?: string;
  };
}

export interface ClientType {
  /** A type name; `*Client` matches any name ending in `Client` (the AWS SDK's `S3Client`, `SESClient`…). */
  readonly name: string;
  readonly as: 'module' | 'instance';
}

/** A construct that isolates a dependency: a circuit breaker or a bulkhead. */
export interface DependencyGuardEntry {
  readonly displayName: string;
  readonly module: string;
  /** Export name (`default` for a default export). */
  readonly name: string;
  /**
   * `policy-execute`: the factory builds a policy whose `.execute(fn)` runs fn guarded;
   * `constructor-callback`: `new X(fn)` guards the calls inside fn (opossum).
   */
  readonly kind: 'policy-execute' | 'constructor-callback';
  /**
   * Types, exported by `module`, whose values run a callback guarded when one of `methods` gets it
   * (`breaker.fire(() => …)` on an opossum `CircuitBreaker`, `policy.execute(fn)` on a cockatiel
   * `CircuitBreakerPolicy` held in a map or injected): how a guard made elsewhere is recognised
   * wherever it flows.
   */
  readonly instanceTypes?: { readonly names: readonly string[]; readonly methods: readonly string[] };
  /** The factory guards only when its options object has one of these keys (`policy({ circuitBreaker })`). */
  readonly requiresOption?: readonly string[];
  /** Whether the codemod may reuse an existing module-level instance of it for another call. */
  readonly reusable?: boolean;
}

/** Where an idempotency key goes: an HTTP header, or an SDK's own request option. */
export interface IdempotencySpec {
  /** The options key holding a headers object (`headers`). */
  readonly headersOption?: string;
  /** A chained header setter (`superagent.post(u).set(name, value)`). */
  readonly headerSetter?: string;
  /** An SDK request option (`stripe.charges.create(params, { idempotencyKey })`), in the call shape's options. */
  readonly sdkOption?: { readonly key: string };
  /**
   * The SDK sends a key of its own that stays the same across its internal retries (stripe-node's
   * `stripe-node-retry-<uuid>`): its internal retries are safe; a retry around the call is not.
   */
  readonly stableOnInternalRetries?: boolean;
  /**
   * Calls whose parameters carry the API's own deduplication key (Stripe `billing.meterEvents.create`
   * `identifier`): the member chain the callee ends with, the argument, and the key.
   */
  readonly paramKeys?: readonly { readonly members: readonly string[]; readonly argument: number; readonly key: string }[];
  /**
   * The calls that create something each time they are sent (Slack `chat.postMessage`), when the
   * client's calls are all POST but most are reads or idempotent updates: only these are mutations.
   */
  readonly mutations?: readonly (readonly string[])[];
  /** The API takes no idempotency key: what to do instead, for the message. */
  readonly noKey?: string;
}

/** A construct that bounds every network call made inside it (a timeout policy). */
export interface TimeoutGuardEntry {
  readonly id: string;
  readonly displayName: string;
  readonly module: string;
  /** Export name of the factory/function. */
  readonly name: string;
  /**
   * `callback`: the function argument at `argument` runs under the deadline (`withTimeout(ms, fn)`).
   * `policy-execute`: the factory returns a policy whose `.execute(fn)` runs fn under the deadline
   * (cockatiel `timeout(ms, …).execute(fn)`; also through `wrap(…)`).
   * `promise`: the promise argument at `argument` is raced against the deadline (p-timeout).
   */
  readonly kind: 'callback' | 'policy-execute' | 'promise';
  readonly argument?: number;
  /**
   * Where the guard's deadline sits (the factory's or function's argument, and a property of it for an
   * options object). A literal `Infinity` there means no deadline at all.
   */
  readonly deadline?: {
    readonly argument: number;
    readonly property?: string;
    /** The deadline must be written: without it the guard sets none (`policy()` without `timeoutMs`). */
    readonly required?: boolean;
  };
  /**
   * A strategy under which the guard only aborts the signal and waits (cockatiel's
   * `TimeoutStrategy.Cooperative`): then a call is bounded only if it receives the signal.
   * Recognised as this member name in the strategy argument (or its `strategy` property).
   */
  readonly cooperative?: { readonly argument: number; readonly member: string };
}

/** How a retry waits between attempts. */
export type DelayKind = 'none' | 'constant' | 'linear' | 'exponential';

/** What a retry does when its configuration says nothing (verified defaults). */
export interface RetryDefaults {
  /** Attempts cap: a number of retries, or `null` for unbounded. */
  readonly retries: number | null;
  readonly delay: DelayKind;
  readonly jitter: boolean;
  /**
   * The default delay is not judged (only a delay written in the options is): a library whose default is
   * the library's own considered choice on clients we do not audit one by one (TanStack Query in a browser).
   */
  readonly delayNotJudged?: boolean;
}

/** A known way to produce a delay (`axiosRetry.exponentialDelay`, `new ExponentialBackoff()`). */
export interface KnownDelay {
  readonly delay: DelayKind;
  readonly jitter: boolean;
  /** For a backoff constructor: an options key whose listed values turn the jitter off. */
  readonly jitterOffKey?: { readonly key: string; readonly values: readonly string[] };
  /** For a constant backoff: a first argument of 0 means no delay at all. */
  readonly zeroArgumentIsNone?: boolean;
  /** The delays are listed in the first argument (an array literal): classify their growth. */
  readonly fromList?: boolean;
}

/** Option names of one retry configuration, and how each changes the verdict. */
export interface RetryKeys {
  /** Finite number → capped; `Infinity` → unbounded. */
  readonly attempts?: readonly string[];
  /** `true` → unbounded. */
  readonly forever?: string;
  /** The attempts key also takes a boolean: `true` retries without end, `false` not at all (TanStack Query `retry`). */
  readonly booleanAttempts?: boolean;
  /** A finite total-time budget is a cap too. */
  readonly timeCap?: readonly string[];
  /** Jitter switch: `on` values turn it on, `off` values off. */
  readonly jitter?: { readonly key: string; readonly on: readonly (string | number | boolean)[]; readonly off: readonly (string | number | boolean)[] };
  /** An exponential's multiplier: `1` makes the delay constant. */
  readonly factor?: string;
  /** A number-valued key that is the only delay (constant), e.g. rxjs `delay: 1000`, or a function of the attempt. */
  readonly delay?: { readonly key: string; readonly counterParam: number; readonly known?: Readonly<Record<string, KnownDelay>> };
  /** A key holding a backoff object (cockatiel `backoff: new ExponentialBackoff()`). */
  readonly backoff?: { readonly key: string; readonly constructors: Readonly<Record<string, KnownDelay>> };
  /** got's `noise`: `0` turns its jitter off. */
  readonly noise?: string;
  /** got/ky: the HTTP methods retried (`retry: { methods: ['get', 'post'] }`). */
  readonly methods?: string;
  /** How a request's `methods` combines with its instance's: got replaces, ky concatenates. */
  readonly methodsMerge?: 'replace' | 'concat';
  /** The first delay (`minTimeout`, `startingDelay`): `0` means no delay. */
  readonly initialDelay?: readonly string[];
  /** The largest delay (`maxTimeout`, `backoffLimit`, `maxDelay`): `0` means no delay. */
  readonly delayCap?: readonly string[];
}

/** One way a library starts a retry. */
export interface RetryCallEntry {
  /** Member path from the module root (`['default']` for `pRetry(...)`, `['retry']` for cockatiel). */
  readonly path: readonly string[];
  /**
   * Where the configuration sits; `number` says what a bare number there means (rxjs `retry(3)`);
   * `eitherOrder`: the options and the function may come in either order (promise-retry).
   */
  readonly config: { readonly argument: number; readonly number?: 'retries'; readonly eitherOrder?: boolean };
  /**
   * The retried function retries only by calling its injected callback at this parameter index
   * (promise-retry): a function that never calls it runs once.
   */
  readonly retryCallbackParam?: number;
  /** Options keys holding the function that runs again (`queryFn`, `mutationFn`). */
  readonly callbackKeys?: readonly string[];
  /** A reconnect schedule (socket.io-client): a connection is meant to come back, so no cap is asked for. */
  readonly reconnects?: boolean;
  /**
   * A policy-style retry: the call builds a policy, and the work runs in `policy.<runsVia>(fn)`
   * (cockatiel `execute`, retry's `operation.attempt`).
   */
  readonly runsVia?: string;
  /**
   * The retry configures an HTTP client passed at this argument (axios-retry), retrying its requests.
   * `condition`: the option that picks what is retried; these values retry idempotent requests only.
   */
  readonly configures?: { readonly argument: number; readonly condition: { readonly key: string; readonly idempotentOnly: readonly string[] } };
  readonly defaults: RetryDefaults;
  readonly keys: RetryKeys;
  /** Option texts the fix may add, per missing policy. */
  readonly fixes?: {
    readonly jitter?: string;
    /** `{local}` is replaced by the local name of the call's callee root (e.g. the axios-retry import). */
    readonly backoff?: string;
    /** A named import the backoff text needs: `ExponentialBackoff` from cockatiel. */
    readonly backoffImport?: { readonly module: string; readonly name: string };
    readonly cap?: string;
  };
  /** What to do when no option can fix it (the library has no jitter option), per missing policy. */
  readonly advice?: { readonly backoff?: string; readonly jitter?: string; readonly cap?: string };
}

export interface RetryLibraryEntry {
  readonly id: string;
  readonly displayName: string;
  readonly module: string;
  readonly calls: readonly RetryCallEntry[];
}

/** An HTTP client's own retry option (got, ky) or chained method (superagent). */
export interface ClientRetrySpec {
  /** Judged only when written: `got(url, { retry: {...} })`; its default retry is fine or its own rule. */
  readonly option?: string;
  /** `superagent.get(url).retry(3)`. */
  readonly chainMethod?: string;
  /** What a bare number means (got/ky: the limit; superagent: the count). */
  readonly number: 'retries';
  /** The library refuses a non-finite limit (ky), so an unknown limit is still a cap. */
  readonly finiteLimitOnly?: boolean;
  /** The HTTP methods retried when the options name none (lower case): a call of another method is never retried. */
  readonly defaultMethods?: readonly string[];
  readonly defaults: RetryDefaults;
  readonly keys: RetryKeys;
  readonly fixes?: RetryCallEntry['fixes'];
  /**
   * The client retries every call on its own when the option is not written (the Slack WebClient: 10
   * retries, timeouts included): a mutation it sends is re-sent. Completes "… is retried by …".
   */
  readonly byDefault?: { readonly retries: number; readonly detail: string };
  /** Whose defaults a written option takes, when not the client's (`p-retry`, for Slack's `retryConfig`). */
  readonly defaultsOf?: string;
}
