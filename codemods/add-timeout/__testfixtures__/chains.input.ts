import got from 'got';
import ky from 'ky';

export const stock = (sku: string) => got(`https://inventory.example.com/${sku}`).json<{ count: number }>();
export const suggest = (q: string) => ky.post('https://search.example.com', { json: { q }, timeout: false }).json();
export const raw = (u: string) => fetch(u).then((r) => r.text());
