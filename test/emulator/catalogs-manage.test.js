'use strict';

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index.js');

const EVENTS_ROWS = 10;
const DATASETS_ID = '846085284821991568';
const STRIPE_ID = '846085284821991569';
const DATASETS_CONNECTION_ID = '3f6b2c1d-8e4a-4b7c-9d2e-1a5f6c7b8d90';
const STRIPE_CONNECTION_ID = '7c2d4e6f-1a3b-4c5d-8e9f-0a1b2c3d4e5f';
const GOOGLE_ADS_CONNECTION_ID = '5e8a1b2c-3d4f-4a6b-8c7d-9e0f1a2b3c4d';

describe.each(['spec', 'observed'])('catalog management in %s behaviour', (behaviour) => {
	let emulator;
	let http;

	const asPartner = () => ({ headers: { Authorization: `Bearer ${emulator.partnerKey}` } });
	const asProject = () => ({ headers: { Authorization: `Bearer ${emulator.projectKey}` } });
	const projectPath = (suffix, projectId = emulator.projectId) => `/data/projects/${projectId}${suffix}`;
	const missingStatus = () => (behaviour === 'spec' ? 404 : 400);

	beforeAll(async () => {
		emulator = await startEmulator({ behaviour, eventsRows: EVENTS_ROWS });
		http = axios.create({ baseURL: emulator.baseUrl, validateStatus: () => true });
	});
	afterAll(async () => {
		await emulator.close();
	});

	test('create adds empty typed catalog', async () => {
		const created = await http.post(projectPath('/catalogs'), { name: 'Sales_DB 2', connectionId: STRIPE_CONNECTION_ID }, asProject());
		expect(created.status).toBe(200);
		expect(created.data).toEqual({
			id: expect.stringMatching(/^\d{18}$/),
			name: 'sales_db2',
			displayName: 'Sales_DB 2',
			catalogType: 'stripe',
			connectionId: STRIPE_CONNECTION_ID,
		});
		const id = created.data.id;
		const listed = await http.get(projectPath('/catalogs'), asProject());
		expect(listed.data.map((catalog) => catalog.id)).toEqual(['1', '2', DATASETS_ID, STRIPE_ID, id]);
		const schemas = await http.get(projectPath(`/catalogs/${id}/schemas`), asProject());
		expect(schemas.data).toEqual([{ catalogId: id, catalogName: 'sales_db2', schemaName: 'payment' }]);
		const tables = await http.get(projectPath(`/catalogs/${id}/schemas/payment/tables`), asProject());
		expect(tables.status).toBe(200);
		expect(tables.data).toEqual([]);

		const duplicate = await http.post(projectPath('/catalogs'), { name: 'SALES_DB2', connectionId: DATASETS_CONNECTION_ID }, asProject());
		expect(duplicate.status).toBe(400);
		expect(duplicate.data).toEqual({ errorCode: 100, message: 'There are already a catalog with same name!!' });

		const builtInName = await http.post(projectPath('/catalogs'), { name: 'Peaka', connectionId: DATASETS_CONNECTION_ID }, asProject());
		expect(builtInName.status).toBe(400);

		const deleted = await http.delete(projectPath(`/catalogs/${id}`), asProject());
		expect(deleted.status).toBe(200);
		expect(deleted.data).toBe('');
		const after = await http.get(projectPath(`/catalogs/${id}`), asProject());
		expect(after.status).toBe(missingStatus());
	});

	test('create rejects invalid requests', async () => {
		const unknown = await http.post(projectPath('/catalogs'), { name: 'x', connectionId: 'nope' }, asPartner());
		expect(unknown.status).toBe(400);
		expect(unknown.data).toEqual({ error: 'INVALID_CONNECTION_ID', message: 'invalid connection id', errorCode: 'cn004' });

		const nameless = await http.post(projectPath('/catalogs'), { name: ' !! ', connectionId: DATASETS_CONNECTION_ID }, asPartner());
		expect(nameless.status).toBe(400);
		expect(nameless.data.message).toMatch(/^Catalog name is missing/);

		const ads = await http.post(projectPath('/catalogs'), { name: 'ads', connectionId: GOOGLE_ADS_CONNECTION_ID, extraParameters: { token: 't' } }, asPartner());
		if (behaviour === 'spec') {
			expect(ads.status).toBe(200);
			expect(ads.data.catalogType).toBe('google_ads');
			expect((await http.delete(projectPath(`/catalogs/${ads.data.id}`), asPartner())).status).toBe(200);
		} else {
			expect(ads.status).toBe(400);
			expect(ads.data).toEqual({ errorCode: 100, message: 'Required parameters are missing: customerUnderscoreSecret, secret' });
		}
	});

	test('delete rejects built-in and unknown', async () => {
		const builtIn = await http.delete(projectPath('/catalogs/1'), asPartner());
		expect(builtIn.status).toBe(400);
		expect(builtIn.data.message).toBe('Catalog 1 is built in and cannot be deleted.');
		const unknown = await http.delete(projectPath('/catalogs/12345'), asPartner());
		expect(unknown.status).toBe(missingStatus());
		expect(unknown.data).toEqual({ errorCode: 100, message: 'Catalog not found: 12345' });
	});

	test('isCached follows table cache state', async () => {
		const stripe = await http.get(projectPath(`/catalogs/${STRIPE_ID}/schemas/payment/tables/charges/isCached`), asProject());
		expect(stripe.status).toBe(200);
		expect(stripe.data).toEqual({ isCached: false, isCacheable: true, supportedCacheTypes: ['FULL_REFRESH', 'INCREMENTAL'] });
		await emulator.engine.setTableCached(emulator.projectId, STRIPE_ID, 'payment', 'charges', true);
		const cached = await http.get(projectPath(`/catalogs/${STRIPE_ID}/schemas/payment/tables/charges/isCached`), asProject());
		expect(cached.data.isCached).toBe(true);
		await emulator.engine.setTableCached(emulator.projectId, STRIPE_ID, 'payment', 'charges', false);

		const missing = await http.get(projectPath(`/catalogs/${DATASETS_ID}/schemas/public/tables/nope/isCached`), asProject());
		expect(missing.status).toBe(400);
		expect(missing.data).toEqual({ errorCode: 100, message: "Table 'datasets.public.nope' does not exist" });
	});

	test('statistics per column and type', async () => {
		const penguins = await http.get(projectPath(`/catalogs/${DATASETS_ID}/schemas/public/tables/penguins/statistics`), asProject());
		expect(penguins.status).toBe(200);
		expect(penguins.data).toEqual({
			catalogId: DATASETS_ID,
			schemaName: 'public',
			tableName: 'penguins',
			columnStatistics: [
				{ columnName: 'species', distinctFraction: -0.0087 },
				{ columnName: 'island', distinctFraction: -0.0087 },
				{ columnName: 'beak length (mm)', distinctFraction: -0.4767 },
				{ columnName: 'beak depth (mm)', distinctFraction: -0.2326 },
				{ columnName: 'flipper length (mm)', distinctFraction: -0.1599 },
				{ columnName: 'body mass (g)', distinctFraction: -0.2733 },
				{ columnName: 'sex', distinctFraction: -0.0087 },
			],
		});
		const stripe = await http.get(projectPath(`/catalogs/${STRIPE_ID}/schemas/payment/tables/charges/statistics`), asProject());
		if (behaviour === 'spec') {
			expect(stripe.status).toBe(200);
			expect(stripe.data.columnStatistics.find((column) => column.columnName === 'id')).toEqual({ columnName: 'id', distinctFraction: -1 });
		} else {
			expect(stripe.status).toBe(400);
			expect(stripe.data).toEqual({ errorCode: 100, message: 'Catalog type: stripe is not being supported yet' });
		}
	});

	test('share copies catalog across projects', async () => {
		const byProjectKey = await http.post(projectPath(`/catalogs/${STRIPE_ID}/share`), { targetProjectId: emulator.otherProjectId }, asProject());
		expect(byProjectKey.status).toBe(403);
		expect(byProjectKey.data.message).toBe(`The project API key belongs to project '${emulator.projectId}' and cannot access project '${emulator.otherProjectId}'.`);

		const shared = await http.post(projectPath(`/catalogs/${STRIPE_ID}/share`), { targetProjectId: emulator.otherProjectId }, asPartner());
		expect(shared.status).toBe(200);
		expect(shared.data).toEqual({ sharedCatalogId: expect.stringMatching(/^\d{18}$/) });
		const target = await http.get(projectPath('/catalogs', emulator.otherProjectId), asPartner());
		expect(target.data.at(-1)).toEqual({
			id: shared.data.sharedCatalogId,
			name: 'stripe',
			displayName: 'Stripe',
			catalogType: 'stripe',
			connectionId: STRIPE_CONNECTION_ID,
		});
		const schemas = await http.get(projectPath(`/catalogs/${shared.data.sharedCatalogId}/schemas`, emulator.otherProjectId), asPartner());
		expect(schemas.data.map((schema) => schema.schemaName)).toEqual(['payment']);

		const twice = await http.post(projectPath(`/catalogs/${STRIPE_ID}/share`), { targetProjectId: emulator.otherProjectId }, asPartner());
		expect(twice.status).toBe(400);
		const builtIn = await http.post(projectPath('/catalogs/2/share'), { targetProjectId: emulator.otherProjectId }, asPartner());
		expect(builtIn.status).toBe(400);
		const self = await http.post(projectPath(`/catalogs/${STRIPE_ID}/share`), { targetProjectId: emulator.projectId }, asPartner());
		expect(self.status).toBe(400);
		const noTarget = await http.post(projectPath(`/catalogs/${STRIPE_ID}/share`), {}, asPartner());
		expect(noTarget.status).toBe(400);
		const unknownTarget = await http.post(projectPath(`/catalogs/${STRIPE_ID}/share`), { targetProjectId: 'Nope1234' }, asPartner());
		expect(unknownTarget.status).toBe(404);
		expect(unknownTarget.data.message).toBe('Project not found: Nope1234');
		expect((await http.delete(projectPath(`/catalogs/${shared.data.sharedCatalogId}`, emulator.otherProjectId), asPartner())).status).toBe(200);
	});

	test('search pages with nextOffset', async () => {
		const empty = behaviour === 'spec' ? [] : null;
		const first = await http.post(projectPath('/search'), { query: 'E', limit: 3 }, asProject());
		expect(first.status).toBe(200);
		expect(first.data).toEqual({
			matchedCatalogs: [{ catalog: 'peaka' }, { catalog: 'datasets' }, { catalog: 'stripe' }],
			matchedSchemas: empty,
			matchedTables: empty,
			meta: { page: { limit: 3, offset: 0, nextOffset: 3 }, query: { text: 'E' } },
		});
		const second = await http.post(projectPath('/search'), { query: 'E', limit: 3, offset: 3 }, asProject());
		expect(second.data.matchedCatalogs).toEqual(empty);
		expect(second.data.matchedSchemas).toEqual([
			{ catalog: 'peaka', schema: 'table' },
			{ catalog: 'peaka', schema: 'bitable' },
			{ catalog: 'peaka', schema: 'query' },
		]);
		expect(second.data.matchedTables).toEqual(empty);
		expect(second.data.meta.page).toEqual({ limit: 3, offset: 3, nextOffset: 6 });

		const all = await http.post(projectPath('/search'), { query: 'e' }, asProject());
		expect(all.data.meta.page).toEqual({ limit: 100, offset: 0, nextOffset: null });
		expect(all.data.matchedTables.map((hit) => hit.table)).toEqual(['edge_types', 'events', 'movies', 'penguins', 'seattle_weather', 'charges']);

		const scoped = await http.post(projectPath('/search'), { query: 'S', catalog: 'datasets', schema: 'public' }, asProject());
		expect(scoped.data.matchedCatalogs).toEqual(empty);
		expect(scoped.data.matchedTables.map((hit) => hit.table)).toEqual(['airports', 'edge_types', 'events', 'flights', 'movies', 'penguins', 'seattle_weather', 'stocks']);

		const badLimit = await http.post(projectPath('/search'), { query: 'e', limit: 0 }, asProject());
		expect(badLimit.status).toBe(400);
		const badOffset = await http.post(projectPath('/search'), { query: 'e', offset: -1 }, asProject());
		expect(badOffset.status).toBe(400);
	});

	test('delete detaches seeded catalog data', async () => {
		const before = await http.post(projectPath('/queries/execute'), { statement: 'SELECT count(*) AS n FROM stripe.payment.charges' }, asProject());
		expect(before.status).toBe(200);
		const deleted = await http.delete(projectPath(`/catalogs/${STRIPE_ID}`), asProject());
		expect(deleted.status).toBe(200);
		const listed = await http.get(projectPath('/catalogs'), asProject());
		expect(listed.data.map((catalog) => catalog.id)).toEqual(['1', '2', DATASETS_ID]);
		const after = await http.post(projectPath('/queries/execute'), { statement: 'SELECT count(*) AS n FROM stripe.payment.charges' }, asProject());
		expect(after.status).toBe(400);
		expect(after.data.message).toMatch(/Catalog 'stripe' not found/);
	});
});
