// Probe: @apollo/client 4 HttpLink signal options. Run from a folder with @apollo/client, graphql@16, rxjs.
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
import { ApolloClient, InMemoryCache, HttpLink, gql } from "@apollo/client";
const Q = gql`query A { a }`;
const mk = (linkOpts = {}, extra = {}) => new ApolloClient({ link: new HttpLink({ uri: base + "/graphql", ...linkOpts }), cache: new InMemoryCache(), ...extra });
let c = mk();
t0 = Date.now(); console.log("default, after 3 s:", show(await race(c.query({ query: Q, fetchPolicy: "no-cache" }), 3000), t0));
t0 = Date.now(); console.log("same client, same query still in flight, query({context:{fetchOptions:{signal: AbortSignal.timeout(400)}}}) (deduplicated onto the first):", show(await race(c.query({ query: Q, fetchPolicy: "no-cache", context: { fetchOptions: { signal: AbortSignal.timeout(400) } } }), 3000), t0));
c = mk();
t0 = Date.now(); console.log("fresh client, query({context:{fetchOptions:{signal: AbortSignal.timeout(400)}}}):", show(await race(c.query({ query: Q, fetchPolicy: "no-cache", context: { fetchOptions: { signal: AbortSignal.timeout(400) } } }), 3000), t0));
c = mk({ fetchOptions: { timeout: 400 } });
t0 = Date.now(); console.log("HttpLink({fetchOptions:{timeout:400}}) (not a fetch option):", show(await race(c.query({ query: Q, fetchPolicy: "no-cache" }), 3000), t0));
c = mk({ fetchOptions: { signal: AbortSignal.timeout(400) } });
t0 = Date.now(); console.log("HttpLink({fetchOptions:{signal: AbortSignal.timeout(400)}}) (link-level, created once):", show(await race(c.query({ query: Q, fetchPolicy: "no-cache" }), 3000), t0));
t0 = Date.now(); console.log("  same link, next query:", show(await race(c.query({ query: Q, fetchPolicy: "no-cache", variables: { v: 2 } }), 3000), t0));
c = mk();
const sub = c.watchQuery({ query: Q, fetchPolicy: "no-cache" }).subscribe({ next() {}, error() {} });
let closedAt = null; srv.on("connection", s => s.on("close", () => { closedAt = Date.now(); }));
await new Promise(r => setTimeout(r, 300)); t0 = Date.now(); sub.unsubscribe(); await new Promise(r => setTimeout(r, 300));
console.log("watchQuery().subscribe() then unsubscribe(): server saw socket close", closedAt ? (closedAt - t0) + "ms after unsubscribe" : "never (within 300 ms)");
try { const cu = new ApolloClient({ uri: base, cache: new InMemoryCache() }); t0 = Date.now(); console.log("ApolloClient({uri}) without link: constructed; query ->", show(await race(cu.query({ query: Q }), 1500), t0)); } catch (e) { console.log("ApolloClient({uri}) without link ->", e.constructor.name, String(e.message).slice(0, 80)); }
done();
