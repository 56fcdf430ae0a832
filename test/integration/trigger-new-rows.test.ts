import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { expectRequestsMatchSpec, type LoggedRequest } from '../contract/openapi';
import type { PollResult } from '../harness/n8n-runner';
import { type Emulator, eventsTriggerParameters, projectParameter, type RequestRecord, startPeaka, triggerPoller } from './support';

const EXISTING_ROWS = 1_500;
const LARGE_TABLE_ROWS = 3_000_000;
const EXECUTE_PATH = '/data/projects/*/queries/execute';

interface EventsEngine {
	insertEvents(projectId: string, rows: Array<{ created_at?: string; payload?: string }>): Promise<Array<{ id: string; created_at: string }>>;
}

const locator = (value: string): INodeParameters => ({ __rl: true, mode: 'id', value });

const eventsTrigger = eventsTriggerParameters;
const pollerFor = triggerPoller;

const emittedIds = (result: PollResult): string[] => (result.items?.[0] ?? []).map((item) => String(item.json.id));
const cursorOf = (staticData: IDataObject) => (staticData.newRowsCursor as IDataObject | undefined)?.position;
const executeRequests = (emulator: Emulator): RequestRecord[] =>
	emulator.faults.requests().filter((request) => request.path.endsWith('/queries/execute'));

describe('Peaka Trigger: New Rows on the events table', () => {
	let emulator: Emulator;
	let engine: EventsEngine;
	// The watermark must grow for new rows, so rows without a time get one after every earlier row.
	let minute = 0;
	const nextTime = () => {
		minute += 1;
		return `2045-01-01 ${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`;
	};
	const insert = async (rows: Array<{ created_at?: string; payload?: string }>) =>
		await engine.insertEvents(
			emulator.projectId,
			rows.map((row) => ({ created_at: row.created_at ?? nextTime(), ...row })),
		);

	beforeAll(async () => {
		emulator = await startPeaka('spec', { eventsRows: EXISTING_ROWS });
		engine = emulator.engine as EventsEngine;
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => {
		emulator.faults.reset();
		emulator.faults.clearRequests();
	});
	afterEach(() => {
		// Every request the node sent must be one Peaka's OpenAPI file documents, body and all. A
		// request a fault answered is logged before its body was read, so it has none to check.
		const answered = emulator.faults.requests().filter((request) => !(request as { fault?: unknown }).fault);
		expectRequestsMatchSpec(answered as Array<RequestRecord & LoggedRequest>);
	});

	it('starts from now on activation', async () => {
		const poller = pollerFor(emulator, eventsTrigger(emulator));

		const activation = await poller.activate();
		const first = await poller.poll();
		const second = await poller.poll();

		expect(activation.items).toBeNull();
		expect(activation.error).toBeUndefined();
		expect(first.items).toBeNull();
		expect(second.items).toBeNull();
		// n8n keeps no cursor from the activation poll; the first scheduled poll stores it.
		expect(cursorOf(first.staticData)).toEqual({
			watermark: { value: '2024-01-01 00:24:59.000000', type: 'timestamp(6)' },
			tieBreaker: { value: String(EXISTING_ROWS), type: 'bigint' },
		});
		expect(second.staticData).toEqual(first.staticData);
	});

	it('emits three rows sharing one watermark value exactly once', async () => {
		const poller = pollerFor(emulator, eventsTrigger(emulator));
		await poller.poll();

		const inserted = await insert([
			{ created_at: '2030-01-01 10:00:00', payload: 'a' },
			{ created_at: '2030-01-01 10:00:00', payload: 'b' },
			{ created_at: '2030-01-01 10:00:00', payload: 'c' },
		]);
		const withRows = await poller.poll();
		const after = await poller.poll();

		expect(withRows.error).toBeUndefined();
		expect(withRows.items?.[0].map((item) => item.json)).toEqual(
			inserted.map((row, index) => ({
				id: row.id,
				created_at: '2030-01-01 10:00:00.000000',
				payload: ['a', 'b', 'c'][index],
			})),
		);
		expect(after.items).toBeNull();
		expect(cursorOf(after.staticData)).toEqual({
			watermark: { value: '2030-01-01 10:00:00.000000', type: 'timestamp(6)' },
			tieBreaker: { value: inserted[2].id, type: 'bigint' },
		});
	});

	it('splits tied watermarks by tie-breaker', async () => {
		const poller = pollerFor(emulator, eventsTrigger(emulator, { maxRowsPerPoll: 2 }));
		await poller.poll();

		const inserted = await insert([
			{ created_at: '2031-06-01 00:00:00', payload: 'x1' },
			{ created_at: '2031-06-01 00:00:00', payload: 'x2' },
			{ created_at: '2031-06-01 00:00:00', payload: 'x3' },
			{ created_at: '2031-06-01 00:00:01', payload: 'x4' },
		]);
		const polls = [await poller.poll(), await poller.poll(), await poller.poll()];

		expect(polls.map(emittedIds)).toEqual([[inserted[0].id, inserted[1].id], [inserted[2].id, inserted[3].id], []]);
		const lastRequest = executeRequests(emulator).at(-1)?.body as IDataObject;
		expect(lastRequest.bindings).toEqual(['2031-06-01 00:00:01.000000', '2031-06-01 00:00:01.000000', inserted[3].id]);
	});

	it('survives a restart from saved static data', async () => {
		const parameters = eventsTrigger(emulator);
		const before = pollerFor(emulator, parameters);
		await before.poll();
		const firstBatch = await insert([{ payload: 'before restart 1' }, { payload: 'before restart 2' }]);
		const beforeRestart = await before.poll();
		const saved = JSON.stringify(before.staticData);

		const secondBatch = await insert([{ payload: 'during restart' }]);
		const after = pollerFor(emulator, parameters, { staticData: JSON.parse(saved) as IDataObject });
		const afterRestart = await after.poll();
		const quiet = await after.poll();

		expect(emittedIds(beforeRestart)).toEqual(firstBatch.map((row) => row.id));
		expect(emittedIds(afterRestart)).toEqual(secondBatch.map((row) => row.id));
		expect(quiet.items).toBeNull();
	});

	it('keeps the cursor after a failed poll', async () => {
		const poller = pollerFor(emulator, eventsTrigger(emulator));
		await poller.poll();
		const cursorBefore = poller.staticData;
		const inserted = await insert([{ payload: 'f1' }, { payload: 'f2' }]);

		// Enough 500s to outlast the transport's retries of an idempotent request.
		emulator.faults.add({ method: 'POST', path: EXECUTE_PATH, status: 500, times: 10 });
		const failed = await poller.poll();
		emulator.faults.reset();
		const recovered = await poller.poll();

		expect(failed.items).toBeNull();
		expect(failed.error).toMatchObject({ name: 'NodeApiError', httpCode: '500' });
		expect(failed.staticData).toEqual(cursorBefore);
		expect(failed.staticDataStored).toBe(false);
		expect(emittedIds(recovered)).toEqual(inserted.map((row) => row.id));
	});

	it('samples without moving the cursor manually', async () => {
		const poller = pollerFor(emulator, eventsTrigger(emulator));
		await poller.poll();
		const stored = poller.staticData;
		const [row] = await insert([{ created_at: '2050-01-01 00:00:00', payload: 'sample' }]);

		const manual = await poller.poll({ mode: 'manual' });
		const scheduled = await poller.poll();

		expect(manual.error).toBeUndefined();
		expect(manual.items?.[0].map((item) => item.json)).toEqual([
			{ id: row.id, created_at: '2050-01-01 00:00:00.000000', payload: 'sample' },
		]);
		expect(manual.staticData).toEqual(stored);
		expect(emittedIds(scheduled)).toEqual([row.id]);
	});

	it('pages through existing rows when included', async () => {
		const poller = pollerFor(emulator, eventsTrigger(emulator, { includeExistingRows: true, maxRowsPerPoll: 1_000 }));

		const polls: PollResult[] = [];
		for (let poll = 0; poll < 10; poll++) {
			const result = await poller.poll();
			polls.push(result);
			if (result.items === null) break;
		}

		const counts = polls.map((result) => emittedIds(result).length);
		const total = counts.reduce((sum, count) => sum + count, 0);
		const ids = polls.flatMap(emittedIds);
		expect(counts[0]).toBe(1_000);
		expect(counts.at(-1)).toBe(0);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.slice(0, 3)).toEqual(['1', '2', '3']);
		expect(total).toBe(ids.length);
		// One query per poll, and the last row emitted is the newest row of the table.
		expect(executeRequests(emulator)).toHaveLength(polls.length);
		expect(Number(ids.at(-1))).toBe(Math.max(...ids.map(Number)));
	});

	it('watches a saved query and keeps a watermark past 2^53 exact', async () => {
		const created = await fetch(`${emulator.baseUrl}/data/projects/${emulator.projectId}/queries`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${emulator.partnerKey}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({
				displayName: 'bigevents',
				inputQuery: 'SELECT id + 9007199254740990 AS big_id, payload FROM "datasets"."public"."events"',
				queryType: 'PLAIN',
			}),
		});
		const query = (await created.json()) as { id: string };
		const poller = pollerFor(emulator, {
			event: 'newRows',
			project: projectParameter(emulator.projectId),
			source: 'savedQuery',
			savedQuery: locator(String(query.id)),
			watermarkColumn: 'big_id',
			tieBreakerColumn: 'big_id',
		});
		await poller.poll();
		const inserted = await insert([{ payload: 'big 1' }, { payload: 'big 2' }]);

		const result = await poller.poll();

		const expected = inserted.map((row) => (BigInt(row.id) + 9007199254740990n).toString());
		expect(result.items?.[0].map((item) => item.json)).toEqual([
			{ big_id: expected[0], payload: 'big 1' },
			{ big_id: expected[1], payload: 'big 2' },
		]);
		expect(cursorOf(result.staticData)).toEqual({
			watermark: { value: expected[1], type: 'bigint' },
			tieBreaker: { value: expected[1], type: 'bigint' },
		});
		const statement = String((executeRequests(emulator).at(-1)?.body as IDataObject).statement);
		expect(statement).toContain('FROM "peaka"."query"."bigevents"');
	});

	it('rejects an unknown watermark column', async () => {
		const poller = pollerFor(emulator, eventsTrigger(emulator, { watermarkColumn: 'updated_at' }));

		const result = await poller.poll();

		expect(result.items).toBeNull();
		expect(String((result.error as Error).message)).toContain('updated_at');
		expect(result.staticDataStored).toBe(false);
	});

	it('quotes identifiers so a crafted column name stays a name', async () => {
		const poller = pollerFor(emulator, eventsTrigger(emulator, { watermarkColumn: 'created_at" > 0 OR "x' }));

		const result = await poller.poll();

		const statement = String((executeRequests(emulator).at(-1)?.body as IDataObject).statement);
		expect(statement).toContain('"created_at"" > 0 OR ""x"');
		expect(result.items).toBeNull();
		expect(result.error).toBeDefined();
	});
});

describe('Peaka Trigger: New Rows cost on a 3,000,000-row events table', () => {
	let emulator: Emulator;
	let engine: EventsEngine;

	beforeAll(async () => {
		emulator = await startPeaka('spec', { eventsRows: LARGE_TABLE_ROWS });
		engine = emulator.engine as EventsEngine;
	}, 120_000);
	afterAll(async () => {
		await emulator?.close();
	});

	it('reads only new rows on a large table', async () => {
		const poller = pollerFor(emulator, eventsTrigger(emulator));
		await poller.poll();
		const inserted = await engine.insertEvents(
			emulator.projectId,
			Array.from({ length: 10 }, (_, index) => ({ created_at: '2040-01-01 00:00:00', payload: `new ${index}` })),
		);
		emulator.faults.clearRequests();

		const result = await poller.poll();

		expect(emittedIds(result)).toEqual(inserted.map((row) => row.id));
		const requests = executeRequests(emulator);
		expect(requests).toHaveLength(1);
		const body = requests[0].body as IDataObject;
		expect(body.statement).toBe(
			'SELECT * FROM "datasets"."public"."events" WHERE ("created_at" > CAST(? AS timestamp(6))) OR ("created_at" = CAST(? AS timestamp(6)) AND "id" > CAST(? AS bigint)) ORDER BY "created_at", "id" LIMIT 100',
		);
		// The cursor the first poll noted: the last generated row, not a count or an offset.
		const lastGenerated = '2024-02-04 17:19:59.000000';
		expect(body.bindings).toEqual([lastGenerated, lastGenerated, String(LARGE_TABLE_ROWS)]);
	}, 60_000);
});
