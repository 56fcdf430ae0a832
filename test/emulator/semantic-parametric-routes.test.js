'use strict';

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index.js');
const { macroExpression } = require('../../emulator/src/routes/parametric.js');

const EVENTS_ROWS = 10;
const DATASETS_ID = '846085284821991568';

describe.each(['spec', 'observed'])('semantic and parametric routes in %s behaviour', (behaviour) => {
	let emulator;
	let http;
	let queryId;

	const asPartner = () => ({ headers: { Authorization: `Bearer ${emulator.partnerKey}` } });
	const asProject = () => ({ headers: { Authorization: `Bearer ${emulator.projectKey}` } });
	const projectPath = (suffix, projectId = emulator.projectId) => `/data/projects/${projectId}${suffix}`;
	const missingStatus = () => (behaviour === 'spec' ? 404 : 400);
	const count = async (sql) => {
		const response = await http.post(projectPath('/queries/execute'), { statement: sql }, asPartner());
		expect(response.status).toBe(200);
		return response.data.data[0][0].value;
	};

	beforeAll(async () => {
		emulator = await startEmulator({ behaviour, eventsRows: EVENTS_ROWS });
		http = axios.create({ baseURL: emulator.baseUrl, validateStatus: () => true });
		const saved = await http.post(
			projectPath('/queries'),
			{ displayName: 'IslandCounts', inputQuery: 'SELECT island, count(*) AS n FROM datasets.public.penguins GROUP BY island', queryType: 'PLAIN' },
			asPartner(),
		);
		queryId = saved.data.id;
	});
	afterAll(async () => {
		await emulator.close();
	});

	describe('semantic catalogs', () => {
		let catalogId;
		let tableId;

		test('create attaches a catalog', async () => {
			const created = await http.post(projectPath('/semantic-catalogs'), { name: 'geo' }, asProject());
			expect(created.status).toBe(200);
			catalogId = created.data.id;
			expect(created.data).toEqual({ id: expect.stringMatching(/^\d{18}$/), name: 'geo', displayName: 'geo', catalogType: 'SEMANTIC' });
			const listed = await http.get(projectPath('/catalogs'), asProject());
			expect(listed.data.find((catalog) => catalog.id === catalogId)).toEqual({ id: catalogId, name: 'geo', displayName: 'geo', catalogType: 'SEMANTIC', connectionId: null });

			for (const name of ['GEO', 'peaka', 'datasets', 'bad name', '']) {
				const rejected = await http.post(projectPath('/semantic-catalogs'), { name }, asProject());
				expect({ name, status: rejected.status }).toEqual({ name, status: 400 });
			}
		});

		test('a table reads its saved query live', async () => {
			const added = await http.post(projectPath(`/semantic-catalogs/${catalogId}`), { schemaName: 'birds', tableName: 'islands', queryId }, asPartner());
			expect(added.status).toBe(200);
			tableId = added.data.tableId;
			expect(added.data).toEqual({ tableId: expect.stringMatching(/^\d{18}$/), catalogId, catalogName: 'geo', schemaName: 'birds', tableName: 'islands' });
			expect(emulator.state.semanticTables.get(emulator.projectId).get(tableId)).toEqual({ ...added.data, queryId });

			expect(await count('SELECT sum(n) AS total FROM geo.birds.islands')).toBe(await count('SELECT count(*) FROM datasets.public.penguins'));
			const tables = await http.get(projectPath(`/catalogs/${catalogId}/schemas/birds/tables`), asPartner());
			expect(tables.data.map((table) => table.tableName)).toEqual(['islands']);

			// The table is a view: changing the saved query changes what it returns.
			const updated = await http.put(projectPath(`/queries/${queryId}`), { inputQuery: "SELECT 'Nowhere' AS island, 0 AS n" }, asPartner());
			expect(updated.status).toBe(200);
			expect(await count('SELECT count(*) FROM geo.birds.islands')).toBe('1');

			const duplicate = await http.post(projectPath(`/semantic-catalogs/${catalogId}`), { schemaName: 'birds', tableName: 'islands', queryId }, asPartner());
			expect(duplicate.status).toBe(400);
			const noQuery = await http.post(projectPath(`/semantic-catalogs/${catalogId}`), { schemaName: 'birds', tableName: 'x', queryId: '1' }, asPartner());
			expect(noQuery.status).toBe(missingStatus());
			expect(noQuery.data.message).toBe('Query not found: 1');
			const notSemantic = await http.post(projectPath(`/semantic-catalogs/${DATASETS_ID}`), { schemaName: 'birds', tableName: 'x', queryId }, asPartner());
			expect(notSemantic.status).toBe(400);
			expect(notSemantic.data.message).toContain('is not a semantic catalog');
			const noCatalog = await http.post(projectPath('/semantic-catalogs/999'), { schemaName: 'birds', tableName: 'x', queryId }, asPartner());
			expect(noCatalog.status).toBe(missingStatus());
		});

		test('share copies the catalog', async () => {
			const shared = await http.post(projectPath(`/semantic-catalogs/${catalogId}/share`), { target: emulator.otherProjectId }, asPartner());
			expect(shared.status).toBe(200);
			expect(shared.data).toBe('');
			const copy = (await http.get(projectPath('/catalogs', emulator.otherProjectId), asPartner())).data.find((catalog) => catalog.name === 'geo');
			expect(copy).toMatchObject({ catalogType: 'SEMANTIC' });
			const schemas = await http.get(projectPath(`/catalogs/${copy.id}/schemas`, emulator.otherProjectId), asPartner());
			expect(schemas.data.map((schema) => schema.schemaName)).toEqual(['birds']);

			const again = await http.post(projectPath(`/semantic-catalogs/${catalogId}/share`), { target: emulator.otherProjectId }, asPartner());
			expect(again.status).toBe(400);
			const toSelf = await http.post(projectPath(`/semantic-catalogs/${catalogId}/share`), { target: emulator.projectId }, asPartner());
			expect(toSelf.status).toBe(400);
			const noTarget = await http.post(projectPath(`/semantic-catalogs/${catalogId}/share`), {}, asPartner());
			expect(noTarget.status).toBe(400);
			const outOfScope = await http.post(projectPath(`/semantic-catalogs/${catalogId}/share`), { target: emulator.otherProjectId }, asProject());
			expect(outOfScope.status).toBe(403);
		});

		test('delete table drops the view only', async () => {
			const deleted = await http.delete(projectPath(`/semantic-catalogs/${catalogId}/table/${tableId}`), asPartner());
			expect(deleted.status).toBe(200);
			expect(deleted.data).toBe('');
			expect(emulator.state.semanticTables.get(emulator.projectId).has(tableId)).toBe(false);
			const read = await http.post(projectPath('/queries/execute'), { statement: 'SELECT * FROM geo.birds.islands' }, asPartner());
			expect(read.status).toBe(400);
			expect((await http.get(projectPath(`/queries/${queryId}`), asPartner())).status).toBe(200);
			const again = await http.delete(projectPath(`/semantic-catalogs/${catalogId}/table/${tableId}`), asPartner());
			expect(again.status).toBe(missingStatus());
		});
	});

	describe('parametric tables', () => {
		const parametricPath = (catalogId = DATASETS_ID) => projectPath(`/catalogs/${catalogId}/parametricTables`);
		const dreamBody = {
			fromSchema: 'public',
			fromTable: 'penguins',
			toSchema: 'views',
			toTable: 'dream_females',
			paramValues: [
				{ key: 'island', value: 'Dream' },
				{ key: 'sex', value: 'FEMALE' },
			],
		};

		test('create makes a filtered view', async () => {
			const created = await http.post(parametricPath(), dreamBody, asPartner());
			expect(created.status).toBe(200);
			expect(created.data).toEqual(dreamBody);
			expect(emulator.state.parametricTables.get(`${emulator.projectId}/${DATASETS_ID}`)).toEqual([dreamBody]);
			expect(await count('SELECT count(*) FROM datasets.views.dream_females'))
				.toBe(await count("SELECT count(*) FROM datasets.public.penguins WHERE island = 'Dream' AND sex = 'FEMALE'"));
			const listed = await http.get(parametricPath(), asProject());
			expect(listed.data).toEqual([dreamBody]);
		});

		test('create rejects bad requests', async () => {
			const cases = [
				[dreamBody, 'Target table already exists: datasets.views.dream_females'],
				[{ ...dreamBody, toTable: 'x', fromTable: 'pelicans' }, "Table 'datasets.public.pelicans' does not exist"],
				[{ ...dreamBody, toTable: 'x', paramValues: [{ key: 'beak', value: 1 }] }, "Column 'beak' does not exist"],
				[{ ...dreamBody, toTable: 'x', paramValues: [{ key: 'island', value: '@today-1D' }] }, "Invalid relative date macro '@today-1D' for island"],
				[{ ...dreamBody, toTable: 'x', paramValues: [{ key: 'island', value: { nested: true } }] }, 'paramValues[0].value must be a string, number or boolean'],
				[{ ...dreamBody, toTable: 'x', paramValues: [] }, 'paramValues is missing'],
				[{ ...dreamBody, toTable: 'airports', toSchema: 'public' }, 'Target table already exists: datasets.public.airports'],
			];
			for (const [body, message] of cases) {
				const response = await http.post(parametricPath(), body, asPartner());
				expect({ message, status: response.status }).toEqual({ message, status: 400 });
				expect(response.data.message).toContain(message);
			}
			expect(emulator.state.parametricTables.get(`${emulator.projectId}/${DATASETS_ID}`)).toHaveLength(1);
		});

		test('macros bind a date column', async () => {
			const body = { fromSchema: 'public', fromTable: 'seattle_weather', toSchema: 'views', toTable: 'last_week', paramValues: [{ key: 'date', value: '@today-7d' }] };
			const created = await http.post(parametricPath(), body, asPartner());
			expect(created.status).toBe(200);
			const [row] = await emulator.engine.query(emulator.projectId, "SELECT sql FROM duckdb_views() WHERE view_name = 'last_week'");
			expect(row.sql).toContain('current_date');
			expect(row.sql).toContain("CAST('7 day' AS INTERVAL)");
			expect(await count('SELECT count(*) FROM datasets.views.last_week')).toBe('0');
		});

		test('delete drops the table', async () => {
			const missingQuery = await http.delete(parametricPath(), { ...asPartner(), params: { toSchema: 'views' } });
			expect(missingQuery.status).toBe(400);
			const deleted = await http.delete(parametricPath(), { ...asPartner(), params: { toSchema: 'views', toTable: 'dream_females' } });
			expect(deleted.status).toBe(204);
			expect(emulator.state.parametricTables.get(`${emulator.projectId}/${DATASETS_ID}`).map((table) => table.toTable)).toEqual(['last_week']);
			expect(await emulator.engine.tableExists(emulator.projectId, 'datasets', 'views', 'dream_females')).toBe(false);
			const again = await http.delete(parametricPath(), { ...asPartner(), params: { toSchema: 'views', toTable: 'dream_females' } });
			expect(again.status).toBe(404);
			expect(again.data.message).toBe('Parametric table not found: datasets.views.dream_females');
		});

		test('unknown catalog', async () => {
			const listed = await http.get(parametricPath('999'), asPartner());
			expect(listed.status).toBe(missingStatus());
			expect(listed.data.message).toBe('Catalog not found: 999');
		});
	});
});

describe('relative date macros', () => {
	test.each([
		['@today', 'CAST(current_date AS DATE)'],
		['@now-24h', "(current_timestamp - INTERVAL '24 hour')"],
		['@som-1M', "(CAST(date_trunc('month', current_date) AS DATE) - INTERVAL '1 month')"],
		['@soq+1q-2w', "((CAST(date_trunc('quarter', current_date) AS DATE) + INTERVAL '3 month') - INTERVAL '2 week')"],
	])('%s', (macro, expression) => {
		expect(macroExpression(macro)).toBe(expression);
	});

	test.each(['@today-7D', '@tomorrow', '@som-1', 'today', '@now+5s', '@eom--1d'])('rejects %s', (macro) => {
		expect(macroExpression(macro)).toBeNull();
	});
});
