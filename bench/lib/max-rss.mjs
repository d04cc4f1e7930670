/**
 * Fallback peak-RSS and CPU probe for machines without GNU time: preload with
 *   ANINFRA_BENCH_RSS_FILE=/tmp/x node --import ./bench/lib/max-rss.mjs dist/bin/aninfra.js …
 * and it writes process.resourceUsage()'s maxRSS (KiB, getrusage ru_maxrss) and user+sys CPU
 * (microseconds) to the file at exit: "<maxRSS> <cpu>".
 */
import { writeFileSync } from 'node:fs';

const file = process.env.ANINFRA_BENCH_RSS_FILE;
if (file)
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, `${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}\n`);
  });
