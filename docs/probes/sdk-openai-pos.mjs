// Probe: openai option positions (constructor {timeout}, per-call 2nd arg {timeout, signal}), timeout 0, body drip.
// Run from a folder whose node_modules has openai.
import http from 'node:http';
import OpenAI from 'openai';
let hits = 0, mode = 'hang';
const socks = new Set();
const srv = http.createServer((req, res) => {
  hits++;
  if (mode === 'drip') {
    res.writeHead(200, { 'content-type': 'application/json' });
    const body = JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: 'x', choices: [] });
    const parts = [body.slice(0, 10), body.slice(10, 20), body.slice(20, 40), body.slice(40, 60), body.slice(60)];
    let i = 0; const iv = setInterval(() => { res.write(parts[i++]); if (i === parts.length) { clearInterval(iv); res.end(); } }, 700);
  }
});
srv.on('connection', s => { socks.add(s); s.on('close', () => socks.delete(s)); });
await new Promise(r => srv.listen(0, '127.0.0.1', r));
const baseURL = `http://127.0.0.1:${srv.address().port}/v1`;
const race = (p, ms) => Promise.race([(async () => await (typeof p === 'function' ? p() : p))().then(v => ['ok', v], e => ['err', e]), new Promise(r => setTimeout(() => r(['PENDING']), ms))]);
const show = ([k, v], t0) => `${k}${v ? ' ' + (v.constructor?.name) + ': ' + String(v.message ?? '').slice(0, 70) : ''} @${Date.now() - t0}ms`;
const body = { model: 'x', messages: [{ role: 'user', content: 'hi' }] };
let c = new OpenAI({ apiKey: 'k', baseURL, timeout: 500, maxRetries: 0 });
let t0 = Date.now(); console.log('new OpenAI({timeout:500}):', show(await race(c.chat.completions.create(body), 4000), t0));
c = new OpenAI({ apiKey: 'k', baseURL, maxRetries: 0 });
t0 = Date.now(); console.log('create(body, {timeout:300}):', show(await race(c.chat.completions.create(body, { timeout: 300 }), 4000), t0));
t0 = Date.now(); console.log('create(body, {signal: AbortSignal.timeout(300)}):', show(await race(c.chat.completions.create(body, { signal: AbortSignal.timeout(300) }), 4000), t0));
t0 = Date.now(); console.log('create(body, {timeout:0}):', show(await race(c.chat.completions.create(body, { timeout: 0 }), 3000), t0));
mode = 'drip'; c = new OpenAI({ apiKey: 'k', baseURL, timeout: 1000, maxRetries: 0 });
t0 = Date.now(); console.log('timeout 1000, body drips ~2.8 s:', show(await race(c.chat.completions.create(body), 6000), t0));
for (const s of socks) s.destroy(); srv.close(); process.exit(0);
