/* eslint-disable resilience/no-unguarded-dependency -- the SDKs are called bare on purpose: the test observes their own retries against injected failures */
/**
 * SDKs on the catalogue's transports: the AWS SDK (node:https, through an https.Agent of its own)
 * and the OpenAI SDK (fetch). Their own retries show in the recorded attempts, which is how a test
 * learns what an SDK does when its API fails.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { faults, injectFaults, type Injector } from './index.ts';

let chaos: Injector;
beforeAll(async () => {
  chaos = await injectFaults({ unmatched: 'refuse' });
});
afterAll(() => chaos.stop());

it('the AWS SDK’s own agent is intercepted, and its standard retry mode shows: 3 attempts on a 503', async () => {
  const origin = 'https://reports.s3.eu-west-1.amazonaws.com';
  chaos.on(origin, faults.status(503, { body: '<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>', headers: { 'content-type': 'application/xml' } }));
  const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  const error = await s3.send(new GetObjectCommand({ Bucket: 'reports', Key: 'daily.csv' }), { abortSignal: AbortSignal.timeout(20_000) }).catch((e: unknown) => e);
  expect(error).toMatchObject({ name: 'SlowDown', $metadata: { httpStatusCode: 503, attempts: 3 } });
  const attempts = chaos.attempts(origin);
  expect(attempts.map((a) => [a.method, a.path])).toEqual(Array(3).fill(['GET', '/daily.csv?x-id=GetObject']));
  // The SDK numbers its attempts in a header: the same request, sent again.
  expect(attempts.map((a) => String(a.headers['amz-sdk-request']).split(';')[0])).toEqual(['attempt=1', 'attempt=2', 'attempt=3']);
  s3.destroy();
}, 30_000);

it('the OpenAI SDK (fetch) retries a 429 after its Retry-After, then gets the answer', async () => {
  const origin = 'https://api.openai.com';
  const completion = { id: 'chatcmpl-1', object: 'chat.completion', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok' } }] };
  chaos.on(origin, faults.status(429, { retryAfter: 0, body: '{"error":{"message":"Rate limit"}}', headers: { 'content-type': 'application/json' } }), faults.ok(completion));
  const openai = new OpenAI({ apiKey: 'sk-test', maxRetries: 2, timeout: 10_000 });
  const answer = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  expect(answer.choices[0]!.message.content).toBe('ok');
  const attempts = chaos.attempts(origin);
  expect(attempts.map((a) => [a.method, a.path, a.fault])).toEqual([['POST', '/v1/chat/completions', 'respond'], ['POST', '/v1/chat/completions', 'respond']]);
  expect(attempts.map((a) => a.headers['x-stainless-retry-count'])).toEqual(['0', '1']);
}, 30_000);
