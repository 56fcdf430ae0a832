import { type Emulator, executeRequests, executeSql, jsonOf, pairedItemsOf, runPeaka, startPeaka } from './support';

const EXECUTE_PATH = '/data/projects/*/queries/execute';

describe('Query → Execute failures', () => {
	let emulator: Emulator;

	beforeAll(async () => {
		emulator = await startPeaka('spec');
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => {
		emulator.faults.reset();
		emulator.faults.clearRequests();
	});

	function expectNoKey(value: unknown): void {
		const text = JSON.stringify(value);
		expect(text).not.toContain(emulator.partnerKey);
		expect(text).not.toContain(emulator.partnerKey.split('.')[1]);
	}

	it.each([
		[400, { errorCode: 100, message: "Column 'x' cannot be resolved", queryId: 'q1' }, "Peaka rejected the request (400): Column 'x' cannot be resolved"],
		[401, { message: 'API key expired' }, 'Peaka rejected the API key (401) at 127.0.0.1'],
		[403, { errorCode: 100, message: 'Project is not shared with this key' }, 'Peaka denied access (403): Project is not shared with this key'],
		[404, { errorCode: 100, message: 'Catalog 846085284821991999 not found' }, 'Peaka could not find the resource (404): Catalog 846085284821991999 not found'],
		[409, { errorCode: 'CACHE_REFRESHING', message: 'Cache is already refreshing' }, 'Peaka reported a conflict (409): Cache is already refreshing'],
	])('keeps Peaka\'s message and status for %i', async (status, body, expectedStart) => {
		emulator.faults.add({ method: 'POST', path: EXECUTE_PATH, status, body, times: 4 });
		const result = await runPeaka(emulator, executeSql(emulator, 'SELECT 1 AS n'));
		expect(result.error?.message.startsWith(expectedStart)).toBe(true);
		expect(result.error?.message).toContain(body.message);
		expect((result.error as { httpCode?: string }).httpCode).toBe(String(status));
		expect(result.error?.description).toContain(`answered ${status}`);
		expectNoKey(result.error);
		// A 4xx is Peaka's decision, not a passing fault, so the node sends the request once.
		expect(executeRequests(emulator)).toHaveLength(1);
	});

	it('reduces HTML and text gateway bodies', async () => {
		emulator.faults.add({ method: 'POST', path: EXECUTE_PATH, status: 500, html: true, times: 4 });
		const html = await runPeaka(emulator, executeSql(emulator, 'SELECT 1 AS n'), { waitBetweenTries: 1 });
		expect(html.error?.message).toMatch(/^Peaka failed to process the request \(500\): /);
		expect(html.error?.message).not.toMatch(/<[a-z]/i);
		expect(html.error?.description).toContain('The node tried 4 times');

		emulator.faults.reset();
		emulator.faults.add({ method: 'POST', path: EXECUTE_PATH, status: 502, body: 'upstream connect error', contentType: 'text/plain', times: 4 });
		const gateway = await runPeaka(emulator, executeSql(emulator, 'SELECT 1 AS n'));
		expect(gateway.error?.message).toBe('Peaka failed to process the request (502): upstream connect error');
	}, 60_000);

	it('retries a read after a 503 and emits the rows once', async () => {
		emulator.faults.add({ method: 'POST', path: EXECUTE_PATH, status: 503, body: { message: 'busy' }, times: 1 });
		const result = await runPeaka(emulator, executeSql(emulator, 'SELECT 7 AS n'));
		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0])).toEqual([{ n: 7 }]);
		expect(executeRequests(emulator)).toHaveLength(2);
	});

	it('waits for Retry-After on a 429 before trying again', async () => {
		emulator.faults.add({ method: 'POST', path: EXECUTE_PATH, status: 429, headers: { 'Retry-After': '2' }, body: { message: 'slow down' }, times: 1 });
		const started = Date.now();
		const result = await runPeaka(emulator, executeSql(emulator, 'SELECT 8 AS n'));
		expect(jsonOf(result.outputs[0])).toEqual([{ n: 8 }]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
		expect(executeRequests(emulator)).toHaveLength(2);
	});

	it('retries a dropped connection on a read', async () => {
		emulator.faults.add({ method: 'POST', path: EXECUTE_PATH, drop: 'before', times: 1 });
		const result = await runPeaka(emulator, executeSql(emulator, 'SELECT 9 AS n'));
		expect(jsonOf(result.outputs[0])).toEqual([{ n: 9 }]);
	});

	it('never repeats a create after a dropped connection, and says so', async () => {
		emulator.faults.add({ method: 'POST', path: '/data/projects/*/queries', drop: 'after', times: 1 });
		const result = await runPeaka(emulator, {
			resource: 'query',
			operation: 'create',
			project: { __rl: true, mode: 'id', value: emulator.projectId },
			displayName: 'Dropped Create',
			inputQuery: 'SELECT 1',
		});
		expect(result.error?.message).toMatch(/^The request to Peaka failed before an answer arrived/);
		expect(result.error?.description).toMatch(/\(ECONNRESET\) and was not repeated because Peaka may already have applied it/);
		const creates = emulator.faults.requests().filter((request) => request.method === 'POST' && request.path.endsWith('/queries'));
		expect(creates).toHaveLength(1);
	});

	it('retries a truncated body, then reports it as cut off', async () => {
		emulator.faults.add({ method: 'POST', path: EXECUTE_PATH, truncate: 20, times: 4 });
		const result = await runPeaka(emulator, executeSql(emulator, 'SELECT 1 AS n'));
		expect(result.error?.message).toBe("Peaka's response was cut off before it was complete");
		expect(executeRequests(emulator)).toHaveLength(4);
	}, 60_000);

	it('recovers when a truncated body is followed by a whole one', async () => {
		emulator.faults.add({ method: 'POST', path: EXECUTE_PATH, truncate: 20, times: 1 });
		const result = await runPeaka(emulator, executeSql(emulator, 'SELECT 5 AS n'));
		expect(jsonOf(result.outputs[0])).toEqual([{ n: 5 }]);
	});

	it('times out a slow answer with a message naming the timeout', async () => {
		emulator.faults.add({ method: 'POST', path: EXECUTE_PATH, delayMs: 20_000, times: 1 });
		const started = Date.now();
		const result = await runPeaka(
			emulator,
			executeSql(emulator, 'SELECT 1 AS n', [], { options: { timeout: 1 } }),
		);
		expect(result.error?.message).toBe('The request to Peaka timed out after 16 seconds');
		expect(Date.now() - started).toBeLessThan(19_000);
		expect(executeRequests(emulator)).toHaveLength(1);
	}, 30_000);

	it('explains that writes go through import', async () => {
		const result = await runPeaka(emulator, executeSql(emulator, "INSERT INTO \"datasets\".\"public\".\"events\" VALUES (1, TIMESTAMP '2024-01-01 00:00:00', 'x')"));
		expect(result.error?.message).toBe("Peaka runs only queries here: Statement type 'Insert' is not allowed");
		expect(result.error?.description).toMatch(/only through its import endpoint \(POST \/data\/projects\/\{projectId\}\/table\/\{tableName\}\/import\)/);
	});

	it('checks parameters before sending anything', async () => {
		const cases: Array<[Record<string, unknown>, string]> = [
			[executeSql(emulator, '  '), "The 'SQL' parameter is empty"],
			[executeSql(emulator, 'SELECT ?, ?', ['a']), 'The SQL has 2 ? placeholders but 1 query parameter was given'],
			[executeSql(emulator, 'SELECT ?', ['={{ null }}']), 'Query parameter 1 has no value'],
			[{ ...executeSql(emulator, ''), source: 'builder', builder: '{"from": ' }, 'Query Builder JSON is not valid JSON'],
			[{ ...executeSql(emulator, ''), source: 'qualifiedName', qualifiedName: 'peaka.samplequery' }, "Qualified Name 'peaka.samplequery' is not of the form catalog.schema.table"],
		];
		for (const [parameters, message] of cases) {
			const result = await runPeaka(emulator, parameters as never);
			expect(result.error?.message.startsWith(message)).toBe(true);
		}
		// n8n itself refuses to start a workflow whose node lacks a required locator.
		await expect(
			runPeaka(emulator, { ...executeSql(emulator, 'SELECT 1'), project: { __rl: true, mode: 'id', value: '' } }),
		).rejects.toThrow('Parameter "Project" is required');
		expect(emulator.faults.requests()).toEqual([]);
	});

	it('rejects a credential with plain http off loopback before sending', async () => {
		const result = await runPeaka(emulator, executeSql(emulator, 'SELECT 1'), {
			credentials: { peakaApi: { apiKey: emulator.partnerKey, zone: 'custom', baseUrl: 'http://peaka.example.com/api/v1' } },
		} as never);
		expect(result.error?.message).toBe(
			"The Peaka credential's Base URL uses plain http on peaka.example.com, which would send the API key unencrypted",
		);
	});

	it('routes only failures to the error output, each paired to its input', async () => {
		const result = await runPeaka(emulator, executeSql(emulator, '={{ $json.sql }}'), {
			onError: 'continueErrorOutput',
			inputItems: [
				{ sql: 'SELECT * FROM no_such_table' },
				{ sql: "SELECT 'ok' AS status, 'fine' AS message" },
				{ sql: 'SELECT ?' },
			],
		});
		expect(jsonOf(result.outputs[0])).toEqual([{ status: 'ok', message: 'fine' }]);
		expect(pairedItemsOf(result.outputs[0])).toEqual([{ item: 1 }]);
		expect(pairedItemsOf(result.outputs[1])).toEqual([{ item: 0 }, { item: 2 }]);
		expect(result.outputs[1][1].json.error).toBe('The SQL has 1 ? placeholder but 0 query parameters were given');
	});

	it('routes an error-shaped row as n8n does', async () => {
		// n8n's engine treats an item whose json contains only error, message and details as an
		// error item. The README advises aliasing such columns.
		const result = await runPeaka(emulator, executeSql(emulator, "SELECT 'boom' AS error, 'looks bad' AS message"), {
			onError: 'continueErrorOutput',
		});
		expect(result.outputs[0] ?? []).toEqual([]);
		expect(jsonOf(result.outputs[1])).toEqual([{ error: 'boom', message: 'looks bad' }]);
	});

	it('pads only a wholly empty output', async () => {
		// Always Output Data adds one empty item when no input produced rows, never one per gap.
		const sql = 'SELECT x FROM (VALUES (1), (2)) AS t(x) WHERE x = CAST(? AS INTEGER)';
		const someMissing = await runPeaka(emulator, executeSql(emulator, sql, ['={{ $json.x }}']), {
			inputItems: [{ x: 1 }, { x: 5 }, { x: 2 }],
		});
		expect(jsonOf(someMissing.outputs[0])).toEqual([{ x: 1 }, { x: 2 }]);
		expect(pairedItemsOf(someMissing.outputs[0])).toEqual([{ item: 0 }, { item: 2 }]);

		const allMissing = await runPeaka(emulator, executeSql(emulator, sql, ['={{ $json.x }}']), {
			inputItems: [{ x: 5 }, { x: 6 }, { x: 7 }],
		});
		expect(allMissing.outputs[0] ?? []).toEqual([]);

		const padded = await runPeaka(emulator, executeSql(emulator, sql, ['={{ $json.x }}']), {
			inputItems: [{ x: 5 }, { x: 6 }, { x: 7 }],
			alwaysOutputData: true,
		});
		expect(jsonOf(padded.outputs[0])).toEqual([{}]);
	});
});
