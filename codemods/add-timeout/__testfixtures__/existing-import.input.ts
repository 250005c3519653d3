import { TimeoutError } from '@resilience-kit/policies';
import axios from 'axios';

export async function get(url: string) {
  try {
    return await axios.get(url);
  } catch (error) {
    if (error instanceof TimeoutError) return undefined;
    throw error;
  }
}
