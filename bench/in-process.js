'use strict';

// Runs the Peaka node in this process through n8n-core's WorkflowExecute (the tests' harness), on
// whatever Node.js runs this script, and prints one JSON line: { rows, ms, maxRssBytes }, `ms` being the node's execution time in the run data. The items
// go to an NDJSON file for the exactness check, written after the figures were taken.
//
// Usage: node bench/in-process.js <baseUrl> <apiKey> <projectId> <sql> <engine> <itemsFile>

require('./support/typescript-hook');

const fs = require('node:fs');

const { runNode } = require('../test/harness/n8n-runner.ts');
const { Peaka } = require('../nodes/Peaka/Peaka.node.ts');
const { PeakaApi } = require('../credentials/PeakaApi.credentials.ts');

async function main() {
	const [baseUrl, apiKey, projectId, sql, engine, itemsFile] = process.argv.slice(2);
	const parameters = {
		resource: 'query',
		operation: 'execute',
		project: { __rl: true, mode: 'id', value: projectId },
		source: 'statement',
		sql,
		returnAll: true,
		...(engine === 'streaming' ? { options: { engine: 'streaming' } } : {}),
	};
	const credentials = { apiKey, zone: 'custom', baseUrl, trinoUrl: process.env.PEAKA_BENCH_TRINO_URL };

	const result = await runNode({ nodeType: Peaka, credentialTypes: [PeakaApi], credentials: { peakaApi: credentials }, parameters });
	const maxRssBytes = process.resourceUsage().maxRSS * 1024;
	if (result.error) throw new Error(`The node failed: ${result.error.message}`);
	// The node's own time as n8n records it, as for the runs in real n8n.
	const ms = result.runData[result.nodeName][0].executionTime;

	const items = result.outputs[0] ?? [];
	const out = fs.createWriteStream(itemsFile);
	for (const item of items) {
		if (!out.write(`${JSON.stringify(item.json)}\n`)) await new Promise((resolve) => out.once('drain', resolve));
	}
	await new Promise((resolve) => out.end(resolve));
	console.log(JSON.stringify({ rows: items.length, ms, maxRssBytes }));
}

main().catch((error) => {
	console.error(error.message);
	process.exit(1);
});
