'use strict';

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index.js');

const DATASETS_ID = '846085284821991568';
const STRIPE_ID = '846085284821991569';
// A 2 s refresh takes 50 ms.
const JOB_SPEED = 40;

describe.each([
	['spec', { idle: 'NOT_ACTIVE', waiting: 'WAITING', active: 'ACTIVE', completed: 'COMPLETED', failed: 'FAILED' }, 404],
	['observed', { idle: 'not-active', waiting: 'waiting', active: 'active', completed: 'completed', failed: 'failed' }, 400],
])('metadata routes (%s)', (behaviour, spelled, missingStatus) => {
	let emulator;
	let http;
	const meta = (suffix = '') => `/metadata/${emulator.projectId}${suffix}`;
	const settle = () => new Promise((resolve) => setTimeout(resolve, 120));

	beforeAll(async () => {
		emulator = await startEmulator({ behaviour, eventsRows: 10, jobSpeed: JOB_SPEED });
		http = axios.create({ baseURL: emulator.baseUrl, headers: { Authorization: `Bearer ${emulator.partnerKey}` }, validateStatus: () => true });
	});
	afterAll(async () => {
		await emulator.close();
	});
	beforeEach(() => emulator.jobs.clearArrangements());

	it('refresh status goes active, completed', async () => {
		expect((await http.get(meta(`/refresh/${DATASETS_ID}`))).data).toEqual({ status: spelled.idle });
		expect((await http.post(meta('/refresh'), { catalogId: DATASETS_ID })).status).toBe(200);
		// The job waits for its first 10 % (5 ms here), so a slow read may already see it run.
		expect([spelled.waiting, spelled.active]).toContain((await http.get(meta(`/refresh/${DATASETS_ID}`))).data.status);
		await settle();
		expect((await http.get(meta(`/refresh/${DATASETS_ID}`))).data).toEqual({ status: spelled.completed });

		emulator.jobs.arrange({ kind: 'metadata', target: STRIPE_ID, outcome: 'fail' });
		await http.post(meta('/refresh'), { catalogId: STRIPE_ID });
		await settle();
		expect((await http.get(meta(`/refresh/${STRIPE_ID}`))).data).toEqual({ status: spelled.failed });
		expect((await http.get(meta('/refresh/999'))).status).toBe(missingStatus);
	});

	it('refresh without catalogId covers every catalog', async () => {
		const before = emulator.jobs.list({ kind: 'metadata', projectId: emulator.projectId }).length;
		expect((await http.post(meta('/refresh'), {})).status).toBe(200);
		const started = emulator.jobs.list({ kind: 'metadata', projectId: emulator.projectId }).slice(0, 4).map((job) => job.target);
		expect(emulator.jobs.list({ kind: 'metadata', projectId: emulator.projectId })).toHaveLength(before + 4);
		expect(started.sort()).toEqual(['1', '2', DATASETS_ID, STRIPE_ID].sort());
	});

	it('table metadata merges edits and AI usage', async () => {
		await http.put(meta(`/${DATASETS_ID}`), { useWithAI: false });
		await http.put(meta(`/${DATASETS_ID}/public/penguins`), { tableDescription: 'Palmer penguins', useWithAI: true, columns: [{ columnName: 'species', columnDescription: 'Species name' }] });
		const { metadata } = (await http.get(meta(), { params: { catalogId: DATASETS_ID } })).data;
		const byTable = Object.fromEntries(metadata.map((entry) => [entry.metadata.tableName, entry.metadata]));
		expect(byTable.penguins).toMatchObject({ tableDescription: 'Palmer penguins', useWithAI: true });
		expect(byTable.penguins.columns[0]).toMatchObject({ columnName: 'species', columnDescription: 'Species name', dataType: 'varchar', order: 0 });
		expect(byTable.airports.useWithAI).toBe(false);
		expect(metadata.find((entry) => entry.metadata.tableName === 'penguins').content).toContain('Palmer penguins');

		const search = (await http.get(meta('/query'), { params: { table: 'penguins airports' } })).data.result;
		// Tables not used with AI stay out of semantic search.
		expect(search.map((table) => table.tableName)).toEqual(['penguins']);
		await http.put(meta(`/${DATASETS_ID}`), { useWithAI: true });
		expect((await http.get(meta(), { params: { catalogId: DATASETS_ID } })).data.metadata.every((entry) => entry.metadata.useWithAI)).toBe(true);
	});

	it.each([
		['PUT', `/${DATASETS_ID}`, { useWithAI: 'yes' }, 'Invalid useWithAI "yes": send {"useWithAI": true} or false.'],
		['PUT', `/${DATASETS_ID}/nope`, { useWithAI: true }, `Schema 'nope' does not exist in catalog '${DATASETS_ID}'`],
		['POST', `/relations/${DATASETS_ID}/public/flights/origin`, { type: 'MANY', targetCatalogId: DATASETS_ID, targetSchemaName: 'public', targetTableName: 'airports', targetColumnName: 'iata' }, 'Invalid relation type "MANY": use one of MANY_TO_ONE, ONE_TO_MANY, ONE_TO_ONE.'],
		['POST', `/relations/${DATASETS_ID}/public/flights/origin`, { type: 'MANY_TO_ONE', targetCatalogId: DATASETS_ID, targetSchemaName: 'public', targetTableName: 'airports', targetColumnName: 'code' }, "Column 'code' does not exist in table 'datasets.public.airports'"],
		['PUT', `/categorical/${DATASETS_ID}/public/airports/state`, { limit: 5, frequency: 'HOURLY' }, 'Invalid frequency "HOURLY": use one of NONE, DAILY, WEEKLY, MONTHLY.'],
		['PUT', `/categorical/${DATASETS_ID}/public/airports/state`, { limit: 0, frequency: 'NONE' }, 'Invalid limit 0: send the number of values to keep, e.g. 10.'],
		['POST', '/refresh/callback', { callbackURL: 'ftp://example.com' }, 'Invalid callbackURL "ftp://example.com": send an http or https URL.'],
		['POST', '/golden-sqls', { prompt: 'Only a question' }, 'sql is missing'],
	])('%s %s is rejected', async (method, suffix, body, message) => {
		const response = await http.request({ method, url: meta(suffix), data: body });
		expect(response.status).toBe(400);
		expect(response.data.message).toContain(message);
	});

	it('golden SQLs live in state.goldenSqls', async () => {
		const created = (await http.post(meta('/golden-sqls'), { prompt: 'Warmest day in Seattle?', sql: 'SELECT max(temp_max) FROM datasets.public.seattle_weather' })).data;
		expect(created).toEqual({ id: expect.any(String), content: 'Warmest day in Seattle?', metadata: { sql: 'SELECT max(temp_max) FROM datasets.public.seattle_weather', prompt: 'Warmest day in Seattle?', projectId: emulator.projectId } });
		expect(emulator.state.goldenSqls.get(emulator.projectId)).toEqual([
			{ id: created.id, question: 'Warmest day in Seattle?', sql: 'SELECT max(temp_max) FROM datasets.public.seattle_weather', projectId: emulator.projectId, createdAt: expect.any(String) },
		]);
		expect((await http.get(meta('/golden-sql/query'), { params: { q: 'seattle weather' } })).data.result).toEqual([
			{ question: 'Warmest day in Seattle?', sql: 'SELECT max(temp_max) FROM datasets.public.seattle_weather' },
		]);
		expect((await http.get(meta('/golden-sql/query'), { params: { q: 'penguins' } })).data.result).toEqual([]);
		expect((await http.delete(meta(`/golden-sqls/${created.id}`))).status).toBe(200);
		expect((await http.delete(meta(`/golden-sqls/${created.id}`))).status).toBe(missingStatus);
		expect(emulator.state.goldenSqls.get(emulator.projectId)).toEqual([]);
	});

	it('categorical values are the most frequent', async () => {
		const response = await http.put(meta(`/categorical/${DATASETS_ID}/public/penguins/island`), { limit: 2, frequency: 'MONTHLY' });
		const rows = await emulator.engine.query(emulator.projectId,
			'SELECT CAST(island AS VARCHAR) AS v, count(*) AS c FROM datasets.public.penguins WHERE island IS NOT NULL GROUP BY 1 ORDER BY c DESC, v LIMIT 2');
		expect(response.data.categoricalValues).toEqual(rows.map((row) => row.v));
		expect(response.data.categoricalValues).toHaveLength(2);
	});
});
