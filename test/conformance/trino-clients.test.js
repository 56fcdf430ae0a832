'use strict';

/**
 * Runs Peaka's own Node client (@peaka/client) and trino-client against the emulator's Trino
 * endpoint, and checks that they read the same columns and values as the REST execute endpoint
 * for the same SQL.
 *
 * Both clients parse pages with plain JSON.parse, so a BIGINT past 2^53 reaches them rounded to
 * the nearest double. The checks below compare such values as doubles and assert that the client
 * lost digits the REST text kept. The node's Streaming engine parses pages losslessly and keeps
 * them exact (test/integration/query-streaming.test.ts).
 */

const axios = require('axios');
const { connectToPeaka } = require('@peaka/client');
const { Trino } = require('trino-client');

const { startEmulator } = require('../../emulator/src/index.js');

const PAGE_ROWS = 1000;
const EDGE_SQL = 'SELECT * FROM "datasets"."public"."edge_types" ORDER BY id';
const FLIGHTS_SQL = 'SELECT * FROM "datasets"."public"."flights" LIMIT 2500';

async function readAll(iterator) {
	let columns = [];
	const rows = [];
	let queryId;
	for await (const result of iterator) {
		queryId = result.id;
		if (result.error) throw new Error(`${result.error.errorName}: ${result.error.message}`);
		if (result.columns) columns = result.columns;
		if (result.data) rows.push(...result.data);
	}
	return { columns, rows, queryId };
}

async function restResult(emulator, sql) {
	const response = await axios.post(
		`${emulator.baseUrl}/data/projects/${emulator.projectId}/queries/execute`,
		{ statement: sql },
		{ params: { format: 'CELL_TYPED' }, headers: { Authorization: `Bearer ${emulator.projectKey}` }, transformResponse: (text) => text },
	);
	// REST cells are strings, so plain JSON.parse loses nothing here.
	const body = JSON.parse(response.data);
	return {
		columns: body.data.length > 0 ? body.data[0].map((cell) => ({ name: cell.name, type: cell.dataType })) : [],
		rows: body.data.map((row) => row.map((cell) => cell.value)),
	};
}

/** Returns the row fields of a Trino type signature, or null when the type is not a row. */
function rowFieldNames(signature) {
	if (!signature || signature.rawType !== 'row') return null;
	return signature.arguments.map((argument) => argument.value.fieldName.name);
}

/** Compares one REST text cell with what a Trino client read for it; returns a problem or null. */
function compareCell(restText, clientValue, column) {
	if (restText === null) return clientValue === null ? null : `expected null, got ${JSON.stringify(clientValue)}`;
	const rawType = column.typeSignature.rawType;
	let expected;
	if (rawType === 'boolean') expected = restText === 'true';
	else if (['tinyint', 'smallint', 'integer', 'bigint', 'real', 'double'].includes(rawType)) {
		expected = /^-?(NaN|Infinity)$/.test(restText) ? restText : Number(restText);
	} else if (rawType === 'array' || rawType === 'map') expected = JSON.parse(restText);
	else if (rawType === 'row') {
		const parsed = JSON.parse(restText);
		expected = rowFieldNames(column.typeSignature).map((name) => parsed[name]);
	} else expected = restText;
	const same = JSON.stringify(expected) === JSON.stringify(clientValue)
		|| (typeof expected === 'number' && Object.is(expected, clientValue));
	return same ? null : `expected ${JSON.stringify(expected)}, got ${JSON.stringify(clientValue)}`;
}

function compareResults(rest, client) {
	expect(client.columns.map((column) => [column.name, column.type])).toEqual(rest.columns.map((column) => [column.name, column.type]));
	expect(client.rows).toHaveLength(rest.rows.length);
	const problems = [];
	rest.rows.forEach((restRow, rowIndex) => {
		restRow.forEach((restText, columnIndex) => {
			const column = client.columns[columnIndex];
			const problem = compareCell(restText, client.rows[rowIndex][columnIndex], column);
			if (problem) problems.push(`row ${rowIndex} ${column.name}: ${problem}`);
		});
	});
	expect(problems).toEqual([]);
}

describe('Trino clients against the emulator', () => {
	let emulator;
	let peaka;
	let trino;

	beforeAll(async () => {
		emulator = await startEmulator({ eventsRows: 100, trinoPageRows: PAGE_ROWS });
		peaka = connectToPeaka(emulator.projectKey, { host: emulator.trinoUrl });
		trino = Trino.create({ server: emulator.trinoUrl, source: 'conformance-test', extraCredential: { peakaKey: emulator.projectKey } });
	});
	afterAll(async () => {
		await emulator?.close();
	});

	describe.each([
		['@peaka/client', () => peaka],
		['trino-client', () => trino],
	])('%s', (name, client) => {
		it('reads the edge-value table as REST does', async () => {
			const rest = await restResult(emulator, EDGE_SQL);
			const streamed = await readAll(await client().query(EDGE_SQL));

			compareResults(rest, streamed);
			// Plain JSON.parse rounds BIGINT past 2^53: the client has lost the last digit.
			expect(rest.rows[0][5]).toBe('9007199254740993');
			expect(streamed.rows[0][5]).toBe(9007199254740992);
			expect(String(streamed.rows[0][5])).not.toBe(rest.rows[0][5]);
			expect(streamed.rows[0][8]).toBe('12345678901234567890.0123456789');
			expect(streamed.rows[0][19]).toEqual([1, 'q']);
		});

		it('reads a flights slice over three pages as REST does', async () => {
			const rest = await restResult(emulator, FLIGHTS_SQL);
			const streamed = await readAll(await client().query(FLIGHTS_SQL));

			expect(rest.rows).toHaveLength(2500);
			compareResults(rest, streamed);
			const record = emulator.trino.queries().find((query) => query.id === streamed.queryId);
			expect(record).toMatchObject({ state: 'FINISHED', pagesSent: 3, rowsSent: 2500, cancelled: false });
		});

		it('cancels a running query', async () => {
			const iterator = await client().query('SELECT * FROM "datasets"."public"."flights"');
			const first = await iterator.next();
			expect(first.value.data).toHaveLength(PAGE_ROWS);
			await client().cancel(first.value.id);

			const record = emulator.trino.queries().find((query) => query.id === first.value.id);
			expect(record).toMatchObject({ cancelled: true, cancelledBy: 'client', pagesSent: 1, rowsSent: PAGE_ROWS });
		});

		it("returns Trino's error for a missing table", async () => {
			const iterator = await client().query('SELECT * FROM "datasets"."public"."no_such_table"');
			const { value } = await iterator.next();
			expect(value.error).toMatchObject({
				message: "line 1:15: Table 'datasets.public.no_such_table' does not exist",
				errorName: 'TABLE_NOT_FOUND',
				errorCode: 46,
				errorType: 'USER_ERROR',
			});
			expect(value.nextUri).toBeUndefined();
		});
	});

	it('rejects a key it does not know with 401', async () => {
		const stranger = connectToPeaka('Zz9Yy8Xx.notarealsecretvalue000', { host: emulator.trinoUrl });
		await expect(stranger.query('SELECT 1')).rejects.toMatchObject({ response: { status: 401 } });
	});
});
