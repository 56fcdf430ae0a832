'use strict';

// The items "Query to items" must produce, computed with a DuckDB of the test's own straight from
// the vega-datasets flights file, not through the emulator or n8n.

const path = require('node:path');
const { DuckDBInstance } = require('@duckdb/node-api');

const THRESHOLDS = [60, 180];

function flightsFile() {
	// vega-datasets exports only its JS entry point; the data folder sits beside its build folder.
	return path.join(path.dirname(require.resolve('vega-datasets')), '..', 'data', 'flights-3m.parquet');
}

async function delayedOrigins(connection, minDelay) {
	const reader = await connection.runAndReadAll(`
		SELECT origin, count(*) AS delayed_departures, avg(delay) AS mean_delay_minutes
		FROM read_parquet('${flightsFile().replace(/'/g, "''")}')
		WHERE delay > ${minDelay}
		GROUP BY origin
		ORDER BY delayed_departures DESC, origin
		LIMIT 10`);
	return reader.getRowObjectsJS();
}

/** Returns { peaka, labelled }: the expected items of "Most Delayed Origins" and "Label Rows". */
async function expectedQueryToItems() {
	const instance = await DuckDBInstance.create(':memory:');
	const connection = await instance.connect();
	try {
		const peaka = [];
		const labelled = [];
		for (const [inputIndex, minDelay] of THRESHOLDS.entries()) {
			for (const row of await delayedOrigins(connection, minDelay)) {
				const delayedDepartures = String(row.delayed_departures);
				peaka.push({
					json: { origin: row.origin, delayed_departures: delayedDepartures, mean_delay_minutes: row.mean_delay_minutes },
					pairedItem: { item: inputIndex },
				});
				labelled.push({
					json: { origin: row.origin, delayedDepartures, meanDelayMinutes: row.mean_delay_minutes, minDelay },
					pairedItem: { item: labelled.length },
				});
			}
		}
		return { peaka, labelled };
	} finally {
		connection.closeSync();
		instance.closeSync();
	}
}

module.exports = { expectedQueryToItems };
