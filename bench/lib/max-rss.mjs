/**
 * Fallback peak-RSS probe for machines without GNU time: preload with
 *   ANINFRA_BENCH_RSS_FILE=/tmp/x node --import ./bench/lib/max-rss.mjs dist/bin/aninfra.js …
 * and it writes process.resourceUsage().maxRSS (KiB, getrusage ru_maxrss) to the file at exit.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.ANINFRA_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, `${process.resourceUsage().maxRSS}\n`));
