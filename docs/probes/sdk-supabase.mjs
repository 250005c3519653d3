// Probe: @supabase/supabase-js timeouts (db.timeout, .abortSignal(), global.fetch, functions.invoke timeout).
// Run from a folder with @supabase/supabase-js. Modes: hang (never answer), drip (headers now, JSON body over ~2.8 s).
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
import { createClient } from "@supabase/supabase-js";
let mode = "hang";
handler = (req, res) => { if (mode === "drip") { res.writeHead(200, { "content-type": "application/json" }); const parts = ["[", "{\"a\":1}", ",{\"a\":2}", "]"]; let i = 0; const iv = setInterval(() => { res.write(parts[i++]); if (i === parts.length) { clearInterval(iv); res.end(); } }, 700); } };
const o = { auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: class FakeWS {} } }; // Node 20 has no WebSocket; realtime unused here
let sb = createClient(base, "anon-key", o);
hits = 0; t0 = Date.now(); console.log("default from('t').select(), after 3 s:", show(await race(sb.from("t").select(), 3000), t0), "attempts", hits);
t0 = Date.now(); console.log("from('t').select().abortSignal(AbortSignal.timeout(400)):", show(await race(sb.from("t").select().abortSignal(AbortSignal.timeout(400)), 3000), t0));
sb = createClient(base, "anon-key", { ...o, db: { timeout: 400 } });
hits = 0; t0 = Date.now(); console.log("createClient(url, key, {db:{timeout:400}}) select():", show(await race(sb.from("t").select(), 3000), t0), "attempts", hits);
t0 = Date.now(); console.log("  same, insert({a:1}):", show(await race(sb.from("t").insert({ a: 1 }), 3000), t0));
t0 = Date.now(); console.log("  same, rpc('f'):", show(await race(sb.rpc("f"), 3000), t0));
t0 = Date.now(); console.log("  db.timeout does not reach storage: storage.from('b').list():", show(await race(sb.storage.from("b").list(), 3000), t0));
sb = createClient(base, "anon-key", { ...o, global: { fetch: (u, i) => fetch(u, { ...i, signal: i?.signal ?? AbortSignal.timeout(400) }) } });
hits = 0; t0 = Date.now(); console.log("global.fetch wrapper adding AbortSignal.timeout(400): select():", show(await race(sb.from("t").select(), 12000), t0), "attempts", hits);
t0 = Date.now(); console.log("  same wrapper, storage.from('b').list():", show(await race(sb.storage.from("b").list(), 3000), t0));
sb = createClient(base, "anon-key", o);
t0 = Date.now(); console.log("functions.invoke('f', {timeout:400}):", show(await race(sb.functions.invoke("f", { timeout: 400 }), 3000), t0));
mode = "drip"; sb = createClient(base, "anon-key", { ...o, db: { timeout: 1000 } });
t0 = Date.now(); console.log("db.timeout 1000, body drips ~2.8 s after headers:", show(await race(sb.from("t").select(), 5000), t0));
done();
