import { TimeoutError, withTimeout } from '@resilience-kit/policies';
import axios from 'axios';

export async function get(url: string) {
  try {
    return await withTimeout(10_000, (signal) => axios.get(url, { signal }));
  } catch (error) {
    if (error instanceof TimeoutError) return undefined;
    throw error;
  }
}
