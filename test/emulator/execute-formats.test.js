'use strict';

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index');

const EDGE_SQL = 'SELECT id, c_bigint, c_decimal, c_double, c_varchar FROM datasets.public.edge_types WHERE id IN (1, 2, 4) ORDER BY id';

let emulator;
let client;

beforeAll(async () => {
	emulator = await startEmulator({ eventsRows: 100 });
	client = axios.create({
		baseURL: `${emulator.baseUrl}/data/projects/${emulator.projectId}`,
		headers: { Authorization: `Bearer ${emulator.partnerKey}` },
		validateStatus: () => true,
	});
});

afterAll(() => emulator.close());

function execute(body, format, options = {}) {
	const query = format ? `?format=${format}` : '';
	return client.post(`/queries/execute${query}`, body, options);
}

/** Fetches the body as text, untouched by a JSON parser. */
function executeRaw(body, format) {
	return execute(body, format, { transformResponse: [(data) => data] });
}

const EDGE_COLUMNS = [
	{ catalogName: 'datasets', schemaName: 'public', tableName: 'edge_types', columnName: 'id' },
	{ catalogName: 'datasets', schemaName: 'public', tableName: 'edge_types', columnName: 'c_bigint' },
	{ catalogName: 'datasets', schemaName: 'public', tableName: 'edge_types', columnName: 'c_decimal' },
	{ catalogName: 'datasets', schemaName: 'public', tableName: 'edge_types', columnName: 'c_double' },
	{ catalogName: 'datasets', schemaName: 'public', tableName: 'edge_types', columnName: 'c_varchar' },
];

describe('execute result formats', () => {
	test('CELL_TYPED is the default and types every cell', async () => {
		const response = await execute({ statement: EDGE_SQL });
		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toMatch(/^application\/json/);
		expect(response.data.columns).toEqual(EDGE_COLUMNS);
		const cell = (name, dataType, order, value) => ({ name, displayName: name, dataType, order, value });
		expect(response.data.data).toEqual([
			[
				cell('id', 'integer', 0, '1'),
				cell('c_bigint', 'bigint', 1, '9007199254740993'),
				cell('c_decimal', 'decimal(38,10)', 2, '12345678901234567890.0123456789'),
				cell('c_double', 'double', 3, '1.254740786E7'),
				cell('c_varchar', 'varchar', 4, '\u{1F600} cafe\u0301 \u05E9\u05DC\u05D5\u05DD'),
			],
			[
				cell('id', 'integer', 0, '2'),
				cell('c_bigint', 'bigint', 1, '-9223372036854775808'),
				cell('c_decimal', 'decimal(38,10)', 2, '-0.0000000001'),
				cell('c_double', 'double', 3, 'NaN'),
				cell('c_varchar', 'varchar', 4, ''),
			],
			[
				cell('id', 'integer', 0, '4'),
				cell('c_bigint', 'bigint', 1, null),
				cell('c_decimal', 'decimal(38,10)', 2, null),
				cell('c_double', 'double', 3, null),
				cell('c_varchar', 'varchar', 4, null),
			],
		]);
	});

	test('CELL_TYPED asked for by name equals the default', async () => {
		const named = await execute({ statement: EDGE_SQL }, 'CELL_TYPED');
		const implicit = await execute({ statement: EDGE_SQL });
		expect(named.data).toEqual(implicit.data);
	});

	test('SIMPLE keys rows by column name', async () => {
		const response = await execute({ statement: EDGE_SQL }, 'SIMPLE');
		expect(response.status).toBe(200);
		expect(response.data.columns).toEqual(EDGE_COLUMNS);
		expect(response.data.data).toEqual([
			{ id: '1', c_bigint: '9007199254740993', c_decimal: '12345678901234567890.0123456789', c_double: '1.254740786E7', c_varchar: '\u{1F600} cafe\u0301 \u05E9\u05DC\u05D5\u05DD' },
			{ id: '2', c_bigint: '-9223372036854775808', c_decimal: '-0.0000000001', c_double: 'NaN', c_varchar: '' },
			{ id: '4', c_bigint: null, c_decimal: null, c_double: null, c_varchar: null },
		]);
		expect(Object.keys(response.data.data[0])).toEqual(['id', 'c_bigint', 'c_decimal', 'c_double', 'c_varchar']);
	});

	test('COMPACT gives arrays in column order', async () => {
		const response = await execute({ statement: EDGE_SQL }, 'COMPACT');
		expect(response.status).toBe(200);
		expect(response.data.columns).toEqual(EDGE_COLUMNS);
		expect(response.data.data).toEqual([
			['1', '9007199254740993', '12345678901234567890.0123456789', '1.254740786E7', '\u{1F600} cafe\u0301 \u05E9\u05DC\u05D5\u05DD'],
			['2', '-9223372036854775808', '-0.0000000001', 'NaN', ''],
			['4', null, null, null, null],
		]);
	});

	test.each(['CELL_TYPED', 'SIMPLE', 'COMPACT'])('%s sends big integers and decimals as quoted text', async (format) => {
		const response = await executeRaw({ statement: EDGE_SQL }, format);
		expect(response.status).toBe(200);
		const text = response.data;
		expect(text).toContain('"9007199254740993"');
		expect(text).toContain('"-9223372036854775808"');
		expect(text).toContain('"12345678901234567890.0123456789"');
		// None of those digit runs appears outside quotes.
		expect(text).not.toMatch(/[:,[]9007199254740993/);
		expect(text).not.toMatch(/[:,[]-9223372036854775808/);
		expect(text).not.toMatch(/[:,[]12345678901234567890\./);
	});

	test.each(['CELL_TYPED', 'SIMPLE', 'COMPACT'])('%s sends numbers, booleans and aggregates as strings', async (format) => {
		const response = await execute({ statement: 'SELECT count(*) AS n, sum(amount) AS total, true AS yes, 669.74::DOUBLE AS d FROM stripe.payment.charges' }, format);
		const row = response.data.data[0];
		let cells = row;
		if (format === 'SIMPLE') cells = Object.values(row);
		if (format === 'CELL_TYPED') cells = row.map((cell) => cell.value);
		expect(cells).toEqual(['652', '16318294', 'true', '669.74']);
	});

	test('duplicate column names per format', async () => {
		const statement = 'SELECT 1 AS a, 2 AS a, 3 AS b';
		const typed = await execute({ statement }, 'CELL_TYPED');
		expect(typed.data.data[0].map((cell) => [cell.name, cell.order, cell.value])).toEqual([['a', 0, '1'], ['a', 1, '2'], ['b', 2, '3']]);
		const compact = await execute({ statement }, 'COMPACT');
		expect(compact.data.data).toEqual([['1', '2', '3']]);
		expect(compact.data.columns.map((column) => column.columnName)).toEqual(['a', 'a', 'b']);
		const simple = await executeRaw({ statement }, 'SIMPLE');
		expect(simple.data).toContain('"data":[{"a":"2","b":"3"}]');
	});

	test('computed columns have empty sources and Trino names', async () => {
		const response = await execute({ statement: 'SELECT origin, count(*) FROM datasets.public.flights WHERE origin = \'LAS\' GROUP BY origin' }, 'SIMPLE');
		expect(response.data.columns).toEqual([
			{ catalogName: 'datasets', schemaName: 'public', tableName: 'flights', columnName: 'origin' },
			{ catalogName: '', schemaName: '', tableName: '', columnName: '_col1' },
		]);
		expect(response.data.data).toEqual([{ origin: 'LAS', _col1: '67192' }]);
	});

	test('an empty result has an empty data array and its columns', async () => {
		const response = await execute({ statement: "SELECT id FROM datasets.public.events WHERE payload = 'none'" }, 'COMPACT');
		expect(response.status).toBe(200);
		expect(response.data).toEqual({
			columns: [{ catalogName: 'datasets', schemaName: 'public', tableName: 'events', columnName: 'id' }],
			data: [],
		});
	});

	test('arrays, maps, rows and json are JSON text', async () => {
		const response = await execute({ statement: 'SELECT c_array, c_map, c_row, c_json FROM datasets.public.edge_types WHERE id = 1' }, 'CELL_TYPED');
		expect(response.data.data[0].map((cell) => [cell.dataType, cell.value])).toEqual([
			['array(integer)', '[1,2,null]'],
			['map(varchar, integer)', '{"a":1,"b":null}'],
			['row(x integer, y varchar)', '{"x":1,"y":"q"}'],
			['json', '{"a":1,"big":9007199254740993}'],
		]);
	});

	test('an unknown format is a 400 in Spring Boot\'s shape', async () => {
		const response = await execute({ statement: 'SELECT 1' }, 'simple');
		expect(response.status).toBe(400);
		expect(response.data).toMatchObject({
			status: 400,
			error: 'Bad Request',
			message: "Invalid format 'simple': use one of CELL_TYPED, SIMPLE, COMPACT.",
			path: `/api/v1/data/projects/${emulator.projectId}/queries/execute`,
		});
	});
});
