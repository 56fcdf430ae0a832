'use strict';

/**
 * The emulator's cache routes in both behaviours: first syncs, statuses over time, the observed
 * quirks (late execution record, NullPointerException on an early cancel, 500 or 200 for a
 * duplicate, silent schedule refusals, schema-level 500, 400 for triggers on unknown caches).
 * Jobs run at speed 50, so a 30 s sync takes 600 ms and stays PENDING for 60 ms.
 */

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index.js');

const JOB_SPEED = 50;
const STRIPE_CATALOG_ID = '846085284821991569';
const CHARGES = { catalogId: STRIPE_CATALOG_ID, schemaName: 'payment', tableName: 'charges' };
const UNKNOWN_CACHE_ID = '00000000-0000-4000-8000-0000000000c1';
const FINAL = ['SUCCESS', 'FAILED', 'CANCELLED'];

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(['spec', 'observed'])('cache routes in %s behaviour', (behaviour) => {
	let emulator;
	let http;
	const observed = behaviour === 'observed';
	const cachePath = (suffix = '') => `/data/projects/${emulator.projectId}/cache${suffix}`;
	// The node sends body-less POSTs without a Content-Type.
	const post = (url, body) => http.post(url, body, body === undefined ? { headers: { 'Content-Type': false } } : {});

	beforeAll(async () => {
		emulator = await startEmulator({ behaviour, eventsRows: 10, jobSpeed: JOB_SPEED });
		http = axios.create({ baseURL: emulator.baseUrl, validateStatus: () => true, headers: { Authorization: `Bearer ${emulator.partnerKey}` } });
	});
	afterAll(async () => {
		await emulator?.close();
	});
	afterEach(async () => {
		emulator.jobs.clearArrangements();
		for (const status of (await http.get(cachePath('/status'))).data) await http.delete(cachePath(`/${status.id}`));
	});

	async function waitForJobs(cacheId) {
		const deadline = Date.now() + 5000;
		while (emulator.jobs.list({ target: cacheId }).some((job) => !FINAL.includes(emulator.jobs.state(job)))) {
			if (Date.now() > deadline) throw new Error(`jobs of ${cacheId} did not settle`);
			await pause(20);
		}
	}

	test('first sync moves from RUNNING to COMPLETED', async () => {
		const created = await post(cachePath(), CHARGES);
		expect(created.status).toBe(200);
		const early = (await http.get(cachePath(`/${created.data.id}/status`), { params: { excludeLogs: true } })).data;
		expect(early.status).toBe('RUNNING');
		// Observed: the new execution record appears only once the sync leaves PENDING.
		expect(early.lastFullRefreshCacheExecution === undefined).toBe(observed);
		await waitForJobs(created.data.id);
		const done = (await http.get(cachePath(`/${created.data.id}/status`))).data;
		expect(done).toMatchObject({ status: 'COMPLETED', lastFullRefreshCacheExecution: { status: 'COMPLETED', executionMode: 'FULL_REFRESH' } });
		expect(done.lastFullRefreshCacheExecution.progress).toEqual({
			numberOfCachedRecords: 652,
			numberOfInsertedRecords: 652,
			numberOfUpdatedRecords: 0,
			numberOfDeletedRecords: 0,
			lastOffset: '652',
			lastCacheTxId: done.lastFullRefreshCacheExecution.id.slice(0, 8),
		});
		expect(done.cacheActionLogs.map((entry) => entry.action)).toEqual(['CREATED', 'FULL_REFRESH_STARTED', 'FULL_REFRESH_COMPLETED']);
	});

	test('a duplicate cache: 409, or observed 500 while syncing and 200 after', async () => {
		const created = await post(cachePath(), CHARGES);
		const duringSync = await post(cachePath(), CHARGES);
		if (observed) {
			expect(duringSync.status).toBe(500);
			await waitForJobs(created.data.id);
			const after = await post(cachePath(), CHARGES);
			expect(after.status).toBe(200);
			expect(after.data.id).toBe(created.data.id);
		} else {
			expect(duringSync.status).toBe(409);
			expect(duringSync.data).toEqual({ errorCode: 100, message: 'A cache already exists for this table' });
		}
		expect((await http.get(cachePath('/status'))).data.map((status) => status.id)).toEqual([created.data.id]);
	});

	test('a bad schedule: 400, or observed 200 with the schedule ignored', async () => {
		const created = await post(cachePath(), { ...CHARGES, incrementalCacheSchedule: { type: 'BASIC', expression: 'PT' } });
		if (observed) {
			expect(created.status).toBe(200);
			expect(created.data.incrementalCacheSchedule).toBeUndefined();
			const put = await http.put(cachePath(`/${created.data.id}`), { fullRefreshCacheSchedule: { type: 'BASIC', expression: 'not-a-duration' } });
			expect(put.status).toBe(200);
			expect(put.data.fullRefreshCacheSchedule).toBeUndefined();
		} else {
			expect(created.status).toBe(400);
			expect(created.data.message).toBe('Invalid incrementalCacheSchedule expression "PT": use an ISO-8601 duration such as PT6H.');
		}
	});

	test('tables that cannot be cached', async () => {
		const airports = await post(cachePath(), { catalogId: '846085284821991568', schemaName: 'public', tableName: 'airports' });
		expect(airports.status).toBe(400);
		expect(airports.data.errorCode).toBe('TABLE_NOT_CACHEABLE');
		const missing = await post(cachePath(), { ...CHARGES, tableName: 'refunds' });
		expect(missing.status).toBe(400);
		expect(missing.data.message).toBe("Table 'stripe.payment.refunds' does not exist");
	});

	test('triggers and cancels on an unknown cache', async () => {
		const trigger = await post(cachePath(`/${UNKNOWN_CACHE_ID}/fullRefreshUpdate`));
		expect(trigger.status).toBe(observed ? 400 : 404);
		if (observed) expect(trigger.data).toEqual({ error: 'WrongRequestException', message: 'Cache settings not found', errorCode: null });
		expect((await post(cachePath(`/${UNKNOWN_CACHE_ID}/cancelFullRefreshUpdate`))).status).toBe(404);
	});

	test('a cancel before the first full refresh record exists', async () => {
		const created = await post(cachePath(), CHARGES);
		const cancel = await post(cachePath(`/${created.data.id}/cancelFullRefreshUpdate`));
		if (observed) {
			expect(cancel.status).toBe(500);
			expect(cancel.data.message).toContain('getLastFullRefreshCacheExecution()');
			await pause(200);
			expect((await post(cachePath(`/${created.data.id}/cancelFullRefreshUpdate`))).status).toBe(200);
		} else {
			expect(cancel.status).toBe(200);
		}
		const status = (await http.get(cachePath(`/${created.data.id}/status`))).data;
		expect(status.status).toBe('CANCELLED');
		expect(status.lastFullRefreshCacheExecution.status).toBe('CANCELLED');
		expect((await post(cachePath(`/${created.data.id}/cancelFullRefreshUpdate`))).status).toBe(404);
	});

	test('the two execution records are independent', async () => {
		const created = await post(cachePath(), { ...CHARGES, incrementalCacheSchedule: { type: 'BASIC', expression: 'PT1H' } });
		await waitForJobs(created.data.id);
		expect((await post(cachePath(`/${created.data.id}/fullRefreshUpdate`))).status).toBe(200);
		await pause(200);
		const status = (await http.get(cachePath(`/${created.data.id}/status`))).data;
		expect(status.status).toBe('RUNNING');
		expect(status.lastIncrementalCacheExecution.status).toBe('COMPLETED');
		expect(status.lastFullRefreshCacheExecution.status).toBe('RUNNING');
		expect(status.lastFullRefreshCacheExecution.finishedAt).toBeUndefined();
	});

	test('an arranged failure shows in the record and the history', async () => {
		const created = await post(cachePath(), CHARGES);
		await waitForJobs(created.data.id);
		emulator.jobs.arrange({ kind: 'cache-incremental', target: created.data.id, outcome: 'fail', message: 'Stripe answered 502' });
		await post(cachePath(`/${created.data.id}/incrementalUpdate`));
		await waitForJobs(created.data.id);
		const status = (await http.get(cachePath(`/${created.data.id}/status`))).data;
		expect(status.status).toBe('FAILED');
		expect(status.lastIncrementalCacheExecution).toMatchObject({ status: 'FAILED', error: { message: 'Stripe answered 502' } });
		const history = (await http.get(cachePath(`/${created.data.id}/executionHistory`))).data;
		expect(history.map((entry) => [entry.executionMode, entry.status])).toEqual([
			['INCREMENTAL', 'FAILED'],
			['FULL_REFRESH', 'COMPLETED'],
		]);
		const paged = (await http.get(cachePath(`/${created.data.id}/executionHistory`), { params: { limit: 1, offset: 1 } })).data;
		expect(paged.map((entry) => entry.executionMode)).toEqual(['FULL_REFRESH']);
		expect((await http.get(cachePath(`/${created.data.id}/executionHistory`), { params: { limit: 'x' } })).status).toBe(400);
	});

	test('status listings by catalog and schema', async () => {
		const created = await post(cachePath(), CHARGES);
		const byCatalog = await http.get(`/data/projects/${emulator.projectId}/catalog/${STRIPE_CATALOG_ID}/cache/status`);
		expect(byCatalog.data.map((status) => status.id)).toEqual([created.data.id]);
		const bySchema = await http.get(`/data/projects/${emulator.projectId}/catalog/${STRIPE_CATALOG_ID}/schema/payment/cache/status`);
		expect(bySchema.status).toBe(observed ? 500 : 200);
		if (!observed) expect(bySchema.data.map((status) => status.id)).toEqual([created.data.id]);
	});

	test('delete cancels the syncs and uncaches the table', async () => {
		const created = await post(cachePath(), CHARGES);
		const [job] = emulator.jobs.list({ target: created.data.id });
		expect((await http.delete(cachePath(`/${created.data.id}`))).status).toBe(200);
		expect(emulator.jobs.state(job)).toBe('CANCELLED');
		expect(emulator.jobs.list({ target: created.data.id })).toEqual([]);
		expect(emulator.engine.project(emulator.projectId).cachedTables.has('stripe.payment.charges')).toBe(false);
		expect((await http.get(cachePath(`/${created.data.id}`))).status).toBe(404);
	});
});

describe('job durations set in-process', () => {
	test('cacheSyncMs and materializedRefreshMs replace the defaults', async () => {
		const emulator = await startEmulator({ eventsRows: 10, cacheSyncMs: 120, materializedRefreshMs: 80 });
		try {
			const http = axios.create({ baseURL: emulator.baseUrl, validateStatus: () => true, headers: { Authorization: `Bearer ${emulator.partnerKey}` } });
			const projectPath = (suffix) => `/data/projects/${emulator.projectId}${suffix}`;
			const cache = (await http.post(projectPath('/cache'), CHARGES)).data;
			const [sync] = emulator.jobs.list({ target: cache.id });
			expect(sync.durationMs).toBe(120);

			const query = (await http.post(projectPath('/queries'), { displayName: 'quickRefresh', inputQuery: 'SELECT 1 AS one', queryType: 'MATERIALIZED' })).data;
			await http.post(projectPath(`/materialized-queries/${query.id}/refresh`), undefined, { headers: { 'Content-Type': false } });
			const [refresh] = emulator.jobs.list({ kind: 'materialized', target: query.id });
			expect(refresh.durationMs).toBe(80);
		} finally {
			await emulator.close();
		}
	});
});
