import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { expectRequestsMatchSpec, type LoggedRequest } from '../contract/openapi';
import { type RunNodeResult } from '../harness/n8n-runner';
import {
	BEHAVIOURS,
	datasetFile,
	type Emulator,
	executeSql,
	jsonOf,
	pairedItemsOf,
	projectParameter,
	referenceRows,
	runPeaka,
	startPeaka,
} from './support';

const DATASETS_CATALOG_ID = '846085284821991568';

interface CatalogEntry {
	id: string;
	name: string;
	type?: string;
	catalogType?: string;
	schemas?: string[];
}

interface SemanticEngine {
	listCatalogs(projectId: string): Promise<CatalogEntry[]>;
	query(projectId: string, sql: string): Promise<Array<Record<string, unknown>>>;
	tableExists(projectId: string, catalogName: string, schemaName: string, tableName: string): Promise<boolean>;
	savedQueries: {
		create(projectId: string, request: { displayName: string; inputQuery: string }): Promise<{ id: string; name: string }>;
		get(projectId: string, queryId: string): { id: string } | null;
	};
}

interface EmulatorState {
	semanticTables: Map<string, Map<string, { tableId: string; catalogId: string; schemaName: string; tableName: string; queryId: string }>>;
	parametricTables: Map<string, Array<{ toSchema: string; toTable: string; paramValues: Array<{ key: string; value: unknown }> }>>;
}

const locator = (value: string, mode = 'id'): INodeParameters => ({ __rl: true, mode, value });

describe.each(BEHAVIOURS)('Semantic catalogs and parametric tables against the %s emulator', (behaviour) => {
	let emulator: Emulator;
	let engine: SemanticEngine;
	let state: EmulatorState;
	let adelieQueryId: string;

	beforeAll(async () => {
		emulator = await startPeaka(behaviour, { eventsRows: 10 });
		engine = emulator.engine as SemanticEngine;
		state = (emulator as unknown as { state: EmulatorState }).state;
		const saved = await engine.savedQueries.create(emulator.projectId, {
			displayName: 'AdeliePenguins',
			inputQuery: "SELECT species, island, sex FROM datasets.public.penguins WHERE species = 'Adelie'",
		});
		adelieQueryId = saved.id;
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => emulator.faults.clearRequests());
	// Every request the node sent must match Peaka's OpenAPI file (skipped when the file is absent).
	afterEach(() => {
		expectRequestsMatchSpec(emulator.faults.requests() as LoggedRequest[]);
	});

	const operation = (resource: string, name: string, extra: INodeParameters = {}): INodeParameters => ({
		resource,
		operation: name,
		project: projectParameter(emulator.projectId),
		...extra,
	});
	const ok = (result: RunNodeResult): IDataObject[] => {
		expect(result.error).toBeUndefined();
		return jsonOf(result.outputs[0]);
	};
	const httpCode = (result: RunNodeResult) => (result.error as { httpCode?: string } | undefined)?.httpCode;
	const description = (result: RunNodeResult) => String((result.error as { description?: string } | undefined)?.description);
	const requestLog = () => emulator.faults.requests().map((request) => `${request.method} ${request.path}`);
	const sqlValue = async (sql: string): Promise<unknown> => {
		const rows = ok(await runPeaka(emulator, executeSql(emulator, sql)));
		return rows[0]?.n;
	};
	const semanticTables = () => [...(state.semanticTables.get(emulator.projectId)?.values() ?? [])];
	const parametricTables = () => state.parametricTables.get(`${emulator.projectId}/${DATASETS_CATALOG_ID}`) ?? [];

	describe('semantic catalog', () => {
		let catalogId: string;
		let tableId: string;

		it('creates a semantic catalog', async () => {
			const created = ok(await runPeaka(emulator, operation('semanticCatalog', 'create', { name: 'finance_sem' })));
			expect(created).toHaveLength(1);
			catalogId = String(created[0].id);
			expect(created[0]).toEqual({ id: catalogId, name: 'finance_sem', displayName: 'finance_sem', catalogType: 'SEMANTIC' });
			const listed = (await engine.listCatalogs(emulator.projectId)).find((catalog) => catalog.id === catalogId);
			expect(listed).toMatchObject({ name: 'finance_sem', type: 'SEMANTIC' });
			expect(emulator.faults.requests().map((request) => request.body)).toEqual([{ name: 'finance_sem' }]);

			const duplicate = await runPeaka(emulator, operation('semanticCatalog', 'create', { name: 'FINANCE_SEM' }));
			expect(duplicate.error?.message).toContain('There are already a catalog with same name!!');
		});

		it('adds a table readable by SQL', async () => {
			const result = await runPeaka(
				emulator,
				operation('semanticCatalog', 'addTable', {
					catalog: locator(catalogId),
					schemaName: 'zoo',
					tableName: 'adelie',
					savedQuery: locator(adelieQueryId),
				}),
			);
			const added = ok(result);
			tableId = String(added[0].tableId);
			expect(added).toEqual([{ queryId: adelieQueryId, tableId, catalogId, catalogName: 'finance_sem', schemaName: 'zoo', tableName: 'adelie' }]);
			expect(pairedItemsOf(result.outputs[0])).toEqual([{ item: 0 }]);
			expect(emulator.faults.requests()[0].body).toEqual({ schemaName: 'zoo', tableName: 'adelie', queryId: adelieQueryId });
			expect(semanticTables()).toEqual([{ tableId, catalogId, catalogName: 'finance_sem', schemaName: 'zoo', tableName: 'adelie', queryId: adelieQueryId }]);

			const [expected] = await referenceRows(`SELECT count(*)::VARCHAR AS n FROM read_json('${datasetFile('penguins.json')}') WHERE "Species" = 'Adelie'`);
			expect(await sqlValue('SELECT count(*) AS n FROM finance_sem.zoo.adelie')).toBe(expected.n);
			expect(await engine.tableExists(emulator.projectId, 'finance_sem', 'zoo', 'adelie')).toBe(true);
		});

		it('fails for unknown query or catalog', async () => {
			const noQuery = await runPeaka(
				emulator,
				operation('semanticCatalog', 'addTable', { catalog: locator(catalogId), schemaName: 'zoo', tableName: 'x', savedQuery: locator('123') }),
			);
			expect(noQuery.error?.message).toBe(`Saved query '123' was not found in project '${emulator.projectId}'`);
			expect(httpCode(noQuery)).toBe(behaviour === 'spec' ? '404' : '400');

			const noCatalog = await runPeaka(
				emulator,
				operation('semanticCatalog', 'addTable', { catalog: locator('999'), schemaName: 'zoo', tableName: 'x', savedQuery: locator(adelieQueryId) }),
			);
			expect(noCatalog.error?.message).toBe(`Semantic catalog '999' was not found in project '${emulator.projectId}'`);
			expect(httpCode(noCatalog)).toBe(behaviour === 'spec' ? '404' : '400');

			const notSemantic = await runPeaka(
				emulator,
				operation('semanticCatalog', 'addTable', { catalog: locator(DATASETS_CATALOG_ID), schemaName: 'zoo', tableName: 'x', savedQuery: locator(adelieQueryId) }),
			);
			expect(notSemantic.error?.message).toBe(`Catalog '${DATASETS_CATALOG_ID}' is not a semantic catalog`);
			expect(semanticTables()).toHaveLength(1);
		});

		it('shares with another project', async () => {
			const shared = ok(
				await runPeaka(emulator, operation('semanticCatalog', 'share', { catalog: locator(catalogId), targetProject: locator(emulator.otherProjectId) })),
			);
			expect(shared).toEqual([{ catalogId, targetProjectId: emulator.otherProjectId, shared: true }]);
			expect(emulator.faults.requests()[0].body).toEqual({ target: emulator.otherProjectId });
			const copy = (await engine.listCatalogs(emulator.otherProjectId)).find((catalog) => catalog.name === 'finance_sem');
			expect(copy).toMatchObject({ type: 'SEMANTIC' });

			const byProjectKey = await runPeaka(
				emulator,
				operation('semanticCatalog', 'share', { catalog: locator(catalogId), targetProject: locator(emulator.otherProjectId) }),
				{ apiKey: emulator.projectKey },
			);
			expect(byProjectKey.error?.message).toBe(`This API key cannot share into project '${emulator.otherProjectId}'`);
		});

		it('deletes the table and keeps the query', async () => {
			const badId = await runPeaka(emulator, operation('semanticCatalog', 'deleteTable', { catalog: locator(catalogId), tableId: 'adelie' }));
			expect(badId.error?.message).toBe("The 'Table ID' parameter 'adelie' is not a semantic table ID");
			expect(requestLog()).toEqual([]);

			const deleted = ok(await runPeaka(emulator, operation('semanticCatalog', 'deleteTable', { catalog: locator(catalogId), tableId })));
			expect(deleted).toEqual([{ catalogId, tableId, deleted: true }]);
			expect(semanticTables()).toEqual([]);
			expect(await engine.tableExists(emulator.projectId, 'finance_sem', 'zoo', 'adelie')).toBe(false);
			expect(engine.savedQueries.get(emulator.projectId, adelieQueryId)).not.toBeNull();

			const again = await runPeaka(emulator, operation('semanticCatalog', 'deleteTable', { catalog: locator(catalogId), tableId }));
			expect(again.error?.message).toBe(`Semantic table '${tableId}' was not found in catalog '${catalogId}'`);
			expect(httpCode(again)).toBe(behaviour === 'spec' ? '404' : '400');
		});
	});

	describe('parametric table', () => {
		const gentooParameters = (extra: INodeParameters = {}): INodeParameters =>
			operation('parametricTable', 'create', {
				catalog: locator(DATASETS_CATALOG_ID),
				schema: locator('public'),
				table: locator('penguins'),
				targetSchema: 'zoo',
				targetTable: 'big_gentoo',
				parameterValues: {
					values: [
						{ key: 'species', value: 'Gentoo', valueType: 'text' },
						{ key: 'flipper length (mm)', value: '217', valueType: 'number' },
					],
				},
				...extra,
			});

		it('starts with none', async () => {
			expect(ok(await runPeaka(emulator, operation('parametricTable', 'getMany', { catalog: locator(DATASETS_CATALOG_ID), returnAll: true })))).toEqual([]);
		});

		it('creates a table readable by SQL', async () => {
			const created = ok(await runPeaka(emulator, gentooParameters()));
			const expectedBody = {
				fromSchema: 'public',
				fromTable: 'penguins',
				toSchema: 'zoo',
				toTable: 'big_gentoo',
				paramValues: [
					{ key: 'species', value: 'Gentoo' },
					{ key: 'flipper length (mm)', value: 217 },
				],
			};
			expect(created).toEqual([expectedBody]);
			expect(emulator.faults.requests().map((request) => request.body)).toEqual([expectedBody]);
			expect(parametricTables()).toEqual([expectedBody]);

			const [expected] = await referenceRows(
				`SELECT count(*)::VARCHAR AS n FROM read_json('${datasetFile('penguins.json')}') WHERE "Species" = 'Gentoo' AND "Flipper Length (mm)" = 217`,
			);
			expect(Number(expected.n)).toBeGreaterThan(0);
			expect(await sqlValue('SELECT count(*) AS n FROM datasets.zoo.big_gentoo')).toBe(expected.n);

			const duplicate = await runPeaka(emulator, gentooParameters());
			expect(duplicate.error?.message).toBe(`Table 'zoo.big_gentoo' already exists in catalog '${DATASETS_CATALOG_ID}'`);
			expect(httpCode(duplicate)).toBe('400');
		});

		it('sends valid relative date macros', async () => {
			const macros = ['@today-7d', '@som-1M', '@now-24h', '@eoq+1q-2w', '@yesterday'];
			const result = await runPeaka(
				emulator,
				operation('parametricTable', 'create', {
					catalog: locator(DATASETS_CATALOG_ID),
					schema: locator('public'),
					table: locator('seattle_weather'),
					targetSchema: 'recent',
					targetTable: '={{ "weather_" + $itemIndex }}',
					parameterValues: { values: [{ key: 'date', value: '={{ $json.macro }}', valueType: 'text' }] },
				}),
				{ inputItems: macros.map((macro) => ({ macro })) },
			);
			expect(ok(result).map((table) => (table.paramValues as IDataObject[])[0].value)).toEqual(macros);
			expect(pairedItemsOf(result.outputs[0])).toEqual(macros.map((_macro, item) => ({ item })));
			expect(parametricTables().map((table) => table.toTable)).toEqual(['big_gentoo', ...macros.map((_macro, index) => `weather_${index}`)]);
			// The dataset ends in 2015, so a window relative to today contains no rows.
			expect(await sqlValue('SELECT count(*) AS n FROM datasets.recent.weather_0')).toBe('0');
		});

		it.each([
			['@today-7D', 'date'],
			['@tomorrow', 'date'],
			['@som-1', 'date'],
			['@now 24h', 'date'],
		])('rejects macro %s before sending', async (macro, column) => {
			const before = parametricTables().length;
			const result = await runPeaka(
				emulator,
				operation('parametricTable', 'create', {
					catalog: locator(DATASETS_CATALOG_ID),
					schema: locator('public'),
					table: locator('seattle_weather'),
					targetSchema: 'recent',
					targetTable: 'bad_macro',
					parameterValues: { values: [{ key: column, value: macro, valueType: 'text' }] },
				}),
			);
			expect(result.error?.message).toBe(`Value '${macro}' of column '${column}' in 'Parameter Values' is not a valid relative date macro`);
			expect(description(result)).toContain('Anchors: @today, @yesterday, @now, @sow, @eow, @som, @eom, @soq, @eoq, @soy, @eoy');
			expect(description(result)).toContain('M (month)');
			expect(requestLog()).toEqual([]);
			expect(parametricTables()).toHaveLength(before);
		});

		it('rejects bad values before sending', async () => {
			const noValues = await runPeaka(emulator, gentooParameters({ parameterValues: {} }));
			expect(noValues.error?.message).toBe("The 'Parameter Values' parameter is empty");
			const notNumber = await runPeaka(emulator, gentooParameters({ parameterValues: { values: [{ key: 'flipper length (mm)', value: 'long', valueType: 'number' }] } }));
			expect(notNumber.error?.message).toBe("Value 'long' of column 'flipper length (mm)' in 'Parameter Values' is not a number");
			expect(requestLog()).toEqual([]);
		});

		it('lists and deletes parametric tables', async () => {
			const listed = ok(await runPeaka(emulator, operation('parametricTable', 'getMany', { catalog: locator(DATASETS_CATALOG_ID), returnAll: false, limit: 2 })));
			expect(listed.map((table) => table.toTable)).toEqual(['big_gentoo', 'weather_0']);

			emulator.faults.clearRequests();
			const deleted = ok(
				await runPeaka(emulator, operation('parametricTable', 'delete', { catalog: locator(DATASETS_CATALOG_ID), targetSchema: 'zoo', targetTable: 'big_gentoo' })),
			);
			expect(deleted).toEqual([{ catalogId: DATASETS_CATALOG_ID, toSchema: 'zoo', toTable: 'big_gentoo', deleted: true }]);
			expect(emulator.faults.requests().map((request) => [request.method, request.query, request.status])).toEqual([
				['DELETE', { toSchema: 'zoo', toTable: 'big_gentoo' }, 204],
			]);
			expect(parametricTables().map((table) => table.toTable)).not.toContain('big_gentoo');
			expect(await engine.tableExists(emulator.projectId, 'datasets', 'zoo', 'big_gentoo')).toBe(false);
			expect(await engine.tableExists(emulator.projectId, 'datasets', 'public', 'penguins')).toBe(true);

			const again = await runPeaka(emulator, operation('parametricTable', 'delete', { catalog: locator(DATASETS_CATALOG_ID), targetSchema: 'zoo', targetTable: 'big_gentoo' }));
			expect(again.error?.message).toBe(`Parametric table 'zoo.big_gentoo' was not found in catalog '${DATASETS_CATALOG_ID}'`);
			expect(httpCode(again)).toBe('404');
		});

		it('fails for an unknown catalog', async () => {
			const result = await runPeaka(emulator, operation('parametricTable', 'getMany', { catalog: locator('999') }));
			expect(result.error?.message).toBe(`Catalog '999' was not found in project '${emulator.projectId}'`);
			expect(httpCode(result)).toBe(behaviour === 'spec' ? '404' : '400');
		});
	});
});
