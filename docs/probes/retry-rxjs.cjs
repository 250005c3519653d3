const { defer, throwError, of, retry, repeat, timer, lastValueFrom } = require('rxjs');
(async()=>{
 let n=0; const t0=Date.now(); const ts=[];
 await lastValueFrom(defer(()=>{n++; ts.push(Date.now()-t0); return throwError(()=>'e')}).pipe(retry(3))).catch(()=>{});
 console.log('retry(3) subscriptions', n, ts.join(','));
 n=0; ts.length=0; const t1=Date.now();
 await lastValueFrom(defer(()=>{n++; ts.push(Date.now()-t1); return throwError(()=>'e')}).pipe(retry({count:3, delay:(e,c)=>timer(10*2**c)}))).catch(()=>{});
 console.log('retry({count:3,delay fn}) subscriptions', n, ts.join(','));
 n=0; await lastValueFrom(defer(()=>{n++; return of(1)}).pipe(repeat(3))); console.log('repeat(3) subscriptions', n);
 n=0; await lastValueFrom(defer(()=>{n++; return n<50?throwError(()=>'e'):of(1)}).pipe(retry())); console.log('retry() until success after', n);
})();
