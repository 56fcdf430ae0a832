import type { INodeParameters } from 'n8n-workflow';

import { BEHAVIOURS, type Emulator, jsonOf, pairedItemsOf, projectParameter, runPeaka, startPeaka } from './support';

interface StoredQuery {
	id: string;
	displayName: string;
	name: string;
	inputQuery: string;
	path: string | null;
	folderId: string | null;
}

interface SavedQueryStore {
	list(projectId: string): StoredQuery[];
	get(projectId: string, queryId: string): StoredQuery | null | undefined;
}

interface EngineView {
	savedQueries: SavedQueryStore;
	listTables(projectId: string, catalogId: string, schemaName: string): Promise<Array<{ name: string }>>;
}

describe.each(BEHAVIOURS)('Query saved-query operations against the %s emulator', (behaviour) => {
	let emulator: Emulator;
	let engine: EngineView;

	beforeAll(async () => {
		emulator = await startPeaka(behaviour);
		engine = emulator.engine as EngineView;
	});
	afterAll(async () => {
		await emulator?.close();
	});

	const operation = (name: string, extra: INodeParameters = {}): INodeParameters => ({
		resource: 'query',
		operation: name,
		project: projectParameter(emulator.projectId),
		...extra,
	});
	const savedQuery = (id: string): INodeParameters => ({ __rl: true, mode: 'id', value: id });
	const queryViews = async () =>
		(await engine.listTables(emulator.projectId, '2', 'query')).map((table) => table.name);

	it('creates, reads, lists, updates, moves and deletes a saved query, as stored', async () => {
		const sql = 'SELECT origin, count(*) AS departures FROM "datasets"."public"."flights" GROUP BY origin';
		const created = await runPeaka(emulator, operation('create', { displayName: 'Departures By Origin', inputQuery: sql }));
		expect(created.error).toBeUndefined();
		const createdItem = created.outputs[0][0].json as unknown as StoredQuery;
		expect(createdItem.displayName).toBe('Departures By Origin');
		expect(createdItem.inputQuery).toBe(sql);
		expect(createdItem.id).toMatch(/^\d+$/);

		const stored = engine.savedQueries.get(emulator.projectId, createdItem.id);
		expect(stored?.inputQuery).toBe(sql);
		expect(stored?.displayName).toBe('Departures By Origin');
		expect(await queryViews()).toContain(createdItem.name);

		const read = await runPeaka(emulator, operation('get', { savedQuery: savedQuery(createdItem.id) }));
		expect(read.outputs[0][0].json).toMatchObject({ id: createdItem.id, name: createdItem.name, inputQuery: sql });

		const listed = await runPeaka(emulator, operation('getMany', { returnAll: true, filters: { nameContains: 'by origin' } }));
		expect(jsonOf(listed.outputs[0]).map((query) => query.id)).toEqual([createdItem.id]);

		const updated = await runPeaka(
			emulator,
			operation('update', { savedQuery: savedQuery(createdItem.id), updateFields: { displayName: 'Origins' } }),
		);
		expect(updated.outputs[0][0].json).toMatchObject({ id: createdItem.id, displayName: 'Origins', inputQuery: sql });
		expect(engine.savedQueries.get(emulator.projectId, createdItem.id)?.displayName).toBe('Origins');
		expect(engine.savedQueries.get(emulator.projectId, createdItem.id)?.inputQuery).toBe(sql);

		const moved = await runPeaka(emulator, operation('move', { savedQuery: savedQuery(createdItem.id), path: '/analytics/daily' }));
		expect(moved.error).toBeUndefined();
		const afterMove = engine.savedQueries.get(emulator.projectId, createdItem.id);
		expect(afterMove?.path).toBe('/analytics/daily');
		expect(afterMove?.folderId).toEqual(expect.any(String));

		const deleted = await runPeaka(emulator, operation('delete', { savedQuery: savedQuery(createdItem.id) }));
		expect(jsonOf(deleted.outputs[0])).toEqual([{ id: createdItem.id, deleted: true }]);
		expect(engine.savedQueries.get(emulator.projectId, createdItem.id) ?? null).toBeNull();
		expect(await queryViews()).not.toContain(createdItem.name);
	});

	it('says a deleted saved query was not found, whichever status Peaka uses', async () => {
		const created = await runPeaka(emulator, operation('create', { displayName: 'Short Lived', inputQuery: 'SELECT 1 AS one' }));
		const id = String(created.outputs[0][0].json.id);
		await runPeaka(emulator, operation('delete', { savedQuery: savedQuery(id) }));

		const read = await runPeaka(emulator, operation('get', { savedQuery: savedQuery(id) }));
		expect(read.error?.message).toBe(`Saved query '${id}' was not found in project '${emulator.projectId}'`);
		expect((read.error as { httpCode?: string }).httpCode).toBe(behaviour === 'spec' ? '404' : '400');
	});

	it('rejects bad update and move input locally', async () => {
		emulator.faults.clearRequests();
		const noFields = await runPeaka(emulator, operation('update', { savedQuery: savedQuery('1'), updateFields: {} }));
		expect(noFields.error?.message).toBe("'Update Fields' has nothing to change");
		const relative = await runPeaka(emulator, operation('move', { savedQuery: savedQuery('1'), path: 'analytics' }));
		expect(relative.error?.message).toBe("Folder Path 'analytics' is not an absolute folder path");
		expect(emulator.faults.requests()).toEqual([]);
	});

	it('pairs each created query with the input item that named it', async () => {
		const result = await runPeaka(emulator, operation('create', { displayName: '={{ $json.name }}', inputQuery: 'SELECT 1 AS one' }), {
			inputItems: [{ name: 'Paired One' }, { name: 'Paired Two' }],
		});
		expect(jsonOf(result.outputs[0]).map((query) => query.displayName)).toEqual(['Paired One', 'Paired Two']);
		expect(pairedItemsOf(result.outputs[0])).toEqual([{ item: 0 }, { item: 1 }]);
	});
});
