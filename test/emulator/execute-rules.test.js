'use strict';

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index');

const EVENTS_ROWS = 50;

let emulator;
let client;

beforeAll(async () => {
	emulator = await startEmulator({ eventsRows: EVENTS_ROWS });
	client = axios.create({
		baseURL: `${emulator.baseUrl}/data/projects/${emulator.projectId}`,
		headers: { Authorization: `Bearer ${emulator.partnerKey}` },
		validateStatus: () => true,
	});
});

afterAll(() => emulator.close());

function execute(statement, bindings) {
	return client.post('/queries/execute?format=COMPACT', bindings ? { statement, bindings } : { statement });
}

function expectBadRequest(response, message) {
	expect(response.status).toBe(400);
	expect(response.data).toEqual({ errorCode: 100, message });
}

async function eventsState() {
	const response = await execute('SELECT count(*), max(id), min(payload) FROM datasets.public.events');
	return response.data.data[0];
}

describe('only queries run', () => {
	let before;

	beforeAll(async () => {
		before = await eventsState();
		expect(before[0]).toBe(String(EVENTS_ROWS));
	});

	test.each([
		["INSERT INTO datasets.public.events VALUES (999, TIMESTAMP '2024-01-01 00:00:00', 'x')", 'Insert'],
		["UPDATE datasets.public.events SET payload = 'changed'", 'Update'],
		['DELETE FROM datasets.public.events', 'Delete'],
		['CREATE TABLE datasets.public.copy AS SELECT * FROM datasets.public.events', 'CreateTableAsSelect'],
		['DROP TABLE datasets.public.events', 'DropTable'],
		['WITH doomed AS (SELECT 1) DELETE FROM datasets.public.events', 'Delete'],
		['/* SELECT */ -- SELECT\nDELETE FROM datasets.public.events', 'Delete'],
	])('%s is refused as %s and changes nothing', async (statement, kind) => {
		expectBadRequest(await execute(statement), `Statement type '${kind}' is not allowed`);
		expect(await eventsState()).toEqual(before);
	});

	test('DML words inside literals and quoted names do not block a query', async () => {
		const response = await execute("SELECT 'DELETE FROM x' AS \"insert\", id FROM datasets.public.events WHERE payload <> 'UPDATE' ORDER BY id LIMIT 1");
		expect(response.status).toBe(200);
		expect(response.data.columns.map((column) => column.columnName)).toEqual(['insert', 'id']);
		expect(response.data.data).toEqual([['DELETE FROM x', '1']]);
	});

	test('a query that starts with WITH runs', async () => {
		const response = await execute('WITH recent AS (SELECT id FROM datasets.public.events ORDER BY id DESC LIMIT 2) SELECT * FROM recent ORDER BY id');
		expect(response.status).toBe(200);
		expect(response.data.data).toEqual([[String(EVENTS_ROWS - 1)], [String(EVENTS_ROWS)]]);
	});
});

describe('OFFSET before LIMIT', () => {
	test('LIMIT n OFFSET m fails at the OFFSET with Trino\'s parser message', async () => {
		expectBadRequest(
			await execute('SELECT id FROM datasets.public.events ORDER BY id LIMIT 5 OFFSET 10'),
			"line 1:59: mismatched input 'OFFSET'. Expecting: <EOF>",
		);
	});

	test('OFFSET m LIMIT n returns rows m+1 to m+n', async () => {
		const response = await execute('SELECT id FROM datasets.public.events ORDER BY id OFFSET 10 LIMIT 5');
		expect(response.status).toBe(200);
		expect(response.data.data).toEqual([['11'], ['12'], ['13'], ['14'], ['15']]);
	});
});

describe('placeholders', () => {
	test('? inside a literal, a quoted name or a comment is no placeholder', async () => {
		const response = await execute("SELECT '?' AS \"q?\", id FROM datasets.public.events WHERE id = ? -- and ?", ['3']);
		expect(response.status).toBe(200);
		expect(response.data.data).toEqual([['?', '3']]);
	});

	test('bindings must match the placeholders', async () => {
		expectBadRequest(await execute('SELECT id FROM datasets.public.events WHERE id = ?'), 'Incorrect number of parameters: expected 1 but found 0');
		expectBadRequest(await execute('SELECT 1', ['x']), 'Incorrect number of parameters: expected 0 but found 1');
	});

	test('$1 is not Trino and is rejected', async () => {
		const response = await execute('SELECT id FROM datasets.public.events WHERE id = $1', ['3']);
		expect(response.status).toBe(400);
		expect(response.data.message).toMatch(/^line 1:50: mismatched input '\$1'/);
	});
});

describe('bad identifiers name what is missing', () => {
	test.each([
		['SELECT * FROM datasets.public.nope', "line 1:15: Table 'datasets.public.nope' does not exist"],
		['SELECT * FROM datasets.nope.flights', "line 1:15: Schema 'nope' does not exist"],
		['SELECT * FROM nope.public.flights', "line 1:15: Catalog 'nope' not found"],
		['SELECT nope FROM datasets.public.flights', "line 1:8: Column 'nope' cannot be resolved"],
		['SELECT f.nope FROM datasets.public.flights f', "line 1:8: Column 'f.nope' cannot be resolved"],
		['SELECT * FROM flights', 'line 1:15: Schema must be specified when session schema is not set'],
		['SELECT nofunc(delay) FROM datasets.public.flights', "line 1:8: Function 'nofunc' not registered"],
	])('%s', async (statement, message) => {
		expectBadRequest(await execute(statement), message);
	});
});

describe('Trino syntax', () => {
	test('a trailing semicolon is a syntax error', async () => {
		expectBadRequest(await execute('SELECT 1;'), "line 1:9: mismatched input ';'. Expecting: <EOF>");
	});

	test('DuckDB\'s FROM-first query is a syntax error', async () => {
		const response = await execute('FROM datasets.public.events');
		expect(response.status).toBe(400);
		expect(response.data.message).toMatch(/^line 1:1: mismatched input 'FROM'/);
	});

	test('unnamed columns are _col<n> and names are lower case', async () => {
		const response = await execute('SELECT count(*), max(id) AS "MaxId", 1 + 1 FROM datasets.public.events');
		expect(response.data.columns.map((column) => column.columnName)).toEqual(['_col0', 'maxid', '_col2']);
		expect(response.data.data).toEqual([[String(EVENTS_ROWS), String(EVENTS_ROWS), '2']]);
	});
});
