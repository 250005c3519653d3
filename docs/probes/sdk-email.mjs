// Probe: resend / twilio / @sendgrid/mail / postmark / mailgun.js timeouts. Run from a folder with those packages (+ form-data, axios).
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
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const email = { from: "a@b.c", to: "d@e.f", subject: "s", text: "t" };
// --- resend
const { Resend } = require("resend");
let rs = new Resend("re_123", { baseUrl: base });
t0 = Date.now(); console.log("resend default emails.send(payload), after 3 s:", show(await race(rs.emails.send(email), 3000), t0));
t0 = Date.now(); console.log("resend emails.send(payload, {signal: AbortSignal.timeout(400)}) (options = arg 1):", show(await race(rs.emails.send(email, { signal: AbortSignal.timeout(400) }), 3000), t0));
// --- twilio
const twilio = require("twilio");
console.log("twilio: new RequestClient().defaultTimeout =", new twilio.RequestClient().defaultTimeout, "| {timeout:0} ->", new twilio.RequestClient({ timeout: 0 }).defaultTimeout);
const tw = twilio("AC" + "0".repeat(32), "tok", { timeout: 400 });
console.log("twilio(sid, token, {timeout:400}).httpClient.defaultTimeout =", tw.httpClient.defaultTimeout);
t0 = Date.now(); console.log("twilio RequestClient({timeout:400}).request({method:'GET', uri}):", show(await race(new twilio.RequestClient({ timeout: 400 }).request({ method: "GET", uri: base + "/x" }), 3000), t0));
// --- sendgrid
const sgMail = require("@sendgrid/mail"); const sgClient = require("@sendgrid/client");
console.log("@sendgrid/mail uses the @sendgrid/client singleton?", sgMail.client === sgClient, "| its own Client instance:", sgMail.client.constructor.name);
sgMail.setApiKey("SG.x"); sgMail.client.setDefaultRequest("baseUrl", base); sgClient.setApiKey("SG.x"); sgClient.setDefaultRequest("baseUrl", base);
t0 = Date.now(); console.log("sgMail.send(msg) default, after 3 s:", show(await race(sgMail.send(email), 3000), t0));
t0 = Date.now(); console.log("sgClient.request({method:'GET', url:'/v3/x', timeout:400}) (per-request timeout key):", show(await race(sgClient.request({ method: "GET", url: "/v3/x", timeout: 400 }), 3000), t0));
const axios = require("axios"); axios.defaults.timeout = 400;
t0 = Date.now(); console.log("after axios.defaults.timeout = 400 (global axios), sgMail.send:", show(await race(sgMail.send(email), 3000), t0));
axios.defaults.timeout = 0;
sgMail.setTimeout(400);
t0 = Date.now(); console.log("sgMail.setTimeout(400); sgMail.send(msg):", show(await race(sgMail.send(email), 3000), t0));
// --- postmark
const postmark = require("postmark");
const hostport = base.replace("http://", "");
let pm = new postmark.ServerClient("tok", { useHttps: false, requestHost: hostport });
console.log("postmark default clientOptions.timeout =", pm.getClientOptions().timeout, "(seconds)");
pm = new postmark.ServerClient("tok", { useHttps: false, requestHost: hostport, timeout: 1 });
t0 = Date.now(); console.log("postmark ServerClient(tok, {timeout:1}) sendEmail:", show(await race(pm.sendEmail({ From: "a@b.c", To: "d@e.f", Subject: "s", TextBody: "t" }), 4000), t0));
pm = new postmark.ServerClient("tok", { useHttps: false, requestHost: hostport, timeout: 0 });
console.log("postmark {timeout:0} -> effective ms", pm.httpClient.getRequestTimeoutInMilliseconds());
// --- mailgun.js
const Mailgun = require("mailgun.js"); const FormData = require("form-data");
const mg0 = new Mailgun(FormData).client({ username: "api", key: "k", url: base });
t0 = Date.now(); console.log("mailgun default messages.create, after 3 s:", show(await race(mg0.messages.create("d.com", email), 3000), t0));
const mg = new Mailgun(FormData).client({ username: "api", key: "k", url: base, timeout: 400 });
t0 = Date.now(); console.log("mailgun client({timeout:400}) messages.create:", show(await race(mg.messages.create("d.com", email), 3000), t0));
done();
