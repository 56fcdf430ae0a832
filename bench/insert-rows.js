'use strict';

// Measures Internal Table → Insert Rows: the node loads generated items into a new Peaka table
// through n8n-core (batch size from the command line, the table and its columns created from the
// items), then the floor posts the same rows as one CSV straight to the import endpoint of the same
// table. Prints one JSON line: { rows, batchSize, nodeMs, floorMs, storedRows }.
//
// Usage: node bench/insert-rows.js <baseUrl> <apiKey> <projectId> <rows> <batchSize>

require('./support/typescript-hook');

const { runNode } = require('../test/harness/n8n-runner.ts');
const { Peaka } = require('../nodes/Peaka/Peaka.node.ts');
const { PeakaApi } = require('../credentials/PeakaApi.credentials.ts');

function makeItem(index) {
	return { id: index, name: `customer ${index}`, amount: (index % 1000) + 0.25, active: index % 2 === 0 };
}

function csvOf(rows) {
	const lines = ['id,name,amount,active'];
	for (let index = 0; index < rows; index++) {
		const item = makeItem(index);
		lines.push(`${item.id},${item.name},${item.amount},${item.active}`);
	}
	return `${lines.join('\n')}\n`;
}

async function postCsv(baseUrl, apiKey, projectId, table, csv) {
	const form = new FormData();
	form.append('file', new Blob([csv], { type: 'text/csv' }), `${table}.csv`);
	const mappings = ['id', 'name', 'amount', 'active'].map((name) => ({ name, csvColumnName: name }));
	form.append('request', new Blob([JSON.stringify({ mappings, containsHeader: true })], { type: 'application/json' }));
	const response = await fetch(`${baseUrl}/data/projects/${projectId}/table/${table}/import`, {
		method: 'POST',
		headers: { authorization: `Bearer ${apiKey}` },
		body: form,
	});
	if (!response.ok) throw new Error(`The floor's import failed with HTTP ${response.status}: ${await response.text()}`);
}

async function countRows(baseUrl, apiKey, projectId, table) {
	const response = await fetch(`${baseUrl}/data/projects/${projectId}/queries/execute?format=COMPACT`, {
		method: 'POST',
		headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({ statement: `SELECT count(*) FROM "peaka"."table"."${table}"` }),
	});
	const body = await response.json();
	return Number(body.data[0][0]);
}

async function main() {
	const [baseUrl, apiKey, projectId, rowsText, batchSizeText] = process.argv.slice(2);
	const rows = Number(rowsText);
	const batchSize = Number(batchSizeText);
	const table = `bench_insert_${rows}_${batchSize}`;

	const result = await runNode({
		nodeType: Peaka,
		credentialTypes: [PeakaApi],
		credentials: { peakaApi: { apiKey, zone: 'custom', baseUrl } },
		parameters: {
			resource: 'internalTable',
			operation: 'insertRows',
			project: { __rl: true, mode: 'id', value: projectId },
			internalTable: { __rl: true, mode: 'id', value: table },
			mappingMode: 'autoMapInputData',
			options: { batchSize, createMissing: true },
		},
		inputItems: Array.from({ length: rows }, (_, index) => makeItem(index)),
	});
	if (result.error) throw new Error(`The node failed: ${result.error.message}`);
	const nodeMs = result.runData[result.nodeName][0].executionTime;

	const csv = csvOf(rows);
	const started = process.hrtime.bigint();
	await postCsv(baseUrl, apiKey, projectId, table, csv);
	const floorMs = Number(process.hrtime.bigint() - started) / 1e6;

	const storedRows = await countRows(baseUrl, apiKey, projectId, table);
	console.log(JSON.stringify({ rows, batchSize, nodeMs, floorMs, storedRows }));
}

main().catch((error) => {
	console.error(error.message);
	process.exit(1);
});
