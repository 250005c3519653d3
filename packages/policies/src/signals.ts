/**
 * Internal helpers shared by the policies (not exported from the package): how a call is settled
 * when the caller's signal aborts, whatever the work does with that signal.
 */

export function isPromiseLike<T>(value: PromiseLike<T> | T): value is PromiseLike<T> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Settles as `work` does, or rejects with the signal's reason as soon as it aborts, even if the
 * work ignores the signal (as `withTimeout` does). The abandoned work's outcome is swallowed. The
 * listener is removed once the promise settles.
 */
export function untilAborted<T>(work: PromiseLike<T> | T, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    if (isPromiseLike(work)) work.then(undefined, () => {});
    return Promise.reject(signal.reason);
  }
  if (!isPromiseLike(work)) return Promise.resolve(work);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Calls `fn(argument)`, turning a synchronous throw into a rejected promise. */
export function invoke<A, T>(fn: (argument: A) => PromiseLike<T> | T, argument: A): PromiseLike<T> | T {
  try {
    return fn(argument);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** A signal that never aborts, one per call, so that no listener ever accumulates on a shared one. */
export function neverAborted(): AbortSignal {
  return new AbortController().signal;
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts, clearing the timer. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
