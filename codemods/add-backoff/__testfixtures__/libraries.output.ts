import pRetry from 'p-retry';
import { backOff } from 'exponential-backoff';
import axiosRetry from 'axios-retry';
import axios from 'axios';
import { retry, handleAll, ExponentialBackoff } from 'cockatiel';

declare function load(): Promise<string>;

export const a = () => pRetry(load, { randomize: true });
export const b = () => pRetry(load, { retries: 3, randomize: true });
export const c = () => backOff(load, {
  numOfAttempts: 4,
  jitter: 'full',
});
axiosRetry(axios, { retries: 3, retryDelay: axiosRetry.exponentialDelay });
export const policy = retry(handleAll, { maxAttempts: 5, backoff: new ExponentialBackoff() });
