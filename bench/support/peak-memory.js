'use strict';

// Preloaded with `node --require` into a measured process (n8n, the floor script): when the
// process exits it writes its peak resident set size and heap limit to the file named by
// PEAKA_BENCH_MEMORY_FILE, so the bench reads the figure of exactly that process.

const fs = require('node:fs');
const v8 = require('node:v8');

const target = process.env.PEAKA_BENCH_MEMORY_FILE;
if (target) {
	process.on('exit', () => {
		const report = {
			maxRssBytes: process.resourceUsage().maxRSS * 1024,
			heapLimitBytes: v8.getHeapStatistics().heap_size_limit,
			node: process.version,
		};
		fs.writeFileSync(target, JSON.stringify(report));
	});
}
