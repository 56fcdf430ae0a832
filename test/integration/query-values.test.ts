import { EDGE_ROWS_SQL, EXPECTED_EDGE_ITEMS } from '../support/edge-items';
import { BEHAVIOURS, type Emulator, executeSql, jsonOf, runPeaka, startPeaka } from './support';

describe.each(BEHAVIOURS)('Query → Execute values against the %s emulator', (behaviour) => {
	let emulator: Emulator;

	beforeAll(async () => {
		emulator = await startPeaka(behaviour);
	});
	afterAll(async () => {
		await emulator?.close();
	});

	it('applies one rule per Trino type to every column of the edge table', async () => {
		const result = await runPeaka(emulator, executeSql(emulator, EDGE_ROWS_SQL));
		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0])).toEqual(EXPECTED_EDGE_ITEMS);
		expect(Object.keys(result.outputs[0][0].json)).toEqual(Object.keys(EXPECTED_EDGE_ITEMS[0]));
	});

	it('keeps 9007199254740993, the BIGINT minimum and DECIMAL(38,10) exact as text', async () => {
		const result = await runPeaka(
			emulator,
			executeSql(
				emulator,
				"SELECT CAST(9007199254740993 AS BIGINT) AS id, CAST(-9223372036854775808 AS BIGINT) AS lo, CAST('12345678901234567890.0123456789' AS DECIMAL(38,10)) AS amount",
			),
		);
		expect(jsonOf(result.outputs[0])).toEqual([
			{ id: '9007199254740993', lo: '-9223372036854775808', amount: '12345678901234567890.0123456789' },
		]);
	});

	it('gives a column one type in every row', async () => {
		const result = await runPeaka(
			emulator,
			executeSql(
				emulator,
				'SELECT CAST(v AS BIGINT) AS n, CAST(d AS DECIMAL(10,2)) AS price FROM (VALUES (10, 123.45), (9007199254740993, 0.5)) AS t(v, d) ORDER BY n',
			),
		);
		expect(jsonOf(result.outputs[0])).toEqual([
			{ n: '10', price: '123.45' },
			{ n: '9007199254740993', price: '0.50' },
		]);
	});

	it('returns 42 as a number with Large Numbers As: Number', async () => {
		const result = await runPeaka(
			emulator,
			executeSql(emulator, "SELECT CAST(42 AS BIGINT) AS n, CAST('12.50' AS DECIMAL(10,2)) AS price", [], {
				options: { largeNumbersAs: 'number' },
			}),
		);
		expect(jsonOf(result.outputs[0])).toEqual([{ n: 42, price: 12.5 }]);
	});

	it('fails naming the column and value when a number would lose digits', async () => {
		const result = await runPeaka(
			emulator,
			executeSql(emulator, 'SELECT CAST(1 AS BIGINT) AS small, CAST(9007199254740993 AS BIGINT) AS big', [], {
				options: { largeNumbersAs: 'number' },
			}),
		);
		expect(result.error?.message).toBe("Column 'big' holds 9007199254740993, which a JavaScript number cannot hold exactly");
		expect(result.error?.description).toMatch(/Set 'Large Numbers As' to Text/);
		expect(result.outputs[0] ?? []).toEqual([]);
	});

	it('keeps dates and timestamps identical whatever the n8n process time zone', async () => {
		const sql =
			"SELECT DATE '2024-03-30' AS d, TIMESTAMP '2024-03-30 00:00:00' AS ts, TIMESTAMP WITH TIME ZONE '2024-03-30 00:00:00+05:30' AS tstz, TIME '23:59:59' AS t";
		const originalZone = process.env.TZ;
		const outputs = [];
		try {
			for (const zone of ['America/New_York', 'Asia/Kolkata']) {
				process.env.TZ = zone;
				outputs.push(jsonOf((await runPeaka(emulator, executeSql(emulator, sql))).outputs[0]));
			}
		} finally {
			process.env.TZ = originalZone;
		}
		const expected = [
			{ d: '2024-03-30', ts: '2024-03-30 00:00:00.000000', tstz: '2024-03-29 18:30:00.000000 UTC', t: '23:59:59.000000' },
		];
		expect(outputs).toEqual([expected, expected]);
	});

	it('keeps NULL, empty text, a space and the word null apart', async () => {
		const result = await runPeaka(emulator, executeSql(emulator, "SELECT NULL AS a, '' AS b, ' ' AS c, 'null' AS d"));
		expect(jsonOf(result.outputs[0])).toEqual([{ a: null, b: '', c: ' ', d: 'null' }]);

		const bound = await runPeaka(emulator, executeSql(emulator, "SELECT ? = '' AS is_empty, ? AS word", ['', 'null']));
		expect(jsonOf(bound.outputs[0])).toEqual([{ is_empty: true, word: 'null' }]);
	});

	it('returns structures, text and base64 binary', async () => {
		const result = await runPeaka(
			emulator,
			executeSql(
				emulator,
				`SELECT CAST('{"a":1,"b":[1,2]}' AS JSON) AS j, ARRAY[1,2,3] AS arr, CAST(NULL AS JSON) AS jn, '{"a":1}' AS s, from_hex('DEADBEEF') AS bin`,
			),
		);
		expect(jsonOf(result.outputs[0])).toEqual([{ j: { a: 1, b: [1, 2] }, arr: [1, 2, 3], jn: null, s: '{"a":1}', bin: '3q2+7w==' }]);
	});

	it('binds parameters as text exactly as given', async () => {
		const values = ['123456789408145016', '728e790', '00123', "O'Brien", "x'); DROP TABLE t; --"];
		const result = await runPeaka(emulator, executeSql(emulator, 'SELECT ? AS card, ? AS sha, ? AS code, ? AS name, ? AS attack', values));
		expect(jsonOf(result.outputs[0])).toEqual([
			{ card: '123456789408145016', sha: '728e790', code: '00123', name: "O'Brien", attack: "x'); DROP TABLE t; --" },
		]);

		const compared = await runPeaka(
			emulator,
			executeSql(emulator, "SELECT count(*) AS matches FROM (VALUES ('O''Brien'), ('Smith')) AS t(name) WHERE name = ?", ["O'Brien"]),
		);
		expect(jsonOf(compared.outputs[0])).toEqual([{ matches: '1' }]);
	});

	it('emits 200,000 rows without a stack overflow', async () => {
		const result = await runPeaka(
			emulator,
			executeSql(emulator, 'SELECT delay FROM "datasets"."public"."flights" LIMIT 200000'),
		);
		expect(result.error).toBeUndefined();
		expect(result.outputs[0]).toHaveLength(200_000);
		expect(result.outputs[0][199_999].pairedItem).toEqual({ item: 0 });
		expect(typeof result.outputs[0][0].json.delay).toBe('string');
	}, 120_000);
});
