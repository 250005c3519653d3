import axios from 'axios';

const payments = axios.create({ baseURL: 'https://pay.example.com' });
const search = axios.create({ baseURL: 'https://search.example.com', timeout: 3000 });

export async function charge(amount: number) {
  const { data } = await payments.post('/charges', { amount }, {
    headers: { 'content-type': 'application/json' },
  });
  return data;
}

export const find = (q: string) => search.get('/q', { params: { q } });
export const ping = () => axios.head('https://status.example.com', { timeout: 0 });
