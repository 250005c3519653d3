const { Retryable, BackOffPolicy } = require('typescript-retry-decorator');
async function run(opts, label){ let n=0; const t0=Date.now(), ts=[];
 const desc={value: async function(){ n++; ts.push(Date.now()-t0); if(n>8) return 'stop'; throw new Error('boom'); }};
 Retryable(opts)({}, 'm', desc);
 const r = await desc.value().catch(e=>e.constructor.name+': '+e.message);
 console.log(label, 'calls', n, 'at', ts.join(','), '->', r);
}
(async()=>{
 await run({maxAttempts:3}, 'maxAttempts:3');
 await run({maxAttempts:3, backOff:50}, 'maxAttempts:3 backOff:50');
 await run({maxAttempts:3, backOffPolicy: BackOffPolicy.ExponentialBackOffPolicy, backOff: 100, exponentialOption:{maxInterval: 300, multiplier: 2}}, 'exp 100 x2 cap300');
 await run({}, 'no maxAttempts (runtime)');
})();
