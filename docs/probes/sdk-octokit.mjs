// Probe: @octokit/core request options. Run from a folder whose node_modules has @octokit/core (+ @octokit/rest).
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
import { Octokit } from "@octokit/core";
import { Octokit as Rest } from "@octokit/rest";

import { request as rq } from "@octokit/request";
console.log("@octokit/core", Octokit.VERSION, "@octokit/request", rq.endpoint.DEFAULTS.headers["user-agent"]);
let o = new Octokit({ baseUrl: base, request: { timeout: 500 } });
t0 = Date.now(); console.log("new Octokit({request:{timeout:500}}) -> request(GET /x):", show(await race(o.request("GET /x"), 3000), t0));
o = new Octokit({ baseUrl: base });
t0 = Date.now(); console.log("request(GET /x, {request:{signal: AbortSignal.timeout(500)}}):", show(await race(o.request("GET /x", { request: { signal: AbortSignal.timeout(500) } }), 3000), t0));
const r = new Rest({ baseUrl: base, request: { signal: AbortSignal.timeout(500) } });
t0 = Date.now(); console.log("@octokit/rest ctor request.signal, rest.repos.get({owner,repo}):", show(await race(r.rest.repos.get({ owner: "a", repo: "b" }), 3000), t0));
t0 = Date.now(); console.log("same client, 2nd call after its ctor signal expired:", show(await race(r.rest.repos.get({ owner: "a", repo: "b" }), 3000), t0));
const r2 = new Rest({ baseUrl: base });
t0 = Date.now(); console.log("rest.repos.get({owner,repo, request:{signal}}):", show(await race(r2.rest.repos.get({ owner: "a", repo: "b", request: { signal: AbortSignal.timeout(400) } }), 3000), t0));
t0 = Date.now(); console.log("default (no options) after 3 s:", show(await race(r2.rest.repos.get({ owner: "a", repo: "b" }), 3000), t0));
done();
