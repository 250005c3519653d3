import axios from 'axios';
import { withTimeout } from '@resilience-kit/policies';

const payments = axios.create({ baseURL: 'https://pay.example.com' });
const search = axios.create({ baseURL: 'https://search.example.com', timeout: 3000 });

export async function charge(amount: number) {
  const { data } = await withTimeout(10_000, (signal) => payments.post('/charges', { amount }, {
    headers: { 'content-type': 'application/json' },
    signal,
  }));
  return data;
}

export const find = (q: string) => search.get('/q', { params: { q } });
export const ping = () => withTimeout(10_000, (signal) => axios.head('https://status.example.com', { timeout: 0, signal }));
