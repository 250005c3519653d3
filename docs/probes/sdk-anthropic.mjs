// Probe: @anthropic-ai/sdk timeout forms. Run from a folder whose node_modules has @anthropic-ai/sdk.
import http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
let hits = 0, mode = 'hang';
const socks = new Set();
const srv = http.createServer((req, res) => {
  hits++;
  if (mode === 'drip') { // headers now, JSON body trickles over ~3 s
    res.writeHead(200, { 'content-type': 'application/json' });
    const body = JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'x', stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 1 } });
    const parts = [body.slice(0, 10), body.slice(10, 20), body.slice(20, 40), body.slice(40, 60), body.slice(60)];
    let i = 0; const iv = setInterval(() => { res.write(parts[i++]); if (i === parts.length) { clearInterval(iv); res.end(); } }, 700);
  } // 'hang': never answer
});
srv.on('connection', s => { socks.add(s); s.on('close', () => socks.delete(s)); });
await new Promise(r => srv.listen(0, '127.0.0.1', r));
const baseURL = `http://127.0.0.1:${srv.address().port}`;
const race = (p, ms) => Promise.race([(async () => await (typeof p === 'function' ? p() : p))().then(v => ['ok', v], e => ['err', e]), new Promise(r => setTimeout(() => r(['PENDING']), ms))]);
const show = ([k, v], t0) => `${k}${v ? ' ' + (v.constructor?.name) + ': ' + String(v.message ?? '').slice(0, 80) : ''} @${Date.now() - t0}ms`;
const body = { model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };
console.log('DEFAULT_TIMEOUT', Anthropic.DEFAULT_TIMEOUT, 'new Anthropic().timeout', new Anthropic({ apiKey: 'k' }).timeout, 'maxRetries', new Anthropic({ apiKey: 'k' }).maxRetries);
let c = new Anthropic({ apiKey: 'k', baseURL, timeout: 500, maxRetries: 0 });
let t0 = Date.now(); console.log('ctor timeout 500, maxRetries 0:', show(await race(c.messages.create(body), 4000), t0), 'hits', hits);
hits = 0; c = new Anthropic({ apiKey: 'k', baseURL, maxRetries: 0 });
t0 = Date.now(); console.log('per-call {timeout:300} (2nd arg):', show(await race(c.messages.create(body, { timeout: 300 }), 4000), t0), 'hits', hits);
hits = 0; t0 = Date.now(); console.log('per-call {signal: AbortSignal.timeout(300)}:', show(await race(c.messages.create(body, { signal: AbortSignal.timeout(300) }), 4000), t0), 'hits', hits);
hits = 0; c = new Anthropic({ apiKey: 'k', baseURL, timeout: 300 });
t0 = Date.now(); console.log('timeout 300, default maxRetries (2):', show(await race(c.messages.create(body), 8000), t0), 'attempts', hits);
hits = 0; c = new Anthropic({ apiKey: 'k', baseURL, maxRetries: 0 });
t0 = Date.now(); console.log('timeout: 0 per call:', show(await race(c.messages.create(body, { timeout: 0 }), 3000), t0), 'hits', hits);
hits = 0; t0 = Date.now(); console.log('no timeout given, max_tokens 64000, non-streaming:', show(await race(() => c.messages.create({ ...body, max_tokens: 64000 }), 3000), t0), 'hits', hits);
hits = 0; t0 = Date.now(); console.log('no timeout given, default client (600 s): after 3 s ->', show(await race(c.messages.create(body), 3000), t0), 'hits', hits);
mode = 'drip'; hits = 0; c = new Anthropic({ apiKey: 'k', baseURL, timeout: 1000, maxRetries: 0 });
t0 = Date.now(); console.log('timeout 1000, body drips ~2.8 s after headers:', show(await race(c.messages.create(body), 6000), t0), 'hits', hits);
for (const s of socks) s.destroy(); srv.close(); process.exit(0);
