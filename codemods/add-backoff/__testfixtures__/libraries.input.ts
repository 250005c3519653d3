import pRetry from 'p-retry';
import { backOff } from 'exponential-backoff';
import axiosRetry from 'axios-retry';
import axios from 'axios';
import { retry, handleAll } from 'cockatiel';

declare function load(): Promise<string>;

export const a = () => pRetry(load);
export const b = () => pRetry(load, { retries: 3, randomize: false });
export const c = () => backOff(load, {
  numOfAttempts: 4,
});
axiosRetry(axios, { retries: 3 });
export const policy = retry(handleAll, {});
