import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PeakaApi } from '../../credentials/PeakaApi.credentials';
import { Peaka } from '../../nodes/Peaka/Peaka.node';
import { runNode, type RunNodeOptions, type RunNodeResult } from '../harness/n8n-runner';
import { type Emulator, executeSql, jsonOf, pairedItemsOf, startPeaka } from './support';

interface TrinoQueryRecord {
	id: string;
	projectId: string | null;
	sql: string;
	state: string;
	pagesSent: number;
	rowsSent: number;
	cancelled: boolean;
	cancelledBy: string | null;
}

interface TrinoEmulator extends Emulator {
	trinoUrl: string;
	trino: {
		queries(): TrinoQueryRecord[];
		requests(): Array<{ method: string; path: string; status: number; extraCredential: boolean; authorization: boolean }>;
		clearRequests(): void;
		settings: { pageRows: number; queryDelayMs: number; failNextPages: number };
	};
}

const PAGE_ROWS = 1000;
const EDGE_SQL = 'SELECT * FROM "datasets"."public"."edge_types" ORDER BY id';

function streaming(extra: IDataObject = {}): INodeParameters {
	return { options: { engine: 'streaming', ...extra } } as INodeParameters;
}

async function runWithKey(
	emulator: TrinoEmulator,
	parameters: INodeParameters,
	apiKey: string,
	options: Omit<RunNodeOptions, 'nodeType' | 'parameters'> = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: Peaka,
		credentialTypes: [PeakaApi],
		credentials: {
			peakaApi: { apiKey, zone: 'custom', baseUrl: emulator.baseUrl, trinoUrl: emulator.trinoUrl },
		},
		parameters,
		...options,
	});
}

function lastQuery(emulator: TrinoEmulator): TrinoQueryRecord {
	const queries = emulator.trino.queries();
	return queries[queries.length - 1];
}

describe('Query → Execute on the Streaming engine', () => {
	let emulator: TrinoEmulator;
	let projectKey: string;

	beforeAll(async () => {
		emulator = (await startPeaka('spec', { trinoPageRows: PAGE_ROWS })) as TrinoEmulator;
		projectKey = emulator.projectKey;
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => {
		emulator.trino.settings.queryDelayMs = 0;
		emulator.trino.settings.pageRows = PAGE_ROWS;
		emulator.trino.settings.failNextPages = 0;
		emulator.faults.clearRequests();
		emulator.trino.clearRequests();
	});

	it('stops 3,000,000 flights after the first page at Limit 10', async () => {
		const result = await runWithKey(
			emulator,
			executeSql(emulator, 'SELECT * FROM "datasets"."public"."flights"', [], { returnAll: false, limit: 10, ...streaming() }),
			projectKey,
		);

		expect(result.error).toBeUndefined();
		const rows = jsonOf(result.outputs[0]);
		expect(rows).toHaveLength(10);
		expect(Object.keys(rows[0])).toEqual(['date', 'delay', 'distance', 'origin', 'destination']);
		expect(pairedItemsOf(result.outputs[0])).toEqual(Array.from({ length: 10 }, () => ({ item: 0 })));

		const query = lastQuery(emulator);
		expect(query.sql).toBe('SELECT * FROM "datasets"."public"."flights"');
		expect(query.cancelledBy).toBe('client');
		expect(query.pagesSent).toBe(1);
		expect(query.rowsSent).toBe(PAGE_ROWS);

		const restResult = await runWithKey(
			emulator,
			executeSql(emulator, 'SELECT * FROM "datasets"."public"."flights" LIMIT 10'),
			projectKey,
		);
		expect(rows).toEqual(jsonOf(restResult.outputs[0]));
	});

	it('cancels a query that outlives the Timeout', async () => {
		emulator.trino.settings.queryDelayMs = 5000;
		const startedAt = Date.now();
		const result = await runWithKey(
			emulator,
			executeSql(emulator, 'SELECT 1 AS one', [], streaming({ timeout: 2 })),
			projectKey,
		);
		const elapsedMs = Date.now() - startedAt;

		const query = lastQuery(emulator);
		expect(query.sql).toBe('SELECT 1 AS one');
		expect(query.cancelledBy).toBe('client');
		expect(query.rowsSent).toBe(0);
		expect(result.error?.message).toBe(
			`Peaka query ${query.id} did not finish within the Timeout of 2 seconds and was cancelled`,
		);
		expect(elapsedMs).toBeGreaterThanOrEqual(1900);
		expect(elapsedMs).toBeLessThan(4500);
	});

	it('gives the REST engine items for the edge-value table', async () => {
		const rest = await runWithKey(emulator, executeSql(emulator, EDGE_SQL), projectKey);
		const streamed = await runWithKey(emulator, executeSql(emulator, EDGE_SQL, [], streaming()), projectKey);

		expect(streamed.error).toBeUndefined();
		expect(jsonOf(streamed.outputs[0])).toEqual(jsonOf(rest.outputs[0]));
		const [first, second] = jsonOf(streamed.outputs[0]);
		expect(first.c_bigint).toBe('9007199254740993');
		expect(second.c_bigint).toBe('-9223372036854775808');
		expect(first.c_decimal).toBe('12345678901234567890.0123456789');
		expect(first.c_json).toEqual({ a: 1, big: '9007199254740993' });
		expect(first.c_row).toEqual({ x: 1, y: 'q' });
		expect(second.c_double).toBe('NaN');
		expect(lastQuery(emulator).state).toBe('FINISHED');
	});

	it('reads every page of a result larger than one page', async () => {
		emulator.trino.settings.pageRows = 7;
		const result = await runWithKey(
			emulator,
			executeSql(emulator, 'SELECT id FROM "datasets"."public"."events" ORDER BY id LIMIT 30', [], streaming()),
			projectKey,
		);
		expect(jsonOf(result.outputs[0]).map((row) => row.id)).toEqual(Array.from({ length: 30 }, (_, index) => String(index + 1)));
		const query = lastQuery(emulator);
		expect(query.pagesSent).toBe(5);
		expect(query.cancelled).toBe(false);
	});

	it('retries a page answered with 503', async () => {
		emulator.trino.settings.pageRows = 2;
		emulator.trino.settings.failNextPages = 2;
		const result = await runWithKey(
			emulator,
			executeSql(emulator, 'SELECT id FROM "datasets"."public"."events" ORDER BY id LIMIT 3', [], streaming()),
			projectKey,
		);
		expect(jsonOf(result.outputs[0]).map((row) => row.id)).toEqual(['1', '2', '3']);
		expect(emulator.trino.requests().map((request) => `${request.method} ${request.status}`)).toEqual([
			'POST 200',
			'GET 503',
			'GET 503',
			'GET 200',
			'GET 200',
		]);
	});

	it('pairs rows with each of three input items', async () => {
		const result = await runWithKey(
			emulator,
			executeSql(
				emulator,
				"=SELECT x, '{{ $json.label }}' AS label FROM (VALUES (1), (2)) AS t(x) ORDER BY x",
				[],
				streaming(),
			),
			projectKey,
			{ inputItems: [{ label: 'first' }, { label: 'second' }, { label: 'third' }] },
		);
		expect(jsonOf(result.outputs[0])).toEqual([
			{ x: 1, label: 'first' },
			{ x: 2, label: 'first' },
			{ x: 1, label: 'second' },
			{ x: 2, label: 'second' },
			{ x: 1, label: 'third' },
			{ x: 2, label: 'third' },
		]);
		expect(pairedItemsOf(result.outputs[0])).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 1 },
			{ item: 1 },
			{ item: 2 },
			{ item: 2 },
		]);
	});

	it("reports Trino's error with its name and the query id", async () => {
		const result = await runWithKey(
			emulator,
			executeSql(emulator, 'SELECT * FROM "datasets"."public"."no_such_table"', [], streaming()),
			projectKey,
		);
		const query = lastQuery(emulator);
		expect(query.state).toBe('FAILED');
		expect(result.error?.message).toBe(
			`Peaka query ${query.id} failed: line 1:15: Table 'datasets.public.no_such_table' does not exist`,
		);
		expect(result.error?.description).toContain('TABLE_NOT_FOUND');
		expect(result.error?.description).toContain(`query ID ${query.id}`);
	});

	it('rejects a bad key with 401 and never shows it', async () => {
		const badKey = 'Zz9Yy8Xx.notarealsecretvalue000';
		const result = await runWithKey(emulator, executeSql(emulator, 'SELECT 1', [], streaming()), badKey);
		expect(result.error?.message).toBe(`Peaka's Trino endpoint rejected the API key (401) at ${new URL(emulator.trinoUrl).host}`);
		expect(JSON.stringify(result.error)).not.toContain(badKey);
		expect(JSON.stringify(result.error)).not.toContain('notarealsecret');
	});

	it('sends the key only as the peakaKey extra credential', async () => {
		const result = await runWithKey(emulator, executeSql(emulator, 'SELECT 42 AS answer', [], streaming()), projectKey);
		expect(jsonOf(result.outputs[0])).toEqual([{ answer: 42 }]);
		// The REST listener saw nothing: the statement went to the Trino endpoint only.
		expect(emulator.faults.requests()).toEqual([]);
		const requests = emulator.trino.requests();
		expect(requests.map((request) => request.method)).toEqual(['POST', 'GET']);
		expect(requests[0].path).toBe('/v1/statement');
		expect(requests.every((request) => request.extraCredential && !request.authorization)).toBe(true);
	});

	it('explains that a partner key names no project', async () => {
		const result = await runWithKey(emulator, executeSql(emulator, 'SELECT 1', [], streaming()), emulator.partnerKey);
		const query = lastQuery(emulator);
		expect(result.error?.message).toBe(
			`Peaka query ${query.id} failed: A partner API key does not identify a project. Use a project API key for the Trino endpoint.`,
		);
		expect(result.error?.description).toContain('PERMISSION_DENIED');
	});

	it('rejects query parameters before sending anything', async () => {
		const before = emulator.trino.queries().length;
		const result = await runWithKey(
			emulator,
			executeSql(emulator, 'SELECT ? AS v', ['1'], streaming()),
			projectKey,
		);
		expect(result.error?.message).toBe('The Streaming engine does not take query parameters or ? placeholders');
		expect(emulator.trino.queries()).toHaveLength(before);
	});

	it('runs a qualified name and stops at Limit', async () => {
		const result = await runWithKey(
			emulator,
			{
				...executeSql(emulator, '', [], streaming()),
				source: 'qualifiedName',
				qualifiedName: 'datasets.public.edge_types',
				returnAll: false,
				limit: 2,
			},
			projectKey,
		);
		expect(jsonOf(result.outputs[0]).map((row) => row.id)).toEqual([1, 2]);
		expect(lastQuery(emulator).sql).toBe('SELECT * FROM datasets.public.edge_types');
	});

	it('names a missing or unreachable endpoint', async () => {
		const parameters = executeSql(emulator, 'SELECT 1', [], streaming());
		const credentials = { apiKey: projectKey, zone: 'custom', baseUrl: emulator.baseUrl };
		const missing = await runNode({ nodeType: Peaka, credentialTypes: [PeakaApi], credentials: { peakaApi: credentials }, parameters });
		expect(missing.error?.message).toBe(
			"The Peaka credential's Trino Endpoint is empty, and the Streaming engine needs it for the Custom zone",
		);

		const unreachable = await runNode({
			nodeType: Peaka,
			credentialTypes: [PeakaApi],
			credentials: { peakaApi: { ...credentials, trinoUrl: 'http://127.0.0.1:1' } },
			parameters,
		});
		expect(unreachable.error?.message).toBe("The request to Peaka's Trino endpoint failed before an answer arrived");
		expect(unreachable.error?.description).toContain('POST /v1/statement on 127.0.0.1:1 failed once (ECONNREFUSED)');
	});

	it('points large REST results to Streaming', async () => {
		const result = await runWithKey(
			emulator,
			executeSql(emulator, 'SELECT origin FROM "datasets"."public"."flights" LIMIT 100000', [], { returnAll: false, limit: 5 }),
			projectKey,
		);
		expect(result.outputs[0]).toHaveLength(5);
		expect(result.hints.map((hint) => hint.message)).toEqual([
			'Peaka sent 100000 rows in one response. For results this large, set Options → Engine to Streaming: it reads pages and stops Peaka at Limit.',
			'Peaka returned 100000 rows and the node emitted the first 5. Add LIMIT 5 to the SQL, or set Options → Engine to Streaming, so Peaka stops early.',
		]);
	});

	it('applies Large Numbers As and Output', async () => {
		const sql = 'SELECT CAST(25001 AS BIGINT) AS small, CAST(12.50 AS DECIMAL(10,2)) AS price';
		const asNumbers = await runWithKey(
			emulator,
			executeSql(emulator, sql, [], streaming({ largeNumbersAs: 'number', outputMode: 'singleItem' })),
			projectKey,
		);
		expect(jsonOf(asNumbers.outputs[0])).toEqual([{ rows: [{ small: 25001, price: 12.5 }], rowCount: 1 }]);

		const unsafe = await runWithKey(
			emulator,
			executeSql(emulator, 'SELECT CAST(9007199254740993 AS BIGINT) AS big', [], streaming({ largeNumbersAs: 'number' })),
			projectKey,
		);
		expect(unsafe.error?.message).toBe("Column 'big' holds 9007199254740993, which a JavaScript number cannot hold exactly");
	});

	it('cancels the query on Peaka when the execution is cancelled', async () => {
		emulator.trino.settings.queryDelayMs = 10_000;
		let cancelExecution: () => void = () => {};
		const cancelWhen = new Promise<void>((resolve) => {
			cancelExecution = resolve;
		});
		const running = runWithKey(emulator, executeSql(emulator, 'SELECT 2 AS two', [], streaming()), projectKey, {
			cancelWhen,
		});
		await new Promise((resolve) => setTimeout(resolve, 700));
		cancelExecution();
		const result = await running;

		expect(result.status).toBe('canceled');
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const query = lastQuery(emulator);
		expect(query.sql).toBe('SELECT 2 AS two');
		expect(query.cancelledBy).toBe('client');
	});
});
