'use strict';

// The floor: a bare Node.js script that fetches a query result from the emulator in COMPACT
// format and parses it, with no type handling and no n8n. Every other figure of the bench is
// divided by this one. Prints one JSON line: { rows, bytes, ms }.
//
// Usage: node bench/floor.js <baseUrl> <apiKey> <projectId> <sql>

const http = require('node:http');

async function fetchCompact(baseUrl, apiKey, projectId, sql) {
	const url = new URL(`${baseUrl}/data/projects/${projectId}/queries/execute?format=COMPACT`);
	const body = JSON.stringify({ statement: sql });
	return await new Promise((resolve, reject) => {
		const request = http.request(
			url,
			{
				method: 'POST',
				headers: {
					authorization: `Bearer ${apiKey}`,
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(body),
				},
			},
			(response) => {
				const chunks = [];
				response.on('data', (chunk) => chunks.push(chunk));
				response.on('end', () => {
					const buffer = Buffer.concat(chunks);
					if (response.statusCode !== 200) {
						reject(new Error(`The emulator answered ${response.statusCode}: ${buffer.toString('utf8', 0, 500)}`));
						return;
					}
					resolve(buffer);
				});
				response.on('error', reject);
			},
		);
		request.on('error', reject);
		request.end(body);
	});
}

async function main() {
	const [baseUrl, apiKey, projectId, sql] = process.argv.slice(2);
	const started = process.hrtime.bigint();
	const buffer = await fetchCompact(baseUrl, apiKey, projectId, sql);
	const result = JSON.parse(buffer.toString('utf8'));
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	console.log(JSON.stringify({ rows: result.data.length, bytes: buffer.length, ms }));
}

main().catch((error) => {
	console.error(error.message);
	process.exit(1);
});
