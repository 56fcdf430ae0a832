'use strict';

const { DuckDBInstance } = require('@duckdb/node-api');

const values = require('../../emulator/src/engine/values');

describe('formatDouble (Java Double.toString)', () => {
	test.each([
		[669.74, '669.74'],
		[1, '1.0'],
		[0, '0.0'],
		[-0, '-0.0'],
		[12547407.86, '1.254740786E7'],
		[1e7, '1.0E7'],
		[9999999.5, '9999999.5'],
		[0.001, '0.001'],
		[0.0001, '1.0E-4'],
		[-0.00012345, '-1.2345E-4'],
		[1.5e300, '1.5E300'],
		[0.1 + 0.2, '0.30000000000000004'],
		[NaN, 'NaN'],
		[Infinity, 'Infinity'],
		[-Infinity, '-Infinity'],
	])('renders %p as %s', (input, expected) => {
		expect(values.formatDouble(input)).toBe(expected);
	});
});

describe('formatReal (Java Float.toString)', () => {
	test.each([
		[Math.fround(1.1), '1.1'],
		[Math.fround(0.1), '0.1'],
		[Math.fround(3.4028235e38), '3.4028235E38'],
		[Math.fround(1e-5), '1.0E-5'],
		[Math.fround(16777216), '1.6777216E7'],
		[Math.fround(2.5), '2.5'],
	])('renders float %p as %s', (input, expected) => {
		expect(values.formatReal(input)).toBe(expected);
	});
});

describe('formatDecimal', () => {
	test.each([
		[123456789012345678900123456789n, 10, '12345678901234567890.0123456789'],
		[125000000000n, 10, '12.5000000000'],
		[-1n, 10, '-0.0000000001'],
		[0n, 2, '0.00'],
		[-12345n, 0, '-12345'],
		[5n, 3, '0.005'],
	])('renders %p at scale %p as %s', (unscaled, scale, expected) => {
		expect(values.formatDecimal(unscaled, scale)).toBe(expected);
	});
});

describe('dates and timestamps', () => {
	test('formatDate counts days from 1970-01-01', () => {
		expect(values.formatDate(0)).toBe('1970-01-01');
		expect(values.formatDate(19737)).toBe('2024-01-15');
		expect(values.formatDate(11016)).toBe('2000-02-29');
		expect(values.formatDate(-1)).toBe('1969-12-31');
	});

	test('formatTimestampMicros keeps six fractional digits', () => {
		expect(values.formatTimestampMicros(978307260000000n, 6)).toBe('2001-01-01 00:01:00.000000');
		expect(values.formatTimestampMicros(1705314600123456n, 6)).toBe('2024-01-15 10:30:00.123456');
		expect(values.formatTimestampMicros(-1n, 6)).toBe('1969-12-31 23:59:59.999999');
		expect(values.formatTimestampMicros(1705314600123456n, 3)).toBe('2024-01-15 10:30:00.123');
		expect(values.formatTimestampMicros(1705314600123456n, 0)).toBe('2024-01-15 10:30:00');
	});

	test('formatTimestampMicros works past 2^53 microseconds', () => {
		// 9999-12-31 23:59:59.999999 UTC
		expect(values.formatTimestampMicros(253402300799999999n, 6)).toBe('9999-12-31 23:59:59.999999');
	});

	test('formatTimeOfDay', () => {
		expect(values.formatTimeOfDay(45296123456, 6)).toBe('12:34:56.123456');
		expect(values.formatTimeOfDay(0, 6)).toBe('00:00:00.000000');
	});
});

describe('values of real DuckDB columns', () => {
	let instance;
	let connection;

	beforeAll(async () => {
		instance = await DuckDBInstance.create(':memory:');
		connection = await instance.connect();
		await connection.run("SET TimeZone = 'UTC'");
	});

	afterAll(() => {
		connection.closeSync();
		instance.closeSync();
	});

	/** Runs one-row SQL and returns [trino type, rendered text] per column. */
	async function render(text) {
		const reader = await connection.runAndReadAll(text);
		const types = reader.columnTypes();
		const row = reader.getRows()[0];
		return types.map((type, index) => [values.trinoTypeName(type), values.createTextRenderer(type)(row[index])]);
	}

	test('integers arrive as exact digits, also past 2^53 and at the bigint minimum', async () => {
		expect(await render('SELECT 9007199254740993::BIGINT, (-9223372036854775808)::BIGINT, 127::TINYINT, (-32768)::SMALLINT, 2147483647::INTEGER')).toEqual([
			['bigint', '9007199254740993'],
			['bigint', '-9223372036854775808'],
			['tinyint', '127'],
			['smallint', '-32768'],
			['integer', '2147483647'],
		]);
	});

	test('sum over bigint is typed bigint as in Trino, not HUGEINT', async () => {
		expect(await render('SELECT sum(x) FROM (VALUES (9007199254740993::BIGINT), (1::BIGINT)) t(x)')).toEqual([['bigint', '9007199254740994']]);
	});

	test('decimal keeps its scale and all 38 digits', async () => {
		expect(await render('SELECT 12345678901234567890.0123456789::DECIMAL(38,10), 12.5::DECIMAL(38,10), 12.50::DECIMAL(10,2)')).toEqual([
			['decimal(38,10)', '12345678901234567890.0123456789'],
			['decimal(38,10)', '12.5000000000'],
			['decimal(10,2)', '12.50'],
		]);
	});

	test('doubles and reals in Java notation', async () => {
		expect(await render("SELECT 12547407.86::DOUBLE, 669.74::DOUBLE, 'NaN'::DOUBLE, 1.1::REAL")).toEqual([
			['double', '1.254740786E7'],
			['double', '669.74'],
			['double', 'NaN'],
			['real', '1.1'],
		]);
	});

	test('temporal types in UTC with fixed precision', async () => {
		expect(await render(
			"SELECT DATE '2024-01-15', TIME '12:34:56.5', TIMESTAMP '2024-01-15 10:30:00', TIMESTAMPTZ '2024-01-15 10:30:00+02:00', TIMESTAMP_MS '2024-01-15 10:30:00.123'",
		)).toEqual([
			['date', '2024-01-15'],
			['time(6)', '12:34:56.500000'],
			['timestamp(6)', '2024-01-15 10:30:00.000000'],
			['timestamp(6) with time zone', '2024-01-15 08:30:00.000000 UTC'],
			['timestamp(3)', '2024-01-15 10:30:00.123'],
		]);
	});

	test('json, uuid, varbinary, boolean', async () => {
		expect(await render(
			"SELECT '{\"a\":1,\"big\":9007199254740993}'::JSON, '123e4567-e89b-12d3-a456-426614174000'::UUID, '\\xDE\\xAD\\xBE\\xEF'::BLOB, true, false",
		)).toEqual([
			['json', '{"a":1,"big":9007199254740993}'],
			['uuid', '123e4567-e89b-12d3-a456-426614174000'],
			['varbinary', '3q2+7w=='],
			['boolean', 'true'],
			['boolean', 'false'],
		]);
	});

	test('arrays, maps and rows as JSON text with exact nested integers', async () => {
		expect(await render(
			"SELECT [1, NULL, 3], [9007199254740993::BIGINT], MAP {'a': 1, 'b': NULL}, {'x': 1, 'y': 'q'}, [1.5::DECIMAL(4,2)], ['NaN'::DOUBLE, 2.0::DOUBLE]",
		)).toEqual([
			['array(integer)', '[1,null,3]'],
			['array(bigint)', '[9007199254740993]'],
			['map(varchar, integer)', '{"a":1,"b":null}'],
			['row(x integer, y varchar)', '{"x":1,"y":"q"}'],
			['array(decimal(4,2))', '["1.50"]'],
			['array(double)', '["NaN",2.0]'],
		]);
	});

	test('NULL stays null for every type', async () => {
		const reader = await connection.runAndReadAll('SELECT CAST(NULL AS BIGINT), CAST(NULL AS DOUBLE), CAST(NULL AS INTEGER[]), CAST(NULL AS VARCHAR)');
		const row = reader.getRows()[0];
		expect(reader.columnTypes().map((type, index) => values.createTextRenderer(type)(row[index]))).toEqual([null, null, null, null]);
	});
});
