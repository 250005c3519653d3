// Probe: graphql-request GraphQLClient / request(). Run from folders with graphql-request@7 (global fetch) and @5/@6 (cross-fetch -> node-fetch 2).
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
import * as gr from "graphql-request";
const { GraphQLClient, request } = gr;
const url = base + "/graphql"; const q = "{ a }";
let c = new GraphQLClient(url, { timeout: 500 });
t0 = Date.now(); console.log("new GraphQLClient(url, {timeout:500}).request(q):", show(await race(c.request(q), 3000), t0));
c = new GraphQLClient(url);
t0 = Date.now(); console.log("client.request({document, signal: AbortSignal.timeout(400)}):", show(await race(c.request({ document: q, signal: AbortSignal.timeout(400) }), 3000), t0));
t0 = Date.now(); console.log("no options, after 3 s:", show(await race(c.request(q), 3000), t0));
c = new GraphQLClient(url, { signal: AbortSignal.timeout(400) });
t0 = Date.now(); console.log("ctor {signal: AbortSignal.timeout(400)}:", show(await race(c.request(q), 3000), t0));
t0 = Date.now(); console.log("  same client, next call:", show(await race(c.request(q), 3000), t0));
t0 = Date.now(); console.log("top-level request({url, document, signal}):", show(await race(request({ url, document: q, signal: AbortSignal.timeout(400) }), 3000), t0));
done();
