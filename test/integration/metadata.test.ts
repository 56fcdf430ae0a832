import axios from 'axios';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { expectRequestsMatchSpec } from '../contract/openapi';
import type { RunNodeResult } from '../harness/n8n-runner';
import { BEHAVIOURS, type Behaviour, datasetFile, type Emulator, jsonOf, pairedItemsOf, projectParameter, referenceRows, runPeaka, startPeaka } from './support';

const DATASETS_CATALOG_ID = '846085284821991568';
const STRIPE_CATALOG_ID = '846085284821991569';
const CATALOGS = [
	{ catalogId: '1', catalogName: 'peaka' },
	{ catalogId: '2', catalogName: 'peaka' },
	{ catalogId: DATASETS_CATALOG_ID, catalogName: 'datasets' },
	{ catalogId: STRIPE_CATALOG_ID, catalogName: 'stripe' },
];
const DATASETS_TABLES = ['airports', 'edge_types', 'events', 'flights', 'movies', 'penguins', 'seattle_weather', 'stocks'];
// Refreshes take 1 s: long enough for the first status read to see them active on a busy machine.
const JOB_SPEED = 4;
const REFRESH_MS = 4000;

interface Jobs {
	arrange(request: { kind: string; target?: string; outcome: 'fail' | 'hang' | 'cancel'; message?: string }): unknown;
	clearArrangements(): number;
	list(filter: { kind?: string; target?: string; projectId?: string }): Array<{ id: string; target: string }>;
}

interface EmulatorState {
	goldenSqls: Map<string, Array<{ id: string; question: string; sql: string; projectId: string; createdAt: string }>>;
	metadata: Map<string, {
		tables: Map<string, { tableDescription?: string; useWithAI?: boolean; columns: Map<string, IDataObject> }>;
		aiUsage: Map<string, boolean>;
		relations: IDataObject[];
		callback: IDataObject | null;
		refreshRequests: Array<{ catalogId: string; callback: IDataObject | null }>;
	}>;
}

const locator = (value: string): INodeParameters => ({ __rl: true, mode: 'id', value });

function internals(emulator: Emulator): { jobs: Jobs; state: EmulatorState } {
	return emulator as unknown as { jobs: Jobs; state: EmulatorState };
}

describe.each(BEHAVIOURS)('Metadata operations against the %s emulator', (behaviour) => {
	let emulator: Emulator;
	let jobs: Jobs;
	let state: EmulatorState;

	beforeAll(async () => {
		emulator = await startPeaka(behaviour, { eventsRows: 20, jobSpeed: JOB_SPEED, metadataRefreshMs: REFRESH_MS });
		({ jobs, state } = internals(emulator));
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => {
		emulator.faults.clearRequests();
		jobs.clearArrangements();
	});

	const metadataOperation = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
		resource: 'metadata',
		operation,
		project: projectParameter(emulator.projectId),
		...extra,
	});
	const table = (tableName: string, catalogId = DATASETS_CATALOG_ID, schemaName = 'public'): INodeParameters => ({
		catalog: locator(catalogId),
		schema: locator(schemaName),
		table: locator(tableName),
	});
	const ok = (result: RunNodeResult): IDataObject[] => {
		expect(result.error).toBeUndefined();
		return jsonOf(result.outputs[0]);
	};
	const project = () => state.metadata.get(emulator.projectId)!;
	const requestLog = () => emulator.faults.requests().map((request) => `${request.method} ${request.path}`);
	const checkSpec = () => expect(expectRequestsMatchSpec(emulator.faults.requests())).toBe(true);

	it('gets metadata of a catalog and schema', async () => {
		const tables = ok(await runPeaka(emulator, metadataOperation('get', { filters: { catalogId: DATASETS_CATALOG_ID, schemaName: 'public' } })));
		expect(tables.map((entry) => entry.tableName)).toEqual(DATASETS_TABLES);
		const airports = tables.find((entry) => entry.tableName === 'airports')!;
		expect(airports).toMatchObject({ catalogId: DATASETS_CATALOG_ID, catalogQueryName: 'datasets', schemaName: 'public', useWithAI: true });
		expect((airports.columns as IDataObject[]).map((column) => [column.columnName, column.dataType])).toEqual([
			['iata', 'varchar'], ['name', 'varchar'], ['city', 'varchar'], ['state', 'varchar'], ['country', 'varchar'], ['latitude', 'double'], ['longitude', 'double'],
		]);
		expect(requestLog()).toEqual([`GET /metadata/${emulator.projectId}`]);
		expect(emulator.faults.requests()[0].query).toEqual({ catalogId: DATASETS_CATALOG_ID, schemaName: 'public' });

		const limited = ok(await runPeaka(emulator, metadataOperation('get', { returnAll: false, limit: 2, filters: { catalogId: DATASETS_CATALOG_ID } })));
		expect(limited.map((entry) => entry.tableName)).toEqual(['airports', 'edge_types']);
		checkSpec();
	});

	it('updates table metadata and stores it', async () => {
		const result = await runPeaka(emulator, metadataOperation('updateTable', {
			...table('airports'),
			updateFields: {
				tableDescription: 'US airports with their IATA codes',
				useWithAI: false,
				columns: { column: [{ columnName: 'iata', columnDescription: 'Three-letter airport code' }] },
			},
		}));
		const [updated] = ok(result);
		expect(updated).toMatchObject({ tableName: 'airports', tableDescription: 'US airports with their IATA codes', useWithAI: false });
		expect((updated.columns as IDataObject[])[0]).toMatchObject({ columnName: 'iata', columnDescription: 'Three-letter airport code' });
		expect(emulator.faults.requests()[0].body).toEqual({
			tableDescription: 'US airports with their IATA codes',
			useWithAI: false,
			columns: [{ columnName: 'iata', columnDescription: 'Three-letter airport code' }],
		});
		const stored = project().tables.get(`${DATASETS_CATALOG_ID}/public/airports`)!;
		expect(stored.tableDescription).toBe('US airports with their IATA codes');
		expect(stored.useWithAI).toBe(false);
		expect(stored.columns.get('iata')).toEqual({ columnDescription: 'Three-letter airport code' });

		const unknown = await runPeaka(emulator, metadataOperation('updateTable', {
			...table('airports'),
			updateFields: { columns: { column: [{ columnName: 'nope', columnDescription: 'x' }] } },
		}));
		expect(unknown.error?.message).toContain("Column 'nope' does not exist");
		const empty = await runPeaka(emulator, metadataOperation('updateTable', { ...table('airports'), updateFields: {} }));
		expect(empty.error?.message).toBe('No field to update was given');
		checkSpec();
	});

	it('sets AI usage per catalog and schema', async () => {
		ok(await runPeaka(emulator, metadataOperation('setAiUsage', { level: 'schema', catalog: locator(STRIPE_CATALOG_ID), schema: locator('payment'), useWithAI: false })));
		expect(project().aiUsage.get(`${STRIPE_CATALOG_ID}/payment`)).toBe(false);
		const [catalogLevel] = ok(await runPeaka(emulator, metadataOperation('setAiUsage', { level: 'catalog', catalog: locator(STRIPE_CATALOG_ID), useWithAI: true })));
		expect(catalogLevel).toEqual({ catalogId: STRIPE_CATALOG_ID, useWithAI: true });
		// A catalog-level setting replaces the schema-level one below it.
		expect([...project().aiUsage.entries()]).toEqual([[STRIPE_CATALOG_ID, true]]);
		expect(requestLog()).toEqual([
			`PUT /metadata/${emulator.projectId}/${STRIPE_CATALOG_ID}/payment`,
			`PUT /metadata/${emulator.projectId}/${STRIPE_CATALOG_ID}`,
		]);
		checkSpec();
	});

	it('adds, lists, updates and deletes relations', async () => {
		const added = ok(await runPeaka(emulator, metadataOperation('addRelation', {
			...table('flights'),
			columnName: 'origin',
			targetCatalogId: DATASETS_CATALOG_ID,
			targetSchemaName: 'public',
			targetTableName: 'airports',
			targetColumnName: 'iata',
			relationType: 'MANY_TO_ONE',
		})));
		expect(added[0]).toMatchObject({ sourceTableName: 'flights', sourceColumnName: 'origin', targetTableName: 'airports', targetColumnName: 'iata', type: 'MANY_TO_ONE' });
		const relationId = String(added[0].id);
		expect(project().relations.map((relation) => [relation.id, relation.type])).toEqual([[relationId, 'MANY_TO_ONE']]);

		const listed = ok(await runPeaka(emulator, metadataOperation('getRelations', { catalog: locator(DATASETS_CATALOG_ID) })));
		expect(listed.map((relation) => relation.id)).toEqual([relationId]);

		ok(await runPeaka(emulator, metadataOperation('updateRelation', { ...table('flights'), relationId, relationType: 'ONE_TO_ONE' })));
		expect(project().relations.map((relation) => relation.type)).toEqual(['ONE_TO_ONE']);

		const deleted = ok(await runPeaka(emulator, metadataOperation('deleteRelation', { ...table('flights'), relationId })));
		expect(deleted[0]).toMatchObject({ id: relationId, deleted: true });
		expect(project().relations).toEqual([]);

		const missing = await runPeaka(emulator, metadataOperation('deleteRelation', { ...table('flights'), relationId }));
		expect(missing.error?.message).toBe(`Relation '${relationId}' of table 'public.flights' was not found`);
		checkSpec();
	});

	it('generates and deletes categorical values', async () => {
		const expected = await referenceRows(
			`SELECT state, count(*) AS hits FROM read_csv_auto('${datasetFile('airports.csv')}') WHERE state IS NOT NULL GROUP BY 1 ORDER BY hits DESC, state LIMIT 3`,
		);
		const [generated] = ok(await runPeaka(emulator, metadataOperation('generateCategoricalValues', { ...table('airports'), columnName: 'state', valueLimit: 3, frequency: 'WEEKLY' })));
		expect(generated).toMatchObject({ columnName: 'state', isCategorical: true, categoricalValues: expected.map((row) => row.state), frequency: 'WEEKLY', limit: 3 });
		expect(emulator.faults.requests()[0].body).toEqual({ limit: 3, frequency: 'WEEKLY' });
		expect(project().tables.get(`${DATASETS_CATALOG_ID}/public/airports`)!.columns.get('state')).toMatchObject({
			isCategorical: true,
			categoricalValues: expected.map((row) => row.state),
			categoricalSchedule: { limit: 3, frequency: 'WEEKLY' },
		});

		ok(await runPeaka(emulator, metadataOperation('deleteCategoricalValues', { ...table('airports'), columnName: 'state' })));
		expect(project().tables.get(`${DATASETS_CATALOG_ID}/public/airports`)!.columns.get('state')).toEqual({ isCategorical: false, categoricalValues: [] });
		checkSpec();
	});

	it('generates semantics without storing them', async () => {
		const [result] = ok(await runPeaka(emulator, metadataOperation('generateSemantics', { ...table('penguins'), initialPrompt: 'For biologists', sampleRows: 5 })));
		const metadata = result.metadata as IDataObject;
		expect(metadata.tableDescription).toBe('Rows of datasets.public.penguins, with 7 columns. For biologists');
		expect(result.threadId).toMatch(/^[0-9a-f-]{36}$/);
		expect(emulator.faults.requests()[0].body).toEqual({ initialPrompt: 'For biologists', limit: 5 });
		expect(project().tables.has(`${DATASETS_CATALOG_ID}/public/penguins`)).toBe(false);
		checkSpec();
	});

	it('manages the refresh callback', async () => {
		ok(await runPeaka(emulator, metadataOperation('setRefreshCallback', { callbackURL: 'https://hooks.example.com/peaka', callbackToken: 's3cret' })));
		expect(project().callback).toEqual({ callbackURL: 'https://hooks.example.com/peaka', callbackToken: 's3cret' });
		const [read] = ok(await runPeaka(emulator, metadataOperation('getRefreshCallback')));
		expect(read).toEqual({ callbackURL: 'https://hooks.example.com/peaka', callbackToken: 's3cret' });
		ok(await runPeaka(emulator, metadataOperation('deleteRefreshCallback')));
		expect(project().callback).toBeNull();
		checkSpec();
	});

	it('creates, lists, searches and deletes golden SQLs', async () => {
		const pairs = [
			{ question: 'Which airports had the most delayed departures?', sql: 'SELECT origin, count(*) FROM datasets.public.flights WHERE delay > 0 GROUP BY origin' },
			{ question: 'How many penguins per island?', sql: 'SELECT island, count(*) FROM datasets.public.penguins GROUP BY island' },
		];
		const created = ok(await runPeaka(emulator, metadataOperation('createGoldenSql', { question: '={{ $json.question }}', sql: '={{ $json.sql }}' }), { inputItems: pairs }));
		expect(created.map(({ question, sql }) => ({ question, sql }))).toEqual(pairs);
		expect(pairedItemsOf((await runPeaka(emulator, metadataOperation('getGoldenSqls'))).outputs[0])).toEqual([{ item: 0 }, { item: 0 }]);
		const stored = state.goldenSqls.get(emulator.projectId)!;
		expect(stored.map(({ id, question, sql, projectId }) => ({ id, question, sql, projectId }))).toEqual(
			created.map((entry, index) => ({ id: entry.id, ...pairs[index], projectId: emulator.projectId })),
		);

		const listed = ok(await runPeaka(emulator, metadataOperation('getGoldenSqls', { returnAll: false, limit: 1 })));
		expect(listed).toEqual([{ id: created[0].id, question: pairs[0].question, sql: pairs[0].sql, projectId: emulator.projectId }]);

		const hits = ok(await runPeaka(emulator, metadataOperation('searchGoldenSqls', { question: 'penguins on each island' })));
		expect(hits[0]).toEqual(pairs[1]);
		expect(emulator.faults.requests().at(-1)?.query).toEqual({ q: 'penguins on each island' });

		ok(await runPeaka(emulator, metadataOperation('deleteGoldenSql', { goldenSqlId: String(created[0].id) })));
		expect(state.goldenSqls.get(emulator.projectId)!.map((entry) => entry.id)).toEqual([created[1].id]);
		const missing = await runPeaka(emulator, metadataOperation('deleteGoldenSql', { goldenSqlId: String(created[0].id) }));
		expect(missing.error?.message).toBe(`Golden SQL '${created[0].id}' was not found`);
		checkSpec();
	});

	it('searches tables and generates questions', async () => {
		const tables = ok(await runPeaka(emulator, metadataOperation('searchTables', { text: 'seattle weather', topK: 2 })));
		expect(tables[0]).toMatchObject({ tableName: 'seattle_weather', catalogQueryName: 'datasets' });
		expect(tables.length).toBeLessThanOrEqual(2);
		expect(emulator.faults.requests()[0].query).toEqual({ table: 'seattle weather', topK: '2' });

		const questions = ok(await runPeaka(emulator, metadataOperation('generateSampleQuestions', { question: 'penguins bill length' })));
		expect(questions[0]).toMatchObject({ question: 'How many rows does penguins have?', category: 'aggregation' });
		expect(questions.every((entry) => typeof entry.threadId === 'string' && entry.threadId === questions[0].threadId)).toBe(true);
		checkSpec();
	});

	it('refreshes every catalog and waits', async () => {
		const result = await runPeaka(emulator, metadataOperation('refresh', { scope: 'all', waitForCompletion: true }), { inputItems: [{ run: 1 }] });
		const items = ok(result);
		expect(items.map(({ catalogId, catalogName, status, outcome, confirmed }) => ({ catalogId, catalogName, status, outcome, confirmed }))).toEqual(
			CATALOGS.map((catalog) => ({ ...catalog, status: 'COMPLETED', outcome: 'completed', confirmed: true })),
		);
		expect(pairedItemsOf(result.outputs[0])).toEqual(CATALOGS.map(() => ({ item: 0 })));
		for (const catalog of CATALOGS) {
			expect(jobs.list({ kind: 'metadata', target: catalog.catalogId, projectId: emulator.projectId })).toHaveLength(1);
		}
		const posts = emulator.faults.requests().filter((request) => request.method === 'POST');
		expect(posts.map((request) => request.body)).toEqual(CATALOGS.map((catalog) => ({ catalogId: catalog.catalogId })));

		const [status] = ok(await runPeaka(emulator, metadataOperation('getRefreshStatus', { catalog: locator(DATASETS_CATALOG_ID) })));
		expect(status).toEqual({ catalogId: DATASETS_CATALOG_ID, status: 'COMPLETED', rawStatus: behaviour === 'observed' ? 'completed' : 'COMPLETED' });
		checkSpec();
	});

	it('failed refresh names catalog and status', async () => {
		jobs.arrange({ kind: 'metadata', target: DATASETS_CATALOG_ID, outcome: 'fail' });
		const failed = await runPeaka(emulator, metadataOperation('refresh', { scope: 'all' }));
		expect(failed.error?.message).toBe(`The metadata refresh failed: catalog 'datasets' (${DATASETS_CATALOG_ID}) ended FAILED`);

		jobs.arrange({ kind: 'metadata', target: STRIPE_CATALOG_ID, outcome: 'fail' });
		const reported = ok(await runPeaka(emulator, metadataOperation('refresh', { catalog: locator(STRIPE_CATALOG_ID), options: { stopOnFailure: false, callbackURL: 'https://hooks.example.com/r', callbackToken: 't' } })));
		expect(reported).toEqual([{ catalogId: STRIPE_CATALOG_ID, status: 'FAILED', outcome: 'failed', confirmed: true }]);
		expect(project().refreshRequests.at(-1)).toMatchObject({ catalogId: STRIPE_CATALOG_ID, callback: { callbackURL: 'https://hooks.example.com/r', callbackToken: 't' } });

		const started = ok(await runPeaka(emulator, metadataOperation('refresh', { catalog: locator(STRIPE_CATALOG_ID), waitForCompletion: false })));
		expect(started).toEqual([{ catalogId: STRIPE_CATALOG_ID, outcome: 'started' }]);
		checkSpec();
	});
});

describe('Metadata refresh waiting with a stale status', () => {
	const behaviour: Behaviour = 'observed';
	let emulator: Emulator;

	afterEach(async () => {
		await emulator?.close();
	});

	const refresh = (extra: INodeParameters = {}): INodeParameters => ({
		resource: 'metadata',
		operation: 'refresh',
		project: projectParameter(emulator.projectId),
		scope: 'catalog',
		catalog: { __rl: true, mode: 'id', value: DATASETS_CATALOG_ID },
		options: { stopOnFailure: false },
		...extra,
	});
	const statusNow = async () =>
		(await axios.get(`${emulator.baseUrl}/metadata/${emulator.projectId}/refresh/${DATASETS_CATALOG_ID}`, {
			headers: { Authorization: `Bearer ${emulator.partnerKey}` },
		})).data.status;

	it('earlier failed run is not taken for this one', async () => {
		// The new run shows in the status only 1 s after its request, and runs 3 s.
		emulator = await startPeaka(behaviour, { eventsRows: 0, metadataStatusLagMs: 1000, metadataRefreshMs: 3000 });
		const { jobs } = internals(emulator);
		jobs.arrange({ kind: 'metadata', target: DATASETS_CATALOG_ID, outcome: 'fail' });
		(jobs as unknown as { start(request: object): unknown }).start({ kind: 'metadata', target: DATASETS_CATALOG_ID, projectId: emulator.projectId, durationMs: 0 });
		await new Promise((resolve) => setTimeout(resolve, 1100));
		expect(await statusNow()).toBe('failed');

		const result = await runPeaka(emulator, refresh());
		const [item] = jsonOf(result.outputs[0]);
		expect(result.error).toBeUndefined();
		expect(item).toMatchObject({ catalogId: DATASETS_CATALOG_ID, status: 'COMPLETED', outcome: 'completed', confirmed: true });
		// At least one stale read (failed), one active read and the final one.
		const statusReads = emulator.faults.requests().filter((request) => request.method === 'GET' && request.path.endsWith(`/refresh/${DATASETS_CATALOG_ID}`));
		expect(statusReads.length).toBeGreaterThanOrEqual(4);
	}, 20_000);

	it('only final statuses end unconfirmed', async () => {
		// The run stays invisible for longer than the node's confirmation window.
		emulator = await startPeaka(behaviour, { eventsRows: 0, metadataStatusLagMs: 60_000 });
		expect(await statusNow()).toBe('not-active');
		const [item] = jsonOf((await runPeaka(emulator, refresh())).outputs[0]);
		expect(item).toMatchObject({ catalogId: DATASETS_CATALOG_ID, status: 'NOT_ACTIVE', outcome: 'unconfirmed', confirmed: false });
		expect(String(item.note)).toContain('cannot be told apart from an earlier one');
	}, 20_000);
});
