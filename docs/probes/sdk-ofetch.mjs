// Probe: ofetch timeout + default retry. Run from a folder with ofetch (1.x).
// Modes: hang (never answer), drip (headers at once, body over ~2.8 s), 503.
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
import { ofetch, $fetch } from "ofetch";
let mode = "hang";
handler = (req, res) => {
  if (mode === "drip") { res.writeHead(200, { "content-type": "text/plain" }); let i = 0; const iv = setInterval(() => { res.write("x"); if (++i === 4) { clearInterval(iv); res.end(); } }, 700); }
  if (mode === "503") { res.statusCode = 503; res.end("no"); }
};
hits = 0; t0 = Date.now(); console.log("GET ofetch(url,{timeout:500}):", show(await race(ofetch(base + "/a", { timeout: 500 }), 4000), t0), "attempts", hits);
hits = 0; t0 = Date.now(); console.log("POST ofetch(url,{method:'POST',body,timeout:500}):", show(await race(ofetch(base + "/a", { method: "POST", body: { a: 1 }, timeout: 500 }), 4000), t0), "attempts", hits);
hits = 0; t0 = Date.now(); console.log("GET {timeout:500, signal: new AbortController().signal} (timeout ignored when a signal is given):", show(await race(ofetch(base + "/a", { timeout: 500, signal: new AbortController().signal }), 3000), t0), "attempts", hits);
const api = $fetch.create({ baseURL: base, timeout: 400 });
hits = 0; t0 = Date.now(); console.log("$fetch.create({baseURL, timeout:400})('/b'):", show(await race(api("/b", { retry: 0 }), 3000), t0), "attempts", hits);
hits = 0; t0 = Date.now(); console.log("no timeout, after 3 s:", show(await race(ofetch(base + "/a"), 3000), t0), "attempts", hits);
mode = "drip"; hits = 0; t0 = Date.now(); console.log("timeout 1000, body drips ~2.8 s after headers:", show(await race(ofetch(base + "/d", { timeout: 1000, responseType: "text" }), 6000), t0), "attempts", hits);
mode = "503"; hits = 0; t0 = Date.now(); const r1 = await race(ofetch(base + "/s"), 3000); console.log("GET 503 default retry:", show(r1, t0), "attempts", hits);
hits = 0; t0 = Date.now(); const r2 = await race(ofetch(base + "/s", { method: "POST", body: {} }), 3000); console.log("POST 503 default retry:", show(r2, t0), "attempts", hits);
hits = 0; t0 = Date.now(); const r3 = await race(ofetch(base + "/s", { method: "DELETE" }), 3000); console.log("DELETE 503 default retry:", show(r3, t0), "attempts", hits);
done();
