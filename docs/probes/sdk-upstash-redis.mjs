// Probe: @upstash/redis (HTTP) signal / retry behaviour. Run from a folder with @upstash/redis.
// Modes: hang (never answer), reset (destroy the socket at once -> fetch rejects).
import http from "node:http";
const socks = new Set(); let hits = 0; let handler = () => {};
const srv = http.createServer((req, res) => { hits++; handler(req, res); });
srv.on("connection", s => { socks.add(s); s.on("close", () => socks.delete(s)); });
await new Promise(r => srv.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${srv.address().port}`;
const race = (p, ms) => Promise.race([(async () => await (typeof p === "function" ? p() : p))().then(v => ["ok", v], e => ["err", e]), new Promise(r => setTimeout(() => r(["PENDING"]), ms))]);
const show = ([k, v], t0) => `${k}${v !== undefined ? " " + (v?.constructor?.name) + ": " + String(v?.message ?? JSON.stringify(v)).slice(0, 90) : ""} @${Date.now() - t0}ms`;
const done = () => { for (const s of socks) s.destroy(); srv.close(); process.exit(0); };
let t0;
import { Redis } from "@upstash/redis";
let mode = "hang"; const times = [];
handler = (req, res) => { times.push(Date.now()); if (mode === "reset") req.socket.destroy(); };
const opts = { url: base, token: "t", enableTelemetry: false };
let r = new Redis(opts);
t0 = Date.now(); console.log("default, redis.get('k') after 3 s:", show(await race(r.get("k"), 3000), t0));
r = new Redis({ ...opts, signal: AbortSignal.timeout(400) });
t0 = Date.now(); console.log("static signal AbortSignal.timeout(400), get('k'):", show(await race(r.get("k"), 3000), t0));
t0 = Date.now(); console.log("  same client, incr('n') after the signal expired:", show(await race(r.incr("n"), 3000), t0));
r = new Redis({ ...opts, signal: () => AbortSignal.timeout(400) });
t0 = Date.now(); console.log("signal factory () => AbortSignal.timeout(400), get('k'):", show(await race(r.get("k"), 3000), t0));
r = new Redis({ ...opts, enableAutoPipelining: false, signal: AbortSignal.timeout(400) });
t0 = Date.now(); console.log("static signal, enableAutoPipelining:false, get('k'):", show(await race(r.get("k"), 3000), t0));
mode = "reset"; times.length = 0; r = new Redis(opts);
t0 = Date.now(); const x = await race(r.incr("n"), 8000); console.log("connection reset, default retry, incr('n'):", show(x, t0), "attempts", times.length, "gaps", times.slice(1).map((t, i) => t - times[i]));
done();
