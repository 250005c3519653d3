// Probe: does request.timeout work in older @octokit/request (5.x node-fetch v2; 6.x/7.x global fetch)?
// Run from folders with @octokit/request@5 / @6 / @7 installed.
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

import { request } from "@octokit/request";
console.log(request.endpoint.DEFAULTS.headers["user-agent"]);
t0 = Date.now(); console.log("request(GET /x, {baseUrl, request:{timeout:500}}):", show(await race(request("GET /x", { baseUrl: base, request: { timeout: 500 } }), 3000), t0));
done();
