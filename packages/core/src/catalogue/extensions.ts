/**
 * The user's additions to the catalogue (`catalogue` in resilience.config.* and in ESLint's
 * `settings.resilience`): their own HTTP wrappers, retry helpers and guards, named by specifier.
 *
 * Specifiers follow typescript-eslint's TypeOrValueSpecifier: an export of a package, or of a file
 * in the project. In the config file an entry is written flat (`{ "from": "file", "path":
 * "src/http.ts", "name": "request", "timeout": "unbounded" }`, path relative to the config file);
 * the loader resolves it to this form, where a file path is ABSOLUTE and posix.
 */

export type Specifier =
  | { readonly from: 'package'; readonly package: string; readonly name: string }
  | { readonly from: 'file'; readonly path: string; readonly name: string };

/** A function of the user's that sends one HTTP request (e.g. an internal SDK's `request`). */
export interface HttpWrapperSpec {
  readonly specifier: Specifier;
  /** Index of the URL argument (default 0). */
  readonly url?: number;
  /** The HTTP method it sends: fixed (`"POST"`), or read from an argument or an options property. */
  readonly method?: string | { readonly argument: number; readonly property?: string };
  /** Does the wrapper impose a deadline of its own? (`bounded`: yes, callers need none.) */
  readonly timeout: 'bounded' | 'unbounded';
}

/** A function that runs its callback argument under a deadline, a breaker or a bulkhead. */
export interface GuardSpec {
  readonly specifier: Specifier;
  /** Index of the callback argument (default 0). */
  readonly callback?: number;
}

/** A function that retries its callback argument, with the policy it applies. */
export interface RetryHelperSpec {
  readonly specifier: Specifier;
  /** Index of the callback argument (default 0). */
  readonly callback?: number;
  readonly backoff: 'none' | 'constant' | 'linear' | 'exponential';
  readonly jitter: boolean;
  /** Attempts cap, or null for unbounded. */
  readonly maxAttempts: number | null;
}

export interface CatalogueExtensions {
  readonly httpWrappers?: readonly HttpWrapperSpec[];
  readonly timeoutGuards?: readonly GuardSpec[];
  readonly dependencyGuards?: readonly GuardSpec[];
  readonly retryHelpers?: readonly RetryHelperSpec[];
}
