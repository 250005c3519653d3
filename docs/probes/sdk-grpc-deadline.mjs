// Probe: @grpc/grpc-js default deadline sources. Run from a folder with @grpc/grpc-js.
// "Server": a TCP listener that accepts and never speaks HTTP/2.
import net from "node:net";
import * as grpc from "@grpc/grpc-js";
const socks = new Set();
const srv = net.createServer(s => { socks.add(s); s.on("error", () => {}); });
await new Promise(r => srv.listen(0, "127.0.0.1", r));
const addr = `127.0.0.1:${srv.address().port}`;
const race = (p, ms) => Promise.race([p.then(v => ["ok", v], e => ["err", e]), new Promise(r => setTimeout(() => r(["PENDING"]), ms))]);
const show = ([k, v], t0) => `${k}${v ? " code=" + v.code + " " + String(v.details ?? v.message).slice(0, 70) : ""} @${Date.now() - t0}ms`;
const id = x => x;
const Svc = grpc.makeGenericClientConstructor({ Ping: { path: "/pkg.Svc/Ping", requestStream: false, responseStream: false, requestSerialize: b => b, requestDeserialize: id, responseSerialize: id, responseDeserialize: b => b } }, "Svc");
const call = (client, ...args) => new Promise((res, rej) => client.Ping(Buffer.from("x"), ...args, (e, v) => e ? rej(e) : res(v)));
let t0;
let c = new Svc(addr, grpc.credentials.createInsecure());
t0 = Date.now(); console.log("no deadline, after 3 s:", show(await race(call(c), 3000), t0));
t0 = Date.now(); console.log("client.Ping(req, {deadline: Date.now()+400}, cb) (options = arg 1):", show(await race(call(c, { deadline: Date.now() + 400 }), 3000), t0));
t0 = Date.now(); console.log("client.Ping(req, new Metadata(), {deadline: Date.now()+400}, cb) (options = arg 2):", show(await race(call(c, new grpc.Metadata(), { deadline: Date.now() + 400 }), 3000), t0));
t0 = Date.now(); console.log("deadline: new Date(Date.now()+400):", show(await race(call(c, { deadline: new Date(Date.now() + 400) }), 3000), t0));
const sc = JSON.stringify({ methodConfig: [{ name: [{ service: "pkg.Svc" }], timeout: "0.4s" }] });
c = new Svc(addr, grpc.credentials.createInsecure(), { "grpc.service_config": sc });
t0 = Date.now(); console.log("channel option 'grpc.service_config' methodConfig timeout '0.4s', no per-call deadline:", show(await race(call(c), 3000), t0));
for (const str of ["1.5s", "0.400000000s", "1s"]) {
  c = new Svc(addr, grpc.credentials.createInsecure(), { "grpc.service_config": JSON.stringify({ methodConfig: [{ name: [{ service: "pkg.Svc" }], timeout: str }] }) });
  t0 = Date.now(); console.log(`  methodConfig timeout "${str}":`, show(await race(call(c), 3000), t0));
}
const sc2 = JSON.stringify({ methodConfig: [{ name: [{}], timeout: { seconds: 0, nanos: 400e6 } }] });
c = new Svc(addr, grpc.credentials.createInsecure(), { "grpc.service_config": sc2 });
t0 = Date.now(); console.log("methodConfig name [{}] (all methods), timeout {seconds:0,nanos:4e8}:", show(await race(call(c), 3000), t0));
const dl = { interceptors: [(opts, next) => new grpc.InterceptingCall(next({ ...opts, deadline: opts.deadline ?? Date.now() + 400 }))] };
c = new Svc(addr, grpc.credentials.createInsecure(), dl);
t0 = Date.now(); console.log("client option interceptors that set options.deadline:", show(await race(call(c), 3000), t0));
for (const s of socks) s.destroy(); srv.close(); process.exit(0);
