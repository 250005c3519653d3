// Preloaded into every measured process (`node --require`): at exit, writes the process's own peak
// resident set size and CPU time to the file named by BENCH_STATS_FILE, so the peak is this
// process's, not the bench's. maxRSS is in KiB, CPU times in microseconds (process.resourceUsage,
// which counts every thread, worker threads included). The CPU time of child processes it waited
// for (a worker pool of processes) is read from /proc/self/stat on Linux; their memory is not
// included in the peak.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');

const file = process.env.BENCH_STATS_FILE;
/** Clock ticks per second of /proc times (sysconf(_SC_CLK_TCK): 100 on Linux). */
const CLOCK_TICKS = 100;

function childrenCpuUs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after "(comm)": state is field 3; cutime and cstime are fields 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[13]) + Number(fields[14]);
    return Number.isFinite(ticks) ? (ticks * 1e6) / CLOCK_TICKS : 0;
  } catch {
    return 0;
  }
}

if (file) {
  process.on('exit', (code) => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({
      maxRssKb: usage.maxRSS,
      userCpuUs: usage.userCPUTime,
      systemCpuUs: usage.systemCPUTime,
      childrenCpuUs: childrenCpuUs(),
      uptimeMs: performance.now(),
      exitCode: code,
    }));
  });
}
