import { Octokit } from "octokit";
let n=0; const t0=Date.now(); const log=[];
const mk = (mode) => async (url, init) => { log.push([mode, init.method, Date.now()-t0, Object.keys(init.headers).filter(h=>/idem/i.test(h))]); if (mode==='net') { const e=new TypeError('fetch failed'); e.cause=new Error('ECONNRESET'); throw e; } return new Response('{"message":"x"}',{status: mode==='500'?500:422, headers:{'content-type':'application/json'}}); };
for (const mode of ['500','net','422']) {
  const o = new Octokit({ auth:'x', request:{ fetch: mk(mode) }, retry:{ retryAfterBaseValue: 10 }, log: {debug(){},info(){},warn(){},error(){}} });
  try { await o.rest.issues.create({owner:'a',repo:'b',title:'t'}); } catch(e) { log.push(['final', mode, e.status]); }
}
console.log(JSON.stringify(log));
