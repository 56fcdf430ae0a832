'use strict';

// Measures one New Rows poll of the Peaka Trigger on the emulator's events table: the activation
// and a first poll set the cursor, ten rows are inserted through the admin endpoint, then the
// next poll is timed (the median of five rounds). Prints one JSON line: { tableRows, ms, emitted }.
//
// Usage: node bench/trigger-poll.js <baseUrl> <adminUrl> <apiKey> <projectId> <tableRows>

require('./support/typescript-hook');

const { createPoller } = require('../test/harness/n8n-runner.ts');
const { PeakaTrigger } = require('../nodes/PeakaTrigger/PeakaTrigger.node.ts');
const { PeakaApi } = require('../credentials/PeakaApi.credentials.ts');

const DATASETS_CATALOG_ID = '846085284821991568';
const NEW_ROWS_PER_ROUND = 10;
const ROUNDS = 5;

const locator = (value) => ({ __rl: true, mode: 'id', value });

async function insertEvents(adminUrl, round) {
	const rows = Array.from({ length: NEW_ROWS_PER_ROUND }, (_, index) => ({
		created_at: `2090-01-0${round + 1} 00:00:${String(index).padStart(2, '0')}`,
		payload: `bench ${round}.${index}`,
	}));
	const response = await fetch(`${adminUrl}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows }) });
	if (!response.ok) throw new Error(`Inserting events failed with HTTP ${response.status}: ${await response.text()}`);
}

async function main() {
	const [baseUrl, adminUrl, apiKey, projectId, tableRows] = process.argv.slice(2);
	const poller = createPoller({
		nodeType: PeakaTrigger,
		credentialTypes: [PeakaApi],
		credentials: { peakaApi: { apiKey, zone: 'custom', baseUrl } },
		parameters: {
			event: 'newRows',
			project: locator(projectId),
			source: 'table',
			catalog: locator(DATASETS_CATALOG_ID),
			schema: locator('public'),
			table: locator('events'),
			watermarkColumn: 'created_at',
			tieBreakerColumn: 'id',
		},
	});
	await poller.activate();
	await poller.poll();

	const times = [];
	let emitted = 0;
	for (let round = 0; round < ROUNDS; round++) {
		await insertEvents(adminUrl, round);
		const started = process.hrtime.bigint();
		const result = await poller.poll();
		times.push(Number(process.hrtime.bigint() - started) / 1e6);
		if (result.error) throw new Error(`The poll failed: ${result.error.message}`);
		emitted += result.items?.[0]?.length ?? 0;
	}
	times.sort((left, right) => left - right);
	console.log(JSON.stringify({ tableRows: Number(tableRows), ms: times[Math.floor(ROUNDS / 2)], emitted, expected: ROUNDS * NEW_ROWS_PER_ROUND }));
}

main().catch((error) => {
	console.error(error.message);
	process.exit(1);
});
