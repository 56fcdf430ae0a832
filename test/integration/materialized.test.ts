import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { RunNodeResult } from '../harness/n8n-runner';
import { BEHAVIOURS, type Emulator, jsonOf, projectParameter, runPeaka, startPeaka } from './support';

/**
 * Saved queries of type MATERIALIZED (Query → Create and Update) and the Materialized Query
 * resource, run through n8n-core against the emulator in both behaviours. Refreshes run 100 times
 * faster than the emulator's 10 s default, so one takes 100 ms.
 */

const JOB_SPEED = 100;
const EVENTS_ROWS = 20;

interface Job {
	id: string;
	target: string;
}

interface Jobs {
	list(filter?: { kind?: string; target?: string }): Job[];
	state(job: Job): string;
	arrange(request: { kind: string; target?: string; outcome: 'fail' | 'hang' | 'cancel'; times?: number }): unknown;
	clearArrangements(): number;
}

interface SavedQueryRecord {
	id: string;
	name: string;
	inputQuery: string;
	queryType: string;
	schedule: IDataObject | null;
}

interface QueryEngine {
	savedQueries: { get(projectId: string, queryId: string): SavedQueryRecord | null };
	insertEvents(projectId: string, rows: Array<{ payload: string }>): Promise<unknown>;
	query(projectId: string, sql: string): Promise<Array<Record<string, unknown>>>;
}

const locator = (value: string): INodeParameters => ({ __rl: true, mode: 'id', value });

describe.each(BEHAVIOURS)('Materialized queries against the %s emulator', (behaviour) => {
	let emulator: Emulator;
	let jobs: Jobs;
	let engine: QueryEngine;
	let counter = 0;

	beforeAll(async () => {
		emulator = await startPeaka(behaviour, { eventsRows: EVENTS_ROWS, jobSpeed: JOB_SPEED });
		jobs = (emulator as unknown as { jobs: Jobs }).jobs;
		engine = emulator.engine as unknown as QueryEngine;
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => {
		emulator.faults.clearRequests();
		jobs.clearArrangements();
	});

	const ok = (result: RunNodeResult): IDataObject[] => {
		expect(result.error).toBeUndefined();
		return jsonOf(result.outputs[0]);
	};
	const project = () => projectParameter(emulator.projectId);
	const cancelledSpelling = behaviour === 'observed' ? 'CANCELED' : 'CANCELLED';

	async function createMaterialized(extra: INodeParameters = {}): Promise<IDataObject> {
		counter += 1;
		const [created] = ok(
			await runPeaka(emulator, {
				resource: 'query',
				operation: 'create',
				project: project(),
				displayName: `eventCount${counter}`,
				inputQuery: 'SELECT count(*) AS n FROM "datasets"."public"."events"',
				queryType: 'MATERIALIZED',
				...extra,
			}),
		);
		return created;
	}

	const materializedOperation = (operation: string, queryId: string, extra: INodeParameters = {}): INodeParameters => ({
		resource: 'materializedQuery',
		operation,
		project: project(),
		materializedQuery: locator(queryId),
		...extra,
	});
	const storedCount = async (name: string) =>
		Number((await engine.query(emulator.projectId, `SELECT n FROM peaka.mtquery."${name}"`))[0].n);

	it('creates from SQL with an interval schedule', async () => {
		const created = await createMaterialized({ scheduleType: 'interval', repeatDuration: 'pt12h' });
		expect(created).toMatchObject({ queryType: 'MATERIALIZED', schedule: { type: 'interval', repeatDuration: 'PT12H' } });
		const body = emulator.faults.requests().find((request) => request.method === 'POST')?.body;
		expect(body).toEqual({
			displayName: `eventCount${counter}`,
			inputQuery: 'SELECT count(*) AS n FROM "datasets"."public"."events"',
			queryType: 'MATERIALIZED',
			schedule: { type: 'interval', repeatDuration: 'PT12H' },
		});
		const record = engine.savedQueries.get(emulator.projectId, created.id as string);
		expect(record).toMatchObject({ queryType: 'MATERIALIZED', schedule: { type: 'interval', repeatDuration: 'PT12H' } });
		expect(await storedCount(record!.name)).toBe(EVENTS_ROWS);
	});

	it('creates from an existing query with a cron schedule', async () => {
		const [source] = ok(
			await runPeaka(emulator, {
				resource: 'query',
				operation: 'create',
				project: project(),
				displayName: 'penguinSpecies',
				inputQuery: 'SELECT DISTINCT species FROM "datasets"."public"."penguins"',
			}),
		);
		emulator.faults.clearRequests();
		const created = await createMaterialized({
			materializeFrom: 'existingQuery',
			sourceQuery: locator(source.id as string),
			scheduleType: 'cron',
			cronExpression: '0 2 * * 1-5',
			timezone: 'Europe/Istanbul',
		});
		const body = emulator.faults.requests().find((request) => request.method === 'POST')?.body;
		expect(body).toEqual({
			displayName: `eventCount${counter}`,
			queryType: 'MATERIALIZED',
			inputQueryRefId: source.id,
			schedule: { type: 'cron', cronExpression: '0 2 * * 1-5', timezone: 'Europe/Istanbul' },
		});
		expect(engine.savedQueries.get(emulator.projectId, created.id as string)).toMatchObject({
			inputQuery: 'SELECT DISTINCT species FROM "datasets"."public"."penguins"',
			schedule: { type: 'cron', cronExpression: '0 2 * * 1-5', timezone: 'Europe/Istanbul' },
		});
	});

	it('creates a plain query as before', async () => {
		ok(await runPeaka(emulator, { resource: 'query', operation: 'create', project: project(), displayName: 'plainOne', inputQuery: 'SELECT 1' }));
		expect(emulator.faults.requests()[0].body).toEqual({ displayName: 'plainOne', inputQuery: 'SELECT 1', queryType: 'PLAIN' });
	});

	it.each([
		[{ scheduleType: 'interval', repeatDuration: 'PT' }, "The 'Refresh Interval' parameter is not an ISO-8601 duration: 'PT'"],
		[{ scheduleType: 'interval', repeatDuration: '1 day' }, "The 'Refresh Interval' parameter is not an ISO-8601 duration: '1 day'"],
		[{ scheduleType: 'cron', cronExpression: '0 0 2 * * *' }, "The 'Cron Expression' parameter has 6 fields, but Peaka takes five: '0 0 2 * * *'"],
		[{ scheduleType: 'cron', cronExpression: '0 2 * * *', timezone: 'Mars/Olympus' }, "The 'Time Zone' parameter is not a known time zone: 'Mars/Olympus'"],
	])('rejects schedule %p before any request', async (schedule, message) => {
		const result = await runPeaka(emulator, {
			resource: 'query',
			operation: 'create',
			project: project(),
			displayName: 'neverSent',
			inputQuery: 'SELECT 1',
			queryType: 'MATERIALIZED',
			...schedule,
		});
		expect(result.error?.message).toBe(message);
		expect(emulator.faults.requests()).toEqual([]);
	});

	it('converts a plain query with Update and checks its schedule first', async () => {
		const [plain] = ok(
			await runPeaka(emulator, { resource: 'query', operation: 'create', project: project(), displayName: 'toConvert', inputQuery: 'SELECT 2 AS two' }),
		);
		emulator.faults.clearRequests();
		const update = (updateFields: IDataObject) =>
			runPeaka(emulator, { resource: 'query', operation: 'update', project: project(), savedQuery: locator(plain.id as string), updateFields: updateFields as INodeParameters });

		const rejected = await update({ queryType: 'MATERIALIZED', scheduleType: 'cron', cronExpression: '*/5 * * * * *' });
		expect(rejected.error?.message).toBe("The 'Cron Expression' parameter has 6 fields, but Peaka takes five: '*/5 * * * * *'");
		expect(emulator.faults.requests()).toEqual([]);

		const [converted] = ok(await update({ queryType: 'MATERIALIZED', scheduleType: 'cron', cronExpression: '30 6 * * *', timezone: 'utc' }));
		expect(converted).toMatchObject({ queryType: 'MATERIALIZED', schedule: { type: 'cron', cronExpression: '30 6 * * *', timezone: 'UTC' } });
		expect(emulator.faults.requests()[0].body).toEqual({
			queryType: 'MATERIALIZED',
			schedule: { type: 'cron', cronExpression: '30 6 * * *', timezone: 'UTC' },
		});
		expect(engine.savedQueries.get(emulator.projectId, plain.id as string)?.queryType).toBe('MATERIALIZED');
	});

	it('gets the status of one and of all', async () => {
		const created = await createMaterialized({ scheduleType: 'interval', repeatDuration: 'PT6H' });
		const [one] = ok(await runPeaka(emulator, materializedOperation('getStatus', created.id as string, { scope: 'one' })));
		expect(one).toMatchObject({
			queryId: created.id,
			queryName: created.name,
			status: 'COMPLETED',
			lastExecutionStartTime: null,
			scheduleSettings: { type: 'interval', repeatDuration: 'PT6H' },
		});
		const all = ok(await runPeaka(emulator, { resource: 'materializedQuery', operation: 'getStatus', project: project(), scope: 'all' }));
		expect(all.map((entry) => entry.queryId)).toContain(created.id);
		expect(all.every((entry) => typeof entry.queryName === 'string')).toBe(true);
	});

	it('refreshes, waits, and stores the new result', async () => {
		const created = await createMaterialized();
		const name = created.name as string;
		expect(await storedCount(name)).toBe(await currentEventCount());
		const before = await storedCount(name);
		await engine.insertEvents(emulator.projectId, [{ payload: 'a' }, { payload: 'b' }]);
		// The stored result stays as it was until a refresh.
		expect(await storedCount(name)).toBe(before);

		const requestTime = Date.now();
		const [final] = ok(
			await runPeaka(emulator, materializedOperation('refresh', created.id as string, { waitForCompletion: true, waitTimeout: 10 })),
		);
		expect(final).toMatchObject({ queryId: created.id, status: 'COMPLETED' });
		expect(Date.parse(final.lastExecutionStartTime as string)).toBeGreaterThanOrEqual(requestTime);
		expect(await storedCount(name)).toBe(before + 2);
		const [job] = jobs.list({ kind: 'materialized', target: created.id as string });
		expect(jobs.state(job)).toBe('SUCCESS');
	});

	it('a second refresh waits for its own run', async () => {
		const created = await createMaterialized();
		ok(await runPeaka(emulator, materializedOperation('refresh', created.id as string, { waitForCompletion: true, waitTimeout: 10 })));
		const [first] = jobs.list({ kind: 'materialized', target: created.id as string });
		jobs.arrange({ kind: 'materialized', target: created.id as string, outcome: 'fail' });

		// The first run's COMPLETED stays visible while the new one is queued; the wait must not end on it.
		const result = await runPeaka(emulator, materializedOperation('refresh', created.id as string, { waitForCompletion: true, waitTimeout: 10 }));
		expect(result.error?.message).toBe(`The refresh of materialized query '${created.name}' ended FAILED`);
		const [second] = jobs.list({ kind: 'materialized', target: created.id as string });
		expect(second.id).not.toBe(first.id);
	});

	it('an arranged cancel stops with the status in this behaviour\'s spelling', async () => {
		const created = await createMaterialized();
		jobs.arrange({ kind: 'materialized', target: created.id as string, outcome: 'cancel' });
		const result = await runPeaka(emulator, materializedOperation('refresh', created.id as string, { waitForCompletion: true, waitTimeout: 10 }));
		expect(result.error?.message).toBe(`The refresh of materialized query '${created.name}' ended ${cancelledSpelling}`);
	});

	it('a refresh that never finishes ends at the deadline', async () => {
		const created = await createMaterialized();
		jobs.arrange({ kind: 'materialized', target: created.id as string, outcome: 'hang' });
		const started = Date.now();
		const result = await runPeaka(emulator, materializedOperation('refresh', created.id as string, { waitForCompletion: true, waitTimeout: 1 }));
		expect(result.error?.message).toBe(
			`Timed out waiting for the refresh of materialized query '${created.name}': it did not finish within 1 s (last status: RUNNING)`,
		);
		expect(Date.now() - started).toBeLessThan(5000);
	});

	it('refreshes without waiting, then cancels', async () => {
		const created = await createMaterialized();
		jobs.arrange({ kind: 'materialized', target: created.id as string, outcome: 'hang' });
		const [started] = ok(await runPeaka(emulator, materializedOperation('refresh', created.id as string)));
		expect(started).toEqual({ queryId: created.id, refreshStarted: true });
		const [job] = jobs.list({ kind: 'materialized', target: created.id as string });
		expect(jobs.state(job)).not.toBe('CANCELLED');

		const [cancelled] = ok(await runPeaka(emulator, materializedOperation('cancel', created.id as string)));
		expect(cancelled).toEqual({ queryId: created.id, cancelRequested: true });
		expect(jobs.state(job)).toBe('CANCELLED');
		const [status] = ok(await runPeaka(emulator, materializedOperation('getStatus', created.id as string, { scope: 'one' })));
		expect(status.status).toBe(cancelledSpelling);
	});

	it('reports an unknown or plain query clearly', async () => {
		const unknown = await runPeaka(emulator, materializedOperation('refresh', '709922802836177297'));
		expect(unknown.error?.message).toBe(`Materialized query '709922802836177297' was not found in project '${emulator.projectId}'`);
		const [plain] = ok(
			await runPeaka(emulator, { resource: 'query', operation: 'create', project: project(), displayName: 'stillPlain', inputQuery: 'SELECT 3' }),
		);
		const result = await runPeaka(emulator, materializedOperation('getStatus', plain.id as string, { scope: 'one' }));
		expect(result.error?.message).toBe(`Saved query '${plain.id}' is not a materialized query`);
	});

	async function currentEventCount(): Promise<number> {
		return Number((await engine.query(emulator.projectId, 'SELECT count(*) AS n FROM datasets.public.events'))[0].n);
	}
});
