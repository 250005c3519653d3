import axios from 'axios';
import axiosRetry from 'axios-retry';
import got from 'got';

const payments = axios.create({ baseURL: 'https://pay.example.com', timeout: 5_000 });
axiosRetry(payments, { retries: 3, retryDelay: axiosRetry.exponentialDelay });

export const refund = (chargeId: string) => payments.post(`/charges/${chargeId}/refunds`, {});

export const reserve = (sku: string) =>
  got.post('https://inventory.example.com/reservations', {
    json: { sku },
    timeout: { request: 5_000 },
    retry: { limit: 2, methods: ['GET', 'POST'] },
  });
