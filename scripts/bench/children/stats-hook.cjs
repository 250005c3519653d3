// Preloaded into every measured process (`node --require`): at exit, writes the process's own peak
// resident set size and CPU time to the file named by BENCH_STATS_FILE, so the peak is this
// process's, not the bench's. maxRSS is in KiB, CPU times in microseconds (process.resourceUsage).
'use strict';
const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_STATS_FILE;
if (file) {
  process.on('exit', (code) => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({
      maxRssKb: usage.maxRSS,
      userCpuUs: usage.userCPUTime,
      systemCpuUs: usage.systemCPUTime,
      uptimeMs: performance.now(),
      exitCode: code,
    }));
  });
}
