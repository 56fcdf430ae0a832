'use strict';

/**
 * The emulator's job registry: states over a fake clock, job speed, cancellation, arranged
 * outcomes, history order, and the /__emulator/jobs admin endpoints.
 */

const axios = require('axios');

const { createJobs } = require('../../emulator/src/jobs.js');
const { startEmulator } = require('../../emulator/src/index.js');

function fakeClock(start = 1_000_000) {
	let time = start;
	const now = () => time;
	now.advance = (ms) => { time += ms; };
	return now;
}

describe('jobs registry', () => {
	test('moves from PENDING to RUNNING to SUCCESS over time', () => {
		const now = fakeClock();
		const jobs = createJobs({ now });
		const job = jobs.start({ kind: 'cache-full', target: 'c1', durationMs: 2000, projectId: 'p1' });
		expect(job).toMatchObject({ kind: 'cache-full', target: 'c1', projectId: 'p1', requestedAt: 1_000_000, startedAt: 1_000_200, finishedAt: null, outcome: 'success' });
		expect(jobs.state(job)).toBe('PENDING');
		now.advance(199);
		expect(jobs.state(job)).toBe('PENDING');
		now.advance(1);
		expect(jobs.state(job)).toBe('RUNNING');
		now.advance(1799);
		expect(jobs.state(job)).toBe('RUNNING');
		now.advance(1);
		expect(jobs.state(job)).toBe('SUCCESS');
		expect(job.finishedAt).toBe(1_002_000);
		expect(jobs.progress(job)).toBe(1);
	});

	test('job speed divides the duration', () => {
		const now = fakeClock();
		const jobs = createJobs({ now, jobSpeed: 10 });
		const job = jobs.start({ kind: 'export', target: 'e1', durationMs: 2000 });
		now.advance(199);
		expect(jobs.state(job)).toBe('RUNNING');
		now.advance(1);
		expect(jobs.state(job)).toBe('SUCCESS');
	});

	test('rejects a job speed that is not positive', () => {
		expect(() => createJobs({ jobSpeed: 0 })).toThrow('Invalid jobSpeed 0');
		expect(() => createJobs({ jobSpeed: -2 })).toThrow('Invalid jobSpeed -2');
	});

	test('cancel ends a running job and not a finished one', () => {
		const now = fakeClock();
		const jobs = createJobs({ now });
		const job = jobs.start({ kind: 'materialized', target: 'q1', durationMs: 1000 });
		now.advance(500);
		expect(jobs.cancel(job)).toBe(true);
		expect(jobs.state(job)).toBe('CANCELLED');
		expect(job.finishedAt).toBe(1_000_500);
		now.advance(5000);
		expect(jobs.state(job)).toBe('CANCELLED');

		const done = jobs.start({ kind: 'materialized', target: 'q1', durationMs: 1000 });
		now.advance(1000);
		expect(jobs.cancel(done)).toBe(false);
		expect(jobs.state(done)).toBe('SUCCESS');
	});

	test('arranged outcomes apply to the matching kind and target only', () => {
		const now = fakeClock();
		const jobs = createJobs({ now });
		jobs.arrange({ kind: 'cache-full', target: 'c2', outcome: 'fail', message: 'Stripe answered 502' });
		jobs.arrange({ kind: 'cache-incremental', outcome: 'hang' });
		jobs.arrange({ kind: 'export', outcome: 'cancel', times: 2 });

		const other = jobs.start({ kind: 'cache-full', target: 'c1', durationMs: 100 });
		const failing = jobs.start({ kind: 'cache-full', target: 'c2', durationMs: 100 });
		const again = jobs.start({ kind: 'cache-full', target: 'c2', durationMs: 100 });
		const hanging = jobs.start({ kind: 'cache-incremental', target: 'c9', durationMs: 100 });
		const cancelled = [jobs.start({ kind: 'export', target: 'e1', durationMs: 100 }), jobs.start({ kind: 'export', target: 'e2', durationMs: 100 })];
		const third = jobs.start({ kind: 'export', target: 'e3', durationMs: 100 });
		now.advance(1_000_000);

		expect(jobs.state(other)).toBe('SUCCESS');
		expect(jobs.state(failing)).toBe('FAILED');
		expect(failing.message).toBe('Stripe answered 502');
		expect(jobs.state(again)).toBe('SUCCESS');
		expect(jobs.state(hanging)).toBe('RUNNING');
		expect(hanging.finishedAt).toBeNull();
		expect(cancelled.map((job) => jobs.state(job))).toEqual(['CANCELLED', 'CANCELLED']);
		expect(jobs.state(third)).toBe('SUCCESS');
		expect(jobs.arrangements()).toEqual([]);
	});

	test('rejects an arrangement with an unknown outcome', () => {
		const jobs = createJobs();
		expect(() => jobs.arrange({ kind: 'export', outcome: 'explode' })).toThrow("'outcome' must be one of fail, hang, cancel, got \"explode\"");
		expect(() => jobs.arrange({ outcome: 'fail' })).toThrow("'kind' must be a non-empty string");
		expect(() => jobs.arrange({ kind: 'export', outcome: 'fail', times: 0 })).toThrow("'times' must be an integer of at least 1");
	});

	test('list and latest return newest first with filters', () => {
		const now = fakeClock();
		const jobs = createJobs({ now });
		const first = jobs.start({ kind: 'cache-full', target: 'c1', projectId: 'p1' });
		now.advance(10);
		const second = jobs.start({ kind: 'cache-incremental', target: 'c1', projectId: 'p1' });
		now.advance(10);
		const third = jobs.start({ kind: 'cache-full', target: 'c2', projectId: 'p2' });
		expect(jobs.list().map((job) => job.id)).toEqual([third.id, second.id, first.id]);
		expect(jobs.list({ target: 'c1' }).map((job) => job.id)).toEqual([second.id, first.id]);
		expect(jobs.list({ kind: ['cache-full', 'cache-incremental'], projectId: 'p1' }).map((job) => job.id)).toEqual([second.id, first.id]);
		expect(jobs.latest({ kind: 'cache-full' }).id).toBe(third.id);
		expect(jobs.latest({ kind: 'metadata' })).toBeNull();
		expect(jobs.forget({ target: 'c1' })).toBe(2);
		expect(jobs.list().map((job) => job.id)).toEqual([third.id]);
	});

	test('onSettle runs once, at the first read after the end', () => {
		const now = fakeClock();
		const jobs = createJobs({ now });
		const settled = [];
		const job = jobs.start({ kind: 'materialized', target: 'q1', durationMs: 100, onSettle: (record, state) => settled.push([record.id, state]) });
		jobs.state(job);
		expect(settled).toEqual([]);
		now.advance(100);
		jobs.state(job);
		jobs.state(job);
		expect(settled).toEqual([[job.id, 'SUCCESS']]);
		jobs.close();
	});

	test('onSettle runs by timer without a read', async () => {
		const jobs = createJobs({ jobSpeed: 100 });
		const settled = [];
		jobs.start({ kind: 'materialized', target: 'q1', durationMs: 1000, onSettle: (record, state) => settled.push(state) });
		// The job ends after 10 ms; a loaded machine may run the timer late, so wait up to 2 s.
		const deadline = Date.now() + 2000;
		while (settled.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
		expect(settled).toEqual(['SUCCESS']);
		jobs.close();
	});
});

describe('jobs admin endpoints', () => {
	let emulator;
	let admin;

	beforeAll(async () => {
		emulator = await startEmulator({ eventsRows: 10, jobSpeed: 50 });
		admin = axios.create({ baseURL: emulator.adminUrl, validateStatus: () => true });
	});
	afterAll(async () => {
		await emulator?.close();
	});

	test('arrange, list and clear', async () => {
		const arranged = await admin.post('/jobs', { kind: 'cache-full', target: 'abc', outcome: 'fail', message: 'boom' });
		expect(arranged.status).toBe(200);
		expect(arranged.data).toEqual({ kind: 'cache-full', target: 'abc', outcome: 'fail', message: 'boom', remaining: 1 });

		const job = emulator.jobs.start({ kind: 'cache-full', target: 'abc', projectId: emulator.projectId });
		const listed = await admin.get('/jobs', { params: { target: 'abc' } });
		expect(listed.data.jobs).toHaveLength(1);
		expect(listed.data.jobs[0]).toMatchObject({ id: job.id, outcome: 'fail', message: 'boom' });
		expect(['PENDING', 'RUNNING']).toContain(listed.data.jobs[0].state);

		await admin.post('/jobs', [{ kind: 'export', outcome: 'hang' }, { kind: 'metadata', outcome: 'cancel', times: 3 }]);
		expect((await admin.get('/jobs')).data.arrangements).toHaveLength(2);
		expect((await admin.delete('/jobs')).data).toEqual({ removed: 2 });
		expect((await admin.get('/jobs')).data.arrangements).toEqual([]);
	});

	test('rejects a bad arrangement with 400', async () => {
		const response = await admin.post('/jobs', { kind: 'export', outcome: 'later' });
		expect(response.status).toBe(400);
		expect(response.data.message).toContain("'outcome' must be one of fail, hang, cancel");
		const batch = await admin.post('/jobs', [{ kind: 'export', outcome: 'fail' }, { kind: 'export' }]);
		expect(batch.status).toBe(400);
		expect((await admin.get('/jobs')).data.arrangements).toEqual([]);
	});

	test('uses the job speed given at start', () => {
		expect(emulator.jobs.jobSpeed).toBe(50);
	});
});
