/*
 * Copyright Example Corp.
 */

/** Loads the feed. */
export function feed(url: string) {
  return fetch(url);
}
