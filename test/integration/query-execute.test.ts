import { BEHAVIOURS, datasetFile, type Emulator, executeRequests, executeSql, jsonOf, pairedItemsOf, projectParameter, referenceRows, runPeaka, startPeaka } from './support';

const DELAYED_ORIGINS_SQL = `SELECT origin, count(*) AS delayed_departures, avg(delay) AS mean_delay
FROM "datasets"."public"."flights"
WHERE delay > CAST(? AS INTEGER)
GROUP BY origin
ORDER BY delayed_departures DESC, origin
LIMIT 10`;

describe.each(BEHAVIOURS)('Query → Execute against the %s emulator', (behaviour) => {
	let emulator: Emulator;

	beforeAll(async () => {
		emulator = await startPeaka(behaviour);
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => {
		emulator.faults.clearRequests();
		emulator.faults.reset();
	});

	it('emits the ten origins with most delayed departures, exact', async () => {
		const expected = await referenceRows(
			DELAYED_ORIGINS_SQL.replace('"datasets"."public"."flights"', `read_parquet('${datasetFile('flights-3m.parquet')}')`).replace(
				'CAST(? AS INTEGER)',
				'60',
			),
		);
		expect(expected).toHaveLength(10);

		const result = await runPeaka(emulator, executeSql(emulator, DELAYED_ORIGINS_SQL, [60]));

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0])).toEqual(
			expected.map((row) => ({
				origin: row.origin,
				delayed_departures: String(row.delayed_departures),
				mean_delay: row.mean_delay,
			})),
		);
		const [request] = executeRequests(emulator);
		expect(request.method).toBe('POST');
		expect(request.path).toBe(`/data/projects/${emulator.projectId}/queries/execute`);
		expect(request.query).toEqual({ format: 'CELL_TYPED' });
		expect(request.body).toEqual({ statement: DELAYED_ORIGINS_SQL, bindings: ['60'], timeout: 300 });
	});

	it('counts the 3,000,000 flights', async () => {
		const result = await runPeaka(
			emulator,
			executeSql(emulator, 'SELECT count(*) AS flights FROM "datasets"."public"."flights"', [], {
				options: { largeNumbersAs: 'number' },
			}),
		);
		expect(jsonOf(result.outputs[0])).toEqual([{ flights: 3000000 }]);
	});

	it('runs once per input item and pairs each row with its input', async () => {
		const result = await runPeaka(
			emulator,
			executeSql(
				emulator,
				'SELECT x, ? AS label FROM (VALUES (1), (2), (3)) AS t(x) WHERE x <= CAST(? AS INTEGER) ORDER BY x',
				['={{ $json.label }}', '={{ $json.upTo }}'],
			),
			{
				inputItems: [
					{ label: 'first', upTo: 2 },
					{ label: 'second', upTo: 0 },
					{ label: 'third', upTo: 3 },
				],
			},
		);
		expect(jsonOf(result.outputs[0])).toEqual([
			{ x: 1, label: 'first' },
			{ x: 2, label: 'first' },
			{ x: 1, label: 'third' },
			{ x: 2, label: 'third' },
			{ x: 3, label: 'third' },
		]);
		expect(pairedItemsOf(result.outputs[0])).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 2 },
			{ item: 2 },
			{ item: 2 },
		]);
		expect(executeRequests(emulator).map((request) => (request.body as { bindings: string[] }).bindings)).toEqual([
			['first', '2'],
			['second', '0'],
			['third', '3'],
		]);
	});

	it('emits no items for an empty result', async () => {
		const result = await runPeaka(
			emulator,
			executeSql(emulator, 'SELECT origin FROM "datasets"."public"."flights" WHERE origin = ?', ['NOWHERE']),
		);
		expect(result.executed).toBe(true);
		expect(result.outputs[0] ?? []).toEqual([]);
	});

	it('puts the failing input on the error output, paired, and keeps the others', async () => {
		const result = await runPeaka(
			emulator,
			executeSql(emulator, '={{ $json.sql }}'),
			{
				onError: 'continueErrorOutput',
				inputItems: [
					{ sql: 'SELECT 1 AS n' },
					{ sql: 'SELECT * FROM "datasets"."public"."no_such_table"' },
					{ sql: 'SELECT 3 AS n' },
				],
			},
		);
		expect(jsonOf(result.outputs[0])).toEqual([{ n: 1 }, { n: 3 }]);
		expect(pairedItemsOf(result.outputs[0])).toEqual([{ item: 0 }, { item: 2 }]);
		expect(result.outputs[1]).toHaveLength(1);
		const [errorItem] = result.outputs[1];
		expect(errorItem.pairedItem).toEqual({ item: 1 });
		expect(errorItem.json.error).toMatch(/^Peaka rejected the request \(400\): .*no_such_table/);
		// n8n keeps only `error` in the routed item's json; the full error travels beside it.
		expect(errorItem.error?.description).toContain('answered 400 (errorCode 100)');
	});

	it('emits one item holding all rows when asked', async () => {
		const result = await runPeaka(
			emulator,
			executeSql(emulator, 'SELECT x FROM (VALUES (1), (2)) AS t(x) ORDER BY x', [], {
				options: { outputMode: 'singleItem' },
			}),
		);
		expect(jsonOf(result.outputs[0])).toEqual([{ rows: [{ x: 1 }, { x: 2 }], rowCount: 2 }]);
		expect(pairedItemsOf(result.outputs[0])).toEqual([{ item: 0 }]);
	});

	it('stops emitting at the limit and says Peaka sent more', async () => {
		const result = await runPeaka(
			emulator,
			executeSql(emulator, 'SELECT x FROM (VALUES (1), (2), (3)) AS t(x) ORDER BY x', [], { returnAll: false, limit: 2 }),
		);
		expect(jsonOf(result.outputs[0])).toEqual([{ x: 1 }, { x: 2 }]);
		expect(result.hints.map((hint) => hint.message)).toEqual([
			'Peaka returned 3 rows and the node emitted the first 2. Add LIMIT 2 to the SQL, or set Options → Engine to Streaming, so Peaka stops early.',
		]);
	});

	it('hints once when several items return 100 rows', async () => {
		const result = await runPeaka(
			emulator,
			executeSql(emulator, 'SELECT origin FROM "datasets"."public"."flights" LIMIT 100'),
			{ inputItems: [{ run: 1 }, { run: 2 }] },
		);
		expect(result.outputs[0]).toHaveLength(200);
		expect(result.hints.map((hint) => hint.message)).toEqual([
			'The result has exactly 100 rows. Uncached reads of some API connectors (Stripe was measured) stop at 100 rows silently; cache the table in Peaka to read every row.',
		]);
	});

	it('runs a saved query by id, a qualified name and builder JSON', async () => {
		const created = await runPeaka(emulator, {
			resource: 'query',
			operation: 'create',
			project: projectParameter(emulator.projectId),
			displayName: 'Busiest Origins',
			inputQuery:
				'SELECT origin, count(*) AS departures FROM "datasets"."public"."flights" GROUP BY origin ORDER BY departures DESC, origin LIMIT 3',
		});
		const saved = created.outputs[0][0].json as { id: string; name: string };
		expect(typeof saved.id).toBe('string');

		const byId = await runPeaka(emulator, {
			resource: 'query',
			operation: 'execute',
			project: projectParameter(emulator.projectId),
			source: 'savedQuery',
			savedQuery: { __rl: true, mode: 'id', value: saved.id },
		});
		const byName = await runPeaka(emulator, {
			resource: 'query',
			operation: 'execute',
			project: projectParameter(emulator.projectId),
			source: 'qualifiedName',
			qualifiedName: `peaka.query.${saved.name}`,
		});
		const expected = [
			{ origin: 'ORD', departures: '166341' },
			{ origin: 'DFW', departures: '157162' },
		];
		expect(jsonOf(byId.outputs[0]).slice(0, 2)).toEqual(expected);
		expect(jsonOf(byName.outputs[0]).slice(0, 2)).toEqual(expected);

		const builder = await runPeaka(emulator, {
			resource: 'query',
			operation: 'execute',
			project: projectParameter(emulator.projectId),
			source: 'builder',
			builder: JSON.stringify({
				columns: ['iata', 'name'],
				from: [{ catalogName: 'datasets', schemaName: 'public', tableName: 'airports' }],
				orderBy: ['iata ASC'],
				limit: 2,
				offset: 0,
			}),
		});
		expect(builder.error).toBeUndefined();
		const bodies = executeRequests(emulator).map((request) => request.body);
		expect(bodies[0]).toEqual({ id: saved.id, timeout: 300 });
		expect(bodies[1]).toEqual({ qualifiedName: `peaka.query.${saved.name}`, timeout: 300 });
	});
});
