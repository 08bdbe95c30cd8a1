// Loaded with `node --import` into a benchmarked errormap process: at exit, writes the process's own
// CPU time, peak RSS and start time to $ERRORMAP_BENCH_REPORT (JSON), so the figures are its alone.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  writeFileSync(
    process.env.ERRORMAP_BENCH_REPORT,
    JSON.stringify({
      startedAt: performance.timeOrigin,
      exitedAt: performance.timeOrigin + performance.now(),
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      maxRssBytes: usage.maxRSS * 1024,
    }),
  );
});
