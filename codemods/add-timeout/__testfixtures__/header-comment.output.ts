/*
 * Copyright Example Corp.
 */

import { withTimeout } from '@resilience-kit/policies';

/** Loads the feed. */
export function feed(url: string) {
  return withTimeout(10_000, (signal) => fetch(url, { signal }));
}
