const { retryAsync, retryAsyncDecorator, createExponetialDelay, createMutiplicableDelay } = require('ts-retry');
async function run(opts,label){ let n=0; const t0=Date.now(), ts=[];
 const f = retryAsyncDecorator(async()=>{ n++; ts.push(Date.now()-t0); throw new Error('x'); }, opts);
 await f().catch(()=>{}); console.log(label,'calls',n,'at',ts.slice(0,6).join(','), '... last', ts[ts.length-1]); }
(async()=>{
 await run({maxTry:4, delay:20},'maxTry:4 delay:20');
 await run({maxTry:5, delay:createExponetialDelay(10)},'exp(10) maxTry5');
 await run({maxTry:5, delay:createMutiplicableDelay(10,2)},'mult(10,2) maxTry5');
 await run({delay:1},'default maxTry, delay 1');
})();
