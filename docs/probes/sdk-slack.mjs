// Probe: @slack/web-api WebClient timeout/retry. Run from a folder whose node_modules has @slack/web-api (8.x; or 7.x).
// Server never answers.
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
import { WebClient } from "@slack/web-api";
let c = new WebClient("xoxb-t", { slackApiUrl: base + "/api/", timeout: 500, retryConfig: { retries: 0 } });
t0 = Date.now(); console.log("timeout 500, retries 0, auth.test():", show(await race(c.auth.test(), 3000), t0), "hits", hits);
hits = 0; c = new WebClient("xoxb-t", { slackApiUrl: base + "/api/", retryConfig: { retries: 0 } });
t0 = Date.now(); console.log("default timeout, after 3 s:", show(await race(c.auth.test(), 3000), t0));
hits = 0; c = new WebClient("xoxb-t", { slackApiUrl: base + "/api/", timeout: 300 });
t0 = Date.now(); const r = await race(c.chat.postMessage({ channel: "C1", text: "hi" }), 6000); console.log("timeout 300 + DEFAULT retryConfig, chat.postMessage after 6 s:", show(r, t0), "POST attempts so far", hits);
done();
