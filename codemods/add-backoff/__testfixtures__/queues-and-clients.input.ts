import { PgBoss } from 'pg-boss';
import { WebClient } from '@slack/web-api';
import { io } from 'socket.io-client';

const boss = new PgBoss('postgres://localhost/jobs');

export async function setUp(): Promise<void> {
  await boss.createQueue('welcome-email');
  await boss.createQueue('invoice', { retryLimit: 5, retryDelay: 30 });
  await boss.createQueue('report', { retryLimit: 1, retryBackoff: false });
  await boss.send('invoice', { id: 1 }, { retryLimit: 3 });
}

export const slack = new WebClient(process.env.SLACK_TOKEN, { timeout: 10_000, retryConfig: { retries: 3, maxRetryTime: 90_000 } });

export const socket = io('https://realtime.example.com', { randomizationFactor: 0 });
