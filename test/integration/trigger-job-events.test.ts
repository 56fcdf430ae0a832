import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PeakaApi } from '../../credentials/PeakaApi.credentials';
import { PeakaTrigger } from '../../nodes/PeakaTrigger/PeakaTrigger.node';
import { expectRequestsMatchSpec, type LoggedRequest } from '../contract/openapi';
import { createPoller, type PollResult } from '../harness/n8n-runner';
import { credentialsFor, type Emulator, projectParameter, type RequestRecord, startPeaka } from './support';

const STRIPE_CATALOG_ID = '846085284821991569';
const DATASETS_CATALOG_ID = '846085284821991568';
/** Jobs run this many times faster than Peaka's pace: a cache sync takes 1.5 s, an export 0.1 s. */
const JOB_SPEED = 20;
const WAIT_LIMIT_MS = 10_000;
const WAIT_STEP_MS = 50;

describe('Peaka Trigger: job events against the emulator', () => {
	let emulator: Emulator;

	beforeAll(async () => {
		emulator = await startPeaka('spec', { eventsRows: 20, jobSpeed: JOB_SPEED });
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => emulator.faults.clearRequests());
	afterEach(() => {
		// Requests the test itself sends go through the same log; all must be documented ones.
		expectRequestsMatchSpec(emulator.faults.requests() as Array<RequestRecord & LoggedRequest>);
	});

	async function api(method: string, path: string, body?: unknown): Promise<IDataObject> {
		const response = await fetch(`${emulator.baseUrl}${path}`, {
			method,
			headers: { Authorization: `Bearer ${emulator.partnerKey}`, 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
		return (text === '' ? {} : JSON.parse(text)) as IDataObject;
	}

	async function arrange(arrangement: IDataObject): Promise<void> {
		const response = await fetch(`${emulator.adminUrl}/jobs`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(arrangement),
		});
		expect(response.status).toBe(200);
	}

	async function waitFor(read: () => Promise<IDataObject>, done: (value: IDataObject) => boolean): Promise<IDataObject> {
		const deadline = Date.now() + WAIT_LIMIT_MS;
		for (;;) {
			const value = await read();
			if (done(value)) return value;
			if (Date.now() > deadline) throw new Error(`Gave up waiting; last read ${JSON.stringify(value)}`);
			await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
		}
	}

	const project = () => `/data/projects/${emulator.projectId}`;
	const trigger = (event: string, extra: INodeParameters = {}) =>
		createPoller({
			nodeType: PeakaTrigger,
			credentialTypes: [PeakaApi],
			credentials: { peakaApi: credentialsFor(emulator) },
			parameters: { event, project: projectParameter(emulator.projectId), ...extra },
		});
	const emitted = (result: PollResult): IDataObject[] => (result.items?.[0] ?? []).map((item) => item.json);

	it('emits each cache sync that ended once, completed and failed', async () => {
		const poller = trigger('cacheSyncFinished');
		expect((await poller.poll()).items).toBeNull();

		const cache = await api('POST', `${project()}/cache`, { catalogId: STRIPE_CATALOG_ID, schemaName: 'payment', tableName: 'charges' });
		const status = () => api('GET', `${project()}/cache/${String(cache.id)}/status?excludeLogs=true`);
		const firstSync = await waitFor(status, (value) => value.status === 'COMPLETED');

		const completed = await poller.poll();
		const quiet = await poller.poll();

		const execution = (firstSync.lastFullRefreshCacheExecution ?? firstSync.lastIncrementalCacheExecution) as IDataObject;
		expect(emitted(completed)).toEqual([
			expect.objectContaining({
				event: 'cacheSyncFinished',
				status: 'COMPLETED',
				cacheId: cache.id,
				catalogId: STRIPE_CATALOG_ID,
				schemaName: 'payment',
				tableName: 'charges',
				executionId: execution.id,
			}),
		]);
		expect(quiet.items).toBeNull();

		await arrange({ kind: 'cache-incremental', target: String(cache.id), outcome: 'fail', message: 'Stripe said no' });
		await api('POST', `${project()}/cache/${String(cache.id)}/incrementalUpdate`);
		const running = await poller.poll();
		await waitFor(status, (value) => (value.lastIncrementalCacheExecution as IDataObject | undefined)?.status === 'FAILED');
		const failed = await poller.poll();

		expect(running.items).toBeNull();
		expect(emitted(failed)).toEqual([
			expect.objectContaining({ status: 'FAILED', cacheId: cache.id, executionMode: 'INCREMENTAL' }),
		]);
		expect((emitted(failed)[0].execution as IDataObject).error).toEqual({ message: 'Stripe said no' });
		expect((await poller.poll()).items).toBeNull();
	});

	it('emits each materialized query run once, by its new start time', async () => {
		const query = await api('POST', `${project()}/queries`, {
			displayName: 'eventcount',
			inputQuery: 'SELECT count(*) AS events FROM "datasets"."public"."events"',
			queryType: 'MATERIALIZED',
		});
		const poller = trigger('materializedQueryRefreshed', { materializedQueryId: String(query.id) });
		expect((await poller.poll()).items).toBeNull();
		const status = () => api('GET', `${project()}/materialized-queries/${String(query.id)}/status`);

		const runs: IDataObject[][] = [];
		let previousStart: unknown = null;
		for (let run = 0; run < 2; run++) {
			await api('POST', `${project()}/materialized-queries/${String(query.id)}/refresh`);
			const settled = await waitFor(
				status,
				(value) => value.status === 'COMPLETED' && value.lastExecutionStartTime !== null && value.lastExecutionStartTime !== previousStart,
			);
			previousStart = settled.lastExecutionStartTime;
			runs.push(emitted(await poller.poll()));
			expect((await poller.poll()).items).toBeNull();
		}

		expect(runs.map((items) => items.map((item) => [item.queryId, item.status]))).toEqual([
			[[query.id, 'COMPLETED']],
			[[query.id, 'COMPLETED']],
		]);
		expect(runs[0][0].lastExecutionStartTime).not.toBe(runs[1][0].lastExecutionStartTime);
	});

	it('emits each export that ended once', async () => {
		const poller = trigger('exportFinished');
		expect((await poller.poll()).items).toBeNull();

		const submitted = await api('POST', `${project()}/catalogs/${DATASETS_CATALOG_ID}/schemas/public/tables/events/exports`, {
			format: 'CSV',
			limit: 5,
		});
		await waitFor(() => api('GET', `${project()}/exports/${String(submitted.id)}`), (value) => value.status === 'SUCCEEDED');

		const finished = await poller.poll();
		const quiet = await poller.poll();

		expect(emitted(finished)).toEqual([
			expect.objectContaining({ event: 'exportFinished', id: submitted.id, status: 'SUCCEEDED', rowCount: 5 }),
		]);
		expect(quiet.items).toBeNull();
	});

	it('emits a metadata refresh it saw running once it ends', async () => {
		const poller = trigger('metadataRefreshFinished', { catalog: { __rl: true, mode: 'id', value: DATASETS_CATALOG_ID } });
		expect((await poller.poll()).items).toBeNull();

		await arrange({ kind: 'metadata', target: DATASETS_CATALOG_ID, outcome: 'hang' });
		await api('POST', `/metadata/${emulator.projectId}/refresh`, { catalogId: DATASETS_CATALOG_ID });
		const running = await poller.poll();
		await api('POST', `/metadata/${emulator.projectId}/refresh`, { catalogId: DATASETS_CATALOG_ID });
		await waitFor(
			() => api('GET', `/metadata/${emulator.projectId}/refresh/${DATASETS_CATALOG_ID}`),
			(value) => value.status === 'COMPLETED',
		);
		const finished = await poller.poll();

		expect(running.items).toBeNull();
		expect(emitted(finished)).toEqual([
			expect.objectContaining({ event: 'metadataRefreshFinished', catalogId: DATASETS_CATALOG_ID, status: 'COMPLETED' }),
		]);
		expect(['ACTIVE', 'WAITING']).toContain(emitted(finished)[0].previousStatus);
		expect((await poller.poll()).items).toBeNull();
	});

	it('shows the newest finished job in a manual run and keeps its notes', async () => {
		const poller = trigger('exportFinished');
		await poller.poll();
		const notes = poller.staticData;

		const manual = await poller.poll({ mode: 'manual' });

		expect(emitted(manual)).toEqual([expect.objectContaining({ event: 'exportFinished', status: 'SUCCEEDED' })]);
		expect(poller.staticData).toEqual(notes);
	});
});
