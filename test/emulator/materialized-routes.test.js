'use strict';

/**
 * The emulator's materialized query routes in both behaviours: the status of a new query, a
 * refresh that rebuilds peaka.mtquery.<name> only when it succeeds, the previous status kept
 * while a refresh is queued (observed), both spellings of a cancelled run, and unknown ids.
 * Refreshes run at speed 10, so a 10 s refresh takes 1 s and stays PENDING for 100 ms.
 */

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index.js');

const JOB_SPEED = 10;
const EVENTS_ROWS = 10;
const UNKNOWN_QUERY_ID = '709922802836177297';

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(['spec', 'observed'])('materialized query routes in %s behaviour', (behaviour) => {
	let emulator;
	let http;
	let counter = 0;
	const observed = behaviour === 'observed';
	const projectPath = (suffix) => `/data/projects/${emulator.projectId}${suffix}`;
	const post = (url) => http.post(url, undefined, { headers: { 'Content-Type': false } });

	beforeAll(async () => {
		emulator = await startEmulator({ behaviour, eventsRows: EVENTS_ROWS, jobSpeed: JOB_SPEED });
		http = axios.create({ baseURL: emulator.baseUrl, validateStatus: () => true, headers: { Authorization: `Bearer ${emulator.partnerKey}` } });
	});
	afterAll(async () => {
		await emulator?.close();
	});
	afterEach(() => emulator.jobs.clearArrangements());

	async function createMaterialized(schedule = null) {
		counter += 1;
		const response = await http.post(projectPath('/queries'), {
			displayName: `eventCount${counter}`,
			inputQuery: 'SELECT count(*) AS n FROM datasets.public.events',
			queryType: 'MATERIALIZED',
			schedule,
		});
		expect(response.status).toBe(200);
		return response.data;
	}
	const status = async (queryId) => (await http.get(projectPath(`/materialized-queries/${queryId}/status`))).data;
	const storedCount = async (name) => Number((await emulator.engine.query(emulator.projectId, `SELECT n FROM peaka.mtquery."${name}"`))[0].n);
	async function waitForFinal(queryId) {
		const deadline = Date.now() + 3000;
		for (;;) {
			const [job] = emulator.jobs.list({ kind: 'materialized', target: queryId });
			if (['SUCCESS', 'FAILED', 'CANCELLED'].includes(emulator.jobs.state(job))) return status(queryId);
			if (Date.now() > deadline) throw new Error(`refresh of ${queryId} did not settle`);
			await pause(10);
		}
	}

	test('a new query is COMPLETED with null times', async () => {
		const query = await createMaterialized({ type: 'interval', repeatDuration: 'PT6H' });
		const before = Date.now();
		const view = await status(query.id);
		expect(view).toMatchObject({
			queryId: query.id,
			queryName: query.name,
			status: 'COMPLETED',
			lastExecutionStartTime: null,
			lastUpdateTime: null,
			scheduleSettings: { type: 'interval', repeatDuration: 'PT6H' },
		});
		const next = Date.parse(view.nextExecutionStartTime);
		expect(next - before).toBeGreaterThan(6 * 3600 * 1000 - 1000);
		expect(next - before).toBeLessThan(6 * 3600 * 1000 + 1000);
	});

	test('a refresh rebuilds the stored result when it succeeds', async () => {
		const query = await createMaterialized();
		expect(await storedCount(query.name)).toBe(EVENTS_ROWS);
		await emulator.engine.insertEvents(emulator.projectId, [{ payload: 'x' }]);
		const requested = Date.now();
		expect((await post(projectPath(`/materialized-queries/${query.id}/refresh`))).status).toBe(200);

		const queued = await status(query.id);
		// Observed Peaka kept the previous run visible until the new one started.
		expect(queued.status).toBe(observed ? 'COMPLETED' : 'PENDING');
		expect(queued.lastExecutionStartTime).toBeNull();
		expect(await storedCount(query.name)).toBe(EVENTS_ROWS);

		const done = await waitForFinal(query.id);
		expect(done.status).toBe('COMPLETED');
		expect(Date.parse(done.lastExecutionStartTime)).toBeGreaterThanOrEqual(requested);
		expect(Date.parse(done.lastUpdateTime)).toBeGreaterThanOrEqual(Date.parse(done.lastExecutionStartTime));
		expect(await storedCount(query.name)).toBe(EVENTS_ROWS + 1);
		const all = (await http.get(projectPath('/materialized-queries/status'))).data;
		expect(all.find((entry) => entry.queryId === query.id)).toEqual(done);
	});

	test('a failed refresh keeps the old result', async () => {
		const query = await createMaterialized();
		const before = await storedCount(query.name);
		await emulator.engine.insertEvents(emulator.projectId, [{ payload: 'y' }]);
		emulator.jobs.arrange({ kind: 'materialized', target: query.id, outcome: 'fail' });
		await post(projectPath(`/materialized-queries/${query.id}/refresh`));
		expect((await waitForFinal(query.id)).status).toBe('FAILED');
		expect(await storedCount(query.name)).toBe(before);
	});

	test('cancel: idle 200, running ends in the behaviour\'s spelling', async () => {
		const query = await createMaterialized();
		expect((await post(projectPath(`/materialized-queries/${query.id}/cancel`))).status).toBe(200);
		expect((await status(query.id)).status).toBe('COMPLETED');
		emulator.jobs.arrange({ kind: 'materialized', target: query.id, outcome: 'hang' });
		await post(projectPath(`/materialized-queries/${query.id}/refresh`));
		await pause(150);
		expect((await status(query.id)).status).toBe('RUNNING');
		expect((await post(projectPath(`/materialized-queries/${query.id}/cancel`))).status).toBe(200);
		expect((await status(query.id)).status).toBe(observed ? 'CANCELED' : 'CANCELLED');
	});

	test('unknown and plain queries', async () => {
		const unknown = await http.get(projectPath(`/materialized-queries/${UNKNOWN_QUERY_ID}/status`));
		expect(unknown.status).toBe(observed ? 400 : 404);
		expect(unknown.data).toEqual({ errorCode: 100, message: `There is no query with id: ${UNKNOWN_QUERY_ID}` });
		const plain = (await http.post(projectPath('/queries'), { displayName: `plain${behaviour}`, inputQuery: 'SELECT 1' })).data;
		const refused = await post(projectPath(`/materialized-queries/${plain.id}/refresh`));
		expect(refused.status).toBe(400);
		expect(refused.data.message).toBe(`Query ${plain.id} is not a materialized query (queryType PLAIN).`);
		const listed = (await http.get(projectPath('/materialized-queries/status'))).data;
		expect(listed.map((entry) => entry.queryId)).not.toContain(plain.id);
	});
});
