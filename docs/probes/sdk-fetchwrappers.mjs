// Probe: what cross-fetch / isomorphic-fetch / isomorphic-unfetch / @whatwg-node/fetch give on Node, and whether a `timeout` init key is honored.
// Run from a folder with those packages installed. Server never answers.
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
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const nodeFetch2 = require("node-fetch"); // the hoisted copy is 2.7.0 here (cross-fetch/isomorphic-fetch dep)
const cf = require("cross-fetch");
const cfEsm = (await import("cross-fetch")).default;
const isoF = require("isomorphic-fetch");
const isoU = require("isomorphic-unfetch");
const isoUEsm = (await import("isomorphic-unfetch")).default;
const ww = require("@whatwg-node/fetch");
console.log("node-fetch (hoisted) version", require("node-fetch/package.json").version);
console.log("cross-fetch(cjs) === globalThis.fetch?", cf === globalThis.fetch, "| esm default === cjs?", cfEsm === cf, "| ponyfill flag", cf.ponyfill, "| Response is node-fetch's?", cf.Response === nodeFetch2.Response);
console.log("isomorphic-fetch === globalThis.fetch?", isoF === globalThis.fetch, "| source has require('node-fetch'):", String(isoF).includes("realFetch"));
console.log("isomorphic-unfetch(cjs) === globalThis.fetch?", isoU === globalThis.fetch, "| esm === globalThis.fetch?", isoUEsm === globalThis.fetch);
console.log("@whatwg-node/fetch .fetch === globalThis.fetch?", ww.fetch === globalThis.fetch);
const url = base + "/a";
for (const [name, f] of [["cross-fetch", cf], ["isomorphic-fetch", isoF], ["isomorphic-unfetch", isoU], ["@whatwg-node/fetch", ww.fetch]]) {
  t0 = Date.now(); console.log(`${name}(url, {timeout:500}):`, show(await race(f(url, { timeout: 500 }), 2500), t0));
  t0 = Date.now(); console.log(`${name}(url, {signal: AbortSignal.timeout(400)}):`, show(await race(f(url, { signal: AbortSignal.timeout(400) }), 2500), t0));
}
done();
