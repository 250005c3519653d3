import axios from 'axios';
import axiosRetry from 'axios-retry';

export interface ClientOptions {
  readonly initialDelay?: number;
  readonly waitMax?: number;
}

// The SDK's own delay function honours its public options (initialDelay, waitMax): replacing it
// with axiosRetry.exponentialDelay would silently drop them. Refused, byte for byte.
export function createClient(options: ClientOptions = {}) {
  const client = axios.create({ timeout: 5_000 });
  const backoff = (n: number) => Math.min((options.initialDelay ?? 0.5) * 2 ** n, options.waitMax ?? 30);
  axiosRetry(client, {
    retries: 3,
    retryDelay(retryCount) {
      return backoff(retryCount) * 1000;
    },
  });
  return client;
}
