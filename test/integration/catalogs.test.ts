import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PeakaApi } from '../../credentials/PeakaApi.credentials';
import { Peaka } from '../../nodes/Peaka/Peaka.node';
import { listSearch, type RunNodeResult } from '../harness/n8n-runner';
import { BEHAVIOURS, credentialsFor, type Emulator, jsonOf, pairedItemsOf, projectParameter, runPeaka, startPeaka } from './support';

const DATASETS_CATALOG_ID = '846085284821991568';
const STRIPE_CATALOG_ID = '846085284821991569';
const DATASETS_CONNECTION_ID = '3f6b2c1d-8e4a-4b7c-9d2e-1a5f6c7b8d90';
const GOOGLE_ADS_CONNECTION_ID = '5e8a1b2c-3d4f-4a6b-8c7d-9e0f1a2b3c4d';
const UNKNOWN_CONNECTION_ID = '00000000-0000-4000-8000-000000000000';
const DATASETS_TABLES = ['airports', 'edge_types', 'events', 'flights', 'movies', 'penguins', 'seattle_weather', 'stocks'];
const BULK_CATALOGS = 120;

interface CatalogEntry {
	id: string;
	name: string;
	displayName?: string;
	catalogType?: string;
	connectionId?: string | null;
	schemas?: string[];
}

interface CatalogEngine {
	listCatalogs(projectId: string): Promise<CatalogEntry[]>;
	project(projectId: string): { catalogs: CatalogEntry[] };
	setTableCached(projectId: string, catalogId: string, schemaName: string, tableName: string, cached: boolean): Promise<void>;
	query(projectId: string, sql: string): Promise<Array<Record<string, unknown>>>;
}

const locator = (value: string, mode = 'id'): INodeParameters => ({ __rl: true, mode, value });

describe.each(BEHAVIOURS)('Catalog operations against the %s emulator', (behaviour) => {
	let emulator: Emulator;
	let engine: CatalogEngine;

	beforeAll(async () => {
		emulator = await startPeaka(behaviour, { eventsRows: 20 });
		engine = emulator.engine as CatalogEngine;
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => emulator.faults.clearRequests());

	const catalogOperation = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
		resource: 'catalog',
		operation,
		project: projectParameter(emulator.projectId),
		...extra,
	});
	const tableParameters = (catalogId: string, schemaName: string, tableName: string): INodeParameters => ({
		catalog: locator(catalogId),
		schema: locator(schemaName),
		table: locator(tableName),
	});
	const ok = (result: RunNodeResult): IDataObject[] => {
		expect(result.error).toBeUndefined();
		return jsonOf(result.outputs[0]);
	};
	const httpCode = (result: RunNodeResult) => (result.error as { httpCode?: string } | undefined)?.httpCode;
	const catalogIds = async (projectId: string) => (await engine.listCatalogs(projectId)).map((catalog) => String(catalog.id));
	const requestLog = () => emulator.faults.requests().map((request) => `${request.method} ${request.path}`);

	it('lists catalogs with limit and pairing', async () => {
		const listed = ok(await runPeaka(emulator, catalogOperation('getMany', { returnAll: true })));
		expect(listed.map((catalog) => catalog.id)).toEqual(['1', '2', DATASETS_CATALOG_ID, STRIPE_CATALOG_ID]);
		expect(listed[2]).toMatchObject({ name: 'datasets', displayName: 'Datasets', catalogType: 'postgresql' });

		const limited = await runPeaka(emulator, catalogOperation('getMany', { returnAll: false, limit: 2 }), {
			inputItems: [{ run: 'a' }, { run: 'b' }],
		});
		expect(ok(limited).map((catalog) => catalog.id)).toEqual(['1', '2', '1', '2']);
		expect(pairedItemsOf(limited.outputs[0])).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }]);
	});

	it('reads catalog, unknown is not found', async () => {
		const read = ok(await runPeaka(emulator, catalogOperation('get', { catalog: locator(STRIPE_CATALOG_ID) })));
		expect(read).toEqual([
			{
				id: STRIPE_CATALOG_ID,
				name: 'stripe',
				displayName: 'Stripe',
				catalogType: 'stripe',
				connectionId: '7c2d4e6f-1a3b-4c5d-8e9f-0a1b2c3d4e5f',
			},
		]);

		const missing = await runPeaka(emulator, catalogOperation('get', { catalog: locator('999') }));
		expect(missing.error?.message).toBe(`Catalog '999' was not found in project '${emulator.projectId}'`);
		expect(httpCode(missing)).toBe(behaviour === 'spec' ? '404' : '400');

		const empty = await runPeaka(emulator, catalogOperation('get', { catalog: locator('={{ "" }}') }));
		expect(empty.error?.message).toBe("The 'Catalog' parameter is empty");
		expect(requestLog()).toEqual([`GET /data/projects/${emulator.projectId}/catalogs/${STRIPE_CATALOG_ID}`, `GET /data/projects/${emulator.projectId}/catalogs/999`]);
	});

	it('creates and deletes catalogs per item', async () => {
		const created = await runPeaka(
			emulator,
			catalogOperation('create', { name: '={{ $json.name }}', connectionId: DATASETS_CONNECTION_ID, extraParameters: '{}' }),
			{ inputItems: [{ name: 'Sales DB' }, { name: 'Billing' }] },
		);
		const catalogs = ok(created);
		expect(catalogs.map(({ name, displayName, catalogType, connectionId }) => ({ name, displayName, catalogType, connectionId }))).toEqual([
			{ name: 'salesdb', displayName: 'Sales DB', catalogType: 'postgresql', connectionId: DATASETS_CONNECTION_ID },
			{ name: 'billing', displayName: 'Billing', catalogType: 'postgresql', connectionId: DATASETS_CONNECTION_ID },
		]);
		expect(pairedItemsOf(created.outputs[0])).toEqual([{ item: 0 }, { item: 1 }]);
		expect(emulator.faults.requests().map((request) => request.body)).toEqual([
			{ name: 'Sales DB', connectionId: DATASETS_CONNECTION_ID },
			{ name: 'Billing', connectionId: DATASETS_CONNECTION_ID },
		]);
		const [salesId, billingId] = catalogs.map((catalog) => String(catalog.id));
		expect(await catalogIds(emulator.projectId)).toEqual(['1', '2', DATASETS_CATALOG_ID, STRIPE_CATALOG_ID, salesId, billingId]);

		const schemas = ok(await runPeaka(emulator, catalogOperation('getSchemas', { catalog: locator(salesId) })));
		expect(schemas).toEqual([{ catalogId: salesId, catalogName: 'salesdb', schemaName: 'public' }]);

		const duplicate = await runPeaka(emulator, catalogOperation('create', { name: 'SALESDB', connectionId: DATASETS_CONNECTION_ID }));
		expect(duplicate.error?.message).toContain('There are already a catalog with same name!!');
		expect(httpCode(duplicate)).toBe('400');

		const unknown = await runPeaka(emulator, catalogOperation('create', { name: 'Nowhere', connectionId: UNKNOWN_CONNECTION_ID }));
		expect(unknown.error?.message).toBe(`Connection '${UNKNOWN_CONNECTION_ID}' was not found in project '${emulator.projectId}'`);

		const badJson = await runPeaka(emulator, catalogOperation('create', { name: 'X', connectionId: DATASETS_CONNECTION_ID, extraParameters: '{"sheets": [' }));
		expect(badJson.error?.message).toBe("'Extra Parameters (JSON)' is not valid JSON");
		const noName = await runPeaka(emulator, catalogOperation('create', { name: '  ', connectionId: DATASETS_CONNECTION_ID }));
		expect(noName.error?.message).toBe("The 'Name' parameter is empty");

		const deleted = ok(await runPeaka(emulator, catalogOperation('delete', { catalog: locator(salesId) })));
		expect(deleted).toEqual([{ id: salesId, deleted: true }]);
		expect(await catalogIds(emulator.projectId)).toEqual(['1', '2', DATASETS_CATALOG_ID, STRIPE_CATALOG_ID, billingId]);

		const again = await runPeaka(emulator, catalogOperation('delete', { catalog: locator(salesId) }));
		expect(again.error?.message).toBe(`Catalog '${salesId}' was not found in project '${emulator.projectId}'`);
		expect(httpCode(again)).toBe(behaviour === 'spec' ? '404' : '400');

		ok(await runPeaka(emulator, catalogOperation('delete', { catalog: locator(billingId) })));
		expect(await catalogIds(emulator.projectId)).toEqual(['1', '2', DATASETS_CATALOG_ID, STRIPE_CATALOG_ID]);
	});

	it('does not repeat a failed create', async () => {
		emulator.faults.add({ method: 'POST', path: '/data/projects/*/catalogs', status: 500 });
		const failed = await runPeaka(emulator, catalogOperation('create', { name: 'Restricted', connectionId: DATASETS_CONNECTION_ID }));
		expect(failed.error?.message).toBe("Creating catalog 'Restricted' failed with HTTP 500");
		expect(requestLog()).toEqual([`POST /data/projects/${emulator.projectId}/catalogs`]);
		expect(await catalogIds(emulator.projectId)).toEqual(['1', '2', DATASETS_CATALOG_ID, STRIPE_CATALOG_ID]);
	});

	it('keeps failed items paired on continue', async () => {
		const result = await runPeaka(emulator, catalogOperation('get', { catalog: locator('={{ $json.catalogId }}') }), {
			inputItems: [{ catalogId: DATASETS_CATALOG_ID }, { catalogId: '404404' }],
			onError: 'continueRegularOutput',
		});
		const items = jsonOf(result.outputs[0]);
		expect(items[0].name).toBe('datasets');
		expect(items[1].error).toBe(`Catalog '404404' was not found in project '${emulator.projectId}'`);
		expect(pairedItemsOf(result.outputs[0])).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('sends extra parameters for Google Ads', async () => {
		const bare = await runPeaka(emulator, catalogOperation('create', { name: 'Ads Bare', connectionId: GOOGLE_ADS_CONNECTION_ID, extraParameters: '{}' }));
		if (behaviour === 'spec') {
			expect(ok(bare)[0]).toMatchObject({ name: 'adsbare', catalogType: 'google_ads' });
		} else {
			expect(bare.error?.message).toContain('Required parameters are missing: customerUnderscoreSecret, secret, token');
			expect(httpCode(bare)).toBe('400');
		}
		const extraParameters = { customerUnderscoreSecret: 'c', secret: 's', token: 't' };
		const full = ok(await runPeaka(emulator, catalogOperation('create', {
			name: 'Ads Full',
			connectionId: GOOGLE_ADS_CONNECTION_ID,
			extraParameters: JSON.stringify(extraParameters),
		})))[0];
		expect(full).toMatchObject({ name: 'adsfull', catalogType: 'google_ads', connectionId: GOOGLE_ADS_CONNECTION_ID });
		expect(emulator.faults.requests().at(-1)?.body).toEqual({ name: 'Ads Full', connectionId: GOOGLE_ADS_CONNECTION_ID, extraParameters });
		const created = (await engine.listCatalogs(emulator.projectId)).filter((catalog) => catalog.catalogType === 'google_ads');
		expect(created.map((catalog) => catalog.name)).toEqual(behaviour === 'spec' ? ['adsbare', 'adsfull'] : ['adsfull']);
		for (const catalog of created) ok(await runPeaka(emulator, catalogOperation('delete', { catalog: locator(String(catalog.id)) })));
	});

	it('lists schemas, tables and columns', async () => {
		const schemas = await runPeaka(emulator, catalogOperation('getSchemas', { catalog: locator(DATASETS_CATALOG_ID) }), {
			inputItems: [{}, {}],
		});
		expect(ok(schemas)).toEqual([
			{ catalogId: DATASETS_CATALOG_ID, catalogName: 'datasets', schemaName: 'public' },
			{ catalogId: DATASETS_CATALOG_ID, catalogName: 'datasets', schemaName: 'public' },
		]);
		expect(pairedItemsOf(schemas.outputs[0])).toEqual([{ item: 0 }, { item: 1 }]);
		const builtIn = ok(await runPeaka(emulator, catalogOperation('getSchemas', { catalog: locator('1') })));
		expect(builtIn.map((schema) => schema.schemaName)).toEqual(['table', 'bitable']);

		const tables = ok(await runPeaka(emulator, catalogOperation('getTables', { catalog: locator(DATASETS_CATALOG_ID), schema: locator('public') })));
		expect(tables.map((table) => table.tableName)).toEqual(DATASETS_TABLES);
		expect(tables[0]).toMatchObject({ catalogName: 'datasets', schemaName: 'public', isCacheable: false, supportedCacheTypes: [] });
		const firstTwo = ok(await runPeaka(emulator, catalogOperation('getTables', {
			catalog: locator(DATASETS_CATALOG_ID),
			schema: locator('public'),
			returnAll: false,
			limit: 2,
		})));
		expect(firstTwo.map((table) => table.tableName)).toEqual(['airports', 'edge_types']);

		const noSchema = await runPeaka(emulator, catalogOperation('getTables', { catalog: locator(DATASETS_CATALOG_ID), schema: locator('nope') }));
		expect(noSchema.error?.message).toBe(`Schema 'nope' was not found in catalog '${DATASETS_CATALOG_ID}'`);

		const columns = ok(await runPeaka(emulator, catalogOperation('getColumns', tableParameters(DATASETS_CATALOG_ID, 'public', 'penguins'))));
		expect(columns.map((column) => [column.name, column.dataType])).toEqual([
			['species', 'varchar'],
			['island', 'varchar'],
			['beak length (mm)', 'double'],
			['beak depth (mm)', 'double'],
			['flipper length (mm)', 'bigint'],
			['body mass (g)', 'bigint'],
			['sex', 'varchar'],
		]);
		const noTable = await runPeaka(emulator, catalogOperation('getColumns', tableParameters(DATASETS_CATALOG_ID, 'public', 'pingu')));
		expect(noTable.error?.message).toBe(`Table 'pingu' was not found in schema 'public' of catalog '${DATASETS_CATALOG_ID}'`);
		const noTableName = await runPeaka(emulator, catalogOperation('getColumns', tableParameters(DATASETS_CATALOG_ID, 'public', '={{ " " }}')));
		expect(noTableName.error?.message).toBe("The 'Table' parameter is empty");
	});

	it('reports table cache state', async () => {
		const charges = tableParameters(STRIPE_CATALOG_ID, 'payment', 'charges');
		const before = ok(await runPeaka(emulator, catalogOperation('isCached', charges)));
		expect(before).toEqual([
			{
				catalogId: STRIPE_CATALOG_ID,
				schemaName: 'payment',
				tableName: 'charges',
				isCached: false,
				isCacheable: true,
				supportedCacheTypes: ['FULL_REFRESH', 'INCREMENTAL'],
			},
		]);
		await engine.setTableCached(emulator.projectId, STRIPE_CATALOG_ID, 'payment', 'charges', true);
		try {
			const after = ok(await runPeaka(emulator, catalogOperation('isCached', charges)));
			expect(after[0].isCached).toBe(true);
		} finally {
			await engine.setTableCached(emulator.projectId, STRIPE_CATALOG_ID, 'payment', 'charges', false);
		}
		const penguins = ok(await runPeaka(emulator, catalogOperation('isCached', tableParameters(DATASETS_CATALOG_ID, 'public', 'penguins'))));
		expect(penguins[0]).toMatchObject({ isCached: false, isCacheable: false, supportedCacheTypes: [] });
	});

	it('reads statistics per catalog type', async () => {
		const [counts] = await engine.query(
			emulator.projectId,
			'SELECT count(*)::INTEGER AS total, count(DISTINCT species)::INTEGER AS species, count(DISTINCT "beak length (mm)")::INTEGER AS beak FROM datasets.public.penguins',
		);
		expect(counts).toEqual({ total: 344, species: 3, beak: 164 });
		const statistics = ok(await runPeaka(emulator, catalogOperation('getStatistics', tableParameters(DATASETS_CATALOG_ID, 'public', 'penguins'))));
		expect(statistics[0]).toMatchObject({ catalogId: DATASETS_CATALOG_ID, schemaName: 'public', tableName: 'penguins' });
		const fractions = Object.fromEntries(
			(statistics[0].columnStatistics as IDataObject[]).map((column) => [column.columnName, column.distinctFraction]),
		);
		expect(fractions).toMatchObject({ species: -0.0087, 'beak length (mm)': -0.4767 });
		expect(Object.keys(fractions)).toHaveLength(7);

		const stripe = await runPeaka(emulator, catalogOperation('getStatistics', tableParameters(STRIPE_CATALOG_ID, 'payment', 'charges')));
		if (behaviour === 'spec') {
			expect(ok(stripe)[0].tableName).toBe('charges');
		} else {
			expect(stripe.error?.message).toBe("Peaka does not compute statistics for tables of 'stripe' catalogs");
			expect(httpCode(stripe)).toBe('400');
		}
	});

	it('shares catalog with partner key only', async () => {
		const shared = ok(await runPeaka(emulator, catalogOperation('share', {
			catalog: locator(DATASETS_CATALOG_ID),
			targetProject: projectParameter(emulator.otherProjectId),
		})))[0];
		expect(shared).toEqual({ catalogId: DATASETS_CATALOG_ID, targetProjectId: emulator.otherProjectId, sharedCatalogId: expect.stringMatching(/^\d{18}$/) });
		expect(emulator.faults.requests().at(-1)?.body).toEqual({ targetProjectId: emulator.otherProjectId });
		const inTarget = await engine.listCatalogs(emulator.otherProjectId);
		expect(inTarget.find((catalog) => catalog.id === shared.sharedCatalogId)).toMatchObject({
			name: 'datasets',
			catalogType: 'postgresql',
			connectionId: DATASETS_CONNECTION_ID,
		});

		const byProjectKey = await runPeaka(
			emulator,
			catalogOperation('share', { catalog: locator(STRIPE_CATALOG_ID), targetProject: projectParameter(emulator.otherProjectId) }),
			{ apiKey: emulator.projectKey },
		);
		expect(byProjectKey.error?.message).toBe(`This API key cannot share into project '${emulator.otherProjectId}'`);
		expect((await engine.listCatalogs(emulator.otherProjectId)).map((catalog) => catalog.name)).toEqual(['peaka', 'peaka', 'datasets']);

		const again = await runPeaka(emulator, catalogOperation('share', {
			catalog: locator(DATASETS_CATALOG_ID),
			targetProject: projectParameter(emulator.otherProjectId),
		}));
		expect(again.error?.message).toContain('There are already a catalog with same name!!');
		const project = engine.project(emulator.otherProjectId);
		project.catalogs.splice(project.catalogs.findIndex((catalog) => catalog.id === shared.sharedCatalogId), 1);
	});

	it('scopes project key to its project', async () => {
		const own = ok(await runPeaka(emulator, catalogOperation('getMany', {}), { apiKey: emulator.projectKey }));
		expect(own).toHaveLength(4);
		const other = await runPeaka(emulator, catalogOperation('getMany', { project: projectParameter(emulator.otherProjectId) }), {
			apiKey: emulator.projectKey,
		});
		expect(httpCode(other)).toBe('403');
	});

	it('searches names with filters', async () => {
		const charges = ok(await runPeaka(emulator, catalogOperation('search', { query: 'CHARGES' })));
		expect(charges).toEqual([{ type: 'table', catalog: 'stripe', schema: 'payment', table: 'charges' }]);
		expect(emulator.faults.requests().map((request) => request.body)).toEqual([{ query: 'CHARGES', limit: 100, offset: 0 }]);

		const filtered = ok(await runPeaka(emulator, catalogOperation('search', { query: 'a', filters: { catalog: 'datasets', schema: 'public' } })));
		expect(filtered.map((match) => match.table)).toEqual(['airports', 'seattle_weather']);
		expect(filtered.every((match) => match.type === 'table')).toBe(true);

		const mixed = ok(await runPeaka(emulator, catalogOperation('search', { query: 'pe' })));
		expect(mixed).toEqual([
			{ type: 'catalog', catalog: 'peaka' },
			{ type: 'catalog', catalog: 'stripe' },
			{ type: 'table', catalog: 'datasets', schema: 'public', table: 'edge_types' },
			{ type: 'table', catalog: 'datasets', schema: 'public', table: 'penguins' },
		]);
		expect(ok(await runPeaka(emulator, catalogOperation('search', { query: 'zzz' })))).toEqual([]);
	});

	it('search stops on a stuck nextOffset', async () => {
		emulator.faults.add({
			method: 'POST',
			path: '/data/projects/*/search',
			status: 200,
			body: { matchedCatalogs: null, matchedSchemas: null, matchedTables: [{ catalog: 'c', schema: 's', table: 't' }], meta: { page: { limit: 100, offset: 0, nextOffset: 0 } } },
		});
		const matches = ok(await runPeaka(emulator, catalogOperation('search', { query: 't' })));
		expect(matches).toEqual([{ type: 'table', catalog: 'c', schema: 's', table: 't' }]);
		expect(requestLog()).toEqual([`POST /data/projects/${emulator.projectId}/search`]);
	});

	it('search follows nextOffset to limit', async () => {
		const other = engine.project(emulator.otherProjectId);
		const bulk = Array.from({ length: BULK_CATALOGS }, (_, index) => ({
			id: String(900000000000000000 + index),
			name: `bulk${String(index).padStart(3, '0')}`,
			displayName: `Bulk ${index}`,
			type: 'postgresql',
			connectionId: DATASETS_CONNECTION_ID,
			schemas: [],
		}));
		other.catalogs.push(...bulk);
		try {
			const search = (extra: INodeParameters) =>
				catalogOperation('search', { project: projectParameter(emulator.otherProjectId), query: 'bulk', ...extra });
			const all = ok(await runPeaka(emulator, search({ returnAll: true })));
			expect(all.map((match) => match.catalog)).toEqual(bulk.map((catalog) => catalog.name));
			expect(emulator.faults.requests().map((request) => request.body)).toEqual([
				{ query: 'bulk', limit: 100, offset: 0 },
				{ query: 'bulk', limit: 100, offset: 100 },
			]);

			emulator.faults.clearRequests();
			const limited = await runPeaka(emulator, search({ returnAll: false, limit: 105 }), { inputItems: [{}, {}] });
			expect(ok(limited).map((match) => match.catalog)).toEqual([...bulk.slice(0, 105), ...bulk.slice(0, 105)].map((catalog) => catalog.name));
			expect(pairedItemsOf(limited.outputs[0]).slice(104, 106)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(emulator.faults.requests().map((request) => request.body)).toEqual([
				{ query: 'bulk', limit: 100, offset: 0 },
				{ query: 'bulk', limit: 5, offset: 100 },
				{ query: 'bulk', limit: 100, offset: 0 },
				{ query: 'bulk', limit: 5, offset: 100 },
			]);
		} finally {
			other.catalogs.splice(other.catalogs.length - BULK_CATALOGS, BULK_CATALOGS);
		}
	});
});

describe('Catalog, schema and table pickers', () => {
	let emulator: Emulator;

	beforeAll(async () => {
		emulator = await startPeaka('spec', { eventsRows: 20 });
	});
	afterAll(async () => {
		await emulator?.close();
	});

	const pick = async (methodName: string, parameters: INodeParameters, filter?: string) =>
		await listSearch({
			nodeType: Peaka,
			credentialTypes: [PeakaApi],
			credentials: { peakaApi: credentialsFor(emulator, emulator.projectKey) },
			parameters: { resource: 'catalog', operation: 'getColumns', project: projectParameter(emulator.projectId), ...parameters },
			methodName,
			filter,
		});

	it('lists catalogs with name and type', async () => {
		const all = await pick('searchCatalogs', {});
		expect(all.results).toEqual([
			{ name: 'Datasets', value: DATASETS_CATALOG_ID, description: 'datasets · postgresql' },
			{ name: 'Peaka', value: '1', description: 'peaka · internal' },
			{ name: 'Peaka Query', value: '2', description: 'peaka · query' },
			{ name: 'Stripe', value: STRIPE_CATALOG_ID, description: 'stripe · stripe' },
		]);
		expect((await pick('searchCatalogs', {}, 'QUERY')).results.map((entry) => entry.value)).toEqual(['2']);
	});

	it('lists schemas and tables below choices', async () => {
		const schemas = await pick('searchSchemas', { catalog: locator('1') });
		expect(schemas.results).toEqual([
			{ name: 'bitable', value: 'bitable' },
			{ name: 'table', value: 'table' },
		]);
		const tables = await pick('searchTables', { catalog: locator(DATASETS_CATALOG_ID), schema: locator('public', 'list') });
		expect(tables.results.map((entry) => entry.value)).toEqual(DATASETS_TABLES);
		const filtered = await pick('searchTables', { catalog: locator(DATASETS_CATALOG_ID), schema: locator('public', 'list') }, 'PEN');
		expect(filtered.results).toEqual([{ name: 'penguins', value: 'penguins', description: undefined }]);
	});

	it('asks for catalog and schema first', async () => {
		await expect(pick('searchSchemas', { catalog: locator('') })).rejects.toThrow('Choose a catalog first');
		await expect(pick('searchTables', { catalog: locator(DATASETS_CATALOG_ID), schema: locator('', 'list') })).rejects.toThrow('Choose a schema first');
	});
});
