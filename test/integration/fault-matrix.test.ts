/**
 * Every kind of operation against every fault the emulator injects, run through n8n-core with
 * "Continue (using error output)". Each cell has two input items: the first runs clean, the
 * fault meets the second. Failures read-only paths already cover in depth (query-errors) are
 * asserted here per kind, with the requests counted at the emulator.
 */
import { type IDataObject, type INodeParameters, NodeApiError, NodeOperationError } from 'n8n-workflow';


import {
	capRequestTimeout,
	cellInputs,
	FAULT_CASES,
	type FaultCase,
	kindRequests,
	NOT_REPEATED,
	OPERATION_KINDS,
	type OperationKind,
	WHAT_TO_DO,
} from '../support/fault-cases';
import { type Emulator, eventsTriggerParameters, jsonOf, pairedItemsOf, projectParameter, runPeaka, startPeaka, triggerPoller } from './support';

const STRIPE_CATALOG_ID = '846085284821991569';
const JOB_SPEED = 100;
const IMPORT_PATH = '/data/projects/*/table/*/import';
const EXECUTE_PATH = '/data/projects/*/queries/execute';

const locator = (value: string): INodeParameters => ({ __rl: true, mode: 'id', value });

let cacheId = '';

/** Start-and-wait: the trigger is a write, the status reads around it are reads. */
const CACHE_KIND: OperationKind = {
	name: 'start-and-wait: Cache Start Full Refresh',
	write: true,
	method: 'POST',
	path: '/data/projects/*/cache/*/fullRefreshUpdate',
	parameters: (emulator) => ({
		resource: 'cache',
		operation: 'startFullRefresh',
		project: projectParameter(emulator.projectId),
		cache: locator(cacheId),
		waitForCompletion: true,
		waitTimeout: 10,
	}),
	expectedItems: () => [{ id: cacheId, status: 'COMPLETED' }],
	partialItems: true,
	// Peaka's trigger endpoints return 200 with an empty body, so an empty body is no failure.
	outcomes: { 'empty-body': 'pass' },
	singleItem: true,
};

const KINDS = [...OPERATION_KINDS, CACHE_KIND];
const CELLS: Array<[string, string, OperationKind, FaultCase]> = [];
for (const kind of KINDS) {
	for (const faultCase of FAULT_CASES) CELLS.push([kind.name, faultCase.id, kind, faultCase]);
}

let run = 0;
let passed = 0;
afterAll(() => {
	capRequestTimeout(undefined);
	// eslint-disable-next-line no-console
	console.log(`fault matrix: ${run} cases run, ${passed} passed (${KINDS.length} kinds × ${FAULT_CASES.length} faults, plus import and trigger poll)`);
});

describe('fault matrix', () => {
	let emulator: Emulator;

	beforeAll(async () => {
		emulator = await startPeaka('spec', { eventsRows: 20, jobSpeed: JOB_SPEED });
		const created = await runPeaka(emulator, {
			resource: 'cache',
			operation: 'create',
			project: projectParameter(emulator.projectId),
			catalog: locator(STRIPE_CATALOG_ID),
			schema: locator('payment'),
			table: locator('charges'),
		});
		cacheId = String(created.outputs[0][0].json.id);
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => {
		emulator.faults.reset();
		emulator.faults.clearRequests();
	});

	it.each(CELLS)('%s × %s', async (_kindName, _caseId, kind, faultCase) => {
		run += 1;
		const outcome = kind.outcomes?.[faultCase.id] ?? (kind.write ? faultCase.write : faultCase.read);
		const inputs = cellInputs(kind, faultCase);
		// Requests of the clean item that runs before the faulty one, if the kind has one.
		const clean = inputs.length - 1;
		emulator.faults.add({ ...faultCase.fault, method: kind.method, path: kind.path, skip: clean, times: 1 });
		capRequestTimeout(faultCase.timeoutCapMs);

		const started = Date.now();
		const result = await runPeaka(emulator, kind.parameters(emulator), {
			onError: 'continueErrorOutput',
			inputItems: inputs,
		});
		const elapsedMs = Date.now() - started;
		capRequestTimeout(undefined);

		expect(result.error).toBeUndefined();
		const [success = [], failures = []] = result.outputs;
		const requests = kindRequests(emulator, kind);

		if (outcome === 'fail') {
			// The clean item's request, then the faulty one, sent once.
			expect(requests).toHaveLength(clean + 1);
			expect(failures).toHaveLength(1);
			expect(pairedItemsOf(failures)).toEqual([{ item: clean }]);
			expect(pairedItemsOf(success).every((paired) => (paired as { item: number }).item === 0)).toBe(true);
			expect(success.length > 0).toBe(clean > 0);

			const error = failures[0].error as NodeApiError | NodeOperationError;
			expect(error instanceof NodeApiError || error instanceof NodeOperationError).toBe(true);
			expect(failures[0].json.error).toBe(error.message);
			if (faultCase.message) expect(error.message).toMatch(faultCase.message);
			if (faultCase.peakaText) expect(`${error.message} ${error.description}`).toContain(faultCase.peakaText);
			if (faultCase.httpCode) expect((error as NodeApiError).httpCode).toBe(faultCase.httpCode);
			expect(error.message).not.toMatch(/<[a-z!/]/i);
			expect(error.description).toMatch(WHAT_TO_DO);
			const passedToPeaka = faultCase.httpCode === undefined || Number(faultCase.httpCode) >= 500 || faultCase.httpCode === '200';
			if (kind.write && passedToPeaka) expect(error.description).toMatch(NOT_REPEATED);
		} else {
			// recover: the faulty request is sent again; pass: nothing is repeated.
			expect(requests).toHaveLength(clean + (outcome === 'recover' ? 2 : 1));
			expect(failures).toEqual([]);
			if (kind.expectedItems) {
				const expected: IDataObject[] = [];
				for (const input of inputs) expected.push(...(await kind.expectedItems(emulator, String(input.name))));
				if (kind.partialItems) {
					expect(success).toHaveLength(expected.length);
					success.forEach((item, index) => expect(item.json).toMatchObject(expected[index]));
				} else {
					expect(jsonOf(success)).toEqual(expected);
				}
			} else {
				expect(success.map((item) => item.json.displayName ?? item.json.name)).toEqual(inputs.map((input) => input.name));
			}
			const perInput = success.length / inputs.length;
			expect(pairedItemsOf(success)).toEqual(success.map((_item, index) => ({ item: Math.floor(index / perInput) })));
		}

		if (kind.countApplied) {
			let applied = 2;
			if (outcome === 'fail' && faultCase.writeApplied === false) applied = 1;
			if (outcome === 'fail' && faultCase.httpCode !== undefined && faultCase.httpCode !== '200') applied = 1;
			// A delayed write still reaches the route after the client gave up; its count settles later.
			if (faultCase.timeoutCapMs === undefined) {
				expect(await kind.countApplied(emulator, inputs[0].name === undefined ? '' : String(inputs[0].name).replace(/ 0$/, ''))).toBe(applied);
			}
		}
		if (faultCase.minDurationMs !== undefined) expect(elapsedMs).toBeGreaterThanOrEqual(faultCase.minDurationMs);
		passed += 1;
	}, 30_000);
});

type ImportOutcome = 'rejected' | 'unknown' | 'recover' | 'pass';

/**
 * Import (Internal Table → Insert Rows) reports per batch. A batch Peaka rejected goes to the
 * error output. A batch whose request failed before Peaka responded goes to the regular output
 * with status outcomeUnknown, because Peaka may have stored it.
 */
const IMPORT_OUTCOMES: Record<string, ImportOutcome> = {
	'status-400': 'rejected',
	'status-401': 'rejected',
	'status-403': 'rejected',
	'status-404': 'rejected',
	'status-407': 'rejected',
	'status-409': 'rejected',
	'status-429': 'recover',
	'status-500': 'rejected',
	'status-502-html': 'unknown',
	'status-503': 'rejected',
	'status-504': 'unknown',
	'drop-before': 'unknown',
	'drop-after': 'unknown',
	'slow-3s-timeout-2s': 'unknown',
	'truncated-json': 'unknown',
	'empty-body': 'pass',
	'wrong-content-type': 'pass',
};

interface TableEngine {
	query(projectId: string, sql: string): Promise<Array<Record<string, unknown>>>;
	insertEvents(projectId: string, rows: Array<{ created_at?: string; payload?: string }>): Promise<Array<{ id: string; created_at: string }>>;
}

describe('fault matrix: import and trigger poll', () => {
	let emulator: Emulator;
	let engine: TableEngine;

	beforeAll(async () => {
		emulator = await startPeaka('spec', { eventsRows: 20 });
		engine = emulator.engine as TableEngine;
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => {
		emulator.faults.reset();
		emulator.faults.clearRequests();
	});

	const rowCount = async (table: string): Promise<number> => {
		const [row] = await engine.query(emulator.projectId, `SELECT count(*) AS n FROM peaka."table"."${table}"`);
		return Number(row.n);
	};

	const importCell = async (caseId: string, faultCase: FaultCase) => {
		const outcome = IMPORT_OUTCOMES[caseId];
		const table = `fm_${caseId.replace(/\W+/g, '_')}`;
		emulator.faults.add({ ...faultCase.fault, method: 'POST', path: IMPORT_PATH, skip: 1, times: 1 });
		capRequestTimeout(faultCase.timeoutCapMs);
		const result = await runPeaka(
			emulator,
			{
				resource: 'internalTable',
				operation: 'insertRows',
				project: projectParameter(emulator.projectId),
				internalTable: locator(table),
				mappingMode: 'autoMapInputData',
				options: { batchSize: 1, createMissing: true },
			},
			{ inputItems: [{ name: 'first', qty: 1 }, { name: 'second', qty: 2 }], onError: 'continueErrorOutput' },
		);
		capRequestTimeout(undefined);

		expect(result.error).toBeUndefined();
		const [success = [], failures = []] = result.outputs;
		const imports = emulator.faults.requests().filter((request) => request.method === 'POST' && request.path.endsWith('/import'));
		expect(imports).toHaveLength(outcome === 'recover' ? 3 : 2);
		expect(success[0].json).toEqual({ table, batch: 1, status: 'inserted' });
		expect(success[0].pairedItem).toEqual({ item: 0 });

		if (outcome === 'rejected') {
			expect(success).toHaveLength(1);
			expect(failures).toHaveLength(1);
			expect(failures[0].pairedItem).toEqual({ item: 1 });
			expect(failures[0].json.error).toMatch(new RegExp(`^Peaka rejected batch 2 \\(items 1\\) with HTTP ${faultCase.httpCode}`));
			if (faultCase.peakaText) expect(failures[0].json.error).toContain(faultCase.peakaText);
			expect(failures[0].error).toBeInstanceOf(NodeOperationError);
			expect(await rowCount(table)).toBe(1);
		} else if (outcome === 'unknown') {
			expect(failures).toEqual([]);
			expect(success[1].json).toMatchObject({ table, batch: 2, status: 'outcomeUnknown' });
			expect(success[1].json.message).toMatch(/check the table before re-running/);
			expect(success[1].pairedItem).toEqual({ item: 1 });
			// A gateway status or a drop before the route leaves the batch unstored; a drop after it
			// (or a slow answer) leaves it stored: either way the node cannot tell, hence outcomeUnknown.
			if (faultCase.timeoutCapMs === undefined) expect(await rowCount(table)).toBe(faultCase.writeApplied === true ? 2 : 1);
		} else {
			expect(failures).toEqual([]);
			expect(success.map((item) => item.json.status)).toEqual(['inserted', 'inserted']);
			expect(success[1].pairedItem).toEqual({ item: 1 });
			expect(await rowCount(table)).toBe(2);
		}
	};

	it.each(FAULT_CASES.map((faultCase) => [faultCase.id, faultCase] as const))('import: Insert Rows × %s', async (caseId, faultCase) => {
		run += 1;
		await importCell(caseId, faultCase);
		passed += 1;
	}, 30_000);

	// A poll that fails must emit nothing and keep its cursor; the next clean poll then emits the
	// rows the failed one missed. Faults a read recovers from are retried inside the same poll.
	let minute = 0;
	const nextTime = () => {
		minute += 1;
		return `2046-01-01 ${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`;
	};

	it.each(FAULT_CASES.map((faultCase) => [faultCase.id, faultCase] as const))('trigger poll: New Rows × %s', async (_caseId, faultCase) => {
		run += 1;
		const poller = triggerPoller(emulator, eventsTriggerParameters(emulator));
		await poller.poll();
		const cursorBefore = poller.staticData;
		const inserted = await engine.insertEvents(emulator.projectId, [
			{ created_at: nextTime(), payload: 'a' },
			{ created_at: nextTime(), payload: 'b' },
		]);
		const insertedIds = inserted.map((row) => row.id);
		const emittedIds = (items: Array<Array<{ json: IDataObject }>> | null) => (items?.[0] ?? []).map((item) => String(item.json.id));

		emulator.faults.clearRequests();
		emulator.faults.add({ ...faultCase.fault, method: 'POST', path: EXECUTE_PATH, times: 1 });
		capRequestTimeout(faultCase.timeoutCapMs);
		const faulty = await poller.poll();
		capRequestTimeout(undefined);
		const executes = emulator.faults.requests().filter((request) => request.path.endsWith('/queries/execute'));

		if (faultCase.read === 'fail') {
			expect(faulty.items).toBeNull();
			expect(faulty.error).toBeDefined();
			const error = faulty.error as NodeApiError;
			expect(['NodeApiError', 'NodeOperationError']).toContain(error.name);
			if (faultCase.message) expect(error.message).toMatch(faultCase.message);
			if (faultCase.peakaText) expect(`${error.message} ${error.description}`).toContain(faultCase.peakaText);
			expect(faulty.staticData).toEqual(cursorBefore);
			expect(faulty.staticDataStored).toBe(false);
			expect(executes).toHaveLength(1);
			const next = await poller.poll();
			expect(emittedIds(next.items)).toEqual(insertedIds);
		} else {
			expect(faulty.error).toBeUndefined();
			expect(emittedIds(faulty.items)).toEqual(insertedIds);
			expect(faulty.staticData).not.toEqual(cursorBefore);
			expect(executes).toHaveLength(faultCase.read === 'recover' ? 2 : 1);
		}
		passed += 1;
	}, 30_000);

	it('trigger poll: lasting 503 keeps cursor', async () => {
		run += 1;
		const poller = triggerPoller(emulator, eventsTriggerParameters(emulator));
		await poller.poll();
		const cursorBefore = poller.staticData;
		await engine.insertEvents(emulator.projectId, [{ created_at: nextTime(), payload: 'c' }]);
		emulator.faults.clearRequests();
		emulator.faults.add({ method: 'POST', path: EXECUTE_PATH, status: 503, body: { message: 'busy' }, times: 4 });
		const failed = await poller.poll();
		expect(failed.items).toBeNull();
		expect(failed.error).toMatchObject({ name: 'NodeApiError', httpCode: '503' });
		expect(failed.staticData).toEqual(cursorBefore);
		expect(emulator.faults.requests().filter((request) => request.path.endsWith('/queries/execute'))).toHaveLength(4);
		passed += 1;
	}, 30_000);
});
