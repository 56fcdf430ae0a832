'use strict';

// Counts values that differ from the source. The reference comes from DuckDB reading the
// vega-datasets flights file directly, not from the emulator, rendered by the node's value rules:
// a timestamp is its text with six fractional digits, a BIGINT the text of its digits. Rows are
// compared in order, because the emulator reads the file in order for a plain LIMIT.

const path = require('node:path');
const { isDeepStrictEqual } = require('node:util');
const { DuckDBInstance } = require('@duckdb/node-api');

const { EXPECTED_EDGE_ITEMS } = require('../../test/support/edge-items');

const FLIGHT_COLUMNS = ['date', 'delay', 'distance', 'origin', 'destination'];

function flightsFile() {
	// vega-datasets exports only its JS entry point; the data folder sits beside its build folder.
	return path.join(path.dirname(require.resolve('vega-datasets')), '..', 'data', 'flights-3m.parquet');
}

let database;

/** The first `rows` flights as arrays of item values, in file order. */
async function collectReference(rows) {
	database ??= await DuckDBInstance.create(':memory:');
	const connection = await database.connect();
	try {
		const reader = await connection.runAndReadAll(
			`SELECT strftime(date, '%Y-%m-%d %H:%M:%S.%f') AS date, CAST(delay AS VARCHAR) AS delay,
				CAST(distance AS VARCHAR) AS distance, origin, destination
			FROM read_parquet('${flightsFile().replaceAll("'", "''")}') LIMIT ${Number(rows)}`,
		);
		return reader.getRows();
	} finally {
		connection.closeSync();
	}
}

/**
 * Counts the values of `items` (an array or async iterable of item JSON) that differ from the
 * reference, value by value: a missing or extra row counts all of its values.
 */
async function countFlightDifferences(items, reference) {
	let differences = 0;
	let index = 0;
	for await (const item of items) {
		const expected = reference[index++];
		if (!expected) {
			differences += Object.keys(item).length;
			continue;
		}
		FLIGHT_COLUMNS.forEach((column, position) => {
			if (item[column] !== expected[position]) differences++;
		});
		differences += Object.keys(item).filter((key) => !FLIGHT_COLUMNS.includes(key)).length;
	}
	differences += Math.max(0, reference.length - index) * FLIGHT_COLUMNS.length;
	return differences;
}

/** Counts values of the edge table's items that differ from the value rules; returns the total too. */
function countEdgeDifferences(items) {
	let differences = 0;
	let values = 0;
	EXPECTED_EDGE_ITEMS.forEach((expected, index) => {
		const item = items[index] ?? {};
		for (const [key, value] of Object.entries(expected)) {
			values++;
			if (!isDeepStrictEqual(item[key], value)) differences++;
		}
	});
	return { differences, values };
}

module.exports = { collectReference, countEdgeDifferences, countFlightDifferences, FLIGHT_COLUMNS };
