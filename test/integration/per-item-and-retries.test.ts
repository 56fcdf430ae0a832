import type { INodeParameters } from 'n8n-workflow';

import { type Emulator, executeSql, jsonOf, pairedItemsOf, projectParameter, runPeaka, startPeaka } from './support';

/**
 * The node under n8n's per-item execution and node settings. A node runs once per input item
 * unless Execute Once is on, so lists and queries repeat by design, while identical job starts
 * reach Peaka once. Retry On Fail still retries under Continue On Fail, and the error item carries
 * the last attempt's error.
 */

const STRIPE_CATALOG_ID = '846085284821991569';
const BUILT_IN_AND_SEEDED_CATALOGS = 4;
const JOB_SPEED = 100;
const EXECUTE_PATH = '/data/projects/*/queries/execute';
const THREE_ITEMS = [{ run: 1 }, { run: 2 }, { run: 3 }];

const locator = (value: string): INodeParameters => ({ __rl: true, mode: 'id', value });

describe('per-item execution and node settings', () => {
	let emulator: Emulator;

	beforeAll(async () => {
		emulator = await startPeaka('spec', { eventsRows: 10, jobSpeed: JOB_SPEED });
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => {
		emulator.faults.reset();
		emulator.faults.clearRequests();
	});

	const requestsTo = (method: string, pathEnd: string) =>
		emulator.faults.requests().filter((request) => request.method === method && request.path.endsWith(pathEnd));
	const catalogList: INodeParameters = { resource: 'catalog', operation: 'getMany', project: projectParameter('mtKDhe1U'), returnAll: true };

	describe('Execute Once', () => {
		it('lists catalogs once per input item when off', async () => {
			const result = await runPeaka(emulator, catalogList, { inputItems: THREE_ITEMS });

			expect(result.error).toBeUndefined();
			expect(requestsTo('GET', '/catalogs')).toHaveLength(3);
			expect(result.outputs[0]).toHaveLength(3 * BUILT_IN_AND_SEEDED_CATALOGS);
			expect(pairedItemsOf(result.outputs[0])).toEqual([0, 1, 2].flatMap((item) => Array(BUILT_IN_AND_SEEDED_CATALOGS).fill({ item })));
		});

		it('lists catalogs once when on', async () => {
			const result = await runPeaka(emulator, catalogList, { inputItems: THREE_ITEMS, executeOnce: true });

			expect(requestsTo('GET', '/catalogs')).toHaveLength(1);
			expect(result.outputs[0]).toHaveLength(BUILT_IN_AND_SEEDED_CATALOGS);
		});

		it('runs a query per item when off, once when on', async () => {
			const perItem = await runPeaka(emulator, executeSql(emulator, 'SELECT 1 AS n'), { inputItems: THREE_ITEMS });
			expect(jsonOf(perItem.outputs[0])).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }]);
			expect(emulator.faults.requests().filter((request) => request.path.endsWith('/queries/execute'))).toHaveLength(3);

			emulator.faults.clearRequests();
			const once = await runPeaka(emulator, executeSql(emulator, 'SELECT 1 AS n'), { inputItems: THREE_ITEMS, executeOnce: true });
			expect(jsonOf(once.outputs[0])).toEqual([{ n: 1 }]);
			expect(emulator.faults.requests().filter((request) => request.path.endsWith('/queries/execute'))).toHaveLength(1);
		});
	});

	describe('identical job starts', () => {
		let cacheId: string;

		beforeAll(async () => {
			const created = await runPeaka(emulator, {
				resource: 'cache',
				operation: 'create',
				project: projectParameter(emulator.projectId),
				catalog: locator(STRIPE_CATALOG_ID),
				schema: locator('payment'),
				table: locator('charges'),
			});
			expect(created.error).toBeUndefined();
			cacheId = String(created.outputs[0][0].json.id);
		});

		const fullRefresh = (): INodeParameters => ({
			resource: 'cache',
			operation: 'startFullRefresh',
			project: projectParameter(emulator.projectId),
			cache: locator(cacheId),
			waitForCompletion: false,
		});

		it('starts one full refresh for three items', async () => {
			const result = await runPeaka(emulator, fullRefresh(), { inputItems: THREE_ITEMS });

			expect(result.error).toBeUndefined();
			expect(requestsTo('POST', '/fullRefreshUpdate')).toHaveLength(1);
			const items = jsonOf(result.outputs[0]);
			expect(items).toHaveLength(3);
			expect(items[0].sameJobAsItem).toBeUndefined();
			expect(items[1]).toEqual({ ...items[0], sameJobAsItem: 0 });
			expect(items[2]).toEqual({ ...items[0], sameJobAsItem: 0 });
			expect(pairedItemsOf(result.outputs[0])).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(result.hints.map((hint) => hint.message)).toContainEqual(expect.stringContaining('Input items 1, 2 named a job an earlier item'));
		});

		it('starts one refresh per distinct cache', async () => {
			const other = await runPeaka(emulator, { ...fullRefresh(), cache: '={{ $json.run === 2 ? "00000000-0000-4000-8000-0000000000c1" : "' + cacheId + '" }}' }, {
				inputItems: THREE_ITEMS,
				onError: 'continueRegularOutput',
			});

			// Items 0 and 2 name the same cache; item 1 names a missing one and gets its own request.
			expect(requestsTo('POST', '/fullRefreshUpdate')).toHaveLength(2);
			const items = jsonOf(other.outputs[0]);
			expect(items[1].error).toMatch(/00000000-0000-4000-8000-0000000000c1/);
			expect(items[2].sameJobAsItem).toBe(0);
		});
	});

	describe('Retry On Fail with Continue On Fail', () => {
		it('retries a failed read and keeps only its success', async () => {
			// Four 503s outlast the transport's own attempts, so the node fails once and n8n retries it.
			emulator.faults.add({ method: 'POST', path: EXECUTE_PATH, status: 503, times: 4 });

			const result = await runPeaka(emulator, executeSql(emulator, 'SELECT 1 AS n UNION ALL SELECT 2 ORDER BY n'), {
				retryOnFail: true,
				maxTries: 2,
				waitBetweenTries: 1,
				onError: 'continueErrorOutput',
			});

			expect(jsonOf(result.outputs[0])).toEqual([{ n: 1 }, { n: 2 }]);
			expect(result.outputs[1] ?? []).toEqual([]);
			expect(emulator.faults.requests().filter((request) => request.path.endsWith('/queries/execute'))).toHaveLength(5);
		});

		it('waits out Retry-After on 429', async () => {
			emulator.faults.add({ method: 'POST', path: EXECUTE_PATH, status: 429, headers: { 'Retry-After': '1' }, times: 1 });
			const started = Date.now();

			const result = await runPeaka(emulator, executeSql(emulator, 'SELECT 1 AS n'), { retryOnFail: true, maxTries: 2, onError: 'continueErrorOutput' });

			expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
			expect(jsonOf(result.outputs[0])).toEqual([{ n: 1 }]);
			expect(emulator.faults.requests().filter((request) => request.path.endsWith('/queries/execute'))).toHaveLength(2);
		});

		it('reports the last attempt error', async () => {
			// Faults apply in the order they were added: four 503s fail the first attempt, then a 400.
			emulator.faults.add({ method: 'POST', path: EXECUTE_PATH, status: 503, times: 4 });
			emulator.faults.add({ method: 'POST', path: EXECUTE_PATH, status: 400, body: { errorCode: 100, message: 'second attempt: column x cannot be resolved' }, times: 1 });

			const result = await runPeaka(emulator, executeSql(emulator, 'SELECT 1 AS n'), {
				retryOnFail: true,
				maxTries: 2,
				waitBetweenTries: 1,
				onError: 'continueErrorOutput',
			});

			expect(result.outputs[0] ?? []).toEqual([]);
			expect(result.outputs[1]).toHaveLength(1);
			expect(String(result.outputs[1][0].json.error)).toContain('second attempt: column x cannot be resolved');
			expect(result.outputs[1][0].pairedItem).toEqual({ item: 0 });
		});

		it('reruns a query whose first row has an error column', async () => {
			// With Retry On Fail on, n8n treats a first output item with a truthy json.error as a soft
			// failure and runs the node again. That is harmless for a query, and the README documents it.
			const result = await runPeaka(emulator, executeSql(emulator, "SELECT 'boom' AS error, 1 AS id"), {
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 1,
			});

			const runs = emulator.faults.requests().filter((request) => request.path.endsWith('/queries/execute')).length;
			expect({ runs, items: jsonOf(result.outputs[0]) }).toEqual({ runs: 3, items: [{ error: 'boom', id: 1 }] });
		});
	});
});
