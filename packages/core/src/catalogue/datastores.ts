/**
 * Datastores and brokers: judged where the client is made, one finding per construction that leaves
 * every deadline off (not one per query). Defaults verified from shipped source (client catalogue §6).
 */

export interface DatastoreConstruction {
  /** Member path from the module root (`['Pool']`, `['default']` for `new Redis()`, `['connect']`). */
  readonly path: readonly string[];
  readonly kind: 'new' | 'call';
  /** Where the options object sits; `object`: the first object-literal argument (ioredis's `(port, host, opts)`). */
  readonly options: number | 'object';
  /** An argument that may be a connection string carrying deadline parameters. */
  readonly url?: number;
}

export interface ReconnectSpec {
  readonly option: string;
  readonly counterParam: number;
  readonly advice: string;
  /** Option types a settings object may be declared with (`const o: Partial<RedisOptions> = { retryStrategy }`). */
  readonly optionsTypes?: readonly string[];
  /**
   * The schedule used when the option is not set, per installed version (the first entry whose `below`
   * the version is under; none: not judged). Judged only when the version is known.
   */
  readonly defaults?: readonly {
    /** The module whose installed version decides (the one imported), when the entry has several. */
    readonly module?: string;
    /** The versions below this one use it; absent: every version (judged without knowing the version). */
    readonly below?: string;
    readonly delay: import('./types.ts').DelayKind;
    readonly jitter: boolean;
    readonly formula: string;
  }[];
  /** The option the fix writes when the default is the problem. */
  readonly fix?: { readonly name: string; readonly value: string };
}

export interface DatastoreEntry {
  readonly id: string;
  /** `false`: only the reconnect schedule is catalogued; deadlines are not judged (yet). */
  readonly judgesDeadlines?: false;
  readonly displayName: string;
  /** The version whose shipped source verified the defaults, and the section of the client catalogue. */
  readonly verified: string;
  readonly modules: readonly string[];
  readonly constructions: readonly DatastoreConstruction[];
  /** Options that bound a query or command (any one, not turned off, is enough). A dotted name is nested (`socket.socketTimeout`). */
  readonly deadlines: readonly string[];
  /** Options that bound only connecting: alone, a stalled query still waits forever. */
  readonly connectOnly?: readonly string[];
  /** Values that turn an option off. */
  readonly disabledBy: readonly (number | boolean)[];
  /** Connection-string parameters that set a query deadline (pg `?statement_timeout=`). */
  readonly urlParameters?: readonly string[];
  /** Options whose presence means another framework's settings (BullMQ's `maxRetriesPerRequest: null`): not judged. */
  readonly notJudgedWith?: readonly { readonly name: string; readonly value: null | number | boolean }[];
  /**
   * The client's reconnect schedule: an option holding a function of the attempt number (its parameter
   * at `counterParam`) that returns the delay, or a non-number to stop. Judged when written; a
   * default that changed between majors (ioredis 5: `min(times · 50, 2000)`, 6: exponential with
   * jitter) is not judged without the installed version.
   */
  readonly reconnect?: ReconnectSpec;
  /** What happens with nothing set, completing "… can hang forever: <note>". */
  readonly note: string;
  /** The options the fix adds (those not already set), in order. */
  readonly fix: readonly { readonly name: string; readonly value: string }[];
  readonly advice: string;
}

/** pg 8.23 (pg-pool 3.14): no connect, query or pool-wait deadline; `?connect_timeout=` is ignored by the JS client (§6). */
const pg: DatastoreEntry = {
  id: 'pg',
  displayName: 'pg',
  verified: 'pg 8.23.1 (pg-pool 3.14.0), §6.1',
  modules: ['pg'],
  constructions: [
    { path: ['Pool'], kind: 'new', options: 0, url: 0 },
    { path: ['Client'], kind: 'new', options: 0, url: 0 },
  ],
  deadlines: ['query_timeout', 'statement_timeout'],
  connectOnly: ['connectionTimeoutMillis'],
  disabledBy: [0, false],
  urlParameters: ['query_timeout', 'statement_timeout'],
  note: 'pg waits forever by default, to connect, for a free pooled client, and for each query',
  fix: [{ name: 'connectionTimeoutMillis', value: '5_000' }, { name: 'query_timeout', value: '30_000' }],
  advice: 'set `connectionTimeoutMillis` (connecting and waiting for a pooled client) and `query_timeout` or `statement_timeout` (each query) where the client is made',
};

/** ioredis 6.1 (5.11): `connectTimeout` 10 s covers the TCP connect only; no command deadline (§6). */
const ioredis: DatastoreEntry = {
  id: 'ioredis',
  displayName: 'ioredis',
  verified: 'ioredis 6.1.0 and 5.11.1, §6.4',
  modules: ['ioredis'],
  constructions: [
    { path: [], kind: 'new', options: 'object' },
    { path: ['Redis'], kind: 'new', options: 'object' },
  ],
  deadlines: ['commandTimeout'],
  connectOnly: ['connectTimeout'],
  disabledBy: [0],
  // BullMQ needs `maxRetriesPerRequest: null` and blocking commands that a command timeout would cut.
  notJudgedWith: [{ name: 'maxRetriesPerRequest', value: null }],
  // event_handler.js L324-338 (6.1.0): `retryStrategy(++retryAttempts)`; a non-number stops reconnecting.
  reconnect: {
    option: 'retryStrategy',
    counterParam: 0,
    advice: 'return a delay that grows exponentially with the attempt and is randomised, as ioredis 6 does by default (`Math.min(2 ** (times - 1) * 50, 5_000) + Math.floor(Math.random() * 200)`)',
    optionsTypes: ['RedisOptions', 'CommonRedisOptions'],
    // RedisOptions.js L11-13 of 5.x: `Math.min(times * 50, 2000)`, every client of every instance in
    // step; 6.x (L11-16) grows exponentially and adds up to 200 ms at random (§6.4).
    defaults: [{ below: '6.0.0', delay: 'linear', jitter: false, formula: '`Math.min(times * 50, 2000)` ms' }],
    fix: { name: 'retryStrategy', value: '(times) => Math.min(2 ** (times - 1) * 50, 5_000) + Math.floor(Math.random() * 200)' },
  },
  note: 'ioredis bounds only the TCP connect (10 s); a command to a stalled server waits forever',
  fix: [{ name: 'commandTimeout', value: '5_000' }],
  advice: 'set `commandTimeout` where the client is made (not on a connection BullMQ uses for blocking commands)',
};

/** mongodb 7.9: `socketTimeoutMS` 0 (none); `timeoutMS` is ignored from 7.8.0 and 6.22.0 (§6). */
const mongodb: DatastoreEntry = {
  id: 'mongodb',
  displayName: 'mongodb',
  verified: 'mongodb 7.9.1 (7.7.0), §6.6',
  modules: ['mongodb'],
  constructions: [{ path: ['MongoClient'], kind: 'new', options: 1, url: 0 }],
  deadlines: ['socketTimeoutMS', 'timeoutMS'],
  connectOnly: ['connectTimeoutMS', 'serverSelectionTimeoutMS'],
  disabledBy: [0],
  urlParameters: ['socketTimeoutMS', 'timeoutMS'],
  note: 'the MongoDB driver sets no socket timeout (`socketTimeoutMS: 0`), so an operation on a stalled connection waits forever',
  fix: [{ name: 'socketTimeoutMS', value: '30_000' }],
  advice: 'set `socketTimeoutMS` (in the options or the connection string) where the client is made',
};

/** mongoose 9.13 passes its options to the driver and adds no timeout (§6). */
const mongoose: DatastoreEntry = {
  ...mongodb,
  id: 'mongoose',
  displayName: 'mongoose',
  verified: 'mongoose 9.13.2 (mongodb 7.9), §6.7',
  modules: ['mongoose'],
  constructions: [
    { path: ['connect'], kind: 'call', options: 1, url: 0 },
    { path: ['createConnection'], kind: 'call', options: 1, url: 0 },
  ],
  note: 'mongoose passes no socket timeout to the driver (`socketTimeoutMS: 0`), so an operation on a stalled connection waits forever',
};

/** amqplib 2.3: the socket `timeout` (second argument) bounds connecting and the handshake; none by default (§6). */
const amqplib: DatastoreEntry = {
  id: 'amqplib',
  displayName: 'amqplib',
  verified: 'amqplib 2.3.1, §6.11',
  modules: ['amqplib', 'amqplib/callback_api'],
  constructions: [{ path: ['connect'], kind: 'call', options: 1 }],
  deadlines: ['timeout'],
  disabledBy: [0],
  note: 'amqplib sets no connect timeout, so connecting to a broker that does not answer waits forever',
  fix: [{ name: 'timeout', value: '10_000' }],
  advice: 'pass the socket option `timeout` as `connect`\'s second argument',
};

/**
 * node-redis (`redis`, `@redis/client`), reconnects only (§6.5 and docs/verified-defaults.md §8.1): a
 * `socket.reconnectStrategy` number is a constant delay, `false` never reconnects, a function returns
 * the delay for `retries` (or `false` / an `Error` to stop). The default is `Math.min(retries * 50, 500)`
 * in redis 4 (@redis/client 1.x, socket.js L129) and exponential with up to 200 ms of jitter from redis 5
 * (@redis/client 5.12.4 socket.js L330-340). Its deadlines depend on the major (a 5 s queue-wait timeout
 * in 6.x only) and are not judged yet.
 */
const nodeRedis: DatastoreEntry = {
  id: 'node-redis',
  judgesDeadlines: false,
  displayName: 'node-redis',
  verified: 'redis 4.7.1, 5.12.4, 6.4.0 (@redis/client 1.6.1, 5.12.4, 6.4.0), §6.5, §8.1',
  modules: ['redis', '@redis/client'],
  constructions: [{ path: ['createClient'], kind: 'call', options: 0 }],
  deadlines: [],
  disabledBy: [],
  reconnect: {
    option: 'socket.reconnectStrategy',
    counterParam: 0,
    advice: 'return a delay that grows exponentially with the attempt and is randomised, as node-redis 5 does by default (`Math.min(2 ** retries * 50, 2_000) + Math.floor(Math.random() * 200)`)',
    optionsTypes: ['RedisClientOptions', 'RedisSocketOptions'],
    defaults: [
      { module: 'redis', below: '5.0.0', delay: 'linear', jitter: false, formula: '`Math.min(retries * 50, 500)` ms' },
      { module: '@redis/client', below: '2.0.0', delay: 'linear', jitter: false, formula: '`Math.min(retries * 50, 500)` ms' },
    ],
  },
  note: '',
  fix: [],
  advice: '',
};

/**
 * ioredis `Cluster`, reconnects only: `clusterRetryStrategy(times)` defaults to
 * `Math.min(100 + times * 2, 2000)` in 5.11.1 and 6.1.0 alike (built/cluster/ClusterOptions.js L6):
 * 2 ms more each time, never randomised. Its command deadlines sit in `redisOptions` (not judged yet).
 */
const ioredisCluster: DatastoreEntry = {
  id: 'ioredis-cluster',
  judgesDeadlines: false,
  displayName: 'ioredis Cluster',
  verified: 'ioredis 6.1.0 and 5.11.1 (built/cluster/ClusterOptions.js L6), §6.4, §8.1',
  modules: ['ioredis'],
  constructions: [{ path: ['Cluster'], kind: 'new', options: 1 }, { path: ['default', 'Cluster'], kind: 'new', options: 1 }],
  deadlines: [],
  disabledBy: [],
  reconnect: {
    option: 'clusterRetryStrategy',
    counterParam: 0,
    advice: 'return a delay that grows exponentially with the attempt and is randomised (`Math.min(2 ** times * 100, 5_000) + Math.floor(Math.random() * 200)`)',
    optionsTypes: ['ClusterOptions'],
    defaults: [{ delay: 'linear', jitter: false, formula: '`Math.min(100 + times * 2, 2000)` ms' }],
    fix: { name: 'clusterRetryStrategy', value: '(times) => Math.min(2 ** times * 100, 5_000) + Math.floor(Math.random() * 200)' },
  },
  note: '',
  fix: [],
  advice: '',
};

export const datastores: readonly DatastoreEntry[] = [pg, ioredis, mongodb, mongoose, amqplib, nodeRedis, ioredisCluster];
