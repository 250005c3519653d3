import got from 'got';
import ky from 'ky';
import { withTimeout } from '@resilience-kit/policies';

export const stock = (sku: string) => withTimeout(10_000, (signal) => got(`https://inventory.example.com/${sku}`, { signal }).json<{ count: number }>());
export const suggest = (q: string) => withTimeout(10_000, (signal) => ky.post('https://search.example.com', { json: { q }, timeout: false, signal }).json());
export const raw = (u: string) => withTimeout(10_000, (signal) => fetch(u, { signal })).then((r) => r.text());
