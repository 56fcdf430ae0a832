'use strict';

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index');

const BEHAVIOURS = ['spec', 'observed'];
const emulators = {};
const clients = {};

beforeAll(async () => {
	for (const behaviour of BEHAVIOURS) {
		emulators[behaviour] = await startEmulator({ behaviour, eventsRows: 20 });
		clients[behaviour] = axios.create({
			baseURL: `${emulators[behaviour].baseUrl}/data/projects/${emulators[behaviour].projectId}`,
			headers: { Authorization: `Bearer ${emulators[behaviour].partnerKey}` },
			validateStatus: () => true,
		});
	}
});

afterAll(async () => {
	await Promise.all(Object.values(emulators).map((emulator) => emulator.close()));
});

/** Returns whether the engine contains peaka.<schema>.<name>: the saved query's state, not a response. */
function relationExists(behaviour, schemaName, name) {
	const emulator = emulators[behaviour];
	return emulator.engine.tableExists(emulator.projectId, 'peaka', schemaName, name);
}

async function runStatement(behaviour, statement) {
	const response = await clients[behaviour].post('/queries/execute?format=COMPACT', { statement });
	return response;
}

describe.each(BEHAVIOURS)('saved queries (%s)', (behaviour) => {
	const client = () => clients[behaviour];
	const rootPath = behaviour === 'observed' ? '/' : null;
	const notFoundStatus = behaviour === 'observed' ? 400 : 404;

	test('create returns the query and makes its view', async () => {
		const response = await client().post('/queries', {
			displayName: 'Top Origins',
			inputQuery: 'SELECT origin, count(*) AS flights FROM datasets.public.flights GROUP BY origin ORDER BY flights DESC LIMIT 3',
			queryType: 'PLAIN',
		});
		expect(response.status).toBe(200);
		expect(response.data).toEqual({
			id: expect.stringMatching(/^\d{18}$/),
			displayName: 'Top Origins',
			name: 'toporigins',
			inputQuery: 'SELECT origin, count(*) AS flights FROM datasets.public.flights GROUP BY origin ORDER BY flights DESC LIMIT 3',
			queryType: 'PLAIN',
			schedule: null,
			path: rootPath,
			folderId: null,
		});
		expect(await relationExists(behaviour, 'query', 'toporigins')).toBe(true);
		expect(await relationExists(behaviour, 'mtquery', 'toporigins')).toBe(false);

		const run = await runStatement(behaviour, 'SELECT * FROM "peaka"."query"."toporigins"');
		const direct = await runStatement(behaviour, 'SELECT origin, count(*) AS flights FROM datasets.public.flights GROUP BY origin ORDER BY flights DESC LIMIT 3');
		expect(run.status).toBe(200);
		expect(run.data.data).toHaveLength(3);
		expect(run.data.data).toEqual(direct.data.data);
		expect(run.data.columns).toEqual([
			{ catalogName: 'peaka', schemaName: 'query', tableName: 'toporigins', columnName: 'origin' },
			{ catalogName: 'peaka', schemaName: 'query', tableName: 'toporigins', columnName: 'flights' },
		]);
	});

	test('list, read, update, move, delete', async () => {
		const created = await client().post('/queries', { displayName: 'Weather-2012', inputQuery: "SELECT count(*) FROM datasets.public.seattle_weather WHERE weather = 'rain'" });
		expect(created.status).toBe(200);
		const { id } = created.data;
		expect(created.data.name).toBe('weather2012');

		const list = await client().get('/queries');
		expect(list.status).toBe(200);
		expect(list.data.map((query) => query.id)).toContain(id);

		const read = await client().get(`/queries/${id}`);
		expect(read.data).toEqual(created.data);

		// PUT is partial: displayName stays.
		const updated = await client().put(`/queries/${id}`, { inputQuery: "SELECT count(*) FROM datasets.public.seattle_weather WHERE weather = 'sun'" });
		expect(updated.status).toBe(200);
		expect(updated.data).toMatchObject({ id, displayName: 'Weather-2012', name: 'weather2012', inputQuery: "SELECT count(*) FROM datasets.public.seattle_weather WHERE weather = 'sun'" });
		const byView = await runStatement(behaviour, 'SELECT * FROM peaka.query.weather2012');
		const direct = await runStatement(behaviour, "SELECT count(*) FROM datasets.public.seattle_weather WHERE weather = 'sun'");
		expect(byView.data.data).toEqual(direct.data.data);

		const moved = await client().patch(`/queries/${id}/path`, { path: '/reports/weather' });
		expect(moved.status).toBe(200);
		const afterMove = (await client().get(`/queries/${id}`)).data;
		expect(afterMove.path).toBe('/reports/weather');
		const folders = emulators[behaviour].engine.savedQueries.listFolders(emulators[behaviour].projectId);
		const leaf = folders.find((folder) => folder.path === '/reports/weather');
		const parent = folders.find((folder) => folder.path === '/reports');
		expect(leaf).toMatchObject({ name: 'weather', parentId: parent.id });
		expect(afterMove.folderId).toBe(leaf.id);

		expect((await client().patch(`/queries/${id}/path`, { path: '/' })).status).toBe(200);
		const atRoot = (await client().get(`/queries/${id}`)).data;
		expect(atRoot.path).toBe(rootPath);
		expect(atRoot.folderId).toBeNull();

		const deleted = await client().delete(`/queries/${id}`);
		expect(deleted.status).toBe(200);
		expect(deleted.data).toBe('');
		expect(await relationExists(behaviour, 'query', 'weather2012')).toBe(false);
		expect((await client().get('/queries')).data.map((query) => query.id)).not.toContain(id);
		// The folders made by the move stay after their query is gone.
		const remaining = emulators[behaviour].engine.savedQueries.listFolders(emulators[behaviour].projectId).map((folder) => folder.path);
		expect(remaining).toEqual(expect.arrayContaining(['/reports', '/reports/weather']));
	});

	test('reading a deleted query', async () => {
		const created = await client().post('/queries', { displayName: 'doomed', inputQuery: 'SELECT 1 AS one' });
		const { id } = created.data;
		await client().delete(`/queries/${id}`);
		const read = await client().get(`/queries/${id}`);
		expect(read.status).toBe(notFoundStatus);
		expect(read.data).toEqual({ errorCode: 100, message: `There is no query with id: ${id}` });
		expect((await client().put(`/queries/${id}`, { inputQuery: 'SELECT 2' })).status).toBe(notFoundStatus);
		expect((await client().delete(`/queries/${id}`)).status).toBe(notFoundStatus);
		expect((await client().patch(`/queries/${id}/path`, { path: '/x' })).status).toBe(notFoundStatus);
	});

	test('a wrong verb on the path route is a 405', async () => {
		const created = await client().post('/queries', { displayName: 'verbs', inputQuery: 'SELECT 1 AS one' });
		for (const method of ['put', 'post']) {
			const response = await client()[method](`/queries/${created.data.id}/path`, { path: '/x' });
			expect(response.status).toBe(405);
			expect(response.data).toMatchObject({ status: 405, error: 'Method Not Allowed' });
		}
	});
});

describe('saved query edge cases (spec)', () => {
	const client = () => clients.spec;
	const engine = () => emulators.spec.engine;
	const projectId = () => emulators.spec.projectId;

	test('a create with path puts the query in that folder', async () => {
		const response = await client().post('/queries', { displayName: 'In Folder', inputQuery: 'SELECT 1 AS one', path: '/reports/monthly' });
		expect(response.status).toBe(200);
		expect(response.data.path).toBe('/reports/monthly');
		expect(response.data.folderId).toBe(engine().savedQueries.listFolders(projectId()).find((folder) => folder.path === '/reports/monthly').id);
	});

	test('unnamed columns of the stored SQL are named as Trino names them', async () => {
		await client().post('/queries', { displayName: 'Counts', inputQuery: 'SELECT origin, count(*) FROM datasets.public.flights WHERE origin = \'SFO\' GROUP BY origin' });
		const columns = await engine().listColumns(projectId(), '2', 'query', 'counts');
		expect(columns.map((column) => [column.name, column.dataType])).toEqual([['origin', 'varchar'], ['_col1', 'bigint']]);
	});

	test('SQL that breaks a Trino rule is refused and nothing is stored', async () => {
		const before = (await client().get('/queries')).data.length;
		const dml = await client().post('/queries', { displayName: 'wipe', inputQuery: 'DELETE FROM datasets.public.events' });
		expect(dml.status).toBe(400);
		expect(dml.data).toEqual({ errorCode: 100, message: "Statement type 'Delete' is not allowed" });
		const offset = await client().post('/queries', { displayName: 'pages', inputQuery: 'SELECT * FROM datasets.public.events LIMIT 5 OFFSET 5' });
		expect(offset.data).toEqual({ errorCode: 100, message: "line 1:46: mismatched input 'OFFSET'. Expecting: <EOF>" });
		expect((await client().get('/queries')).data.length).toBe(before);
		expect(await engine().tableExists(projectId(), 'peaka', 'query', 'wipe')).toBe(false);
	});

	test('SQL naming a missing table is refused unless checkSchemaExists=false', async () => {
		const refused = await client().post('/queries', { displayName: 'ghost', inputQuery: 'SELECT * FROM datasets.public.ghost' });
		expect(refused.status).toBe(400);
		expect(refused.data).toEqual({ errorCode: 100, message: "line 1:15: Table 'datasets.public.ghost' does not exist" });

		const stored = await client().post('/queries?checkSchemaExists=false', { displayName: 'ghost', inputQuery: 'SELECT * FROM datasets.public.ghost' });
		expect(stored.status).toBe(200);
		expect(await engine().tableExists(projectId(), 'peaka', 'query', 'ghost')).toBe(false);
		const run = await client().post('/queries/execute', { id: stored.data.id });
		expect(run.status).toBe(400);
		expect(run.data.message).toBe("line 1:15: Table 'datasets.public.ghost' does not exist");
	});

	test('two display names with one SQL name are refused', async () => {
		expect((await client().post('/queries', { displayName: 'Dup Name', inputQuery: 'SELECT 1 AS one' })).status).toBe(200);
		const second = await client().post('/queries', { displayName: 'dup-name', inputQuery: 'SELECT 2 AS two' });
		expect(second.status).toBe(400);
		expect(second.data).toEqual({ errorCode: 100, message: 'There is already a query with name: dupname' });
	});

	test('a stored query is resolved when it runs', async () => {
		const emulator = emulators.spec;
		await emulator.engine.query(emulator.projectId, 'CREATE TABLE datasets.public.tmp_orders AS SELECT 1 AS id, 10 AS amount');
		const created = await client().post('/queries', { displayName: 'orders view', inputQuery: 'SELECT id, amount FROM datasets.public.tmp_orders' });
		expect(created.status).toBe(200);
		const { id } = created.data;
		expect((await client().post('/queries/execute?format=COMPACT', { id })).data.data).toEqual([['1', '10']]);

		await emulator.engine.query(emulator.projectId, 'DROP TABLE datasets.public.tmp_orders');
		const broken = await client().post('/queries/execute?format=COMPACT', { id });
		expect(broken.status).toBe(400);
		expect(broken.data).toEqual({ errorCode: 100, message: "Table 'datasets.public.tmp_orders' does not exist" });
		expect((await client().get(`/queries/${id}`)).status).toBe(200);

		await emulator.engine.query(emulator.projectId, 'CREATE TABLE datasets.public.tmp_orders AS SELECT 2 AS id, 20 AS amount UNION ALL SELECT 3, 30');
		const again = await client().post('/queries/execute?format=COMPACT', { id });
		expect(again.data.data).toEqual([['2', '20'], ['3', '30']]);
		await emulator.engine.query(emulator.projectId, 'DROP TABLE datasets.public.tmp_orders');
	});

	test('a MATERIALIZED query runs by id from its stored result', async () => {
		const emulator = emulators.spec;
		const created = await client().post('/queries', {
			displayName: 'event count',
			inputQuery: 'SELECT count(*) AS events FROM datasets.public.events',
			queryType: 'MATERIALIZED',
			schedule: { type: 'interval', repeatDuration: 'PT6H' },
		});
		expect(created.status).toBe(200);
		expect(created.data).toMatchObject({ queryType: 'MATERIALIZED', schedule: { type: 'interval', repeatDuration: 'PT6H' } });
		expect(await emulator.engine.tableExists(emulator.projectId, 'peaka', 'mtquery', 'eventcount')).toBe(true);
		const before = (await client().post('/queries/execute?format=COMPACT', { id: created.data.id })).data.data;

		await emulator.engine.insertEvents(emulator.projectId, [{ payload: 'late' }]);
		const stored = await client().post('/queries/execute?format=COMPACT', { id: created.data.id });
		expect(stored.data.data).toEqual(before);
		expect(stored.data.columns[0]).toMatchObject({ catalogName: 'peaka', schemaName: 'mtquery', tableName: 'eventcount' });
		const live = await runStatement('spec', 'SELECT * FROM peaka.query.eventcount');
		expect(Number(live.data.data[0][0])).toBe(Number(before[0][0]) + 1);

		await client().delete(`/queries/${created.data.id}`);
		expect(await emulator.engine.tableExists(emulator.projectId, 'peaka', 'mtquery', 'eventcount')).toBe(false);
	});

	test('inputQueryRefId copies the source query\'s SQL', async () => {
		const source = await client().post('/queries', { displayName: 'source sql', inputQuery: 'SELECT 42 AS answer' });
		const copy = await client().post('/queries', { displayName: 'copy sql', queryType: 'MATERIALIZED', inputQueryRefId: source.data.id });
		expect(copy.status).toBe(200);
		expect(copy.data.inputQuery).toBe('SELECT 42 AS answer');
		expect(copy.data).not.toHaveProperty('inputQueryRefId');
		await client().put(`/queries/${source.data.id}`, { inputQuery: 'SELECT 43 AS answer' });
		expect((await client().get(`/queries/${copy.data.id}`)).data.inputQuery).toBe('SELECT 42 AS answer');
	});

	test.each([
		[{ inputQuery: 'SELECT 1' }, 400, 'displayName is required'],
		[{ displayName: 'no sql' }, 400, 'inputQuery is required'],
		[{ displayName: '***', inputQuery: 'SELECT 1' }, 400, 'has no letter, digit or underscore'],
		[{ displayName: 'x', inputQuery: 'SELECT 1', queryType: 'VIEW' }, 400, 'Invalid queryType "VIEW"'],
		[{ displayName: 'x', inputQuery: 'SELECT 1', schedule: { type: 'interval', repeatDuration: 'six hours' } }, 400, 'Invalid repeatDuration'],
		[{ displayName: 'x', inputQueryRefId: '1' }, 400, 'inputQueryRefId is valid only with queryType MATERIALIZED'],
	])('create %j is rejected', async (body, status, messagePart) => {
		const response = await client().post('/queries', body);
		expect(response.status).toBe(status);
		expect(response.data.message).toContain(messagePart);
	});
});

describe('query folders (spec)', () => {
	const client = () => clients.spec;

	test('create, list, read, tree and delete', async () => {
		const created = await client().post('/queries/folders', { folderName: 'Archive' });
		expect(created.status).toBe(201);
		expect(created.data).toEqual({
			id: expect.stringMatching(/^[0-9a-f-]{36}$/),
			name: 'Archive',
			path: '/Archive',
			parentId: null,
			createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
		});
		expect((await client().post('/queries/folders', { folderName: 'Archive' })).status).toBe(409);

		const child = await client().post(`/queries/folders/${created.data.id}`, { folderName: '2024' });
		expect(child.status).toBe(201);
		expect(child.data).toMatchObject({ path: '/Archive/2024', parentId: created.data.id });

		const query = await client().post('/queries', { displayName: 'archived', inputQuery: 'SELECT 1 AS one', path: '/Archive/2024' });
		const list = await client().get('/queries/folders');
		expect(list.data.items.map((folder) => folder.path)).toEqual(expect.arrayContaining(['/Archive', '/Archive/2024']));

		const read = await client().get(`/queries/folders/${child.data.id}`);
		expect(read.data.queries.map((entry) => entry.id)).toEqual([query.data.id]);

		const tree = await client().get('/queries/folders/tree', { params: { includeQueries: true, rootFolderId: created.data.id } });
		expect(tree.data.tree).toEqual([{
			id: created.data.id,
			name: 'Archive',
			path: '/Archive',
			queries: [],
			children: [{ id: child.data.id, name: '2024', path: '/Archive/2024', children: [], queries: [expect.objectContaining({ id: query.data.id })] }],
		}]);

		expect((await client().delete(`/queries/folders/${created.data.id}`)).status).toBe(409);
		expect((await client().delete(`/queries/folders/${created.data.id}`, { params: { force: true } })).status).toBe(204);
		expect((await client().get(`/queries/${query.data.id}`)).status).toBe(404);
		expect((await client().get(`/queries/folders/${created.data.id}`)).status).toBe(404);
	});
});
